"""Render visible labels on real photographs with real CJK fonts, with their ground truth.

The truth is taken from how the label was drawn: the ink box of the glyphs' own fill, found on
a mask rendered with the same font at the same place (an outline, a shadow, a backing box or a
pill around the text is not text height).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONTS = {  # Debian packages fonts-wqy-zenhei, fonts-arphic-uming, fonts-arphic-ukai
    "sans": FONT,
    "serif": Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    "kai": Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
}
# Faces and wordings the labelled sets are not drawn in (Debian fonts-noto-cjk), for measuring
# the detector on labels unlike those it was tuned on (`bench_visible_label.py --faces other`)
# and for the cases they showed.
OTHER_FONTS = {
    "sans": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "serif": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    "kai": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"),
}
PHOTOS = Path(__file__).parent / "data" / "photos"
PHOTO_NAMES = ("coffee", "astronaut", "chelsea", "rocket", "hubble_deep_field")
# Busy scenes: foliage, rocks, brick, a street scene, a printed page full of text.
BUSY_PHOTOS = ("grass", "gravel", "brick", "motorcycle_left", "page", "camera", "coins")
ALL_PHOTOS = PHOTO_NAMES + BUSY_PHOTOS
POSITIONS = (
    "top-left",
    "top",
    "top-right",
    "left",
    "center",
    "right",
    "bottom-left",
    "bottom",
    "bottom-right",
)
STYLES = ("light", "dark", "box", "translucent")
# Every style the labelled set draws (STYLES are the first four).
ALL_STYLES = STYLES + (
    "plain",
    "shadow",
    "pill",
    "translucent-pill",
    "translucent-text",
    "coloured",
    "light-on-light",
    "bold",
)
# Grayscale sources get a plausible colour (green foliage, brown rocks).
_TINTS = {"grass": (0.55, 0.9, 0.45), "gravel": (0.95, 0.82, 0.68), "brick": (1.0, 0.7, 0.6)}


@dataclass(frozen=True)
class Truth:
    text: str
    bbox: tuple[int, int, int, int]  # ink box of the glyphs' fill, original pixels
    ink_height: int
    height_ratio: float
    position: str
    style: str = "light"
    font: str = "sans"


def photo(name: str | Path, size: tuple[int, int]) -> Image.Image:
    """One of the project's photographs by name (or any picture by its path), at `size`."""
    source = name if isinstance(name, Path) else PHOTOS / f"{name}.jpg"
    image = Image.open(source).convert("RGB")
    if name in _TINTS:
        rgb = np.asarray(image, dtype=np.float32) * np.array(_TINTS[name], dtype=np.float32)
        image = Image.fromarray(rgb.clip(0, 255).astype(np.uint8))
    return image.resize(size, Image.Resampling.BICUBIC)


# Outlined styles: glyph fill and outline colour (RGBA).
OUTLINED = {
    "light": ((255, 255, 255, 255), (0, 0, 0, 255)),
    "dark": ((10, 10, 10, 255), (250, 250, 250, 255)),
    "translucent": ((255, 255, 255, 150), (0, 0, 0, 150)),
}


def _ink_box(font: ImageFont.FreeTypeFont, text: str, stroke: int) -> tuple[int, int, int, int]:
    """The ink box (left, top, right, bottom) of `text` drawn at the origin, from its mask."""
    left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
    pad = 4 + stroke
    mask = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
    ImageDraw.Draw(mask).text(
        (pad - left, pad - top), text, font=font, fill=255, stroke_width=stroke, stroke_fill=255
    )
    ys, xs = np.nonzero(np.asarray(mask) >= 128)
    return (
        int(xs.min()) - pad + left,
        int(ys.min()) - pad + top,
        int(xs.max()) + 1 - pad + left,
        int(ys.max()) + 1 - pad + top,
    )


