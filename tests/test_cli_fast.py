"""The quick `scan` parser (markcheck.cli_fast) gives typer's arguments, or declines.

Each command line goes through typer's own parser (a copy of `cli_app.scan`'s signature whose
body records what typer passes) and through `scan_arguments`; the two must agree. Lines
the quick parser must leave to typer (help, errors typer words itself) must give None.
"""

from __future__ import annotations

import functools
import inspect
import json

import pytest
import typer

from markcheck import cli_app
from markcheck.cli_fast import _FLAGS, _VALUE, scan_arguments
from markcheck.scan_command import run


def typer_arguments(argv: list[str]) -> dict:
    """What typer passes to `cli_app.scan` for `scan ARGV...`."""
    seen: dict = {}

    @functools.wraps(cli_app.scan)
    def record(**kwargs):
        seen.update(kwargs)

    probe = typer.Typer()
    probe.command("scan")(record)
    probe.callback()(lambda: None)  # a group, so that "scan" is a subcommand as in cli_app.app
    typer.main.get_command(probe).main(argv, standalone_mode=False)
    return seen


def with_defaults(arguments: dict) -> dict:
    """The quick parser's arguments as `scan` receives them: left-out options at their
    defaults."""
    signature = inspect.signature(cli_app.scan)
    bound = signature.bind(**arguments)
    bound.apply_defaults()
    return dict(bound.arguments)


AGREE = [
    ["scan", "pics"],
    ["scan", "pics", "--select", "cn.implicit", "-f", "json", "-o", "out.json"],
    ["scan", "a.jpg", "b dir", "-", "--format=html", "--format", "sarif", "-f", "junit"],
    ["scan", "x", "-r", "eu-ai-act", "--rules", "my.yaml", "--ignore", "cn.explicit"],
    ["scan", "x", "--role", "platform", "--assume-ai", "--no-assume-ai"],
    ["scan", "x", "--no-assume-ai", "--fail-on", "needs_review", "--fail-on=error"],
    ["scan", "x", "-j", "0", "--jobs", "3", "--timeout", "2.5", "--memory-mb", "64"],
    ["scan", "x", "--timeout=7", "--jobs=12", "--memory-mb", "4096"],
    ["scan", "x", "--trust-anchors", "a.pem", "--trust-anchors", "b.pem"],
    ["scan", "x", "--replace-trust-anchors", "--no-replace-trust-anchors", "--allow-empty"],
    ["scan", "x", "--no-allow-empty", "--progress", "--include", "*.jpg", "--exclude", "t/*"],
    ["scan", "x", "--cache-dir", "c", "--changed-since", "HEAD~2..HEAD", "--output-dir", "r"],
    ["scan", "x", "--backend", "ray", "--ray-address", "auto", "--config", "m.toml"],
    ["scan", "--select", "cn.implicit", "x", "--waivers", "w.yaml", "y"],
    ["scan", "x", "-o", "first.json", "-o", "second.json"],
]


@pytest.mark.parametrize("argv", AGREE, ids=lambda a: " ".join(a[1:]))
def test_same_arguments_as_typer(argv):
    quick = scan_arguments(argv, run)
    assert quick is not None, "the quick parser declined a line it should read"
    assert with_defaults(quick) == typer_arguments(argv)


DECLINE = [
    ["scan"],  # typer: missing argument
    ["scan", "--help"],
    ["scan", "x", "-h"],
    ["scan", "x", "--"],
    ["scan", "x", "-fjson"],  # attached short value
    ["scan", "x", "--sel", "cn"],  # not an option (click does not expand prefixes)
    ["scan", "x", "--unknown"],
    ["scan", "x", "--format", "JSON"],  # typer's choice message
    ["scan", "x", "--role", "user"],
    ["scan", "x", "-j", "-1"],
    ["scan", "x", "-j", "1.5"],
    ["scan", "x", "--timeout", "0.05"],  # below the minimum: typer's range message
    ["scan", "x", "--timeout", "1e3"],
    ["scan", "x", "--memory-mb", "10"],
    ["scan", "x", "--output"],  # value missing
    ["scan", "x", "--output="],
    ["scan", "x", "--select", "-x"],
    ["scan", "x", "--progress=yes"],
    ["scan", "x", "-o=out.json"],
    ["--version"],
    ["rules", "list"],
    [],
]


