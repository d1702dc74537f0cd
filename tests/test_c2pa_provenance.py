"""C2PA as real generators write it: GenAI type only in an ingredient, validation codes by
class (integrity / trust / offline), declared watermark layers, the DigiCert TSA root, and no
remote-manifest note for `self#jumbf` references. Manifests are signed at test time."""

from __future__ import annotations

import copy
import hashlib
import json
import time
from pathlib import Path

import pytest
import yaml

import c2pa_fixtures as cf
import media_builders as mb
from markcheck import scan
from markcheck.readers.c2pa import summarise
from markcheck.reports.json_report import validate
from markcheck.rules.checks.provenance import standing
from markcheck.rules.packs import builtin_pack_dir
from markcheck.scan_options import ScanOptions
from markcheck.vocabulary import c2pa_codes

HUMAN_EDITS = "http://cv.iptc.org/newscodes/digitalsourcetype/minorHumanEdits"
PACKS = ["cn-gb45438", "eu-ai-act-art50", "us-ca-sb942"]
# SHA-256 of DigiCert Trusted Root G4 (DER), as published by DigiCert and in Mozilla's store.
DIGICERT_G4_SHA256 = "552f7bdcf1a7af9e6ce672017f4f12abf77240c78e761ac203d1d9d20ac89988"


def _parent_manifest() -> dict:
    """Like Gemini's parent manifest: created by a GenAI model, with a SynthID layer described
    in an action's description (no soft-binding assertion)."""
    definition = cf.manifest(generator="Acme Generative AI", version="3.0")
    definition["assertions"][0]["data"]["actions"].append(
        {
            "action": "c2pa.edited",
            "description": "Applied imperceptible SynthID watermark",
            "softwareAgent": {"name": "Acme Generative AI", "version": "3.0"},
        }
    )
    return definition


def _child_manifest() -> dict:
    """The app's own manifest: opens the parent, its own action says minor human edits."""
    definition = cf.edit_manifest("Acme Chat App")
    actions = definition["assertions"][0]["data"]["actions"]
    actions[1]["digitalSourceType"] = HUMAN_EDITS
    return definition


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("c2pa_prov")
    creds = cf.make_credentials()
    root = folder / "root.pem"
    root.write_bytes(creds.root_pem)
    parent = cf.sign(mb.jpeg(folder / "p.jpg"), folder / "parent.jpg", creds, _parent_manifest())
    child = cf.sign(
        mb.jpeg(folder / "c.jpg"), folder / "child.jpg", creds, _child_manifest(), parent
    )
    watermarked = cf.sign(
        mb.jpeg(folder / "w.jpg"), folder / "watermarked.jpg", creds, cf.watermarked_manifest()
    )
    plain = cf.sign(mb.jpeg(folder / "g.jpg"), folder / "plain.jpg", creds, cf.manifest())
    tampered = cf.tampered_copy(plain, folder / "tampered.jpg")
    short = cf.make_credentials(leaf_seconds=3)
    short_root = folder / "short_root.pem"
    short_root.write_bytes(short.root_pem)
    expired = cf.sign(mb.jpeg(folder / "e.jpg"), folder / "expired.jpg", short, cf.manifest())
    time.sleep(4)  # the leaf expires; the manifest has no timestamp to vouch for its signing time
    return {
        "root": root,
        "short_root": short_root,
        "parent": parent,
        "child": child,
        "watermarked": watermarked,
        "plain": plain,
        "tampered": tampered,
        "expired": expired,
    }


def judge(path: Path, packs: list[str], **options):
    result = scan([path], packs, options=ScanOptions(**options))
    validate(result.to_dict())
    (item,) = result.files
    return item, {f.rule: f for f in item.findings}


