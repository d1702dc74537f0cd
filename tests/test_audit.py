"""The audit record (JSON, SARIF, JUnit, HTML), trust-anchor files parsed at start, the HTML
report read without JavaScript and printed with every file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from c2pa_fixtures import make_credentials
from conftest import label_json, run_cli, write_png
from markcheck import __version__
from markcheck.reports.json_report import validate

REPO = Path(__file__).resolve().parents[1]
PACK_FILE = REPO / "rules" / "cn-gb45438.yaml"
TRUST_DIR = REPO / "src" / "markcheck" / "data" / "c2pa_trust"


@pytest.fixture
def media(tmp_path):
    write_png(tmp_path / "media" / "good.png", {"AIGC": label_json()})
    write_png(tmp_path / "media" / "plain.png")  # no AI signal at all
    return tmp_path / "media"


def _parse(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


def test_json_audit_records_options_packs_thresholds_trust_and_times(tmp_path, media):
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(make_credentials().root_pem)
    (tmp_path / "markcheck.toml").write_text('[thresholds."cn.explicit.size"]\nmin_ratio = 0.07\n')
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    proc = run_cli("scan", "media", "--select", "cn.implicit", "--role", "platform",
                   "--trust-anchors", str(anchors), "-f", "json", cwd=tmp_path)  # fmt: skip
    after = dt.datetime.now(dt.timezone.utc)
    report = json.loads(proc.stdout)
    validate(report)
    audit = report["audit"]
    assert audit["markcheck_version"] == __version__
    assert before <= _parse(audit["started"]) <= _parse(audit["finished"]) <= after
    options = audit["options"]
    assert options["role"] == "platform" and options["assume_ai"] is False
    assert options["select"] == ["cn.implicit"] and options["fail_on"] == ["noncompliant", "error"]
    pack = yaml.safe_load(PACK_FILE.read_text())
    ids = [rule["id"] for rule in pack["rules"]]
    implicit = [i for i in ids if i.startswith("cn.implicit")]
    (recorded,) = audit["packs"]
    assert (recorded["id"], recorded["version"]) == (pack["id"], str(pack["version"]))
    assert (recorded["rules"], recorded["rules_run"]) == (len(ids), len(implicit))
    assert audit["partial_ruleset"] is True
    assert audit["rules_not_run"] == [i for i in ids if i not in implicit]
    assert audit["thresholds"] == {"cn.explicit.size": {"min_ratio": 0.07}}
    bundled = {f["name"]: f["sha256"] for f in audit["trust"]["bundled"]}
    for name in ("C2PA-TRUST-LIST.pem", "C2PA-TSA-TRUST-LIST.pem"):
        assert bundled[name] == hashlib.sha256((TRUST_DIR / name).read_bytes()).hexdigest()
    (user,) = audit["trust"]["user"]
    assert user["sha256"] == hashlib.sha256(anchors.read_bytes()).hexdigest()
    assert user["certificates"] == 1


def test_a_complete_rule_set_is_not_marked_partial(media):
    report = json.loads(run_cli("scan", str(media), "--jobs", "0", "-f", "json").stdout)
    assert report["audit"]["partial_ruleset"] is False and report["audit"]["rules_not_run"] == []


def test_files_without_an_ai_signal_are_counted_as_not_judged(media):
    proc = run_cli("scan", str(media), "--select", "cn.implicit", "-f", "json")
    summary = json.loads(proc.stdout)["summary"]
    # plain.png has no metadata at all; good.png carries a TC260 label.
    assert summary["not_judged"] == 1 and summary["compliant"] == 1
    table = run_cli("scan", str(media), "--select", "cn.implicit")
    assert "1 not judged: no AI signal" in table.stdout
    assert "partial rule set" in table.stdout
    judged = json.loads(run_cli("scan", str(media), "--select", "cn.implicit", "--assume-ai",
                                "-f", "json").stdout)  # fmt: skip
    assert judged["summary"]["not_judged"] == 0 and judged["summary"]["noncompliant"] == 1


def test_sarif_and_junit_carry_the_audit(tmp_path, media):
    out = tmp_path / "out"
    run_cli("scan", str(media), "--select", "cn.implicit", "-f", "sarif", "-f", "junit",
            "--output-dir", str(out))  # fmt: skip
    run = json.loads((out / "markcheck.sarif").read_text())["runs"][0]
    assert run["properties"]["audit"]["partial_ruleset"] is True
    assert run["properties"]["audit"]["options"]["select"] == ["cn.implicit"]
    suite = ET.parse(out / "markcheck.xml").getroot().find("testsuite")
    assert suite[0].tag == "properties"  # JUnit wants properties before the test cases
    props = {p.get("name"): p.get("value") for p in suite[0]}
    assert props["partial_ruleset"] == "true"
    assert props["markcheck version"] == __version__
    assert props["rule set"].startswith("partial: not run: cn.explicit.present")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"this is not a certificate\n", "no PEM certificate"),
        (b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "not base64"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not DER"),
    ],
)
def test_junk_trust_anchors_stop_the_scan_before_the_first_file(tmp_path, media, content,
                                                                words):  # fmt: skip
    junk = tmp_path / "junk.pem"
    junk.write_bytes(content)
    proc = run_cli("scan", str(media), "--trust-anchors", str(junk), "-f", "json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert str(junk) in proc.stderr and words in proc.stderr


def test_replacing_the_trust_list_with_nothing_is_refused(media):
    proc = run_cli("scan", str(media), "--replace-trust-anchors")
    assert proc.returncode == 2 and "--trust-anchors" in proc.stderr


def test_html_reads_without_javascript_and_prints_every_file(browser, tmp_path):
    count = 60  # more than the interactive view's page of 50
    for number in range(count):
        write_png(tmp_path / "media" / f"f{number:03}.png", {"AIGC": label_json()})
    out = tmp_path / "report.html"
    proc = run_cli("scan", str(tmp_path / "media"), "--select", "cn.implicit", "-f", "html",
                   "-o", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    page = browser.new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(out.as_uri())
    assert page.evaluate("document.documentElement.classList.contains('js')") is False
    shown = page.locator("#static-files .static-file")
    assert shown.count() == count and all(shown.nth(i).is_visible() for i in (0, count - 1))
    assert "partial" in page.inner_text("#audit").lower()
    page.close()

    page = browser.new_page()  # with the script: the interactive view on screen ...
    page.goto(out.as_uri())
    assert not page.locator("#static-files").is_visible()
    page.emulate_media(media="print")  # ... and every file again on paper
    assert page.locator("#static-files").is_visible()
    assert page.locator("#static-files .static-file").count() == count
    page.close()
