"""A text line seen by its crisp strokes, for reading a label drawn over softer print.

A label is drawn sharp onto a picture after it was made; a page photographed, scaled or
compressed within the picture is softer. Where the label and the print share a colour (black
over black print: "> markers=np.zezs图RAI生n成") no colour view holds the label alone, but its
strokes' edges are steeper. The lightness less a slight blur of it keeps a sharp stroke's
core and little of a soft one: one view keeps what stands below its blur (dark strokes), one
what stands above it (light strokes), each dark on white.
"""

from __future__ import annotations

import cv2
import numpy as np

from markcheck.detectors.colour_views import MAX_SHARE, dark_on_white

# The blur's sigma, a share of the crop's height (at least a pixel: ~2 px on a line read at
# 100 px), and how far (grey levels) a stroke's pixel stands from it. Of 181 labels of 4 %
# or more drawn across a printed page's lines, 163-164 were found at 40-55 (160 without
# these views, 160 at 70); on seven other labelled sets (1,536 labels) 4 more were found or
# read exactly at 50, none lost.
DETAIL_BLUR, DETAIL_STEP = 0.02, 50.0
# A view with fewer of the crop's pixels than this holds no line of strokes: a stroke's
# steep core is a pixel or two wide, a few percent of the crop at most.
MIN_SHARE = 0.005


def crisp_views(crop: np.ndarray) -> list[np.ndarray]:
    """Views of a BGR line `crop`: its crisp dark strokes, then its crisp light ones (BGR,
    the crop's size); a view holding almost none or almost all of the crop is left out."""
    if min(crop.shape[:2]) < 4:
        return []
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY).astype(np.float32)
    detail = grey - cv2.GaussianBlur(grey, (0, 0), max(1.0, DETAIL_BLUR * crop.shape[0]))
    masks = (detail < -DETAIL_STEP, detail > DETAIL_STEP)
    return [dark_on_white(mask) for mask in masks if MIN_SHARE <= mask.mean() <= MAX_SHARE]
