"""The em a line's width allows, from the characters read on it."""

from __future__ import annotations

import pytest
from PIL import ImageFont

from label_builders import FONTS
from markcheck.detectors.advance import em_from_width


@pytest.mark.parametrize("font", sorted(FONTS))
@pytest.mark.parametrize("text", ["AI生成", "此内容由人工智能生成", "本图由AI生成", "豆包AI生成"])
def test_the_width_of_a_rendered_label_bounds_its_glyphs_height(font, text):
    face = ImageFont.truetype(str(FONTS[font]), 100)
    left, top, right, bottom = face.getbbox(text)
    em = em_from_width(text, face.getlength(text))
    assert em is not None
    # The glyphs' ink is no taller than the em the width allows (with 10 % to spare), and the
    # em is not far off the font's own size.
    assert bottom - top <= 1.1 * em
    assert 80 <= em <= 125


def test_a_mostly_latin_line_gives_no_em():
    assert em_from_width("AI-generated", 500) is None
    assert em_from_width("AI生", 500) is None
