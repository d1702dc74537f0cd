"""Video labels followed through real footage: moving backgrounds, late starts, long GOPs,
several labels, short clips. Clips are real H.264/VP9 encodes made here; the expected times
come from the frames the labels were drawn on (frame i is shown from i / fps)."""

from __future__ import annotations

import json
import math

import pytest

from markcheck import scan
from markcheck.detectors.video_labels import find_video_labels
from markcheck.reports.json_report import validate
from video_builders import Shown, clip, key_frame_times

FPS = 25
FRAME = 1 / FPS


def drawn_from(start: float) -> float:
    """Time of the first frame drawn with a label meant to show from `start` (t >= start)."""
    return math.ceil(start * FPS - 1e-9) / FPS


def judge(path, **kwargs):
    result = scan([path], select=["cn.explicit"], assume_ai=True, jobs=0, **kwargs)
    (item,) = result.files
    return item, {f.rule: f for f in item.findings}


def spans_of(item, text="AI生成"):
    return sorted(r.time_s for r in item.explicit if r.text == text)


@pytest.mark.parametrize("motion", ["fast-pan", "zoom"])
def test_boxless_label_over_a_moving_background_is_one_span(tmp_path, motion):
    path = clip(tmp_path / f"{motion}.mp4", [(0, 3.0)], style="light", motion=motion)
    item, found = judge(path)
    assert spans_of(item) == [pytest.approx([0.0, drawn_from(3.0)], abs=0.15)]
    assert found["cn.explicit.video.start"].outcome == "pass"
    assert found["cn.explicit.video.duration"].outcome == "pass"


@pytest.mark.parametrize(("frame", "start"), [(1, "pass"), (12, "fail")])
def test_start_is_located_to_the_frame(tmp_path, frame, start):
    path = clip(tmp_path / f"from{frame}.mp4", [(frame * FRAME, 4.0)], style="light")
    item, found = judge(path)
    ((first, last),) = spans_of(item)
    assert first == pytest.approx(frame * FRAME, abs=FRAME / 2)  # the very frame
    assert last == pytest.approx(4.0, abs=0.15)
    assert found["cn.explicit.video.start"].outcome == start
    assert item.media.frame_s == pytest.approx(FRAME, abs=1e-3)


def test_one_frame_without_the_label_does_not_end_it_two_frames_do(tmp_path):
    # Frame 13 (0.52 s) is where the box is first re-read between samples (0.5 s after 0).
    flicker = clip(tmp_path / "one.mp4", [(0, 13 * FRAME), (14 * FRAME, 3.0)], style="light")
    item, _ = judge(flicker)
    assert spans_of(item) == [pytest.approx([0.0, drawn_from(3.0)], abs=0.15)]
    gap = clip(tmp_path / "two.mp4", [(0, 13 * FRAME), (15 * FRAME, 3.0)], style="light")
    item, _ = judge(gap)
    assert spans_of(item) == [
        pytest.approx([0.0, 13 * FRAME], abs=FRAME / 2),
        pytest.approx([15 * FRAME, drawn_from(3.0)], abs=0.15),
    ]


def test_long_gop_spans_past_three_seconds_and_an_end_label(tmp_path):
    end_label = Shown(((6.0, 8.0),), "AI生成", "top-left")
    path = clip(
        tmp_path / "gop.mp4", [(0, 5.0)], seconds=8.0, keyframe_every=300, extra=(end_label,)
    )
    assert key_frame_times(path) == [0.0]  # one key frame: key frames alone would miss it
    item, found = judge(path)
    by_place = {r.position: r.time_s for r in item.explicit}
    assert by_place["bottom-right"] == pytest.approx([0.0, 5.0], abs=0.15)
    assert by_place["top-left"] == pytest.approx([6.0, 8.0], abs=0.15)
    assert found["cn.explicit.video.duration"].outcome == "pass"


