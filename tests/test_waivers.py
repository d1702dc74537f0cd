"""Waivers: matching by path glob and rule prefix, status folding, expiry, and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from markcheck.waivers import Waiver, WaiverError, WaiverSet, load_waivers, parse_waivers
from report_fixtures import labelled

TODAY = dt.date(2026, 1, 15)


def test_an_applied_waiver_marks_the_finding_and_folds_the_status():
    item = labelled("user/1234/copy.jpg", big=False)
    assert item.status == "noncompliant"
    reason = "CAC Measures Art. 9: user asked for an unlabeled copy"
    waivers = WaiverSet([Waiver("user/*/copy.jpg", "cn.explicit", reason)], TODAY)
    done = waivers.apply(item)
    size = next(f for f in done.findings if f.rule == "cn.explicit.size")
    assert size.outcome == "fail" and size.waived and size.waiver.reason == reason
    assert done.status == "compliant"
    assert item.status == "noncompliant"  # the original is not changed
    assert all(f.waiver is None for f in done.findings if f.outcome == "pass")


def test_a_waiver_for_another_path_or_rule_does_nothing():
    item = labelled("a/b.jpg", big=False)
    waivers = WaiverSet(
        [Waiver("other/*.jpg", "cn.explicit.size", "x"), Waiver("a/*", "cn.implicit", "y")], TODAY
    )
    assert waivers.apply(item) is item


def test_an_expired_waiver_is_shown_but_no_longer_applies():
    item = labelled("a/b.jpg", big=False)
    old = Waiver("a/*", "cn.explicit.size", "trial period", dt.date(2026, 1, 14))
    waivers = WaiverSet([old], TODAY)
    done = waivers.apply(item)
    size = next(f for f in done.findings if f.rule == "cn.explicit.size")
    assert size.waiver.expired and not size.waived and size.waiver.expires == "2026-01-14"
    assert done.status == "noncompliant"
    assert waivers.expired_hits == {old}
    # The expiry day itself is still covered.
    assert WaiverSet([old], dt.date(2026, 1, 14)).apply(item).status == "compliant"


def test_the_waiver_file_format_is_checked(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n  - path: 'a/*.png'\n    rule: cn.explicit.present\n"
        "    reason: user agreement\n    expires: 2026-06-30\n"
    )
    assert load_waivers(path) == [
        Waiver("a/*.png", "cn.explicit.present", "user agreement", dt.date(2026, 6, 30))
    ]
    with pytest.raises(WaiverError, match="missing reason"):
        parse_waivers([{"path": "a", "rule": "b"}])
    with pytest.raises(WaiverError, match="not a date"):
        parse_waivers([{"path": "a", "rule": "b", "reason": "c", "expires": "soon"}])
    with pytest.raises(WaiverError, match="unknown keys"):
        parse_waivers([{"path": "a", "rule": "b", "reason": "c", "until": "2026-01-01"}])


def test_cli_applies_waivers_and_warns_of_expired_ones(tmp_path, make_png, cli):
    make_png("delivered/plain.png", {"parameters": "a cat, Steps: 20"})
    make_png("other/plain.png", {"parameters": "a dog, Steps: 20"})
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - {path: 'delivered/*', rule: cn.implicit, reason: 'Art. 9 user copy'}\n"
        "  - {path: 'other/*', rule: cn.implicit, reason: 'old deal', expires: 2020-01-01}\n"
    )
    out = tmp_path / "report.json"
    proc = cli("scan", str(tmp_path), "--select", "cn.implicit", "--waivers", str(waivers),
               "-f", "json", "-o", str(out))  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    report = {f["path"]: f for f in json.loads(out.read_text())["files"]}
    assert report["delivered/plain.png"]["status"] == "compliant"
    assert report["other/plain.png"]["status"] == "noncompliant"
    marks = [f["waiver"] for f in report["delivered/plain.png"]["findings"] if f["waiver"]]
    assert marks and all(m["reason"] == "Art. 9 user copy" and not m["expired"] for m in marks)
    assert "waiver expired on 2020-01-01" in proc.stderr
    table = cli("scan", str(tmp_path), "--select", "cn.implicit", "--waivers", str(waivers))
    rows = {line.split()[1]: line for line in table.stdout.splitlines() if "plain.png" in line}
    assert "waived cn.implicit.present" in rows["delivered/plain.png"]
    assert "fails" not in rows["delivered/plain.png"]
    assert "fails cn.implicit.present" in rows["other/plain.png"]


def test_waived_findings_are_schema_valid_in_the_json_report():
    from markcheck.model import RulesetRef, ScanResult
    from markcheck.reports.json_report import report, validate

    item = labelled("a/b.jpg", big=False)
    waivers = WaiverSet([Waiver("a/*", "cn.explicit.size", "ok", dt.date(2026, 1, 14))], TODAY)
    result = ScanResult({"name": "markcheck", "version": "0"}, [RulesetRef("cn-gb45438", "1")])
    result.files.append(waivers.apply(item))
    document = json.loads(report(result))
    validate(document)
    marks = [f["waiver"] for f in document["files"][0]["findings"] if f["waiver"]]
    assert marks == [{"reason": "ok", "path": "a/*", "expires": "2026-01-14", "expired": True}]


def test_an_expiry_with_a_time_applies_until_that_moment(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n"
        "  - {path: 'a/*', rule: cn.explicit.size, reason: r, expires: '2027-06-30 10:00'}\n"
        "  - {path: 'b/*', rule: cn.explicit.size, reason: r, expires: 2027-06-30T10:00:00Z}\n"
    )
    local, utc = load_waivers(path)
    assert local.expires == dt.datetime(2027, 6, 30, 10, 0)
    assert utc.expires == dt.datetime(2027, 6, 30, 10, 0, tzinfo=dt.timezone.utc)
    day = dt.date(2027, 6, 30)
    before = dt.datetime(2027, 6, 30, 9, 59, tzinfo=dt.timezone.utc)
    after = dt.datetime(2027, 6, 30, 10, 1, tzinfo=dt.timezone.utc)
    assert not utc.expired(day, before) and utc.expired(day, after)
    # A time without a zone is local time: compare with the local clock's reading.
    local_before = dt.datetime(2027, 6, 30, 9, 59).astimezone()
    local_after = dt.datetime(2027, 6, 30, 10, 1).astimezone()
    assert not local.expired(day, local_before) and local.expired(day, local_after)
    item = labelled("b/x.jpg", big=False)
    assert WaiverSet([utc], day, before).apply(item).status == "compliant"
    assert WaiverSet([utc], day, after).apply(item).status == "noncompliant"


def test_a_waiver_for_no_rule_of_the_packs_is_refused_and_unused_ones_are_listed(
    tmp_path, make_png, cli
):
    make_png("a/plain.png", {"parameters": "a cat, Steps: 20"})
    typo = tmp_path / "typo.yaml"
    typo.write_text("waivers:\n  - {path: 'a/*', rule: cn.implicit.presnt, reason: r}\n")
    proc = cli("scan", str(tmp_path), "--select", "cn.implicit", "--waivers", str(typo))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "'cn.implicit.presnt'" in proc.stderr and "waiver #1" in proc.stderr
    unused = tmp_path / "unused.yaml"
    unused.write_text(
        "waivers:\n"
        "  - {path: 'a/*', rule: cn.implicit.present, reason: used}\n"
        "  - {path: 'z/*', rule: cn.implicit.present, reason: never}\n"
    )
    proc = cli("scan", str(tmp_path), "--select", "cn.implicit", "--waivers", str(unused),
               "-f", "json")  # fmt: skip
    assert "matched no finding in this scan: z/* cn.implicit.present" in proc.stderr
    assert "a/*" not in proc.stderr
    audit = json.loads(proc.stdout)["audit"]["waivers"]
    assert audit["count"] == 2 and audit["unused"] == [
        {"path": "z/*", "rule": "cn.implicit.present"}
    ]
