"""Typed result objects shared by every stage.

Evidence holds only observations (no policy); findings and statuses are what the rules make of
it. Every object serialises to the JSON report contract (schema version "1") via `to_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

Outcome = Literal["pass", "fail", "unknown", "not_applicable"]
Severity = Literal["error", "warning", "info"]
Status = Literal["compliant", "noncompliant", "needs_review", "not_applicable", "error"]
Verdict = Literal["confirmed", "possible", "suspected", "none"]

STATUSES: tuple[Status, ...] = (
    "compliant",
    "noncompliant",
    "needs_review",
    "not_applicable",
    "error",
)
# Strength order of AI verdicts, weakest first.
VERDICT_ORDER: tuple[Verdict, ...] = ("none", "suspected", "possible", "confirmed")
# Why a rule did not judge a file that shows no AI signal (without --assume-ai): such files
# are counted apart as "not judged", never to be mistaken for compliant ones.
NO_AI_SIGNAL = "no AI signal found"


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(value: Any) -> Any:
    """JSON-ready copy of a value made of dataclasses, lists, tuples and dicts.

    Faster than dataclasses.asdict, which deep-copies every leaf: reports of 10,000s of files
    are built from this.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return [plain(item) for item in value]
    if kind is dict:
        return {key: plain(item) for key, item in value.items()}
    names = _FIELD_NAMES.get(kind)
    if names is None and hasattr(kind, "__dataclass_fields__"):
        names = _FIELD_NAMES[kind] = tuple(
            f.name for f in fields(kind) if f.metadata.get("report", True)
        )
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    return value


