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


def read_metadata(fp: BinaryIO, fmt: str, size: int, limits: Limits) -> RawMetadata:
    """Raw metadata of an open file; ReaderError when its structure is broken."""
    reader = READERS.get(fmt)
    if reader is None:
        raise ReaderError(f"no metadata reader for format {fmt}")
    out = RawMetadata()
    reader(Source(fp, size, limits, fmt), out)
    return out
