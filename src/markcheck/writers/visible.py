"""Draw a visible AI label on a picture (GB 45438-2025 §5.2), sized and coloured to pass.

Wording: one of the allowed forms (an AI element and a generation element, checked with the
same classifier the scan uses). Size: the INK height of the text line (what the scan measures)
is `ratio` x the shortest side; the default 7 % is the 5 % threshold plus a margin larger
than the size rule's uncertainty band (10 %) and what the measure reads anti-aliased bold
glyphs short (6-14 %, the most on a 360p video's frames: a 6 % label measured 5.6 %, at the
band's very edge), so the label passes the scan's own check with room to spare. Place: a
corner (or the middle of an edge), `margin` of the shortest side in from the edges, well
inside the band `cn.explicit.position` accepts.
Colour: white or black text, whichever contrasts more with the pixels under it; when even the
better one falls below 4.5:1 somewhere under the text (busy or mid-grey corners), a rounded
backing pill of the opposite colour is drawn, as opaque as needed to reach 4.5:1.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from markcheck.vocabulary.wording import classify_label_text
from markcheck.writers import WriterError

FONT_FILE = "MarkcheckLabelCJK-Bold.otf"
CHARS_FILE = "MarkcheckLabelCJK-Bold.chars.txt"
DEFAULT_TEXT = "AI生成"
DEFAULT_RATIO = 0.07
DEFAULT_MARGIN = 0.03
MIN_CONTRAST = 4.5
PLACES = ("bottom-right", "bottom-left", "top-right", "top-left", "top", "bottom")
BACKINGS = ("auto", "always", "never")
_ALPHAS = (0.55, 0.7, 0.85, 1.0)  # backing opacities tried, lightest first


@dataclass(frozen=True)
class VisibleSpec:
    text: str = DEFAULT_TEXT
    place: str = "bottom-right"
    ratio: float = DEFAULT_RATIO
    margin: float = DEFAULT_MARGIN
    backing: str = "auto"


@dataclass(frozen=True)
class Drawn:
    """Where and how the label was drawn (pixels of the picture as displayed)."""

    text: str
    bbox: tuple[int, int, int, int]  # ink box x, y, w, h
    ink_height: int
    colour: str  # "white" | "black"
    backing_alpha: float  # 0 when no backing pill was drawn
    contrast: float  # worst-case contrast of the text against what is behind it
    size: tuple[int, int] = (0, 0)  # the picture's width and height


@lru_cache(maxsize=1)
def _font_path() -> str:
    return str(files("markcheck.data") / "fonts" / FONT_FILE)


@lru_cache(maxsize=1)
def _covered() -> frozenset[str]:
    """Characters the bundled font draws (listed beside it by scripts/make_label_font.py)."""
    listed = files("markcheck.data") / "fonts" / CHARS_FILE
    return frozenset(listed.read_text(encoding="utf-8").rstrip("\n"))


@lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_path(), size)


def check_spec(spec: VisibleSpec) -> None:
    """Refuse a wording, place or size that could not pass (before any pixel is touched)."""
    if not classify_label_text(spec.text).is_cn_label:
        raise WriterError(
            f"visible text {spec.text!r} lacks an AI element (人工智能/AI) and a generation "
            "element (生成/合成) (GB 45438-2025 §5)"
        )
    missing = sorted(set(spec.text) - _covered())
    if missing:
        raise WriterError(f"the bundled label font has no glyph for {''.join(missing)!r}")
    if spec.place not in PLACES:
        raise WriterError(f"place must be one of {list(PLACES)}")
    if not 0.05 <= spec.ratio <= 0.3:
        raise WriterError("visible label ratio must be between 0.05 and 0.3 of the short side")
    if not 0 <= spec.margin <= 0.1:
        raise WriterError("visible label margin must be between 0 and 0.1 of the short side")
    if spec.backing not in BACKINGS:
        raise WriterError(f"backing must be one of {list(BACKINGS)}")


def fitted_font(text: str, ink_height: int) -> tuple[ImageFont.FreeTypeFont, tuple[int, ...]]:
    """The smallest font size whose ink height for `text` is at least `ink_height` px."""
    size = max(4, ink_height)
    left, top, right, bottom = _font(size).getbbox(text)
    size = max(4, round(size * ink_height / max(1, bottom - top)))
    while True:
        box = _font(size).getbbox(text)
        if box[3] - box[1] >= ink_height:
            break
        size += 1
    while size > 4:
        smaller = _font(size - 1).getbbox(text)
        if smaller[3] - smaller[1] < ink_height:
            break
        size, box = size - 1, smaller
    return _font(size), box


def _luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB values 0..255."""
    c = rgb.astype(np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def _worst_contrast(text_lum: float, behind: np.ndarray) -> float:
    lum = _luminance(behind.reshape(-1, 3))
    light, dark = np.maximum(lum, text_lum), np.minimum(lum, text_lum)
    return float(np.percentile((light + 0.05) / (dark + 0.05), 2))


def _origin(spec: VisibleSpec, size: tuple[int, int], ink_w: int, ink_h: int) -> tuple[int, int]:
    width, height = size
    margin = max(2, round(spec.margin * min(width, height)))
    row, _, column = spec.place.partition("-")
    x = {"left": margin, "right": width - ink_w - margin}.get(column, (width - ink_w) // 2)
    y = margin if row == "top" else height - ink_h - margin
    return x, y


@dataclass(frozen=True)
class Plan:
    """Everything needed to paint the label, decided once (a video paints it on many frames)."""

    drawn: Drawn
    font_size: int
    origin: tuple[int, int]  # where Pillow's text anchor goes
    pill: tuple[int, int, int, int]
    radius: int


def plan_label(image: Image.Image, spec: VisibleSpec, min_alpha: float = 0.0) -> Plan:
    """Size, place and colour the label for this picture (see the module docstring)."""
    check_spec(spec)
    width, height = image.size
    target = max(8, round(spec.ratio * min(width, height)))
    font, (left, top, right, bottom) = fitted_font(spec.text, target)
    ink_w, ink_h = right - left, bottom - top
    if ink_w + 4 > width:
        raise WriterError(f"a {ink_h}-px label {spec.text!r} does not fit a {width}-px width")
    x, y = _origin(spec, image.size, ink_w, ink_h)
    pad_x, pad_y = max(2, round(0.3 * ink_h)), max(2, round(0.22 * ink_h))
    pill = (max(0, x - pad_x), max(0, y - pad_y), min(width, x + ink_w + pad_x),
            min(height, y + ink_h + pad_y))  # fmt: skip
    rgb = np.asarray(image.convert("RGB"))
    behind = rgb[pill[1] : pill[3], pill[0] : pill[2]]
    options = {name: _worst_contrast(lum, behind) for name, lum in (("white", 1.0), ("black", 0.0))}
    colour = max(options, key=options.__getitem__)
    contrast, alpha = options[colour], 0.0
    needs = contrast < MIN_CONTRAST or min_alpha > 0
    if spec.backing == "always" or (spec.backing == "auto" and needs):
        backing_rgb = np.array([0, 0, 0] if colour == "white" else [255, 255, 255])
        text_lum = 1.0 if colour == "white" else 0.0
        for alpha in (a for a in _ALPHAS if a >= min_alpha):
            mixed = alpha * backing_rgb + (1 - alpha) * behind.astype(np.float64)
            contrast = _worst_contrast(text_lum, mixed)
            if contrast >= MIN_CONTRAST:
                break
    elif contrast < MIN_CONTRAST:
        raise WriterError(
            f"without a backing the label's contrast would be {contrast:.1f}:1 "
            f"(< {MIN_CONTRAST}:1); allow a backing pill"
        )
    drawn = Drawn(
        spec.text, (x, y, ink_w, ink_h), ink_h, colour, alpha, round(contrast, 2), image.size
    )
    return Plan(drawn, font.size, (x - left, y - top), pill, pad_y * 2)


def paint(image: Image.Image, plan: Plan, antialias: bool = True) -> Image.Image:
    """The picture with the planned label painted on it (same mode as given, RGB or RGBA).

    `antialias` False draws the glyphs in two colours only (for palette images, where the
    in-between shades of the edges would be merged into the background's colours)."""
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    if not antialias:
        draw.fontmode = "1"
    white = plan.drawn.colour == "white"
    if plan.drawn.backing_alpha:
        back = (0, 0, 0) if white else (255, 255, 255)
        fill = (*back, round(plan.drawn.backing_alpha * 255))
        draw.rounded_rectangle(plan.pill, radius=plan.radius, fill=fill)
    ink = (255, 255, 255, 255) if white else (0, 0, 0, 255)
    draw.text(plan.origin, plan.drawn.text, font=_font(plan.font_size), fill=ink)
    out = Image.alpha_composite(base, layer)
    return out if image.mode == "RGBA" else out.convert("RGB")


def draw_label(image: Image.Image, spec: VisibleSpec) -> tuple[Image.Image, Drawn]:
    """The picture with the label drawn on it (RGB or RGBA, as given), and what was drawn."""
    plan = plan_label(image, spec)
    return paint(image, plan), plan.drawn
