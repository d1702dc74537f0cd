"""Checks of the explicit (visible) label — GB 45438-2025 §5 and CAC Measures Art. 4.

Each reads the text regions the visible-label detector found (`evidence.explicit`). When the
pixels could not be examined, the outcome is unknown with the reason, never pass.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from markcheck.model import Evidence, TextRegion
from markcheck.rules.registry import (
    CheckContext,
    CheckResult,
    Param,
    check,
    failed,
    not_applicable,
    passed,
    unknown,
)
from markcheck.rules.wording import (
    classify_label_text,
    generation_misread,
    glyphs_lost,
    read_in_part,
)

NOT_EXAMINED = "the pixels were not examined"
NO_LABEL = "no visible AI label found (see cn.explicit.present)"

MIN_RATIO = Param("min_ratio", float, 0.05, "text height / shortest side, at least", 0.0, 1.0)
UNCERTAINTY = Param(
    "uncertainty", float, 0.10,
    "relative widening of the two height estimates' range; a limit inside it is unknown",
    0.0, 0.5,
)  # fmt: skip
MIN_CONTRAST = Param(
    "min_contrast", float, 3.0, "glyph-fill contrast (WCAG ratio) below which to review", 1.0, 21.0
)
MIN_CONFIDENCE = Param(
    "min_confidence", float, 0.8, "OCR confidence below which to review the label", 0.0, 1.0
)
TEXT_DENSE = Param(
    "text_dense_lines", int, 5,
    "lines of other text from which a picture with no label read is unknown, not failed",
    1, 1000,
)  # fmt: skip
TEXT_DENSE_SHARE = Param(
    "text_dense_share", float, 0.10,
    "share of the picture covered by three or more lines of other text from which a picture "
    "with no label read is unknown, not failed",
    0.0, 1.0,
)  # fmt: skip
# Fewer lines than this are no page or poster however much of the picture they cover (a
# headline, a row of coins read as one line).
DENSE_MIN_LINES = 3
MARGIN = Param(
    "margin", float, 0.10,
    "how far (share of the shortest side) a label may sit from the edge it is anchored to",
    0.0, 0.5,
)  # fmt: skip


_OPPOSITE = {"left": "right", "right": "left", "top": "bottom", "bottom": "top"}


def _gaps(region: TextRegion, width: int, height: int) -> dict[str, float]:
    """The distance from the label's box to each edge of the picture, in pixels."""
    x, y, w, h = region.bbox
    return {"left": x, "top": y, "right": width - (x + w), "bottom": height - (y + h)}


def _anchored(region: TextRegion, width: int, height: int, margin: float) -> str | None:
    """The edge a label is anchored to (its box within `margin` x the shortest side of it,
    whatever its length), or None. A line that also reaches the opposite edge spans the
    picture from side to side: it is at neither of those two edges."""
    reach = margin * min(width, height)
    gaps = _gaps(region, width, height)
    near = [e for e, gap in gaps.items() if gap <= reach and gaps[_OPPOSITE[e]] > reach]
    return min(near, key=gaps.__getitem__) if near else None


@dataclass(frozen=True)
class Candidate:
    """A text region taken as a label, judged on wording, position and size together."""

    index: int
    region: TextRegion
    wording_ok: bool
    edge: str | None  # the edge it is anchored to; None when not at an edge (or no size)
    size_ok: bool

    @property
    def satisfied(self) -> int:
        return self.wording_ok + (self.edge is not None) + self.size_ok


def chosen_label(evidence: Evidence, ctx: CheckContext) -> Candidate | None:
    """The one label every cn.explicit rule judges: the candidate satisfying the most of
    wording, position and size (Chinese-compliant wording first, then at an edge, then the
    tallest), under this pack's thresholds. None when no text is taken as a label."""
    width, height = evidence.media.width or 0, evidence.media.height or 0
    margin = float(ctx.param("cn.explicit.position", "margin"))
    minimum = float(ctx.param("cn.explicit.size", "min_ratio"))
    candidates = []
    for index, region in enumerate(evidence.explicit or []):
        match = classify_label_text(region.text)
        if not match.is_label:
            continue
        edge = _anchored(region, width, height, margin) if width and height else None
        candidates.append(
            Candidate(index, region, match.is_cn_label, edge, region.height_ratio >= minimum)
        )
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda c: (c.satisfied, c.wording_ok, c.edge is not None, c.region.height_ratio),
    )


def not_examined(evidence: Evidence) -> CheckResult:
    """Unknown, with the reason the pixels were not examined (shared by every pixel rule)."""
    return unknown(evidence.unavailable.get("explicit", NOT_EXAMINED))


