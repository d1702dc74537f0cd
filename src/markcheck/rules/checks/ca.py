"""California SB 942 as amended by AB 853: the latent disclosure (`us-ca-sb942`).

Each field of §22757.3(b) is read from the C2PA manifest (requirements §3 mapping). No
manifest fails; a manifest that could not be read is unknown, never pass.
"""

from __future__ import annotations

from typing import Any

from markcheck.model import C2PAInfo, Evidence
from markcheck.rules.checks.layers import decoded, describe
from markcheck.rules.checks.provenance import ACCEPT_OFFLINE, NO_MANIFEST, manifest, standing
from markcheck.rules.registry import CheckContext, CheckResult, Param, check, failed, passed


def _latent(evidence: Evidence) -> tuple[C2PAInfo | None, CheckResult | None]:
    info, outcome = manifest(evidence)
    if info is None and outcome is not None and outcome.outcome == "fail":
        return None, failed("no latent disclosure: " + NO_MANIFEST)
    return info, outcome


@check("ca.latent.provider", needs=("c2pa",), params=())
def ca_provider(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The latent disclosure names the covered provider (SB 942 §22757.3(b), as amended).

    C2PA mapping: the signer certificate's organisation (O=), or claim_generator_info name.
    """
    info, outcome = _latent(evidence)
    if info is None:
        return outcome
    if info.signer:
        return passed(f"provider: {info.signer} (signer organisation)")
    for generator in info.details.get("claim_generator_info") or []:
        if generator.get("name"):
            return passed(f"provider: {generator['name']} (claim generator)")
    return failed("the manifest names no provider (no signer organisation, no generator name)")


@check("ca.latent.system", needs=("c2pa",), params=())
def ca_system(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The latent disclosure names the GenAI system and its version (SB 942 §22757.3(b)).

    C2PA mapping: an action's softwareAgent {name, version}, or claim_generator_info name
    and version. A name without a version fails.
    """
    info, outcome = _latent(evidence)
    if info is None:
        return outcome
    candidates = [a.get("softwareAgent") for a in info.details.get("actions") or []]
    candidates += info.details.get("claim_generator_info") or []
    for agent in candidates:
        if isinstance(agent, dict) and agent.get("name") and agent.get("version"):
            return passed(f"system: {agent['name']} {agent['version']}")
    return failed("no system name with a version in the manifest")


@check("ca.latent.time", needs=("c2pa",), params=())
def ca_time(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The latent disclosure gives the time and date of creation or alteration (SB 942).

    C2PA mapping: the signing time (from a timestamp), or an action's `when`.
    """
    info, outcome = _latent(evidence)
    if info is None:
        return outcome
    if info.details.get("signing_time"):
        return passed(f"time: {info.details['signing_time']} (signing time)")
    for action in info.details.get("actions") or []:
        if action.get("when"):
            return passed(f"time: {action['when']} ({action.get('action')} action)")
    return failed("no creation or alteration time in the manifest")


@check("ca.latent.identifier", needs=("c2pa",), params=())
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


@check(
    "ca.latent.detectable",
    needs=("c2pa", "watermark"),
    params=(
        Param(
            "accept_untrusted",
            bool,
            True,
            "a valid manifest whose signer is not on the C2PA trust list counts (the statute "
            "names no trust list)",
        ),
        ACCEPT_OFFLINE,
    ),
)
def ca_detectable(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The latent disclosure is detectable, consistent with industry standards (SB 942).

    C2PA mapping: the manifest validates. `accept_untrusted` (default true: the statute asks
    for a detectable standard disclosure, not a particular trust list) decides whether a
    signer that is not on the C2PA trust list is enough. Only integrity failures (a tampered or
    malformed manifest) make it fail outright; a revoked credential always fails; a check that
    cannot run offline is accepted unless `accept_offline_unchecked` is false (then unknown).
    A watermark decoded from the pixels is a latent mark that was detected, so it passes this
    rule on its own; whether the disclosure says enough (provider, system, time, identifier)
    is for the other ca.latent rules. A mark only declared, not decoded, does not count here.
    """
    marks = [describe(mark) for mark in decoded(evidence)]
    info, outcome = _latent(evidence)
    if info is None:
        if marks:
            return passed(f"latent mark detected in the pixels: {', '.join(marks)}")
        return outcome
    verdict = standing(
        info,
        bool(params.get("accept_untrusted", True)),
        bool(params.get("accept_offline_unchecked", True)),
    )
    if marks:
        return passed(f"{verdict.message}; latent mark detected in the pixels: {', '.join(marks)}")
    return verdict
