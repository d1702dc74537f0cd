"""HEIF/AVIF: the label in an XMP metadata item (ISO/IEC 23008-12), coded images untouched.

The new (or updated) XMP packet is put in a small `mdat` appended to the file; `iinf` gains a
`mime` item of type application/rdf+xml, `iref` a `cdsc` reference from it to the primary
item, and `iloc` its location. The `meta` box grows, so the file offsets in `iloc` of data
stored after it are shifted by the growth; every other box and the coded image data are
copied unchanged.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from markcheck.readers.isobmff import C2PA_UUID
from markcheck.writers import WriterError, Written
from markcheck.writers.mp4 import Box, _box, _boxes
from markcheck.writers.xmp import set_label

_XMP_TYPE = b"application/rdf+xml"


@dataclass
class Item:
    item_id: int
    method: int
    reference: int  # data_reference_index
    extents: list[tuple[int, int, int]]  # (index, offset incl. base, length)


def _read_int(raw: bytes, at: int, size: int) -> tuple[int, int]:
    if at + size > len(raw):
        raise WriterError("heif: iloc box is truncated")
    return int.from_bytes(raw[at : at + size], "big"), at + size


def _parse_iloc(raw: bytes) -> tuple[int, int, int, int, list[Item]]:
    """(version, offset size, length size, index size, items) of an iloc body."""
    version = raw[0]
    if version > 2:
        raise WriterError(f"heif: iloc version {version} is not known")
    off_size, len_size = raw[4] >> 4, raw[4] & 15
    base_size, idx_size = raw[5] >> 4, (raw[5] & 15) if version in (1, 2) else 0
    at = 6
    count, at = _read_int(raw, at, 2 if version < 2 else 4)
    items = []
    for _ in range(count):
        item_id, at = _read_int(raw, at, 2 if version < 2 else 4)
        method = 0
        if version in (1, 2):
            value, at = _read_int(raw, at, 2)
            method = value & 15
        reference, at = _read_int(raw, at, 2)
        base, at = _read_int(raw, at, base_size)
        n, at = _read_int(raw, at, 2)
        extents = []
        for _ in range(n):
            index, at = _read_int(raw, at, idx_size)
            offset, at = _read_int(raw, at, off_size)
            length, at = _read_int(raw, at, len_size)
            extents.append((index, base + offset, length))
        items.append(Item(item_id, method, reference, extents))
    return version, off_size, len_size, idx_size, items


def _build_iloc(version: int, len_size: int, idx_size: int, items: list[Item]) -> bytes:
    """An iloc with base offsets folded into the extents (base_offset_size 0)."""
    largest = max((o for item in items for _, o, _ in item.extents), default=0)
    off_size = 8 if largest > 0xFFFFFFFF else 4
    if any(item.item_id > 0xFFFF for item in items):
        version = 2
    id_size = 2 if version < 2 else 4
    body = bytearray(bytes([version, 0, 0, 0, (off_size << 4) | len_size, idx_size]))
    body += len(items).to_bytes(id_size, "big")
    for item in items:
        body += item.item_id.to_bytes(id_size, "big")
        if version in (1, 2):
            body += item.method.to_bytes(2, "big")
        body += item.reference.to_bytes(2, "big")
        body += len(item.extents).to_bytes(2, "big")
        for index, offset, length in item.extents:
            if version in (1, 2):
                body += index.to_bytes(idx_size, "big")
            body += offset.to_bytes(off_size, "big") + length.to_bytes(len_size, "big")
    return _box(b"iloc", bytes(body))


def _infe_items(data: bytes, iinf: Box) -> tuple[int, list[Box], dict[int, bytes]]:
    """iinf version, its infe boxes, and item id -> item type (or content type for mime)."""
    version = data[iinf.body]
    start = iinf.body + (6 if version == 0 else 8)
    boxes = [b for b in _boxes(data, start, iinf.end) if b.kind == b"infe"]
    kinds = {}
    for infe in boxes:
        raw = data[infe.body : infe.end]
        if raw[0] < 2:
            continue
        id_size = 2 if raw[0] == 2 else 4
        item_id = int.from_bytes(raw[4 : 4 + id_size], "big")
        at = 4 + id_size + 2
        item_type = raw[at : at + 4]
        if item_type == b"mime":
            tail = raw[at + 4 :].partition(b"\x00")[2]
            kinds[item_id] = tail.split(b"\x00", 1)[0]
        else:
            kinds[item_id] = item_type
    return version, boxes, kinds


def write_heif(data: bytes, value: str, fmt: str = "heif") -> Written:
    top = _boxes(data, 0, len(data))
    if any(b.kind == b"uuid" and data[b.body : b.body + 16] == C2PA_UUID for b in top):
        raise WriterError(f"{fmt}: has a C2PA manifest; see --sign")
    metas = [b for b in top if b.kind == b"meta"]
    if len(metas) != 1:
        raise WriterError(f"{fmt}: {len(metas)} top-level meta boxes; expected one")
    meta = metas[0]
    children = _boxes(data, meta.body + 4, meta.end)
    named = {c.kind: c for c in children}
    if b"iloc" not in named or b"iinf" not in named or b"pitm" not in named:
        raise WriterError(f"{fmt}: meta without iloc, iinf or pitm; not edited")
    version, _off, len_size, idx_size, items = _parse_iloc(
        data[named[b"iloc"].body : named[b"iloc"].end]
    )
    iinf_version, infes, kinds = _infe_items(data, named[b"iinf"])
    xmp_ids = [i for i, k in kinds.items() if k == _XMP_TYPE]
    if len(xmp_ids) > 1:
        raise WriterError(f"{fmt}: more than one XMP item; not edited")
    by_id = {item.item_id: item for item in items}
    old = None
    if xmp_ids:
        item = by_id.get(xmp_ids[0])
        if item is None or item.method != 0 or item.reference != 0:
            raise WriterError(f"{fmt}: the XMP item is not stored in this file; not edited")
        old = b"".join(data[o : o + n] for _, o, n in item.extents)
    packet, action = set_label(old, value)
    pitm = data[named[b"pitm"].body : named[b"pitm"].end]
    primary = int.from_bytes(pitm[4:6] if pitm[0] == 0 else pitm[4:8], "big")
    xmp_id = xmp_ids[0] if xmp_ids else max([primary, *kinds, *by_id]) + 1
    new_iinf = _new_iinf(data, named[b"iinf"], iinf_version, infes, None if xmp_ids else xmp_id)
    new_iref = _new_iref(data, named.get(b"iref"), None if xmp_ids else (xmp_id, primary))
    if len_size < 4:
        if any(n for item in items for _, _, n in item.extents):
            len_size = max(len_size, 4)
        len_size = 4 if len_size == 0 else len_size

    # First pass with a placeholder location, to learn how much meta grows.
    def build(shift: int, xmp_at: int) -> bytes:
        located = []
        for item in items:
            if item.item_id == xmp_id:
                continue
            extents = item.extents
            if item.method == 0 and item.reference == 0:
                extents = [(i, o + shift if o >= meta.end else o, n) for i, o, n in extents]
            located.append(Item(item.item_id, item.method, item.reference, extents))
        located.append(Item(xmp_id, 0, 0, [(0, xmp_at, len(packet))]))
        located.sort(key=lambda item: item.item_id)
        iloc = _build_iloc(version, len_size, idx_size, located)
        parts = []
        for child in children:
            if child.kind == b"iloc":
                parts.append(iloc)
            elif child.kind == b"iinf":
                parts.append(new_iinf)
            elif child.kind == b"iref":
                parts.append(new_iref)
            else:
                parts.append(data[child.start : child.end])
        if b"iref" not in named:
            parts.append(new_iref)
        return _box(b"meta", data[meta.body : meta.body + 4] + b"".join(parts))

    trial = build(0, 0xFFFFFFFF)  # a placeholder location, to learn how much meta grows
    shift = len(trial) - (meta.end - meta.start)
    tail = _sized_tail(data, top)
    xmp_at = meta.start + len(trial) + len(tail) + 8
    new_meta = build(shift, xmp_at)
    if len(new_meta) != len(trial):
        raise WriterError(f"{fmt}: iloc size changed between passes; not edited")
    out = data[: meta.start] + new_meta + tail + _box(b"mdat", packet)
    return Written(out, f"xmp:{fmt}/meta/xmp-item", action)


def _sized_tail(data: bytes, top: list[Box]) -> bytes:
    """Everything after `meta`, with a last box "to the end of file" (size 0) given its size,
    so that a box can follow it."""
    meta = next(b for b in top if b.kind == b"meta")
    tail = bytearray(data[meta.end :])
    last = top[-1]
    if last.start >= meta.end and struct.unpack(">I", data[last.start : last.start + 4])[0] == 0:
        size = last.end - last.start
        if size > 0xFFFFFFFF:
            raise WriterError("a final box of unstated size over 4 GiB; not edited")
        at = last.start - meta.end
        tail[at : at + 4] = struct.pack(">I", size)
    return bytes(tail)


def _new_iinf(data: bytes, iinf: Box, version: int, infes: list[Box], new_id: int | None) -> bytes:
    entries = [data[b.start : b.end] for b in infes]
    if new_id is not None:
        infe_version = 2 if new_id <= 0xFFFF else 3
        body = bytes([infe_version, 0, 0, 0]) + new_id.to_bytes(
            2 if infe_version == 2 else 4, "big"
        )
        body += b"\x00\x00" + b"mime" + b"XMP\x00" + _XMP_TYPE + b"\x00"
        entries.append(_box(b"infe", body))
    count = len(entries).to_bytes(2 if version == 0 else 4, "big")
    return _box(b"iinf", data[iinf.body : iinf.body + 4] + count + b"".join(entries))


def _new_iref(data: bytes, iref: Box | None, link: tuple[int, int] | None) -> bytes:
    if iref is None and link is None:
        return b""
    version = data[iref.body] if iref is not None else 0
    body = bytearray(data[iref.body : iref.end] if iref is not None else b"\x00\x00\x00\x00")
    if link is not None:
        size = 2 if version == 0 else 4
        if size == 2 and max(link) > 0xFFFF:
            raise WriterError("heif: item id too large for a version 0 iref")
        xmp_id, primary = link
        ref = xmp_id.to_bytes(size, "big") + (1).to_bytes(2, "big") + primary.to_bytes(size, "big")
        body += _box(b"cdsc", ref)
    return _box(b"iref", bytes(body))
