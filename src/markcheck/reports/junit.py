"""JUnit XML: one test case per file and rule pack, as CI systems display test results.

A case fails when that pack's findings fold to a status the run fails on (--fail-on, default
noncompliant and error); the failure lists the failing rules with clause and message. A file
that could not be read is an <error> in every pack. A pack that did not apply to the file is
<skipped>. Undecided rules that do not fail the run appear in the case's system-out. Waived
findings never fail a case; they are listed in system-out with the waiver's reason.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from markcheck.audit import lines as audit_lines
from markcheck.model import FileResult, Finding, ScanResult
from markcheck.reports.context import ReportContext
from markcheck.verdict import file_status


def _line(finding: Finding) -> str:
    text = f"{finding.rule} [{finding.clause}] {finding.outcome}: {finding.message}"
    if finding.waiver is not None:
        state = "EXPIRED waiver" if finding.waiver.expired else "waived"
        text += f" ({state}: {finding.waiver.reason})"
    return text


def _case(item: FileResult, pack_id: str, ctx: ReportContext) -> tuple[ET.Element, str]:
    case = ET.Element("testcase", name=item.path, classname=pack_id, file=item.path)
    if item.implicit.watermarks:
        props = ET.SubElement(case, "properties")
        for mark in item.implicit.watermarks:
            kind = "decoded" if mark.decoded else "declared"
            value = f"{mark.generator or mark.scheme} ({mark.scheme}, score {mark.score})"
            ET.SubElement(props, "property", name=f"watermark.{kind}", value=value)
    if item.error is not None:
        ET.SubElement(
            case, "error", message=item.error.message, type=item.error.type
        ).text = f"{item.error.type}: {item.error.message}"
        return case, "error"
    findings = [f for f in item.findings if f.ruleset == pack_id]
    status = file_status(findings)
    if status == "not_applicable":
        reason = next((f.message for f in findings), "no rule of this pack applied")
        ET.SubElement(case, "skipped", message=reason)
        return case, "skipped"
    counted = [f for f in findings if f.outcome in ("fail", "unknown") and not f.waived]
    if status in ctx.fail_on:
        failing = [f for f in counted if f.severity != "info"]
        ET.SubElement(
            case,
            "failure",
            message=f"{status}: " + ", ".join(f.rule for f in failing),
            type=status,
        ).text = "\n".join(_line(f) for f in failing)
        outcome = "failure"
    else:
        outcome = "passed"
    notes = [_line(f) for f in findings if f.waiver is not None or f in counted]
    if notes and outcome == "passed":
        ET.SubElement(case, "system-out").text = f"status: {status}\n" + "\n".join(notes)
    return case, outcome


def build(result: ScanResult, ctx: ReportContext | None = None) -> ET.Element:
    ctx = ctx or ReportContext()
    root = ET.Element("testsuites", name="markcheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for ruleset in result.rulesets:
        suite = ET.SubElement(root, "testsuite", name=f"{ruleset.id} {ruleset.version}")
        if result.audit is not None:  # what was checked, with what: first, as JUnit wants
            properties = ET.SubElement(suite, "properties")
            for label, text in audit_lines(result.audit):
                ET.SubElement(properties, "property", name=label, value=text)
            partial = "true" if result.audit.get("partial_ruleset") else "false"
            ET.SubElement(properties, "property", name="partial_ruleset", value=partial)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for item in result.files:
            case, outcome = _case(item, ruleset.id, ctx)
            suite.append(case)
            counts["tests"] += 1
            key = {"failure": "failures", "error": "errors", "skipped": "skipped"}.get(outcome)
            if key:
                counts[key] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    return root


def report(result: ScanResult, stream: TextIO, ctx: ReportContext | None = None) -> None:
    tree = ET.ElementTree(build(result, ctx))
    ET.indent(tree, space=" ")
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    tree.write(stream, encoding="unicode")
    stream.write("\n")
