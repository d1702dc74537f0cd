"""Throwaway C2PA credentials and signed files, made at test time.

A root CA, an intermediate CA and an ES256 leaf made with `cryptography`: the leaf has
CA:FALSE, KeyUsage digitalSignature, ExtendedKeyUsage emailProtection, SKI/AKI and an O= in its
subject, which is what c2pa accepts for claim signing. The signer gets leaf + intermediate; the
root stays out of the file, for `--trust-anchors`. No timestamp authority is used.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

GENAI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"


@dataclass(frozen=True)
class Credentials:
    chain_pem: bytes  # leaf + intermediate
    key_pem: bytes
    root_pem: bytes
    organisation: str


def _name(common: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        ]
    )


def certificate(
    subject, issuer, key, issuer_key, ca: bool, path_len=None, leaf=False, life=None,
    usage=(ExtendedKeyUsageOID.EMAIL_PROTECTION, False),
):  # fmt: skip
    """A certificate signed by `issuer_key`; a leaf gets the extended key `usage`
    (OID, critical): e-mail protection for C2PA claim signers, time stamping for a TSA."""
    now = dt.datetime.now(dt.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + (life or dt.timedelta(days=30)))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_len), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    # A leaf signs content; a CA signs certificates and CRLs.
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=leaf,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=not leaf,
            crl_sign=not leaf,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    if leaf:
        oid, critical = usage
        builder = builder.add_extension(x509.ExtendedKeyUsage([oid]), critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


def make_credentials(
    organisation: str = "Acme Generative Labs", leaf_seconds: float | None = None
) -> Credentials:
    """Root, intermediate and leaf; `leaf_seconds` makes a leaf that expires that soon after
    it is made (c2pa refuses to sign with an expired one: sign first, then let it expire)."""
    root_key, mid_key, leaf_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root_name = _name("Throwaway Test Root CA", organisation)
    mid_name = _name("Throwaway Test Intermediate CA", organisation)
    root = certificate(root_name, root_name, root_key, root_key, ca=True, path_len=1)
    mid = certificate(mid_name, root_name, mid_key, root_key, ca=True, path_len=0)
    leaf = certificate(
        _name("Acme Image Generator signer", organisation),
        mid_name,
        leaf_key,
        mid_key,
        ca=False,
        leaf=True,
        life=dt.timedelta(seconds=leaf_seconds) if leaf_seconds else None,
    )
    pem = serialization.Encoding.PEM
    key = leaf_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Credentials(
        leaf.public_bytes(pem) + mid.public_bytes(pem), key, root.public_bytes(pem), organisation
    )


def manifest(
    source_type: str = GENAI, generator: str = "Acme Image Generator", version: str = "2.1"
) -> dict:
    return {
        "claim_generator_info": [{"name": generator, "version": version}],
        "title": "generated.jpg",
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": source_type,
                            "softwareAgent": {"name": generator, "version": version},
                            "when": "2026-11-20T10:00:00Z",
                        }
                    ]
                },
            }
        ],
    }


def edit_manifest(generator: str = "Acme Photo Editor") -> dict:
    """An edit of a signed parent (its manifest becomes an ingredient)."""
    return {
        "claim_generator_info": [{"name": generator, "version": "5.0"}],
        "title": "edited.jpg",
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}},
                        {"action": "c2pa.color_adjustments"},
                    ]
                },
            }
        ],
    }


def watermarked_manifest() -> dict:
    """A GenAI manifest that declares a TrustMark watermark and carries an AI disclosure."""
    definition = manifest()
    definition["assertions"][0]["data"]["actions"].append(
        {"action": "c2pa.watermarked.bound", "parameters": {"alg": "com.adobe.trustmark.Q"}}
    )
    definition["assertions"] += [
        {
            "label": "c2pa.soft-binding",
            "data": {
                "alg": "com.adobe.trustmark.Q",
                "blocks": [{"scope": {}, "value": "dGhyb3dhd2F5"}],
            },
        },
        {"label": "c2pa.ai-disclosure", "data": {"disclosure": "AI-generated"}},
    ]
    return definition


_MIME = {
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".tif": "image/tiff",
    ".avif": "image/avif",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".avi": "video/x-msvideo",
}


def sign(
    source: Path,
    dest: Path,
    creds: Credentials,
    manifest_def: dict,
    ingredient: Path | None = None,
    remote_url: str | None = None,
    tsa_url: str | None = None,
) -> Path:
    """Sign `source` into `dest` with c2pa-python (thumbnails off: small fixtures).

    With `remote_url` the manifest is not embedded; the file only references that URL.
    """
    import c2pa

    settings = {
        "builder": {"thumbnail": {"enabled": False}},
        "verify": {
            "remote_manifest_fetch": False,
            "ocsp_fetch": False,
        },
    }
    context = c2pa.Context.from_dict(settings)
    mime = _MIME[source.suffix.lower()]
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(
            b"es256", creds.chain_pem, creds.key_pem, tsa_url.encode() if tsa_url else None
        )
    )
    builder = c2pa.Builder(json.dumps(manifest_def), context=context)
    if ingredient is not None:
        with open(ingredient, "rb") as stream:
            builder.add_ingredient(
                json.dumps(
                    {"title": ingredient.name, "label": "parent", "relationship": "parentOf"}
                ),
                _MIME[ingredient.suffix.lower()],
                stream,
            )
    if remote_url is not None:
        builder.set_no_embed()
        builder.set_remote_url(remote_url)
    try:
        with open(source, "rb") as src, open(dest, "wb") as out:
            builder.sign(signer, mime, src, out)
    except Exception:
        dest.unlink(missing_ok=True)  # c2pa may leave a partial file behind
        raise
    return dest


def tampered_copy(signed: Path, dest: Path) -> Path:
    """Change pixels after signing: the hard binding no longer matches."""
    data = bytearray(signed.read_bytes())
    data[-200:-100] = bytes(100)
    dest.write_bytes(bytes(data))
    return dest


def buffer(path: Path) -> io.BytesIO:
    return io.BytesIO(path.read_bytes())
