"""Find media files under the given paths and identify each by its magic bytes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

SNIFF_BYTES = 64

# format -> kind
FORMAT_KINDS = {
    "jpeg": "image",
    "png": "image",
    "webp": "image",
    "gif": "image",
    "tiff": "image",
    "heif": "image",
    "avif": "image",
    "mp4": "video",
    "mov": "video",
    "mkv": "video",
    "webm": "video",
    "avi": "video",
    "flv": "video",
}
EXTENSIONS = {
    "jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "png": {".png"},
    "webp": {".webp"},
    "gif": {".gif"},
    "tiff": {".tif", ".tiff"},
    "heif": {".heic", ".heif", ".hif"},
    "avif": {".avif"},
    "mp4": {".mp4", ".m4v"},
    "mov": {".mov", ".qt"},
    "mkv": {".mkv", ".mk3d"},
    "webm": {".webm"},
    "avi": {".avi"},
    "flv": {".flv"},
}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}
_QT_BRANDS = {b"qt  "}
_MP4_TOP_BOXES = {b"moov", b"mdat", b"free", b"wide", b"skip"}
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # Matroska and WebM both start with an EBML header
_EBML_DOCTYPE = b"\x42\x82"


def _matroska_kind(head: bytes) -> str:
    """The EBML header's DocType: "webm", else "mkv" (Matroska when it names nothing else)."""
    at = head.find(_EBML_DOCTYPE, 4)
    if at < 0 or at + 3 > len(head):
        return "mkv"
    size_byte = head[at + 2]
    if not size_byte & 0x80:  # a one-byte size is all a DocType ever needs
        return "mkv"
    size = size_byte & 0x7F
    return "webm" if head[at + 3 : at + 3 + size] == b"webm" else "mkv"


