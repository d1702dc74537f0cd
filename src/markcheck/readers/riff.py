"""WebP (RIFF): `XMP ` and `EXIF` chunks; canvas size from VP8X, VP8 or VP8L."""

from __future__ import annotations

import struct

from markcheck.readers import MetaEntry, RawMetadata, ReaderError
from markcheck.readers.exif import parse_tiff
from markcheck.readers.source import Source


def _size(kind: bytes, head: bytes, out: RawMetadata) -> None:
    if kind == b"VP8X" and len(head) >= 10:
        out.width = 1 + int.from_bytes(head[4:7], "little")
        out.height = 1 + int.from_bytes(head[7:10], "little")
    elif kind == b"VP8 " and len(head) >= 10 and out.width is None:
        width, height = struct.unpack("<HH", head[6:10])
        out.width, out.height = width & 0x3FFF, height & 0x3FFF
    elif kind == b"VP8L" and len(head) >= 5 and out.width is None:
        bits = int.from_bytes(head[1:5], "little")
        out.width, out.height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1


def read_webp(source: Source, out: RawMetadata) -> None:
    header = source.read_at(0, 12, "RIFF header")
    declared = struct.unpack("<I", header[4:8])[0] + 8
    if declared > source.size:
        raise ReaderError(f"webp: RIFF size {declared} exceeds the file ({source.size} bytes)")
    offset = 12
    out.c2pa_stores = []
    while offset + 8 <= declared:
        source.count()
        kind, length = struct.unpack("<4sI", source.read_at(offset, 8, "chunk header"))
        if offset + 8 + length > declared:
            raise ReaderError(f"webp: chunk {kind!r} at byte {offset} runs past the end")
        if kind in (b"VP8X", b"VP8 ", b"VP8L"):
            _size(kind, source.read_at(offset + 8, min(length, 10), "image header"), out)
        elif kind == b"XMP ":
            out.entries.append(
                MetaEntry("webp/XMP", "xmp", "", source.read_at(offset + 8, length, "XMP chunk"))
            )
        elif kind == b"C2PA":
            out.c2pa_stores.append("webp/C2PA")
        elif kind == b"EXIF":
            body = source.read_at(offset + 8, length, "EXIF chunk")
            if body.startswith(b"Exif\x00\x00"):  # some writers keep the JPEG prefix
                out.deviations.append("webp: EXIF chunk starts with the JPEG 'Exif' prefix")
                body = body[6:]
            try:
                parse_tiff(body, "webp/EXIF", out, source.limits)
            except ReaderError as exc:
                out.deviations.append(str(exc))
        offset += 8 + length + (length & 1)
