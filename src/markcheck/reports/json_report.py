"""The JSON report (schema version "1"), and its validation against the shipped schema."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any, TextIO

from markcheck.model import FileResult, ScanResult, report_fields


def _dumps(value: Any) -> str:
    # Compact: json's C encoder is used only without indentation (10x faster on big scans).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# One file's result straight from its dataclasses (model.report_fields): the same text as
# _dumps(item.to_dict()) in about two thirds of the time, on the thread that writes the report.
_encode_result = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), default=report_fields
).encode


class JsonSink:
    """Writes the report while the scan runs: each file as it is judged, the summary last.

    A scan given this sink keeps no per-file results, so memory stays flat however many files
    are scanned.
    """

    def __init__(self, stream: TextIO | Callable[[], TextIO]) -> None:
        # A callable opens the stream only when the scan starts (after discovery, so a report
        # written into the scanned folder does not list itself).
        self._open = stream if callable(stream) else None
        self.stream: TextIO | None = None if callable(stream) else stream
        self.count = 0

    def start(self, header: ScanResult) -> None:
        if self._open is not None:
            self.stream = self._open()
        document = header.to_dict(include_files=False)
        head = {key: document[key] for key in ("schema_version", "tool", "rulesets")}
        self.stream.write(_dumps(head)[:-1] + ',"files":[')

    def add(self, item: FileResult) -> None:
        self.stream.write(("," if self.count else "") + _encode_result(item))
        # Flushed file by file: a program following the report, or one reading it after the
        # scan was killed, sees every file judged so far (a write call a file, ~4 us).
        self.stream.flush()
        self.count += 1

    def finish(self, result: ScanResult) -> None:
        tail = result.to_dict(include_files=False)
        rest = {key: tail[key] for key in ("summary", "partial", "skipped", "audit") if key in tail}
        self.stream.write("]," + _dumps(rest)[1:] + "\n")
        if self._open is not None:
            self.stream.close()


def write(result: ScanResult, stream: TextIO) -> None:
    """Write a finished scan's report."""
    sink = JsonSink(stream)
    sink.start(result)
    for item in result.files:
        sink.add(item)
    sink.finish(result)


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
