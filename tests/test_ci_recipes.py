"""The CI recipes of the README run as written: the pre-commit hook's command line with staged
file names appended, and the GitHub Actions step reading changed paths from stdin."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import yaml

from conftest import label_json, write_png

REPO = Path(__file__).resolve().parents[1]


def media(tmp_path: Path) -> tuple[Path, Path]:
    good = write_png(tmp_path / "art/good.png", {"AIGC": label_json()})
    bad = write_png(tmp_path / "art/bad.png", {"AIGC": label_json(Label="yes")})
    (tmp_path / "markcheck.toml").write_text('select = ["cn.implicit"]\n')
    return good, bad


def test_pre_commit_hook_runs_on_staged_files(tmp_path, cli):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "markcheck" and hook["language"] == "python"
    command = shlex.split(hook["entry"])
    scripts = (REPO / "pyproject.toml").read_text()
    assert re.search(rf'^{command[0]} = "markcheck.cli:main"', scripts, re.M)
    assert set(hook["types_or"]) == {"image", "video"}
    good, bad = media(tmp_path)
    # pre-commit runs: entry + args + the staged file names, from the repository root.
    args = command[1:] + hook["args"]
    passed = cli(*args, "art/good.png", cwd=tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = cli(*args, "art/good.png", "art/bad.png", cwd=tmp_path)
    assert failed.returncode == 1 and "bad.png" in failed.stdout


def test_github_actions_step_scans_changed_paths_from_stdin(tmp_path, cli):
    media(tmp_path)
    readme = (REPO / "README.md").read_text()
    step = re.search(r"markcheck scan - < changed\.txt (.+)", readme)
    assert step, "the README's GitHub Actions step"
    changed = "art/bad.png\nart/good.png\n"
    proc = cli("scan", "-", *shlex.split(step.group(1)), cwd=tmp_path, stdin=changed)
    assert proc.returncode == 1
    reports = tmp_path / "reports"
    assert sorted(p.name for p in reports.iterdir()) == [
        "markcheck.html", "markcheck.sarif", "markcheck.txt", "markcheck.xml"
    ]  # fmt: skip
    assert "bad.png" in proc.stdout  # the table goes to the job's log
    sarif = json.loads((reports / "markcheck.sarif").read_text())
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"art/bad.png"}  # repository-relative, as code scanning needs
