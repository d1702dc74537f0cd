"""Run the rules of the selected packs over one file's evidence."""

from __future__ import annotations

from collections.abc import Iterable

from markcheck.model import NO_AI_SIGNAL, AIAssessment, Evidence, Finding
from markcheck.rules.packs import Pack, Rule
from markcheck.rules.registry import CHECKS, CheckContext, CheckResult, load_checks
from markcheck.scan_options import ScanOptions

# Checks register on import; worker processes start without the parent's imports.
load_checks()


def needed_parts(packs: Iterable[Pack]) -> set[str]:
    """Evidence parts the selected rules need (metadata is always read)."""
    parts = {"metadata"}
    for pack in packs:
        for rule in pack.rules:
            parts.update(CHECKS[rule.check].needs)
    return parts


def _applicability(rule: Rule, evidence: Evidence, ctx: CheckContext) -> str | None:
    """Why the rule does not apply to this file, or None when it does."""
    kind = evidence.media.kind
    if kind not in rule.media:
        return f"applies to {'/'.join(rule.media)} only, this file is {kind}"
    if ctx.role not in rule.roles:
        return f"applies to role {'/'.join(rule.roles)}, the scan's role is {ctx.role}"
    if ctx.ai.verdict == "none" and not ctx.assume_ai:
        return f"{NO_AI_SIGNAL}; pass --assume-ai to judge this file as AI output"
    return None


def _run(rule: Rule, evidence: Evidence, ctx: CheckContext) -> CheckResult:
    reason = _applicability(rule, evidence, ctx)
    if reason is not None:
        return CheckResult("not_applicable", reason)
    return CHECKS[rule.check].fn(evidence, rule.params, ctx)


def evaluate(
    evidence: Evidence, packs: Iterable[Pack], options: ScanOptions, ai: AIAssessment
) -> list[Finding]:
    findings = []
    for pack in packs:
        ctx = CheckContext(
            role=options.role,
            assume_ai=options.assume_ai,
            ai=ai,
            pack_params={rule.check: rule.params for rule in pack.rules},
        )
        for rule in pack.rules:
            result = _run(rule, evidence, ctx)
            findings.append(
                Finding(
                    rule.id,
                    pack.id,
                    result.outcome,
                    rule.severity,
                    result.message,
                    rule.clause,
                    region=result.region,
                )
            )
    return findings
