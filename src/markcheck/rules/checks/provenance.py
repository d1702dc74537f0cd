"""Helpers shared by the provenance checks (EU Art. 50, California SB 942, consistency).

No checks live here: each rule set's checks are in their own module.
"""

from __future__ import annotations

from markcheck import sourcetype
from markcheck.model import C2PAInfo, Evidence, TC260Label
from markcheck.readers.tc260 import field
from markcheck.rules.registry import CheckResult, Param, failed, passed, unknown
from markcheck.vocabulary import c2pa_codes

NO_MANIFEST = "no C2PA manifest in the file"
AI_LABEL_VALUES = ("1", "2", "3")  # TC260 Label: is AI, possibly AI, suspected AI


def genai(value: str | None) -> bool:
    return bool(value) and sourcetype.classify(value).meaning == "genai"


def meaning(value: str | None) -> str | None:
    return sourcetype.classify(value).meaning if value else None


def tc260_says_ai(label: TC260Label) -> bool:
    return label.label is not None and str(field(label.label, "Label")) in AI_LABEL_VALUES


def manifest(evidence: Evidence) -> tuple[C2PAInfo | None, CheckResult | None]:
    """The C2PA evidence, or the outcome to give when there is none to judge."""
    if "c2pa" in evidence.unavailable:
        return None, unknown(evidence.unavailable["c2pa"])
    if evidence.implicit.c2pa is None:
        return None, failed(NO_MANIFEST)
    return evidence.implicit.c2pa, None


ACCEPT_OFFLINE = Param(
    "accept_offline_unchecked",
    bool,
    True,
    "a manifest that is intact but has a check that cannot run offline (an OCSP lookup, a CAWG "
    "identity DID, a remote resource) counts; false makes such a manifest unknown",
)
_FALLBACK_CONDITION = {"Invalid": "broken", "Valid": "not_trusted", "Trusted": "sound"}


def condition(info: C2PAInfo) -> str:
    """broken | not_trusted | not_checkable_offline | sound (see readers.c2pa)."""
    return info.details.get("condition") or _FALLBACK_CONDITION.get(info.validation_state, "broken")


def _class_codes(info: C2PAInfo, kind: str) -> list[str]:
    return list((info.details.get("code_classes") or {}).get(kind) or [])


def standing(info: C2PAInfo, accept_untrusted: bool, accept_offline: bool = True) -> CheckResult:
    """Whether the manifest counts, judged by the class of its validation codes.

    Only integrity failures (tampered or malformed) make it broken; trust failures (signer not
    listed, credential expired without a trusted timestamp) count when `accept_untrusted`;
    revocation never does; checks that cannot run offline count when `accept_offline`.
    """
    state = condition(info)
    if state == "broken":
        codes = _class_codes(info, "integrity") or info.codes
        return failed(
            f"manifest is broken: altered after signing or malformed (integrity: "
            f"{', '.join(codes) or 'no codes'}; {info.validation_state})"
        )
    trust = c2pa_codes.signer_trust(_class_codes(info, "trust"))
    offline = [c for c in _class_codes(info, "offline") if c != "signingCredential.ocsp.skipped"]
    if state == "sound" and info.validation_state == "Trusted":
        why = "manifest validates and its signer is on the trust list (Trusted)"
    elif any("revoked" in code for code in trust):
        return failed(f"manifest is intact but its signing credential is revoked ({trust})")
    elif trust or state == "not_trusted":
        why = (
            "manifest is intact but not trusted "
            f"({', '.join(trust) or 'signer not on the trust list'}; {info.validation_state})"
        )
        if not accept_untrusted:
            return failed(why)
    else:
        why = f"manifest is intact ({info.validation_state})"
    if offline:
        note = f"{why}; not checkable offline: {', '.join(offline)}"
        return passed(note) if accept_offline else unknown(note)
    return passed(why)


def c2pa_genai(info: C2PAInfo | None) -> dict[str, str] | None:
    """The first GenAI source type in the manifest's actions or ingredient chain, if any."""
    if info is None:
        return None
    chain = sourcetype.genai_entries(info.details.get("digital_source_types") or [])
    if chain:
        return chain[0]
    if genai(info.digital_source_type):
        return {"value": info.digital_source_type or "", "where": "manifest"}
    return None


def validates(info: C2PAInfo, accept_untrusted: bool) -> tuple[bool, str]:
    """Whether the manifest counts as validated, and why, in words for the report."""
    if "condition" in info.details:
        result = standing(info, accept_untrusted)
        return result.outcome == "pass", result.message
    if info.validation_state == "Trusted":
        return True, "manifest validates and its signer is on the trust list (Trusted)"
    if info.validation_state == "Valid":
        return (
            accept_untrusted,
            "manifest validates but its signer is not on the trust list (Valid)",
        )
    return False, f"manifest does not validate (Invalid: {', '.join(info.codes) or 'no codes'})"
