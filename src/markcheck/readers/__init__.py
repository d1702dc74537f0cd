"""Byte-level metadata readers, one module per container family.

Each reader walks a container's structure with bounded reads (seeking past pixel data) and
returns the raw metadata it holds; interpretation (XMP, TC260, signals) happens elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from markcheck.limits import Limits

__all__ = ["EntryKind", "Limits", "MetaEntry", "RawMetadata", "ReaderError", "text_until_nul"]

EntryKind = Literal["xmp", "text", "exif"]


class ReaderError(Exception):
    """The file's structure is broken (truncated, sizes past the end, ...)."""


def text_until_nul(raw: bytes) -> str:
    """A C-style string field (EXIF ASCII, AVI INFO, Matroska UTF-8): the text before its
    first NUL, undecodable bytes replaced."""
    return raw.split(b"\x00", 1)[0].decode("utf-8", "replace")


@dataclass
class MetaEntry:
    carrier: str  # where it sits, e.g. "jpeg/app1-xmp", "png/tEXt", "mp4/moov/udta/meta/keys"
    kind: EntryKind
    key: str  # text keyword, EXIF tag name, or "" for an XMP packet
    value: str | bytes  # XMP packets stay bytes (the XML parser reads the encoding)
    # Where the entry's placement departs from the carrier's convention (after IDAT, ...).
    notes: list[str] = field(default_factory=list)


@dataclass
class RawMetadata:
    entries: list[MetaEntry] = field(default_factory=list)
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    deviations: list[str] = field(default_factory=list)  # structure oddities that were tolerated
    # Where an embedded C2PA manifest store sits (JPEG APP11, PNG caBX, WebP C2PA, BMFF uuid);
    # None when the reader cannot tell cheaply for this format.
    c2pa_stores: list[str] | None = None
