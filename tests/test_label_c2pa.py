"""`markcheck label` and C2PA: refused by default, re-signed with `--sign CERT KEY`."""

from __future__ import annotations

import json

import pytest

import media_builders as mb
from c2pa_fixtures import GENAI, make_credentials, manifest, sign
from markcheck.labelling import LabelRequest, label
from markcheck.readers.c2pa import MIME_TYPES
from markcheck.scan_options import ScanOptions
from markcheck.scanner import scan
from test_label_writers import PRODUCER, exiftool_labels, expected, labels_read_by_markcheck

BUILDERS = {"jpg": ("jpeg", mb.jpeg), "png": ("png", mb.png), "webp": ("webp", mb.webp),
            "mp4": ("mp4", mb.mp4)}  # fmt: skip


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    """Each format signed with a GenAI manifest by a throwaway CA, and the credentials."""
    root = tmp_path_factory.mktemp("c2pa-label")
    creds = make_credentials()
    (root / "chain.pem").write_bytes(creds.chain_pem)
    (root / "key.pem").write_bytes(creds.key_pem)
    (root / "root.pem").write_bytes(creds.root_pem)
    (root / "in").mkdir()
    for ext, (_, build) in BUILDERS.items():
        sign(build(root / f"raw.{ext}"), root / "in" / f"gen.{ext}", creds, manifest())
    return root


def _store(path, fmt):
    import c2pa

    with open(path, "rb") as stream, c2pa.Reader(MIME_TYPES[fmt], stream) as reader:
        return json.loads(reader.json())


@pytest.mark.parametrize("ext", BUILDERS)
def test_resigned_with_the_original_as_ingredient(signed, tmp_path, ext):
    fmt = BUILDERS[ext][0]
    source = signed / "in" / f"gen.{ext}"
    request = LabelRequest(producer=PRODUCER, produce_id="job-{stem}",
                           sign=(signed / "chain.pem", signed / "key.pem"))  # fmt: skip
    (outcome,) = label([source], request, out_dir=tmp_path, select=("cn.implicit",)).files
    assert outcome.error is None, outcome.error
    assert outcome.c2pa == "re-signed" and outcome.proof["status"] == "compliant"
    out = tmp_path / f"gen.{ext}"
    assert [f.label for f in labels_read_by_markcheck(out)] == [expected("gen")]
    if ext != "mp4":
        assert exiftool_labels(out) == [expected("gen")]
    # the scanner, trusting the test root: a valid, trusted manifest that still says GenAI
    options = ScanOptions(trust_anchors=(signed / "root.pem",))
    (judged,) = scan([out], ["eu-ai-act-art50"], options=options, jobs=0).files
    info = judged.implicit.c2pa
    assert info.validation_state == "Trusted", info.codes
    assert info.digital_source_type == GENAI
    store, before = _store(out, fmt), _store(source, fmt)
    active = store["manifests"][store["active_manifest"]]
    actions = [a for x in active["assertions"] if x["label"].startswith("c2pa.actions")
               for a in x["data"]["actions"]]  # fmt: skip
    assert [a["action"] for a in actions] == ["c2pa.opened", "c2pa.edited"]
    assert actions[1]["digitalSourceType"] == GENAI
    (ingredient,) = active["ingredients"]
    assert ingredient["relationship"] == "parentOf"
    assert ingredient["active_manifest"] == before["active_manifest"]


def test_second_run_changes_nothing_even_without_credentials(signed, tmp_path):
    request = LabelRequest(producer=PRODUCER, sign=(signed / "chain.pem", signed / "key.pem"))
    label([signed / "in" / "gen.jpg"], request, out_dir=tmp_path / "one", select=("cn.implicit",))
    again = label([tmp_path / "one" / "gen.jpg"], LabelRequest(producer=PRODUCER),
                  out_dir=tmp_path / "two", select=("cn.implicit",))  # fmt: skip
    (outcome,) = again.files
    assert outcome.error is None and outcome.action == "unchanged"
    assert (tmp_path / "two" / "gen.jpg").read_bytes() == (
        tmp_path / "one" / "gen.jpg"
    ).read_bytes()


def test_refused_without_credentials_and_nothing_written(signed, tmp_path, cli):
    run = cli("label", str(signed / "in" / "gen.png"), "--out", str(tmp_path / "o"),
              "--producer", PRODUCER, "--select", "cn.implicit")  # fmt: skip
    assert run.returncode == 1
    assert "C2PA manifest" in run.stdout and "--sign CERT KEY" in run.stdout
    assert not (tmp_path / "o").exists()


def test_cli_sign(signed, tmp_path, cli):
    run = cli("label", str(signed / "in" / "gen.webp"), "--out", str(tmp_path / "o"),
              "--producer", PRODUCER, "--select", "cn.implicit", "--summary", "-",
              "--sign", str(signed / "chain.pem"), str(signed / "key.pem"))  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    (item,) = json.loads(run.stdout)["files"]
    assert item["c2pa"] == "re-signed" and item["proof"]["status"] == "compliant"
