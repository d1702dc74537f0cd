"""Checks of the implicit (metadata) label `AIGC` — GB 45438-2025 §6.1 and Annex E."""

from __future__ import annotations

import re
from typing import Any

from markcheck.model import Evidence, TC260Label
from markcheck.readers.tc260 import DUPLICATE, field, misspelled_keys
from markcheck.rules.registry import (
    CheckContext,
    CheckResult,
    check,
    failed,
    not_applicable,
    passed,
)

REQUIRED_KEYS = ("Label", "ContentProducer", "ProduceID", "ContentPropagator", "PropagateID")
OPTIONAL_KEYS = ("ReservedCode1", "ReservedCode2")
LABEL_VALUES = {"1": "AI-generated", "2": "possibly AI-generated", "3": "suspected AI-generated"}
# Printable ASCII without space, '"' and '\' (0x21, 0x23-0x5B, 0x5D-0x7E).
_ALLOWED_CHARS = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]*$")
# Unified social credit code alphabet (GB 32100-2015): digits and capitals without I, O, S, V, Z.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PROVIDER_CODE = re.compile(r"^00(?P<a>.)(?P<b>.)(?P<uscc>.{18})(?P<service>.)(?P<model>.{4})$")

NO_LABEL = "no AIGC label in the metadata (see cn.implicit.present)"


def _parsed(evidence: Evidence) -> list[TC260Label]:
    return [found for found in evidence.implicit.tc260 if found.label is not None]


def _each_label(evidence: Evidence, problems_of: Any, what: str) -> CheckResult:
    """Pass when no parsed label has problems; fail listing every problem by carrier."""
    labels = _parsed(evidence)
    if not labels:
        return not_applicable(NO_LABEL)
    problems = [
        f"{found.carrier}: {problem}" for found in labels for problem in problems_of(found.label)
    ]
    if problems:
        return failed("; ".join(problems))
    return passed(f"{what} ({', '.join(found.carrier for found in labels)})")


