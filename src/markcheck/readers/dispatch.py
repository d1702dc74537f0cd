"""Pick the container reader for a file's format (as its magic bytes named it)."""

from __future__ import annotations

from typing import BinaryIO

from markcheck.readers import Limits, RawMetadata, ReaderError
from markcheck.readers.avi import read_avi
from markcheck.readers.exif import parse_tiff_file
from markcheck.readers.flv import read_flv
from markcheck.readers.gif import read_gif
from markcheck.readers.isobmff import read_isobmff
from markcheck.readers.jpeg import read_jpeg
from markcheck.readers.matroska import read_matroska
from markcheck.readers.png import read_png
from markcheck.readers.riff import read_webp
from markcheck.readers.source import Source

READERS = {
    "jpeg": read_jpeg,
    "png": read_png,
    "webp": read_webp,
    "gif": read_gif,
    "tiff": parse_tiff_file,
    "heif": read_isobmff,
    "avif": read_isobmff,
    "mp4": read_isobmff,
    "mov": read_isobmff,
    "mkv": read_matroska,
    "webm": read_matroska,
    "avi": read_avi,
    "flv": read_flv,
}


def read_raw(fp: BinaryIO, fmt: str, size: int, limits: Limits) -> RawMetadata:
    """Raw metadata of an open file, letting any exception of the reader through (what the
    fuzzers call: a ReaderError is a refusal, anything else a bug to fix)."""
    reader = READERS.get(fmt)
    if reader is None:
        raise ReaderError(f"no metadata reader for format {fmt}")
    out = RawMetadata()
    reader(Source(fp, size, limits, fmt), out)
    return out


def read_metadata(fp: BinaryIO, fmt: str, size: int, limits: Limits) -> RawMetadata:
    """Raw metadata of an open file; ReaderError when its structure is broken.

    The reader boundary: whatever a reader raises on bytes it did not foresee (an IndexError
    on a short box, a struct.error) becomes a ReaderError naming it, so the file is reported
    as corrupt with a reason rather than as markcheck's own failure. I/O and memory errors
    pass through: they are not the file's structure.
    """
    try:
        return read_raw(fp, fmt, size, limits)
    except (ReaderError, OSError, MemoryError):
        raise
    except Exception as exc:
        raise ReaderError(f"{fmt}: malformed structure ({type(exc).__name__}: {exc})") from exc
