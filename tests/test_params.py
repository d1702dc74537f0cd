"""Rule parameters are checked against the checks' declarations before the first file."""

from __future__ import annotations

import pytest

from conftest import label_json, run_cli
from markcheck.rules.packs import PackError, load_pack
from markcheck.rules.params import ParamError, check_value
from markcheck.rules.registry import Param

SIGNED = "eu.marking.signed_metadata"


def pack(tmp_path, check: str, params: str, name: str = "house.yaml"):
    path = tmp_path / name
    path.write_text(
        "id: house\nversion: '3'\nrules:\n"
        f"  - id: house.rule\n    check: {check}\n    title: t\n    clause: c\n"
        f"    severity: error\n    params: {params}\n"
    )
    return path


@pytest.fixture
def media(tmp_path, make_png):
    make_png("media/good.png", {"AIGC": label_json()})
    return tmp_path / "media"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ('{require_timestamp: "false"}', ["'require_timestamp'", "true or false", "'false'"]),
        ("{accept_untrusted: 1}", ["'accept_untrusted'", "true or false"]),
        ("{require_timestmp: false}", ["unknown parameter 'require_timestmp'"]),
    ],
)
def test_a_bad_pack_parameter_exits_2_naming_file_rule_and_parameter(tmp_path, media, params,
                                                                      words):  # fmt: skip
    path = pack(tmp_path, SIGNED, params)
    proc = run_cli("scan", str(media), "--rules", str(path), "-f", "json")
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""  # stopped before the first file: no report
    assert str(path) in proc.stderr and "house.rule" in proc.stderr
    for word in words:
        assert word in proc.stderr


def test_a_check_that_declares_no_parameter_refuses_one(tmp_path):
    with pytest.raises(PackError, match="unknown parameter 'min_ratio'.*has: none"):
        load_pack(str(pack(tmp_path, "cn.implicit.present", "{min_ratio: 0.06}")))


def test_checks_without_declarations_keep_their_pack_parameters(tmp_path):
    # A check registered without declarations (as a plug-in's might be) keeps what packs set.
    from markcheck.rules.registry import CHECKS, check, passed

    if "test.undeclared" not in CHECKS:
        check("test.undeclared")(lambda evidence, params, ctx: passed("ok"))
    loaded = load_pack(str(pack(tmp_path, "test.undeclared", "{min_ratio: 0.06}")))
    assert loaded.rules[0].params == {"min_ratio": 0.06}


def test_declared_defaults_fill_what_a_pack_omits(tmp_path):
    loaded = load_pack(str(pack(tmp_path, SIGNED, "{accept_untrusted: true}")))
    # require_timestamp is declared with default true in eu.py (Code of Practice 1.1.1),
    # accept_offline_unchecked with default true in provenance.py
    assert loaded.rules[0].params == {
        "accept_untrusted": True,
        "require_timestamp": True,
        "accept_offline_unchecked": True,
    }


def test_a_bad_threshold_in_the_configuration_exits_2_naming_the_file(tmp_path, media):
    config = tmp_path / "markcheck.toml"
    config.write_text(
        f'rules = ["eu-ai-act-art50"]\n[thresholds."{SIGNED}"]\nrequire_timestamp = "false"\n'
    )
    proc = run_cli("scan", str(media), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert f"{config.resolve()} [thresholds]" in proc.stderr
    assert SIGNED in proc.stderr and "'require_timestamp'" in proc.stderr


def test_value_checks_against_a_declared_range():
    ratio = Param("min_ratio", float, 0.05, "share of the shortest side", low=0.0, high=1.0)
    assert check_value(ratio, 0.06) == 0.06
    assert check_value(ratio, 1) == 1.0 and isinstance(check_value(ratio, 1), float)
    for bad in ("6%", 6, -0.1, True, None):
        with pytest.raises(ParamError):
            check_value(ratio, bad)
    style = Param("style", str, "box", "label style", choices=("box", "plain"))
    with pytest.raises(ParamError, match="not one of"):
        check_value(style, "bold")


def test_explain_shows_the_declared_parameters():
    page = run_cli("explain", SIGNED)
    assert page.returncode == 0
    assert "require_timestamp = True" in page.stdout
    assert "(bool; default False)" in page.stdout  # accept_untrusted's declaration
