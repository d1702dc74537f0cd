"""Parse a TC260 `AIGC` label value (GB 45438-2025 Annex E), leniently, naming every deviation.

Accepted: the bare object `{"Label":"1",...}`, the wrapped form `{"AIGC": {...}}`, values that
are still HTML-entity-encoded, Base64 blobs, and a wrapped value that is itself a JSON string.
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


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None


def _decode(raw: str, deviations: list[str]) -> Any:
    text = raw.strip()
    if text != raw:
        deviations.append("surrounding whitespace")
    value = _loads(text)
    if value is not None:
        return value
    if "&" in text:
        unescaped = html.unescape(text)
        value = _loads(unescaped)
        if value is not None:
            deviations.append("JSON is HTML-entity-encoded in the stored value")
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
            form, value = "wrapped", inner
    if not isinstance(value, dict):
        reason = "value is not JSON" if value is None else "JSON is not an object"
        return TC260Label(carrier, None, raw, "unparsed", [*deviations, reason])
    unknown = [key for key in value if key not in KNOWN_KEYS]
    if unknown:
        deviations.append(f"unknown keys: {', '.join(map(str, unknown))}")
    for key in KNOWN_KEYS:
        if key in value and value[key] is not None and not isinstance(value[key], str):
            deviations.append(f"{key} is a {type(value[key]).__name__}, not a string")
    return TC260Label(carrier, value, raw, form, deviations)


def looks_like_label(text: str) -> bool:
    """A free-text field (EXIF UserComment, ...) that holds a TC260 label."""
    stripped = text.strip()
    return stripped.startswith(("{", "eyJ")) and (
        "AIGC" in stripped or "Label" in stripped or stripped.startswith("eyJ")
    )
