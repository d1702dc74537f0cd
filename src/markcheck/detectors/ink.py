"""Measure a text line on the pixels: its ink height and its contrast with its surroundings.

GB 45438-2025 asks for text at least 5 % of the shortest side high without defining "text
height". markcheck measures the INK height of the line, from the top of its tallest glyph to
the bottom of its lowest (for Chinese text, the full character height), as the run of rows
inside the detected box that are dense in strong edges (glyph strokes). Edges, not colours,
are used so that a backing box, an outline or a busy photo behind the text does not count as
text. Contrast is the WCAG-style ratio of the lightest to the darkest luminance in those rows
(5th and 95th percentiles), from 1 (invisible) to 21.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_MIN_EDGE = 60.0  # Sobel magnitude below this is never a stroke edge
_EDGE_SHARE = 0.6  # an edge pixel is this share of the box's 90th-percentile magnitude, or more
_TIP_SHARE = 0.1  # ... and rows just outside that dense run with this share are glyph tips
_TIP_REACH = 0.06  # how far (share of the run's height) tips may reach out
_ROW_SHARE = 0.2  # an ink row has this share of the busiest rows' edge density, or more


@dataclass(frozen=True)
class InkMeasure:
    top: int  # first ink row within the crop
    bottom: int  # one past the last ink row
    contrast: float  # 1..21


def _relative_luminance(gray: np.ndarray) -> np.ndarray:
    srgb = gray.astype(np.float32) / 255.0
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _densest_run(rows: np.ndarray, strong: np.ndarray, max_gap: int) -> tuple[int, int]:
    """The run of strong rows (gaps of up to `max_gap` rows bridged) holding the most edges."""
    best, best_weight = (0, len(rows) - 1), -1.0
    start = last = None
    for row in [*np.flatnonzero(strong), None]:
        if row is not None and last is not None and row - last <= max_gap + 1:
            last = row
            continue
        if start is not None:
            weight = float(rows[start : last + 1].sum())
            if weight > best_weight:
                best, best_weight = (int(start), int(last)), weight
        start = last = row
    return best


def measure_ink(crop: np.ndarray) -> InkMeasure | None:
    """Ink rows and contrast of one text line in an RGB crop of its detected box."""
    if crop.ndim != 3 or min(crop.shape[:2]) < 4:
        return None
    gray = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY)
    grayf = gray.astype(np.float32)
    magnitude = np.abs(cv2.Sobel(grayf, cv2.CV_32F, 1, 0, ksize=3)) + np.abs(
        cv2.Sobel(grayf, cv2.CV_32F, 0, 1, ksize=3)
    )
    edges = magnitude > max(_MIN_EDGE, float(np.percentile(magnitude, 90)) * _EDGE_SHARE)
    rows = np.convolve(edges.mean(axis=1), np.ones(3) / 3, mode="same")
    busiest = float(np.percentile(rows, 90))
    if busiest <= 0:
        return None
    top, bottom = _densest_run(rows, rows >= _ROW_SHARE * busiest, max(2, crop.shape[0] // 10))
    # Glyph tips (the dot of 成, the stem of 由) rise above the line's dense rows: take in
    # the faint rows just outside the run, up to a short distance.
    reach = max(1, round(_TIP_REACH * (bottom - top + 1)))
    faint = rows >= _TIP_SHARE * busiest
    while top > 0 and faint[top - 1] and reach > 0:
        top, reach = top - 1, reach - 1
    reach = max(1, round(_TIP_REACH * (bottom - top + 1)))
    while bottom < len(rows) - 1 and faint[bottom + 1] and reach > 0:
        bottom, reach = bottom + 1, reach - 1
    band = _relative_luminance(gray[top : bottom + 1])
    dark, light = np.percentile(band, [5, 95])
    return InkMeasure(top, bottom + 1, float((light + 0.05) / (dark + 0.05)))
