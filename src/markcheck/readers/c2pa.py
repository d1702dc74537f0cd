"""C2PA Content Credentials: validate offline against bundled trust anchors, extract fields.

Uses c2pa-python (the C2PA reference library). Remote manifests are never fetched and OCSP
is off. The official C2PA trust list ships in the package (`markcheck/data/c2pa_trust`) and is
the default set of claim-signing anchors; `--trust-anchors` adds to it (or replaces it with
`--replace-trust-anchors`). The TSA trust list ships beside it for reference.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from markcheck import sourcetype
from markcheck.evidence import provider
from markcheck.model import C2PAInfo, Evidence
from markcheck.options import ScanOptions

MIME_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "tiff": "image/tiff",
    "heif": "image/heif",
    "avif": "image/avif",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
}
MAX_INGREDIENT_DEPTH = 16
SOFT_BINDING_LABELS = ("c2pa.soft-binding",)
WATERMARK_ACTIONS = ("c2pa.watermarked", "c2pa.watermarked.bound", "c2pa.watermarked.unbound")


def bundled_anchors() -> str:
    return resources.files("markcheck.data.c2pa_trust").joinpath("C2PA-TRUST-LIST.pem").read_text()


@lru_cache(maxsize=8)
def _context(anchor_files: tuple[Path, ...], replace: bool):
    """One c2pa Context per process and anchor set (building the trust store is not free)."""
    import c2pa

    user = "".join(Path(p).read_text() for p in anchor_files)
    trust = {"trust_anchors": user} if replace else {"trust_anchors": bundled_anchors()}
    if user and not replace:
        trust["user_anchors"] = user
    settings = {
        "verify": {
            "verify_trust": True,
            "remote_manifest_fetch": False,
            "ocsp_fetch": False,
        },
        "trust": trust,
    }
    return c2pa.Context.from_dict(settings)


def _actions(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for assertion in manifest.get("assertions", []):
        if assertion.get("label", "").startswith("c2pa.actions"):
            found += assertion.get("data", {}).get("actions", [])
    return found


def _source_types(
    store: dict[str, Any], label: str, where: str, depth: int, out: list[dict[str, str]]
) -> None:
    """Every digitalSourceType in a manifest's actions, their parameters, and its ingredients."""
    manifest = store.get("manifests", {}).get(label)
    if manifest is None or depth > MAX_INGREDIENT_DEPTH:
        return
    for action in _actions(manifest):
        for value, place in (
            (action.get("digitalSourceType"), "action"),
            ((action.get("parameters") or {}).get("digitalSourceType"), "action parameters"),
        ):
            if value:
                out.append(
                    {
                        "value": value,
                        "action": action.get("action", ""),
                        "where": f"{where} {place}",
                    }
                )
    for index, ingredient in enumerate(manifest.get("ingredients", [])):
        child = ingredient.get("active_manifest")
        if child:
            _source_types(store, child, f"{where} ingredient[{index}]", depth + 1, out)


def _codes(results: dict[str, Any] | None) -> tuple[list[str], list[str]]:
    """(failure and informational codes, success codes) of the active manifest."""
    active = (results or {}).get("activeManifest") or {}
    problems = [c["code"] for key in ("failure", "informational") for c in active.get(key, [])]
    return problems, [c["code"] for c in active.get("success", [])]


def _summarise(store: dict[str, Any], state: str, results: dict[str, Any] | None) -> C2PAInfo:
    label = store.get("active_manifest", "")
    manifest = store.get("manifests", {}).get(label, {})
    problems, successes = _codes(results)
    generator_info = (manifest.get("claim_generator_info") or [{}])[0]
    generator = " ".join(
        str(part) for part in (generator_info.get("name"), generator_info.get("version")) if part
    ) or manifest.get("claim_generator")
    signature = manifest.get("signature_info") or {}
    types: list[dict[str, str]] = []
    _source_types(store, label, "active manifest", 0, types)
    own = [t for t in types if not t["where"].startswith("active manifest ingredient")]
    created = [t for t in own if t["action"] in ("c2pa.created", "c2pa.opened")]
    chosen = (created or own or types or [{}])[0].get("value")
    actions = _actions(manifest)
    assertions = [a.get("label", "") for a in manifest.get("assertions", [])]
    trusted = "signingCredential.trusted" in successes
    details = {
        "trust": "trusted"
        if trusted
        else ("untrusted" if "signingCredential.untrusted" in problems else "unknown"),
        "manifest_label": label,
        "instance_id": manifest.get("instance_id"),
        "claim_generator_info": manifest.get("claim_generator_info") or [],
        "signer_common_name": signature.get("common_name"),
        "signing_time": signature.get("time"),
        "timestamp_authority": signature.get("timestamp_authority")
        or ("present" if any(c.startswith("timeStamp.") for c in successes) else None),
        "actions": [
            {k: a.get(k) for k in ("action", "when", "softwareAgent", "digitalSourceType")}
            for a in actions
        ],
        "digital_source_types": types,
        "soft_bindings": [a for a in assertions if a.startswith(SOFT_BINDING_LABELS)]
        + [a["action"] for a in actions if a.get("action") in WATERMARK_ACTIONS],
        "ai_disclosure": [a for a in assertions if "ai-disclosure" in a],
        "success_codes": successes,
        "manifest_count": len(store.get("manifests", {})),
    }
    if chosen and sourcetype.classify(chosen).deviation:
        details["source_type_deviation"] = sourcetype.classify(chosen).deviation
    return C2PAInfo(state, chosen, generator, signature.get("issuer"), problems, details)


def _remote_reference(evidence: Evidence) -> bool:
    return any("provenance" in note for note in evidence.notes)


@provider("c2pa")
def provide_c2pa(evidence: Evidence, path: Path, fmt: str, options: ScanOptions) -> None:
    """Fill `evidence.implicit.c2pa`; no manifest leaves it None (that is not an error)."""
    if evidence.c2pa_stores == [] and not _remote_reference(evidence):
        return  # the container readers saw no manifest store: nothing for c2pa to read
    import c2pa

    mime = MIME_TYPES.get(fmt)
    if mime is None:
        evidence.unavailable["c2pa"] = f"C2PA is not read from {fmt} files"
        return
    try:
        context = _context(tuple(options.trust_anchors), options.replace_trust_anchors)
        with open(path, "rb") as stream:
            reader = c2pa.Reader.try_create(mime, stream, None, context)
            if reader is None:
                return
            with reader:
                if not reader.is_embedded():
                    url = reader.get_remote_url()
                    evidence.notes.append(f"C2PA: remote manifest referenced ({url}), not fetched")
                store = json.loads(reader.json())
                info = _summarise(
                    store,
                    reader.get_validation_state() or "Invalid",
                    reader.get_validation_results(),
                )
    except c2pa.C2paError as exc:
        message = str(exc) or type(exc).__name__
        if "remote" in message.lower():
            evidence.notes.append(f"C2PA: remote manifest referenced, not fetched ({message})")
            evidence.unavailable["c2pa"] = "the manifest is remote and was not fetched"
        else:
            evidence.unavailable["c2pa"] = f"C2PA manifest could not be read: {message[:300]}"
        return
    except (OSError, ValueError) as exc:
        evidence.unavailable["c2pa"] = f"C2PA manifest could not be read: {exc}"
        return
    evidence.implicit.c2pa = info
