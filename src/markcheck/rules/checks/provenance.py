"""Helpers shared by the provenance checks (EU Art. 50, California SB 942, consistency).

No checks live here: each rule set's checks are in their own module.
"""

from __future__ import annotations

from markcheck import sourcetype
from markcheck.model import C2PAInfo, Evidence, TC260Label
from markcheck.rules.registry import CheckResult, failed, unknown

NO_MANIFEST = "no C2PA manifest in the file"
AI_LABEL_VALUES = ("1", "2", "3")  # TC260 Label: is AI, possibly AI, suspected AI


def genai(value: str | None) -> bool:
    return bool(value) and sourcetype.classify(value).meaning == "genai"


def meaning(value: str | None) -> str | None:
    return sourcetype.classify(value).meaning if value else None


def tc260_says_ai(label: TC260Label) -> bool:
    return label.label is not None and str(label.label.get("Label")) in AI_LABEL_VALUES


def manifest(evidence: Evidence) -> tuple[C2PAInfo | None, CheckResult | None]:
    """The C2PA evidence, or the outcome to give when there is none to judge."""
    if "c2pa" in evidence.unavailable:
        return None, unknown(evidence.unavailable["c2pa"])
    if evidence.implicit.c2pa is None:
        return None, failed(NO_MANIFEST)
    return evidence.implicit.c2pa, None


def validates(info: C2PAInfo, accept_untrusted: bool) -> tuple[bool, str]:
    """Whether the manifest counts as validated, and why, in words for the report."""
    if info.validation_state == "Trusted":
        return True, "manifest validates and its signer is on the trust list (Trusted)"
    if info.validation_state == "Valid":
        return (
            accept_untrusted,
            "manifest validates but its signer is not on the trust list (Valid)",
        )
    return False, f"manifest does not validate (Invalid: {', '.join(info.codes) or 'no codes'})"
