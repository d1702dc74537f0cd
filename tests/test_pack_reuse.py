"""A pack file is parsed once per text: asked for again it is the same pack, and a file
rewritten in place (even to the same size, within one timestamp tick) is parsed again."""

from __future__ import annotations

from markcheck.rules.packs import load_pack, prepare_packs


def _write(path, severity: str) -> None:
    path.write_text(
        "id: house\nversion: '1'\nrules:\n"
        "  - id: house.present\n    check: cn.implicit.present\n    title: t\n"
        f"    clause: c\n    severity: {severity}\n"
    )


def test_same_text_same_pack_and_a_rewrite_is_read_again(tmp_path):
    path = tmp_path / "house.yaml"
    _write(path, "error")
    first = load_pack(str(path))
    assert load_pack(str(path)) is first
    assert first.rules[0].severity == "error"
    _write(path, "info ")  # the same number of bytes as "error"
    (rule,) = prepare_packs([str(path)])[0].rules
    assert rule.severity == "info"
    _write(path, "error")
    assert load_pack(str(path)) is first  # that text again: the pack parsed from it
    builtin = load_pack("cn-gb45438")
    assert load_pack("cn-gb45438") is builtin
