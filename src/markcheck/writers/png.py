"""PNG: the label in the `iTXt` XMP chunk (default) or a `tEXt` chunk keyed `AIGC`.

GB 45438 asks for one label per file: whichever carrier is written, a label in the other PNG
carrier is taken out (and reported), so the file ends with exactly one. IDAT is copied as is.
"""

from __future__ import annotations

import struct
import zlib

from markcheck.readers.png import SIGNATURE, XMP_KEYWORD
from markcheck.writers import WriterError, Written
from markcheck.writers.xmp import has_label, set_label

_TEXT = (b"tEXt", b"zTXt", b"iTXt")
_MAX_INFLATE = 16 * 1024 * 1024


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if data[:8] != SIGNATURE:
        raise WriterError("png: bad signature")
    out, offset = [], 8
    while True:
        if offset + 12 > len(data):
            raise WriterError("png: no IEND chunk; file truncated")
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        end = offset + 12 + length
        if end > len(data):
            raise WriterError(f"png: chunk {kind!r} at byte {offset} runs past the end")
        body = data[offset + 8 : offset + 8 + length]
        if struct.unpack(">I", data[end - 4 : end])[0] != zlib.crc32(kind + body):
            raise WriterError(f"png: chunk {kind!r} at byte {offset} has a bad CRC")
        out.append((kind, body))
        if kind == b"IEND":
            return out
        offset = end


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _keyword(body: bytes) -> str:
    return body.partition(b"\x00")[0].decode("latin-1")


def _itxt_text(body: bytes) -> bytes:
    rest = body.partition(b"\x00")[2]
    compressed = rest[:1] == b"\x01"
    text = rest[2:].partition(b"\x00")[2].partition(b"\x00")[2]
    if not compressed:
        return text
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(text, _MAX_INFLATE)
    except zlib.error as exc:
        raise WriterError(f"png: compressed XMP does not inflate ({exc})") from None
    if inflater.unconsumed_tail:
        raise WriterError("png: compressed XMP inflates past the limit; not edited")
    return out


def write_png(data: bytes, value: str, carrier: str = "xmp", c2pa_ok: bool = False) -> Written:
    chunks = _chunks(data)
    if not c2pa_ok and any(kind == b"caBX" for kind, _ in chunks):
        raise WriterError("png: has a C2PA manifest (caBX); see --sign")
    is_xmp = [k == b"iTXt" and _keyword(b) == XMP_KEYWORD for k, b in chunks]
    is_text_label = [k in _TEXT and _keyword(b).upper() == "AIGC" for k, b in chunks]
    if sum(is_xmp) > 1:
        raise WriterError("png: more than one XMP chunk; not edited")
    old_xmp = next((_itxt_text(b) for (k, b), x in zip(chunks, is_xmp, strict=True) if x), None)
    xmp_has_label = old_xmp is not None and has_label(old_xmp)
    if any(is_text_label) and not xmp_has_label:
        carrier = "text"  # update the label where it is
    elif xmp_has_label:
        carrier = "xmp"
    removed: list[str] = []
    out: list[bytes] = [SIGNATURE]
    placed = False
    action = "updated" if any(is_text_label) or xmp_has_label else "added"
    if carrier == "xmp":
        packet, xmp_action = set_label(old_xmp, value)
        new = _chunk(b"iTXt", XMP_KEYWORD.encode() + b"\x00\x00\x00\x00\x00" + packet)
        where = "xmp:png/iTXt:XML:com.adobe.xmp"
        action = "updated" if xmp_has_label else action
    else:
        new = _chunk(b"tEXt", b"AIGC\x00" + value.encode("ascii"))
        where = "png/tEXt:AIGC"
    for (kind, body), xmp, text_label in zip(chunks, is_xmp, is_text_label, strict=True):
        if text_label:
            if carrier == "text" and not placed:
                out.append(new)
                placed = True
            elif carrier == "xmp":
                removed.append(f"png/{kind.decode()}:{_keyword(body)}")
            continue
        if xmp and carrier == "xmp":
            out.append(new)
            placed = True
            continue
        if xmp and carrier == "text" and xmp_has_label:
            raise WriterError("png: a label sits in the XMP chunk; cannot also write tEXt")
        if kind in (b"IDAT", b"IEND") and not placed:
            out.append(new)
            placed = True
        out.append(_chunk(kind, body))
    return Written(b"".join(out), where, action, tuple(removed))
