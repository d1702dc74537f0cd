"""C2PA provenance: real manifests signed at test time, validated offline; EU and CA packs."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

import c2pa_fixtures as cf
import media_builders as mb
from conftest import run_cli
from markcheck import scan
from markcheck.reports.json_report import validate
from markcheck.rules.packs import builtin_pack_dir
from markcheck.scan_options import ScanOptions


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
    files["watermarked.jpg"] = cf.sign(
        mb.jpeg(folder / "src4.jpg"), folder / "watermarked.jpg", creds, cf.watermarked_manifest()
    )
    files["remote.jpg"] = cf.sign(
        mb.jpeg(folder / "src5.jpg"),
        folder / "remote.jpg",
        creds,
        cf.manifest(),
        remote_url="http://127.0.0.1:9/never-fetched.c2pa",
    )
    sources = {
        "webp": mb.webp(folder / "src.webp"),
        "gif": mb.gif(folder / "src.gif"),
        "tif": mb.tiff(folder / "src.tif", mb.xmp_packet('{"Label":"1"}')),
        "avif": mb.avif(folder / "src.avif"),
        "mov": shutil.copy(folder / "src.mp4", folder / "src.mov"),
    }
    for suffix, source in sources.items():
        files[f"genai.{suffix}"] = cf.sign(
            Path(source), folder / f"genai.{suffix}", creds, cf.manifest()
        )
    for name in folder.glob("src*"):
        name.unlink()
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
    proc = run_cli("scan", str(files["genai.jpg"]), "-r", "us-ca-sb942", "--trust-anchors",
                   str(root), "-f", "json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert '"validation_state":"Trusted"' in proc.stdout
    missing = run_cli("scan", str(folder), "--trust-anchors", str(folder / "nope.pem"), timeout=60)
    assert missing.returncode == 2


def test_bundled_trust_list_ships_with_licence():
    from markcheck.readers.c2pa import (
        bundled_anchors,
        bundled_tsa_anchors,
        extra_tsa_anchors,
        trust_settings,
    )

    def certificates(pem: str) -> list[str]:
        found = re.findall(r"BEGIN CERTIFICATE-----(.*?)-----END", pem, re.S)
        return ["".join(block.split()) for block in found]

    assert bundled_anchors().count("BEGIN CERTIFICATE") == 30
    assert bundled_tsa_anchors().count("BEGIN CERTIFICATE") == 22
    default = trust_settings((), False)
    # 30 claim-signing + 22 TSA anchors of the C2PA lists + DigiCert Trusted Root G4 (TSA),
    # each distinct certificate once: the two lists share roots.
    every = certificates(bundled_anchors() + bundled_tsa_anchors() + extra_tsa_anchors())
    assert len(every) == 53
    given = certificates(default["trust"]["trust_anchors"])
    assert sorted(given) == sorted(set(every))
    assert default["verify"]["remote_manifest_fetch"] is False
    assert default["verify"]["ocsp_fetch"] is False
    here = Path(__import__("markcheck").__file__).parent / "data" / "c2pa_trust"
    assert (here / "LICENSE").is_file() and (here / "README.md").is_file()


UNTRUSTED = ["signingCredential.untrusted", "signingCredential.ocsp.skipped"]
# c2pa's TIFF and ISO-BMFF writers exclude more than the manifest from the hash, and say so.
BMFF_EXCLUSIONS = ["assertion.bmffHash.additionalExclusionsPresent"]
EXTRA_CODES = {
    "genai.tif": ["assertion.dataHash.additionalExclusionsPresent"],
    "genai.avif": BMFF_EXCLUSIONS,
    "genai.mp4": BMFF_EXCLUSIONS,
    "genai.mov": BMFF_EXCLUSIONS,
}


@pytest.mark.parametrize(
    "name",
    [
        "genai.jpg",
        "genai.png",
        "genai.webp",
        "genai.gif",
        "genai.tif",
        "genai.avif",
        "genai.mp4",
        "genai.mov",
    ],
)
def test_every_carrier_validates_with_exact_codes(signed, name):
    _, files, root = signed
    item, _ = judge(files[name], ["us-ca-sb942"])
    extra = EXTRA_CODES.get(name, [])
    assert (item.implicit.c2pa.validation_state, item.implicit.c2pa.codes) == (
        "Valid",
        UNTRUSTED + extra,
    )
    item, _ = judge(files[name], ["us-ca-sb942"], trust_anchors=(root,))
    info = item.implicit.c2pa
    assert (info.validation_state, info.codes) == (
        "Trusted",
        ["signingCredential.ocsp.skipped", *extra],
    )
    assert info.details["trust"] == "trusted"
    assert info.details["digital_source_types"] == [
        {"value": cf.GENAI, "action": "c2pa.created", "where": "active manifest action"}
    ]
    assert "claimSignature.validated" in info.details["success_codes"]


def test_tampered_codes_are_exact(signed):
    _, files, root = signed
    item, _ = judge(files["tampered.jpg"], ["us-ca-sb942"])
    assert item.implicit.c2pa.codes == [
        "signingCredential.untrusted",
        "assertion.dataHash.mismatch",
        "signingCredential.ocsp.skipped",
    ]
    item, _ = judge(files["tampered.jpg"], ["us-ca-sb942"], trust_anchors=(root,))
    assert item.implicit.c2pa.codes == [
        "assertion.dataHash.mismatch",
        "signingCredential.ocsp.skipped",
    ]
    assert item.implicit.c2pa.details["trust"] == "trusted"  # the signer, not the content


def test_extracted_fields(signed):
    _, files, root = signed
    item, _ = judge(files["genai.jpg"], ["us-ca-sb942"], trust_anchors=(root,))
    details = item.implicit.c2pa.details
    assert details["signer_common_name"] == "Acme Image Generator signer"
    assert details["signature_algorithm"] == "Es256"
    assert details["instance_id"].startswith("xmp.iid:")
    assert details["claim_version"] == 2
    assert details["actions"] == [
        {
            "action": "c2pa.created",
            "when": "2026-11-20T10:00:00Z",
            "softwareAgent": {"name": "Acme Image Generator", "version": "2.1"},
            "digitalSourceType": cf.GENAI,
        }
    ]
    # No timestamp authority signed these: no time, no TSA, no soft binding, no disclosure.
    assert details["signing_time"] is None and details["timestamp_trust"] is None
    assert details["soft_bindings"] == [] and details["ai_disclosure"] == []


def test_soft_binding_and_ai_disclosure(signed):
    _, files, root = signed
    item, got = judge(files["watermarked.jpg"], ["eu-ai-act-art50"], trust_anchors=(root,))
    details = item.implicit.c2pa.details
    assert details["soft_bindings"] == [
        {"source": "c2pa.soft-binding", "alg": "com.adobe.trustmark.Q"},
        {"source": "c2pa.watermarked.bound", "alg": "com.adobe.trustmark.Q"},
    ]
    assert details["ai_disclosure"] == [
        {"label": "c2pa.ai-disclosure", "data": {"disclosure": "AI-generated"}}
    ]
    assert got["eu.marking.multilayer"] == "pass"
    _, got = judge(files["watermarked.jpg"], ["eu-ai-act-art50"])
    assert got["eu.marking.multilayer"] == "fail"  # untrusted signer: no metadata layer


def test_signed_metadata_without_timestamp_requirement(signed, tmp_path):
    _, files, root = signed
    pack = yaml.safe_load((builtin_pack_dir() / "eu-ai-act-art50.yaml").read_text())
    for rule in pack["rules"]:
        if rule["id"] == "eu.marking.signed_metadata":
            rule["params"]["require_timestamp"] = False
    custom = tmp_path / "eu-no-timestamp.yaml"
    custom.write_text(yaml.safe_dump(pack))
    _, got = judge(files["genai.jpg"], [str(custom)], trust_anchors=(root,))
    assert got["eu.marking.signed_metadata"] == "pass"
    _, got = judge(files["genai.jpg"], [str(custom)])
    assert got["eu.marking.signed_metadata"] == "fail"  # Valid, signer not on the list
    _, got = judge(files["tampered.jpg"], [str(custom)], trust_anchors=(root,))
    assert got["eu.marking.signed_metadata"] == "fail"  # Invalid


def test_remote_manifest_is_referenced_not_fetched(signed):
    _, files, _ = signed
    item, got = judge(files["remote.jpg"], ["us-ca-sb942"], assume_ai=True)
    assert item.implicit.c2pa is None
    assert set(got.values()) == {"unknown"}
    remote = [n for n in item.notes if "remote manifest referenced" in n]
    assert len(remote) == 1 and "not fetched" in remote[0]
    assert "127.0.0.1:9/never-fetched.c2pa" in remote[0]


def test_consistency_capture_manifest_with_ai_label(signed, tmp_path):
    _, files, _ = signed
    creds = cf.make_credentials()
    source = mb.jpeg(tmp_path / "src.jpg", mb.xmp_packet('{"Label":"1"}'))
    capture = cf.sign(source, tmp_path / "c.jpg", creds, cf.manifest(cf.CAPTURE))
    item, got = judge(capture, ["cn-gb45438"])
    assert got["cn.implicit.consistency"] == "fail"
    message = next(f.message for f in item.findings if f.rule == "cn.implicit.consistency")
    assert message == "C2PA says digitalCapture while the TC260 label says AI"
    _, got = judge(files["tampered.jpg"], ["cn-gb45438"])
    assert got["cn.implicit.consistency"] == "not_applicable"  # Invalid: not compared


def test_ca_rules_fail_on_missing_fields(signed, tmp_path):
    creds = cf.make_credentials("")
    definition = cf.manifest(version="")
    action = definition["assertions"][0]["data"]["actions"][0]
    del action["when"]
    definition["claim_generator_info"] = [{"name": "Acme Image Generator"}]
    bare = cf.sign(mb.jpeg(tmp_path / "src.jpg"), tmp_path / "bare.jpg", creds, definition)
    _, got = judge(bare, ["us-ca-sb942"])
    assert got["ca.latent.system"] == "fail"  # a name with no version
    assert got["ca.latent.time"] == "fail"
    assert got["ca.latent.provider"] == "pass"  # the generator name stands in for the O=
    assert got["ca.latent.identifier"] == "pass"


def test_mangled_manifests_never_crash(signed, tmp_path):
    _, files, _ = signed
    original = files["genai.jpg"].read_bytes()
    start = original.find(b"jumb")
    end = original.find(b"\xff\xda")  # the manifest store sits before the scan data
    rng = random.Random(942)
    paths = []
    for index in range(24):
        data = bytearray(original)
        for _ in range(rng.choice((1, 4, 32))):
            data[rng.randrange(start, end)] = rng.randrange(256)
        path = tmp_path / f"mangled-{index:02d}.jpg"
        path.write_bytes(bytes(data))
        paths.append(path)
    result = scan(paths, ["us-ca-sb942"], assume_ai=True)
    validate(result.to_dict())
    assert len(result.files) == len(paths)
    for item in result.files:
        info = item.implicit.c2pa
        if item.error is not None:
            continue  # a container reader gave up on the file: reported, not raised
        outcomes = {f.outcome for f in item.findings}
        if info is None:  # unreadable: undecided, never passed
            assert outcomes <= {"unknown", "fail"}
        elif info.validation_state == "Invalid":
            assert (
                next(f.outcome for f in item.findings if f.rule == "ca.latent.detectable") == "fail"
            )
