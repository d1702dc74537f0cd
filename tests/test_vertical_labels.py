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

from label_builders import photo, render_column
from markcheck.detectors.columns import cells, columns_of, glyph_counts
from markcheck.detectors.text_boxes import Box
from markcheck.scanner import scan

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


def draw(tmp_path, name, size, text, ratio, side, style, font, pitch):
    image, truth = render_column(photo(name, size), text, ratio, side, style, font, pitch)
    path = tmp_path / f"{name}.jpg"
    image.save(path, quality=90)
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
