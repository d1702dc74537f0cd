"""Crafted files that once stalled or crashed the metadata readers, built from real encoders'
output (Pillow's AVIF and JPEG, PNG) with one structure made hostile.

Each builder returns the bytes and what the report must say: a status and a fragment of the
reason (error message or note) that follows from how the bytes were made.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import media_builders as mb

XMP_EXT_ID = b"http://ns.adobe.com/xmp/extension/\x00"
# Items x zero-length extents in the crafted `iloc`: 13 million extents in 1.6 KB.
ILOC_ITEMS, ILOC_EXTENTS = 200, 65535
FULL_BOXES = {b"meta", b"iinf"}  # version(1) + flags(3) before their children
CHILD_SKIP = {b"meta": 4, b"iinf": 6}  # bytes before the first child (iinf v0: + count16)


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """(kind, body) of each box in `data`, in order."""
    out, at = [], 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        out.append((kind, data[at + 8 : at + size]))
        at += size
    return out


def replace_box(data: bytes, path: list[bytes], new: bytes | None, nth: int = 0) -> bytes:
    """`data` (a sequence of boxes) with the box at `path` replaced by `new` (whole box bytes);
    the sizes of its parents are rewritten. `nth` picks among same-kind siblings at the end."""
    out, seen = b"", 0
    for kind, body in boxes(data):
        if kind != path[0]:
            out += box(kind, body)
        elif len(path) == 1:
            out += (new if seen == nth else box(kind, body)) if new is not None else b""
            seen += 1
        else:
            skip = CHILD_SKIP.get(kind, 0)
            out += box(kind, body[:skip] + replace_box(body[skip:], path[1:], new, nth))
    return out


def iloc_bomb() -> bytes:
    """iloc v1: every item with 65,535 extents of zero-size offset and length fields."""
    body = b"\x01\x00\x00\x00" + bytes([0x00, 0x00]) + struct.pack(">H", ILOC_ITEMS)
    for item in range(ILOC_ITEMS):
        body += struct.pack(">HHH", item + 1, 0, 0) + struct.pack(">H", ILOC_EXTENTS)
    return box(b"iloc", body)


def with_brand(data: bytes, brand: bytes) -> bytes:
    """The same file with another major brand (HEIF and AVIF share the `meta` layout)."""
    return data[:8] + brand + data[12:]


def build(tmp: Path, xmp: bytes) -> dict[str, tuple[bytes, str, str]]:
    """name -> (bytes, status, reason fragment)."""
    avif = mb.avif(tmp / "crafted-base.avif", xmp).read_bytes()
    heif = with_brand(avif, b"heic")
    png = mb.png(tmp / "crafted-base.png").read_bytes()
    jpeg = mb.jpeg(tmp / "crafted-base.jpg").read_bytes()
    ftyp = box(b"ftyp", b"isom\x00\x00\x02\x00isom")
    short_infe = box(b"infe", b"\x02\x00\x00\x00\x00")
    over = "more than 4096"  # Limits.max_entries
    return {
        "heif-iloc-extents.heic": (
            replace_box(heif, [b"meta", b"iloc"], iloc_bomb()),
            "error",
            over,
        ),
        "avif-iloc-extents.avif": (
            replace_box(avif, [b"meta", b"iloc"], iloc_bomb()),
            "error",
            over,
        ),
        "heif-short-iloc.heic": (
            replace_box(heif, [b"meta", b"iloc"], box(b"iloc", b"\x01\x00\x00\x00\x44")),
            "error",
            "iloc box",
        ),
        "heif-iloc-odd-sizes.heic": (
            replace_box(
                heif, [b"meta", b"iloc"], box(b"iloc", b"\x01\x00\x00\x00\x33\x00\x00\x00")
            ),
            "error",
            "not 0, 4 or 8",
        ),
        "avif-short-infe.avif": (
            replace_box(avif, [b"meta", b"iinf", b"infe"], short_infe, nth=1),
            "error",
            "infe box",
        ),
        "mp4-short-mvhd.mp4": (ftyp + box(b"moov", box(b"mvhd", b"")), "not_applicable", ""),
        "jpeg-short-extended-xmp.jpg": (
            jpeg[:2]
            + b"\xff\xe1"
            + struct.pack(">H", 2 + len(XMP_EXT_ID) + 8)
            + XMP_EXT_ID
            + b"ABCDEFGH"
            + jpeg[2:],
            "not_applicable",
            "extended XMP block",
        ),  # fmt: skip
        "png-exif-ifd-count.png": (
            png[:33] + chunk(b"eXIf", b"MM\x00*\x00\x00\x00\x08\xff\xff") + png[33:],
            "not_applicable",
            "65535 entries",
        ),
        "png-itxt-short.png": (
            png[:33] + chunk(b"iTXt", b"AIGC\x00\x01") + png[33:],
            "not_applicable",
            "truncated header",
        ),
    }