def _fitted_face(font: Path, text: str, target: int, stroke: int = 0) -> ImageFont.FreeTypeFont:
    """`font` at the size whose ink of `text` (drawn with a `stroke` of its colour) is
    `target` px high."""
    face = ImageFont.truetype(str(font), target)
    for _ in range(3):  # the ink is not the font size: scale by what it came out at
        left, top, right, bottom = _ink_box(face, text, stroke)
        face = ImageFont.truetype(str(font), max(4, round(face.size * target / (bottom - top))))
    return face


def _local_luminance(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    crop = np.asarray(image.crop(box).convert("L"), dtype=np.float32)
    return float(crop.mean()) if crop.size else 128.0


def render_label(
    image: Image.Image,
    text: str = "AI生成",
    ratio: float = 0.05,
    position: str = "bottom-right",
    style: str = "light",
    font: str = "sans",
    margin: float = 0.03,
    fonts: dict[str, Path] = FONTS,
) -> tuple[Image.Image, Truth]:
    """Draw `text` with glyph ink height `ratio` x the shortest side at a nine-way `position`.

    `margin` is the gap to the picture's edges as a share of the shortest side; `font` names
    one of `fonts`.
    """
    width, height = image.size
    short = min(width, height)
    target = max(4, round(ratio * short))
    bold = max(1, target // 18) if style == "bold" else 0  # same-colour stroke: part of the ink
    outline = max(1, target // 14) if style in OUTLINED else 0
    face = _fitted_face(fonts[font], text, target, bold)
    left, top, right, bottom = _ink_box(face, text, bold)
    ink_w, ink_h = right - left, bottom - top
    gap = (
        round(margin * short)
        + outline
        + (max(2, ink_h // 3) if "pill" in style or style == "box" else 0)
    )
    column = position.split("-")[-1] if "-" in position else position
    row = position.split("-")[0] if "-" in position else position
    x = {"left": gap, "right": width - ink_w - gap}.get(column, (width - ink_w) // 2)
    y = {"top": gap, "bottom": height - ink_h - gap}.get(row, (height - ink_h) // 2)
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    origin = (x - left, y - top)
    pad = max(2, ink_h // 3)
    backing = (x - pad, y - pad, x + ink_w + pad, y + ink_h + pad)
    if style in OUTLINED:
        fill, line = OUTLINED[style]
        draw.text(origin, text, font=face, fill=fill, stroke_width=outline, stroke_fill=line)
    elif style == "box":
        draw.rectangle(backing, fill=(0, 0, 0, 170))
        draw.text(origin, text, font=face, fill=(255, 255, 255, 255))
    elif style in ("pill", "translucent-pill"):
        light = style == "pill"
        draw.rounded_rectangle(
            backing,
            radius=(ink_h + 2 * pad) // 2,
            fill=(250, 250, 250, 235) if light else (20, 20, 20, 120),
        )
        draw.text(
            origin, text, font=face, fill=(30, 30, 30, 255) if light else (255, 255, 255, 230)
        )
    else:
        around = _local_luminance(image, backing)
        white, black = (255, 255, 255), (15, 15, 15)
        ink = white if around < 128 else black
        if style == "shadow":
            offset = max(1, ink_h // 12)
            shadow = Image.new("RGBA", base.size, (0, 0, 0, 0))
            ImageDraw.Draw(shadow).text(
                (origin[0] + offset, origin[1] + offset), text, font=face, fill=(0, 0, 0, 200)
            )
            layer = shadow.filter(ImageFilter.GaussianBlur(max(1, offset // 2)))
            draw = ImageDraw.Draw(layer)
            ink = white
        elif style == "coloured":
            ink = (255, 215, 0) if around < 128 else (200, 20, 30)
        elif style == "light-on-light":  # about 2.5:1 against a light background
            base = Image.alpha_composite(base, _flat(base.size, backing, (225, 225, 225, 255)))
            ink = (120, 120, 120)
        alpha = 160 if style == "translucent-text" else 255
        draw.text(
            origin,
            text,
            font=face,
            fill=(*ink, alpha),
            stroke_width=bold,
            stroke_fill=(*ink, alpha),
        )
    out = Image.alpha_composite(base, layer).convert("RGB")
    truth = Truth(text, (x, y, ink_w, ink_h), ink_h, ink_h / short, position, style, font)
    return out, truth


def line_masks() -> tuple[np.ndarray, np.ndarray]:
    """A line of print ("markers = np.zeros") and a label drawn across it (人工智能生成), both
    40 px, as masks of a 480x60 crop: the picture a view of one line is tried on."""
    size = (480, 60)
    print_mask, label_mask = Image.new("L", size, 0), Image.new("L", size, 0)
    font = ImageFont.truetype(str(FONT), 40)
    ImageDraw.Draw(print_mask).text((4, 8), "markers = np.zeros", font=font, fill=255)
    ImageDraw.Draw(label_mask).text((150, 10), "人工智能生成", font=font, fill=255)
    return np.asarray(print_mask) > 127, np.asarray(label_mask) > 127


def _flat(size, box, colour) -> Image.Image:
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(layer).rectangle(box, fill=colour)
    return layer


def render_column(
    image: Image.Image,
    text: str = "AI生成",
    ratio: float = 0.07,
    side: str = "right",
    style: str = "light",
    font: str = "sans",
    pitch: float = 1.1,
    margin: float = 0.03,
) -> tuple[Image.Image, Truth]:
    """Draw `text` as a column of upright glyphs down one `side` (left or right), centred on
    it, each glyph in its own square `pitch` x the font's size apart. Its ideographs' tallest
    ink is `ratio` x the shortest side (each glyph's ink from its own mask). `style`: "light"
    (white, outlined in black), "box" (white on a dark box) or "plain" (white or black)."""
    width, height = image.size
    short = min(width, height)
    target = max(4, round(ratio * short))
    ideographs = [c for c in text if "\u4e00" <= c <= "\u9fff"] or list(text)

    def tallest_ink(face: ImageFont.FreeTypeFont) -> int:
        boxes = [_ink_box(face, c, 0) for c in ideographs]
        return max(bottom - top for _, top, _, bottom in boxes)

    face = ImageFont.truetype(str(FONTS[font]), target)
    for _ in range(3):  # scale the font so the tallest ideograph's ink is the target
        face = ImageFont.truetype(
            str(FONTS[font]), max(4, round(face.size * target / tallest_ink(face)))
        )
    tallest = tallest_ink(face)
    step = round(pitch * face.size)
    extent = step * len(text)
    x = round(margin * short) if side == "left" else width - round(margin * short) - face.size
    y = (height - extent) // 2
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    if style == "box":
        pad = face.size // 5
        draw.rectangle((x - pad, y - pad, x + face.size + pad, y + extent), fill=(0, 0, 0, 170))
    column = (x, y, x + face.size, y + extent)
    dark = style == "plain" and _local_luminance(image, column) >= 128
    ink = (15, 15, 15) if dark else (255, 255, 255)
    outline = {"stroke_width": max(1, target // 14), "stroke_fill": (0, 0, 0)}
    if style != "light":
        outline = {}
    for i, char in enumerate(text):
        left, _, right, _ = face.getbbox(char)
        centred = x + (face.size - (right - left)) // 2 - left
        draw.text((centred, y + i * step), char, font=face, fill=ink, **outline)
    out = Image.alpha_composite(base, layer).convert("RGB")
    truth = Truth(text, (x, y, face.size, extent), tallest, tallest / short, side, style, font)
    return out, truth


def render_turned(
    image: Image.Image,
    text: str = "内容由AI生成",
    ratio: float = 0.07,
    side: str = "right",
    turn: int = 90,
    font: str = "sans",
    margin: float = 0.03,
) -> tuple[Image.Image, Truth]:
    """Draw `text` as a line turned `turn` degrees (90: reading up, 270: reading down), white
    outlined in black, centred down one `side`. Its glyphs' ink height (across the picture,
    once turned) is `ratio` x the shortest side."""
    width, height = image.size
    short = min(width, height)
    target = max(4, round(ratio * short))
    outline = max(1, target // 14)
    face = _fitted_face(FONTS[font], text, target)
    left, top, right, bottom = _ink_box(face, text, 0)
    ink_w, ink_h = right - left, bottom - top
    pad = 2 * outline + 2
    line = Image.new("RGBA", (ink_w + 2 * pad, ink_h + 2 * pad), (0, 0, 0, 0))
    ImageDraw.Draw(line).text((pad - left, pad - top), text, font=face, fill=(255, 255, 255, 255),
                              stroke_width=outline, stroke_fill=(0, 0, 0, 255))  # fmt: skip
    turned = line.rotate(turn, expand=True)
    gap = round(margin * short)
    x = gap if side == "left" else width - turned.width - gap
    y = (height - turned.height) // 2
    base = image.convert("RGBA")
    base.alpha_composite(turned, (x, y))
    box = (x + pad, y + pad, ink_h, ink_w)  # the glyphs' fill, turned: ink_h wide, ink_w tall
    truth = Truth(text, box, ink_h, ink_h / short, side, "light", font)
    return base.convert("RGB"), truth


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


def draw_mark(
    image: Image.Image,
    truth: Truth,
    scale: float = 1.3,
    fill: tuple[int, int, int] = (255, 255, 255),
    line: tuple[int, int, int] | None = (0, 0, 0),
    shape: str = "sparkle",
) -> Image.Image:
    """A mark `scale` x the label's ink height, centred on its line and a third of that
    height before its first glyph, in the glyphs' colours, as generators set one before
    "AI生成": a four-pointed sparkle, or an info sign (a ring around an i). The label's truth
    is unchanged: the mark is not text."""
    x, y, _, ink_h = truth.bbox
    radius = scale * ink_h / 2
    cx, cy = x - ink_h / 3 - radius, y + ink_h / 2
    out = image.copy()
    draw = ImageDraw.Draw(out)
    width = max(1, ink_h // 14) if line else 0
    if shape == "info":
        ring = max(2, ink_h // 9)
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=fill, width=ring)
        draw.rectangle((cx - ring / 2, cy - 0.15 * radius, cx + ring / 2, cy + 0.5 * radius), fill)
        dot = cy - 0.5 * radius
        draw.ellipse((cx - ring / 2, dot, cx + ring / 2, dot + ring), fill)
        return out
    draw.polygon(sparkle(cx, cy, radius), fill=fill, outline=line, width=width)
    return out


def sparkle(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    """The corners of a four-pointed sparkle `radius` from its centre to each point."""
    return [
        (
            cx + (radius if k % 2 == 0 else 0.3 * radius) * np.cos(np.pi / 4 * k),
            cy + (radius if k % 2 == 0 else 0.3 * radius) * np.sin(np.pi / 4 * k),
        )
        for k in range(8)
    ]


# ---- the labelled set: varied pictures, labels, styles, fonts, sizes and JPEG qualities ----

LABEL_TEXTS = (
    "AI生成",
    "人工智能生成",
    "由AI生成",
    "AI合成",
    "内容由AI生成",
    "本图由AI生成",
    "豆包AI生成",
    "此内容由人工智能生成",
)
SIZES = (
    (512, 512),
    (800, 600),
    (1024, 1024),
    (1280, 720),
    (1920, 1080),
    (1080, 1920),
    (2048, 2048),
    (4000, 3000),
)
OTHER_TEXTS = (
    "AI生成内容",
    "由人工智能合成",
    "该内容由AI生成",
    "AI合成图片",
    "可灵AI生成",
    "即梦AI生成",
    "AI生成",
    "本作品由AI生成",
)
CAPTIONS = ("摄影：张三", "2025-06-01 14:32", "Photo by Jane Doe", "限时优惠 全场五折", "EXIT")


@dataclass(frozen=True)
class Case:
    path: Path
    truth: Truth
    size: tuple[int, int]
    quality: int
    photo: str = ""


def labelled_set(
    folder: Path,
    count: int,
    seed: int = 11,
    ratios=(0.02, 0.12),
    sizes=SIZES,
    edge_only: bool = True,
    fonts: dict[str, Path] = FONTS,
    texts: tuple[str, ...] = LABEL_TEXTS,
    photos: tuple[str | Path, ...] = ALL_PHOTOS,
    enlarge: float = 1.0,
) -> list[Case]:
    """`count` labelled JPEGs: a label of a random style, font, wording and size at an edge or
    corner (or anywhere, without `edge_only`), plus an unrelated caption on most pictures.
    `fonts` and `texts`: the faces and wordings drawn (OTHER_FONTS, OTHER_TEXTS); `photos`:
    the pictures drawn on (the project's by name, or any by path); `enlarge`: each picture is
    drawn that many times smaller, then enlarged bicubically to its size (a platform's upscale
    of a labelled output; the label's share of the picture stays)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    positions = [p for p in POSITIONS if p != "center"] if edge_only else list(POSITIONS)
    cases = []
    for i in range(count):
        size = final = sizes[i % len(sizes)]
        if enlarge != 1.0:
            size = (round(final[0] / enlarge), round(final[1] / enlarge))
        name = photos[rng.randrange(len(photos))]
        picture = photo(name, size)
        position = rng.choice(positions)
        ratio = rng.uniform(*ratios)
        style = ALL_STYLES[i % len(ALL_STYLES)]
        font = ("sans", "serif", "kai")[rng.randrange(3)]
        if rng.random() < 0.7:  # other text on the picture, away from the label
            caption_row = 0.45 if "bottom" in position or "top" in position else 0.1
            picture = draw_distractor(
                picture,
                rng.choice(CAPTIONS),
                rng.uniform(0.025, 0.06),
                (round(0.3 * size[0]), round(caption_row * size[1])),
            )
        drawn, margin = rng.choice(texts), rng.uniform(0.01, 0.05)
        # A label is wholly on the picture: a text too long for it at this height gives way
        # to the longest one that fits.
        shorter = sorted((t for t in texts if len(t) < len(drawn)), key=len, reverse=True)
        for text in [drawn, *shorter]:
            image, truth = render_label(picture, text, ratio, position, style, font, margin, fonts)
            x, _, w, _ = truth.bbox
            if x >= 0 and x + w <= size[0]:
                break
        if size != final:
            image = image.resize(final, Image.BICUBIC)
            x, y, w, h = truth.bbox
            factor = final[0] / size[0]
            truth = replace(
                truth,
                bbox=(round(x * factor), round(y * factor), round(w * factor), round(h * factor)),
                ink_height=round(truth.ink_height * factor),
            )
        quality = rng.randrange(70, 96)
        path = folder / f"case-{i:03d}-{style}-{font}.jpg"
        image.save(path, quality=quality)
        cases.append(Case(path, truth, final, quality, Path(name).stem))
    return cases


def unlabelled_set(
    folder: Path,
    count: int,
    seed: int = 13,
    sizes=SIZES,
    photos: tuple[str | Path, ...] = ALL_PHOTOS,
) -> list[Path]:
    """`count` JPEGs without any AI label: the labelled set's photographs and sizes, most with
    one or two captions anywhere on the picture, edges included (what most folders hold)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        size = sizes[i % len(sizes)]
        name = photos[rng.randrange(len(photos))]
        picture = photo(name, size)
        for _ in range(rng.choice((0, 1, 1, 2))):
            xy = (round(rng.uniform(0.0, 0.6) * size[0]), round(rng.uniform(0.0, 0.92) * size[1]))
            picture = draw_distractor(picture, rng.choice(CAPTIONS), rng.uniform(0.025, 0.07), xy)
        path = folder / f"plain-{i:03d}-{Path(name).stem}.jpg"
        picture.save(path, quality=rng.randrange(70, 96))
        paths.append(path)
    return paths
