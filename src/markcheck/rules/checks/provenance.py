"""Checks of machine-readable marking and provenance: EU AI Act Art. 50 and California SB 942.

They read the C2PA evidence (validated offline against the bundled trust list), IPTC digital
source types, TC260 labels and watermark hits. A check that needs the C2PA manifest says
unknown when it could not be read, never pass.
"""

from __future__ import annotations

from typing import Any

from markcheck import sourcetype
from markcheck.detectors.wording import classify_label_text
from markcheck.model import C2PAInfo, Evidence
from markcheck.rules.registry import (
    CheckContext,
    CheckResult,
    check,
    failed,
    not_applicable,
    passed,
    unknown,
)

NO_MANIFEST = "no C2PA manifest in the file"


def _genai(value: str | None) -> bool:
    return bool(value) and sourcetype.classify(value).meaning == "genai"


def _manifest(evidence: Evidence) -> tuple[C2PAInfo | None, CheckResult | None]:
    """The C2PA evidence, or the outcome to give when there is none to judge."""
    if "c2pa" in evidence.unavailable:
        return None, unknown(evidence.unavailable["c2pa"])
    if evidence.implicit.c2pa is None:
        return None, failed(NO_MANIFEST)
    return evidence.implicit.c2pa, None


def _validates(info: C2PAInfo, accept_untrusted: bool) -> tuple[bool, str]:
    if info.validation_state == "Trusted":
        return True, "manifest validates and its signer is on the trust list (Trusted)"
    if info.validation_state == "Valid":
        text = "manifest validates but its signer is not on the trust list (Valid)"
        return accept_untrusted, text
    return False, f"manifest does not validate (Invalid: {', '.join(info.codes) or 'no codes'})"


@check("eu.marking.machine_readable", needs=("metadata", "c2pa"))
def eu_machine_readable(
    evidence: Evidence, params: dict[str, Any], ctx: CheckContext
) -> CheckResult:
    """Outputs are marked as AI-generated in a machine-readable, detectable way (Art. 50(2)).

    Any of these marks counts: a C2PA manifest with a GenAI digitalSourceType, an IPTC
    DigitalSourceType with a GenAI value, a TC260 `AIGC` label, or a decoded watermark.
    Source: Regulation (EU) 2024/1689 Art. 50(2); GenAI values per the C2PA Asset Rubrics.
    """
    implicit = evidence.implicit
    marks = []
    if implicit.c2pa and _genai(implicit.c2pa.digital_source_type):
        marks.append(f"C2PA digitalSourceType ({implicit.c2pa.validation_state})")
    if _genai(implicit.iptc_digital_source_type):
        marks.append("IPTC DigitalSourceType")
    if any(label.label is not None for label in implicit.tc260):
        marks.append("TC260 AIGC label")
    marks += [f"watermark {mark.scheme}" for mark in implicit.watermarks]
    if marks:
        return passed("marked as AI output by " + ", ".join(marks))
    if "c2pa" in evidence.unavailable:
        return unknown(f"no other mark found and {evidence.unavailable['c2pa']}")
    return failed(
        "no machine-readable AI marking: no GenAI source type in C2PA or IPTC, no "
        "TC260 label, no decoded watermark (no watermark detector ran; its absence "
        "proves nothing)"
    )


@check("eu.marking.signed_metadata", needs=("c2pa",))
def eu_signed_metadata(
    evidence: Evidence, params: dict[str, Any], ctx: CheckContext
) -> CheckResult:
    """Signed, time-stamped, tamper-evident metadata (Code of Practice 1.1.1).

    In practice a C2PA manifest that validates, with a trusted timestamp. Pack parameters:
    `accept_untrusted` (a manifest whose signer is not on the trust list counts, default
    false) and `require_timestamp` (default true).
    """
    info, outcome = _manifest(evidence)
    if info is None:
        return outcome
    ok, why = _validates(info, bool(params.get("accept_untrusted", False)))
    if not ok:
        return failed(why)
    if params.get("require_timestamp", True) and not info.details.get("timestamp_authority"):
        return failed(f"{why}, but it carries no trusted timestamp")
    return passed(why)


