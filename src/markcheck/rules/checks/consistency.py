"""Do the provenance marks agree with each other (`cn.implicit.consistency`)?"""

from __future__ import annotations

from typing import Any

from markcheck import sourcetype
from markcheck.model import Evidence
from markcheck.rules.checks.layers import decoded, describe
from markcheck.rules.checks.provenance import c2pa_genai, condition, meaning, tc260_says_ai
from markcheck.rules.registry import (
    CheckContext,
    CheckResult,
    check,
    failed,
    not_applicable,
    passed,
    unknown,
)


def _say(names: list[str]) -> str:
    return " and ".join(names) + (" says" if len(names) == 1 else " say")


# Not needing "watermark" keeps `--select cn.implicit` a metadata-only scan; decoded layers
# are compared whenever another selected rule had the pixels decoded.
@check("cn.implicit.consistency", needs=("metadata", "c2pa"), params=())
def cn_consistency(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """Provenance and the TC260 label agree (CAC Measures Art. 10: no removing or forging).

    Findings: C2PA (a manifest that is not Invalid) or IPTC says AI-generated while the
    TC260 label is missing or its Label is not "1", "2" or "3"; or IPTC or C2PA says camera
    capture (or another non-AI source) while another mark says AI. A label may have been
    stripped or forged. An Invalid manifest is not trusted to contradict anything. A
    generator's watermark decoded from the pixels says AI like a GenAI source type does
    (a watermark only declared says nothing about the content, so it is not compared);
    watermarks are decoded when another selected rule needs them (e.g. the EU or
    California packs), so that this rule stays a metadata check.
    """
    implicit = evidence.implicit
    c2pa = implicit.c2pa
    # A GenAI type anywhere in the ingredient chain says AI; a broken manifest says nothing.
    intact = c2pa is not None and condition(c2pa) != "broken"
    c2pa_meaning = (
        ("genai" if c2pa_genai(c2pa) else meaning(c2pa.digital_source_type)) if intact else None
    )
    iptc = implicit.iptc_digital_source_type
    iptc_meaning = meaning(iptc)
    tc260_ai = any(tc260_says_ai(label) for label in implicit.tc260)
    says_ai = [name for name, m in (("C2PA", c2pa_meaning), ("IPTC", iptc_meaning)) if m == "genai"]
    says_ai += [f"the decoded {describe(mark)}" for mark in decoded(evidence) if mark.generator]
    problems = []
    if says_ai and not implicit.tc260:
        problems.append(f"{_say(says_ai)} AI-generated but there is no TC260 label")
    elif says_ai and not tc260_ai:
        values = [
            label.label.get("Label") if label.label else label.raw for label in implicit.tc260
        ]
        problems.append(f"{_say(says_ai)} AI-generated but the TC260 Label is {values}")
    for name, value, m in (
        ("IPTC", iptc, iptc_meaning),
        ("C2PA", c2pa and c2pa.digital_source_type, c2pa_meaning),
    ):
        others = [n for n in says_ai if n != name] + (["the TC260 label"] if tc260_ai else [])
        if m == "not_genai" and others:
            code = sourcetype.classify(value).code
            problems.append(f"{name} says {code} while {_say(others)} AI")
    if problems:
        return failed("; ".join(problems))
    if c2pa_meaning is None and iptc is None and not decoded(evidence):
        if "c2pa" in evidence.unavailable:
            return unknown(evidence.unavailable["c2pa"])
        if c2pa is not None and not intact:
            return not_applicable("the C2PA manifest does not validate, so it is not compared")
        if c2pa is None:
            return not_applicable("no C2PA manifest and no IPTC source type to compare")
    return passed("provenance marks and the TC260 label agree")
