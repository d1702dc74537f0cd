"""EU AI Act Art. 50 and the Code of Practice on marking and labelling (`eu-ai-act-art50`).

Machine-readable marks come from C2PA (validated offline against the bundled trust list),
IPTC digital source types, TC260 labels and watermark hits. A check that needs the C2PA
manifest says unknown when it could not be read, never pass.
"""

from __future__ import annotations

from typing import Any

from markcheck.model import Evidence
from markcheck.rules.checks.explicit import not_examined
from markcheck.rules.checks.layers import declared, decoded, describe, miss_note
from markcheck.rules.checks.provenance import (
    ACCEPT_OFFLINE,
    c2pa_genai,
    genai,
    manifest,
    standing,
    tc260_says_ai,
)
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

ACCEPT_UNTRUSTED = Param(
    "accept_untrusted",
    bool,
    False,
    "a valid manifest whose signer is not on the C2PA trust list counts",
)
ACCEPT_DECLARED = Param(
    "accept_declared_watermark",
    bool,
    True,
    "a watermark layer the C2PA manifest declares (soft binding, watermarked action) counts "
    "as the watermark layer although nothing decoded it",
)


@check("eu.marking.machine_readable", needs=("metadata", "c2pa", "watermark"), params=())
def eu_machine_readable(
    evidence: Evidence, params: dict[str, Any], ctx: CheckContext
) -> CheckResult:
    """Outputs are marked as AI-generated in a machine-readable, detectable way (Art. 50(2)).

    Any of these marks counts: a C2PA manifest with a GenAI digitalSourceType anywhere in its
    active manifest's actions, their parameters or its ingredient chain (the message says
    where), an IPTC DigitalSourceType with a GenAI value, a TC260 `AIGC` label whose Label is
    "1", "2" or "3", or a decoded watermark (a layer the manifest only declares is part of
    the C2PA mark, not a second one).
    Source: Regulation (EU) 2024/1689 Art. 50(2); GenAI values per the C2PA Asset Rubrics.
    """
    implicit = evidence.implicit
    marks = []
    found = c2pa_genai(implicit.c2pa)
    if implicit.c2pa and found:
        marks.append(
            f"C2PA digitalSourceType in the {found['where']} ({implicit.c2pa.validation_state})"
        )
    if genai(implicit.iptc_digital_source_type):
        marks.append("IPTC DigitalSourceType")
    if any(tc260_says_ai(label) for label in implicit.tc260):
        marks.append("TC260 AIGC label")
    # A decoded watermark is a machine-readable mark; one a manifest only declares is not a
    # second mark of its own (the manifest already counts).
    marks += [describe(mark) for mark in decoded(evidence)]
    if marks:
        return passed("marked as AI output by " + ", ".join(marks))
    if "c2pa" in evidence.unavailable:
        return unknown(f"no other mark found and {evidence.unavailable['c2pa']}")
    return failed(
        "no machine-readable AI marking: no GenAI source type in C2PA or IPTC, no "
        "TC260 label saying AI, no decoded watermark"
    )


@check(
    "eu.marking.signed_metadata",
    needs=("c2pa",),
    params=(
        ACCEPT_UNTRUSTED,
        ACCEPT_OFFLINE,
        Param(
            "require_timestamp",
            bool,
            True,
            "the signature carries a timestamp from an authority on the C2PA TSA trust list",
        ),
    ),
)
def eu_signed_metadata(
    evidence: Evidence, params: dict[str, Any], ctx: CheckContext
) -> CheckResult:
    """Signed, time-stamped, tamper-evident metadata (Code of Practice 1.1.1).

    In practice a C2PA manifest that validates, with a timestamp from a trusted time-stamping
    authority (the bundled C2PA TSA trust list). Validation codes are judged by class: an
    integrity failure (tampered) fails; a trust failure (signer not listed, credential expired
    without a trusted timestamp) fails unless `accept_untrusted`; a check that cannot run
    offline is accepted unless `accept_offline_unchecked` is false (then unknown). Pack
    parameters: `accept_untrusted` (default false), `require_timestamp` (default true),
    `accept_offline_unchecked` (default true).
    """
    info, outcome = manifest(evidence)
    if info is None:
        return outcome
    judged = standing(
        info,
        bool(params.get("accept_untrusted", False)),
        bool(params.get("accept_offline_unchecked", True)),
    )
    if judged.outcome != "pass":
        return judged
    why = judged.message
    if params.get("require_timestamp", True):
        stamp = info.details.get("timestamp_trust")
        if stamp is None:
            return failed(f"{why}, but it carries no timestamp")
        if stamp != "trusted":
            return failed(f"{why}, but its timestamp authority is not on the TSA trust list")
        return passed(f"{why}, with a trusted timestamp")
    return passed(why)


@check(
    "eu.marking.multilayer",
    needs=("c2pa", "watermark"),
    params=(ACCEPT_UNTRUSTED, ACCEPT_OFFLINE, ACCEPT_DECLARED),
)
def eu_multilayer(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """At least two marking layers: signed metadata and an imperceptible watermark (CoP 1.1).

    Fingerprinting alone never suffices. The metadata layer is a C2PA manifest that validates
    (`accept_untrusted` and `accept_offline_unchecked` as for signed_metadata); the watermark
    layer is a watermark decoded from the pixels (the DWT-DCT marks of SD/SDXL/FLUX, or a
    plug-in decoder's), or a layer the manifest declares (a soft-binding assertion, a
    `c2pa.watermarked` action, an action describing a SynthID/TrustMark layer), which counts as
    declared, not decoded, when `accept_declared_watermark` (default true). markcheck decodes
    few schemes, so a missing watermark hit makes this rule unknown, not failed: absence of a
    hit is not evidence of absence (the message gives the positive control's outcome).
    """
    info, outcome = manifest(evidence)
    if info is None:
        return outcome
    judged = standing(
        info,
        bool(params.get("accept_untrusted", False)),
        bool(params.get("accept_offline_unchecked", True)),
    )
    if judged.outcome == "fail":
        return failed(f"metadata layer missing: {judged.message}")
    if judged.outcome != "pass":
        return judged
    read = [describe(mark) for mark in decoded(evidence)]
    said = sorted({mark.scheme for mark in declared(evidence)})
    if not said:  # evidence built before declared layers existed
        said = [
            str(b.get("alg") or b.get("source")) for b in info.details.get("soft_bindings") or []
        ]
    if read:
        layers = [f"decoded {r}" for r in read] + [f"declared {s}" for s in said]
        return passed(f"signed metadata and watermark ({', '.join(layers)})")
    if said:
        text = (
            "signed metadata and a watermark layer the manifest declares "
            f"({', '.join(said)}), not decoded"
        )
        if params.get("accept_declared_watermark", True):
            return passed(text)
        return unknown(text + "; declared layers are not accepted by this pack")
    return unknown(
        "signed metadata present; no watermark was declared, and none decoded: "
        f"{miss_note(evidence)}; so the watermark layer cannot be judged"
    )


@check("eu.deepfake.disclosure", needs=("explicit",), params=())
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
        return not_examined(evidence)
    for region in regions:
        if classify_label_text(region.text).is_disclosure or region.text.strip() == "AI":
            return passed(f"visible disclosure {region.text!r} at {region.position}")
    return unknown("no visible AI disclosure; a person must judge whether this is a deepfake")