@check("cn.implicit.present", params=())
def implicit_present(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The file's metadata carries an implicit label: a field keyed `AIGC`.

    CAC Measures Art. 5 makes the metadata label mandatory for AI-generated content (a watermark
    is only encouraged); GB 45438-2025 §6.1 fixes its content and TC260 practice guides name the
    carrier per format (XMP `TC260:AIGC`, PNG text `AIGC`, MP4 `keys`/`ilst` `AIGC`, ...).
    """
    found = evidence.implicit.tc260
    if not found:
        return failed("no AIGC metadata label in any carrier the file format has")
    carriers = ", ".join(f.carrier for f in found)
    return passed(f"AIGC label found in {carriers}")


@check("cn.implicit.single", params=())
def implicit_single(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """Exactly one implicit label per file (GB 45438-2025 §6.1 c).

    Two carriers holding a label is a finding even when they agree, because readers may pick
    either and a later edit may update only one of them.
    """
    found = evidence.implicit.tc260
    if not found:
        return not_applicable(NO_LABEL)
    if len(found) == 1:
        return passed(f"one label, in {found[0].carrier}")
    values = {repr(f.label) if f.label is not None else f.raw for f in found}
    agreement = "they agree" if len(values) == 1 else "they DIFFER"
    carriers = ", ".join(f.carrier for f in found)
    return failed(f"{len(found)} labels ({carriers}); {agreement}")


@check("cn.implicit.fields", params=())
def implicit_fields(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The label value is a JSON object with the fields of GB 45438-2025 Annex E.

    Fields: Label, ContentProducer, ProduceID, ReservedCode1, ContentPropagator, PropagateID,
    ReservedCode2. The bare object and the wrapped form `{"AIGC": {...}}` are both accepted.
    ReservedCode1/2 are optional security fields: their absence is reported, never failed.
    Keys spelled in another case (`label`, `contentProducer`) are missing keys, named with the
    spelling found; a key given twice with different values fails. Every other departure from
    the canonical form found while parsing is named in the message.
    """
    found = evidence.implicit.tc260
    if not found:
        return not_applicable(NO_LABEL)
    problems, notes = [], []
    for label in found:
        if label.label is None:
            problems.append(f"{label.carrier}: value is not a JSON object ({label.raw[:60]!r})")
            continue
        missing = [key for key in REQUIRED_KEYS if key not in label.label]
        if missing:
            spelled = {name: found for found, name in misspelled_keys(label.label).items()}
            named = [
                f"{key} (written {spelled[key]!r})" if key in spelled else key for key in missing
            ]
            problems.append(f"{label.carrier}: missing {', '.join(named)}")
        problems += [
            f"{label.carrier}: {deviation}"
            for deviation in label.deviations
            if deviation.startswith(DUPLICATE) and "DIFFERENT" in deviation
        ]
        absent_optional = [key for key in OPTIONAL_KEYS if key not in label.label]
        if absent_optional:
            notes.append(f"{label.carrier}: optional {', '.join(absent_optional)} absent")
        notes += [f"{label.carrier}: {deviation}" for deviation in label.deviations]
    detail = f" (notes: {'; '.join(notes)})" if notes else ""
    if problems:
        return failed("; ".join(problems) + detail)
    return passed("label object has the required fields" + detail)


@check("cn.implicit.label_value", params=())
def implicit_label_value(
    evidence: Evidence, params: dict[str, Any], ctx: CheckContext
) -> CheckResult:
    """`Label` is the string "1" (AI-generated), "2" (possibly) or "3" (suspected).

    GB 45438-2025 Annex E gives the values as strings; a number (1) or another word ("AIGC",
    seen in real files) is a deviation that strict readers reject.
    """

    def problems(label: dict[str, Any]) -> list[str]:
        value = field(label, "Label")  # the spelling is cn.implicit.fields' concern
        if isinstance(value, str) and value in LABEL_VALUES:
            return []
        if value is None:
            return ["Label is missing"]
        if isinstance(value, (int, float)) and str(value) in LABEL_VALUES:
            return [f'Label is the number {value}, the standard\'s form is the string "{value}"']
        return [f'Label is {value!r}, expected "1", "2" or "3"']

    result = _each_label(evidence, problems, "Label value is valid")
    if result.outcome == "pass":
        values = {str(field(f.label, "Label")) for f in _parsed(evidence) if f.label}
        meaning = ", ".join(f'"{v}" = {LABEL_VALUES[v]}' for v in sorted(values))
        return passed(f"Label {meaning}")
    return result


def _empty_fields(label: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    return [f"{key} is empty or missing" for key in keys if not str(label.get(key) or "").strip()]


@check("cn.implicit.producer", params=())
def implicit_producer(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """`ContentProducer` (provider name or code) and `ProduceID` (content number) are non-empty.

    GB 45438-2025 §6.1 and Annex E: the provider that generated the content identifies itself
    and gives the content a unique number.
    """

    return _each_label(
        evidence,
        lambda label: _empty_fields(label, ("ContentProducer", "ProduceID")),
        "ContentProducer and ProduceID are given",
    )


@check("cn.implicit.charset", params=())
def implicit_charset(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """Label values use only 0x21, 0x23-0x5B, 0x5D-0x7E (printable ASCII without space, `"`, `\\`).

    GB 45438-2025 Annex E restricts the character set; Chinese provider names should be given
    as codes. Confidence M: reported as a warning.
    """

    def problems(label: dict[str, Any]) -> list[str]:
        out = []
        for key, value in label.items():
            if value is None:
                continue
            text = value if isinstance(value, str) else str(value)
            if not _ALLOWED_CHARS.match(text):
                bad = sorted({ch for ch in text if not _ALLOWED_CHARS.match(ch)})
                out.append(f"{key} has characters outside the allowed set: {''.join(bad)!r}")
        return out

    return _each_label(evidence, problems, "all values use the allowed characters")


@check("cn.implicit.propagator", params=())
def implicit_propagator(
    evidence: Evidence, params: dict[str, Any], ctx: CheckContext
) -> CheckResult:
    """A propagation platform adds `ContentPropagator` and `PropagateID` to the label.

    CAC Measures Art. 6: a platform that distributes AI-generated content records itself and
    its own content number in the metadata label (GB 45438-2025 Annex E).
    """

    return _each_label(
        evidence,
        lambda label: _empty_fields(label, ("ContentPropagator", "PropagateID")),
        "ContentPropagator and PropagateID are given",
    )


def uscc_check_digit_ok(code: str) -> bool:
    """Verify the check character of an 18-character unified social credit code."""
    if len(code) != 18 or any(ch not in _USCC_ALPHABET for ch in code):
        return False
    pairs = zip(code[:17], _USCC_WEIGHTS, strict=True)
    total = sum(_USCC_ALPHABET.index(ch) * weight for ch, weight in pairs)
    return _USCC_ALPHABET[(31 - total % 31) % 31] == code[17]


@check("cn.implicit.provider_code", params=())
def implicit_provider_code(
    evidence: Evidence, params: dict[str, Any], ctx: CheckContext
) -> CheckResult:
    """`ContentProducer` has the 27-character provider code form (TC260-PG-20252A).

    Form: `00` + `1` + `1` + 18-character unified social credit code + service type (`1`
    generation, `2` propagation) + 4-character model code, e.g. `001191110102MACQD9K64010000`.
    The credit code's check character (GB 32100-2015) is verified. Confidence M: info only.
    """

    def problems(label: dict[str, Any]) -> list[str]:
        producer = str(label.get("ContentProducer") or "")
        match = _PROVIDER_CODE.match(producer)
        if not match:
            return [f"ContentProducer {producer[:40]!r} is not a 27-character provider code"]
        out = []
        if match["a"] != "1" or match["b"] != "1":
            out.append(f"positions 3-4 are {match['a']}{match['b']!r}, expected '11'")
        if not uscc_check_digit_ok(match["uscc"]):
            out.append(f"credit code {match['uscc']} fails its check character")
        if match["service"] not in "12":
            out.append(f"service type {match['service']!r} is neither 1 nor 2")
        return out

    return _each_label(evidence, problems, "ContentProducer is a well-formed provider code")
