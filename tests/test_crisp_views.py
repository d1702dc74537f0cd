"""A line seen by its crisp strokes: a label drawn sharp apart from the softer print under it."""

from __future__ import annotations

import cv2
import numpy as np

from label_builders import line_masks
from markcheck.detectors.crisp_views import crisp_views


def _line(label_ink: int, print_ink: int, paper: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Print blurred as a photographed page's (sigma 2 px) in the label's own ink, with the
    label drawn sharp across it (BGR), and the masks each was drawn with."""
    printed, label = line_masks()
    page = np.where(printed, float(print_ink), float(paper)).astype(np.float32)
    page = cv2.GaussianBlur(page, (0, 0), 2.0)
    page[label] = label_ink  # drawn last, sharp, over the print
    grey = page.clip(0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2)), printed & ~label, label


def _cores(mask: np.ndarray) -> np.ndarray:
    """The mask's pixels a pixel or more inside it (its anti-aliased rim left out)."""
    return cv2.erode(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)


def test_the_dark_view_holds_a_sharp_dark_label_and_little_of_the_soft_print():
    crop, printed, label = _line(label_ink=15, print_ink=15, paper=200)
    dark = crisp_views(crop)[0][:, :, 0] < 128
    # The label's edges, where it meets the paper, stand out of its blur; the print's blurred
    # strokes, the same ink, hardly at all.
    assert dark[label].mean() > 3 * dark[_cores(printed)].mean()
    assert dark[label].sum() > 0.5 * dark.sum()


def test_the_light_view_holds_a_sharp_light_label_over_soft_light_print():
    crop, printed, label = _line(label_ink=245, print_ink=245, paper=60)
    views = crisp_views(crop)
    assert len(views) == 2  # the dark view (the label's rim against the dark paper), the light
    light = views[1][:, :, 0] < 128
    assert light[label].mean() > 3 * light[_cores(printed)].mean()


def test_a_flat_crop_has_no_view():
    assert crisp_views(np.full((40, 200, 3), 128, np.uint8)) == []
