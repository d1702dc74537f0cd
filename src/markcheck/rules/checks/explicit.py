"""Checks of the explicit (visible) label — GB 45438-2025 §5 and CAC Measures Art. 4.

Each reads the text regions the visible-label detector found (`evidence.explicit`). When the
pixels could not be examined, the outcome is unknown with the reason, never pass.
"""

from __future__ import annotations

from typing import Any

from markcheck.detectors.wording import classify_label_text
from markcheck.model import Evidence, TextRegion
from markcheck.rules.registry import (
    CheckContext,
    CheckResult,
    check,
    failed,
    not_applicable,
    passed,
    unknown,
)

NOT_EXAMINED = "the pixels were not examined"
NO_LABEL = "no visible AI label found (see cn.explicit.present)"


def _labels(regions: list[TextRegion]) -> list[TextRegion]:
    """Regions that disclose AI generation, Chinese-compliant wording first, tallest first."""
    found = [r for r in regions if classify_label_text(r.text).is_disclosure]
    return sorted(
        found, key=lambda r: (not classify_label_text(r.text).is_cn_label, -r.height_ratio)
    )


def _undecided(evidence: Evidence) -> CheckResult:
    return unknown(evidence.unavailable.get("explicit", NOT_EXAMINED))


def _labels_or_outcome(evidence: Evidence) -> tuple[list[TextRegion], CheckResult | None]:
    """The labels to judge, or the outcome when there are none (undecided or no label)."""
    if evidence.explicit is None:
        return [], _undecided(evidence)
    labels = _labels(evidence.explicit)
    return labels, None if labels else not_applicable(NO_LABEL)


def _describe(region: TextRegion) -> str:
    return f"{region.text!r} ({region.height_ratio:.1%} high, {region.position})"


@check("cn.explicit.present", needs=("explicit",))
def explicit_present(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """A visible AI label is burned into the pixels.

    CAC Measures Art. 4 ¶2: AI-generated content that can be downloaded or exported carries
    an explicit label in the file itself. A label is any text that discloses AI generation
    (Chinese or English); whether its wording, place and size comply are separate rules.
    Text lower than about 1.2 % of the shortest side is not read.
    """
    regions = evidence.explicit
    if regions is None:
        return _undecided(evidence)
    labels = _labels(regions)
    if labels:
        return passed(f"visible label {_describe(labels[0])}")
    others = ", ".join(repr(r.text) for r in regions[:5])
    seen = f"; other text seen: {others}" if others else ""
    return failed(f"no visible AI label found{seen}")


@check("cn.explicit.wording", needs=("explicit",))
def explicit_wording(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The visible label holds an AI element AND a generation element (GB 45438-2025 §5).

    AI element: 人工智能 or AI; generation element: 生成 or 合成. No fixed phrase is required:
    AI生成, 人工智能生成, 由AI生成, AI合成 and 人工智能合成 pass; "AI" alone, "生成" alone and
    English-only disclosures ("AI-generated") fail. OCR misreadings of AI (Al, A1) and
    full-width ＡＩ are tolerated next to a generation element.
    """
    labels, outcome = _labels_or_outcome(evidence)
    if outcome is not None:
        return outcome
    best = labels[0]
    match = classify_label_text(best.text)
    if match.is_cn_label:
        return passed(f"{best.text!r}: {match.ai_element} + {match.generation_element}")
    return failed(
        f"{best.text!r} discloses AI only in English; the Chinese wording needs "
        "人工智能/AI and 生成/合成"
    )


def _in_outer_band(region: TextRegion, width: int, height: int, band: float) -> bool:
    x, y, w, h = region.bbox
    return (
        x + w <= band * width
        or x >= (1 - band) * width
        or y + h <= band * height
        or y >= (1 - band) * height
    )


@check("cn.explicit.position", needs=("explicit",))
def explicit_position(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The visible label sits at an edge or a corner of the picture (GB 45438-2025 §5.2).

    The standard says 应位于图片的边或角 and gives no margin; the annex's bottom-right example
    is only illustrative. markcheck passes a label whose whole box lies inside the outer band
    of the picture: within `band` (a fraction of the width or height, default 0.2) of any edge.
    """
    labels, outcome = _labels_or_outcome(evidence)
    if outcome is not None:
        return outcome
    width, height = evidence.media.width, evidence.media.height
    if not width or not height:
        return unknown("the picture's size is unknown")
    band = float(params.get("band", 0.2))
    inside = [r for r in labels if _in_outer_band(r, width, height, band)]
    if inside:
        return passed(f"{_describe(inside[0])} lies within the outer {band:.0%} band")
    return failed(f"{_describe(labels[0])} is not within the outer {band:.0%} of any edge")


@check("cn.explicit.size", needs=("explicit",))
def explicit_size(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """Label text is at least 5 % of the picture's shortest side high (GB 45438-2025 §5.2).

    文字高度不应低于画面最短边长度的5%. "Text height" is not defined by the standard:
    markcheck measures the ink height of the label's text line (top of the tallest glyph to
    the bottom of the lowest) and reports the ratio to the shortest side. `min_ratio` is a
    pack parameter (default 0.05).

    The measurement is not exact (edges on a photograph; an outline around the glyphs is not
    counted as text), so a label measured just under the threshold, within `uncertainty`
    (default 0.15, relative) of it, is `unknown` for a person to check rather than a failure.
    """
    labels, outcome = _labels_or_outcome(evidence)
    if outcome is not None:
        return outcome
    minimum = float(params.get("min_ratio", 0.05))
    uncertainty = float(params.get("uncertainty", 0.15))
    tallest = max(labels, key=lambda r: r.height_ratio)
    if tallest.height_ratio >= minimum:
        return passed(f"{_describe(tallest)} ≥ {minimum:.1%}")
    if tallest.height_ratio >= minimum * (1 - uncertainty):
        return unknown(
            f"{_describe(tallest)} is just under {minimum:.1%}, within the ±{uncertainty:.0%} "
            "the height measurement can be off by: check the label's height by hand"
        )
    return failed(f"label present but too small: {_describe(tallest)} < {minimum:.1%}")


@check("cn.explicit.legible", needs=("explicit",))
def explicit_legible(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The label's typeface is clearly legible (GB 45438-2025 §5.2: 字型应清晰可辨).

    No contrast, colour or opacity figure exists anywhere, so this rule is at most a warning
    for a person to review. markcheck reports the measured contrast of the label's text rows
    (WCAG-style ratio, 1-21) and flags it below `min_contrast` (default 3.0, WCAG's figure
    for large text), or when the OCR read it with low confidence (`min_confidence`, 0.8).
    """
    labels, outcome = _labels_or_outcome(evidence)
    if outcome is not None:
        return outcome
    best = labels[0]
    min_contrast = float(params.get("min_contrast", 3.0))
    min_confidence = float(params.get("min_confidence", 0.8))
    if best.contrast is None:
        return unknown(f"contrast of {best.text!r} could not be measured")
    problems = []
    if best.contrast < min_contrast:
        problems.append(f"contrast {best.contrast:.1f}:1 < {min_contrast:.1f}:1")
    if best.confidence < min_confidence:
        problems.append(f"read with confidence {best.confidence:.2f} < {min_confidence:.2f}")
    if problems:
        return failed(f"{best.text!r}: " + "; ".join(problems))
    return passed(
        f"{best.text!r}: contrast {best.contrast:.1f}:1, confidence {best.confidence:.2f}"
    )
