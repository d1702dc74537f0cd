"""The ink measure on one line: where the glyphs lie against the detector's box, and what is
not glyph ink (an outline)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from label_builders import FONTS, photo, render_label, sparkle
from markcheck.detectors.ink import _glyphs_agree
from markcheck.detectors.text import detect_text


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


@pytest.mark.parametrize("name", ["coffee", "hubble_deep_field"])
def test_black_glyphs_outlined_in_white_over_a_dark_photograph_are_measured_without_the_outline(
    tmp_path, name
):
    # The glyphs' black takes in the dark photograph around them, so only the white outline
    # stands out as a colour; it is taller than the glyphs by its width twice (+14 % as
    # drawn). The glyphs it encloses are measured.
    misses = []
    for i, (position, ratio, font) in enumerate(
        itertools.product(("top-left", "bottom-right", "right"), (0.06, 0.09), ("serif", "sans"))
    ):
        image, truth = render_label(
            photo(name, (800, 600)), "内容由AI生成", ratio, position, "dark", font
        )
        path = tmp_path / f"outlined-{i}.jpg"
        image.save(path, quality=85)
        regions, _ = detect_text(path)
        labels = [r for r in regions if r.is_label]
        assert labels, (position, ratio, font)
        error = labels[0].height_ratio / truth.height_ratio - 1
        if abs(error) > 0.06:
            misses.append((position, ratio, font, round(error, 3)))
    assert not misses


def _line_mask(text: str, mark: float = 0.0, font: str = "serif") -> tuple[np.ndarray, int, int]:
    """`text` drawn 40 px high (the glyphs' own ink rows returned) with, where `mark` is set,
    a sparkle `mark` x that height centred on the line a third of it before the text."""
    face = ImageFont.truetype(str(FONTS[font]), 40)
    left = 50 if mark else 5
    mask = Image.new("L", (round(left + 10 + face.getlength(text)), 120))
    draw = ImageDraw.Draw(mask)
    draw.text((left, 30), text, font=face, fill=255)
    rows = np.flatnonzero((np.asarray(mask) >= 128).any(axis=1))
    top, bottom = int(rows[0]), int(rows[-1])
    if mark:
        radius, cy = mark * (bottom - top + 1) / 2, (top + bottom) / 2
        cx = 50 - (bottom - top) / 3 - radius
        draw.polygon(sparkle(cx, cy, radius), fill=255)
    return np.asarray(mask) >= 128, top, bottom


def test_a_mark_before_the_glyphs_is_not_their_height():
    # A sparkle 1.3x the glyphs' height before 本图由AI生成 reaches past them both ways: the
    # glyphs alone are the line. Measured across a column (marks=False), every part counts.
    strokes, top, bottom = _line_mask("本图由AI生成", mark=1.3)
    rows = np.flatnonzero(strokes.any(axis=1))
    run = (int(rows[0]), int(rows[-1]))
    assert run[0] < top - 3 and run[1] > bottom + 3  # the mark as drawn reaches past them
    middle = slice(top + 12, bottom - 12)
    assert _glyphs_agree(strokes, middle, run, 60) == (top, bottom)
    assert _glyphs_agree(strokes, middle, run, 60, marks=False) == run


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("AI生", "an ideograph beside AI alone is the line's height"),
        ("AI生成", "an end ideograph in line with its neighbour"),
    ],
)
def test_an_end_glyph_that_is_text_stays(text, why):
    strokes, top, bottom = _line_mask(text, font="kai")
    middle = slice(top + 12, bottom - 12)
    assert _glyphs_agree(strokes, middle, (top, bottom), 60) == (top, bottom), why
