"""A text line seen one colour at a time, for reading a label drawn over other text.

A label drawn across a page's line (white 人工智能生成 over black print) is read by the
recogniser as one garbled line ("> markerses p工人智能生成"): the two are interleaved in the
same rows. They differ in colour, which the recogniser does not use. Each view keeps only the
pixels of one of the line's main colours, dark on white: the label's fill alone reads as the
label, the print's colour alone as the page. A label in a colour (red, yellow) over neutral
print may share the paper's lightness, and Lab clusters then pool the two: its chroma alone
sets it apart, and a view of the line's chromatic pixels comes first.
"""

from __future__ import annotations

import cv2
import numpy as np

COLOURS = 3  # a fill, the print or background around it, and an outline or a blend
MIN_SHARE, MAX_SHARE = 0.03, 0.8  # a colour this rare is specks, this common the background
# The recogniser learnt anti-aliased glyphs: a view's hard edges are softened by a blur this
# share of the line's height (~0.6 px once the line is scaled to the recogniser's 48 px).
BLUR = 0.012
# Chroma (Lab distance from grey, 8-bit units) above which a pixel is coloured: red and yellow
# ink measure 60-90, a grey page's paper and print under 10, JPEG's colour bleed in between.
CHROMA = 30.0


def colour_views(crop: np.ndarray) -> list[np.ndarray]:
    """Views of a BGR line `crop`: its chromatic pixels, then each of its main colours, each
    view those pixels dark on white, softened (BGR, the crop's size). Views covering almost none
    or almost all of the crop are left out: neither can be a line of glyphs."""
    lab = cv2.cvtColor(crop, cv2.COLOR_BGR2LAB).reshape(-1, 3).astype(np.float32)
    if len(lab) < COLOURS * 4:
        return []
    chromatic = np.hypot(lab[:, 1] - 128, lab[:, 2] - 128) > CHROMA
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 1.0)
    cv2.setRNGSeed(7)  # the same line always gives the same views
    _, nearest, _ = cv2.kmeans(lab, COLOURS, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    masks = [chromatic] + [nearest.ravel() == k for k in range(COLOURS)]
    return [
        dark_on_white(mask.reshape(crop.shape[:2]))
        for mask in masks
        if MIN_SHARE <= mask.mean() <= MAX_SHARE
    ]


def dark_on_white(mask: np.ndarray) -> np.ndarray:
    """The pixels of `mask` dark on white, softened, as a BGR crop."""
    view = np.where(mask, 0, 255).astype(np.uint8)
    view = cv2.GaussianBlur(view, (0, 0), BLUR * mask.shape[0])
    return np.ascontiguousarray(np.repeat(view[:, :, None], 3, axis=2))
