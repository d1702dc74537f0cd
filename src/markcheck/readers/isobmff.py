"""ISO-BMFF (MP4, MOV, HEIF, AVIF): metadata boxes, XMP, sizes and duration.

Read: `moov/udta/meta` and `moov/meta` (`hdlr` mdta + `keys` + `ilst`, as ffmpeg writes with
`-movflags use_metadata_tags`; `mdir` iTunes items), `udta` QuickTime text atoms (©cmt, ©too...),
`uuid` XMP boxes, and for HEIF/AVIF the top-level `meta` items (XMP `mime` items and `Exif`
items located through `iloc`). Media data (`mdat`) is never read.

Forms seen in MOV files from phone apps are read too, each noted on the entries it yields: a
QuickTime-style `meta` without the full-box header, `ilst` items without a `keys` box (named by
their atom type, or by the `name` of an iTunes `----` freeform item), and metadata stored after
the media data.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from markcheck.readers import MetaEntry, RawMetadata, ReaderError
from markcheck.readers.exif import parse_tiff
from markcheck.readers.source import Source

XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
C2PA_UUID = bytes.fromhex("D8FEC3D61B0E483C92975828877EC481")
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts", b"dinf"}
_TEXT_ATOM_MAX = 1 << 16
# The first child of a `meta` that is a plain container (QuickTime) rather than a full box.
_META_CHILDREN = {b"hdlr", b"keys", b"ilst", b"mdta", b"free", b"uuid"}
AFTER_MDAT = "stored after the media data (mdat); readers that stop at the media miss it"
QT_META = "meta box without the ISO full-box header (QuickTime style)"
NO_KEYS = "ilst item without a keys box (named by its atom)"


@dataclass
class Box:
    kind: bytes
    start: int  # offset of the box header
    body: int  # offset of the payload
    end: int


def _boxes(source: Source, start: int, end: int, where: str):
    offset = start
    while offset + 8 <= end:
        source.count()
        size, kind = struct.unpack(">I4s", source.read_at(offset, 8, f"{where} box header"))
        body = offset + 8
        if size == 1:
            size = struct.unpack(">Q", source.read_at(offset + 8, 8, "large size"))[0]
            body += 8
        elif size == 0:  # runs to the end of its container
            size = end - offset
        if size < body - offset or offset + size > end:
            raise ReaderError(
                f"{where}: box {kind.decode('latin-1')!r} at byte {offset} claims {size} bytes, "
                "past the end of its container or the file"
            )
        yield Box(kind, offset, body, offset + size)
        offset += size
    if offset < end and end - offset < 8 and any(source.read_at(offset, end - offset, "tail")):
        raise ReaderError(f"{where}: {end - offset} stray bytes at the end")


def _data_value(source: Source, box: Box) -> str | None:
    """The text in an iTunes-style `data` box: type(4) locale(4) value."""
    for inner in _boxes(source, box.body, box.end, "ilst item"):
        if inner.kind == b"data" and inner.end - inner.body >= 8:
            raw = source.read_at(inner.body + 8, inner.end - inner.body - 8, "ilst data")
            return raw.decode("utf-8", "replace")
    return None


def _freeform_name(source: Source, box: Box) -> str | None:
    """The `name` of an iTunes freeform `----` item (mean / name / data)."""
    for inner in _boxes(source, box.body, box.end, "freeform item"):
        if inner.kind == b"name" and 4 <= inner.end - inner.body <= _TEXT_ATOM_MAX:
            raw = source.read_at(inner.body + 4, inner.end - inner.body - 4, "freeform name")
            return raw.decode("utf-8", "replace")
    return None


def _meta_children_start(source: Source, box: Box) -> int:
    """`meta` is a full box in ISO files and a plain container in QuickTime: tell which."""
    probe = source.read_at(box.body, 8, "meta header") if box.end - box.body >= 8 else b""
    return box.body if probe[4:8] in _META_CHILDREN else box.body + 4


def _read_meta(
    source: Source, box: Box, carrier: str, out: RawMetadata, depth: int, notes: list[str]
) -> None:
    start = _meta_children_start(source, box)
    if start == box.body and "udta" in carrier:
        notes = [*notes, QT_META]
    keys: list[str] = []
    items: list[Box] = []
    heif: dict[bytes, Box] = {}
    for child in _boxes(source, start, box.end, carrier):
        if child.kind == b"keys":
            count = struct.unpack(">I", source.read_at(child.body + 4, 4, "keys count"))[0]
            at = child.body + 8
            for _ in range(min(count, source.limits.max_entries)):
                size = struct.unpack(">I", source.read_at(at, 4, "key size"))[0]
                if size < 8 or at + size > child.end:
                    raise ReaderError(f"{carrier}/keys: key entry at byte {at} is malformed")
                keys.append(source.read_at(at + 8, size - 8, "key").decode("utf-8", "replace"))
                at += size
        elif child.kind == b"ilst":
            items = list(_boxes(source, child.body, child.end, f"{carrier}/ilst"))
        elif child.kind in (b"iinf", b"iloc", b"idat"):
            heif[child.kind] = child
        elif child.kind == b"uuid":
            _read_uuid(source, child, f"{carrier}/uuid", out)
        elif child.kind == b"iprp":
            _read_image_size(source, child, out)
    for item in items:
        index = int.from_bytes(item.kind, "big")
        item_notes = notes
        if keys and 1 <= index <= len(keys):
            name, where = keys[index - 1], f"{carrier}/keys"
        else:
            name, where = item.kind.decode("latin-1"), f"{carrier}/ilst"
            if item.kind == b"----":
                name = _freeform_name(source, item) or name
            if not keys and name.upper() == "AIGC":
                item_notes = [*notes, NO_KEYS]
        value = _data_value(source, item)
        if value is not None:
            out.entries.append(MetaEntry(where, "text", name, value, list(item_notes)))
    if b"iinf" in heif and b"iloc" in heif:
        _read_heif_items(source, heif, out)


def _read_image_size(source: Source, iprp: Box, out: RawMetadata) -> None:
    """HEIF/AVIF: the largest `ispe` (image spatial extents) is the primary image's size."""
    for ipco in _boxes(source, iprp.body, iprp.end, "iprp"):
        if ipco.kind != b"ipco":
            continue
        for prop in _boxes(source, ipco.body, ipco.end, "ipco"):
            if prop.kind == b"ispe" and prop.end - prop.body >= 12:
                width, height = struct.unpack(">II", source.read_at(prop.body + 4, 8, "ispe"))
                if width * height > (out.width or 0) * (out.height or 0):
                    out.width, out.height = width, height


