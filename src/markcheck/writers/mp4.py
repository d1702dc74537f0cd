"""MP4/MOV: the label as `moov/udta/meta` `keys` entry `AIGC` (mdta) with its `ilst` item.

That is what ffmpeg writes with `-movflags use_metadata_tags -metadata AIGC=...` and what the
TC260 video guide names. Only `moov` is rebuilt; `mdat` is copied. When `moov` sits before the
media data ("fast start"), the chunk offset tables (`stco`/`co64`) are shifted by the change in
size so every sample is still found. Fragmented files (`moof`) are refused: their offsets are
not all in tables markcheck can shift.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from markcheck.readers.isobmff import C2PA_UUID
from markcheck.writers import WriterError, Written

KEY = "AIGC"
_UTF8 = 1


@dataclass
class Box:
    kind: bytes
    start: int
    body: int
    end: int


def _boxes(data: bytes, start: int, end: int) -> list[Box]:
    out, offset = [], start
    while offset + 8 <= end:
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        body = offset + 8
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
            body += 8
        elif size == 0:
            size = end - offset
        if size < body - offset or offset + size > end:
            raise WriterError(
                f"mp4: box {kind.decode('latin-1')!r} at byte {offset} runs past its container"
            )
        out.append(Box(kind, offset, body, offset + size))
        offset += size
    return out


def _box(kind: bytes, body: bytes) -> bytes:
    if len(body) + 8 > 0xFFFFFFFF:
        raise WriterError("mp4: box too large")
    return struct.pack(">I4s", len(body) + 8, kind) + body


def _full(kind: bytes, body: bytes) -> bytes:
    return _box(kind, b"\x00\x00\x00\x00" + body)


def _item(index: int, value: str) -> bytes:
    data = _box(b"data", struct.pack(">II", _UTF8, 0) + value.encode("utf-8"))
    return _box(index.to_bytes(4, "big"), data)


def _meta_start(data: bytes, meta: Box) -> int:
    """ISO `meta` is a full box; QuickTime's is a plain container (the readers tell the same)."""
    return meta.body if data[meta.body + 4 : meta.body + 8] == b"hdlr" else meta.body + 4


def _handler(data: bytes, meta: Box) -> bytes:
    for child in _boxes(data, _meta_start(data, meta), meta.end):
        if child.kind == b"hdlr":
            return data[child.body + 8 : child.body + 12]
    return b""


def _new_meta(value: str, full: bool) -> bytes:
    """A new mdta `meta`: a full box in `udta` (ISO, as ffmpeg writes), a plain container
    directly in `moov` (QuickTime's form there, the one exiftool and Apple read)."""
    hdlr = _full(b"hdlr", b"\x00" * 4 + b"mdta" + b"\x00" * 12 + b"\x00")
    keys = _full(b"keys", struct.pack(">I", 1) + _box(b"mdta", KEY.encode()))
    body = hdlr + keys + _box(b"ilst", _item(1, value))
    return _full(b"meta", body) if full else _box(b"meta", body)


def _update_meta(data: bytes, meta: Box, value: str) -> tuple[bytes, str]:
    """An mdta `meta` with the AIGC key set to `value` (other keys and items kept)."""
    start = _meta_start(data, meta)
    children = _boxes(data, start, meta.end)
    keys_box = next((c for c in children if c.kind == b"keys"), None)
    ilst_box = next((c for c in children if c.kind == b"ilst"), None)
    names: list[bytes] = []
    if keys_box is not None:
        count = struct.unpack(">I", data[keys_box.body + 4 : keys_box.body + 8])[0]
        at = keys_box.body + 8
        for _ in range(count):
            size = struct.unpack(">I", data[at : at + 4])[0]
            if size < 8 or at + size > keys_box.end:
                raise WriterError(f"mp4: keys entry at byte {at} is malformed")
            names.append(data[at : at + size])
            at += size
    matches = [
        i + 1 for i, entry in enumerate(names) if entry[8:].decode("utf-8", "replace") == KEY
    ]
    if len(matches) > 1:
        raise WriterError("mp4: the AIGC key is listed twice; not edited")
    action = "updated" if matches else "added"
    if not matches:
        names.append(struct.pack(">I4s", 8 + len(KEY), b"mdta") + KEY.encode())
        matches = [len(names)]
    index = matches[0]
    items = _boxes(data, ilst_box.body, ilst_box.end) if ilst_box else []
    kept = [data[i.start : i.end] for i in items if int.from_bytes(i.kind, "big") != index]
    ilst = _box(b"ilst", b"".join(kept) + _item(index, value))
    keys = _full(b"keys", struct.pack(">I", len(names)) + b"".join(names))
    body = bytearray(data[meta.body : start])  # full-box header when there is one
    placed_keys = placed_ilst = False
    for child in children:
        if child.kind == b"keys":
            body += keys
            placed_keys = True
        elif child.kind == b"ilst":
            body += ilst
            placed_ilst = True
        else:
            body += data[child.start : child.end]
    if not placed_keys or not placed_ilst:
        raise WriterError("mp4: mdta meta box without keys or ilst; not edited")
    return _box(b"meta", bytes(body)), action


