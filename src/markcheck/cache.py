"""Content-addressed evidence cache: a file examined once is re-judged without decoding again.

Evidence is policy-free, so what the readers and detectors saw in a file can be reused under any
rule pack. Entries live in one SQLite file under a cache directory and are keyed by:

- the sha256 of the file's bytes (so a renamed or copied file hits, an edited one misses);
- markcheck's version (a new reader or detector is never fed old observations);
- the evidence part ("metadata", "c2pa", "explicit") and every setting that changes it:
  reader limits and the file name's extension for metadata, the trust anchors and today's
  date for C2PA (a certificate can expire or be revoked from one day to the next), the OCR
  engine and models for visible labels.

Metadata is stored whole; each costlier part as the change it made to the evidence, so a later
scan that needs only some parts takes just those. A part that came out unavailable (a decode
failure, a missing library) is never stored: it is recomputed next time. Entries are JSON,
never pickles, so a cache directory cannot carry code.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import json
import os
import sqlite3
import time
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markcheck import __version__
from markcheck.discover import Candidate
from markcheck.evidence.collect import collect_metadata, provide
from markcheck.model import Evidence, plain
from markcheck.scan_options import ScanOptions

DB_NAME = "evidence.sqlite3"
_HASH_CHUNK = 1 << 20
_SETUP_TRIES = 20
_SCHEMA = "CREATE TABLE IF NOT EXISTS evidence (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


class EvidenceCache:
    """One SQLite file; each process opens its own connection (workers are forked)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def _db(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            self.directory.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.directory / DB_NAME, timeout=30, isolation_level=None)
            # Workers open their connections at once; switching to WAL and creating the table
            # can meet another's lock without SQLite's busy wait: try again for a while.
            for attempt in range(_SETUP_TRIES):
                try:
                    conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
                    conn.execute("PRAGMA synchronous=NORMAL")
                    conn.execute(_SCHEMA)
                    break
                except sqlite3.OperationalError:
                    if attempt == _SETUP_TRIES - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1))
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def get(self, key: str) -> Any | None:
        """The stored value, or None; a cache that cannot be read is a miss, never an error."""
        try:
            row = self._db().execute("SELECT value FROM evidence WHERE key = ?", (key,))
            found = row.fetchone()
        except sqlite3.OperationalError:
            return None
        return json.loads(found[0]) if found else None

    def put(self, key: str, value: Any) -> None:
        """Store a value; a cache that cannot be written costs a recomputation next time."""
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError):
            return  # not plain data: recomputed next time rather than stored wrongly
        try:
            self._db().execute("INSERT OR REPLACE INTO evidence VALUES (?, ?)", (key, text))
        except sqlite3.OperationalError:
            return

    def __len__(self) -> int:
        return self._db().execute("SELECT count(*) FROM evidence").fetchone()[0]


_OPEN: dict[str, EvidenceCache] = {}


def open_cache(directory: str | os.PathLike[str]) -> EvidenceCache:
    """The process's cache object for a directory (one connection per process)."""
    key = os.path.abspath(directory)
    if key not in _OPEN:
        _OPEN[key] = EvidenceCache(key)
    return _OPEN[key]


