"""WebP: the label in the RIFF `XMP ` chunk, with the VP8X XMP flag set (simple files gain a
VP8X header, as the WebP container spec requires for metadata). Bitstream chunks are copied."""

from __future__ import annotations

import struct

from markcheck.writers import WriterError, Written
from markcheck.writers.xmp import set_label

_XMP_FLAG, _ALPHA_FLAG = 0x04, 0x10


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise WriterError("webp: not a RIFF WEBP file")
    declared = struct.unpack("<I", data[4:8])[0] + 8
    if declared > len(data):
        raise WriterError(f"webp: RIFF size {declared} exceeds the file ({len(data)} bytes)")
    return chunks_within(data, 12, declared)


def chunks_within(data: bytes, offset: int, end: int) -> list[tuple[bytes, bytes]]:
    """The RIFF chunks in `data[offset:end]`: the file's, or those inside an ANMF frame."""
    out = []
    while offset + 8 <= end:
        kind, length = struct.unpack("<4sI", data[offset : offset + 8])
        if offset + 8 + length > end:
            raise WriterError(f"webp: chunk {kind!r} at byte {offset} runs past the end")
        out.append((kind, data[offset + 8 : offset + 8 + length]))
        offset += 8 + length + (length & 1)
    return out


def _chunk(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) & 1 else b"")


def _vp8x_for(kind: bytes, body: bytes) -> bytes:
    """A VP8X header for a simple (VP8 / VP8L) file: canvas size and alpha from its bitstream."""
    if kind == b"VP8L" and len(body) >= 5:
        bits = int.from_bytes(body[1:5], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        flags = _ALPHA_FLAG if bits >> 28 & 1 else 0
    elif kind == b"VP8 " and len(body) >= 10:
        width, height = (v & 0x3FFF for v in struct.unpack("<HH", body[6:10]))
        flags = 0
    else:
        raise WriterError("webp: no image bitstream to size the canvas from")
    return (
        bytes([flags, 0, 0, 0])
        + (width - 1).to_bytes(3, "little")
        + (height - 1).to_bytes(3, "little")
    )


def write_webp(data: bytes, value: str, c2pa_ok: bool = False) -> Written:
    chunks = _chunks(data)
    kinds = [kind for kind, _ in chunks]
    if not c2pa_ok and b"C2PA" in kinds:
        raise WriterError("webp: has a C2PA manifest; see --sign")
    if kinds.count(b"XMP ") > 1:
        raise WriterError("webp: more than one XMP chunk; not edited")
    old = next((body for kind, body in chunks if kind == b"XMP "), None)
    packet, action = set_label(old, value)
    if kinds[0] != b"VP8X":
        bitstream = [c for c in chunks if c[0] in (b"VP8 ", b"VP8L")]
        if len(bitstream) != 1:
            raise WriterError("webp: simple file without exactly one bitstream chunk")
        chunks.insert(0, (b"VP8X", _vp8x_for(*bitstream[0])))
    head = bytearray(chunks[0][1])
    head[0] |= _XMP_FLAG
    chunks[0] = (b"VP8X", bytes(head))
    if old is None:
        chunks.append((b"XMP ", packet))
    else:
        chunks = [(k, packet if k == b"XMP " else b) for k, b in chunks]
    body = b"WEBP" + b"".join(_chunk(kind, b) for kind, b in chunks)
    return Written(b"RIFF" + struct.pack("<I", len(body)) + body, "xmp:webp/XMP", action)
