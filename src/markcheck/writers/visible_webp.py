"""The visible label on an animated WebP: drawn on every frame, timing, loop and metadata kept.

As on a GIF (visible_gif), the label is planned once on the first frame (what the scan
judges) and painted at the same place on every frame, over a backing at least 70 % opaque so
it stays readable whatever moves under it. Pillow gives each frame whole, composed on the
canvas as shown; they are written whole again (lossless where the source's first frame was,
else at quality 95) with their durations and the loop count, and the source's ICC profile,
EXIF and XMP (the AIGC label among them) are passed to the writer.
"""

from __future__ import annotations

import io

from PIL import Image

from markcheck.writers import WriterError
from markcheck.writers import webp as webp_writer
from markcheck.writers.visible import Drawn, VisibleSpec, paint, plan_label
from markcheck.writers.visible_gif import ANIMATION_MIN_BACKING, frames_of

WEBP_QUALITY = 95


def burn_animated_webp(data: bytes, image: Image.Image, spec: VisibleSpec) -> tuple[bytes, Drawn]:
    frames, durations = frames_of(image, "webp")
    plan = plan_label(frames[0], spec, ANIMATION_MIN_BACKING)
    painted = [paint(frame, plan) for frame in frames]
    lossless = any(kind == b"VP8L" for kind, _ in _first_frame_chunks(data))
    options: dict = {
        "save_all": True, "append_images": painted[1:], "duration": durations,
        "loop": int(image.info.get("loop", 0)),
        **({"lossless": True} if lossless else {"quality": WEBP_QUALITY}),
    }  # fmt: skip
    for key in ("icc_profile", "exif", "xmp"):
        if image.info.get(key):
            options[key] = image.info[key]
    if "background" in image.info:
        options["background"] = image.info["background"]
    out = io.BytesIO()
    try:
        painted[0].save(out, format="WEBP", **options)
    except (OSError, ValueError) as exc:
        raise WriterError(f"webp: the animation cannot be written again: {exc}") from None
    return out.getvalue(), plan.drawn


def _first_frame_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks inside the first ANMF frame of an animated WebP (VP8 or VP8L, ALPH)."""
    for kind, body in webp_writer._chunks(data):
        if kind == b"ANMF":
            return _sub_chunks(body[16:])  # 16 bytes of frame header precede its chunks
    return []


def _sub_chunks(body: bytes) -> list[tuple[bytes, bytes]]:
    chunks, at = [], 0
    while at + 8 <= len(body):
        kind, size = body[at : at + 4], int.from_bytes(body[at + 4 : at + 8], "little")
        chunks.append((kind, body[at + 8 : at + 8 + size]))
        at += 8 + size + (size & 1)
    return chunks