@check("eu.marking.multilayer", needs=("c2pa",))
def eu_multilayer(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """At least two marking layers: signed metadata and an imperceptible watermark (CoP 1.1).

    Fingerprinting alone never suffices. The metadata layer is a C2PA manifest that validates;
    the watermark layer is a decoded watermark or a C2PA soft-binding assertion naming one.
    markcheck has no watermark decoder for most schemes, so a missing watermark hit makes
    this rule unknown, not failed: absence of a hit is not evidence of absence.
    """
    info, outcome = _manifest(evidence)
    if info is None:
        return outcome
    ok, why = _validates(info, bool(params.get("accept_untrusted", False)))
    if not ok:
        return failed(f"metadata layer missing: {why}")
    bindings = info.details.get("soft_bindings") or []
    marks = [mark.scheme for mark in evidence.implicit.watermarks]
    if bindings or marks:
        return passed(f"signed metadata and watermark ({', '.join(bindings + marks)})")
    return unknown(
        "signed metadata present; no watermark was decoded or declared, and no "
        "watermark detector ran for the likely schemes"
    )


@check("eu.deepfake.disclosure", needs=("explicit",))
def eu_deepfake_disclosure(
    evidence: Evidence, params: dict[str, Any], ctx: CheckContext
) -> CheckResult:
    """Deepfakes are disclosed visibly by their deployer (Art. 50(4)).

    The Code of Practice's EU icon is a capital "AI"; no size or duration figure exists.
    Whether a picture is a deepfake needs a person, so this rule passes when a visible AI
    disclosure is found and otherwise asks for review; it never fails.
    """
    regions = evidence.explicit
    if regions is None:
        return unknown(evidence.unavailable.get("explicit", "the pixels were not examined"))
    for region in regions:
        if classify_label_text(region.text).is_disclosure or region.text.strip() == "AI":
            return passed(f"visible disclosure {region.text!r} at {region.position}")
    return unknown("no visible AI disclosure; a person must judge whether this is a deepfake")


def _latent(evidence: Evidence) -> tuple[C2PAInfo | None, CheckResult | None]:
    info, outcome = _manifest(evidence)
    if info is None and outcome is not None and outcome.outcome == "fail":
        return None, failed("no latent disclosure: " + NO_MANIFEST)
    return info, outcome


@check("ca.latent.provider", needs=("c2pa",))
def ca_provider(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The latent disclosure names the covered provider (SB 942 §22757.3(b), as amended).

    C2PA mapping: the signer certificate's organisation (O=), or claim_generator_info name.
    """
    info, outcome = _latent(evidence)
    if info is None:
        return outcome
    names = [
        n
        for n in (
            info.signer,
            *(g.get("name") for g in info.details.get("claim_generator_info", [])),
        )
        if n
    ]
    if names:
        return passed(f"provider: {names[0]}")
    return failed("the manifest names no provider (no signer organisation, no generator name)")


@check("ca.latent.system", needs=("c2pa",))
def ca_system(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The latent disclosure names the GenAI system and its version (SB 942 §22757.3(b)).

    C2PA mapping: an action's softwareAgent {name, version}, or claim_generator_info
    name and version.
    """
    info, outcome = _latent(evidence)
    if info is None:
        return outcome
    candidates = [a.get("softwareAgent") for a in info.details.get("actions", [])]
    candidates += info.details.get("claim_generator_info", [])
    for agent in candidates:
        if isinstance(agent, dict) and agent.get("name") and agent.get("version"):
            return passed(f"system: {agent['name']} {agent['version']}")
    return failed("no system name with a version in the manifest")


@check("ca.latent.time", needs=("c2pa",))
def ca_time(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The latent disclosure gives the time and date of creation or alteration (SB 942).

    C2PA mapping: a trusted timestamp, the signing time, or an action's `when`.
    """
    info, outcome = _latent(evidence)
    if info is None:
        return outcome
    whens = [a.get("when") for a in info.details.get("actions", []) if a.get("when")]
    when = info.details.get("signing_time") or (whens[0] if whens else None)
    if when:
        return passed(f"time: {when}")
    return failed("no creation or alteration time in the manifest")


@check("ca.latent.identifier", needs=("c2pa",))
def ca_identifier(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The latent disclosure carries a unique identifier (SB 942 §22757.3(b)).

    C2PA mapping: the manifest label (`urn:c2pa:...`) or the instance_id.
    """
    info, outcome = _latent(evidence)
    if info is None:
        return outcome
    ident = info.details.get("manifest_label") or info.details.get("instance_id")
    if ident:
        return passed(f"identifier: {ident}")
    return failed("no manifest label or instance id")


@check("ca.latent.detectable", needs=("c2pa",))
def ca_detectable(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The latent disclosure is detectable, consistent with industry standards (SB 942).

    C2PA mapping: the manifest validates. `accept_untrusted` (default true: the statute asks
    for a detectable standard disclosure, not a particular trust list) decides whether a
    signer that is not on the C2PA trust list is enough.
    """
    info, outcome = _latent(evidence)
    if info is None:
        return outcome
    ok, why = _validates(info, bool(params.get("accept_untrusted", True)))
    return passed(why) if ok else failed(why)


@check("cn.implicit.consistency", needs=("metadata", "c2pa"))
def cn_consistency(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """Provenance and the TC260 label agree (CAC Measures Art. 10: no removing or forging).

    A file whose C2PA manifest or IPTC source type says AI but whose TC260 label is missing
    or does not say AI, or whose IPTC says camera capture while C2PA or TC260 says AI, is a
    consistency finding: a label may have been stripped or forged.
    """
    implicit = evidence.implicit
    c2pa_ai = bool(
        implicit.c2pa
        and implicit.c2pa.validation_state != "Invalid"
        and _genai(implicit.c2pa.digital_source_type)
    )
    iptc = implicit.iptc_digital_source_type
    iptc_meaning = sourcetype.classify(iptc).meaning if iptc else None
    labels = [label.label.get("Label") for label in implicit.tc260 if label.label]
    tc260_ai = any(str(value) in ("1", "2", "3") for value in labels)
    problems = []
    if (c2pa_ai or iptc_meaning == "genai") and not implicit.tc260:
        source = "C2PA" if c2pa_ai else "IPTC"
        problems.append(f"{source} says AI-generated but there is no TC260 label")
    elif (c2pa_ai or iptc_meaning == "genai") and not tc260_ai:
        problems.append(f"provenance says AI-generated but the TC260 Label is {labels}")
    if iptc_meaning == "not_genai" and (c2pa_ai or tc260_ai):
        problems.append(
            f"IPTC says {sourcetype.classify(iptc).code} while "
            f"{'C2PA' if c2pa_ai else 'the TC260 label'} says AI"
        )
    if problems:
        return failed("; ".join(problems))
    if not (implicit.c2pa or iptc):
        if "c2pa" in evidence.unavailable:
            return unknown(evidence.unavailable["c2pa"])
        return not_applicable("no C2PA manifest and no IPTC source type to compare")
    return passed("provenance and TC260 label agree")