def _new_moov(data: bytes, moov: Box, value: str) -> tuple[bytes, str, str]:
    children = _boxes(data, moov.body, moov.end)
    if any(c.kind == b"mvex" for c in children):
        raise WriterError("mp4: fragmented file (mvex); not written by markcheck")
    udta = next((c for c in children if c.kind == b"udta"), None)
    udta_children = _boxes(data, udta.body, udta.end) if udta else []
    udta_metas = [c for c in udta_children if c.kind == b"meta"]
    moov_metas = [c for c in children if c.kind == b"meta"]
    mdta = [m for m in udta_metas if _handler(data, m) == b"mdta"]
    top = [m for m in moov_metas if _handler(data, m) == b"mdta"]
    if len(mdta) + len(top) > 1:
        raise WriterError("mp4: several mdta metadata boxes; not edited")
    if mdta or (not top and not udta_metas):
        # moov/udta/meta: update it, or add it (with udta when there is none)
        if mdta:
            meta, action = _update_meta(data, mdta[0], value)
            new_udta = b"".join(
                meta if c is mdta[0] else data[c.start : c.end] for c in udta_children
            )
        else:
            meta, action = _new_meta(value, full=True), "added"
            new_udta = b"".join(data[c.start : c.end] for c in udta_children) + meta
        parts = [_box(b"udta", new_udta) if c is udta else data[c.start : c.end] for c in children]
        if udta is None:
            parts.append(_box(b"udta", new_udta))
        return _box(b"moov", b"".join(parts)), "mp4/moov/udta/meta/keys", action
    # udta already holds a non-mdta (e.g. iTunes mdir) meta: use moov/meta instead
    if top:
        meta, action = _update_meta(data, top[0], value)
    else:
        meta, action = _new_meta(value, full=False), "added"
    parts = [meta if top and c is top[0] else data[c.start : c.end] for c in children]
    if not top:
        parts.append(meta)
    return _box(b"moov", b"".join(parts)), "mp4/moov/meta/keys", action


def _shift_chunk_offsets(moov: bytearray, delta: int, after: int) -> None:
    """Add `delta` to every stco/co64 entry that points past `after` (in place)."""

    def walk(start: int, end: int) -> None:
        for box in _boxes(bytes(moov), start, end):
            if box.kind in (b"trak", b"mdia", b"minf", b"stbl"):
                walk(box.body, box.end)
            elif box.kind in (b"stco", b"co64"):
                wide = box.kind == b"co64"
                width, fmt = (8, ">Q") if wide else (4, ">I")
                count = struct.unpack(">I", moov[box.body + 4 : box.body + 8])[0]
                at = box.body + 8
                if at + count * width > box.end:
                    raise WriterError("mp4: chunk offset table runs past its box")
                for i in range(count):
                    pos = at + i * width
                    value = struct.unpack(fmt, moov[pos : pos + width])[0]
                    if value >= after:
                        value += delta
                        if not wide and value > 0xFFFFFFFF:
                            raise WriterError("mp4: a chunk offset would overflow stco")
                        moov[pos : pos + width] = struct.pack(fmt, value)

    walk(8, len(moov))


def write_mp4(data: bytes, value: str, fmt: str = "mp4", c2pa_ok: bool = False) -> Written:
    top = _boxes(data, 0, len(data))
    kinds = [box.kind for box in top]
    if b"moof" in kinds:
        raise WriterError(f"{fmt}: fragmented file (moof); not written by markcheck")
    if not c2pa_ok and any(
        b.kind == b"uuid" and data[b.body : b.body + 16] == C2PA_UUID for b in top
    ):
        raise WriterError(f"{fmt}: has a C2PA manifest; see --sign")
    moovs = [box for box in top if box.kind == b"moov"]
    if len(moovs) != 1:
        raise WriterError(f"{fmt}: {len(moovs)} moov boxes; expected one")
    moov = moovs[0]
    new, carrier, action = _new_moov(data, moov, value)
    delta = len(new) - (moov.end - moov.start)
    if delta and any(b.kind == b"mdat" and b.start > moov.start for b in top):
        buffer = bytearray(new)
        _shift_chunk_offsets(buffer, delta, moov.end)
        new = bytes(buffer)
    carrier = carrier.replace("mp4/", f"{fmt}/", 1)
    return Written(data[: moov.start] + new + data[moov.end :], carrier, action)