def test_genai_type_only_in_an_ingredient_counts_under_every_pack(files):
    item, got = judge(files["child"], PACKS, trust_anchors=(files["root"],))
    info = item.implicit.c2pa
    assert info.validation_state == "Trusted"
    assert info.digital_source_type == HUMAN_EDITS  # the asset's own action
    (found,) = info.details["genai_source_types"]
    assert found["value"] == cf.GENAI
    assert found["where"] == "active manifest ingredient[0] action"
    assert item.ai.verdict == "confirmed"
    assert any("ingredient[0]" in s.detail for s in item.ai.signals if s.source == "c2pa")
    machine = got["eu.marking.machine_readable"]
    assert machine.outcome == "pass" and "ingredient[0]" in machine.message
    assert got["ca.latent.detectable"].outcome == "pass"
    # cn: C2PA says AI (through the ingredient) and there is no TC260 label: they disagree.
    consistency = got["cn.implicit.consistency"]
    assert consistency.outcome == "fail" and "C2PA says AI-generated" in consistency.message
    assert item.status == "noncompliant"


def test_own_capture_type_without_genai_ingredient_is_not_marked(files):
    # Same shape, parent without a GenAI type: nothing in the chain says AI.
    folder = files["plain"].parent
    creds = cf.make_credentials()
    parent = cf.sign(
        mb.jpeg(folder / "p2.jpg"),
        folder / "camera.jpg",
        creds,
        cf.manifest(cf.CAPTURE, generator="Acme Camera"),
    )
    child = cf.sign(
        mb.jpeg(folder / "c2.jpg"), folder / "child2.jpg", creds, _child_manifest(), parent
    )
    item, got = judge(child, ["eu-ai-act-art50"], assume_ai=True)
    assert item.implicit.c2pa.details["genai_source_types"] == []
    assert got["eu.marking.machine_readable"].outcome == "fail"
    assert item.ai.verdict == "none"


def test_declared_synthid_layer_in_the_ingredient(files):
    item, got = judge(files["child"], ["eu-ai-act-art50"], trust_anchors=(files["root"],))
    (mark,) = item.implicit.watermarks
    assert mark.scheme == "SynthID" and mark.declared is True
    assert "ingredient[0]" in mark.source and "c2pa.edited" in mark.source
    layer = got["eu.marking.multilayer"]
    assert layer.outcome == "pass" and "declares (SynthID), not decoded" in layer.message
    report = item.to_dict()["implicit"]["watermarks"][0]
    assert report["declared"] is True and report["scheme"] == "SynthID"


def test_declared_trustmark_counts_as_declared_not_decoded(files, tmp_path):
    item, got = judge(files["watermarked"], ["eu-ai-act-art50"], trust_anchors=(files["root"],))
    # The watermarked action and its soft-binding assertion name one layer.
    (mark,) = item.implicit.watermarks
    assert (mark.scheme, mark.declared) == ("com.adobe.trustmark.Q", True)
    assert "not decoded" in got["eu.marking.multilayer"].message
    # A declared layer is not a second machine-readable mark on its own.
    assert "watermark" not in got["eu.marking.machine_readable"].message
    pack = yaml.safe_load((builtin_pack_dir() / "eu-ai-act-art50.yaml").read_text())
    for rule in pack["rules"]:
        if rule["id"] == "eu.marking.multilayer":
            rule["params"]["accept_declared_watermark"] = False
    strict = tmp_path / "strict.yaml"
    strict.write_text(yaml.safe_dump(pack))
    _, got = judge(files["watermarked"], [str(strict)], trust_anchors=(files["root"],))
    assert got["eu.marking.multilayer"].outcome == "unknown"


def test_no_declared_layer_means_no_watermark(files):
    item, got = judge(files["plain"], ["eu-ai-act-art50"], trust_anchors=(files["root"],))
    assert item.implicit.watermarks == []
    assert got["eu.marking.multilayer"].outcome == "unknown"


def test_tampered_is_broken_by_integrity(files):
    item, got = judge(files["tampered"], PACKS, trust_anchors=(files["root"],))
    details = item.implicit.c2pa.details
    assert details["condition"] == "broken"
    assert "assertion.dataHash.mismatch" in details["code_classes"]["integrity"]
    assert details["code_classes"]["trust"] == []
    assert got["ca.latent.detectable"].outcome == "fail"
    assert "broken" in got["ca.latent.detectable"].message
    assert item.ai.verdict == "suspected"


