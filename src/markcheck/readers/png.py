"""PNG: text chunks (tEXt, zTXt, iTXt), XMP, eXIf; IHDR size.

XMP is read from an iTXt chunk keyed `XML:com.adobe.xmp` (the PNG convention), from a tEXt or
zTXt chunk with that key (how Exiv2 writes it) and from ImageMagick's hex-encoded
`Raw profile type xmp`. Text chunks after the image data are read and noted as such.
"""

from __future__ import annotations

import struct
import zlib

from markcheck.readers import MetaEntry, RawMetadata, ReaderError
from markcheck.readers.exif import parse_tiff
from markcheck.readers.source import Source

SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEYWORD = "XML:com.adobe.xmp"
RAW_XMP_KEYWORD = "Raw profile type xmp"  # ImageMagick: "\nxmp\n   <length>\n<hex lines>"
_TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"eXIf"}


def _inflate(data: bytes, limit: int, what: str, out: RawMetadata) -> bytes | None:
    """Bounded inflate: a zlib bomb stops at `limit` bytes and is reported, not expanded."""
    inflater = zlib.decompressobj()
    try:
        result = inflater.decompress(data, limit)
    except zlib.error as exc:
        out.deviations.append(f"{what}: compressed text does not inflate ({exc})")
        return None
    if inflater.unconsumed_tail:
        out.deviations.append(f"{what}: inflates past the {limit}-byte limit; not read")
        return None
    return result


def _raw_profile(text: bytes) -> bytes | None:
    """ImageMagick's raw profile: a name line, a decimal length line, then hex digits."""
    parts = text.strip().split(b"\n", 2)
    if len(parts) < 3:
        return None
    try:
        return bytes.fromhex(parts[2].decode("ascii").replace("\n", "").replace(" ", ""))
    except (UnicodeDecodeError, ValueError):
        return None


def _xmp_entry(kind: bytes, name: str, raw: bytes, out: RawMetadata, notes: list[str]) -> bool:
    """Keep an XMP packet held in a text chunk; True when the chunk was one."""
    if name == RAW_XMP_KEYWORD:
        packet = _raw_profile(raw)
        if packet is None:
            out.deviations.append(f"png/{kind.decode()}:{name}: raw profile is not hex")
            return True
    elif name == XMP_KEYWORD:
        packet = raw
    else:
        return False
    out.entries.append(MetaEntry(f"png/{kind.decode()}:{name}", "xmp", "", packet, list(notes)))
    return True


def _text_entry(
    kind: bytes, body: bytes, out: RawMetadata, limit: int, notes: list[str] | None = None
) -> None:
    notes = notes or []
    keyword, sep, rest = body.partition(b"\x00")
    name = keyword.decode("latin-1")
    what = f"png/{kind.decode()}:{name}"
    if not sep:
        out.deviations.append(f"{what}: no keyword separator")
        return
    if kind == b"tEXt":
        if _xmp_entry(kind, name, rest, out, notes):
            return
        value = rest.decode("latin-1")
    elif kind == b"zTXt":
        raw = _inflate(rest[1:], limit, what, out)
        if raw is None or _xmp_entry(kind, name, raw, out, notes):
            return
        value = raw.decode("latin-1")
    else:  # iTXt: flag, method, language\0, translated keyword\0, text (UTF-8)
        if len(rest) < 2:
            out.deviations.append(f"{what}: truncated header")
            return
        compressed = rest[0] == 1
        _lang, _, rest2 = rest[2:].partition(b"\x00")
        _translated, _, text = rest2.partition(b"\x00")
        if compressed:
            text = _inflate(text, limit, what, out)
            if text is None:
                return
        if _xmp_entry(kind, name, text, out, notes):
            return
        value = text.decode("utf-8", "replace")
    out.entries.append(MetaEntry(f"png/{kind.decode()}", "text", name, value, list(notes)))


def read_png(source: Source, out: RawMetadata) -> None:
    if source.read_at(0, 8, "signature") != SIGNATURE:
        raise ReaderError("png: bad signature")
    offset = 8
    out.c2pa_stores = []
    after_image: list[str] = []  # set once IDAT is seen: metadata there is read late
    while True:
        source.count()
        if offset + 8 > source.size:
            raise ReaderError(f"png: no IEND chunk; file truncated at byte {source.size}")
        length, kind = struct.unpack(">I4s", source.read_at(offset, 8, "chunk header"))
        end = offset + 12 + length
        if end > source.size:
            raise ReaderError(
                f"png: chunk {kind!r} at byte {offset} claims {length} bytes, past the end "
                f"of the file ({source.size} bytes)"
            )
        if kind == b"IHDR":
            out.width, out.height = struct.unpack(">II", source.read_at(offset + 8, 8, "IHDR"))
        elif kind in _TEXT_CHUNKS:
            body = source.read_at(offset + 8, length, f"{kind.decode()} chunk")
            crc = struct.unpack(">I", source.read_at(offset + 8 + length, 4, "CRC"))[0]
            if zlib.crc32(kind + body) != crc:
                out.deviations.append(f"png: {kind.decode()} chunk at byte {offset} has a bad CRC")
            if kind == b"eXIf":
                try:
                    parse_tiff(body, "png/eXIf", out, source.limits)
                except ReaderError as exc:
                    out.deviations.append(str(exc))
            else:
                _text_entry(kind, body, out, source.limits.max_inflate_bytes, after_image)
        elif kind == b"caBX":  # C2PA manifest store
            out.c2pa_stores.append("png/caBX")
        elif kind == b"IDAT" and not after_image:
            after_image.append(
                "stored after the image data (IDAT); readers that stop at the pixels miss it"
            )
        elif kind == b"IEND":
            return
        offset = end
