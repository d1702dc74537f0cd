"""Fold a file's findings into its status."""

from __future__ import annotations

from markcheck.model import Finding, Status

# Stands in for each waived finding when the status is folded.
_as_pass = Finding("waived", "", "pass", "info", "", "")


def file_status(findings: list[Finding]) -> Status:
    """compliant / noncompliant / needs_review / not_applicable from the findings.

    A failed error-severity rule makes the file noncompliant. A failed warning, or a rule that
    could not decide (unknown, error or warning severity), leaves it for a person: needs_review.
    Info findings never change the status. When no rule applied, the file is not_applicable.
    A waived finding (an unexpired waiver) counts as a pass: a person accepted it.
    """
    findings = [_as_pass if f.waived and f.outcome != "not_applicable" else f for f in findings]
    if not findings or all(f.outcome == "not_applicable" for f in findings):
        return "not_applicable"
    if any(f.outcome == "fail" and f.severity == "error" for f in findings):
        return "noncompliant"
    if any(
        f.severity != "info" and (f.outcome == "unknown" or f.outcome == "fail") for f in findings
    ):
        return "needs_review"
    return "compliant"
