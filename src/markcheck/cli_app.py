"""The `markcheck` commands under typer: scan (its options' help and any command line the
quick parser leaves to typer), label, rules list/show, config show, explain, version.

The exit codes are markcheck.scan_command's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from markcheck import __version__
from markcheck.scan_command import EXIT_OK, Backend, FailOn, Format, Role, usage_error
from markcheck.scan_command import run as run_scan

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


def _usage_error(message: str) -> typer.Exit:
    return typer.Exit(usage_error(message))


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
    # typer hands over the options as passed (locals() here is exactly them).
    raise typer.Exit(run_scan(**locals()))


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
