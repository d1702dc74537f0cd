"""Checks of the visible label in video: shown in the start frame, for long enough.

They read the labels the video detector followed (`evidence.explicit`, each with its span
`time_s` = [first frame showing it, first frame without it)) and the frame duration it
measured (`media.frame_s`). Every label is followed, an AI mark whose wording fails (即梦AI)
too; the best one shown from the start decides: Chinese-compliant wording first, then a
disclosure in another language, then the longest shown. A label whose wording fails decides
only when no Chinese-compliant label is shown at any time (the wording rule then fails it):
otherwise a compliant label that appears late would pass the wording rule while a
non-compliant one passed the start rule, and no single label would satisfy both.
"""

from __future__ import annotations

from typing import Any

from markcheck.model import Evidence, TextRegion
from markcheck.rules.checks.explicit import not_examined
from markcheck.rules.registry import (
    CheckContext,
    CheckResult,
    Param,
    check,
    failed,
    passed,
    unknown,
)
from markcheck.rules.wording import classify_label_text

DEFAULT_FRAME_S = 1 / 24  # when a video has a single frame, its frame duration is unknown
SLACK_S = 1e-3  # timestamps are rounded to the millisecond in the report

START_FRAMES = Param(
    "start_frames",
    int,
    1,
    "frames the label may start after the first frame and still count as the start frame "
    "(tolerance = this x the measured frame duration)",
    low=0,
    high=25,
)
MIN_SECONDS = Param(
    "min_seconds", float, 2.0, "seconds the label is shown, from the start", low=0.0, high=60.0
)
SHORT_CLIP_PASSES = Param(
    "short_clip_passes",
    bool,
    True,
    "a clip shorter than min_seconds passes when labelled from its first to its last frame",
)


def _tolerance(evidence: Evidence, params: dict[str, Any]) -> float:
    frame = evidence.media.frame_s or DEFAULT_FRAME_S
    return int(params.get("start_frames", START_FRAMES.default)) * frame + SLACK_S


def _timed_labels(regions: list[TextRegion]) -> list[TextRegion]:
    return [r for r in regions if r.time_s and classify_label_text(r.text).is_label]


def _best(labels: list[TextRegion]) -> TextRegion:
    """Chinese-compliant wording first, then a disclosure, then the longest, the earliest."""
    return min(
        labels,
        key=lambda r: (
            not classify_label_text(r.text).is_cn_label,
            not classify_label_text(r.text).is_disclosure,
            -(r.time_s[1] - r.time_s[0]),
            r.time_s[0],
        ),
    )


def _wording_note(label: TextRegion) -> str:
    if classify_label_text(label.text).is_cn_label:
        return ""
    return " (its wording is not the Chinese one: see cn.explicit.wording)"


def _opening_label(
    evidence: Evidence, params: dict[str, Any]
) -> tuple[TextRegion | None, CheckResult | None]:
    """The best label shown from the start frame, or the outcome when there is none."""
    if evidence.explicit is None:
        return None, not_examined(evidence)
    labels = _timed_labels(evidence.explicit)
    if not labels:
        untimed = [r for r in evidence.explicit if classify_label_text(r.text).is_label]
        if untimed:
            return None, unknown("the label's timing is unknown")
        return None, failed("no visible AI label in the video")
    tolerance = _tolerance(evidence, params)
    opening = [r for r in labels if r.time_s[0] <= tolerance]
    compliant = [r for r in labels if classify_label_text(r.text).is_cn_label]
    if opening:
        best = _best(opening)
        if compliant and not classify_label_text(best.text).is_cn_label:
            late = min(compliant, key=lambda r: r.time_s[0])
            return None, failed(
                f"the compliant label {late.text!r} appears only from {late.time_s[0]:.2f} s; "
                f"the start frame shows {best.text!r}, whose wording is not the Chinese one "
                f"(allowed: {tolerance:.3f} s)"
            )
        return best, None
    first = min(labels, key=lambda r: r.time_s[0])
    return None, failed(
        f"the label appears only from {first.time_s[0]:.2f} s ({first.text!r}), not in the "
        f"start frame (allowed: {tolerance:.3f} s)"
    )