@pytest.mark.parametrize("argv", DECLINE, ids=lambda a: " ".join(a) or "(nothing)")
def test_declines_what_typer_words(argv):
    assert scan_arguments(argv, run) is None


def test_declined_values_are_ones_typer_rejects():
    """The quick parser declines these because typer refuses them, not by over-caution."""
    for argv in (["scan", "x", "--format", "JSON"], ["scan", "x", "--timeout", "0.05"],
                 ["scan", "x", "--memory-mb", "10"], ["scan"]):  # fmt: skip
        with pytest.raises(typer.BadParameter if len(argv) > 2 else Exception):
            typer_arguments(argv)


def test_table_matches_typer_options():
    """Every option the quick parser knows is one of `scan`'s, with typer's name, minimum
    and repeatability, so a changed option cannot be read differently here."""
    command = typer.main.get_command(cli_app.app).commands["scan"]
    options = {}
    for param in command.params:
        for name in param.opts + param.secondary_opts:
            options[name] = param
    for name, (param, _kind, repeatable, minimum) in _VALUE.items():
        assert options[name].name == param and not options[name].is_flag
        assert options[name].multiple == repeatable
        assert options[name].min == minimum
    for name, (param, state) in _FLAGS.items():
        assert options[name].name == param and options[name].is_flag
        assert (name in options[name].opts) == state


def test_scan_through_quick_path_matches_typer(tmp_path, cli):
    """One real scan both ways: the same report, the same exit code and messages."""
    from PIL import Image

    folder = tmp_path / "pics"
    folder.mkdir()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(folder / "a.png")
    Image.new("RGB", (40, 30), (30, 200, 30)).save(folder / "b.jpg", quality=90)
    quick = cli("scan", str(folder), "--select", "cn.implicit", "-f", "json", "-o",
                str(tmp_path / "quick.json"))  # fmt: skip
    # `--format JSON` is declined (typer's message), `--select=…` then is typer's own parse.
    slow = cli("scan", str(folder), "--select=cn.implicit", "-f", "json", "-o",
               str(tmp_path / "slow.json"), "--", )  # fmt: skip
    assert quick.returncode == slow.returncode
    assert quick.stderr == slow.stderr

    assert stable(json.loads((tmp_path / "quick.json").read_text())) == stable(
        json.loads((tmp_path / "slow.json").read_text())
    )


def stable(node):
    """A report without what changes from run to run (times and rates)."""
    timing = ("started", "finished", "duration_s", "elapsed_s", "files_per_s", "seconds")
    if isinstance(node, dict):
        return {k: stable(v) for k, v in node.items() if k not in timing}
    if isinstance(node, list):
        return [stable(v) for v in node]
    return node


def test_errors_keep_typer_wording(cli, tmp_path):
    """A bad value is typer's message and exit code 2, as before the quick path."""
    result = cli("scan", str(tmp_path), "--format", "JSON")
    assert result.returncode == 2
    assert "JSON" in result.stderr and "Invalid value" in result.stderr


def test_the_run_takes_typers_options_with_typers_defaults():
    # The quick path calls scan_command.run with the options given: those left out take
    # run's defaults, which must be the ones typer gives cli_app.scan.
    typer_side = inspect.signature(cli_app.scan).parameters
    run_side = inspect.signature(run).parameters
    assert list(run_side) == list(typer_side)
    assert {n: p.default for n, p in run_side.items()} == {
        n: p.default for n, p in typer_side.items()
    }
