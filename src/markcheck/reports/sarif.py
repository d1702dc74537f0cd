"""SARIF 2.1.0: one result per failed or undecided finding, for code-scanning dashboards.

Each rule that produced a result is described in the driver (id, name, clause, help text from
its `markcheck explain` page). Waived findings are kept as results with an external
suppression carrying the waiver's reason. Files that could not be read are reported as tool
execution notifications, since no rule ran on them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from markcheck.model import FileResult, Finding, ScanResult, plain
from markcheck.reports.context import ReportContext
from markcheck.rules.docs import rule_doc

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
ROOT = "%SRCROOT%"  # the working directory of the scan (a CI job's checkout)
INFORMATION_URI = "https://github.com/markcheck/markcheck"


def _level(finding: Finding) -> str:
    if finding.outcome == "unknown":
        return "warning"  # needs a person, whatever the rule's severity
    return {"error": "error", "warning": "warning"}.get(finding.severity, "note")


def _reported(finding: Finding) -> bool:
    return finding.outcome == "fail" or (
        finding.outcome == "unknown" and finding.severity != "info"
    )


def _descriptor(rule_id: str, ctx: ReportContext, sample: Finding) -> dict[str, Any]:
    found = ctx.rule(rule_id)
    if found is None:  # a pack not given to the report: describe it from the finding alone
        return {
            "id": rule_id,
            "shortDescription": {"text": rule_id},
            "properties": {"clause": sample.clause, "ruleset": sample.ruleset},
        }
    pack, rule = found
    return {
        "id": rule.id,
        "name": rule.check,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title} ({rule.clause})"},
        "help": {"text": rule_doc(pack, rule)},
        "defaultConfiguration": {"level": "error" if rule.severity == "error" else "warning"},
        "properties": {
            "clause": rule.clause,
            "ruleset": pack.id,
            "ruleset_version": pack.version,
            "source": rule.source,
            "tags": ["compliance", pack.id],
        },
    }


def _artifact_location(item: FileResult, ctx: ReportContext, cwd: Path) -> dict[str, Any]:
    """Where the file is, as SARIF viewers resolve it: relative to the working directory when
    it is under it (code-scanning dashboards map that to the repository), else an absolute
    file URI (which may not carry a base id)."""
    if "://" in item.path:  # an object-storage URL (markcheck.remote) is already a URI
        return {"uri": quote(item.path, safe=":/?#[]@!$&'()*+,;=%")}
    found = ctx.locate(item.path)
    if found is None:  # the report was not given the scan's inputs: the scan-relative path
        return {"uri": quote(item.path)}
    path = found.absolute()
    try:
        return {"uri": quote(path.relative_to(cwd).as_posix()), "uriBaseId": ROOT}
    except ValueError:
        return {"uri": path.as_uri()}


def _result(item: FileResult, finding: Finding, rule_index: int, artifact: int, location) -> dict:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _level(finding),
        "kind": "fail" if finding.outcome == "fail" else "review",
        "message": {"text": f"{finding.message} [{finding.clause}]"},
        "locations": [{"physicalLocation": {"artifactLocation": {**location, "index": artifact}}}],
        "properties": {
            "outcome": finding.outcome,
            "severity": finding.severity,
            "clause": finding.clause,
            "ruleset": finding.ruleset,
            "file_status": item.status,
        },
    }
    if item.implicit.watermarks:
        result["properties"]["watermarks"] = plain(item.implicit.watermarks)
    if item.sha256:
        result["partialFingerprints"] = {"sha256/v1": f"{item.sha256}:{finding.rule}"}
    if finding.waiver is not None:
        waiver = finding.waiver
        result["properties"]["waiver"] = plain(waiver)
        if not waiver.expired:
            result["suppressions"] = [{"kind": "external", "justification": waiver.reason}]
    return result


def build(result: ScanResult, ctx: ReportContext | None = None) -> dict[str, Any]:
    """The SARIF log as a dict."""
    ctx = ctx or ReportContext()
    rules: list[dict] = []
    rule_index: dict[str, int] = {}
    artifacts: list[dict] = []
    results: list[dict] = []
    notifications: list[dict] = []
    cwd = Path.cwd()
    for item in result.files:
        artifact = len(artifacts)
        location = _artifact_location(item, ctx, cwd)
        entry: dict[str, Any] = {"location": location, "roles": ["analysisTarget"]}
        if item.sha256:
            entry["hashes"] = {"sha-256": item.sha256}
        artifacts.append(entry)
        if item.error is not None:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{item.path}: {item.error.type}: {item.error.message}"},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": {**location, "index": artifact}}}
                    ],
                }
            )
        for finding in item.findings:
            if not _reported(finding):
                continue
            if finding.rule not in rule_index:
                rule_index[finding.rule] = len(rules)
                rules.append(_descriptor(finding.rule, ctx, finding))
            results.append(_result(item, finding, rule_index[finding.rule], artifact, location))
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "markcheck",
                        "version": str(result.tool.get("version", "")),
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                        "properties": {
                            "rulesets": [f"{r.id} {r.version}" for r in result.rulesets]
                        },
                    }
                },
                "originalUriBaseIds": {
                    ROOT: {
                        "uri": cwd.as_uri() + "/",
                        "description": {"text": "The working directory of the scan."},
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not result.partial,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "artifacts": artifacts,
                "results": results,
                "properties": {
                    "summary": result.summary,
                    **({"audit": result.audit} if result.audit is not None else {}),
                },
            }
        ],
    }


def report(result: ScanResult, stream: TextIO, ctx: ReportContext | None = None) -> None:
    json.dump(build(result, ctx), stream, ensure_ascii=False, indent=1)
    stream.write("\n")
