"""The command line: exit codes, reports valid against the shipped schema, rule docs."""

from __future__ import annotations

import json

import pytest

from conftest import label_json, run_cli
from markcheck.reports.json_report import validate


@pytest.fixture
def folder(tmp_path, make_png):
    make_png("good.png", {"AIGC": label_json()})
    make_png("nolabel.png", {"parameters": "a cat, Steps: 20, Sampler: Euler a"})
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "readme.txt").write_text("not media")
    return tmp_path


def test_json_report_is_schema_valid_and_exit_code_1(folder, tmp_path):
    out = tmp_path / "report.json"
    proc = run_cli("scan", str(folder), "--select", "cn.implicit", "-f", "json", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(out.read_text())
    validate(report)
    status = {f["path"]: f["status"] for f in report["files"]}
    assert status == {"broken.png": "error", "good.png": "compliant", "nolabel.png": "noncompliant"}
    assert report["summary"]["skipped"] == 1
    broken = next(f for f in report["files"] if f["path"] == "broken.png")
    assert broken["error"]["message"]


def test_exit_code_0_when_nothing_fails(tmp_path, make_png):
    make_png("good.png", {"AIGC": label_json()})
    proc = run_cli("scan", str(tmp_path), "--select", "cn.implicit")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (row,) = [line for line in proc.stdout.splitlines() if "good.png" in line]
    assert row.split("│")[2].strip() == "compliant"  # the status cell, not "noncompliant"
    assert "1 files: 1 compliant  " in proc.stdout


def test_fail_on_can_ignore_errors(tmp_path, make_png):
    make_png("good.png", {"AIGC": label_json()})
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    proc = run_cli("scan", str(tmp_path), "--select", "cn.implicit", "--fail-on", "noncompliant")
    assert proc.returncode == 0, proc.stdout


def test_paths_from_stdin(tmp_path, make_png):
    good = make_png("good.png", {"AIGC": label_json()})
    proc = run_cli("scan", "-", "--select", "cn.implicit", "-f", "json", stdin=f"{good}\n")
    assert proc.returncode == 0
    assert [f["path"] for f in json.loads(proc.stdout)["files"]] == [str(good)]


def test_usage_and_configuration_errors_exit_2(tmp_path):
    assert run_cli("scan", str(tmp_path / "missing")).returncode == 2
    assert run_cli("scan", str(tmp_path), "--rules", "no-such-pack").returncode == 2
    bad_pack = tmp_path / "bad.yaml"
    bad_pack.write_text(
        "id: mine\nrules:\n  - id: x\n    check: nope\n    title: t\n"
        "    clause: c\n    severity: error\n"
    )
    proc = run_cli("scan", str(tmp_path), "--rules", str(bad_pack))
    assert proc.returncode == 2 and "unknown check 'nope'" in proc.stderr
    assert run_cli("scan", str(tmp_path), "--format", "xml").returncode == 2


def test_user_pack_with_own_threshold(tmp_path, make_png):
    make_png("l.png", {"AIGC": label_json(ContentProducer="Acme-AI")})
    pack = tmp_path / "strict.yaml"
    pack.write_text(
        "id: acme-strict\nversion: '1'\nrules:\n"
        "  - id: acme.provider_code\n    check: cn.implicit.provider_code\n"
        "    title: Provider code required\n    clause: house rule 7\n    severity: error\n"
    )
    proc = run_cli("scan", str(tmp_path / "l.png"), "--rules", str(pack), "-f", "json")
    assert proc.returncode == 1
    finding = json.loads(proc.stdout)["files"][0]["findings"][0]
    assert finding == {
        "rule": "acme.provider_code",
        "ruleset": "acme-strict",
        "outcome": "fail",
        "severity": "error",
        "message": finding["message"],
        "clause": "house rule 7",
        "waiver": None,
        "region": None,  # no text region judged by a metadata rule
    }
    assert "27-character provider code" in finding["message"]


def test_rules_list_and_explain():
    listed = run_cli("rules", "list")
    assert listed.returncode == 0
    assert "cn.implicit.label_value" in listed.stdout and "cn.explicit.size" in listed.stdout
    page = run_cli("explain", "cn.implicit.label_value")
    assert page.returncode == 0
    assert "GB 45438-2025 Annex E" in page.stdout
    assert "Example that passes" in page.stdout and "Example that fails" in page.stdout
    assert run_cli("explain", "cn.nope").returncode == 2


def test_streamed_report_keeps_no_results_in_memory(folder):
    import io

    from markcheck import scan
    from markcheck.reports.json_report import JsonSink

    buffer = io.StringIO()
    result = scan([folder], select=["cn.implicit"], sink=JsonSink(buffer))
    assert result.files == []  # handed to the sink, not kept
    assert result.summary["total"] == 3 and result.counts["error"] == 1
    streamed = json.loads(buffer.getvalue())
    validate(streamed)
    assert streamed["summary"] == {**result.summary, "skipped": 1, "not_judged": 0}
    assert len(streamed["files"]) == 3


def test_json_report_file_holds_each_file_as_soon_as_it_is_judged(tmp_path, make_png):
    # A program following the report (or reading it after the scan was killed) sees every
    # file judged so far, not what a write buffer happened to pass on.
    from markcheck import scan
    from markcheck.reports.json_report import JsonSink

    for name in ("a.png", "b.png", "c.png"):
        make_png(name, {"parameters": "a cat, Steps: 20"})
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    on_disk = []

    def progress(done, total, path):
        on_disk.append(report.read_text(encoding="utf-8").count('"sha256"'))

    scan([tmp_path / n for n in ("a.png", "b.png", "c.png")], select=["cn.implicit"],
         sink=JsonSink(lambda: report.open("w", encoding="utf-8")), progress=progress)  # fmt: skip
    assert on_disk == [1, 2, 3]
    assert len(json.loads(report.read_text(encoding="utf-8"))["files"]) == 3


def test_table_shows_file_names_as_text_not_markup(tmp_path, make_png):
    make_png("x[/bold]y[red].png", {"parameters": "a cat, Steps: 20"})
    proc = run_cli("scan", str(tmp_path), "--select", "cn.implicit")
    assert proc.returncode == 1, proc.stderr
    assert "x[/bold]y[red].png" in proc.stdout
