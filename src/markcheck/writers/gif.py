"""GIF: the label in the XMP application extension ("XMP DataXMP" + packet + magic trailer).

The packet goes right after the global colour table; frames and other extensions are copied.
A GIF87a file becomes GIF89a (extensions exist only in 89a; the image data is unchanged).
"""

from __future__ import annotations

from markcheck.readers.gif import XMP_APP
from markcheck.writers import WriterError, Written
from markcheck.writers.xmp import set_label

# The 258-byte "magic trailer": lets a decoder that reads the packet as sub-blocks skip it.
MAGIC_TRAILER = b"\x01" + bytes(range(0xFF, -1, -1)) + b"\x00"


def _skip(data: bytes, offset: int) -> int:
    while True:
        if offset >= len(data):
            raise WriterError("gif: data sub-block runs past the end; file truncated")
        size = data[offset]
        if size == 0:
            return offset + 1
        offset += 1 + size


def _blocks(data: bytes) -> tuple[int, list[tuple[int, int, bool]]]:
    """End of the header+GCT, and (start, end, is_xmp) of every block up to the trailer."""
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise WriterError("gif: bad header")
    flags = data[10]
    offset = 13 + (3 * (2 ** ((flags & 7) + 1)) if flags & 0x80 else 0)
    head, out = offset, []
    while True:
        if offset >= len(data):
            raise WriterError("gif: no trailer; file truncated")
        intro = data[offset]
        if intro == 0x3B:
            return head, out
        start = offset
        if intro == 0x21:
            label = data[offset + 1 : offset + 2]
            is_xmp = label == b"\xff" and data[offset + 2 : offset + 14] == b"\x0b" + XMP_APP
            if is_xmp:
                close = data.find(MAGIC_TRAILER, offset + 14)
                if close < 0:
                    raise WriterError("gif: XMP extension without its magic trailer; not edited")
                offset = close + len(MAGIC_TRAILER)
            else:
                offset = _skip(data, offset + 2 + (1 + data[offset + 2] if label == b"\xff" else 0))
            out.append((start, offset, is_xmp))
        elif intro == 0x2C:
            if offset + 10 > len(data):
                raise WriterError("gif: image descriptor truncated")
            flags = data[offset + 9]
            offset += 10 + (3 * (2 ** ((flags & 7) + 1)) if flags & 0x80 else 0)
            offset = _skip(data, offset + 1)
            out.append((start, offset, False))
        else:
            raise WriterError(f"gif: unexpected block 0x{intro:02x} at byte {offset}")


def write_gif(data: bytes, value: str) -> Written:
    head, blocks = _blocks(data)
    xmp = [(s, e) for s, e, is_xmp in blocks if is_xmp]
    if len(xmp) > 1:
        raise WriterError("gif: more than one XMP extension; not edited")
    old = data[xmp[0][0] + 14 : xmp[0][1] - len(MAGIC_TRAILER)] if xmp else None
    packet, action = set_label(old, value)
    if b"\x00" in packet:
        raise WriterError("gif: XMP packet holds a NUL byte; cannot be carried")
    extension = b"\x21\xff\x0b" + XMP_APP + packet + MAGIC_TRAILER
    version = b"GIF89a" + data[6:head]
    if xmp:
        start, end = xmp[0]
        new = version + data[head:start] + extension + data[end:]
    else:
        new = version + extension + data[head:]
    return Written(new, "xmp:gif/app-XMP", action)
