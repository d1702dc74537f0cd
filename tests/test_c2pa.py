"""C2PA provenance: real manifests signed at test time, validated offline; EU and CA packs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import c2pa_fixtures as cf
import media_builders as mb
from markcheck import scan
from markcheck.options import ScanOptions
from markcheck.reports.json_report import validate


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("c2pa")
    creds = cf.make_credentials()
    root = folder / "root.pem"
    root.write_bytes(creds.root_pem)
    files = {
        "genai.jpg": cf.sign(
            mb.jpeg(folder / "src.jpg"), folder / "genai.jpg", creds, cf.manifest()
        ),
        "genai.png": cf.sign(
            mb.png(folder / "src.png"), folder / "genai.png", creds, cf.manifest()
        ),
        "genai.mp4": cf.sign(
            mb.mp4(folder / "src.mp4"), folder / "genai.mp4", creds, cf.manifest()
        ),
        "capture.jpg": cf.sign(
            mb.jpeg(folder / "src2.jpg"),
            folder / "capture.jpg",
            creds,
            cf.manifest(cf.CAPTURE, generator="Acme Camera"),
        ),
    }
    files["edited.jpg"] = cf.sign(
        mb.jpeg(folder / "src3.jpg"),
        folder / "edited.jpg",
        creds,
        cf.edit_manifest(),
        ingredient=files["genai.jpg"],
    )
    files["tampered.jpg"] = cf.tampered_copy(files["genai.jpg"], folder / "tampered.jpg")
    for name in ("src.jpg", "src.png", "src.mp4", "src2.jpg", "src3.jpg"):
        (folder / name).unlink()
    return folder, files, root


def judge(path, packs, **options):
    result = scan([path], packs, options=ScanOptions(**options))
    validate(result.to_dict())
    (item,) = result.files
    return item, {f.rule: f.outcome for f in item.findings}


def test_untrusted_signer_is_valid_not_trusted(signed):
    _, files, _ = signed
    item, _ = judge(files["genai.jpg"], ["eu-ai-act-art50"])
    info = item.implicit.c2pa
    assert info.validation_state == "Valid"
    assert info.codes == ["signingCredential.untrusted", "signingCredential.ocsp.skipped"]
    assert info.details["trust"] == "untrusted"
    assert info.digital_source_type == cf.GENAI
    assert info.claim_generator == "Acme Image Generator 2.1"
    assert info.signer == "Acme Generative Labs"
    assert info.details["manifest_label"].startswith("urn:c2pa:")
    assert item.ai.verdict == "confirmed"


def test_trust_anchor_option_makes_it_trusted(signed):
    _, files, root = signed
    item, _ = judge(files["genai.jpg"], ["eu-ai-act-art50"], trust_anchors=(root,))
    assert item.implicit.c2pa.validation_state == "Trusted"
    assert item.implicit.c2pa.codes == ["signingCredential.ocsp.skipped"]
    item, _ = judge(
        files["genai.jpg"], ["eu-ai-act-art50"], trust_anchors=(root,), replace_trust_anchors=True
    )
    assert item.implicit.c2pa.validation_state == "Trusted"


def test_tampered_file_is_invalid(signed):
    _, files, root = signed
    item, got = judge(files["tampered.jpg"], ["us-ca-sb942"], trust_anchors=(root,))
    assert item.implicit.c2pa.validation_state == "Invalid"
    assert "assertion.dataHash.mismatch" in item.implicit.c2pa.codes
    assert got["ca.latent.detectable"] == "fail"
    assert item.ai.verdict == "suspected"  # an AI claim that does not validate


@pytest.mark.parametrize("name", ["genai.png", "genai.mp4"])
def test_png_and_mp4_manifests(signed, name):
    _, files, root = signed
    item, _ = judge(files[name], ["eu-ai-act-art50"], trust_anchors=(root,))
    assert item.implicit.c2pa.validation_state == "Trusted"
    assert item.implicit.c2pa.digital_source_type == cf.GENAI


def test_ingredient_chain_carries_the_source_type(signed):
    _, files, root = signed
    item, _ = judge(files["edited.jpg"], ["eu-ai-act-art50"], trust_anchors=(root,))
    info = item.implicit.c2pa
    assert info.claim_generator == "Acme Photo Editor 5.0"
    assert info.digital_source_type == cf.GENAI
    assert info.details["digital_source_types"] == [
        {
            "value": cf.GENAI,
            "action": "c2pa.created",
            "where": "active manifest ingredient[0] action",
        }
    ]
    assert info.details["manifest_count"] == 2


def test_camera_capture_is_not_ai(signed):
    _, files, _ = signed
    item, got = judge(files["capture.jpg"], ["eu-ai-act-art50"])
    assert item.implicit.c2pa.digital_source_type == cf.CAPTURE
    assert item.ai.verdict == "none" and item.status == "not_applicable"
    _, got = judge(files["capture.jpg"], ["eu-ai-act-art50"], assume_ai=True)
    assert got["eu.marking.machine_readable"] == "fail"


def test_eu_pack_outcomes(signed, tmp_path):
    _, files, root = signed
    _, got = judge(files["genai.jpg"], ["eu-ai-act-art50"], trust_anchors=(root,))
    assert got["eu.marking.machine_readable"] == "pass"
    assert got["eu.marking.signed_metadata"] == "fail"  # trusted, but no timestamp
    assert got["eu.marking.multilayer"] == "unknown"  # no watermark decoded: not proof
    assert got["eu.deepfake.disclosure"] == "unknown"  # no visible disclosure: for review
    _, got = judge(files["genai.jpg"], ["eu-ai-act-art50"])
    assert got["eu.marking.multilayer"] == "fail"  # signer not trusted: no metadata layer
    plain = mb.jpeg(tmp_path / "plain.jpg")
    _, got = judge(plain, ["eu-ai-act-art50"], assume_ai=True)
    assert got["eu.marking.machine_readable"] == "fail"
    assert got["eu.marking.signed_metadata"] == "fail"
    labelled = mb.jpeg(tmp_path / "tc260.jpg", mb.xmp_packet('{"Label":"1"}'))
    _, got = judge(labelled, ["eu-ai-act-art50"])
    assert got["eu.marking.machine_readable"] == "pass"


def test_ca_pack_outcomes(signed, tmp_path):
    _, files, _ = signed
    item, got = judge(files["genai.jpg"], ["us-ca-sb942"])
    assert got == {
        "ca.latent.provider": "pass",
        "ca.latent.system": "pass",
        "ca.latent.time": "pass",
        "ca.latent.identifier": "pass",
        "ca.latent.detectable": "pass",  # valid; the statute names no trust list
    }
    assert item.status == "compliant"
    _, got = judge(mb.jpeg(tmp_path / "plain.jpg"), ["us-ca-sb942"], assume_ai=True)
    assert set(got.values()) == {"fail"}


def test_consistency_with_tc260(signed, tmp_path):
    _, files, _ = signed
    _, got = judge(files["genai.jpg"], ["cn-gb45438"])
    assert got["cn.implicit.consistency"] == "fail"  # C2PA says AI, no TC260 label
    packet = mb.xmp_packet('{"Label":"1"}', source_type=mb.DST + "digitalCapture")
    _, got = judge(mb.jpeg(tmp_path / "x.jpg", packet), ["cn-gb45438"])
    assert got["cn.implicit.consistency"] == "fail"  # IPTC says capture, TC260 says AI
    agree = mb.xmp_packet('{"Label":"1"}', source_type=mb.DST + "trainedAlgorithmicMedia")
    _, got = judge(mb.jpeg(tmp_path / "y.jpg", agree), ["cn-gb45438"])
    assert got["cn.implicit.consistency"] == "pass"


def test_several_packs_in_one_scan(signed):
    _, files, _ = signed
    result = scan([files["genai.jpg"]], ["cn-gb45438", "eu-ai-act-art50", "us-ca-sb942"])
    assert [r.id for r in result.rulesets] == ["cn-gb45438", "eu-ai-act-art50", "us-ca-sb942"]
    assert {f.ruleset for f in result.files[0].findings} == {r.id for r in result.rulesets}


def test_broken_manifest_is_reported_not_fatal(signed, tmp_path):
    _, files, _ = signed
    data = bytearray(files["genai.jpg"].read_bytes())
    at = data.find(b"jumb")
    data[at + 40 : at + 140] = bytes(range(100))  # scramble the JUMBF boxes
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(bytes(data))
    item, got = judge(broken, ["us-ca-sb942"], assume_ai=True)
    # Unreadable manifest: every latent rule undecided, with the library's reason.
    assert item.status == "needs_review" and item.implicit.c2pa is None
    assert set(got.values()) == {"unknown"}
    assert any("C2PA manifest could not be read" in note for note in item.notes)


def test_cli_trust_anchors(signed):
    folder, files, root = signed
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "markcheck.cli",
            "scan",
            str(files["genai.jpg"]),
            "-r",
            "us-ca-sb942",
            "--trust-anchors",
            str(root),
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"validation_state":"Trusted"' in proc.stdout
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "markcheck.cli",
            "scan",
            str(folder),
            "--trust-anchors",
            str(folder / "nope.pem"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2


def test_bundled_trust_list_ships_with_licence():
    from markcheck.readers.c2pa import bundled_anchors

    assert bundled_anchors().count("BEGIN CERTIFICATE") == 30
    assert shutil.which("python3")
    here = Path(__import__("markcheck").__file__).parent / "data" / "c2pa_trust"
    assert (here / "LICENSE").is_file() and (here / "README.md").is_file()
