"""Small embedded pictures for the HTML report: an image's thumbnail, a video's frame strip.

Thumbnails are JPEG data URIs, decoded at reduced size where the codec allows (JPEG DCT
scaling), so a report of thousands of files stays quick to make and to open.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

QUALITY = 70
MAX_SOURCE_PIXELS = 100_000_000  # larger pictures get no thumbnail rather than a long decode


@dataclass(frozen=True)
class Thumb:
    uri: str  # data:image/jpeg;base64,...
    width: int
    height: int


def encode(picture: Image.Image, max_side: int) -> Thumb:
    picture = picture.convert("RGB") if picture.mode != "RGB" else picture
    picture.thumbnail((max_side, max_side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=QUALITY, optimize=False)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Thumb(f"data:image/jpeg;base64,{data}", picture.width, picture.height)


def image_thumb(path: Path, max_side: int) -> Thumb | None:
    """The picture's first frame, at most max_side pixels on its longer side; None when it
    cannot be decoded (the report says so instead)."""
    try:
        with Image.open(path) as picture:
            if picture.width * picture.height > MAX_SOURCE_PIXELS:
                return None
            picture.draft("RGB", (max_side, max_side))  # JPEG: decode at 1/2..1/8 scale
            return encode(picture, max_side)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return None


# (path, how many frames) -> (seconds, picture) pairs. The hook through which the report gets
# video frames; the default uses markcheck.media.video when it is there.
FrameSource = Callable[[Path, int], Iterator[tuple[float, Image.Image]]]


def _decoded_frames(path: Path, count: int) -> Iterator[tuple[float, Image.Image]]:
    from markcheck.media.video import VideoError, frames, keyframes

    try:
        for frame in frames(path, until_s=0.0):  # the start frame
            yield frame.time_s, Image.fromarray(frame.pixels)
            break
        for frame in keyframes(path, after_s=0.0, every_s=1.0, limit=count - 1):
            yield frame.time_s, Image.fromarray(frame.pixels)
    except VideoError:
        return


video_frame_source: FrameSource = _decoded_frames


def video_strip(path: Path, max_side: int, count: int = 6) -> list[tuple[float, Thumb]]:
    """The start frame then sampled frames, each with its time; [] when none decode."""
    try:
        return [(at, encode(picture, max_side)) for at, picture in video_frame_source(path, count)]
    except (ImportError, OSError, ValueError):
        return []
