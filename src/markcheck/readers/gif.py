"""GIF: the XMP application extension ("XMP DataXMP"); logical screen size."""

from __future__ import annotations

import struct

from markcheck.readers import MetaEntry, RawMetadata, ReaderError
from markcheck.readers.source import Source

XMP_APP = b"XMP DataXMP"
_BLOCK_READ = 1 << 16


def _skip_sub_blocks(source: Source, offset: int) -> tuple[int, list[tuple[int, int]]]:
    """Walk data sub-blocks from `offset`; return the offset after the terminator and spans."""
    spans = []
    while True:
        size = source.read_at(offset, 1, "sub-block size")[0]
        if size == 0:
            return offset + 1, spans
        spans.append((offset + 1, size))
        offset += 1 + size
        if offset > source.size:
            raise ReaderError("gif: data sub-block runs past the end; file truncated")


def _xmp_packet(source: Source, start: int, end: int) -> bytes:
    """XMP in GIF is raw bytes (its 'sub-block sizes' are XML text) ended by a magic trailer."""
    raw = source.read_at(start, min(end - start, source.limits.max_entry_bytes), "XMP data")
    close = raw.find(b"<?xpacket end=")
    if close >= 0:
        stop = raw.find(b"?>", close)
        return raw[: stop + 2] if stop >= 0 else raw[:close]
    close = raw.find(b"</x:xmpmeta>")
    return raw[: close + len(b"</x:xmpmeta>")] if close >= 0 else raw


def read_gif(source: Source, out: RawMetadata) -> None:
    header = source.read_at(0, 13, "header")
    out.width, out.height = struct.unpack("<HH", header[6:10])
    flags = header[10]
    offset = 13 + (3 * (2 ** ((flags & 7) + 1)) if flags & 0x80 else 0)
    while True:
        source.count()
        introducer = source.read_at(offset, 1, "block introducer")[0]
        if introducer == 0x3B:  # trailer
            return
        if introducer == 0x21:
            label, size = source.read_at(offset + 1, 2, "extension header")
            if label == 0xFF and size == 11:
                ident = source.read_at(offset + 3, 11, "application id")
                data_at = offset + 14
                after, _ = _skip_sub_blocks(source, data_at)
                if ident == XMP_APP:
                    packet = _xmp_packet(source, data_at, after)
                    out.entries.append(MetaEntry("gif/app-XMP", "xmp", "", packet))
                offset = after
            else:
                offset, _ = _skip_sub_blocks(source, offset + 2)
        elif introducer == 0x2C:  # image descriptor, local colour table, LZW data
            flags = source.read_at(offset + 9, 1, "image descriptor")[0]
            offset += 10 + (3 * (2 ** ((flags & 7) + 1)) if flags & 0x80 else 0)
            offset, _ = _skip_sub_blocks(source, offset + 1)
        else:
            raise ReaderError(f"gif: unexpected block 0x{introducer:02x} at byte {offset}")
