"""The committed sample set: a real scan gives the documented outcomes and writes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from markcheck import scan
from markcheck.reports.json_report import validate

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_scan_of_samples_matches_their_names_and_changes_no_file():
    before = fingerprint(SAMPLES)
    result = scan([SAMPLES], assume_ai=True, jobs=2)
    assert fingerprint(SAMPLES) == before  # bytes and modification times untouched
    validate(result.to_dict())
    status = {item.path: item.status for item in result.files}
    assert status["metadata/png-truncated.png"] == "error"
    assert status["metadata/png-label-number.png"] == "noncompliant"
    assert status["metadata/jpeg-plain.jpg"] == "noncompliant"  # assumed AI, no label at all
    assert status["visible/label-ok-bottom-right.jpg"] == "compliant"
    for name in ("label-too-small", "label-centred", "label-english-only", "no-visible-label"):
        assert status[f"visible/{name}.jpg"] == "noncompliant", name
    # The sample video has a metadata label but no visible one.
    assert status["metadata/mp4-keys-ok.mp4"] == "noncompliant"
