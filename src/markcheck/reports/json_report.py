"""The JSON report (schema version "1"), and its validation against the shipped schema."""

from __future__ import annotations

import io
import json
from functools import lru_cache
from importlib import resources
from typing import Any, TextIO

from markcheck.model import ScanResult


def _dumps(value: Any) -> str:
    # Compact: json's C encoder is used only without indentation (10x faster on big scans).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write(result: ScanResult, stream: TextIO) -> None:
    """Write the report file by file, so no second copy of a large scan is built in memory."""
    head = _dumps(result.to_dict(include_files=False))
    stream.write(head[:-1] + ',"files":[')
    for index, item in enumerate(result.files):
        stream.write(("," if index else "") + _dumps(item.to_dict()))
    stream.write("]}\n")


def report(result: ScanResult) -> str:
    buffer = io.StringIO()
    write(result, buffer)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("markcheck.data").joinpath("report.schema.json").read_text("utf-8")
    return json.loads(text)


def validate(document: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when `document` breaks the report contract."""
    import jsonschema

    jsonschema.Draft202012Validator(schema()).validate(document)
