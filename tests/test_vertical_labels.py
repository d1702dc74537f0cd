"""Labels written down a side: a column of upright glyphs, found, read and measured.

GB 45438-2025 asks for a label at an edge or corner, at least 5 % of the shortest side high;
it says nothing of the direction of the text, and Chinese is written in columns too. The
pictures are photographs with a column label drawn on them (tests/label_builders
.render_column); the expected heights are the drawn glyphs' ink, from their own masks.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from label_builders import photo, render_column, render_turned
from markcheck.detectors.columns import cells, columns_of, glyph_counts, taken_reading
from markcheck.detectors.text_boxes import Box
from markcheck.scanner import scan
from markcheck.vocabulary.wording import classify_label_text

# photograph, size, text, ink ratio, side, style, font, pitch
COMPLIANT = [
    ("coffee", (1920, 1080), "AI生成", 0.08, "right", "light", "sans", 1.1),
    ("astronaut", (1080, 1920), "人工智能生成", 0.075, "left", "box", "serif", 1.2),
    ("rocket", (1024, 1024), "本图由AI生成", 0.07, "right", "plain", "kai", 1.05),
    ("chelsea", (1280, 720), "内容由AI生成", 0.085, "left", "light", "serif", 1.15),
]


def outcomes(path):
    (item,) = scan([path], select=["cn.explicit"], assume_ai=True).files
    return item, {f.rule: f.outcome for f in item.findings}


def draw(tmp_path, name, size, text, ratio, side, style, font, pitch, margin=0.03, quality=90):
    image, truth = render_column(photo(name, size), text, ratio, side, style, font, pitch, margin)
    path = tmp_path / f"{name}.jpg"
    image.save(path, quality=quality)
    return path, truth


@pytest.mark.parametrize(("name", "size", "text", "ratio", "side", "style", "font", "pitch"),
                         COMPLIANT)  # fmt: skip
def test_a_compliant_label_down_a_side_passes(tmp_path, name, size, text, ratio, side, style,
                                              font, pitch):  # fmt: skip
    path, truth = draw(tmp_path, name, size, text, ratio, side, style, font, pitch)
    item, got = outcomes(path)
    labels = [r for r in item.explicit if r.is_label]
    assert [r.text for r in labels] == [text], item.explicit
    for rule in ("present", "wording", "position", "size"):
        assert got[f"cn.explicit.{rule}"] == "pass", (rule, item.findings)
    (label,) = labels
    low, high = label.height_range
    assert low <= truth.height_ratio <= high, (label, truth)
    assert abs(label.height_ratio / truth.height_ratio - 1) <= 0.12, (label, truth)
    assert label.position.endswith(side)


@pytest.mark.parametrize("ratio", [0.045, 0.048])
def test_a_label_down_a_side_under_the_threshold_never_passes(tmp_path, ratio):
    path, truth = draw(tmp_path, "coffee", (1920, 1080), "AI生成", ratio, "right", "light",
                       "sans", 1.1)  # fmt: skip
    item, got = outcomes(path)
    assert [r.text for r in item.explicit if r.is_label] == ["AI生成"], item.explicit
    assert got["cn.explicit.size"] in ("unknown", "fail"), item.findings


def test_a_column_that_is_no_label_is_not_taken_for_one(tmp_path):
    path, _ = draw(tmp_path, "rocket", (1920, 1080), "限时优惠", 0.08, "left", "box", "sans", 1.1)
    item, got = outcomes(path)
    assert not any(r.is_label for r in item.explicit), item.explicit
    assert got["cn.explicit.present"] == "fail"


def test_boxes_of_one_column_are_joined_and_lines_are_not_columns():
    split = [Box(100, 50, 140, 160), Box(102, 150, 138, 260)]  # one column, cut in two
    line = Box(300, 400, 600, 440)
    (column,) = columns_of([*split, line])
    assert (column.x0, column.y0, column.x1, column.y1) == (100, 50, 140, 260)


def test_the_drawn_glyph_count_is_among_those_tried():
    # Glyphs 40 px wide at 1.0 to 1.4 x their width apart: a column of 6 is 240-336 px long.
    for pitch in (1.0, 1.2, 1.4):
        assert 6 in glyph_counts(6 * 40 * pitch, 40)


def test_cells_are_cut_in_the_gaps_between_glyphs():
    # Five glyphs 60 px apart, the column's length a little off that pitch (the detector's
    # box): each cell still holds one glyph whole, none the next one's top.
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 44)
    column = Image.new("RGB", (56, 5 * 60 - 4), (200, 180, 160))
    for i, char in enumerate("此内容由人"):
        ImageDraw.Draw(column).text((6, 60 * i), char, font=font, fill=(10, 10, 10))
    pixels = np.asarray(column)[:, :, ::-1]
    parts = cells(pixels, 5)
    for part in parts:
        dark = (part.min(axis=2) < 100).any(axis=1)
        assert not dark[0] and not dark[-1], "a glyph is cut at the cell's top or bottom"


def test_a_piece_of_a_column_no_taller_than_wide_is_joined_to_it():
    # The detector boxed "由AI生成" down a side in two: the lower box (its last glyph and a
    # half, 138 x 70 px) is no column on its own, yet it is part of the one above it.
    upper, lower = Box(1056, 170, 1124, 364), Box(1056, 334, 1126, 472)
    line = Box(0, 100, 300, 140)  # a line of text beside it stays apart
    columns = columns_of([upper, lower, line])
    assert [(c.y0, c.y1) for c in columns] == [(170, 472)]


def test_a_column_boxed_in_two_pieces_is_read_whole(tmp_path):
    path, truth = draw(tmp_path, "astronaut", (1280, 720), "由AI生成", 0.0692, "right",
                          "plain", "sans", 1.233, 0.0374, 83)  # fmt: skip
    item, got = outcomes(path)
    assert [r.text for r in item.explicit if r.is_label] == ["由AI生成"], item.explicit
    assert got["cn.explicit.present"] == "pass"


@pytest.mark.parametrize(
    ("name", "size", "text", "ratio", "side", "style", "font", "pitch", "margin", "quality"),
    [
        # 6.0 % and 5.2 %, set wide on a dark box: the upright I, a bare stroke in its own
        # square, is lost between the cells (A生成), or 生 is cut in two (AI生工成).
        ("rocket", (2048, 2048), "AI生成", 0.0579, "left", "box", "sans", 1.2354, 0.0209, 91),
        ("coffee", (1080, 1920), "AI生成", 0.0525, "right", "box", "sans", 1.04, 0.0214, 82),
        # 5.6 %, plain serif: the detector's box of the short column is 1.7x taller than wide.
        ("astronaut", (1280, 720), "AI生成", 0.0559, "left", "plain", "serif", 1.1546, 0.0261,
         73),
    ],
)  # fmt: skip
def test_a_column_read_in_part_is_left_for_review_not_failed(
    tmp_path, name, size, text, ratio, side, style, font, pitch, margin, quality
):
    path, truth = draw(tmp_path, name, size, text, ratio, side, style, font, pitch, margin,
                          quality)  # fmt: skip
    assert truth.height_ratio >= 0.05
    item, got = outcomes(path)
    failed = [f for f in item.findings if f.outcome == "fail" and f.severity == "error"]
    assert not failed, failed
    assert got["cn.explicit.present"] in ("pass", "unknown")


def test_a_column_whose_measures_disagree_under_the_threshold_never_passes(tmp_path):
    # 4.9 % on 512², a tower's lattice beside the column: its tallest cell measured 32 px,
    # 28 % over its width (24 px, as drawn: 25). The range reaches down to the width.
    path, truth = draw(tmp_path, "rocket", (512, 512), "内容由AI生成", 0.0486, "right",
                          "plain", "sans", 1.0068, 0.0467, 74)  # fmt: skip
    assert truth.height_ratio < 0.05
    item, got = outcomes(path)
    assert [r.text for r in item.explicit if r.is_label] == ["内容由AI生成"], item.explicit
    assert got["cn.explicit.size"] != "pass", item.findings


@pytest.mark.parametrize(
    ("reads", "taken"),
    [
        ([(0.97, "AI生工成", 5), (0.86, "AI生成", 4)], "AI生成"),  # 生 cut in two reads surer
        ([(0.99, "A生成", 4), (0.91, "AI生工成", 5)], "A生成"),  # in part: left for review
        ([(0.94, "即梦AI", 4), (0.80, "即梦", 3)], "即梦AI"),  # a label whose wording fails
        ([(0.90, "限时优惠", 4), (0.85, "限时优", 3)], None),  # no label at all
    ],
)
def test_a_column_is_taken_as_its_compliant_reading_first(reads, taken):
    scored = [(score, text, count, classify_label_text(text)) for score, text, count in reads]
    reading = taken_reading(scored)
    assert (reading[1] if reading else None) == taken


@pytest.mark.parametrize("turn", [90, 270])
@pytest.mark.parametrize(
    ("name", "size", "ratio"),
    [
        ("coffee", (1280, 720), 0.085),
        ("chelsea", (1920, 1080), 0.03),
        ("rocket", (1080, 1920), 0.065),
    ],
)
def test_a_label_turned_a_quarter_down_a_side_is_read_and_measured(
    tmp_path, turn, name, size, ratio
):
    # A line turned to read up (or down) the right edge: its glyphs lie on their sides, so
    # neither a line nor a column of upright glyphs reads it ("no visible AI label found").
    # Read turned back, its glyphs' height is the column's width.
    image, truth = render_turned(photo(name, size), "内容由AI生成", ratio, "right", turn)
    path = tmp_path / f"turned-{turn}.jpg"
    image.save(path, quality=90)
    (item,) = scan([path], select=["cn.explicit"], assume_ai=True).files
    outcomes = {f.rule: f.outcome for f in item.findings}
    labels = [r for r in item.explicit if r.is_label]
    assert [r.text for r in labels] == ["内容由AI生成"], item.explicit
    low, high = labels[0].height_range
    assert low <= truth.height_ratio <= high, (truth, labels[0])
    # (give or take its outline: 2 px each way of a 32 px label)
    assert abs(labels[0].height_ratio / truth.height_ratio - 1) <= 0.13, (truth, labels[0])
    assert outcomes["cn.explicit.present"] == outcomes["cn.explicit.position"] == "pass"
    wrong = "fail" if truth.height_ratio >= 0.05 else "pass"
    assert outcomes["cn.explicit.size"] != wrong, (truth, labels[0])
