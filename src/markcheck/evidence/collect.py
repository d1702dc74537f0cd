"""Gather one file's evidence: always its metadata, and the costlier parts the rules need."""

from __future__ import annotations

import hashlib
import importlib
import io
from pathlib import Path

from markcheck.discover import FORMAT_KINDS, Candidate, extension_matches
from markcheck.evidence import PROVIDERS
from markcheck.evidence.held import hold, release
from markcheck.model import Evidence, MediaInfo
from markcheck.readers import ReaderError
from markcheck.readers.dispatch import read_metadata
from markcheck.readers.interpret import interpret
from markcheck.remote import SHA_NOTE, open_input
from markcheck.scan_options import ScanOptions

# Modules that register the provider of each costly part; imported only when a rule needs it.
PROVIDER_MODULES = {
    "c2pa": "markcheck.readers.c2pa",
    "explicit": "markcheck.detectors.text",
    "watermark": "markcheck.detectors.watermark",
}
_HASH_CHUNK = 1 << 20
# A local file up to this size is read once into memory, hashed in one call and parsed from
# there: one read instead of a hash pass plus the readers' dozens of seeks and small reads.
# Larger files (long videos) are hashed in chunks and parsed from the file, memory staying flat.
WHOLE_READ_BYTES = 16 << 20


class FileProblem(Exception):
    """The file cannot be examined at all (empty, unreadable, not what its bytes claimed)."""


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(_HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def provide(part: str, evidence: Evidence, path: Path, fmt: str, options: ScanOptions) -> None:
    module = PROVIDER_MODULES.get(part)
    if part not in PROVIDERS and module:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            evidence.unavailable[part] = f"{part} support could not be loaded: {exc}"
            return
    fn = PROVIDERS.get(part)
    if fn is None:
        evidence.unavailable.setdefault(part, f"no {part} support in this version")
        return
    fn(evidence, path, fmt, options)


def collect_metadata(
    candidate: Candidate, options: ScanOptions, sha256: str | None = None
) -> Evidence:
    """Metadata evidence for one candidate. Raises FileProblem or ReaderError if unreadable.

    `sha256`, when the caller has already hashed the file (the evidence cache), is not
    computed again."""
    if candidate.format is None:
        raise FileProblem(candidate.problem or "not a media format markcheck reads")
    fmt = candidate.format
    release()  # until this read has the bytes, none are this file's
    # Opened read-only; nothing here ever writes to a scanned file. An object in storage is
    # read by ranges and not hashed (markcheck.remote).
    with open_input(candidate) as (handle, size):
        if size == 0:
            raise FileProblem("empty file")
        if sha256 is None and candidate.url is None and size <= WHOLE_READ_BYTES:
            data = handle.read(size)
            size = len(data)  # what was read, should the file change under us
            sha256 = hashlib.sha256(data).hexdigest()  # releases the GIL: threads overlap it
            handle = io.BytesIO(data)
            hold(candidate.path, data)  # for c2pa, which reads the whole file too
        elif sha256 is None and candidate.url is None:
            sha256 = _sha256(handle)
            handle.seek(0)
        raw = read_metadata(handle, fmt, size, options.limits)
    try:
        implicit, notes = interpret(raw, options.limits)
    except (ReaderError, MemoryError):
        raise
    except Exception as exc:  # the reader boundary, as in read_metadata: the file's error
        raise ReaderError(
            f"{fmt}: metadata not interpretable ({type(exc).__name__}: {exc})"
        ) from exc
    media = MediaInfo(FORMAT_KINDS[fmt], fmt, raw.width, raw.height, raw.duration_s)
    evidence = Evidence(candidate.rel, sha256 or "", media, implicit, c2pa_stores=raw.c2pa_stores)
    if not sha256:
        evidence.notes.append(SHA_NOTE)
    if not extension_matches(candidate.path, fmt):
        evidence.notes.append(
            f"file name ends in {candidate.path.suffix or '(no extension)'!r} but its bytes are "
            f"{fmt}; read as {fmt}"
        )
    evidence.notes += [f"structure: {d}" for d in raw.deviations] + notes
    return evidence


__all__ = ["FileProblem", "ReaderError", "collect_metadata", "provide"]
