"""Joining the detector's boxes into lines (text_boxes.merge_lines)."""

from __future__ import annotations

from markcheck.detectors.text_boxes import Box, merge_lines


def spans(lines):
    return sorted((b.x0, b.y0, b.x1, b.y1) for b in lines)


def test_boxes_continuing_one_line_are_joined():
    # "人工智能生成" split in two by the detector, at one height
    lines = merge_lines([Box(10, 20, 110, 60), Box(118, 22, 240, 61)])
    assert spans(lines) == [(10, 20, 240, 61)]
    assert len(lines[0].parts) == 2


def test_a_second_look_at_part_of_a_line_is_the_same_line():
    # a box over part of the line, its rows within a fifth of the line's height of the line's
    lines = merge_lines([Box(10, 20, 400, 60), Box(100, 24, 200, 58)])
    assert spans(lines) == [(10, 20, 400, 60)]
    assert not lines[0].parts


def test_a_line_over_another_with_staggered_rows_stays_apart():
    # a label 62 px high drawn across a heading 92 px high: their tops 8 px apart, their
    # bottoms 38 px (over a fifth of the label's height): two lines, not one
    heading, label = Box(10, 24, 876, 116), Box(18, 16, 274, 78)
    assert spans(merge_lines([heading, label])) == spans([heading, label])
