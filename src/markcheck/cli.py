"""The `markcheck` command line: scan, rules list/show, explain, version.

Exit codes: 0 no file failed the policy; 1 at least one file did; 2 usage or configuration error
(including "no media found" unless --allow-empty); 3 markcheck's own failure (a bug: the scan
stopped, or a file met an internal error; the report says which); 130 interrupted (Ctrl-C)
after writing the partial report.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from markcheck import __version__

# Plain help (no boxes): nothing truncated, whatever the terminal's width.
_HELP = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    name="markcheck",
    help="Check AI-generated images and videos for the labels the law requires.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=_HELP,
)
rules_app = typer.Typer(
    help="List and show rule packs.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(rules_app, name="rules")
config_app = typer.Typer(
    help="Show the configuration in effect.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(config_app, name="config")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_INTERNAL = 3  # markcheck's own failure, never the files' verdict


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"markcheck {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Check AI-generated images and videos for the labels the law requires."""


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
        list[str],
        # Described in the docstring: typer would print the argument's Python type.
        typer.Argument(metavar="PATH", hidden=True, show_default=False),
    ],
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules",
            "-r",
            metavar="PACK",
            help="Rule pack id or pack file (repeatable). Default: cn-gb45438.",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="PREFIX",
            help="Only rules whose id starts with this (repeatable), e.g. cn.implicit.",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", metavar="PREFIX", help="Skip rules whose id starts with this (repeatable)."
        ),
    ] = None,
    role: Annotated[
        Role | None,
        typer.Option(
            metavar="provider|platform",
            help="Whose duties to check: a generation provider (default) or a platform.",
        ),
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
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="Report format (repeatable). Default: table."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the (non-table) report here, not stdout."
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="Write every requested format here, as markcheck.<ext>."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Configuration file (default: nearest markcheck.toml/pyproject)."
        ),
    ] = None,
    waivers: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Waiver file (YAML): accepted findings, with reasons."),
    ] = None,
    fail_on: Annotated[
        list[FailOn] | None,
        typer.Option(
            metavar="STATUS",
            help="Statuses that make the exit code 1 (repeatable): noncompliant, needs_review, "
            "error. Default: noncompliant, error.",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            metavar="N",
            help="Worker processes (default: all cores; 0: in-process).",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            min=0.1,
            metavar="SECONDS",
            help="Seconds one file may take before it is an error (in-process: its metadata read).",
        ),
    ] = 60.0,
    memory_mb: Annotated[
        int,
        typer.Option(
            min=64,
            metavar="MB",
            help="Resident memory (MB) a worker may use before it is an error.",
        ),
    ] = 2048,
    trust_anchors: Annotated[
        list[Path] | None,
        typer.Option(
            "--trust-anchors",
            metavar="FILE",
            help="Extra C2PA trust anchors (PEM), added to the bundled list.",
        ),
    ] = None,
    replace_trust_anchors: Annotated[
        bool, typer.Option(help="Use only --trust-anchors, not the bundled C2PA list.")
    ] = False,
    include: Annotated[
        list[str] | None,
        typer.Option(
            metavar="GLOB",
            help="Only files whose scan-relative path matches (repeatable; * crosses /).",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(metavar="GLOB", help="Skip files whose path matches (repeatable)."),
    ] = None,
    allow_empty: Annotated[
        bool,
        typer.Option(help="Exit 0, not 2, when no media file is found (an empty folder, a glob)."),
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Evidence cache directory: files seen before (same bytes) are not decoded again.",
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
        typer.Option(
            metavar="local|ray", help="Where files are examined: local processes, or a Ray cluster."
        ),
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
    """Scan images and videos and judge them against rule packs.

    PATH: files or folders to scan (several give report paths relative to their common
    parent); - reads a list of paths from stdin.
    """
    from markcheck.backends import BackendError
    from markcheck.changes import ChangesError
    from markcheck.cli_settings import USAGE_ERRORS, prepare
    from markcheck.limits import Limits
    from markcheck.scan_options import Budget, ScanOptions
    from markcheck.scanner import scan as run_scan

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
        "include": include,
        "exclude": exclude,
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
            # --timeout bounds each file's metadata read in-process too (no worker to kill).
            limits=Limits(max_seconds=timeout),
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
                audit={
                    "fail_on": settings["fail_on"],
                    "formats": [t.format for t in run.targets],
                    "config_file": str(settings.file) if settings.file else None,
                    "waivers_file": settings["waivers"],
                    "timeout_s": timeout,
                    "memory_mb": memory_mb,
                    "allow_empty": allow_empty,
                },
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
    except Exception as exc:  # markcheck's own failure: say so, with a code no verdict uses
        import traceback

        traceback.print_exc()
        typer.echo(f"markcheck: internal error: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(EXIT_INTERNAL) from None
    raise typer.Exit(_exit_code(result, settings["fail_on"], allow_empty, paths))


def _exit_code(result, fail_on: list[str], allow_empty: bool, paths: list[str]) -> int:
    """The scan's exit code, after its reports are written."""
    if result.partial:
        typer.echo("markcheck: interrupted; the report is partial", err=True)
        return EXIT_INTERRUPTED
    if result.internal_errors:
        typer.echo(
            f"markcheck: internal error on {result.internal_errors} file(s); see their "
            "`error` entries (type internal)",
            err=True,
        )
        return EXIT_INTERNAL
    if not result.summary["total"] and not allow_empty:
        typer.echo(
            f"markcheck: error: no media file found in {', '.join(paths) or 'the input'} "
            "(pass --allow-empty if that is expected)",
            err=True,
        )
        return EXIT_USAGE
    failed = any(result.counts[status] for status in fail_on)
    return EXIT_FAILED if failed else EXIT_OK


@config_app.command("show")
def config_show(
    config: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Configuration file to read.")
    ] = None,
) -> None:
    """Print the effective configuration (defaults overlaid by the file), with sources."""
    from markcheck.config_file import ConfigError, load_config, render

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
def rules_show(
    pack: Annotated[str, typer.Argument(metavar="PACK", hidden=True)],
) -> None:
    """Show one pack's rules and parameters. PACK: a pack id or a pack file."""
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
    rule_id: Annotated[str, typer.Argument(metavar="RULE", hidden=True)],
) -> None:
    """What a rule checks, why, its source, parameters and pass/fail examples.

    RULE: a rule id, e.g. cn.implicit.label_value.
    """
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


from markcheck.label_cli import label_command  # noqa: E402  (its own module, see there)

app.command("label")(label_command)


def main() -> None:
    from markcheck.cli_fast import run_scan, scan_arguments

    arguments = scan_arguments(sys.argv[1:], scan)  # the usual scan line, without pydantic
    if arguments is not None:
        run_scan(scan, arguments)
    app()


if __name__ == "__main__":
    main()
