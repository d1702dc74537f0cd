"""JPEG: the label in the APP1 XMP segment (TC260-PG-20259A), entropy-coded data untouched."""

from __future__ import annotations

import struct

from markcheck.readers.jpeg import EXIF_ID, XMP_EXT_ID, XMP_ID
from markcheck.writers import WriterError, Written
from markcheck.writers.xmp import set_label

_MAX_SEGMENT = 0xFFFF - 2  # a segment's payload after its length field


def _segments(data: bytes) -> list[tuple[int, int, int]]:
    """(marker, start, end) of every segment before the first SOS; end of header last."""
    if data[:2] != b"\xff\xd8":
        raise WriterError("jpeg: no SOI marker")
    out, offset = [], 2
    while True:
        if offset + 4 > len(data) or data[offset] != 0xFF:
            raise WriterError(f"jpeg: no marker at byte {offset}; file truncated or corrupt")
        code = data[offset + 1]
        if code == 0xFF:
            offset += 1
            continue
        if code == 0xDA or code == 0xD9:
            return out
        length = struct.unpack(">H", data[offset + 2 : offset + 4])[0]
        end = offset + 2 + length
        if length < 2 or end > len(data):
            raise WriterError(f"jpeg: segment at byte {offset} runs past the end of the file")
        out.append((code, offset, end))
        offset = end


def write_jpeg(data: bytes, value: str, c2pa_ok: bool = False) -> Written:
    segments = _segments(data)
    if not c2pa_ok and any(code == 0xEB for code, _, _ in segments):
        raise WriterError("jpeg: has a C2PA manifest (APP11); see --sign")
    xmp = [(s, e) for code, s, e in segments if code == 0xE1 and data[s + 4 :].startswith(XMP_ID)]
    if any(code == 0xE1 and data[s + 4 :].startswith(XMP_EXT_ID) for code, s, _ in segments):
        raise WriterError("jpeg: extended XMP is present; markcheck does not rewrite it")
    if len(xmp) > 1:
        raise WriterError("jpeg: more than one main XMP segment; not edited")
    if xmp:
        start, end = xmp[0]
        old = data[start + 4 + len(XMP_ID) : end]
    else:
        # After APP0 (JFIF) and an EXIF APP1, where readers expect the XMP segment.
        start = end = 2
        for code, s, e in segments:
            is_exif = code == 0xE1 and data[s + 4 :].startswith(EXIF_ID)
            if code == 0xE0 or is_exif:
                start = end = e
            else:
                break
        old = None
    packet, action = set_label(old, value)
    payload = XMP_ID + packet
    if len(payload) > _MAX_SEGMENT - 2:
        raise WriterError(f"jpeg: XMP packet of {len(payload)} bytes does not fit one segment")
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return Written(data[:start] + segment + data[end:], "xmp:jpeg/app1-xmp", action)
