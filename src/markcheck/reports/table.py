"""A terminal table: one row per file with its status, AI verdict and the rules it fails."""

from __future__ import annotations

from typing import TextIO

from markcheck.model import NO_AI_SIGNAL, FileResult, ScanResult

STATUS_STYLE = {
    "compliant": "green",
    "noncompliant": "bold red",
    "needs_review": "yellow",
    "not_applicable": "dim",
    "error": "magenta",
}


def _problems(result: FileResult) -> str:
    if result.error:
        return f"{result.error.type}: {result.error.message}"
    counted = [f for f in result.findings if not f.waived]
    # Each failure with its message: the measured value and the limit it missed.
    failing = [
        f"{f.rule} ({f.message})" for f in counted if f.outcome == "fail" and f.severity != "info"
    ]
    undecided = [f.rule for f in counted if f.outcome == "unknown"]
    waived = [f.rule for f in result.findings if f.waived]
    parts = []
    if result.status == "not_applicable" and any(
        f.message.startswith(NO_AI_SIGNAL) for f in result.findings
    ):
        parts.append("not judged: no AI signal (--assume-ai judges it)")
    if failing:
        parts.append("fails " + "; ".join(failing))
    if undecided:
        parts.append(f"{len(undecided)} undecided: " + ", ".join(undecided))
    if waived:
        parts.append("waived " + ", ".join(waived))
    return "; ".join(parts)


def report(result: ScanResult, stream: TextIO) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=stream, soft_wrap=False)
    table = Table(title="markcheck", show_lines=False, expand=False)
    table.add_column("file", overflow="fold", ratio=3)
    table.add_column("status")
    table.add_column("AI")
    table.add_column("problems", overflow="fold", ratio=4)
    for item in result.files:
        style = STATUS_STYLE[item.status]
        # File names and messages come from the files: shown as text, never as rich markup.
        status = f"[{style}]{item.status}[/]"
        ai = item.ai.verdict + "".join(
            f" (watermark {'decoded' if m.decoded else 'declared'}: {m.generator or m.scheme})"
            for m in item.implicit.watermarks
        )
        table.add_row(escape(item.path), status, escape(ai), escape(_problems(item)))
    console.print(table)
    summary = result.summary
    counts = ", ".join(
        f"{summary[s]} {s}" for s in STATUS_STYLE if summary[s] and s != "not_applicable"
    )
    judged_na = summary["not_applicable"] - result.not_judged
    if judged_na:
        counts += f"{', ' if counts else ''}{judged_na} not_applicable"
    if result.not_judged:
        counts += f"{', ' if counts else ''}{result.not_judged} not judged: no AI signal"
    packs = ", ".join(f"{r.id} {r.version}" for r in result.rulesets)
    skipped = f"; {result.skipped} skipped (not media)" if result.skipped else ""
    console.print(f"{summary['total']} files: {counts or 'none'}{skipped}  [dim]rules: {packs}[/]")
    audit = result.audit or {}
    if audit.get("partial_ruleset"):
        left_out = ", ".join(audit.get("rules_not_run", []))
        console.print(f"[yellow]partial rule set[/]: not run: {escape(left_out)}")
