"""A text line seen with its local contrast raised, for reading a label the recogniser misread.

Translucent glyphs over a photograph (white at 60 % over coins, a lit gantry, a night sky)
are as light as what lies behind parts of them: the recogniser, which sees the line as it is,
misreads those glyphs (人 as 大, AI as AT or AL). Each view brings the glyphs forward in a
different way; none is right for every line, so a misread line is read in each:

- CLAHE on the lightness: contrast equalised tile by tile, so a glyph over a light patch
  stands out as much as one over a dark patch;
- a white top-hat: what is lighter than its surroundings within a stroke's reach, dark on white
  (the glyphs of light text, the photograph's broad light areas left out);
- a high-pass: the lightness less its blur at a quarter of the line's height, which flattens
  a gradient or a lit area behind the line.
"""

from __future__ import annotations

import cv2
import numpy as np

CLAHE_LIMIT, CLAHE_TILES = 3.0, (4, 4)
HAT_SHARE = 1 / 6  # the top-hat's kernel, a share of the line's height (a stroke is ~0.1)
BLUR_SHARE = 0.25  # the high-pass's blur sigma, a share of the line's height


def contrast_views(crop: np.ndarray) -> list[np.ndarray]:
    """Views of a BGR line `crop` with its local contrast raised (BGR, the crop's size)."""
    if min(crop.shape[:2]) < 4:
        return []
    height = crop.shape[0]
    lightness = cv2.cvtColor(crop, cv2.COLOR_BGR2LAB)[:, :, 0]
    clahe = cv2.createCLAHE(CLAHE_LIMIT, CLAHE_TILES).apply(lightness)
    side = max(3, round(HAT_SHARE * height)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    hat = cv2.morphologyEx(lightness, cv2.MORPH_TOPHAT, kernel)
    hat = 255 - cv2.normalize(hat, None, 0, 255, cv2.NORM_MINMAX)
    flat = lightness.astype(np.float32) - cv2.GaussianBlur(
        lightness, (0, 0), BLUR_SHARE * height
    ).astype(np.float32)
    flat = cv2.normalize(flat, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    return [np.ascontiguousarray(cv2.cvtColor(v, cv2.COLOR_GRAY2BGR)) for v in (clahe, hat, flat)]
