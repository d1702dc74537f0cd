"""Clips made with PyAV (H.264) that show a visible label over given spans of time."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np

from label_builders import photo, render_label


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
) -> Path:
    """A clip of a slowly panning photograph with `text` shown during each [start, end).

    `size` and `position` are as displayed; with `rotation` (90 or 270, clockwise) the frames
    are stored turned the other way and the track's display matrix (written by exiftool)
    turns them back, as phones do.
    """
    import av

    width, height = size
    wide = photo("rocket", (width + 64, height))
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=Fraction(fps))
        stored = (height, width) if rotation in (90, 270) else (width, height)
        stream.width, stream.height, stream.pix_fmt = *stored, "yuv420p"
        if keyframe_every:
            stream.options = {"g": str(keyframe_every)}
        for index in range(round(seconds * fps)):
            t = index / fps
            frame = wide.crop((index % 64, 0, index % 64 + width, height))
            if any(start <= t < end for start, end in spans):
                frame, _ = render_label(frame, text, ratio, position, "box")
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