def _read_uuid(source: Source, box: Box, carrier: str, out: RawMetadata) -> None:
    kind = source.read_at(box.body, 16, "uuid") if box.end - box.body >= 16 else b""
    if kind == C2PA_UUID and out.c2pa_stores is not None:
        out.c2pa_stores.append(carrier)
    if kind == XMP_UUID:
        packet = source.read_at(box.body + 16, box.end - box.body - 16, "XMP uuid box")
        out.entries.append(MetaEntry(carrier, "xmp", "", packet))


def _read_text_atom(
    source: Source, box: Box, carrier: str, out: RawMetadata, notes: list[str]
) -> None:
    """QuickTime user-data text: (size16, language16, text)*, or an iTunes `data` box."""
    length = box.end - box.body
    if length < 4 or length > _TEXT_ATOM_MAX:
        return
    raw = source.read_at(box.body, length, "udta text atom")
    name = box.kind.decode("latin-1")
    if raw[4:8] == b"data":
        value = _data_value(source, box)
    else:
        size = struct.unpack(">H", raw[:2])[0]
        value = raw[4 : 4 + size].decode("utf-8", "replace")
    if value:
        out.entries.append(MetaEntry(f"{carrier}/{name}", "text", name, value, list(notes)))


def _walk(
    source: Source,
    start: int,
    end: int,
    path: str,
    out: RawMetadata,
    depth: int,
    notes: list[str] | None = None,
) -> None:
    if depth > source.limits.max_box_depth:
        raise ReaderError(f"{path}: boxes nested deeper than {source.limits.max_box_depth}")
    notes = notes or []
    for box in _boxes(source, start, end, path):
        kind = box.kind
        where = f"{path}/{kind.decode('latin-1')}"
        if kind == b"meta":
            _read_meta(source, box, where, out, depth, notes)
        elif kind == b"uuid":
            _read_uuid(source, box, where, out)
        elif kind in _CONTAINERS:
            _walk(source, box.body, box.end, where, out, depth + 1, notes)
        elif path.endswith("udta") and kind[:1] == b"\xa9":
            _read_text_atom(source, box, path, out, notes)
        elif kind == b"mdat" and depth == 0 and AFTER_MDAT not in notes:
            notes = [*notes, AFTER_MDAT]
        elif kind == b"mvhd":
            _read_mvhd(source, box, out)
        elif kind == b"tkhd" and out.width is None:
            _read_tkhd(source, box, out)


def _read_mvhd(source: Source, box: Box, out: RawMetadata) -> None:
    head = source.read_at(box.body, min(box.end - box.body, 32), "mvhd")
    if not head:  # an empty mvhd says nothing about the duration
        return
    if head[0] == 1 and len(head) >= 32:
        scale, duration = struct.unpack(">IQ", head[20:32])
    elif len(head) >= 20:
        scale, duration = struct.unpack(">II", head[12:20])
    else:
        return
    if scale:
        out.duration_s = duration / scale


