"""C2PA trust-anchor files, read and summarised at the start of a scan.

A PEM file that holds no certificate, or a block that is not DER, is a configuration error
found before the first file (exit 2), not a silently empty trust store. The summary (count,
SHA-256 of each file, the bundled snapshot's date) goes into the report's audit record.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.S)
BUNDLED = ("C2PA-TRUST-LIST.pem", "C2PA-TSA-TRUST-LIST.pem")
# The snapshot's commit date, as its README records it (data/c2pa_trust/README.md).
BUNDLED_DATE = "2026-08-21"


class TrustError(ValueError):
    """A trust-anchor file is unreadable or holds no valid certificate (exit code 2)."""


@dataclass(frozen=True)
class AnchorFile:
    name: str
    sha256: str
    certificates: int
    date: str | None = None  # the bundled lists' snapshot date

    def to_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v is not None}


def _der_length_ok(der: bytes) -> bool:
    """A certificate is one DER SEQUENCE whose declared length is the block's length."""
    if len(der) < 2 or der[0] != 0x30:
        return False
    first = der[1]
    if first < 0x80:
        return 2 + first == len(der)
    count = first & 0x7F
    if not 1 <= count <= 4 or len(der) < 2 + count:
        return False
    return 2 + count + int.from_bytes(der[2 : 2 + count], "big") == len(der)


def count_certificates(data: bytes, name: str) -> int:
    blocks = _BLOCK.findall(data)
    if not blocks:
        raise TrustError(f"trust anchor file {name}: no PEM certificate in it")
    for number, block in enumerate(blocks, 1):
        try:
            der = base64.b64decode(b"".join(block.split()), validate=True)
        except (binascii.Error, ValueError):
            raise TrustError(
                f"trust anchor file {name}: certificate #{number} is not base64"
            ) from None
        if not _der_length_ok(der):
            raise TrustError(f"trust anchor file {name}: certificate #{number} is not DER")
    return len(blocks)


def read_anchor_file(path: Path) -> AnchorFile:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TrustError(f"cannot read trust anchor file {path}: {exc.strerror or exc}") from None
    count = count_certificates(data, str(path))
    return AnchorFile(str(path), hashlib.sha256(data).hexdigest(), count)


def bundled_files() -> list[AnchorFile]:
    files = []
    for name in BUNDLED:
        data = resources.files("markcheck.data.c2pa_trust").joinpath(name).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        files.append(AnchorFile(name, digest, len(_BLOCK.findall(data)), BUNDLED_DATE))
    return files


def trust_summary(anchor_files: tuple[Path, ...], replace: bool) -> dict:
    """What the scan trusts: parsed now, so junk stops the scan before the first file."""
    if replace and not anchor_files:
        raise TrustError(
            "--replace-trust-anchors needs --trust-anchors FILE (the store would be empty)"
        )
    user = [read_anchor_file(path) for path in anchor_files]
    bundled = [] if replace else bundled_files()
    return {
        "bundled": [f.to_dict() for f in bundled],
        "user": [f.to_dict() for f in user],
        "replace_bundled": replace,
    }
