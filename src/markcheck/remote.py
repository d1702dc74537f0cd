"""Inputs in object storage (s3://, gs://, az://, file://, ...) through fsspec.

Metadata is read with ranged requests: the readers seek, and each seek fetches one small block,
so a metadata-only scan of a 4 GB video moves kilobytes. The whole object is fetched only when a
part needs the file itself (pixels for the visible-label check, a C2PA manifest store), into a
temporary file that is deleted after the file is judged; its sha256 is computed on the way.
A metadata-only read leaves `sha256` empty and says so in the notes, rather than downloading
everything to hash it.

Credentials and endpoints come from each filesystem's usual environment and configuration
(AWS_* variables and ~/.aws for s3fs, FSSPEC_<PROTOCOL>_<OPTION> variables for any of them);
markcheck never prints or stores them. Report paths are the URLs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from markcheck.discover import SNIFF_BYTES, Candidate, Skipped, sniff

BLOCK_BYTES = 64 * 1024  # one ranged request; readers' small reads share it
MAX_BLOCKS = 32  # blocks kept per open file (random access across a file's boxes)
_FETCH_CHUNK = 4 * 1024 * 1024
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
SHA_NOTE = "sha256 not computed: only the metadata was read, by ranged requests"


class RemoteError(OSError):
    """An object store could not be listed or read (missing fsspec, bad URL, no access)."""


def is_url(text: str | os.PathLike[str]) -> bool:
    return isinstance(text, str) and bool(_URL.match(text))


def _fs(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError:  # pragma: no cover - the s3/gcs/azure extras bring it
        raise RemoteError(f"reading {url} needs fsspec: pip install 'markcheck[s3]'") from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise RemoteError(f"cannot open {url}: {exc}") from None


def discover_url(url: str) -> tuple[list[Candidate], list[Skipped]]:
    """The media objects under a URL prefix (or the one object it names), sniffed by ranges."""
    fs, root = _fs(url)
    try:
        if fs.isdir(root):
            listing = fs.find(root, detail=True)
            keys = sorted(k for k, info in listing.items() if info.get("type") != "directory")
        elif fs.exists(root):
            keys = [root]
        else:
            raise FileNotFoundError(f"no such object or prefix: {url}")
        heads = fs.cat_ranges(keys, [0] * len(keys), [SNIFF_BYTES] * len(keys), on_error="return")
    except FileNotFoundError:
        raise
    except Exception as exc:  # each filesystem raises its own types; the scan cannot start
        raise RemoteError(f"cannot list {url}: {type(exc).__name__}: {exc}") from None
    found: list[Candidate] = []
    skipped: list[Skipped] = []
    for key, head in zip(keys, heads, strict=True):
        full = fs.unstrip_protocol(key)
        if isinstance(head, BaseException):
            found.append(Candidate(PurePosixPath(key), full, None, f"cannot read: {head}", full))
            continue
        fmt = sniff(head)
        if fmt is None:
            skipped.append(Skipped(full, "not a media format markcheck reads"))
        else:
            found.append(Candidate(PurePosixPath(key), full, fmt, url=full))  # type: ignore[arg-type]
    return found, skipped


@contextlib.contextmanager
def open_input(candidate: Candidate) -> Iterator[tuple[BinaryIO, int]]:
    """The file's bytes as a seekable handle, and its size: local, or by ranged requests."""
    if candidate.url is None:
        with open(candidate.path, "rb") as handle:
            yield handle, os.fstat(handle.fileno()).st_size
        return
    fs, key = _fs(candidate.url)
    opened = fs.open(
        key,
        "rb",
        block_size=BLOCK_BYTES,
        cache_type="blockcache",
        cache_options={"maxblocks": MAX_BLOCKS},
    )
    with opened as handle:
        yield handle, int(handle.size)


def fetch(candidate: Candidate, directory: str | None = None) -> tuple[Path, str]:
    """Copy a remote object to a local temporary file (same suffix); its path and sha256."""
    fs, key = _fs(candidate.url or "")
    digest = hashlib.sha256()
    suffix = PurePosixPath(key).suffix
    handle, name = tempfile.mkstemp(prefix="markcheck-", suffix=suffix, dir=directory)
    try:
        with os.fdopen(handle, "wb") as out, fs.open(key, "rb", block_size=_FETCH_CHUNK) as src:
            while chunk := src.read(_FETCH_CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name), digest.hexdigest()


class LocalCopy(os.PathLike):
    """A remote file's local path, fetched the first time a provider opens it.

    Providers receive this in place of a path; one that returns early without opening the
    file (no manifest store to read) costs no download.
    """

    def __init__(self, candidate: Candidate, evidence: Any) -> None:
        self.candidate = candidate
        self.evidence = evidence
        self._path: Path | None = None

    def _local(self) -> Path:
        if self._path is None:
            self._path, sha256 = fetch(self.candidate)
            self.evidence.sha256 = sha256
            if SHA_NOTE in self.evidence.notes:
                self.evidence.notes.remove(SHA_NOTE)
        return self._path

    def __fspath__(self) -> str:
        return str(self._local())

    def __str__(self) -> str:
        return str(self._local())

    @property
    def suffix(self) -> str:
        return self.candidate.path.suffix

    @property
    def name(self) -> str:
        return self.candidate.path.name

    def close(self) -> None:
        if self._path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._path)
            self._path = None


@contextlib.contextmanager
def local_file(candidate: Candidate, evidence: Any) -> Iterator[Path | LocalCopy]:
    """The path providers read: the file itself, or a remote file's lazily fetched copy."""
    if candidate.url is None:
        yield candidate.path
        return
    copy = LocalCopy(candidate, evidence)
    try:
        yield copy
    finally:
        copy.close()


@contextlib.contextmanager
def as_local(candidate: Candidate) -> Iterator[tuple[Candidate, str]]:
    """A remote candidate fetched whole, as a local one (same report path), and its sha256."""
    path, sha256 = fetch(candidate)
    try:
        yield Candidate(path, candidate.rel, candidate.format, candidate.problem), sha256
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


__all__ = ["RemoteError", "discover_url", "fetch", "is_url", "local_file", "open_input"]
