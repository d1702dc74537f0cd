"""Re-sign a C2PA file after its label was written (`markcheck label --sign CERT KEY`).

Writing metadata changes bytes the manifest's hard binding hashes, so the old manifest would
no longer validate. With the user's signing credentials, a new manifest is made instead
(c2pa-python Builder): the original file is its `parentOf` ingredient (its manifests come
along), its actions are `c2pa.opened` (the ingredient) and `c2pa.edited` by markcheck, and the
original's GenAI digital source type is kept on the edit. Offline: no timestamp authority is
contacted, remote manifests are not fetched.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from markcheck import __version__
from markcheck.readers.c2pa import MIME_TYPES, summarise
from markcheck.writers import WriterError

SIGNING_ALGORITHMS = ("es256", "es384", "es512", "ps256", "ps384", "ps512", "ed25519")
_SETTINGS = {
    "builder": {"thumbnail": {"enabled": False}},
    "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
}


def source_type(original: bytes, mime: str) -> str | None:
    """The original's digital source type, as a scan reads it."""
    import c2pa

    context = c2pa.Context.from_dict(_SETTINGS)
    reader = c2pa.Reader.try_create(mime, io.BytesIO(original), None, context)
    if reader is None:
        return None
    with reader:
        store = json.loads(reader.json())
        state = reader.get_validation_state() or "Invalid"
        results = reader.get_validation_results()
    return summarise(store, state, results).digital_source_type


def resign(
    original: bytes, edited: bytes, fmt: str, cert: Path, key: Path, alg: str = "es256",
    title: str = "",
) -> bytes:  # fmt: skip
    """`edited` with a new manifest store signed by (cert, key) over the original's."""
    import c2pa

    mime = MIME_TYPES.get(fmt)
    if mime is None:
        raise WriterError(f"C2PA signing is not supported for {fmt} files")
    if alg not in SIGNING_ALGORITHMS:
        raise WriterError(f"signing algorithm must be one of {list(SIGNING_ALGORITHMS)}")
    try:
        chain, private = cert.read_bytes(), key.read_bytes()
    except OSError as exc:
        raise WriterError(f"signing credentials: {exc}") from None
    try:
        dst = source_type(original, mime)
        edit: dict = {
            "action": "c2pa.edited",
            "softwareAgent": {"name": "markcheck", "version": __version__},
            "description": "GB 45438 implicit label (TC260 AIGC metadata) written",
        }
        if dst:
            edit["digitalSourceType"] = dst
        definition = {
            "claim_generator_info": [{"name": "markcheck", "version": __version__}],
            "title": title,
            "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [
                {"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}},
                edit,
            ]}}],
        }  # fmt: skip
        context = c2pa.Context.from_dict(_SETTINGS)
        builder = c2pa.Builder(json.dumps(definition), context=context)
        ingredient = {"title": title, "label": "parent", "relationship": "parentOf"}
        builder.add_ingredient(json.dumps(ingredient), mime, io.BytesIO(original))
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(alg.encode(), chain, private, None))
        out = io.BytesIO()
        builder.sign(signer, mime, io.BytesIO(edited), out)
    except WriterError:
        raise
    except Exception as exc:  # the library boundary: a signing failure is this file's error
        raise WriterError(f"C2PA re-signing failed: {type(exc).__name__}: {exc}") from None
    return out.getvalue()
