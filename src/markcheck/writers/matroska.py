"""Matroska / WebM: the label as `Tags/Tag/SimpleTag` TagName `AIGC` (TC260 video guide).

The new tag is a Tag of its own, `Targets/TargetTypeValue` 50 (the whole file), whose SimpleTag
holds the JSON as TagString; FFmpeg shows it as the format tag `AIGC`. Clusters are never read
or moved, so every offset the file holds (SeekHead, Cues) stays right:

- an existing AIGC SimpleTag is updated inside its Tag; duplicates of it are taken out;
- a Tags element that is the Segment's last element is rewritten where it is;
- a Tags element that still fits its place (with a Void after it) is rewritten there;
- otherwise the old Tags becomes a Void of the same length, the new Tags is appended at the
  end of the Segment, and the SeekHead's Tags entry points at it (FFmpeg and mkvmerge leave a
  Void after the SeekHead, which absorbs an added entry; with no room, nothing is written).

The Segment size is updated when it is known. EBML CRC-32 elements of the rewritten Tags and
SeekHead are recomputed (FFmpeg writes them by default). Several Tags elements, nested AIGC
SimpleTags and clusters of unknown size (live recordings) are refused.
"""

from __future__ import annotations

import struct
import zlib

from markcheck.readers import ReaderError, text_until_nul
from markcheck.readers.matroska import (
    CLUSTER,
    EBML,
    SEEK,
    SEEK_HEAD,
    SEEK_ID,
    SEEK_POSITION,
    SEGMENT,
    SIMPLE_TAG,
    TAG,
    TAG_NAME,
    TAGS,
    UNKNOWN,
    _elements,
    _vint,
)
from markcheck.writers import WriterError, Written

KEY = "AIGC"
TARGETS, TARGET_TYPE_VALUE, TAG_STRING = 0x63C0, 0x68CA, 0x4487
VOID, CRC32 = 0xEC, 0xBF
WHOLE_FILE = 50  # TargetTypeValue of tags about the whole movie / file


# --- EBML encoding -------------------------------------------------------------------------


