from markcheck.model import Finding
from markcheck.verdict import file_status


def finding(outcome: str, severity: str = "error") -> Finding:
    return Finding("r", "p", outcome, severity, "", "")


def test_error_failure_is_noncompliant():
    assert file_status([finding("pass"), finding("fail")]) == "noncompliant"


def test_warning_failure_and_unknown_need_review():
    assert file_status([finding("pass"), finding("fail", "warning")]) == "needs_review"
    assert file_status([finding("pass"), finding("unknown")]) == "needs_review"


def test_info_never_changes_status():
    assert file_status([finding("pass"), finding("fail", "info")]) == "compliant"
    assert file_status([finding("pass"), finding("unknown", "info")]) == "compliant"


def test_nothing_applied_is_not_applicable():
    assert file_status([finding("not_applicable")]) == "not_applicable"
    assert file_status([]) == "not_applicable"
