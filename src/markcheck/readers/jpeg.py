"""JPEG: APP1 XMP (with extended XMP), APP1 EXIF; frame size from SOFn."""

from __future__ import annotations

import re
import struct

from markcheck.readers import MetaEntry, RawMetadata, ReaderError
from markcheck.readers.exif import parse_tiff
from markcheck.readers.source import Source

XMP_ID = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_ID = b"http://ns.adobe.com/xmp/extension/\x00"
EXIF_ID = b"Exif\x00\x00"
_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_EOI_SEARCH = 1 << 16  # real files may carry trailers after EOI; look this far back for it
_GUID = re.compile(
    rb'HasExtendedXMP\s*=\s*["\']([0-9A-Fa-f]{32})["\']|'
    rb"HasExtendedXMP>([0-9A-Fa-f]{32})<"
)


def _check_end(source: Source) -> None:
    if source.size >= 2 and source.read_at(source.size - 2, 2, "end of file") == b"\xff\xd9":
        return  # the usual file: EOI is its last two bytes, no need to search a trailer
    tail_len = min(source.size, _EOI_SEARCH)
    tail = source.read_at(source.size - tail_len, tail_len, "end of file")
    if b"\xff\xd9" not in tail:
        raise ReaderError("jpeg: no EOI marker at the end; file truncated")


def read_jpeg(source: Source, out: RawMetadata) -> None:
    if source.read_at(0, 2, "SOI") != b"\xff\xd8":
        raise ReaderError("jpeg: no SOI marker")
    offset = 2
    out.c2pa_stores = []
    extended: dict[bytes, dict[int, bytes]] = {}
    while True:
        source.count()
        marker = source.read_at(offset, 2, "marker")
        if marker[0] != 0xFF:
            raise ReaderError(f"jpeg: expected a marker at byte {offset}, found {marker.hex()}")
        code = marker[1]
        if code == 0xFF:  # fill byte
            offset += 1
            continue
        if code in (0xD8, 0x01) or 0xD0 <= code <= 0xD7:
            offset += 2
            continue
        if code == 0xD9:
            break
        length = struct.unpack(">H", source.read_at(offset + 2, 2, "segment length"))[0]
        if length < 2:
            raise ReaderError(f"jpeg: segment at byte {offset} has length {length}")
        body_at = offset + 4
        if code in _SOF:
            height, width = struct.unpack(">HH", source.read_at(body_at + 1, 4, "SOF"))
            out.width, out.height = width, height
        elif code == 0xE1:
            body = source.read_at(body_at, length - 2, "APP1 segment")
            if body.startswith(XMP_ID):
                out.entries.append(MetaEntry("jpeg/app1-xmp", "xmp", "", body[len(XMP_ID) :]))
            elif body.startswith(XMP_EXT_ID):
                part = body[len(XMP_EXT_ID) :]
                if len(part) < 40:  # GUID(32) full length(4) offset(4), then the chunk
                    out.deviations.append(f"jpeg: extended XMP block at byte {offset} is short")
                    offset += 2 + length
                    continue
                guid, chunk_at = part[:32], struct.unpack(">I", part[36:40])[0]
                extended.setdefault(guid, {})[chunk_at] = part[40:]
            elif body.startswith(EXIF_ID):
                try:
                    parse_tiff(body[len(EXIF_ID) :], "exif", out, source.limits)
                except ReaderError as exc:
                    out.deviations.append(str(exc))
        elif code == 0xEB:  # APP11: JUMBF, where C2PA stores its manifests
            out.c2pa_stores.append("jpeg/app11-jumbf")
        elif code == 0xDA:  # start of scan: metadata segments come before it
            break
        offset += 2 + length
    _check_end(source)
    _add_extended_xmp(extended, out)


def _add_extended_xmp(extended: dict[bytes, dict[int, bytes]], out: RawMetadata) -> None:
    """Reassemble the extended XMP named by the main packet's xmpNote:HasExtendedXMP."""
    if not extended:
        return
    main = next((e.value for e in out.entries if e.carrier == "jpeg/app1-xmp"), b"")
    match = _GUID.search(main) if isinstance(main, bytes) else None
    wanted = (match.group(1) or match.group(2)).upper() if match else None
    for guid, chunks in extended.items():
        if wanted is not None and guid.upper() != wanted:
            out.deviations.append(f"jpeg: extended XMP {guid.decode('latin-1')} not referenced")
            continue
        if wanted is None:
            out.deviations.append("jpeg: extended XMP without HasExtendedXMP in the main packet")
        packet = b"".join(chunks[k] for k in sorted(chunks))
        out.entries.append(MetaEntry("jpeg/app1-xmp-extended", "xmp", "", packet))