def test_middle_label_in_a_vp9_webm_clip(tmp_path):
    path = clip(
        tmp_path / "vp9.webm",
        [(0, 2.5), (3.5, 5.0)],
        seconds=5.0,
        codec="libvpx-vp9",
        container="webm",
        style="light",
    )
    item, found = judge(path)
    assert item.media.format == "webm" and item.error is None
    assert spans_of(item) == [
        pytest.approx([0.0, drawn_from(2.5)], abs=0.15),
        pytest.approx([drawn_from(3.5), 5.0], abs=0.15),
    ]
    assert found["cn.explicit.video.duration"].outcome == "pass"


def test_english_and_chinese_labels_are_both_followed(tmp_path):
    english = Shown(((0, 4.0),), "AI-generated", "top-left", 0.12)
    path = clip(tmp_path / "two.mp4", [(0, 2.5)], extra=(english,))
    item, found = judge(path)
    chinese = [r for r in item.explicit if r.position == "bottom-right"]
    other = [r for r in item.explicit if r.position == "top-left"]
    assert [r.text for r in chinese] == ["AI生成"]
    assert chinese[0].time_s == pytest.approx([0.0, drawn_from(2.5)], abs=0.15)
    assert len(other) == 1 and other[0].time_s == pytest.approx([0.0, 4.0], abs=0.15)
    assert other[0].height_ratio > chinese[0].height_ratio  # the taller one hid it before
    assert found["cn.explicit.wording"].outcome == "pass"
    assert "AI生成" in found["cn.explicit.video.duration"].message


def test_short_clip_labelled_throughout(tmp_path):
    path = clip(tmp_path / "short.mp4", [(0, 1.5)], seconds=1.5)
    item, found = judge(path)
    assert spans_of(item) == [pytest.approx([0.0, 1.5], abs=0.15)]
    assert found["cn.explicit.video.duration"].outcome == "pass"
    assert "whole clip" in found["cn.explicit.video.duration"].message
    strict = {"cn.explicit.video.duration": {"short_clip_passes": False}}
    _, found = judge(path, params=strict)
    assert found["cn.explicit.video.duration"].outcome == "fail"


def test_short_clip_with_a_label_that_stops_early_fails(tmp_path):
    path = clip(tmp_path / "short.mp4", [(0, 0.8)], seconds=1.5)
    item, found = judge(path)
    assert spans_of(item) == [pytest.approx([0.0, 0.8], abs=0.15)]
    assert found["cn.explicit.video.duration"].outcome == "fail"


def test_rotated_landscape_clip(tmp_path):
    path = clip(tmp_path / "turned.mp4", [(0, 2.5)], rotation=270, position="top-left")
    item, found = judge(path)
    assert (item.media.width, item.media.height) == (640, 360)
    (label,) = item.explicit
    assert label.position == "top-left"
    assert label.time_s == pytest.approx([0.0, drawn_from(2.5)], abs=0.15)
    assert found["cn.explicit.video.duration"].outcome == "pass"


def test_a_spent_budget_leaves_the_span_open(tmp_path):
    # 60 s at 2 fps: 30 readings of the picture, far more than half a second allows.
    path = clip(tmp_path / "long.mp4", [(0, 60.0)], seconds=60.0, fps=2)
    regions, _ = find_video_labels(path, budget_s=0.5)
    assert [r.text for r in regions] == ["AI生成"]  # the first frame is always read
    (label,) = regions
    assert label.open_end is True
    assert label.time_s[0] == 0.0 and label.time_s[1] < 60.0  # no invented end


def test_report_carries_spans_and_frame_duration(tmp_path):
    path = clip(tmp_path / "ok.mp4", [(0, 2.5)])
    result = scan([path], select=["cn.explicit"], assume_ai=True, jobs=0)
    document = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    validate(document)
    (item,) = document["files"]
    assert item["media"]["frame_s"] == pytest.approx(FRAME, abs=1e-3)
    assert item["explicit"][0]["open_end"] is None
