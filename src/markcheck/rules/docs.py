"""A rule's documentation page: what `markcheck explain RULE` prints and SARIF's help text."""

from __future__ import annotations

from markcheck.rules.packs import Pack, Rule
from markcheck.rules.params import describe
from markcheck.rules.registry import CHECKS


def rule_doc(pack: Pack, rule: Rule) -> str:
    """What a rule checks, why, its source, parameters and pass/fail examples."""
    lines = [
        f"{rule.id} — {rule.title}",
        "",
        f"pack:       {pack.id} {pack.version}",
        f"clause:     {rule.clause}",
        f"source:     {rule.source}",
        f"confidence: {rule.confidence}",
        f"severity:   {rule.severity}",
        f"applies to: {', '.join(rule.media)}; roles {', '.join(rule.roles)}",
        f"check:      {rule.check}",
    ]
    spec = CHECKS[rule.check]
    if spec.params:
        lines += ["", "Parameters (value in this pack; type, range, default)", ""]
        lines += [
            f"  {param.name} = {rule.params.get(param.name, param.default)!r}  {describe(param)}"
            for param in spec.params
        ]
    elif rule.params:
        lines.append("parameters: " + ", ".join(f"{k} = {v}" for k, v in rule.params.items()))
    lines += ["", "What it checks and why", "", CHECKS[rule.check].doc]
    if "watermark" in CHECKS[rule.check].needs:
        from markcheck.detectors.watermark import hit_rule_text

        lines += ["", hit_rule_text()]
    if rule.description:
        lines += ["", rule.description]
    for kind in ("pass", "fail"):
        if kind in rule.examples:
            lines += [
                "",
                f"Example that {'passes' if kind == 'pass' else 'fails'}:",
                f"  {rule.examples[kind]}",
            ]
    return "\n".join(lines)