def report_fields(value: Any) -> dict[str, Any]:
    """A dataclass's report fields, one level deep: json's C encoder calls this (as `default`)
    for each dataclass it meets and walks lists, dicts and scalars itself, which writes the
    same text as encoding plain(value) without building the copy in Python first."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        if not hasattr(kind, "__dataclass_fields__"):
            raise TypeError(f"{kind.__name__} is not JSON serializable")
        names = _FIELD_NAMES[kind] = tuple(
            f.name for f in fields(kind) if f.metadata.get("report", True)
        )
    return {name: getattr(value, name) for name in names}


@dataclass(slots=True)
class MediaInfo:
    kind: str  # "image" | "video" | "other"
    format: str  # "jpeg", "png", "webp", "gif", "tiff", "heif", "avif", "mp4", "mov", ...
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    frame_s: float | None = None  # video: one frame's duration (the smallest spacing seen)


@dataclass(slots=True)
class Signal:
    """One reason to believe a file is AI-generated, with the verdict it supports on its own."""

    source: str
    detail: str
    strength: Verdict = "suspected"


@dataclass(slots=True)
class TextRegion:
    """A line of visible text found on the pixels (bbox in original-frame pixels)."""

    text: str
    bbox: list[int]  # [x, y, w, h]
    height_ratio: float  # measured ink height / shortest side of the frame
    position: str  # nine-way: top-left, top, top-right, left, center, right, bottom-left, ...
    confidence: float
    time_s: list[float] | None = None  # [start, end] for video, None for images
    contrast: float | None = None
    # Whether the text is taken as a visible AI label, and its wording class
    # (markcheck.vocabulary.wording: cn_label, disclosure, ai_mark, none).
    is_label: bool = False
    wording: str = "none"
    # [low, high] of the independent height estimates (glyph fill colour; stroke edges):
    # where they disagree the true height may lie anywhere between them. low is 0 for a label
    # that could not be told apart from other text it runs into: its own height is unknown.
    height_range: list[float] | None = None
    # Video: the scan stopped (time budget) while the label was still shown, so it is shown
    # until at least time_s[1]; the true end is later. None when the end was seen.
    open_end: bool | None = None


@dataclass(slots=True)
class TC260Label:
    """An `AIGC` implicit label as found in one carrier."""

    carrier: str  # where it was found, e.g. "xmp:jpeg/app1", "png/tEXt:AIGC"
    label: dict[str, Any] | None  # the unwrapped label object, None when unparseable
    raw: str  # the value exactly as stored (decoded to text)
    form: str = "bare"  # "bare" | "wrapped" | "unparsed"
    deviations: list[str] = field(default_factory=list)


@dataclass(slots=True)
class C2PAInfo:
    validation_state: str  # "Invalid" | "Valid" | "Trusted"
    digital_source_type: str | None = None
    claim_generator: str | None = None
    signer: str | None = None
    codes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # further fields for provenance rules


@dataclass(slots=True)
class GeneratorHint:
    source: str
    value: str


@dataclass(slots=True)
class WatermarkHit:
    scheme: str
    score: float  # decoded: share of the message's bits read back (bits_matched / bits_total)
    # Added fields: what a decoder read (decoded) or a manifest only declared.
    message: str | None = None  # the message as its source writes it
    generator: str | None = None  # who embeds that message
    bits_matched: int | None = None
    bits_total: int | None = None
    decoded: bool = False  # read from the pixels by a decoder (not merely declared)
    # True for a layer a C2PA manifest declares (soft binding, watermarked action), which
    # nothing decoded; `source` says where it was declared.
    declared: bool = False
    source: str | None = None
    false_positive_p: float | None = None  # chance an unmarked picture reads this well
    control: str | None = None  # positive control: "detectable" | "undecidable" | None


@dataclass(slots=True)
class WatermarkReading:
    """What one decoder read for one message, hit or miss (a miss is not absence)."""

    scheme: str
    message: str
    generator: str
    bits_matched: int
    bits_total: int
    min_bits: int  # the hit threshold
    hit: bool
    # Positive control: the message embedded in a copy of these pixels (re-compressed like the
    # file when it is a JPEG) and decoded back. "detectable": a mark would have been read here;
    # "undecidable": even a fresh mark is not read, so a miss says nothing.
    control: str | None = None
    control_bits_matched: int | None = None
    key: str | None = None  # which pipeline variant was read ("sdxl", "sdxl-rgb", ...)


@dataclass(slots=True)
class WatermarkSearch:
    """Which watermark decoders looked at the pixels, and what each message read."""

    decoders: list[str] = field(default_factory=list)
    readings: list[WatermarkReading] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Implicit:
    tc260: list[TC260Label] = field(default_factory=list)
    c2pa: C2PAInfo | None = None
    iptc_digital_source_type: str | None = None
    iptc_ai: dict[str, str] = field(default_factory=dict)  # IPTC 2025.1 AISystemUsed, ...
    generator_hints: list[GeneratorHint] = field(default_factory=list)
    watermarks: list[WatermarkHit] = field(default_factory=list)
    # None until a watermark decoder has looked at the pixels (added field).
    watermark_search: WatermarkSearch | None = None


@dataclass(slots=True)
class Evidence:
    """Everything observed about one file. No policy here."""

    path: str
    sha256: str
    media: MediaInfo
    implicit: Implicit = field(default_factory=Implicit)
    # Visible text regions; None until the visible-label detector has looked at the pixels.
    explicit: list[TextRegion] | None = None
    # Evidence parts that could not be computed, with the reason ("explicit" -> "...").
    unavailable: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Embedded C2PA stores the container readers saw; None when they cannot tell.
    c2pa_stores: list[str] | None = None


@dataclass(slots=True)
class AIAssessment:
    verdict: Verdict
    signals: list[Signal] = field(default_factory=list)


@dataclass(slots=True)
class WaiverMark:
    """A waiver that matched a finding: applied, or expired (then the finding counts as usual)."""

    reason: str
    path: str  # the waiver's path or glob
    expires: str | None = None  # ISO date, inclusive
    expired: bool = False


@dataclass(slots=True)
class Finding:
    rule: str
    ruleset: str
    outcome: Outcome
    severity: Severity
    message: str
    clause: str
    waiver: WaiverMark | None = None  # set by a waiver file (optional field, added)
    region: int | None = None  # index into `explicit` of the text region the rule judged

    @property
    def waived(self) -> bool:
        return self.waiver is not None and not self.waiver.expired


@dataclass(slots=True)
class FileError:
    type: str
    message: str


@dataclass(slots=True)
class Thumb:
    """A small JPEG of a picture or video frame, as a data URI."""

    uri: str  # data:image/jpeg;base64,...
    width: int
    height: int


@dataclass(slots=True)
class Preview:
    """What the HTML report shows of a file: its thumbnail (oriented as displayed, so text
    boxes land where they were found) and, for a video, sampled frames with their times."""

    thumb: Thumb | None = None
    frames: list[tuple[float, Thumb]] = field(default_factory=list)
    problem: str | None = None  # why there is no thumbnail
    # Full-resolution close-ups of the labels, by index into the file's explicit regions.
    closeups: list[tuple[int, Thumb]] = field(default_factory=list)


# Fields that stay out of the JSON report.
_NOT_REPORTED = {"report": False}


@dataclass(slots=True)
class FileResult:
    path: str
    sha256: str
    status: Status
    media: MediaInfo
    ai: AIAssessment
    explicit: list[TextRegion] = field(default_factory=list)
    implicit: Implicit = field(default_factory=Implicit)
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None
    notes: list[str] = field(default_factory=list)
    # Made only when an HTML report is asked for; too big for the JSON report.
    preview: Preview | None = field(default=None, metadata=_NOT_REPORTED)
    # Evidence parts taken from the evidence cache ("metadata", "c2pa", "explicit"), if any.
    cached: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


@dataclass(slots=True)
class RulesetRef:
    id: str
    version: str


@dataclass(slots=True)
class ScanResult:
    tool: dict[str, Any]
    rulesets: list[RulesetRef]
    files: list[FileResult] = field(default_factory=list)
    skipped: int = 0  # paths that were not media (or could not be visited)
    skipped_paths: list[dict[str, str]] = field(default_factory=list)
    partial: bool = False
    # Files by status, including those handed to a report sink and not kept in `files`.
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    # What was checked, with what, and when (markcheck.audit); None when not recorded.
    audit: dict[str, Any] | None = None
    # Files markcheck itself failed on (error type "internal": a bug, not the file's fault).
    internal_errors: int = 0
    # not_applicable files that no rule judged for want of an AI signal.
    not_judged: int = 0

    def record(self, result: FileResult, keep: bool = True) -> None:
        self.counts[result.status] += 1
        if result.error is not None and result.error.type == "internal":
            self.internal_errors += 1
        if result.status == "not_applicable" and any(
            f.message.startswith(NO_AI_SIGNAL) for f in result.findings
        ):
            self.not_judged += 1
        if keep:
            self.files.append(result)

    @property
    def summary(self) -> dict[str, int]:
        counts = dict(self.counts)
        if not any(counts.values()):  # built by hand from a list of files
            for result in self.files:
                counts[result.status] += 1
        return {"total": sum(counts.values()), **counts}

    def to_dict(self, include_files: bool = True) -> dict[str, Any]:
        document = {
            "schema_version": "1",
            "tool": self.tool,
            "rulesets": plain(self.rulesets),
            "summary": {**self.summary, "skipped": self.skipped, "not_judged": self.not_judged},
            "partial": self.partial,
            "skipped": self.skipped_paths,
        }
        if self.audit is not None:
            document["audit"] = self.audit
        if include_files:
            document["files"] = [result.to_dict() for result in self.files]
        return document
