"""C2PA Content Credentials: validate offline against bundled trust anchors, extract fields.

Uses c2pa-python (the C2PA reference library, pinned to a tested range in pyproject). Remote
manifests are never fetched and OCSP is off. The official C2PA trust list and the C2PA TSA
trust list ship in the package (`markcheck/data/c2pa_trust`) and are the default anchors,
with DigiCert Trusted Root G4 as a further time-stamping anchor (see that folder's README);
`--trust-anchors` adds to them (or replaces them with `--replace-trust-anchors`).

Validation codes are sorted into integrity, trust and offline classes
(`markcheck.vocabulary.c2pa_codes`); only integrity failures make a manifest `broken`.
Watermarks a manifest declares are added to the evidence as declared watermark layers.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from markcheck import sourcetype
from markcheck.evidence import provider
from markcheck.evidence.held import held_bytes
from markcheck.model import C2PAInfo, Evidence, WatermarkHit
from markcheck.scan_options import ScanOptions
from markcheck.vocabulary import c2pa_codes

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
    "avi": "video/x-msvideo",
}
MAX_INGREDIENT_DEPTH = 16  # manifests nest through ingredients; a loop must end
MAX_DETAIL_CHARS = 2000  # free-form assertion data copied into the report, per assertion
IN_MEMORY_BYTES = 16 << 20  # files up to this size are handed to c2pa from memory
SOFT_BINDING_LABEL = "c2pa.soft-binding"
AI_DISCLOSURE_LABEL = "c2pa.ai-disclosure"
WATERMARK_ACTIONS = ("c2pa.watermarked", "c2pa.watermarked.bound", "c2pa.watermarked.unbound")
FIRST_ACTIONS = ("c2pa.created", "c2pa.opened")
TRUST_FILES = ("C2PA-TRUST-LIST.pem", "C2PA-TSA-TRUST-LIST.pem")
# Time-stamping roots used by real generators' TSAs that the C2PA TSA list lacks.
EXTRA_TSA_FILES = ("DigiCert-Trusted-Root-G4.pem",)
_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", re.S)
# Watermark schemes a manifest may name in an action's description or parameters.
WATERMARK_SCHEMES = ("SynthID", "TrustMark", "Digimarc", "imatag", "Steg.AI", "Truepic")


def bundled_anchors() -> str:
    """The claim-signing anchors of the official C2PA trust list (PEM)."""
    return _bundled(TRUST_FILES[0])


def bundled_tsa_anchors() -> str:
    """The time-stamping authority anchors of the C2PA TSA trust list (PEM)."""
    return _bundled(TRUST_FILES[1])


def extra_tsa_anchors() -> str:
    """Time-stamping roots real generators' TSAs chain to that the C2PA TSA list lacks (PEM)."""
    return "".join(_bundled(name) for name in EXTRA_TSA_FILES)


def _bundled(name: str) -> str:
    return resources.files("markcheck.data.c2pa_trust").joinpath(name).read_text()


def trust_settings(anchor_files: tuple[Path, ...], replace: bool) -> dict[str, Any]:
    """c2pa settings: offline, trust checked against the bundled lists and/or the user's."""
    user = "".join(Path(p).read_text() for p in anchor_files)
    # c2pa checks claim signers and timestamp signers against one anchor store, telling them
    # apart by extended key usage, so both bundled lists go in together.
    bundled = _unique_certificates(bundled_anchors() + bundled_tsa_anchors() + extra_tsa_anchors())
    trust = {"trust_anchors": user if replace else bundled}
    if user and not replace:
        trust["user_anchors"] = user
    return {
        "verify": {
            "verify_trust": True,
            "verify_timestamp_trust": True,
            "remote_manifest_fetch": False,
            "ocsp_fetch": False,
        },
        "trust": trust,
    }


def _unique_certificates(pem: str) -> str:
    """Each certificate block of `pem` once, in order. The two C2PA lists share roots (37
    distinct certificates in 53 blocks), and c2pa-rs goes through every anchor it is given for
    every manifest it validates (~9 us each): a duplicate only costs time."""
    seen: set[str] = set()
    blocks = []
    for block in _PEM_BLOCK.findall(pem):
        key = "".join(block.split())
        if key not in seen:
            seen.add(key)
            blocks.append(block)
    return "\n".join(blocks) + "\n"


