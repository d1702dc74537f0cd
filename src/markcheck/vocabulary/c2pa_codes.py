"""C2PA validation status codes sorted by what they mean for a reviewer.

- integrity: the manifest or the asset was changed after signing, or the manifest is malformed
  (a hash or signature mismatch): the manifest is *broken*;
- trust: the manifest is intact but its signer cannot be trusted (not on the trust list, a
  credential expired without a trusted timestamp, revoked);
- offline: something could not be checked because markcheck never goes online (OCSP not
  fetched, a CAWG identity DID not resolvable, a remote manifest or resource not fetched).

Source: C2PA Technical Specification 2.2 §15 (validation status codes) and the CAWG identity
assertion 1.1 status codes. A failure code not named here is counted as integrity: an unknown
failure must never read as a sound manifest.
"""

from __future__ import annotations

INTEGRITY, TRUST, OFFLINE = "integrity", "trust", "offline"
CLASSES = (INTEGRITY, TRUST, OFFLINE)

TRUST_CODES = frozenset(
    {
        "signingCredential.untrusted",
        "signingCredential.expired",
        "signingCredential.revoked",
        "signingCredential.ocsp.revoked",
        "signingCredential.notYetValid",
        "timeStamp.untrusted",
        "timeStamp.outsideValidity",
    }
)
OFFLINE_CODES = frozenset(
    {
        "signingCredential.ocsp.skipped",
        "signingCredential.ocsp.inaccessible",
        "signingCredential.ocsp.unknown",
        "manifest.inaccessible",
        "assertion.inaccessible",
        "ingredient.manifest.missing",
        "cawg.ica.did_unavailable",
        "cawg.ica.credential_unavailable",
        "cawg.identity.did_unavailable",
    }
)
# Codes c2pa reports as informational that say nothing is wrong (an OCSP lookup that markcheck
# turns off on purpose): reported, never judged.
EXPECTED_OFFLINE = frozenset({"signingCredential.ocsp.skipped"})
_OFFLINE_SUFFIXES = (".inaccessible", "_unavailable", ".unavailable", ".skipped")


def classify(code: str) -> str:
    """The class of one validation status code (failure or informational)."""
    if code in TRUST_CODES:
        return TRUST
    if code in OFFLINE_CODES or code.endswith(_OFFLINE_SUFFIXES):
        return OFFLINE
    return INTEGRITY


def signer_trust(codes: list[str]) -> list[str]:
    """The trust codes about the claim signer (not about a timestamp)."""
    return [code for code in codes if code.startswith("signingCredential.")]


def sort_codes(codes: list[str]) -> dict[str, list[str]]:
    """Codes by class, each class in the order the codes came."""
    out: dict[str, list[str]] = {name: [] for name in CLASSES}
    for code in codes:
        out[classify(code)].append(code)
    return out
