"""Every cn.implicit.* rule, pass and fail, judged on real PNG files through the whole scan."""

from __future__ import annotations

import json

import pytest

from conftest import label_json
from markcheck import scan
from markcheck.reports.json_report import validate


def outcomes(path, role="provider", assume_ai=False):
    result = scan([path], select=["cn.implicit"], role=role, assume_ai=assume_ai)
    validate(result.to_dict())
    (item,) = result.files
    return item, {f.rule: f.outcome for f in item.findings}


def test_good_label_passes_every_rule(make_png):
    item, got = outcomes(make_png("good.png", {"AIGC": label_json()}))
    assert item.status == "compliant"
    assert item.ai.verdict == "confirmed"
    assert got == {
        "cn.implicit.present": "pass",
        "cn.implicit.single": "pass",
        "cn.implicit.conflict": "pass",
        "cn.implicit.fields": "pass",
        "cn.implicit.label_value": "pass",
        "cn.implicit.producer": "pass",
        "cn.implicit.charset": "pass",
        "cn.implicit.propagator": "not_applicable",  # a provider's duty is not to propagate
        "cn.implicit.consistency": "not_applicable",  # no C2PA or IPTC to compare with
        "cn.implicit.provider_code": "pass",
    }


def test_wrapped_form_is_accepted_and_named(make_png):
    wrapped = json.dumps({"AIGC": json.loads(label_json())})
    item, got = outcomes(make_png("wrapped.png", {"AIGC": wrapped}))
    assert got["cn.implicit.fields"] == "pass"
    assert item.implicit.tc260[0].form == "wrapped"


def test_missing_label_fails_present_when_assumed_ai(make_png):
    item, got = outcomes(make_png("bare.png"), assume_ai=True)
    assert got["cn.implicit.present"] == "fail"
    assert got["cn.implicit.fields"] == "not_applicable"
    assert item.status == "noncompliant"


def test_no_metadata_and_no_assumption_is_not_applicable(make_png):
    item, got = outcomes(make_png("bare.png"))
    assert item.status == "not_applicable"
    assert item.ai.verdict == "none"
    assert set(got.values()) == {"not_applicable"}


@pytest.mark.parametrize(
    ("label", "rule"),
    [
        (label_json(ContentPropagator=None), "cn.implicit.fields"),
        ("not json at all", "cn.implicit.fields"),
        (label_json(Label=1), "cn.implicit.label_value"),
        (label_json(Label="AIGC"), "cn.implicit.label_value"),
        (label_json(ContentProducer=""), "cn.implicit.producer"),
        (label_json(ProduceID=""), "cn.implicit.producer"),
        (label_json(ContentProducer="某某科技 有限公司"), "cn.implicit.charset"),
        (label_json(ContentProducer="Acme-AI"), "cn.implicit.provider_code"),
        (label_json(ContentProducer="001191110102MACQD9K64110000"), "cn.implicit.provider_code"),
    ],
)
def test_each_rule_fails_on_its_defect(make_png, label, rule):
    _, got = outcomes(make_png("bad.png", {"AIGC": label}), assume_ai=True)
    assert got[rule] == "fail"


def test_charset_failure_needs_review_only(make_png):
    item, got = outcomes(make_png("cn.png", {"AIGC": label_json(ProduceID="编号 1")}))
    assert got["cn.implicit.charset"] == "fail"
    assert item.status == "needs_review"  # charset is a warning (confidence M)


def test_two_carriers_fail_single_even_when_they_agree(make_png):
    path = make_png("two.png", {"AIGC": label_json(), "aigc": label_json()})
    item, got = outcomes(path)
    assert len(item.implicit.tc260) == 2
    assert got["cn.implicit.single"] == "fail"


def test_platform_must_add_propagation_fields(make_png):
    missing = make_png("p1.png", {"AIGC": label_json()})
    _, got = outcomes(missing, role="platform")
    assert got["cn.implicit.propagator"] == "fail"
    added = make_png("p2.png", {"AIGC": label_json(ContentPropagator="P1", PropagateID="post-9")})
    _, got = outcomes(added, role="platform")
    assert got["cn.implicit.propagator"] == "pass"


def test_label_value_two_and_three_set_the_ai_verdict(make_png):
    item, _ = outcomes(make_png("l2.png", {"AIGC": label_json(Label="2")}))
    assert item.ai.verdict == "possible"
    item, _ = outcomes(make_png("l3.png", {"AIGC": label_json(Label="3")}))
    assert item.ai.verdict == "suspected"
