"""The video start and duration checks on label spans as the video detector reports them.

The spans here are written by hand (what the detector reports for a label drawn on given
frames); the clips themselves are judged end to end in test_video_tracking.py.
"""

from __future__ import annotations

import pytest

from markcheck.model import AIAssessment, Evidence, MediaInfo, TextRegion
from markcheck.rules.registry import CHECKS, CheckContext, load_checks

load_checks()
CTX = CheckContext("provider", True, AIAssessment("confirmed"))
DEFAULTS = {
    name: {p.name: p.default for p in CHECKS[name].params}
    for name in ("cn.explicit.video.start", "cn.explicit.video.duration")
}


def label(text, start, end, open_end=None):
    return TextRegion(
        text,
        [500, 300, 100, 25],
        0.07,
        "bottom-right",
        0.99,
        [start, end],
        contrast=5.0,
        open_end=open_end,
    )


def judge(rule, regions, fps=25.0, duration=4.0, **params):
    media = MediaInfo("video", "mp4", 640, 360, duration, 1 / fps)
    evidence = Evidence("clip.mp4", "0" * 64, media, explicit=regions)
    result = CHECKS[rule].fn(evidence, {**DEFAULTS[rule], **params}, CTX)
    return result.outcome, result.message


@pytest.mark.parametrize(
    ("fps", "first_frame", "outcome"),
    [(25, 0, "pass"), (25, 1, "pass"), (25, 2, "fail"), (60, 1, "pass"), (60, 3, "fail")],
)
def test_start_tolerance_is_one_frame_of_this_video(fps, first_frame, outcome):
    start = round(first_frame / fps, 3)  # the report rounds times to the millisecond
    got, _ = judge("cn.explicit.video.start", [label("AI生成", start, 3.0)], fps=fps)
    assert got == outcome


def test_start_frames_parameter_widens_the_tolerance():
    regions = [label("AI生成", 0.08, 3.0)]
    assert judge("cn.explicit.video.start", regions)[0] == "fail"
    assert judge("cn.explicit.video.start", regions, start_frames=2)[0] == "pass"


def test_no_label_fails_and_unexamined_is_unknown():
    assert judge("cn.explicit.video.start", [])[0] == "fail"
    media = MediaInfo("video", "mp4")
    evidence = Evidence("clip.mp4", "0" * 64, media, unavailable={"explicit": "cannot open"})
    result = CHECKS["cn.explicit.video.duration"].fn(
        evidence, DEFAULTS["cn.explicit.video.duration"], CTX
    )
    assert (result.outcome, result.message) == ("unknown", "cannot open")


def test_the_compliant_label_decides_and_others_are_listed():
    regions = [label("AI-generated", 0.0, 4.0), label("AI生成", 0.0, 2.2)]
    outcome, message = judge("cn.explicit.video.duration", regions)
    assert outcome == "pass" and "'AI生成' shown 0.00-2.20 s" in message
    regions = [label("AI-generated", 0.0, 4.0), label("AI生成", 0.0, 1.0)]
    assert judge("cn.explicit.video.duration", regions)[0] == "fail"
    outcome, message = judge("cn.explicit.video.start", regions)
    assert outcome == "pass" and "'AI-generated' 0.00-4.00 s" in message


def test_an_ai_mark_decides_only_when_no_compliant_label_is_shown():
    alone = [label("即梦AI", 0.0, 3.0)]
    outcome, message = judge("cn.explicit.video.start", alone)
    assert outcome == "pass" and "cn.explicit.wording" in message
    late = [label("即梦AI", 0.0, 3.0), label("AI生成", 1.0, 3.0)]
    outcome, message = judge("cn.explicit.video.start", late)
    assert outcome == "fail" and "'AI生成' appears only from 1.00 s" in message
    assert judge("cn.explicit.video.duration", late)[0] == "fail"
    both = [label("即梦AI", 0.0, 3.0), label("AI生成", 0.0, 2.5)]
    outcome, message = judge("cn.explicit.video.duration", both)
    assert outcome == "pass" and "'AI生成' shown 0.00-2.50 s" in message


@pytest.mark.parametrize(
    ("start", "end", "outcome"), [(0.0, 2.0, "pass"), (0.04, 2.04, "pass"), (0.0, 1.96, "fail")]
)
def test_duration_is_measured_on_the_span(start, end, outcome):
    assert judge("cn.explicit.video.duration", [label("AI生成", start, end)])[0] == outcome


def test_short_clip_labelled_to_its_last_frame():
    full = [label("AI生成", 0.0, 1.52)]
    outcome, message = judge("cn.explicit.video.duration", full, duration=1.52)
    assert outcome == "pass" and "whole clip" in message
    strict = judge("cn.explicit.video.duration", full, duration=1.52, short_clip_passes=False)
    assert strict[0] == "fail"
    early = [label("AI生成", 0.0, 1.0)]
    assert judge("cn.explicit.video.duration", early, duration=1.52)[0] == "fail"


def test_open_span_is_unknown_when_short_and_passes_when_long_enough():
    short = [label("AI生成", 0.0, 1.2, open_end=True)]
    assert judge("cn.explicit.video.duration", short, duration=600.0)[0] == "unknown"
    long = [label("AI生成", 0.0, 2.4, open_end=True)]
    assert judge("cn.explicit.video.duration", long, duration=600.0)[0] == "pass"


def test_parameters_are_declared_and_documented():
    for name in DEFAULTS:
        spec = CHECKS[name]
        assert spec.params
        for param in spec.params:
            assert param.name in spec.doc
