"""Exit codes CI can trust, unique paths for several roots, unreadable folders, CLI basics."""

from __future__ import annotations

import json
import os
import pickle
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from conftest import label_json, run_cli, write_png
from markcheck import __version__

LABELLED = {"AIGC": label_json()}


def test_no_media_found_is_a_usage_error_unless_allowed(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("no media here")
    for folder in ("empty", "notes"):
        proc = run_cli("scan", str(tmp_path / folder), "-f", "json")
        assert proc.returncode == 2, proc.stderr
        assert "no media file found" in proc.stderr
        assert run_cli("scan", str(tmp_path / folder), "--allow-empty").returncode == 0


def test_an_include_glob_that_matches_nothing_does_not_pass_the_gate(tmp_path):
    write_png(tmp_path / "a.png", LABELLED)
    assert run_cli("scan", str(tmp_path), "--include", "*.jgp").returncode == 2


def test_include_and_exclude_flags(tmp_path):
    write_png(tmp_path / "keep" / "a.png", LABELLED)
    write_png(tmp_path / "keep" / "draft.png", {"AIGC": label_json(Label="yes")})
    write_png(tmp_path / "other" / "b.png", {"AIGC": label_json(Label="yes")})
    proc = run_cli("scan", str(tmp_path), "--select", "cn.implicit", "--include", "keep/*",
                   "--exclude", "*draft*", "-f", "json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [f["path"] for f in report["files"]] == ["keep/a.png"]
    assert report["summary"]["skipped"] == 2


def test_several_roots_give_unique_paths_and_waivers_follow(tmp_path):
    for root in ("a", "b"):
        write_png(tmp_path / root / "x.png", {"AIGC": label_json(Label="yes")})
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - path: b/x.png\n    rule: cn.implicit.label_value\n    reason: test\n"
    )
    proc = run_cli("scan", "a", "b", "--select", "cn.implicit.label_value", "-f", "json",
                   "--waivers", str(waivers), cwd=tmp_path)  # fmt: skip
    files = {f["path"]: f["status"] for f in json.loads(proc.stdout)["files"]}
    # Label "yes" breaks cn.implicit.label_value in both; only b/x.png is waived.
    assert files == {"a/x.png": "noncompliant", "b/x.png": "compliant"}, proc.stderr
    sarif = run_cli("scan", "a", "b", "--select", "cn.implicit.label_value", "-f", "sarif",
                    cwd=tmp_path)  # fmt: skip
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(sarif.stdout)["runs"][0]["results"]
    }
    assert uris == {"a/x.png", "b/x.png"}


def _unreadable_scan(folder: Path) -> tuple[list, dict]:
    """Scan `folder` as a user who cannot list its `locked` folder: root reads every folder,
    so under root the scan runs in a forked child that has dropped to `nobody`."""
    from markcheck import scan

    def run() -> tuple[list, dict]:
        result = scan([folder], select=["cn.implicit"], jobs=0)
        return [(f.path, f.status, f.error and f.error.message) for f in result.files], dict(
            result.counts
        )

    if os.geteuid() != 0:
        return run()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, scan, send the outcome back
        try:
            os.setgid(65534)
            os.setuid(65534)
            os.write(writer, pickle.dumps(run()))
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as stream:
        data = stream.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)


def test_an_unreadable_folder_is_an_error_entry_not_silence():
    with tempfile.TemporaryDirectory() as base:
        folder = Path(base) / "scan"
        write_png(folder / "ok.png", LABELLED)
        write_png(folder / "locked" / "hidden.png", LABELLED)
        os.chmod(base, 0o755)
        for path in (folder, folder / "ok.png"):
            os.chmod(path, 0o755)
        os.chmod(folder / "locked", 0o000)
        try:
            files, counts = _unreadable_scan(folder)
        finally:
            os.chmod(folder / "locked", 0o755)
    assert counts["error"] == 1 and counts["compliant"] == 1
    locked = next(f for f in files if f[0] == "locked")
    assert locked[1] == "error" and "cannot read folder" in locked[2]


def test_markchecks_own_failure_exits_3_with_the_file_reported(tmp_path):
    """A check that raises (a bug) makes the file's `internal` error and exit code 3, which no
    verdict uses; the report is still written."""
    write_png(tmp_path / "media" / "a.png", LABELLED)
    pack = tmp_path / "boom.yaml"
    pack.write_text(
        "id: boom\nrules:\n  - id: boom.rule\n    check: test.boom\n    title: t\n"
        "    clause: c\n    severity: error\n"
    )
    program = textwrap.dedent(
        """
        import sys
        from markcheck.rules.registry import check

        @check("test.boom", params=())
        def boom(evidence, params, ctx):
            raise RuntimeError("a bug in a check")

        from markcheck.cli import main
        sys.argv = ["markcheck", *sys.argv[1:]]
        main()
        """
    )
    import subprocess

    source = str(Path(__import__("markcheck").__file__).resolve().parents[1])
    proc = subprocess.run(
        [sys.executable, "-c", program, "scan", "media", "--rules", str(pack), "--jobs", "0",
         "--assume-ai", "-f", "json"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "PYTHONPATH": source},
    )  # fmt: skip
    assert proc.returncode == 3, proc.stderr
    (item,) = json.loads(proc.stdout)["files"]
    assert item["status"] == "error" and item["error"]["type"] == "internal"
    assert "RuntimeError: a bug in a check" in item["error"]["message"]


def test_version_and_short_help():
    assert run_cli("--version").stdout.strip() == f"markcheck {__version__}"
    help_text = run_cli("scan", "-h")
    assert help_text.returncode == 0
    for option in ("--include GLOB", "--exclude GLOB", "--allow-empty", "--fail-on STATUS"):
        assert option in help_text.stdout
    assert "list[" not in help_text.stdout and "<" not in help_text.stdout.replace("<ext>", "")


@pytest.mark.parametrize("status", ["compliant", "noncompliant"])
def test_the_exit_code_follows_the_status_exactly(tmp_path, status):
    label = label_json() if status == "compliant" else label_json(Label="yes")
    write_png(tmp_path / "a.png", {"AIGC": label})
    proc = run_cli("scan", str(tmp_path), "--select", "cn.implicit", "-f", "json")
    (item,) = json.loads(proc.stdout)["files"]
    assert item["status"] == status
    assert proc.returncode == {"compliant": 0, "noncompliant": 1}[status]
