"""An AI mark whose wording fails (即梦AI: no generation element) is followed in video like
any label and reported with its span, so the rules can say "label present, wording fails".

Clips are real H.264 encodes (PyAV) with the text drawn by Pillow in WenQuanYi Zen Hei; the
expected spans come from the frames each label was drawn on (frame i is shown from i / fps).
"""

from __future__ import annotations

import math

import pytest

from markcheck import scan
from markcheck.detectors.video_tracks import same_text
from markcheck.vocabulary.wording import classify_label_text
from video_builders import Shown, clip

FPS = 25


def drawn_from(start: float) -> float:
    """Time of the first frame drawn with a label meant to show from `start` (t >= start)."""
    return math.ceil(start * FPS - 1e-9) / FPS


def judge(path):
    result = scan([path], select=["cn.explicit"], assume_ai=True, jobs=0)
    (item,) = result.files
    return item, {f.rule: f for f in item.findings}


def at(item, position):
    (region,) = [r for r in item.explicit if r.position == position]
    return region


def test_ai_mark_and_a_later_compliant_label_are_both_followed(tmp_path):
    # 即梦AI top-left over 0-2 s; the compliant AI生成 bottom-right only from 1 s to the end.
    mark = Shown(((0.0, 2.0),), "即梦AI", "top-left")
    path = clip(tmp_path / "mark-then-label.mp4", [(1.0, 4.0)], extra=(mark,))
    item, found = judge(path)
    assert item.error is None
    ai_mark, label = at(item, "top-left"), at(item, "bottom-right")
    assert classify_label_text(ai_mark.text).wording == "ai_mark"
    assert classify_label_text(label.text).is_cn_label
    assert ai_mark.time_s == pytest.approx([0.0, drawn_from(2.0)], abs=0.15)
    assert label.time_s == pytest.approx([drawn_from(1.0), 4.0], abs=0.15)
    assert found["cn.explicit.present"].outcome == "pass"
    assert found["cn.explicit.wording"].outcome == "pass"  # judged on AI生成
    # The start frame shows only the AI mark: no single label has both the start and the
    # wording, so the start fails and says which label is where.
    start = found["cn.explicit.video.start"]
    assert start.outcome == "fail"
    assert ai_mark.text in start.message and "1.00 s" in start.message
    assert found["cn.explicit.video.duration"].outcome == "fail"


def test_ai_mark_alone_is_present_and_timed_and_its_wording_fails(tmp_path):
    # Only 即梦AI, bottom-right over 0-3 s of a 4-s clip; nothing compliant anywhere.
    path = clip(tmp_path / "mark-only.mp4", [(0.0, 3.0)], text="即梦AI")
    item, found = judge(path)
    (region,) = item.explicit
    assert classify_label_text(region.text).wording == "ai_mark"
    assert region.time_s == pytest.approx([0.0, drawn_from(3.0)], abs=0.15)
    assert found["cn.explicit.present"].outcome == "pass"
    assert found["cn.explicit.wording"].outcome == "fail"
    assert "generation element" in found["cn.explicit.wording"].message
    # Its place in time is a fact the report states; the wording rule is the one that fails.
    for rule in ("cn.explicit.video.start", "cn.explicit.video.duration"):
        assert found[rule].outcome == "pass"
        assert "cn.explicit.wording" in found[rule].message


def test_an_ai_mark_and_a_compliant_label_at_one_place_are_two_labels():
    # Alike enough for one label by similarity alone (0.5), but one complies and one does
    # not: a compliant label replacing an AI mark must not inherit its start.
    assert not same_text("即梦AI", "AI生成")
    assert same_text("AI生成", "AI生")  # a misread that loses a glyph is still the label
    assert same_text("AI生成", "AI 生成") and same_text("即梦AI", "即梦 AI")
