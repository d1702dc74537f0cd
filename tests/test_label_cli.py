"""`markcheck label` on the command line: configuration, JSON summary, proof and exit codes."""

from __future__ import annotations

import json
from importlib.resources import files

import jsonschema

import media_builders as mb
from test_label_writers import PRODUCER, exiftool_labels, expected


def test_label_from_config_with_summary(tmp_path, cli):
    (tmp_path / "in").mkdir()
    mb.jpeg(tmp_path / "in" / "a.jpg")
    mb.mp4(tmp_path / "in" / "b.mp4")
    (tmp_path / "markcheck.toml").write_text(
        f'[label]\nContentProducer = "{PRODUCER}"\nProduceID = "job-{{stem}}"\n'
    )
    run = cli("label", "in", "--out", "out", "--select", "cn.implicit", "--summary", "-",
              cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    _valid(summary)
    assert summary["ok"] is True and summary["summary"] == {"compliant": 2}
    by_path = {f["path"]: f for f in summary["files"]}
    assert by_path["a.jpg"]["carrier"] == "xmp:jpeg/app1-xmp"
    assert by_path["b.mp4"]["carrier"].endswith("/keys:AIGC")
    assert exiftool_labels(tmp_path / "out" / "b.mp4") == [expected("b")]
    assert "a.jpg -> out/a.jpg" in run.stderr  # the per-file lines go to stderr with --summary -


def test_proof_fails_without_a_visible_label(tmp_path, cli):
    """An image with only the metadata label is not compliant for a provider: exit 1, and the
    line says which rule still fails."""
    mb.png(tmp_path / "p.png")
    run = cli("label", "p.png", "--out", "out", "--producer", PRODUCER, cwd=tmp_path)
    assert run.returncode == 1
    assert "cn.explicit.present fail" in run.stdout
    written = exiftool_labels(tmp_path / "out" / "p.png")
    assert written == [expected("p", ProduceID=_produce_id(tmp_path / "p.png"))]


def _produce_id(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:32]  # the default {sha256:.32}


def test_usage_errors(tmp_path, cli):
    mb.png(tmp_path / "p.png")
    both = cli("label", "p.png", "--out", "o", "--in-place", "--producer", PRODUCER, cwd=tmp_path)
    assert both.returncode == 2 and "exactly one of" in both.stderr
    none = cli("label", "p.png", "--out", "o", cwd=tmp_path)
    assert none.returncode == 2 and "--producer" in none.stderr
    (tmp_path / "markcheck.toml").write_text('[label]\nProducer = "x"\n')
    bad = cli("label", "p.png", "--out", "o", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown [label] keys" in bad.stderr


def test_bad_value_is_a_file_error(tmp_path, cli):
    mb.png(tmp_path / "p.png")
    run = cli("label", "p.png", "--out", "o", "--producer", "Acme AI", cwd=tmp_path)
    assert run.returncode == 1
    assert "ERROR" in run.stdout and "nothing written" in run.stdout
    assert not (tmp_path / "o").exists()


def test_config_show_lists_the_label_table(tmp_path, cli):
    (tmp_path / "markcheck.toml").write_text(f'[label]\nContentProducer = "{PRODUCER}"\n')
    run = cli("config", "show", cwd=tmp_path)
    assert run.returncode == 0
    assert f'ContentProducer = "{PRODUCER}"' in run.stdout


def _valid(summary: dict) -> None:
    schema = json.loads((files("markcheck.data") / "label-summary.schema.json").read_text())
    jsonschema.validate(summary, schema)


def test_summary_with_errors_and_visible_labels_is_valid(tmp_path, cli):
    from label_builders import photo

    (tmp_path / "in").mkdir()
    photo("coffee", (640, 480)).save(tmp_path / "in" / "v.jpg", quality=90)
    whole = mb.png(tmp_path / "whole.png").read_bytes()
    (tmp_path / "in" / "bad.png").write_bytes(whole[:200])
    run = cli("label", "in", "--out", "out", "--producer", PRODUCER, "--visible",
              "--summary", "summary.json", cwd=tmp_path)  # fmt: skip
    assert run.returncode == 1  # bad.png cannot be labelled
    summary = json.loads((tmp_path / "summary.json").read_text())
    _valid(summary)
    by_path = {f["path"]: f for f in summary["files"]}
    assert by_path["bad.png"]["status"] == "error" and by_path["bad.png"]["output"] is None
    assert not (tmp_path / "out" / "bad.png").exists()
    assert by_path["v.jpg"]["visible"]["action"] == "added"
    assert by_path["v.jpg"]["proof"]["status"] == "compliant"
