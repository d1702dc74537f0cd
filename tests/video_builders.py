"""Clips made with PyAV (H.264 or VP9; MP4, MKV or WebM) that show visible labels over given
spans of time, on a photograph that pans or zooms."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image

from label_builders import photo, render_column, render_label

CODECS = {  # codec -> encoder options that keep the tests fast
    "libx264": {"preset": "veryfast"},
    "libvpx-vp9": {"deadline": "realtime", "cpu-used": "8", "row-mt": "1"},
    "mpeg4": {},  # MPEG-4 Part 2, as AVI files carry it
    "flv": {},  # Sorenson H.263, FLV's own codec
}
OLD_CODEC_BITRATE = 2_000_000  # the old codecs' default (200 kbit/s) smears the labels


@dataclass(frozen=True)
class Shown:
    """One label: its text, style and place, and when it is drawn ([start, end) seconds)."""

    spans: tuple[tuple[float, float], ...]
    text: str = "AI生成"
    position: str = "bottom-right"  # or column-left / column-right: written down a side
    ratio: float = 0.07
    style: str = "box"  # "box" or an outlined, box-less style of label_builders


def _background(picture: Image.Image, index: int, size, motion: str) -> Image.Image:
    """Frame `index` of the moving background."""
    width, height = size
    if motion == "zoom":  # slowly closer, up to 25 %, then back
        phase = (index % 50) / 50
        scale = 1 + 0.25 * (phase if phase < 0.5 else 1 - phase) * 2
        w, h = round(picture.width / scale), round(picture.height / scale)
        x, y = (picture.width - w) // 2, (picture.height - h) // 2
        return picture.crop((x, y, x + w, y + h)).resize(size, Image.Resampling.BILINEAR)
    step = 8 if motion == "fast-pan" else 1  # pixels per frame
    shift = (index * step) % (picture.width - width)
    return picture.crop((shift, 0, shift + width, height))


def _frame_of(index, fps, size, wide, labels, motion) -> Image.Image:
    t = index / fps
    frame = _background(wide, index, size, motion)
    for label in labels:
        if not any(start <= t < end for start, end in label.spans):
            continue
        if label.position.startswith("column-"):  # written down a side: column-left/-right
            side = label.position.removeprefix("column-")
            frame, _ = render_column(frame, label.text, label.ratio, side, label.style)
        else:
            frame, _ = render_label(frame, label.text, label.ratio, label.position, label.style)
    return frame


def clip(
    path: Path,
    spans: list[tuple[float, float]],
    *,
    size=(640, 360),
    fps=25,
    seconds=4.0,
    ratio=0.07,
    position="bottom-right",
    text="AI生成",
    rotation: int = 0,
    keyframe_every: int = 0,
    style: str = "box",
    motion: str = "pan",
    codec: str = "libx264",
    container: str = "mp4",
    extra: tuple[Shown, ...] = (),
) -> Path:
    """A clip of a moving photograph with `text` shown during each [start, end) of `spans`
    (and the `extra` labels during theirs).

    `size` and `position` are as displayed; with `rotation` (90 or 270, clockwise) the frames
    are stored turned the other way and the track's display matrix (written by exiftool)
    turns them back, as phones do. `motion`: "pan" (1 px a frame), "fast-pan" (8 px a
    frame) or "zoom". `container`: an FFmpeg muxer ("mp4", "matroska", "webm", "avi", "flv").
    """
    import av

    width, height = size
    labels = (Shown(tuple(spans), text, position, ratio, style), *extra)
    margin = 64 if motion == "pan" else 8 * round(seconds * fps) + 64
    wide = photo("rocket", (width + margin, height))
    with av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=Fraction(fps))
        stored = (height, width) if rotation in (90, 270) else (width, height)
        stream.width, stream.height, stream.pix_fmt = *stored, "yuv420p"
        options = dict(CODECS[codec])
        if keyframe_every:
            options["g"] = str(keyframe_every)
            if codec == "libx264":  # no scene-cut key frames either: truly one GOP
                options["x264-params"] = f"keyint={keyframe_every}:min-keyint={keyframe_every}"
                options["sc_threshold"] = "0"
        stream.options = options
        if codec in ("mpeg4", "flv"):
            stream.bit_rate = OLD_CODEC_BITRATE
        for index in range(round(seconds * fps)):
            frame = _frame_of(index, fps, size, wide, labels, motion)
            pixels = np.rot90(np.asarray(frame), rotation // 90)  # stored counter-turned
            picture = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            for packet in stream.encode(picture):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    if rotation:
        subprocess.run(
            ["exiftool", "-q", "-overwrite_original", f"-Rotation={rotation}", str(path)],
            check=True,
            capture_output=True,
        )
    return path


def key_frame_times(path: Path) -> list[float]:
    """Presentation times of the key frames, read from the packets (what the encoder made)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        times = [
            float(packet.pts * stream.time_base)
            for packet in container.demux(stream)
            if packet.pts is not None and packet.is_keyframe
        ]
    return sorted(times)
