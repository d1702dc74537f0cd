"""Render visible labels on real photographs with a real CJK font, with their ground truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PHOTOS = Path(__file__).parent / "data" / "photos"
PHOTO_NAMES = ("coffee", "astronaut", "chelsea", "rocket", "hubble_deep_field")
POSITIONS = ("top-left", "top", "top-right", "left", "center", "right",
             "bottom-left", "bottom", "bottom-right")  # fmt: skip
STYLES = ("light", "dark", "box", "translucent")


@dataclass(frozen=True)
class Truth:
    text: str
    bbox: tuple[int, int, int, int]  # ink box of the rendered text, original pixels
    ink_height: int
    height_ratio: float
    position: str


def photo(name: str, size: tuple[int, int]) -> Image.Image:
    return Image.open(PHOTOS / f"{name}.jpg").convert("RGB").resize(size, Image.Resampling.BICUBIC)


# Outlined styles: glyph fill and outline colour (RGBA).
OUTLINED = {
    "light": ((255, 255, 255, 255), (0, 0, 0, 255)),
    "dark": ((10, 10, 10, 255), (250, 250, 250, 255)),
    "translucent": ((255, 255, 255, 150), (0, 0, 0, 150)),
}


def render_label(
    image: Image.Image,
    text: str = "AI生成",
    ratio: float = 0.05,
    position: str = "bottom-right",
    style: str = "light",
) -> tuple[Image.Image, Truth]:
    """Draw `text` with ink height `ratio` x the shortest side at a nine-way `position`."""
    width, height = image.size
    target = max(4, round(ratio * min(width, height)))
    font = ImageFont.truetype(str(FONT), target)
    # Scale the font so the INK height (not the font size) is the target.
    stroke = 0 if style == "box" else max(1, target // 14)  # outline width, part of the ink
    left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
    font = ImageFont.truetype(str(FONT), max(4, round(target * target / (bottom - top))))
    left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
    ink_w, ink_h = right - left, bottom - top
    margin = round(0.03 * min(width, height))
    column = position.split("-")[-1] if "-" in position else position
    row = position.split("-")[0] if "-" in position else position
    x = {"left": margin, "right": width - ink_w - margin}.get(column, (width - ink_w) // 2)
    y = {"top": margin, "bottom": height - ink_h - margin}.get(row, (height - ink_h) // 2)
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    origin = (x - left, y - top)
    if style == "box":
        pad = max(2, ink_h // 4)
        draw.rectangle((x - pad, y - pad, x + ink_w + pad, y + ink_h + pad), fill=(0, 0, 0, 170))
        draw.text(origin, text, font=font, fill=(255, 255, 255, 255))
    else:
        fill, outline = OUTLINED[style]
        draw.text(origin, text, font=font, fill=fill, stroke_width=stroke, stroke_fill=outline)
    out = Image.alpha_composite(base, layer).convert("RGB")
    truth = Truth(text, (x, y, ink_w, ink_h), ink_h, ink_h / min(width, height), position)
    return out, truth


def draw_distractor(
    image: Image.Image, text: str, ratio: float, xy: tuple[int, int]
) -> Image.Image:
    """Caption, photographer credit or date text that is not an AI label."""
    out = image.copy()
    font = ImageFont.truetype(str(FONT), max(6, round(ratio * min(image.size))))
    ImageDraw.Draw(out).text(
        xy, text, font=font, fill=(255, 255, 255), stroke_width=1, stroke_fill=(0, 0, 0)
    )
    return out
