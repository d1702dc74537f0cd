"""Small pictures of each file for the HTML report: an image's thumbnail; a video's start
frame and a strip of frames with their times.

Made in the worker that judged the file, under the same time and memory budget (so a hostile
file costs a preview, never the scan), and only when an HTML report is asked for. Pictures are
oriented as displayed, like the pixels the text boxes were found on, and decoded at reduced
size where the codec allows (JPEG DCT scaling).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from markcheck.model import Preview, TextRegion, Thumb
from markcheck.scan_options import PREVIEW_MAX_SIDE

QUALITY = 70
# The strip covers the span the start-label rules judge (the first 2 s and a little more),
# then a few key frames beyond it, so a reviewer sees the label stay and the content go on.
START_TIMES = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5)
LATER_FRAMES = 3
CLOSEUPS = 4  # labels shown at full resolution, per file
CLOSEUP_MAX_SIDE = 1200  # a close-up's longer side at most (a reviewer checks a 4 % label)


def preview_side(count: int) -> int:
    """Thumbnails shrink as scans grow, so the report stays a size a browser opens easily."""
    if count <= 1000:
        return PREVIEW_MAX_SIDE
    if count <= 5000:
        return 200
    return 120


def encode(pixels: np.ndarray, max_side: int) -> Thumb:
    """A JPEG data URI of RGB pixels, at most max_side pixels on the longer side."""
    picture = Image.fromarray(pixels)
    picture.thumbnail((max_side, max_side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=QUALITY)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Thumb(f"data:image/jpeg;base64,{data}", picture.width, picture.height)


def image_preview(path: Path, max_side: int, regions: Sequence[TextRegion] = ()) -> Preview:
    from markcheck.media.image import ImageDecodeError, load_image

    try:
        decoded = load_image(path, min_short_side=max_side)
    except ImageDecodeError as exc:
        return Preview(problem=str(exc))
    preview = Preview(thumb=encode(decoded.pixels, max_side))
    labels = [(i, r) for i, r in enumerate(regions) if r.is_label][:CLOSEUPS]
    if labels:
        # A label's close-up is cut from the picture at full resolution, decoded again only
        # when the thumbnail's decode was reduced (a JPEG decoded from its DCT at 1/2..1/8).
        pixels, scale = decoded.finest()
        if scale < 1:
            try:
                pixels, scale = load_image(path, min_short_side=10**9).finest()
            except ImageDecodeError:
                return preview
        preview.closeups = [(i, closeup(pixels, scale, r.bbox)) for i, r in labels]
    return preview


def closeup(pixels: np.ndarray, scale: float, bbox: Sequence[int]) -> Thumb:
    """The label's box with a margin of half its height, at full resolution (capped)."""
    x, y, w, h = (round(v * scale) for v in bbox)
    pad = max(4, h // 2)
    height, width = pixels.shape[:2]
    crop = pixels[
        max(0, y - pad) : min(height, y + h + pad), max(0, x - pad) : min(width, x + w + pad)
    ]
    return encode(np.ascontiguousarray(crop), CLOSEUP_MAX_SIDE)


def _strip_frames(path: Path) -> Iterator[tuple[float, np.ndarray]]:
    """The frame shown at each of START_TIMES, then a few later key frames."""
    from markcheck.media.video import frames, keyframes

    wanted = list(START_TIMES)
    # A little past the last time: the frame shown then may start just after it.
    for frame in frames(path, until_s=START_TIMES[-1] + 0.25):
        if not wanted:
            break
        if frame.time_s >= wanted[0] - 1e-3:
            yield frame.time_s, frame.pixels
            while wanted and frame.time_s >= wanted[0] - 1e-3:
                wanted.pop(0)
    for frame in keyframes(path, after_s=START_TIMES[-1] + 0.25, every_s=1.0, limit=LATER_FRAMES):
        yield frame.time_s, frame.pixels


def video_preview(path: Path, max_side: int) -> Preview:
    from markcheck.media.video import VideoError

    strip: list[tuple[float, Thumb]] = []
    try:
        for at, pixels in _strip_frames(path):
            strip.append((round(at, 3), encode(pixels, max_side)))
    except VideoError as exc:
        if not strip:
            return Preview(problem=str(exc))
    if not strip:
        return Preview(problem="no frame could be decoded")
    return Preview(thumb=strip[0][1], frames=strip)


def make_preview(
    path: Path, kind: str, max_side: int, regions: Sequence[TextRegion] = ()
) -> Preview:
    """The file's preview; a Preview with a `problem` when its pixels cannot be shown."""
    if kind == "video":
        return video_preview(path, max_side)
    if kind == "image":
        return image_preview(path, max_side, regions)
    return Preview(problem=f"no preview for {kind} files")
