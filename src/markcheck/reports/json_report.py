"""The JSON report (schema version "1"), and its validation against the shipped schema."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from markcheck.model import ScanResult


def as_dict(result: ScanResult) -> dict[str, Any]:
    return result.to_dict()


def report(result: ScanResult) -> str:
    # Compact: json's C encoder is used only without indentation (10x faster on big scans).
    return json.dumps(as_dict(result), ensure_ascii=False, separators=(",", ":")) + "\n"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("markcheck.data").joinpath("report.schema.json").read_text("utf-8")
    return json.loads(text)


def validate(document: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when `document` breaks the report contract."""
    import jsonschema

    jsonschema.Draft202012Validator(schema()).validate(document)