def _label_or_outcome(
    evidence: Evidence, ctx: CheckContext
) -> tuple[Candidate | None, CheckResult | None]:
    """The label to judge, or the outcome when there is none (undecided or no label)."""
    if evidence.explicit is None:
        return None, not_examined(evidence)
    label = chosen_label(evidence, ctx)
    return label, None if label else not_applicable(NO_LABEL)


def _describe(region: TextRegion) -> str:
    return f"{region.text!r} ({region.height_ratio:.1%} high, {region.position})"


def _read_in_part(evidence: Evidence, ctx: CheckContext) -> tuple[int, TextRegion] | None:
    """A line that may be a label the recogniser read in part (由A生成, 智能生成) and that,
    read whole, could comply: at an edge and not plainly too small. Such a line makes the
    label's presence unknown rather than failed; one that could not comply anyway leaves the
    file failing. Whether it is at an edge is judged with the glyphs it lost (a glyph about as
    wide as the line is high): the first glyph of 人工智能生成 at the left edge is the one the
    recogniser lost there."""
    width, height = evidence.media.width or 0, evidence.media.height or 0
    if not (width and height):
        return None
    margin = float(ctx.param("cn.explicit.position", "margin"))
    minimum = float(ctx.param("cn.explicit.size", "min_ratio"))
    uncertainty = float(ctx.param("cn.explicit.size", "uncertainty"))
    for index, region in enumerate(evidence.explicit or []):
        high = max(region.height_range or (region.height_ratio,))
        if (
            read_in_part(region.text)
            and _anchored(_whole(region, width), width, height, margin) is not None
            and high * (1 + uncertainty) >= minimum
        ):
            return index, region
    return None


def _whole(region: TextRegion, width: int) -> TextRegion:
    """A line read in part, with the glyphs a label phrase holding it has before and after."""
    before, after = glyphs_lost(region.text)
    x, y, w, h = region.bbox
    x0, x1 = max(0, x - before * h), min(width, x + w + after * h)
    return replace(region, bbox=(x0, y, x1 - x0, h))


# A line of text has letters or characters, and not one or two over and over: rows of coins
# read as "000000" or "eooeeo" are not print.
_LETTERS_IN_A_LINE = 3


def _worded(text: str) -> bool:
    return len({char for char in text if char.isalpha()}) >= _LETTERS_IN_A_LINE