def test_untrusted_signer_is_a_trust_class_not_broken(files):
    item, got = judge(files["plain"], PACKS)
    details = item.implicit.c2pa.details
    assert details["condition"] == "not_trusted"
    assert details["code_classes"] == {
        "integrity": [],
        "trust": ["signingCredential.untrusted"],
        "offline": ["signingCredential.ocsp.skipped"],
    }
    assert got["ca.latent.detectable"].outcome == "pass"  # SB 942 names no trust list
    assert got["eu.marking.signed_metadata"].outcome == "fail"
    assert "not trusted" in got["eu.marking.signed_metadata"].message


def test_trusted_signer_is_sound(files):
    item, _ = judge(files["plain"], ["us-ca-sb942"], trust_anchors=(files["root"],))
    assert item.implicit.c2pa.details["condition"] == "sound"


def test_expired_credential_without_timestamp_is_trust_not_integrity(files):
    item, got = judge(files["expired"], PACKS, trust_anchors=(files["short_root"],))
    info = item.implicit.c2pa
    assert info.validation_state == "Invalid"  # what c2pa says
    assert "signingCredential.expired" in info.details["code_classes"]["trust"]
    assert info.details["code_classes"]["integrity"] == []
    assert info.details["condition"] == "not_trusted"  # intact, not tampered
    assert item.ai.verdict == "confirmed"  # an intact AI claim
    assert got["ca.latent.detectable"].outcome == "pass"
    assert got["eu.marking.signed_metadata"].outcome == "fail"
    assert "signingCredential.expired" in got["eu.marking.signed_metadata"].message


def _with_codes(path: Path, failure: list[str]):
    """The real store of a signed file, its validation results with extra failure codes as c2pa
    reports checks that cannot run offline (a CAWG identity DID, an OCSP responder)."""
    import c2pa

    with open(path, "rb") as stream, c2pa.Reader("image/jpeg", stream) as reader:
        store = json.loads(reader.json())
        results = copy.deepcopy(reader.get_validation_results())
    results["activeManifest"]["failure"] = [
        {"code": code, "explanation": "test"} for code in failure
    ]
    return summarise(store, "Invalid", results)


def test_checks_that_cannot_run_offline_are_their_own_class(files):
    info = _with_codes(files["plain"], ["cawg.ica.did_unavailable"])
    assert info.details["condition"] == "not_checkable_offline"
    assert info.details["code_classes"]["offline"][0] == "cawg.ica.did_unavailable"
    assert standing(info, accept_untrusted=False).outcome == "pass"
    held = standing(info, accept_untrusted=False, accept_offline=False)
    assert held.outcome == "unknown" and "cawg.ica.did_unavailable" in held.message
    # Integrity wins over every other class; an unknown failure code counts as integrity.
    mixed = _with_codes(files["plain"], ["cawg.ica.did_unavailable", "claimSignature.mismatch"])
    assert mixed.details["condition"] == "broken"
    assert c2pa_codes.classify("some.future.failure") == "integrity"
    assert standing(mixed, accept_untrusted=True).outcome == "fail"
    revoked = _with_codes(files["plain"], ["signingCredential.revoked"])
    assert standing(revoked, accept_untrusted=True).outcome == "fail"


def test_self_jumbf_provenance_is_not_a_remote_manifest(tmp_path):
    def with_provenance(name: str, value: str) -> Path:
        props = f'<dcterms:provenance xmlns:dcterms="http://purl.org/dc/terms/">{value}</dcterms:provenance>'
        return mb.jpeg(tmp_path / name, xmp=mb.xmp_packet(properties=props))

    own = with_provenance("own.jpg", "self#jumbf=/c2pa/urn:c2pa:1234/c2pa.assertions")
    item, _ = judge(own, ["eu-ai-act-art50"])
    assert not [n for n in item.notes if "remote manifest" in n]
    remote = with_provenance("remote.jpg", "https://cdn.example/manifests/abc.c2pa")
    item, _ = judge(remote, ["eu-ai-act-art50"])
    assert [n for n in item.notes if "remote manifest" in n and "abc.c2pa" in n]


