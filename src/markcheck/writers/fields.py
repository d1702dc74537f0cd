"""The TC260 label value (GB 45438-2025 §6.1, Annex E): build it, check it before writing.

The writer is strict where the scanner is lenient: it writes only values the strictest reader
accepts (string `Label` "1"/"2"/"3", the allowed character set, a well-formed provider code when
a 27-character code is given), so that the scan of its own output can pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from markcheck.readers.tc260 import KNOWN_KEYS
from markcheck.rules.checks.implicit import uscc_check_digit_ok

# Printable ASCII without space, '"' and '\' (Annex E character set).
ALLOWED = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]*$")
LABEL_VALUES = ("1", "2", "3")
_CODE = re.compile(r"^00(.)(.)(.{18})(.)(.{4})$")


class FieldError(ValueError):
    """A label value that must not be written (the message names the field and the fault)."""


def check_provider_code(code: str) -> list[str]:
    """Faults of a 27-character provider code (TC260-PG-20252A); [] when well formed."""
    match = _CODE.match(code)
    if not match:
        return [f"{code!r} is not 27 characters of the form 00 1 1 <credit code> <service> <model>"]
    faults = []
    if match[1] + match[2] != "11":
        faults.append(f"positions 3-4 are {match[1] + match[2]!r}, expected '11'")
    if not uscc_check_digit_ok(match[3]):
        faults.append(f"credit code {match[3]} fails its check character (GB 32100-2015)")
    if match[4] not in "12":
        faults.append(f"service type {match[4]!r} is neither 1 (generation) nor 2 (propagation)")
    return faults


def _looks_like_code(value: str) -> bool:
    return len(value) == 27 and value.startswith("00")


@dataclass(frozen=True)
class LabelValue:
    """The seven Annex E fields, in the standard's order."""

    fields: dict[str, str]

    def to_json(self) -> str:
        """Compact JSON, keys in Annex E order, ASCII only (values were checked)."""
        ordered = {key: self.fields.get(key, "") for key in KNOWN_KEYS}
        return json.dumps(ordered, ensure_ascii=True, separators=(",", ":"))


def validate(fields: Mapping[str, str], require_producer: bool = True) -> LabelValue:
    """Check every field against Annex E; raise FieldError naming each fault.

    `require_producer` is False only for a platform labelling content that reached it without
    a producer label (Label "2"/"3"): it cannot know who generated it.
    """
    faults = []
    unknown = sorted(set(fields) - set(KNOWN_KEYS))
    if unknown:
        faults.append(f"unknown fields {unknown} (Annex E has {list(KNOWN_KEYS)})")
    for key in KNOWN_KEYS:
        value = fields.get(key, "")
        if not isinstance(value, str):
            faults.append(f"{key} must be a string, not {type(value).__name__}")
        elif not ALLOWED.match(value):
            bad = "".join(sorted({ch for ch in value if not ALLOWED.match(ch)}))
            faults.append(
                f"{key} has characters outside the Annex E set (printable ASCII without "
                f"space, '\"' and '\\'): {bad!r}"
            )
    if fields.get("Label") not in LABEL_VALUES:
        faults.append(f'Label must be "1", "2" or "3", not {fields.get("Label")!r}')
    for key in ("ContentProducer", "ProduceID") if require_producer else ():
        if not fields.get(key):
            faults.append(f"{key} is required")
    if bool(fields.get("ContentPropagator")) != bool(fields.get("PropagateID")):
        faults.append("ContentPropagator and PropagateID go together")
    for key in ("ContentProducer", "ContentPropagator"):
        value = fields.get(key, "")
        if isinstance(value, str) and _looks_like_code(value):
            faults += [f"{key}: {fault}" for fault in check_provider_code(value)]
    if faults:
        raise FieldError("; ".join(faults))
    return LabelValue({key: fields.get(key, "") for key in KNOWN_KEYS})
