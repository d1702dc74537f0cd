"""Pick the container reader for a file's format (as its magic bytes named it)."""

from __future__ import annotations

from typing import BinaryIO

from markcheck.readers import Limits, RawMetadata, ReaderError
from markcheck.readers.exif import parse_tiff_file
from markcheck.readers.gif import read_gif
from markcheck.readers.isobmff import read_isobmff
from markcheck.readers.jpeg import read_jpeg
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
}


def _not_read_yet(source: Source, out: RawMetadata) -> None:
    """Placeholder until these containers have metadata readers: their frames are judged,
    their metadata (TC260, XMP, C2PA) is not read, and the report says so."""
    out.deviations.append(
        f"metadata of {source.name} files is not read yet: implicit labels could not be examined"
    )


# Replaced by real readers when they exist (the visible label is judged already).
READERS.update(dict.fromkeys(("mkv", "webm", "avi", "flv"), _not_read_yet))


def read_metadata(fp: BinaryIO, fmt: str, size: int, limits: Limits) -> RawMetadata:
    """Raw metadata of an open file; ReaderError when its structure is broken."""
    reader = READERS.get(fmt)
    if reader is None:
        raise ReaderError(f"no metadata reader for format {fmt}")
    out = RawMetadata()
    reader(Source(fp, size, limits, fmt), out)
    return out
