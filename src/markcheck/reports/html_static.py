"""The parts of the HTML report that need no JavaScript: the audit record and a plain list of
every file with its status and findings.

Without a script, or when printing, this list is what shows (every file, no paging); with a
script the interactive view replaces it on screen (report.js marks the page `js`). Every
string is escaped here: names and messages come from scanned files.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markcheck.audit import lines
from markcheck.model import FileResult, ScanResult

# On screen with a script: the interactive view. Without one, or on paper: this list.
CSS = (
    ".js #static-files { display: none; }"
    " @media print { .js #static-files { display: block; }"
    " #controls, #files, #pager { display: none; } .file { break-inside: avoid; } }"
    " #audit dl { margin: 6px 0 12px; }"
    " .static-file { border-top: 1px solid #d0d7de; padding: 6px 0; }"
)


def audit_section(audit: dict[str, Any] | None) -> str:
    if not audit:
        return ""
    rows = "".join(
        f"<dt>{escape(label)}</dt><dd>{escape(text)}</dd>" for label, text in lines(audit)
    )
    partial = (
        '<p class="partial">Partial rule set: some rules of the packs did not run.</p>'
        if audit.get("partial_ruleset")
        else ""
    )
    return f'<section id="audit"><h2>What was checked</h2>{partial}<dl>{rows}</dl></section>'


def _findings(item: FileResult) -> str:
    if item.error:
        return f'<p class="error-msg">{escape(item.error.type)}: {escape(item.error.message)}</p>'
    rows = "".join(
        f'<tr class="o-{escape(f.outcome)}"><td>{escape(f.rule)}</td><td>{escape(f.outcome)}'
        f"{' (waived)' if f.waived else ''}</td><td>{escape(f.severity)}</td>"
        f'<td>{escape(f.message)}</td><td class="clause">{escape(f.clause)}</td></tr>'
        for f in item.findings
    )
    if not rows:
        return ""
    return (
        "<table><tr><th>rule</th><th>outcome</th><th>severity</th><th>message</th>"
        f"<th>clause</th></tr>{rows}</table>"
    )


def file_list(result: ScanResult) -> str:
    items = "".join(
        f'<div class="static-file" data-path="{escape(item.path)}"><h3>{escape(item.path)} '
        f'<span class="badge {escape(item.status)}">{escape(item.status)}</span> '
        f'<span class="meta">AI: {escape(item.ai.verdict)}</span></h3>{_findings(item)}</div>'
        for item in result.files
    )
    return f'<section id="static-files"><h2>Files ({len(result.files)})</h2>{items}</section>'
