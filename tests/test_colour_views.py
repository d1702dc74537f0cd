"""A line seen one colour at a time: the label's fill apart from the print it is drawn over."""

from __future__ import annotations

import numpy as np
import pytest

from label_builders import line_masks
from markcheck.detectors.colour_views import colour_views
from markcheck.detectors.text import _overlaid


def _line(
    paper: int = 170, ink: tuple[int, int, int] = (250, 250, 250)
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Black print on grey `paper` with text in RGB `ink` drawn across it (BGR), and the masks
    each was drawn with."""
    printed, label = line_masks()
    picture = np.full((*printed.shape, 3), paper, np.uint8)
    picture[printed] = 20
    picture[label] = ink  # drawn last: over the print
    return np.ascontiguousarray(picture[:, :, ::-1]), printed & ~label, label


def test_each_view_holds_one_colour_of_the_line():
    crop, printed, label = _line()
    views = colour_views(crop)
    dark = [view[:, :, 0] < 128 for view in views]
    # One view is the label's fill: all of its pixels, none of the print's; another the print.
    assert any(d[label].mean() > 0.95 and d[printed].mean() < 0.05 for d in dark)
    assert any(d[printed].mean() > 0.95 and d[label].mean() < 0.05 for d in dark)
    assert all(view.shape == crop.shape and view.dtype == np.uint8 for view in views)


def test_a_coloured_label_as_light_as_the_paper_is_the_first_view():
    # Yellow (L* 87) over paper of L* 86: by lightness the two are one colour; by chroma the
    # label stands apart, and its view is read first.
    crop, printed, label = _line(paper=214, ink=(255, 215, 0))
    first = colour_views(crop)[0][:, :, 0] < 128
    assert first[label].mean() > 0.95 and first[printed].mean() < 0.2, first.mean()


def test_a_colour_covering_nearly_all_of_the_line_is_no_view():
    crop = np.full((40, 200, 3), 90, np.uint8)
    crop[10:30, 20:40] = 240  # a light and a dark glyph, 5 % of the line each
    crop[10:30, 60:80] = 10
    views = colour_views(crop)
    dark_shares = sorted(float((view[:, :, 0] < 128).mean()) for view in views)
    assert dark_shares == [0.05, 0.05]  # the background is no view


@pytest.mark.parametrize(
    ("read", "overlaid"),
    [
        ("图mbiguously as either object or background. Here,", True),  # 本图由AI生成 over print
        ("Region-basedA焦感tion", True),
        ("内容Adt r bbadgund e,", True),
        ("iPhone 15 Pro 限时优惠", False),  # a Chinese line with a Latin word or two
        ("限时优惠全场五折", False),
        ("Photo by Jane Doe", False),  # no CJK at all
        ("AI生成 v2", False),
    ],
)
def test_a_few_cjk_characters_amid_latin_print_may_be_a_label_drawn_over_it(read, overlaid):
    assert _overlaid(read) is overlaid
