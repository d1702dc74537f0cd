"""Put a visible label on the first seconds of a video (GB 45438-2025 §5.4, Measures Art. 4).

The label is shown from the first frame for `seconds` (default 3 s, over the 2 s the rule asks;
0 = the whole clip), in MP4/MOV and Matroska/WebM. Video is decoded and encoded again with PyAV
in the source's codec family (H.264 -> libx264, HEVC -> libx265, VP9 -> libvpx-vp9, MPEG-4
Part 2 -> mpeg4) at a fixed, documented quality (x264/x265 CRF 18, VP9 CRF 24, mpeg4 qscale
2), with the source's frame timestamps, time base and pixel format; every other stream (audio,
...) is copied packet for packet. The label's colour and backing are planned once, on the
first frame, with a backing at least 70 % opaque, so it does not flicker and stays readable as
the picture moves.
"""

from __future__ import annotations

import io
from fractions import Fraction

from PIL import Image

from markcheck.writers import WriterError
from markcheck.writers.visible import Drawn, Plan, VisibleSpec, paint, plan_label

DEFAULT_SECONDS = 3.0
VIDEO_MIN_ALPHA = 0.7
# source codec -> (encoder, options): the quality setting is part of the contract (docs)
ENCODERS = {
    "h264": ("libx264", {"crf": "18", "preset": "medium"}),
    "hevc": ("libx265", {"crf": "18", "preset": "medium"}),
    "vp9": ("libvpx-vp9", {"crf": "24", "b": "0"}),
    "mpeg4": ("mpeg4", {"qscale": "2"}),
}
MAX_FRAMES = 200_000
# container format -> FFmpeg muxer; Matroska's Tags (its global metadata) are carried over
# like MP4's, and the TC260 SimpleTag is written after the re-encode (writers/matroska.py)
MUXERS = {"mp4": "mp4", "mov": "mov", "mkv": "matroska", "webm": "webm"}
VIDEO_FORMATS = tuple(MUXERS)


def burn_video(
    data: bytes, fmt: str, spec: VisibleSpec, seconds: float = DEFAULT_SECONDS
) -> tuple[bytes, Drawn]:
    """The clip with the label drawn over [0, seconds) (all of it when seconds is 0)."""
    import av

    try:
        source = av.open(io.BytesIO(data), "r")
    except Exception as exc:  # any demuxer failure is this file's error
        raise WriterError(f"cannot open the video: {type(exc).__name__}: {exc}") from None
    with source:
        if not source.streams.video:
            raise WriterError("no video stream")
        video = source.streams.video[0]
        name = video.codec_context.name
        if name not in ENCODERS:
            raise WriterError(f"video codec {name} is not re-encoded by markcheck")
        encoder, options = ENCODERS[name]
        if encoder not in av.codecs_available:
            raise WriterError(f"encoder {encoder} is not available in this PyAV build")
        if fmt == "webm" and name != "vp9":
            raise WriterError(f"webm with {name} video: markcheck re-encodes VP9 only there")
        out_buffer = io.BytesIO()
        with av.open(out_buffer, "w", format=MUXERS[fmt]) as out:
            out.metadata.update(source.metadata)
            rate = video.average_rate or video.guessed_rate or Fraction(25)
            target = out.add_stream(encoder, rate=rate, options=dict(options))
            target.width, target.height = video.codec_context.width, video.codec_context.height
            target.pix_fmt = video.codec_context.pix_fmt or "yuv420p"
            target.time_base = video.time_base
            copies = {}
            for stream in source.streams:
                if stream.index != video.index and stream.type in ("audio", "subtitle"):
                    copies[stream.index] = out.add_stream_from_template(stream)
            drawn = _transcode(source, video, out, target, copies, spec, seconds)
        return out_buffer.getvalue(), drawn


def _transcode(source, video, out, target, copies, spec, seconds) -> Drawn:
    plan: Plan | None = None
    count = 0
    for packet in source.demux():
        if packet.stream.index in copies:
            if packet.dts is None:
                continue
            packet.stream = copies[packet.stream.index]
            out.mux(packet)
            continue
        if packet.stream.index != video.index:
            continue
        for frame in packet.decode():
            count += 1
            if count > MAX_FRAMES:
                raise WriterError(f"more than {MAX_FRAMES} frames")
            t = float(frame.pts * video.time_base) if frame.pts is not None else 0.0
            start = float(video.start_time * video.time_base) if video.start_time else 0.0
            image = frame.to_image()
            if plan is None:
                plan = plan_label(image, spec, min_alpha=VIDEO_MIN_ALPHA)
            if seconds <= 0 or t - start < seconds:
                image = paint(image, plan)
            new = _frame(image, frame, target)
            for encoded in target.encode(new):
                out.mux(encoded)
    for encoded in target.encode():
        out.mux(encoded)
    if plan is None:
        raise WriterError("the video has no decodable frame")
    return plan.drawn


def _frame(image: Image.Image, like, target):
    import av

    frame = av.VideoFrame.from_image(image).reformat(format=target.pix_fmt)
    frame.pts, frame.time_base = like.pts, like.time_base
    return frame