def _read_tkhd(source: Source, box: Box, out: RawMetadata) -> None:
    length = box.end - box.body
    if length < 84:
        return
    raw = source.read_at(box.body, length, "tkhd")
    width, height = struct.unpack(">II", raw[length - 8 : length])
    if width >> 16 and height >> 16:  # 16.16 fixed point; audio tracks have 0 x 0
        out.width, out.height = width >> 16, height >> 16


def _read_heif_items(source: Source, heif: dict[bytes, Box], out: RawMetadata) -> None:
    wanted = _heif_metadata_items(source, heif[b"iinf"])
    if not wanted:
        return
    for kind, extents in _heif_locations(source, heif[b"iloc"], wanted).values():
        size = sum(n for _off, n in extents)
        if size > source.limits.max_entry_bytes:
            raise ReaderError(
                f"{source.name}: {kind} item is {size} bytes, over the "
                f"{source.limits.max_entry_bytes}-byte limit for one metadata item"
            )
        data = b"".join(source.read_at(off, n, f"HEIF {kind} item") for off, n in extents)
        if kind == "xmp":
            out.entries.append(MetaEntry(f"{source.name}/meta/xmp-item", "xmp", "", data))
        elif len(data) >= 4:
            skip = 4 + struct.unpack(">I", data[:4])[0]  # exif_tiff_header_offset
            try:
                parse_tiff(data[skip:], f"{source.name}/Exif", out, source.limits)
            except ReaderError as exc:
                out.deviations.append(str(exc))


def _heif_metadata_items(source: Source, iinf: Box) -> dict[int, str]:
    version = source.read_at(iinf.body, 1, "iinf")[0]
    start = iinf.body + (6 if version == 0 else 8)
    found = {}
    for infe in _boxes(source, start, iinf.end, "iinf"):
        if infe.kind != b"infe":
            continue
        raw = source.read_at(infe.body, min(infe.end - infe.body, 512), "infe")
        if len(raw) < 1 or raw[0] < 2:
            continue
        id_size = 2 if raw[0] == 2 else 4
        at = 4 + id_size + 2
        if len(raw) < at + 4:
            raise ReaderError(f"{source.name}: infe box at byte {infe.start} is truncated")
        item_id = int.from_bytes(raw[4 : 4 + id_size], "big")
        item_type = raw[at : at + 4]
        rest = raw[at + 4 :]
        if item_type == b"Exif":
            found[item_id] = "exif"
        elif item_type == b"mime":
            _name, _, tail = rest.partition(b"\x00")
            content_type = tail.split(b"\x00", 1)[0]
            if content_type == b"application/rdf+xml":
                found[item_id] = "xmp"
    return found


_ILOC_SIZES = (0, 4, 8)


def _heif_locations(source: Source, iloc: Box, wanted: dict[int, str]):
    """Where the wanted items' bytes are. Every item and extent counts against the limits, and
    every field is checked against the box, so a crafted `iloc` (thousands of zero-length
    extents, or a short box) stops at once with a reason."""
    raw = source.read_at(iloc.body, iloc.end - iloc.body, "iloc")
    if len(raw) < 8:
        raise ReaderError(f"{source.name}: iloc box at byte {iloc.start} is truncated")
    version = raw[0]
    if version > 2:
        raise ReaderError(f"{source.name}: iloc version {version} is unknown")
    off_size, len_size = raw[4] >> 4, raw[4] & 15
    base_size, idx_size = raw[5] >> 4, (raw[5] & 15) if version in (1, 2) else 0
    if not {off_size, len_size, base_size, idx_size} <= set(_ILOC_SIZES):
        raise ReaderError(f"{source.name}: iloc field sizes {raw[4:6].hex()} are not 0, 4 or 8")
    at = 6
    count_size = 2 if version < 2 else 4
    count = int.from_bytes(raw[at : at + count_size], "big")
    at += count_size

    def take(size: int) -> int:
        nonlocal at
        if at + size > len(raw):
            raise ReaderError(f"{source.name}: iloc box at byte {iloc.start} is truncated")
        value = int.from_bytes(raw[at : at + size], "big")
        at += size
        return value

    located = {}
    for _ in range(count):
        source.count("HEIF items and extents")
        item_id = take(2 if version < 2 else 4)
        method = take(2) & 15 if version in (1, 2) else 0
        take(2)  # data_reference_index
        base = take(base_size)
        extents = []
        for _ in range(take(2)):
            source.count("HEIF items and extents")
            take(idx_size)
            extents.append((base + take(off_size), take(len_size)))
        if item_id in wanted and method == 0:
            located[item_id] = (wanted[item_id], extents)
    return located


def read_isobmff(source: Source, out: RawMetadata) -> None:
    if source.name in ("mp4", "mov"):  # HEIF keeps C2PA elsewhere: let c2pa look
        out.c2pa_stores = []
    _walk(source, 0, source.size, source.name, out, 0)