def sniff(head: bytes) -> str | None:
    """Return the format named by the file's first bytes, or None if it is not media we read."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[4:8] == b"ftyp":
        major = head[8:12]
        size = int.from_bytes(head[:4], "big")
        compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
        brands = {major} | compatible
        if major in _AVIF_BRANDS or (major in (b"mif1", b"msf1") and brands & _AVIF_BRANDS):
            return "avif"
        if major in _HEIF_BRANDS:
            return "heif"
        if major in _QT_BRANDS:
            return "mov"
        return "mp4"
    if head[4:8] in _MP4_TOP_BOXES:  # old QuickTime files without ftyp
        return "mov"
    if head.startswith(_EBML_MAGIC):
        return _matroska_kind(head)
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head.startswith(b"FLV\x01"):
        return "flv"
    return None


def extension_matches(path: Path, fmt: str) -> bool:
    suffix = path.suffix.lower()
    if fmt in ("mp4", "mov"):  # the two ISO-BMFF video brands are used interchangeably
        return suffix in EXTENSIONS["mp4"] | EXTENSIONS["mov"]
    if fmt in ("heif", "avif"):
        return suffix in EXTENSIONS["heif"] | EXTENSIONS["avif"]
    if fmt in ("mkv", "webm"):  # WebM is Matroska with fewer codecs; names are mixed freely
        return suffix in EXTENSIONS["mkv"] | EXTENSIONS["webm"]
    return suffix in EXTENSIONS.get(fmt, set())


@dataclass
class Candidate:
    path: Path  # as found (absolute or relative to the working directory)
    rel: str  # relative to its scan root, POSIX separators
    format: str | None  # None when the bytes name no media format we read
    problem: str | None = None  # why it could not be identified, when it could not
    url: str | None = None  # an object-storage URL (markcheck.remote); path is then its key


@dataclass
class Skipped:
    path: str
    reason: str


def _media_extension(path: Path) -> bool:
    suffix = path.suffix.lower()
    return any(suffix in names for names in EXTENSIONS.values())


def _sniff_file(path: Path) -> tuple[str | None, str | None]:
    try:
        with open(path, "rb") as handle:
            return sniff(handle.read(SNIFF_BYTES)), None
    except OSError as exc:
        return None, f"{type(exc).__name__}: {exc.strerror or exc}"


def _rel(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = path
    text = rel.as_posix() if rel.as_posix() != "." else path.name
    # Names that are not UTF-8 keep their bytes visible as \xNN escapes, so reports encode.
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def _walk(root: Path) -> Iterator[tuple[Path, str | None]]:
    """Every regular file below root, sorted, following no symlink (so no loop, no escape),
    with None; a folder that cannot be listed comes with the reason, never dropped."""
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            st = directory.stat()
            if (st.st_dev, st.st_ino) in seen_dirs:
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield directory, f"cannot read folder: {exc.strerror or exc}"
            continue
        subdirs = []
        for entry in entries:
            if entry.is_symlink():
                yield Path(entry.path), None  # reported, never followed
            elif entry.is_dir(follow_symlinks=False):
                subdirs.append(Path(entry.path))
            else:
                yield Path(entry.path), None
        stack.extend(reversed(subdirs))


def scan_base(inputs: Sequence[str | os.PathLike[str]]) -> Path | None:
    """The folder report paths are relative to when several inputs are scanned: the common
    parent of the folders given, so `scan a b` reports `a/x.jpg` and `b/x.jpg`, never two
    `x.jpg`. None for a single input (paths relative to it, as before)."""
    if len(inputs) < 2:
        return None
    folders = [Path(os.path.abspath(p)) for p in inputs if Path(p).is_dir()]
    if not folders:
        return None
    return Path(os.path.commonpath([f.parent for f in folders]))


def discover(inputs: Iterable[str | os.PathLike[str]]) -> tuple[list[Candidate], list[Skipped]]:
    """Media candidates in stable order, and what was skipped (non-media, links, specials)."""
    found: list[Candidate] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    inputs = list(inputs)
    base = scan_base(inputs)
    for raw in inputs:
        if isinstance(raw, str) and "://" in raw:
            from markcheck.remote import discover_url, is_url

            if is_url(raw):
                remote_found, remote_skipped = discover_url(raw)
                found += [c for c in remote_found if c.rel not in seen]
                seen.update(c.rel for c in remote_found)
                skipped += remote_skipped
                continue
        root = Path(raw)
        if root.is_dir() and not root.is_symlink():
            files = [
                (p, _rel(Path(os.path.abspath(p)), base) if base else _rel(p, root), problem)
                for p, problem in _walk(root)
            ]
        elif root.exists() or root.is_symlink():
            files = [(root, root.as_posix(), None)]
        else:
            raise FileNotFoundError(f"no such file or folder: {raw}")
        for path, rel, unreadable in files:
            key = os.path.abspath(path)
            if key in seen:
                continue
            seen.add(key)
            if unreadable is not None:
                found.append(Candidate(path, rel, None, unreadable))
                continue
            try:
                mode = path.lstat().st_mode
            except OSError as exc:
                skipped.append(Skipped(rel, f"cannot stat: {exc.strerror}"))
                continue
            if stat.S_ISLNK(mode) and path is not root:
                skipped.append(Skipped(rel, "symbolic link (not followed)"))
                continue
            if stat.S_ISLNK(mode):
                mode = path.stat().st_mode if path.exists() else 0
            if not stat.S_ISREG(mode):
                skipped.append(Skipped(rel, "not a regular file"))
                continue
            fmt, problem = _sniff_file(path)
            if problem is not None:
                found.append(Candidate(path, rel, None, problem))
            elif fmt is None and _media_extension(path):
                # A media name with bytes we cannot identify: empty, truncated or mislabelled.
                found.append(
                    Candidate(
                        path,
                        rel,
                        None,
                        f"bytes match no media format although the name ends in {path.suffix}",
                    )
                )
            elif fmt is None:
                skipped.append(Skipped(rel, "not a media format markcheck reads"))
            else:
                found.append(Candidate(path, rel, fmt))
    found.sort(key=lambda c: c.rel)
    return found, skipped


def filter_paths(
    candidates: list[Candidate], include: Sequence[str], exclude: Sequence[str]
) -> tuple[list[Candidate], list[Skipped]]:
    """Keep candidates whose scan-relative path matches an include glob (all when none) and no
    exclude glob. Globs are fnmatch patterns, where * also crosses /."""
    if not include and not exclude:
        return candidates, []
    kept, dropped = [], []
    for candidate in candidates:
        rel = candidate.rel
        if include and not any(fnmatchcase(rel, pattern) for pattern in include):
            dropped.append(Skipped(rel, "not matched by the configured include globs"))
        elif any(fnmatchcase(rel, pattern) for pattern in exclude):
            dropped.append(Skipped(rel, "excluded by the configured exclude globs"))
        else:
            kept.append(candidate)
    return kept, dropped