def test_digicert_g4_is_bundled_as_a_tsa_anchor():
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    from markcheck.readers.c2pa import extra_tsa_anchors, trust_settings

    pem = extra_tsa_anchors()
    cert = x509.load_pem_x509_certificate(pem.encode())
    assert hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest() == DIGICERT_G4_SHA256
    assert "CN=DigiCert Trusted Root G4" in cert.subject.rfc4514_string()
    assert pem.strip() in trust_settings((), False)["trust"]["trust_anchors"]
    assert pem.strip() not in trust_settings((), True)["trust"]["trust_anchors"]
    debian = Path("/usr/share/ca-certificates/mozilla/DigiCert_Trusted_Root_G4.crt")
    if debian.is_file():  # the copy it was taken from
        assert x509.load_pem_x509_certificate(debian.read_bytes()) == cert


def test_untrusted_timestamp_does_not_make_a_trusted_signer_untrusted(files):
    import c2pa

    with open(files["plain"], "rb") as stream, c2pa.Reader("image/jpeg", stream) as reader:
        store = json.loads(reader.json())
        results = copy.deepcopy(reader.get_validation_results())
    active = results["activeManifest"]
    active["failure"] = []
    active["success"] = [*active.get("success", []), {"code": "signingCredential.trusted"}]
    active["informational"] = [{"code": "timeStamp.untrusted"}]
    info = summarise(store, "Trusted", results)
    assert info.details["code_classes"]["trust"] == ["timeStamp.untrusted"]
    assert info.details["condition"] == "sound"
    assert standing(info, accept_untrusted=False).outcome == "pass"


def test_expired_signer_with_a_timestamp_from_an_anchored_tsa(tmp_path):
    """The FLUX.2 / Firefly case with a throw-away chain: the signing certificate has expired
    since; the manifest carries an RFC 3161 timestamp from a TSA (a real server on 127.0.0.1).
    Without the TSA's root as an anchor the manifest reads Invalid (expired); with it, Valid:
    signed while the certificate was valid. markcheck ships DigiCert Trusted Root G4 for the
    real TSAs of those generators."""
    from tsa_server import TsaServer

    creds = cf.make_credentials(leaf_seconds=3)
    with TsaServer() as tsa:
        path = cf.sign(
            mb.jpeg(tmp_path / "s.jpg"), tmp_path / "stamped.jpg", creds, cf.manifest(),
            tsa_url=tsa.url,
        )  # fmt: skip
        assert tsa.requests == 1
    anchor = tmp_path / "tsa-root.pem"
    anchor.write_bytes(tsa.root_pem)
    time.sleep(4)  # the signing certificate expires
    item, got = judge(path, ["eu-ai-act-art50", "us-ca-sb942"])
    info = item.implicit.c2pa
    assert info.validation_state == "Invalid"
    assert "signingCredential.expired" in info.details["code_classes"]["trust"]
    assert info.details["timestamp_trust"] == "untrusted"
    assert info.details["condition"] == "not_trusted"  # never "broken"
    item, got = judge(path, ["eu-ai-act-art50", "us-ca-sb942"], trust_anchors=(anchor,))
    info = item.implicit.c2pa
    assert info.validation_state == "Valid"
    assert "signingCredential.expired" not in info.codes
    assert info.details["timestamp_trust"] == "trusted"
    assert info.details["code_classes"]["trust"] == ["signingCredential.untrusted"]
    assert got["ca.latent.detectable"].outcome == "pass"
    # The signer is still not on the trust list: EU signed metadata fails for that alone.
    assert "signingCredential.untrusted" in got["eu.marking.signed_metadata"].message


def test_shared_ingredients_are_walked_once(files):
    """A store whose manifests all list each other as ingredients (as a hostile file could)
    is walked once per manifest, not once per path."""
    import c2pa

    with open(files["child"], "rb") as stream, c2pa.Reader("image/jpeg", stream) as reader:
        store = json.loads(reader.json())
        results = reader.get_validation_results()
    labels = list(store["manifests"])
    for index in range(40):
        store["manifests"][f"urn:fake:{index}"] = {
            "assertions": [],
            "ingredients": [{"active_manifest": label} for label in labels],
        }
    fan = [f"urn:fake:{index}" for index in range(40)]
    for manifest in store["manifests"].values():
        manifest["ingredients"] = [*(manifest.get("ingredients") or []), *map(
            lambda label: {"active_manifest": label}, fan
        )]  # fmt: skip
    info = summarise(store, "Valid", results)
    # Reached through 41 paths, the parent's GenAI action is listed once.
    assert len(info.details["genai_source_types"]) == 1