def entry_key(sha256: str, part: str, context: Any) -> str:
    text = json.dumps([sha256, __version__, part, context], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@functools.lru_cache(maxsize=64)
def _file_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable: {exc}"


@functools.lru_cache(maxsize=1)
def _ocr_context() -> Any:
    try:
        from markcheck.detectors.text import engine_info

        return engine_info()
    except ImportError as exc:
        return f"unavailable: {exc}"


def part_context(part: str, candidate: Candidate, options: ScanOptions) -> Any:
    """The settings that change a part's evidence (see the module docstring)."""
    if part == "metadata":
        return {"limits": dataclasses.asdict(options.limits), "suffix": candidate.path.suffix}
    if part == "c2pa":
        return {
            "anchors": [_file_digest(str(p)) for p in options.trust_anchors],
            "replace": options.replace_trust_anchors,
            "day": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
        }
    if part == "explicit":
        return {"ocr": _ocr_context()}
    return {}


def hash_candidate(candidate: Candidate) -> str:
    digest = hashlib.sha256()
    with open(candidate.path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- JSON <-> Evidence -------------------------------------------------------------------------


def _decode(kind: Any, value: Any) -> Any:
    """Rebuild a value of type `kind` (a model dataclass or typing form) from its plain JSON."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is list:
        (item,) = typing.get_args(kind) or (Any,)
        return [_decode(item, v) for v in value]
    if origin is dict:
        args = typing.get_args(kind)
        return {k: _decode(args[1] if args else Any, v) for k, v in value.items()}
    if origin is typing.Literal:
        return value
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: _decode(hints[name], v) for name, v in value.items()})
    return value


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def evidence_from_plain(document: dict[str, Any]) -> Evidence:
    return _decode(Evidence, document)


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[list[Any]]:
    """What a provider changed: appended list items, added/changed dict keys, replaced values."""
    delta: list[list[Any]] = []
    for key, new in after.items():
        old = before.get(key)
        if new == old:
            continue
        if isinstance(new, list) and isinstance(old, list) and new[: len(old)] == old:
            delta.append([key, "extend", new[len(old) :]])
        elif isinstance(new, dict) and isinstance(old, dict) and old.keys() <= new.keys():
            delta.append([key, "update", {k: v for k, v in new.items() if old.get(k) != v}])
        else:
            delta.append([key, "set", new])
    return delta


def _apply(document: dict[str, Any], delta: list[list[Any]]) -> None:
    for key, how, value in delta:
        if how == "extend":
            document[key] = list(document.get(key) or []) + value
        elif how == "update":
            document[key] = {**(document.get(key) or {}), **value}
        else:
            document[key] = value


def _replace_contents(evidence: Evidence, document: dict[str, Any]) -> None:
    fresh = evidence_from_plain(document)
    for f in dataclasses.fields(Evidence):
        setattr(evidence, f.name, getattr(fresh, f.name))


# --- the cached gather ---------------------------------------------------------------------------

Gather = Callable[..., Evidence]


def gather_cached(
    gather: Gather, candidate: Candidate, parts: set[str], options: ScanOptions, directory: str
) -> tuple[Evidence, list[str]]:
    """`gather` with its metadata and costly parts taken from, or stored in, the cache.

    Returns the evidence and the parts that came from the cache, in the order computed.
    """
    if candidate.url is not None:  # the whole object is needed to hash it: fetched once
        from markcheck.remote import as_local

        with as_local(candidate) as (local, _):
            return gather_cached(gather, local, parts, options, directory)
    cache = open_cache(directory)
    sha256 = hash_candidate(candidate)
    hits: list[str] = []

    def collect(candidate: Candidate, options: ScanOptions) -> Evidence:
        key = entry_key(sha256, "metadata", part_context("metadata", candidate, options))
        stored = cache.get(key)
        if stored is not None:
            hits.append("metadata")
            evidence = evidence_from_plain(stored)
            evidence.path = candidate.rel
            return evidence
        evidence = collect_metadata(candidate, options, sha256=sha256)
        cache.put(key, {**plain(evidence), "path": ""})
        return evidence

    def supply(part: str, evidence: Evidence, path: Path, fmt: str, options: ScanOptions) -> None:
        key = entry_key(sha256, part, part_context(part, candidate, options))
        stored = cache.get(key)
        if stored is not None:
            if stored:  # an empty change (no manifest store to read) needs no rebuilding
                document = plain(evidence)
                _apply(document, stored)
                _replace_contents(evidence, document)
            hits.append(part)
            return
        before = plain(evidence)
        provide(part, evidence, path, fmt, options)
        if part not in evidence.unavailable:
            cache.put(key, _diff(before, plain(evidence)))

    evidence = gather(candidate, parts, options, collect=collect, supply=supply)
    return evidence, hits