def _context(anchor_files: tuple[Path, ...], replace: bool):
    """One c2pa Context per process and anchor set (parsing ~50 anchors is not free).

    Keyed by process id: a worker forked after the parent made one inherits the cache, and
    c2pa-python refuses a Context made in another process ("Context is not valid")."""
    return _process_context(os.getpid(), anchor_files, replace)


@lru_cache(maxsize=8)
def _process_context(pid: int, anchor_files: tuple[Path, ...], replace: bool):
    import c2pa

    return c2pa.Context.from_dict(trust_settings(anchor_files, replace))


def _actions(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Actions of `c2pa.actions` and `c2pa.actions.v2` assertions, in order."""
    found = []
    for assertion in manifest.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            found += [a for a in (assertion.get("data") or {}).get("actions") or [] if a]
    return found


def _manifest_chain(
    store: dict[str, Any],
    label: str,
    where: str = "active manifest",
    depth: int = 0,
    seen: set[str] | None = None,
) -> Iterator[tuple[dict[str, Any], str]]:
    """The manifest `label` and the manifests of its ingredients, depth first, each with
    where it sits ("active manifest ingredient[0]"). Each manifest is visited once and the
    depth is bounded: a hostile store's shared ingredients must not fan out."""
    seen = set() if seen is None else seen
    manifest = (store.get("manifests") or {}).get(label)
    if manifest is None or depth > MAX_INGREDIENT_DEPTH or label in seen:
        return
    seen.add(label)
    yield manifest, where
    for index, ingredient in enumerate(manifest.get("ingredients") or []):
        child = ingredient.get("active_manifest")
        if child and child != label:
            yield from _manifest_chain(
                store, child, f"{where} ingredient[{index}]", depth + 1, seen
            )


def _source_types(store: dict[str, Any], label: str) -> list[dict[str, str]]:
    """Every digitalSourceType in the chain's actions and their parameters."""
    out = []
    for manifest, where in _manifest_chain(store, label):
        for action in _actions(manifest):
            for value, place in (
                (action.get("digitalSourceType"), "action"),
                ((action.get("parameters") or {}).get("digitalSourceType"), "action parameters"),
            ):
                if isinstance(value, str) and value:
                    out.append(
                        {
                            "value": value,
                            "action": action.get("action", ""),
                            "where": f"{where} {place}",
                        }
                    )
    return out


def _chosen_source_type(types: list[dict[str, str]]) -> str | None:
    """The asset's own source type: its created/opened action first, then its other actions,
    then what its ingredients say."""
    own = [t for t in types if not t["where"].startswith("active manifest ingredient")]
    first = [t for t in own if t["action"] in FIRST_ACTIONS]
    for group in (first, own, types):
        if group:
            return group[0]["value"]
    return None


def _codes(results: dict[str, Any] | None) -> dict[str, list[str]]:
    """Status codes of the active manifest by kind, and the ingredients' failures."""
    results = results or {}
    active = results.get("activeManifest") or {}
    codes = {
        key: [c["code"] for c in active.get(key) or []]
        for key in ("success", "informational", "failure")
    }
    codes["ingredient_failure"] = [
        c["code"]
        for delta in results.get("ingredientDeltas") or []
        for c in ((delta.get("validationDeltas") or {}).get("failure") or [])
    ]
    return codes


def _clip(data: Any) -> Any:
    """Assertion data for the report, bounded: a hostile manifest must not bloat it."""
    text = json.dumps(data, default=str)
    return data if len(text) <= MAX_DETAIL_CHARS else text[:MAX_DETAIL_CHARS] + "..."


def _markers(manifest: dict[str, Any], actions: list[dict[str, Any]]) -> dict[str, list]:
    """Soft-binding (watermark) declarations and AI disclosures of the active manifest."""
    bindings, disclosures = [], []
    for assertion in manifest.get("assertions") or []:
        label = str(assertion.get("label", ""))
        data = assertion.get("data") or {}
        if label.startswith(SOFT_BINDING_LABEL):
            alg = data.get("alg") if isinstance(data, dict) else None
            bindings.append({"source": label, "alg": alg})
        elif label.startswith(AI_DISCLOSURE_LABEL):
            disclosures.append({"label": label, "data": _clip(data)})
    for action in actions:
        if action.get("action") in WATERMARK_ACTIONS:
            params = action.get("parameters") or {}
            bindings.append({"source": action["action"], "alg": params.get("alg")})
    return {"soft_bindings": bindings, "ai_disclosure": disclosures}


def _scheme(text: str) -> str | None:
    lowered = text.lower()
    return next((name for name in WATERMARK_SCHEMES if name.lower() in lowered), None)


def _declared_watermarks(store: dict[str, Any], label: str) -> list[dict[str, str]]:
    """Watermark layers the manifest chain declares: soft-binding assertions, watermarked
    actions, and actions whose description names a watermark scheme (Gemini's SynthID)."""
    out = []
    for manifest, where in _manifest_chain(store, label):
        for assertion in manifest.get("assertions") or []:
            name = str(assertion.get("label", ""))
            data = assertion.get("data")
            if name.startswith(SOFT_BINDING_LABEL):
                alg = data.get("alg") if isinstance(data, dict) else None
                out.append({"scheme": str(alg or "unnamed"), "source": name, "where": where})
        for action in _actions(manifest):
            params = action.get("parameters") or {}
            text = f"{action.get('description') or ''} {params.get('description') or ''}"
            named = _scheme(text) if "watermark" in text.lower() else None
            if action.get("action") in WATERMARK_ACTIONS or named:
                scheme = params.get("alg") or named or _scheme(text) or "unnamed"
                out.append(
                    {"scheme": str(scheme), "source": str(action.get("action")), "where": where}
                )
    return out


def _condition(failure: list[str], classes: dict[str, list[str]]) -> str:
    """broken (integrity), not_trusted, not_checkable_offline or sound."""
    failing = c2pa_codes.sort_codes(failure)
    if failing[c2pa_codes.INTEGRITY]:
        return "broken"
    if c2pa_codes.signer_trust(classes[c2pa_codes.TRUST]):
        return "not_trusted"  # a timestamp's trust is the timestamp rules' concern
    if [c for c in failing[c2pa_codes.OFFLINE] if c not in c2pa_codes.EXPECTED_OFFLINE]:
        return "not_checkable_offline"
    return "sound"


def _classes(codes: dict[str, list[str]]) -> dict[str, list[str]]:
    """Failure codes by class; informational codes only where they say trust or offline."""
    classes = c2pa_codes.sort_codes(codes["failure"])
    for code in codes["informational"]:
        kind = c2pa_codes.classify(code)
        if kind != c2pa_codes.INTEGRITY and code not in classes[kind]:
            classes[kind].append(code)
    return classes


def _trust(codes: dict[str, list[str]], prefix: str) -> str | None:
    if f"{prefix}.trusted" in codes["success"]:
        return "trusted"
    if f"{prefix}.untrusted" in codes["failure"] + codes["informational"]:
        return "untrusted"
    return None


def summarise(store: dict[str, Any], state: str, results: dict[str, Any] | None) -> C2PAInfo:
    """C2PAInfo from a manifest store's JSON and its validation results."""
    label = store.get("active_manifest") or ""
    manifest = (store.get("manifests") or {}).get(label) or {}
    codes = _codes(results)
    generators = [g for g in manifest.get("claim_generator_info") or [] if isinstance(g, dict)]
    first = generators[0] if generators else {}
    generator = " ".join(
        str(part) for part in (first.get("name"), first.get("version")) if part
    ) or manifest.get("claim_generator")
    signature = manifest.get("signature_info") or {}
    types = _source_types(store, label)
    chosen = _chosen_source_type(types)
    actions = _actions(manifest)
    timestamp_trust = _trust(codes, "timeStamp")
    classes = _classes(codes)
    watermarks = _declared_watermarks(store, label)
    details: dict[str, Any] = {
        "trust": _trust(codes, "signingCredential") or "unknown",
        "manifest_label": label,
        "instance_id": manifest.get("instance_id"),
        "claim_version": manifest.get("claim_version"),
        "claim_generator_info": generators,
        "signer_common_name": signature.get("common_name"),
        "signature_algorithm": signature.get("alg"),
        "signing_time": signature.get("time"),
        "timestamp_authority": signature.get("timestamp_authority")
        or ("present" if timestamp_trust else None),
        "timestamp_trust": timestamp_trust,
        "actions": [
            {k: a.get(k) for k in ("action", "when", "softwareAgent", "digitalSourceType")}
            for a in actions
        ],
        "digital_source_types": types,
        "genai_source_types": sourcetype.genai_entries(types),
        "code_classes": classes,
        "condition": _condition(codes["failure"], classes),
        "declared_watermarks": watermarks,
        **_markers(manifest, actions),
        "success_codes": codes["success"],
        "ingredient_failure_codes": codes["ingredient_failure"],
        "manifest_count": len(store.get("manifests") or {}),
    }
    if chosen and sourcetype.classify(chosen).deviation:
        details["source_type_deviation"] = sourcetype.classify(chosen).deviation
    problems = codes["failure"] + codes["informational"]
    return C2PAInfo(state, chosen, generator, signature.get("issuer"), problems, details)


def _already_noted(evidence: Evidence) -> bool:
    return any("remote manifest referenced" in note for note in evidence.notes)


def _read(path: Path, mime: str, options: ScanOptions) -> tuple[dict, str, dict | None] | None:
    """(store JSON, validation state, validation results), or None when there is no manifest."""
    import c2pa

    context = _context(tuple(options.trust_anchors), options.replace_trust_anchors)
    data = held_bytes(path)  # the bytes the metadata step hashed and parsed, if it read them
    if data is not None:
        return _validate(c2pa, mime, io.BytesIO(data), context)
    with open(path, "rb") as handle:
        # c2pa reads the whole asset (the hard binding hashes it) through a Python callback
        # per read: from memory that is ~0.4 ms less per photograph than from the file.
        size = os.fstat(handle.fileno()).st_size
        stream = io.BytesIO(handle.read()) if size <= IN_MEMORY_BYTES else handle
        return _validate(c2pa, mime, stream, context)


def _validate(c2pa: Any, mime: str, stream: Any, context: Any):
    reader = c2pa.Reader.try_create(mime, stream, None, context)
    if reader is None:
        return None
    with reader:
        # Parsed once: get_validation_state() and get_validation_results() would parse the
        # same JSON again to take these two keys from it.
        store = json.loads(reader.json())
    return store, store.get("validation_state") or "Invalid", store.get("validation_results")


@provider("c2pa")
def provide_c2pa(evidence: Evidence, path: Path, fmt: str, options: ScanOptions) -> None:
    """Fill `evidence.implicit.c2pa`; no manifest leaves it None (that is not an error).

    Anything the library cannot read (malformed JUMBF or CBOR, a remote manifest, a library
    error) is recorded in `evidence.unavailable["c2pa"]` with the reason; it never raises.
    """
    if evidence.c2pa_stores == [] and not _already_noted(evidence):
        return  # the container readers saw no manifest store: nothing for c2pa to read
    mime = MIME_TYPES.get(fmt)
    if mime is None:
        evidence.unavailable["c2pa"] = f"C2PA is not read from {fmt} files"
        return
    try:
        import c2pa
    except ImportError as exc:
        evidence.unavailable["c2pa"] = f"c2pa-python is not installed: {exc}"
        return
    try:
        read = _read(path, mime, options)
    except c2pa.C2paError as exc:
        message = str(exc) or type(exc).__name__
        if message.startswith("Remote"):
            if not _already_noted(evidence):
                evidence.notes.append(f"C2PA: remote manifest referenced, not fetched ({message})")
            evidence.unavailable["c2pa"] = "the manifest is remote and was not fetched"
        else:
            evidence.unavailable["c2pa"] = f"C2PA manifest could not be read: {message[:300]}"
        return
    except Exception as exc:  # the library boundary: one file's failure never ends the scan
        evidence.unavailable["c2pa"] = (
            f"C2PA manifest could not be read: {type(exc).__name__}: {str(exc)[:300]}"
        )
        return
    if read is None:
        return
    try:
        evidence.implicit.c2pa = summarise(*read)
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        evidence.unavailable["c2pa"] = f"C2PA manifest has an unexpected shape: {exc}"
        return
    seen: set[tuple[str, str]] = set()
    for mark in evidence.implicit.c2pa.details["declared_watermarks"]:
        if (mark["scheme"], mark["where"]) in seen:  # an action and its soft binding: one layer
            continue
        seen.add((mark["scheme"], mark["where"]))
        # A declaration, not a detection: score 1.0 says the manifest states it, nothing more.
        source = f"C2PA {mark['where']}: {mark['source']}"
        evidence.implicit.watermarks.append(
            WatermarkHit(mark["scheme"], 1.0, declared=True, source=source)
        )
