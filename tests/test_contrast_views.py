"""The contrast views of a line: translucent light glyphs over a background half light, half
dark stand out from what lies behind them on both halves, in every view."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from label_builders import FONTS
from markcheck.detectors.contrast_views import contrast_views


def _line() -> tuple[np.ndarray, np.ndarray]:
    """A BGR line of white glyphs at 60 % over a background light on its left half (190) and
    dark on its right (50), and the mask of the glyphs as drawn."""
    size = (520, 80)
    background = np.full((size[1], size[0]), 50, dtype=np.uint8)
    background[:, : size[0] // 2] = 190
    glyphs = Image.new("L", size)
    face = ImageFont.truetype(str(FONTS["sans"]), 56)
    ImageDraw.Draw(glyphs).text((12, 8), "本图由AI生成", font=face, fill=255)
    alpha = np.asarray(glyphs, dtype=np.float32) / 255 * 0.6
    line = (background * (1 - alpha) + 255 * alpha).round().astype(np.uint8)
    return np.repeat(line[:, :, None], 3, axis=2), alpha >= 0.45


def test_translucent_glyphs_stand_out_on_light_and_dark_alike():
    crop, glyphs = _line()
    half = crop.shape[1] // 2
    sides = (np.s_[:, :half], np.s_[:, half:])

    def apart(view: np.ndarray) -> list[float]:
        """Median glyph grey less median surrounding grey, on each half."""
        grey = view[:, :, 0].astype(np.float32)
        return [
            float(np.median(grey[side][glyphs[side]]) - np.median(grey[side][~glyphs[side]]))
            for side in sides
        ]

    light_half = apart(crop)[0]
    assert 0 < light_half < 45  # as drawn, barely lighter than the light half (~1.2:1)
    clahe, hat, flat = contrast_views(crop)
    for view in (clahe, hat, flat):
        assert view.shape == crop.shape
    # Equalised and flattened, the glyphs stand further from the light half than drawn, and
    # stay lighter than the dark half.
    for view in (clahe, flat):
        left, right = apart(view)
        assert left > light_half and right > 60
    # The top-hat keeps what is lighter than its surroundings: the glyphs, dark on white, on
    # both halves alike.
    assert all(difference < -60 for difference in apart(hat))


def test_a_crop_too_small_to_hold_a_line_has_no_views():
    assert contrast_views(np.zeros((3, 40, 3), dtype=np.uint8)) == []
