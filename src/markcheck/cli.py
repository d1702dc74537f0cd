"""The `markcheck` command line: scan, rules list/show, explain, version.

Exit codes: 0 no file failed the policy; 1 at least one file did; 2 usage or configuration error;
130 interrupted (Ctrl-C) after writing the partial report.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from markcheck import __version__

app = typer.Typer(
    name="markcheck",
    help="Check AI-generated images and videos for the labels the law requires.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="List and show rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
config_app = typer.Typer(help="Show the configuration in effect.", no_args_is_help=True)
app.add_typer(config_app, name="config")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
PROGRESS_MIN_FILES = 6


class Format(str, Enum):
    table = "table"
    json = "json"
    html = "html"
    sarif = "sarif"
    junit = "junit"


class Role(str, Enum):
    provider = "provider"
    platform = "platform"


class Backend(str, Enum):
    local = "local"
    ray = "ray"


class FailOn(str, Enum):
    noncompliant = "noncompliant"
    needs_review = "needs_review"
    error = "error"


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"markcheck: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _read_path_list() -> list[str]:
    return [line.strip() for line in sys.stdin if line.strip()]


def _progress_callback(plain: bool = False):
    """A progress bar with files/s and time left on stderr when it is a terminal; with
    `plain` (--progress) a line every 10 s otherwise; else nothing."""
    if sys.stderr.isatty():
        from markcheck.progress import rich_progress

        return rich_progress(PROGRESS_MIN_FILES)
    if plain:
        from markcheck.progress import PlainProgress

        lines = PlainProgress()
        return lines, lines
    return None, None


@app.command()
def scan(
    paths: Annotated[
        list[str], typer.Argument(help="Files or folders to scan; - reads a list from stdin.")
    ],
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules", "-r", help="Rule pack id or pack file (repeatable). Default: cn-gb45438."
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", help="Only rules whose id starts with this (repeatable), e.g. cn.implicit."
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Skip rules whose id starts with this (repeatable)."),
    ] = None,
    role: Annotated[
        Role | None,
        typer.Option(help="Whose duties to check: a generation provider (default) or a platform."),
    ] = None,
    assume_ai: Annotated[
        bool | None,
        typer.Option(
            "--assume-ai/--no-assume-ai",
            help="Judge every file as AI output, even without an AI signal.",
        ),
    ] = None,
    format: Annotated[
        list[Format] | None,
        typer.Option("--format", "-f", help="Report format (repeatable). Default: table."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the (non-table) report here, not stdout."),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(help="Write every requested format here, as markcheck.<ext>."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="Configuration file (default: nearest markcheck.toml/pyproject)."),
    ] = None,
    waivers: Annotated[
        Path | None, typer.Option(help="Waiver file (YAML): accepted findings, with reasons.")
    ] = None,
    fail_on: Annotated[
        list[FailOn] | None,
        typer.Option(
            help="Statuses that make the exit code 1 (repeatable). Default: noncompliant, error."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=0, help="Worker processes (default: all cores; 0: in-process)."
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds one file may take before it is an error.")
    ] = 60.0,
    memory_mb: Annotated[
        int,
        typer.Option(min=64, help="Resident memory (MB) a worker may use before it is an error."),
    ] = 2048,
    trust_anchors: Annotated[
        list[Path] | None,
        typer.Option(
            "--trust-anchors", help="Extra C2PA trust anchors (PEM), added to the bundled list."
        ),
    ] = None,
    replace_trust_anchors: Annotated[
        bool, typer.Option(help="Use only --trust-anchors, not the bundled C2PA list.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            help="Evidence cache directory: files seen before (same bytes) are not decoded again."
        ),
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            metavar="REF", help="Only files changed since this git ref (or in a range A..B)."
        ),
    ] = None,
    backend: Annotated[
        Backend,
        typer.Option(help="Where files are examined: local processes, or a Ray cluster."),
    ] = Backend.local,
    show_progress: Annotated[
        bool,
        typer.Option(
            "--progress",
            help="Progress (files/s, time left) on stderr even when it is not a terminal.",
        ),
    ] = False,
    ray_address: Annotated[
        str | None,
        typer.Option(
            metavar="ADDR",
            help="Ray cluster to join (e.g. auto, ray://head:10001); default: local.",
        ),
    ] = None,
) -> None:
    """Scan images and videos and judge them against rule packs."""
    from markcheck.backends import BackendError
    from markcheck.changes import ChangesError
    from markcheck.options import Budget, ScanOptions
    from markcheck.scanner import scan as run_scan
    from markcheck.settings import USAGE_ERRORS, prepare

    for anchors in trust_anchors or ():
        if not anchors.is_file():
            raise _usage_error(f"trust anchor file not found: {anchors}")
    if "-" in paths:
        paths = [p for p in paths if p != "-"] + _read_path_list()
    flags = {
        "rules": rules,
        "select": select,
        "ignore": ignore,
        "jobs": jobs,
        "role": role and role.value,
        "assume_ai": assume_ai,
        "fail_on": [f.value for f in fail_on or ()],
        "format": [f.value for f in format or ()],
        "output_dir": output_dir and str(output_dir),
        "waivers": waivers and str(waivers),
    }
    try:
        run = prepare(paths, flags, output, config)
        settings = run.config
        options = ScanOptions(
            role=settings["role"],
            assume_ai=settings["assume_ai"],
            trust_anchors=tuple(trust_anchors or ()),
            replace_trust_anchors=replace_trust_anchors,
            preview_side=run.preview_side,
            cache_dir=str(cache_dir) if cache_dir else None,
        )
        callback, progress = _progress_callback(show_progress)
        try:
            result = run_scan(
                paths,
                settings["rules"],
                select=settings["select"],
                ignore=settings["ignore"],
                options=options,
                jobs=settings["jobs"],
                budget=Budget(timeout, memory_mb) if settings["jobs"] != 0 else None,
                progress=callback,
                sink=run.sink,
                include=settings["include"],
                exclude=settings["exclude"],
                params=settings["thresholds"],
                waivers=run.waivers,
                changed_since=changed_since,
                backend=backend.value,
                ray_address=ray_address,
            )
        finally:
            if progress is not None:
                progress.stop()
        run.finish(result)
    except (*USAGE_ERRORS, FileNotFoundError, ChangesError, BackendError) as exc:
        raise _usage_error(str(exc)) from None
    if result.partial:
        typer.echo("markcheck: interrupted; the report is partial", err=True)
        raise typer.Exit(EXIT_INTERRUPTED)
    failed = any(result.counts[status] for status in settings["fail_on"])
    raise typer.Exit(EXIT_FAILED if failed else EXIT_OK)


@config_app.command("show")
def config_show(
    config: Annotated[Path | None, typer.Option(help="Configuration file to read.")] = None,
) -> None:
    """Print the effective configuration (defaults overlaid by the file), with sources."""
    from markcheck.config import ConfigError, load_config, render

    try:
        typer.echo(render(load_config(config)))
    except ConfigError as exc:
        raise _usage_error(str(exc)) from None


@rules_app.command("list")
def rules_list() -> None:
    """Every built-in pack and its rules, with clause and severity."""
    from rich.console import Console
    from rich.table import Table

    from markcheck.rules.packs import builtin_pack_names, load_pack

    console = Console()
    for name in builtin_pack_names():
        pack = load_pack(name)
        table = Table(title=f"{pack.id} {pack.version} — {pack.title}", title_justify="left")
        table.add_column("rule", no_wrap=True)
        for column in ("severity", "clause", "applies to", "title"):
            table.add_column(column, overflow="fold")
        for rule in pack.rules:
            scope = f"{'/'.join(rule.media)}; {'/'.join(rule.roles)}"
            table.add_row(rule.id, rule.severity, rule.clause, scope, rule.title)
        console.print(table)


@rules_app.command("show")
def rules_show(pack: Annotated[str, typer.Argument(help="Pack id or pack file.")]) -> None:
    """Show one pack's rules and parameters."""
    from markcheck.rules.packs import PackError, load_pack

    try:
        loaded = load_pack(pack)
    except PackError as exc:
        raise _usage_error(str(exc)) from None
    typer.echo(f"{loaded.id} {loaded.version}: {loaded.title}\nsource: {loaded.source}\n")
    for rule in loaded.rules:
        params = ", ".join(f"{k}={v}" for k, v in rule.params.items()) or "-"
        typer.echo(f"{rule.id:32} {rule.severity:8} {rule.clause}  params: {params}")


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. cn.implicit.label_value")],
) -> None:
    """What a rule checks, why, its source, parameters and pass/fail examples."""
    from markcheck.rules.docs import rule_doc
    from markcheck.rules.packs import PackError, find_rule

    try:
        pack, rule = find_rule(rule_id)
    except PackError as exc:
        raise _usage_error(str(exc)) from None
    typer.echo(rule_doc(pack, rule))


@app.command()
def version() -> None:
    """Print markcheck's version."""
    typer.echo(f"markcheck {__version__}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