def _others(evidence: Evidence, chosen: TextRegion) -> str:
    rest = [r for r in _timed_labels(evidence.explicit or []) if r is not chosen]
    if not rest:
        return ""
    spans = ", ".join(f"{r.text!r} {r.time_s[0]:.2f}-{r.time_s[1]:.2f} s" for r in rest[:4])
    return f"; other labels: {spans}"


@check(
    "cn.explicit.video.start",
    needs=("explicit",),
    params=(START_FRAMES,),
)
def explicit_video_start(
    evidence: Evidence, params: dict[str, Any], ctx: CheckContext
) -> CheckResult:
    """A video shows the visible label in its start frame (CAC Measures Art. 4(四)).

    起始画面: the label is in the first frame. Its first appearance is located to the frame
    (sampled, then bisected between the last frame without and the first with it); it may
    start up to `start_frames` frames late (default 1; tolerance = start_frames x the frame
    duration the decoder measured, 0.04 s at 25 fps). Every label is followed, AI marks whose
    wording fails (即梦AI) too; Chinese-compliant wording is preferred, and when a compliant
    label is shown only later the start fails (the start frame's label must be the one whose
    wording complies). Labels in the middle or at the end are optional and not required.
    """
    label, outcome = _opening_label(evidence, params)
    if label is None:
        return outcome
    return passed(
        f"{label.text!r} shown from {label.time_s[0]:.2f} s{_wording_note(label)}"
        f"{_others(evidence, label)}"
    )


def _clip_end(evidence: Evidence) -> float | None:
    """When the last frame stops showing: the duration the container or decoder declared."""
    return evidence.media.duration_s


@check(
    "cn.explicit.video.duration",
    needs=("explicit",),
    params=(MIN_SECONDS, SHORT_CLIP_PASSES, START_FRAMES),
)
def explicit_video_duration(
    evidence: Evidence, params: dict[str, Any], ctx: CheckContext
) -> CheckResult:
    """A video shows the visible label for at least 2 s from the start (GB 45438-2025 §5.4).

    Continuous presence from the start frame (as cn.explicit.video.start, `start_frames`
    late at most) for `min_seconds` (default 2.0) of presentation time (timestamps, not
    frame counts). The span runs from the first frame showing the label to the first frame
    without it (two frames in a row without it end it, so one misread frame does not); span
    ends are measured to ±0.15 s. A clip shorter than `min_seconds`, labelled
    from its first to its last frame, passes (`short_clip_passes`, default true; a stricter
    pack sets it false). When the scan's time budget ran out while the label was still shown
    (`open_end`), a span already long enough passes and a shorter one is unknown.
    """
    label, outcome = _opening_label(evidence, params)
    if label is None:
        return outcome
    minimum = float(params.get("min_seconds", MIN_SECONDS.default))
    start, end = label.time_s
    shown = end - start
    span = f"{label.text!r} shown {start:.2f}-{end:.2f} s{_wording_note(label)}"
    if shown + SLACK_S >= minimum:
        return passed(span)
    if label.open_end:
        return unknown(f"{span} when the scan's time budget ran out; it goes on after that")
    clip_end = _clip_end(evidence)
    tolerance = _tolerance(evidence, params)
    if clip_end is not None and clip_end + SLACK_S < minimum and end + tolerance >= clip_end:
        if params.get("short_clip_passes", SHORT_CLIP_PASSES.default):
            return passed(
                f"{span}: the whole clip ({clip_end:.2f} s, shorter than {minimum:g} s) "
                "is labelled from its first to its last frame"
            )
        return failed(
            f"{span}: the clip is only {clip_end:.2f} s long, shorter than {minimum:g} s, "
            "and this pack does not accept a fully labelled short clip"
        )
    return failed(f"{span}: only {shown:.2f} s from the start (< {minimum:g} s)")