def _id(ident: int) -> bytes:
    return ident.to_bytes((ident.bit_length() + 7) // 8, "big")


def _size(size: int, width: int = 0) -> bytes:
    """`size` as an EBML size vint, at least `width` bytes (all-ones is reserved: unknown)."""
    width = max(width, 1)
    while size >= (1 << (7 * width)) - 1:
        width += 1
    if width > 8:
        raise WriterError("matroska: element too large")
    return ((1 << (7 * width)) | size).to_bytes(width, "big")


def _uint(value: int, width: int = 1) -> bytes:
    return value.to_bytes(max(width, (value.bit_length() + 7) // 8, 1), "big")


def element(ident: int, body: bytes, size_width: int = 0) -> bytes:
    return _id(ident) + _size(len(body), size_width) + body


def _with_crc(children: bytes, had_crc: bool) -> bytes:
    """A master body; a CRC-32 element first when the original had one (EBML §11.3.1)."""
    if not had_crc:
        return children
    return element(CRC32, struct.pack("<I", zlib.crc32(children))) + children


def void(length: int) -> bytes:
    """A Void element exactly `length` bytes long (2 at least)."""
    if length < 2:
        raise WriterError("matroska: a gap of one byte cannot hold a Void")
    if length - 2 < 127:
        return bytes([VOID, 0x80 | (length - 2)]) + bytes(length - 2)
    if length < 9:
        raise WriterError("matroska: no Void of this length")
    return bytes([VOID]) + _size(length - 9, 8) + bytes(length - 9)


# --- parsing -------------------------------------------------------------------------------


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(id, element start, body start, body end) of the elements in data[start:end]."""
    out, at = [], start
    for ident, body, stop in _elements(data, start, end):
        out.append((ident, at, body, stop))
        at = stop
    return out


def _is_label(data: bytes, body: int, stop: int) -> bool:
    return any(
        ident == TAG_NAME and text_until_nul(data[b:e]) == KEY for ident, _, b, e in
        _children(data, body, stop)
    )  # fmt: skip


def _has_nested_label(data: bytes, body: int, stop: int, depth: int = 0) -> bool:
    for ident, _, b, e in _children(data, body, stop):
        if ident == SIMPLE_TAG and (
            (depth > 0 and _is_label(data, b, e)) or (depth < 8 and
                                                      _has_nested_label(data, b, e, depth + 1))
        ):  # fmt: skip
            return True
    return False


def _simple_tag(value: str) -> bytes:
    return element(
        SIMPLE_TAG,
        element(TAG_NAME, KEY.encode()) + element(TAG_STRING, value.encode("utf-8")),
    )


def _new_tags_body(data: bytes, tags: tuple[int, int, int, int] | None, value: str):
    """The Tags body holding the label, the action, and the duplicates taken out."""
    new_tag = element(
        TAG,
        element(TARGETS, element(TARGET_TYPE_VALUE, _uint(WHOLE_FILE))) + _simple_tag(value),
    )
    if tags is None:
        return new_tag, False, "added", 0
    _, _, body, stop = tags
    had_crc, parts, found, removed = False, [], False, 0
    for ident, start, tbody, tstop in _children(data, body, stop):
        if ident == CRC32:
            had_crc = True
            continue
        if ident != TAG:
            parts.append(data[start:tstop])
            continue
        if _has_nested_label(data, tbody, tstop):
            raise WriterError("matroska: an AIGC SimpleTag nested in another; not edited")
        tag_parts, simple_left, changed = [], 0, False
        for child, cstart, cbody, cstop in _children(data, tbody, tstop):
            if child == SIMPLE_TAG and _is_label(data, cbody, cstop):
                changed = True
                if found:
                    removed += 1  # a duplicate label (GB 45438 §6.1 wants one)
                    continue
                found = True
                tag_parts.append(_simple_tag(value))
            else:
                tag_parts.append(data[cstart:cstop])
            simple_left += child == SIMPLE_TAG
        if not changed:
            parts.append(data[start:tstop])
        elif simple_left:
            parts.append(element(TAG, b"".join(tag_parts)))
        # else: a Tag that held only duplicate labels goes with them
    if not found:
        parts.append(new_tag)
    return _with_crc(b"".join(parts), had_crc), had_crc, ("updated" if found else "added"), removed


def _seek_head_body(
    data: bytes, head: tuple[int, int, int, int], tags_position: int
) -> tuple[bytes, bool]:
    """The SeekHead body with its Tags entry at `tags_position` (added when missing)."""
    _, _, body, stop = head
    had_crc, parts, pointed = False, [], False
    for ident, start, sbody, sstop in _children(data, body, stop):
        if ident == CRC32:
            had_crc = True
            continue
        target = None
        if ident == SEEK:
            entries = _children(data, sbody, sstop)
            target = next(
                (int.from_bytes(data[b:e], "big") for i, _, b, e in entries if i == SEEK_ID), None
            )
        if target != TAGS:
            parts.append(data[start:sstop])
            continue
        if pointed:
            continue  # a second Tags entry would point at the Void
        pointed = True
        seek = b""
        for child, cstart, cbody, cstop in entries:
            if child == SEEK_POSITION:
                seek += element(SEEK_POSITION, _uint(tags_position, cstop - cbody))
            else:
                seek += data[cstart:cstop]
        parts.append(element(SEEK, seek))
    if not pointed:
        parts.append(
            element(
                SEEK,
                element(SEEK_ID, _id(TAGS)) + element(SEEK_POSITION, _uint(tags_position, 8)),
            )
        )
    return _with_crc(b"".join(parts), had_crc), pointed


# --- writing -------------------------------------------------------------------------------


def _segment(data: bytes) -> tuple[int, int, int, int, int]:
    """(segment start, size field start, size width, body start, body end)."""
    ident, n = _vint(data, 0, True)
    size, m = _vint(data, n, False)
    if ident != EBML or size == UNKNOWN:
        raise WriterError("matroska: no EBML header")
    at = n + m + size
    ident, n = _vint(data, at, True)
    if ident != SEGMENT:
        raise WriterError("matroska: no Segment after the EBML header")
    size, m = _vint(data, at + n, False)
    body = at + n + m
    end = len(data) if size == UNKNOWN else body + size
    if end > len(data):
        raise WriterError(f"matroska: Segment of {size} bytes runs past the end; truncated")
    return at, at + n, m, body, end


def _fits(new: bytes, start: int, stop: int, level1: list, index: int):
    """`new` plus a Void filling the rest, if it fits where element `index` and any Void
    right after it are; else None."""
    room_end = stop
    if index + 1 < len(level1) and level1[index + 1][0] == VOID:
        room_end = level1[index + 1][3]
    gap = room_end - start - len(new)
    if gap == 0:
        return new, room_end
    if gap >= 2:
        return new + void(gap), room_end
    return None


def write_matroska(data: bytes, value: str, fmt: str = "mkv") -> Written:
    try:
        return _write(data, value, fmt)
    except ReaderError as exc:  # the EBML structure is broken: this file's error
        raise WriterError(str(exc).replace("matroska:", f"{fmt}:", 1)) from None


def _write(data: bytes, value: str, fmt: str) -> Written:
    _, size_at, size_width, body, end = _segment(data)
    level1 = _children(data, body, end)
    if any(i == CLUSTER and _unknown_size(data, start) for i, start, _, _ in level1):
        raise WriterError(f"{fmt}: a cluster of unknown size (live recording); remux it first")
    tags = [el for el in level1 if el[0] == TAGS]
    if len(tags) > 1:
        raise WriterError(f"{fmt}: {len(tags)} Tags elements; not edited")
    tags_body, _, action, removed = _new_tags_body(data, tags[0] if tags else None, value)
    carrier = f"{fmt}/Tags/SimpleTag:{KEY}"
    gone = (carrier,) * removed
    if tags:
        index = level1.index(tags[0])
        _, start, _, stop = tags[0]
        width = size_width_of(data, start)
        new_tags = element(TAGS, tags_body, width)
        if index == len(level1) - 1:  # last in the Segment: rewritten in place
            return Written(_resize(data, start, stop, new_tags, size_at, size_width),
                           carrier, action, gone)  # fmt: skip
        placed = _fits(new_tags, start, stop, level1, index)
        if placed is not None:
            new, room_end = placed
            return Written(data[:start] + new + data[room_end:], carrier, action, gone)
        data = data[:start] + void(stop - start) + data[stop:]  # same length: no offset moves
    else:
        new_tags = element(TAGS, tags_body)
    heads = [el for el in level1 if el[0] == SEEK_HEAD]
    if not heads:
        raise WriterError(f"{fmt}: no SeekHead to point players at the new Tags; not written")
    position = end - body
    head = next((h for h in heads if _points_at_tags(data, h)), heads[0])
    head_body, _ = _seek_head_body(data, head, position)
    index = level1.index(head)
    _, start, _, stop = head
    new_head = element(SEEK_HEAD, head_body, size_width_of(data, start))
    placed = _fits(new_head, start, stop, level1, index)
    if placed is None:
        raise WriterError(
            f"{fmt}: no room after the SeekHead for an entry pointing at the new Tags; not written"
        )
    new, room_end = placed
    data = data[:start] + new + data[room_end:]  # same total length as before
    return Written(_resize(data, end, end, new_tags, size_at, size_width),
                   carrier, action, gone)  # fmt: skip


def _unknown_size(data: bytes, start: int) -> bool:
    _, n = _vint(data, start, True)
    return _vint(data, start + n, False)[0] == UNKNOWN


def size_width_of(data: bytes, start: int) -> int:
    """The width of the size field of the element at `start`."""
    _, n = _vint(data, start, True)
    return _vint(data, start + n, False)[1]


def _points_at_tags(data: bytes, head: tuple[int, int, int, int]) -> bool:
    for ident, _, body, stop in _children(data, head[2], head[3]):
        if ident == SEEK:
            for child, _, b, e in _children(data, body, stop):
                if child == SEEK_ID and int.from_bytes(data[b:e], "big") == TAGS:
                    return True
    return False


def _resize(
    data: bytes,
    start: int,
    stop: int,
    new: bytes,
    size_at: int,
    size_width: int,
) -> bytes:
    """data[start:stop] replaced by `new` at the Segment's end, the Segment size updated."""
    out = bytearray(data[:start] + new + data[stop:])
    old_size, _ = _vint(data, size_at, False)
    if old_size != UNKNOWN:
        size = old_size + len(new) - (stop - start)
        field = _size(size, size_width)
        if len(field) != size_width:
            raise WriterError("matroska: the new Segment size does not fit its size field")
        out[size_at : size_at + size_width] = field
    return bytes(out)
