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
_EDGE_SHARE = 0.7  # an edge pixel is this share of the box's 90th-percentile magnitude, or more
_ROW_SHARE = 0.25  # an ink row has this share of the busiest rows' edge density, or more


@dataclass(frozen=True)
class InkMeasure:
    top: int  # first ink row within the crop
    bottom: int  # one past the last ink row
    contrast: float  # 1..21


def _relative_luminance(gray: np.ndarray) -> np.ndarray:
    srgb = gray.astype(np.float32) / 255.0
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _run_around(strong: np.ndarray, centre: int, max_gap: int) -> tuple[int, int]:
    """The run of strong rows through `centre`, bridging gaps of up to `max_gap` rows."""
    top = bottom = centre
    for step, limit in ((-1, -1), (1, len(strong))):
        gap, row = 0, centre + step
        while row != limit and gap <= max_gap:
            if strong[row]:
                gap = 0
                top, bottom = min(top, row), max(bottom, row)
            else:
                gap += 1
            row += step
    return top, bottom


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
    top, bottom = _run_around(
        rows >= _ROW_SHARE * busiest, int(np.argmax(rows)), max(2, crop.shape[0] // 10)
    )
    band = _relative_luminance(gray[top : bottom + 1])
    dark, light = np.percentile(band, [5, 95])
    return InkMeasure(top, bottom + 1, float((light + 0.05) / (dark + 0.05)))
