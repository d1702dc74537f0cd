"""SARIF valid against the official 2.1.0 schema; JUnit XML with one case per file x pack."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from markcheck.reports import junit, sarif
from markcheck.reports.context import ReportContext
from markcheck.waivers import Waiver, WaiverSet
from report_fixtures import PACK, scan_result

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def result(tmp_path):
    return scan_result(tmp_path, count=12)


def sarif_log(result, ctx=None) -> dict:
    buffer = io.StringIO()
    sarif.report(result, buffer, ctx or ReportContext(packs=[PACK]))
    return json.loads(buffer.getvalue())


def test_sarif_is_valid_against_the_official_schema(result):
    log = sarif_log(result)
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)
    assert log["version"] == "2.1.0"


def test_sarif_has_one_result_per_failed_or_undecided_finding(result):
    run = sarif_log(result)["runs"][0]
    # What scan_result builds for file i (by i % 6): 1 a too-small label, 2 an undecided
    # legibility, 5 a too-small label and no metadata label; 4 is unreadable; 0 and 3 are clean.
    built = {
        1: ["cn.explicit.size"],
        2: ["cn.explicit.legible"],
        5: ["cn.explicit.size", "cn.implicit.present"],
    }
    name = lambda i: f"batch{i // 6}/file{i:05d}.jpg"  # noqa: E731
    expected = [(name(i), rule) for i in range(12) for rule in built.get(i % 6, [])]
    uri = lambda r: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]  # noqa: E731
    assert sorted((uri(r), r["ruleId"]) for r in run["results"]) == sorted(expected)
    levels = {(uri(r), r["ruleId"]): r["level"] for r in run["results"]}
    assert levels[(name(1), "cn.explicit.size")] == "error"  # a failed error rule
    assert levels[(name(2), "cn.explicit.legible")] == "warning"  # an undecided warning rule
    # The unreadable files are notifications, not results.
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"].split(":")[0] for n in notes] == [name(4), name(10)]


def test_sarif_rules_carry_clause_and_the_explain_page(result):
    run = sarif_log(result)["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    size = rules["cn.explicit.size"]
    assert size["properties"]["clause"] == "GB 45438-2025 §5.2, §5.4"
    assert "What it checks and why" in size["help"]["text"]
    assert size["shortDescription"]["text"].startswith("Visible label text")
    for item in run["results"]:
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == item["ruleId"]


def test_sarif_marks_waived_findings_as_suppressed(result):
    waivers = WaiverSet([Waiver("batch0/file00001.jpg", "cn.explicit.size", "user copy, Art. 9")])
    result.files = [waivers.apply(item) for item in result.files]
    log = sarif_log(result)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert [(r["ruleId"], r["suppressions"][0]["justification"]) for r in suppressed] == [
        ("cn.explicit.size", "user copy, Art. 9")
    ]


def junit_tree(result, ctx=None) -> ET.Element:
    buffer = io.StringIO()
    junit.report(result, buffer, ctx or ReportContext(packs=[PACK]))
    return ET.fromstring(buffer.getvalue().encode())


def test_junit_has_one_case_per_file_and_pack(result):
    root = junit_tree(result)
    cases = root.findall("./testsuite/testcase")
    assert [(c.get("name"), c.get("classname")) for c in cases] == [
        (item.path, PACK.id) for item in result.files
    ]
    assert root.get("tests") == str(len(result.files))


def test_junit_failures_name_the_failing_rules(result):
    root = junit_tree(result)
    failures = {c.get("name"): c.find("failure") for c in root.iter("testcase")}
    noncompliant = [f for f in result.files if f.status == "noncompliant"]
    assert sorted(n for n, f in failures.items() if f is not None) == sorted(
        f.path for f in noncompliant
    )
    for item in noncompliant:
        failing = [f.rule for f in item.findings if f.outcome == "fail"]
        assert failures[item.path].get("message") == "noncompliant: " + ", ".join(failing)
        assert "GB 45438-2025 §5.2, §5.4" in failures[item.path].text
    errors = [c for c in root.iter("testcase") if c.find("error") is not None]
    assert [c.get("name") for c in errors] == [f.path for f in result.files if f.error]
    skipped = [c for c in root.iter("testcase") if c.find("skipped") is not None]
    assert [c.get("name") for c in skipped] == [
        f.path for f in result.files if f.status == "not_applicable"
    ]
    suite = root.find("testsuite")
    assert int(suite.get("failures")) == len(noncompliant)


def test_junit_follows_fail_on(result):
    strict = ReportContext(packs=[PACK], fail_on=frozenset({"noncompliant", "needs_review"}))
    root = junit_tree(result, strict)
    failed = {c.get("name") for c in root.iter("testcase") if c.find("failure") is not None}
    assert failed == {f.path for f in result.files if f.status in ("noncompliant", "needs_review")}
