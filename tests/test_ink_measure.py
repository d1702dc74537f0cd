"""The ink measure's glyph check on one line: where the glyphs lie against the detector's box."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from label_builders import FONTS
from markcheck.detectors.ink import _glyphs_agree


def test_glyphs_are_seen_when_the_box_s_middle_rows_start_just_above_them():
    # A box twice the text's height (the detector took in stars above the line): its middle
    # rows (30-70 %) start two rows above the glyphs' top. The glyphs, rendered with a real
    # CJK font, are still seen, and measure the line from their top to their bottom.
    face = ImageFont.truetype(str(FONTS["serif"]), 28)
    text = "此内容由人工智能生成"
    mask = Image.new("L", (300, 80))
    ImageDraw.Draw(mask).text((10, 20), text, font=face, fill=255)
    strokes = np.asarray(mask) >= 128
    rows = np.flatnonzero(strokes.any(axis=1))
    top, bottom = int(rows[0]), int(rows[-1])
    box_h = 2 * (bottom - top)
    middle = slice(top - 2, top - 2 + round(0.4 * box_h))
    assert _glyphs_agree(strokes, middle, (top, bottom), box_h) == (top, bottom)
