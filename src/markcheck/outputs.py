"""Write the requested report formats of one scan: to stdout, to --output, or to --output-dir.

Rules: with --output-dir every format goes to DIR/markcheck.<ext> (a table is also printed).
Otherwise at most one format goes to stdout; --output takes the one format that is not `table`
(so `--format table --format json -o report.json` prints the table and writes the JSON). A lone
JSON report is streamed while the scan runs, so its memory stays flat; every other combination
renders after the scan.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from markcheck.model import ScanResult
from markcheck.reports.context import ReportContext

FORMATS = ("table", "json", "html", "sarif", "junit")
EXTENSIONS = {"table": "txt", "json": "json", "html": "html", "sarif": "sarif", "junit": "xml"}


class OutputError(ValueError):
    """The requested formats and destinations do not fit together (exit code 2)."""


@dataclass(frozen=True)
class Target:
    format: str
    path: Path | None  # None: stdout


def plan(formats: Sequence[str], output: Path | None, output_dir: Path | None) -> list[Target]:
    """Where each requested format goes."""
    wanted = list(dict.fromkeys(formats or ["table"]))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise OutputError(f"unknown format {unknown[0]!r} (choose from {', '.join(FORMATS)})")
    if output_dir is not None:
        if output is not None:
            raise OutputError("give either --output or --output-dir, not both")
        targets = [Target(f, output_dir / f"markcheck.{EXTENSIONS[f]}") for f in wanted]
        # The table is also shown, as a CI job's log or a terminal expects.
        return targets + [Target("table", None)] if "table" in wanted else targets
    if len(wanted) == 1:
        return [Target(wanted[0], output)]
    files = [f for f in wanted if f != "table"]
    if output is not None and len(files) == 1:
        return [Target("table", None), Target(files[0], output)]
    if output is not None:
        raise OutputError("several file formats: use --output-dir DIR to write them all")
    raise OutputError("only one format can go to stdout: add --output FILE or --output-dir DIR")


def streaming_sink(targets: Sequence[Target]):
    """A JsonSink when the only report is JSON (written as files are judged), else None."""
    if len(targets) != 1 or targets[0].format != "json":
        return None
    from markcheck.reports.json_report import JsonSink

    path = targets[0].path
    if path is None:
        return JsonSink(sys.stdout)
    # Opened when the scan starts (after discovery), so the report does not list itself.
    return JsonSink(lambda: _open(path))


def _open(path: Path) -> TextIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("w", encoding="utf-8")


def _renderer(fmt: str) -> Callable[[ScanResult, TextIO, ReportContext], None]:
    if fmt == "table":
        from markcheck.reports.table import report as table

        return lambda result, stream, ctx: table(result, stream)
    if fmt == "json":
        from markcheck.reports.json_report import write

        return lambda result, stream, ctx: write(result, stream)
    if fmt == "html":
        from markcheck.reports.html import report as html

        return html
    if fmt == "sarif":
        from markcheck.reports.sarif import report as sarif

        return sarif
    from markcheck.reports.junit import report as junit

    return junit


def write_reports(
    result: ScanResult, targets: Sequence[Target], ctx: ReportContext, streamed: bool = False
) -> None:
    """Render every target (skipping the JSON one already streamed by a sink)."""
    for target in targets:
        if streamed and target.format == "json":
            continue
        render = _renderer(target.format)
        if target.path is None:
            render(result, sys.stdout, ctx)
        else:
            with _open(target.path) as stream:
                render(result, stream, ctx)