@check("cn.explicit.present", needs=("explicit",), params=(TEXT_DENSE, TEXT_DENSE_SHARE))
def explicit_present(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """A visible AI label is burned into the pixels.

    CAC Measures Art. 4 ¶2: AI-generated content that can be downloaded or exported carries
    an explicit label in the file itself. A label is any text that names AI as a label does:
    Chinese wording (AI生成), a disclosure in another language (AI-generated, KI-generiert), or
    a standalone AI mark (即梦AI) — whether its wording, place and size comply are separate
    rules, all judging the same chosen label. Negations (非AI生成), event or product names
    (生成式AI大会) and words that merely contain the letters (MAIL) are not labels. Text lower
    than about 1.2 % of the shortest side is not read. Where no label is read but a short
    line at an edge, tall enough to comply, holds a generation element without an AI element
    (由A生成, 智能生成: the recogniser lost the thin I or the first glyphs), or reads within a
    glyph in four of a label phrase (此内容由人二智能生), the outcome is unknown, not fail: that
    line may be a compliant label read in part. So it is on a picture holding `text_dense_lines`
    lines of other text or more, each with three letters or characters at least (a page, a
    poster; not coins read as 000000 or eooeeo), or three such lines or more whose boxes cover
    `text_dense_share` of the picture (a page photographed close, its lines a tenth of the
    picture high): a label drawn over print of its own colour is read mixed with it or not at
    all (about a label in five over printed pages, on the project's labelled sets), so
    finding none there is no proof there is none.
    """
    if evidence.explicit is None:
        return not_examined(evidence)
    label = chosen_label(evidence, ctx)
    if label:
        return passed(f"visible label {_describe(label.region)}", label.index)
    partial = _read_in_part(evidence, ctx)
    if partial is not None:
        index, region = partial
        return unknown(
            f"no visible AI label read whole; {region.text!r} ({region.height_ratio:.1%} high, "
            f"{region.position}) reads like a label whose AI or generation element was lost or "
            "misread: check it by hand",
            index,
        )
    others = ", ".join(repr(r.text) for r in evidence.explicit[:5])
    more = ", ..." if len(evidence.explicit) > 5 else ""
    worded = [r for r in evidence.explicit if _worded(r.text)]
    area = (evidence.media.width or 0) * (evidence.media.height or 0)
    share = sum(r.bbox[2] * r.bbox[3] for r in worded) / area if area else 0.0
    dense = len(worded) >= params["text_dense_lines"] or (
        len(worded) >= DENSE_MIN_LINES and share >= params["text_dense_share"]
    )
    if evidence.media.kind == "image" and dense:
        return unknown(
            f"no visible AI label read among {len(worded)} lines of other text covering "
            f"{share:.0%} of the picture ({others}{more}): a label drawn over print is not "
            "always read apart from it: check by hand"
        )
    seen = f"; other text seen: {others}" if others else ""
    return failed(f"no visible AI label found{seen}")


@check("cn.explicit.wording", needs=("explicit",), params=())
def explicit_wording(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The visible label holds an AI element AND a generation element (GB 45438-2025 §5).

    AI element: 人工智能 or AI (any case, full-width too); generation element: 生成 or 合成.
    No fixed phrase is required: AI生成, 人工智能生成, 由 AI 生成, AI合成 and 人工智能合成 pass;
    "AI" alone, 即梦AI (no generation element), "生成" alone and disclosures in other languages
    ("AI-generated") fail. OCR misreadings of AI (Al, A1) are tolerated next to a generation
    element. A line ending in AI and half of a generation element (AI禽成: 合 misread), or in
    由AI / 由人工智能 (此内容由人工智能: "by AI" calls for 生成 after it, lost past the line's
    end), is unknown, not fail. The wording table is `markcheck.vocabulary.wording`.
    """
    label, outcome = _label_or_outcome(evidence, ctx)
    if label is None:
        return outcome
    region, match = label.region, classify_label_text(label.region.text)
    if match.is_cn_label:
        return passed(
            f"{region.text!r}: {match.ai_element} + {match.generation_element}", label.index
        )
    if match.is_disclosure:
        return failed(
            f"{region.text!r} discloses AI only in another language; the Chinese wording needs "
            "人工智能/AI and 生成/合成",
            label.index,
        )
    if generation_misread(region.text):
        return unknown(
            f"{region.text!r} ends in AI with half of a generation element or, after 由, none: "
            "生成/合成 may be misread by one glyph or lost past the line's end; check the label "
            "by hand",
            label.index,
        )
    return failed(f"{region.text!r} names AI without a generation element (生成/合成)", label.index)


@check("cn.explicit.position", needs=("explicit",), params=(MARGIN,))
def explicit_position(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The visible label sits at an edge or a corner of the picture (GB 45438-2025 §5.2).

    The standard says 应位于图片的边或角 and gives no margin; the annex's bottom-right example
    is only illustrative. A label is anchored at an edge when its box lies within `margin`
    (default 0.10, a share of the shortest side) of that edge, whatever its length — a long
    label down the right edge or along the bottom passes, even one reaching past the
    picture's middle. A line reaching both opposite edges and neither of the other two is
    `unknown`: it may be a label long enough to reach across from the edge it is set at, a
    banner across the middle, or a label read together with other text on its line (print
    it was drawn over), and only a person can tell which. 10 % covers the margins labels are
    set with (1-5 % of the short side in the project's labelled sets and in real generators'
    labels) with room to spare, while a label a third of the way in is not at an edge.
    """
    label, outcome = _label_or_outcome(evidence, ctx)
    if label is None:
        return outcome
    width, height = evidence.media.width, evidence.media.height
    if not width or not height:
        return unknown("the picture's size is unknown", label.index)
    margin = float(params.get("margin", MARGIN.default))
    region = label.region
    edge = _anchored(region, width, height, margin)
    if edge:
        return passed(f"{_describe(region)} is at the {edge} edge", label.index)
    gaps = _gaps(region, width, height)
    edge, gap = min(gaps.items(), key=lambda item: item[1])
    if gap <= margin * min(width, height):
        return unknown(
            f"{_describe(region)} reaches from the {edge} to the {_OPPOSITE[edge]} edge across "
            "the middle of the picture: a long label at one edge or a banner across the middle "
            "(or a label read together with other text on its line): check its place by hand",
            label.index,
        )
    return failed(
        f"{_describe(region)} is not at an edge or corner: {gap / min(width, height):.1%} of "
        f"the shortest side from the nearest edge > {margin:.1%}",
        label.index,
    )


@check("cn.explicit.size", needs=("explicit",), params=(MIN_RATIO, UNCERTAINTY))
def explicit_size(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """Label text is at least 5 % of the picture's shortest side high (GB 45438-2025 §5.2).

    文字高度不应低于画面最短边长度的5%. "Text height" is not defined by the standard:
    markcheck measures the ink height of the label's glyphs (top of the tallest glyph to the
    bottom of the lowest; a backing box, pill, outline or shadow is not text) and reports the
    ratio to the shortest side. `min_ratio` is a pack parameter (default 0.05).

    The measurement is not exact. Two independent estimates are made (the glyph fill's colour
    and the strokes' edges); the true height is taken to lie between them, widened by
    `uncertainty` (default 0.10) either way. Where the fill was seen as glyphs across the
    line, an edge estimate up to a third taller (it takes in an outline, a shadow or the
    photograph) does not raise the upper end. Where both estimates are taller than the em
    the line's width allows for the characters read on it (an ideograph is set on a square:
    its ink is about 0.84 of its advance, at most about all of it), the glyphs may have taken
    in something touching them (a tripod's legs, a dark sleeve, a translucent outline), and
    the lower end is 0.7 of that em (the glyphs of 95 % of the labelled sets' labels are
    taller). Glyphs under 3:1 against what surrounds them are measured less surely: their
    range reaches 15 % further either way. A label measured in few pixels (under 40 on the
    decode it was measured on: near the threshold on a picture of 800x600 or less) is known
    to a pixel or two: its range reaches 2 px lower (blur, an outline or JPEG ringing make
    such a measure too tall more often than too short) and, under 20 px, 1 px higher. A
    label run into other text on its line that could not be told apart from it (its range
    starts at 0) is unknown: the line's height is not its own. A label passes when even the
    lower end reaches `min_ratio`, fails when even the upper end stays under it, and is
    otherwise `unknown`, for a person to check, with the measured values and the limit in
    the message. On the project's labelled set the fill estimate has a median error of about
    2 % and no median bias, but a wide tail (shadows, translucent text), hence the two
    estimates.
    """
    label, outcome = _label_or_outcome(evidence, ctx)
    if label is None:
        return outcome
    minimum = float(params.get("min_ratio", MIN_RATIO.default))
    uncertainty = float(params.get("uncertainty", UNCERTAINTY.default))
    region = label.region
    low, high = region.height_range or (region.height_ratio, region.height_ratio)
    if low <= 0:
        return unknown(
            f"{_describe(region)}: the label runs into other text on its line and could not be "
            "told apart from it; its own height is unknown: check it by hand",
            label.index,
        )
    low, high = min(low, region.height_ratio), max(high, region.height_ratio)
    measured = f"measured {region.height_ratio:.1%}" + (
        f" (estimates {low:.1%}-{high:.1%})" if high - low >= 0.0005 else ""
    )
    if low * (1 - uncertainty) >= minimum:
        return passed(f"{_describe(region)}: {measured} ≥ {minimum:.1%}", label.index)
    if high * (1 + uncertainty) < minimum:
        return failed(
            f"label present but too small: {_describe(region)}: {measured} < {minimum:.1%}",
            label.index,
        )
    return unknown(
        f"{_describe(region)}: {measured} vs the limit {minimum:.1%}: within the measurement's "
        f"uncertainty (±{uncertainty:.0%} around the estimates): check the label's height by hand",
        label.index,
    )


@check("cn.explicit.legible", needs=("explicit",), params=(MIN_CONTRAST, MIN_CONFIDENCE))
def explicit_legible(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The label's typeface is clearly legible (GB 45438-2025 §5.2: 字型应清晰可辨).

    No contrast, colour or opacity figure exists anywhere, so this rule is at most a warning
    for a person to review. markcheck reports the measured contrast of the label's glyph fill
    against what surrounds its strokes (WCAG-style ratio, 1-21) and flags it below
    `min_contrast` (default 3.0, WCAG's figure for large text), or when the OCR read it with
    low confidence (`min_confidence`, 0.8).
    """
    label, outcome = _label_or_outcome(evidence, ctx)
    if label is None:
        return outcome
    best = label.region
    min_contrast = float(params.get("min_contrast", MIN_CONTRAST.default))
    min_confidence = float(params.get("min_confidence", MIN_CONFIDENCE.default))
    if best.contrast is None:
        return unknown(f"contrast of {best.text!r} could not be measured", label.index)
    problems = []
    if best.contrast < min_contrast:
        problems.append(f"contrast {best.contrast:.1f}:1 < {min_contrast:.1f}:1")
    if best.confidence < min_confidence:
        problems.append(f"read with confidence {best.confidence:.2f} < {min_confidence:.2f}")
    if problems:
        return failed(f"{best.text!r}: " + "; ".join(problems), label.index)
    return passed(
        f"{best.text!r}: contrast {best.contrast:.1f}:1, confidence {best.confidence:.2f}",
        label.index,
    )
