"""TIFF: the label in IFD0 tag 700 (XMP). Strips, tiles and other IFDs are not moved.

IFD0 cannot grow in place, so a copy of it with tag 700 set is appended to the file, together
with the new XMP packet, and the header is pointed at the copy. Every value offset in IFD0 still
points at the same bytes, so image data is untouched; the old IFD0 stays as unused bytes.
"""

from __future__ import annotations

import struct

from markcheck.readers.exif import TAG_XMP
from markcheck.writers import WriterError, Written
from markcheck.writers.xmp import set_label

_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_BYTE = 1  # the XMP spec (part 3) and exiftool: tag 700 is BYTE


def write_tiff(data: bytes, value: str) -> Written:
    head = data[:8]
    if head[:4] not in (b"II*\x00", b"MM\x00*"):
        if head[:4] in (b"II+\x00", b"MM\x00+"):
            raise WriterError("tiff: BigTIFF is not written by markcheck")
        raise WriterError("tiff: not a TIFF file")
    e = "<" if head[:2] == b"II" else ">"
    ifd0 = struct.unpack(e + "I", head[4:8])[0]
    if ifd0 + 2 > len(data):
        raise WriterError(f"tiff: IFD0 offset {ifd0} past the end of the file")
    count = struct.unpack(e + "H", data[ifd0 : ifd0 + 2])[0]
    table_end = ifd0 + 2 + 12 * count
    if table_end + 4 > len(data):
        raise WriterError(f"tiff: IFD0 with {count} entries runs past the end of the file")
    entries = [data[ifd0 + 2 + 12 * i : ifd0 + 14 + 12 * i] for i in range(count)]
    next_ifd = data[table_end : table_end + 4]
    old = None
    for entry in entries:
        tag, typ, n = struct.unpack(e + "HHI", entry[:8])
        if tag == TAG_XMP:
            size = _TYPE_SIZES.get(typ, 1) * n
            at = struct.unpack(e + "I", entry[8:12])[0] if size > 4 else None
            if at is None or at + size > len(data):
                raise WriterError("tiff: tag 700 value is not where it says; not edited")
            old = data[at : at + size]
    packet, action = set_label(old, value)
    out = bytearray(data)
    if len(out) & 1:
        out += b"\x00"  # TIFF values and IFDs start on a word boundary
    packet_at = len(out)
    out += packet + (b"\x00" if len(packet) & 1 else b"")
    xmp_entry = struct.pack(e + "HHII", TAG_XMP, _BYTE, len(packet), packet_at)
    kept = [entry for entry in entries if struct.unpack(e + "H", entry[:2])[0] != TAG_XMP]
    table = sorted([*kept, xmp_entry], key=lambda entry: struct.unpack(e + "H", entry[:2])[0])
    new_ifd = len(out)
    if new_ifd > 0xFFFFFFFF - 2 - 12 * len(table):
        raise WriterError("tiff: file too large for 32-bit offsets")
    out += struct.pack(e + "H", len(table)) + b"".join(table) + next_ifd
    out[4:8] = struct.pack(e + "I", new_ifd)
    return Written(bytes(out), "xmp:tiff/tag700", action)
