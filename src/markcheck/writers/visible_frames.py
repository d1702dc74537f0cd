"""The visible label on an animated WebP or PNG (APNG): drawn on every frame, timing, loop
and metadata kept.

As on a GIF (visible_gif), the label is planned once on the first frame (what the scan
judges) and painted at the same place on every frame, over a backing at least 70 % opaque so
it stays readable whatever moves under it. Pillow gives each frame whole, composed as shown;
they are written whole again with their durations and the loop count. WebP: lossless where
the source's first frame was, else at quality 95, the source's ICC profile, EXIF and XMP
passed to the writer. PNG: lossless, the source's text, colour and physical chunks grafted
on as for a still PNG (reencode), and each frame replaces the one before.
"""

from __future__ import annotations

import io

from PIL import Image

from markcheck.writers import WriterError
from markcheck.writers import webp as webp_writer
from markcheck.writers.animation import ANIMATION_MIN_BACKING, frames_of
from markcheck.writers.reencode import graft_png_meta, webp_encoding
from markcheck.writers.visible import Drawn, VisibleSpec, paint, plan_label


def burn_animation(
    data: bytes, image: Image.Image, spec: VisibleSpec, fmt: str
) -> tuple[bytes, Drawn]:
    """`data` (an animated `fmt`, "webp" or "png", opened as `image`) with the label drawn on
    every frame, and what was drawn."""
    frames, durations = frames_of(image, fmt)
    plan = plan_label(frames[0], spec, ANIMATION_MIN_BACKING)
    painted = [paint(frame, plan) for frame in frames]
    if fmt == "png" and all(frame.getextrema()[3][0] == 255 for frame in painted):
        painted = [frame.convert("RGB") for frame in painted]  # no alpha to keep
    options: dict = {
        "save_all": True, "append_images": painted[1:], "duration": durations,
        "loop": int(image.info.get("loop", 0)),
    }  # fmt: skip
    if fmt == "webp":
        options.update(webp_encoding(_first_frame_chunks(data)))
        options.update({k: image.info[k] for k in ("icc_profile", "exif", "xmp", "background")
                        if image.info.get(k) is not None})  # fmt: skip
    else:  # each frame whole: shown as it is, replacing the one before
        options.update(disposal=0, blend=0)
    out = io.BytesIO()
    try:
        painted[0].save(out, format=fmt.upper(), **options)
    except (OSError, ValueError) as exc:
        raise WriterError(f"{fmt}: the animation cannot be written again: {exc}") from None
    if fmt == "png":
        return graft_png_meta(data, out.getvalue()), plan.drawn
    return out.getvalue(), plan.drawn


def _first_frame_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks inside the first ANMF frame of an animated WebP (VP8 or VP8L, ALPH)."""
    for kind, body in webp_writer._chunks(data):
        if kind == b"ANMF":  # 16 bytes of frame header precede its chunks
            return webp_writer.chunks_within(body, 16, len(body))
    return []
