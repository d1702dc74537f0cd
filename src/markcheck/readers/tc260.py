"""Parse a TC260 `AIGC` label value (GB 45438-2025 Annex E), leniently, naming every deviation.

Accepted: the bare object `{"Label":"1",...}`, the wrapped form `{"AIGC": {...}}`, values that
are still HTML-entity-encoded (once or twice: `&amp;quot;`), Base64 blobs, a wrapped value that
is itself a JSON string, a byte-order mark before the JSON, keys spelled in another case
(`label`, `contentProducer`) and duplicate keys. Each is named as a deviation.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from typing import Any

from markcheck.model import TC260Label

KNOWN_KEYS = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)
_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]{16,}$", re.ASCII)
# A UTF-8 byte-order mark, as decoded text and as UTF-8 bytes read as Latin-1 (PNG tEXt).
_BOMS = ("\ufeff", "\xef\xbb\xbf")
_MAX_UNESCAPE = 3  # entity-encoding layers undone at most
DUPLICATE = "duplicate key"


class _Pairs(dict):
    """A JSON object that remembers the keys it saw more than once, with every value."""

    duplicates: dict[str, list[Any]]


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out = _Pairs()
    out.duplicates = {}
    for key, value in items:
        if key in out:
            out.duplicates.setdefault(key, [out[key]]).append(value)
        out[key] = value
    return out


def _loads(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_pairs)
    except (json.JSONDecodeError, RecursionError):
        return None


def field(label: dict[str, Any] | None, name: str) -> Any:
    """A label field by its Annex E name, or by the same name in another case (`label`)."""
    if not label:
        return None
    if name in label:
        return label[name]
    lowered = name.lower()
    return next((v for k, v in label.items() if str(k).lower() == lowered), None)


def misspelled_keys(label: dict[str, Any]) -> dict[str, str]:
    """Keys that are Annex E names in another case: found spelling -> Annex E spelling."""
    names = {key.lower(): key for key in KNOWN_KEYS}
    return {
        key: names[str(key).lower()]
        for key in label
        if key not in KNOWN_KEYS and str(key).lower() in names
    }


def _duplicates(value: Any, deviations: list[str]) -> None:
    for key, values in getattr(value, "duplicates", {}).items():
        same = all(v == values[0] for v in values)
        shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in values)
        agreement = "same value" if same else "DIFFERENT values"
        deviations.append(f"{DUPLICATE} {key!r} ({agreement}: {shown}); the last one is read")


def _decode(raw: str, deviations: list[str]) -> Any:
    text = raw.strip()
    if text != raw:
        deviations.append("surrounding whitespace")
    for bom in _BOMS:
        if text.startswith(bom):
            text = text[len(bom) :].lstrip()
            deviations.append("byte-order mark before the JSON")
            break
    value = _loads(text)
    if value is not None:
        return value
    unescaped = text
    for layer in range(1, _MAX_UNESCAPE + 1):
        if "&" not in unescaped:
            break
        unescaped = html.unescape(unescaped)
        value = _loads(unescaped)
        if value is not None:
            how = "" if layer == 1 else f" {layer} times over (e.g. &amp;quot;)"
            deviations.append(f"JSON is HTML-entity-encoded in the stored value{how}")
            return value
    if _BASE64.match(text):
        try:
            decoded = base64.b64decode(text, validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            decoded = ""
        value = _loads(decoded)
        if value is not None:
            deviations.append("JSON is Base64-encoded")
            return value
    return None


def parse_label(raw: str, carrier: str) -> TC260Label:
    deviations: list[str] = []
    value = _decode(raw, deviations)
    form = "bare"
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key.upper() == "AIGC":
            if key != "AIGC":
                deviations.append(f"wrapper key spelled {key!r}")
            if isinstance(inner, str):
                deviations.append("wrapped label is a JSON string, not an object")
                inner = _loads(inner)
            _duplicates(value, deviations)
            form, value = "wrapped", inner
    if not isinstance(value, dict):
        reason = "value is not JSON" if value is None else "JSON is not an object"
        return TC260Label(carrier, None, raw, "unparsed", [*deviations, reason])
    _duplicates(value, deviations)
    misspelled = misspelled_keys(value)
    if misspelled:
        shown = ", ".join(f"{found!r} (Annex E: {name})" for found, name in misspelled.items())
        deviations.append(f"keys not spelled as in Annex E: {shown}")
    unknown = [key for key in value if key not in KNOWN_KEYS and key not in misspelled]
    if unknown:
        deviations.append(f"unknown keys: {', '.join(map(str, unknown))}")
    for key in KNOWN_KEYS:
        if key in value and value[key] is not None and not isinstance(value[key], str):
            deviations.append(f"{key} is a {type(value[key]).__name__}, not a string")
    return TC260Label(carrier, dict(value), raw, form, deviations)


def looks_like_label(text: str) -> bool:
    """A free-text field (EXIF UserComment, ...) that holds a TC260 label."""
    stripped = text.strip()
    return stripped.startswith(("{", "eyJ")) and (
        "AIGC" in stripped or "Label" in stripped or stripped.startswith("eyJ")
    )
