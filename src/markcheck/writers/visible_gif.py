"""The visible label on a GIF: drawn on every frame, durations and loop count kept.

The label is planned once on the first frame (what the scan judges) and painted at the same
place on every frame; an animation gets a backing at least 70 % opaque so the label stays
readable whatever moves under it (as on video). Each frame is quantised again to its own
palette without dithering (dither would speckle the strokes). The glyphs are drawn without
anti-aliasing (a palette would merge their in-between edge shades into the background's
colours and the label would measure smaller than drawn), and the palette entry the text
ink fell into is set to the exact ink colour (and the pill's when it is opaque), so the label
keeps full contrast. Frames with transparency are left to Pillow's quantiser, which keeps the
transparent index. The source's XMP application extension and comment are carried over.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from markcheck.writers import gif as gif_writer
from markcheck.writers.animation import ANIMATION_MIN_BACKING, frames_of
from markcheck.writers.visible import Drawn, Plan, VisibleSpec, paint, plan_label


def _pin(palette: list[int], used: np.ndarray, colour: tuple[int, int, int]) -> None:
    """Set the used palette entry nearest to `colour` to exactly `colour`."""
    entries = np.array(palette[: 3 * 256], dtype=np.int64).reshape(-1, 3)
    candidates = np.flatnonzero(used[: len(entries)])
    distance = ((entries[candidates] - np.array(colour)) ** 2).sum(axis=1)
    index = int(candidates[int(np.argmin(distance))])
    palette[3 * index : 3 * index + 3] = list(colour)


def _quantise(frame: Image.Image, plan: Plan) -> Image.Image:
    white = plan.drawn.colour == "white"
    quantised = frame.convert("RGB").quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    palette = quantised.getpalette() or []
    used = np.bincount(np.asarray(quantised).ravel(), minlength=256) > 0
    _pin(palette, used, (255, 255, 255) if white else (0, 0, 0))
    if plan.drawn.backing_alpha >= 1.0:
        _pin(palette, used, (0, 0, 0) if white else (255, 255, 255))
    quantised.putpalette(palette)
    return quantised


def _graft_xmp(source: bytes, new: bytes) -> bytes:
    """The source's XMP application extension, right after the new file's header."""
    _, blocks = gif_writer._blocks(source)
    xmp = [source[s:e] for s, e, is_xmp in blocks if is_xmp]
    if not xmp:
        return new
    head, _ = gif_writer._blocks(new)
    return b"GIF89a" + new[6:head] + b"".join(xmp) + new[head:]


def burn_gif(data: bytes, image: Image.Image, spec: VisibleSpec) -> tuple[bytes, Drawn]:
    loop = image.info.get("loop")
    comment = image.info.get("comment")
    frames, durations = frames_of(image, "gif")
    animated = len(frames) > 1
    plan = plan_label(frames[0], spec, ANIMATION_MIN_BACKING if animated else 0.0)
    transparent = any(f.getextrema()[3][0] < 255 for f in frames)
    painted = [paint(f, plan, antialias=False) for f in frames]
    out_frames = painted if transparent else [_quantise(f, plan) for f in painted]
    options: dict = {"save_all": True, "append_images": out_frames[1:], "optimize": False}
    if animated or durations[0]:
        options["duration"] = durations if animated else durations[0]
    if loop is not None:
        options["loop"] = loop
    if comment:
        options["comment"] = comment
    if transparent:
        options["disposal"] = 2  # each frame is whole: clear before the next
    out = io.BytesIO()
    out_frames[0].save(out, format="GIF", **options)
    return _graft_xmp(data, out.getvalue()), plan.drawn
