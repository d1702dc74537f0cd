"""Matroska / WebM: `Tags/Tag/SimpleTag` (TagName `AIGC`, as the TC260 practice guide puts the
label in MKV and WebM), the other simple tags (ENCODER, COMMENT...), Info duration and the
video track's size.

EBML elements are walked with bounded reads; clusters (the media) are skipped by their size,
or jumped over through the SeekHead, and never read.
"""

from __future__ import annotations

import struct

from markcheck.readers import MetaEntry, RawMetadata, ReaderError, text_until_nul
from markcheck.readers.source import Source

EBML, SEGMENT = 0x1A45DFA3, 0x18538067
SEEK_HEAD, SEEK, SEEK_ID, SEEK_POSITION = 0x114D9B74, 0x4DBB, 0x53AB, 0x53AC
INFO, TIMECODE_SCALE, DURATION = 0x1549A966, 0x2AD7B1, 0x4489
TRACKS, TRACK_ENTRY, VIDEO, PIXEL_WIDTH, PIXEL_HEIGHT = 0x1654AE6B, 0xAE, 0xE0, 0xB0, 0xBA
TAGS, TAG, SIMPLE_TAG, TAG_NAME, TAG_STRING = 0x1254C367, 0x7373, 0x67C8, 0x45A3, 0x4487
CLUSTER, CUES = 0x1F43B675, 0x1C53BB6B
_LEVEL1_READ = {INFO, TRACKS, TAGS, SEEK_HEAD}
_MAX_HEADER_ITEM = 1 << 20  # Info / Tracks / SeekHead bodies read whole: small in real files
_MAX_TAG_DEPTH = 8  # SimpleTags nest; a loop of nesting must end
UNKNOWN = -1
MAX_CLUSTERS = 1 << 16  # clusters skipped by size when no SeekHead names the Tags


def _vint(data: bytes, at: int, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at `at`: (value, length); ReaderError if malformed."""
    if at >= len(data):
        raise ReaderError("matroska: element runs past its parent")
    first = data[at]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or at + length > len(data):
        raise ReaderError(f"matroska: bad variable-length integer at {at}")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    if not keep_marker and value == (1 << (7 * length)) - 1:
        value = UNKNOWN  # all ones: size not known (live streams)
    return value, length


def _elements(data: bytes, start: int = 0, end: int | None = None):
    """(id, body start, body end) of the elements in an in-memory body."""
    at, end = start, len(data) if end is None else end
    while at < end:
        ident, n = _vint(data, at, True)
        size, m = _vint(data, at + n, False)
        body = at + n + m
        stop = end if size == UNKNOWN else body + size
        if stop > end:
            raise ReaderError(f"matroska: element {ident:#x} at {at} runs past its parent")
        yield ident, body, stop
        at = stop


def _uint(raw: bytes) -> int:
    return int.from_bytes(raw[:8], "big")


def _simple_tags(data: bytes, start: int, end: int, carrier: str, out: RawMetadata, depth: int):
    if depth > _MAX_TAG_DEPTH:
        out.deviations.append(f"{carrier}: SimpleTags nested deeper than {_MAX_TAG_DEPTH}")
        return
    name = value = None
    for ident, body, stop in _elements(data, start, end):
        if ident == TAG_NAME:
            name = text_until_nul(data[body:stop])
        elif ident == TAG_STRING:
            value = text_until_nul(data[body:stop])
        elif ident == SIMPLE_TAG:
            _simple_tags(data, body, stop, carrier, out, depth + 1)
    if name and value is not None:
        out.entries.append(MetaEntry(carrier, "text", name, value))


def _read_tags(data: bytes, carrier: str, out: RawMetadata) -> None:
    for ident, body, stop in _elements(data):
        if ident != TAG:
            continue
        for child, cbody, cstop in _elements(data, body, stop):
            if child == SIMPLE_TAG:
                _simple_tags(data, cbody, cstop, carrier, out, 0)


def _read_info(data: bytes, out: RawMetadata) -> None:
    scale, duration = 1_000_000, None
    for ident, body, stop in _elements(data):
        if ident == TIMECODE_SCALE:
            scale = _uint(data[body:stop]) or scale
        elif ident == DURATION and stop - body in (4, 8):
            duration = struct.unpack(">f" if stop - body == 4 else ">d", data[body:stop])[0]
    if duration is not None and duration == duration and duration >= 0:  # not NaN
        out.duration_s = duration * scale / 1e9


def _read_tracks(data: bytes, out: RawMetadata) -> None:
    for ident, body, stop in _elements(data):
        if ident != TRACK_ENTRY or out.width is not None:
            continue
        for child, cbody, cstop in _elements(data, body, stop):
            if child != VIDEO:
                continue
            for leaf, lbody, lstop in _elements(data, cbody, cstop):
                if leaf == PIXEL_WIDTH:
                    out.width = _uint(data[lbody:lstop])
                elif leaf == PIXEL_HEIGHT:
                    out.height = _uint(data[lbody:lstop])


def _seek_positions(data: bytes) -> dict[int, int]:
    found = {}
    for ident, body, stop in _elements(data):
        if ident != SEEK:
            continue
        target = position = None
        for child, cbody, cstop in _elements(data, body, stop):
            if child == SEEK_ID:
                target = _uint(data[cbody:cstop])
            elif child == SEEK_POSITION:
                position = _uint(data[cbody:cstop])
        if target is not None and position is not None:
            found[target] = position
    return found


def _header(source: Source, at: int, end: int) -> tuple[int, int, int]:
    """(id, body offset, body end) of the element at `at` in the file."""
    head = source.read_at(at, min(12, end - at), "element header")
    ident, n = _vint(head, 0, True)
    size, m = _vint(head, n, False)
    body = at + n + m
    stop = end if size == UNKNOWN else body + size
    if stop > end:
        raise ReaderError(f"matroska: element {ident:#x} at byte {at} runs past the end")
    return ident, body, stop


def _level1(source: Source, ident: int, body: int, stop: int, out: RawMetadata) -> None:
    if stop - body > _MAX_HEADER_ITEM and ident != TAGS:
        out.deviations.append(f"matroska: element {ident:#x} of {stop - body} bytes not read")
        return
    data = source.read_at(body, stop - body, "matroska element")
    if ident == TAGS:
        _read_tags(data, f"{source.name}/Tags/SimpleTag", out)
    elif ident == INFO:
        _read_info(data, out)
    elif ident == TRACKS:
        _read_tracks(data, out)


def read_matroska(source: Source, out: RawMetadata) -> None:
    out.c2pa_stores = []  # C2PA defines no embedding in this container
    ident, body, stop = _header(source, 0, source.size)
    if ident != EBML:
        raise ReaderError(f"{source.name}: no EBML header")
    ident, seg_body, seg_end = _header(source, stop, source.size)
    if ident != SEGMENT:
        raise ReaderError(f"{source.name}: no Segment after the EBML header")
    done: set[int] = set()
    seeks: dict[int, int] = {}
    clusters = 0
    at = seg_body
    while at + 2 <= seg_end:
        ident, body, stop = _header(source, at, seg_end)
        if ident == CLUSTER:
            clusters += 1
            if clusters == 1:
                _jump(source, seeks, seg_body, at, seg_end, done, out)
            if TAGS in done or stop == seg_end:
                break  # found, or a cluster of unknown size runs to the end
            if clusters > MAX_CLUSTERS:
                out.deviations.append(
                    f"{source.name}: more than {MAX_CLUSTERS} clusters before any Tags; stopped"
                )
                break
            at = stop
            continue
        source.count()
        if ident == SEEK_HEAD:
            data = source.read_at(body, min(stop - body, _MAX_HEADER_ITEM), "SeekHead")
            seeks.update(_seek_positions(data))
        elif ident in _LEVEL1_READ and ident not in done:
            _level1(source, ident, body, stop, out)
            done.add(ident)
        at = stop


def _jump(
    source: Source,
    seeks: dict[int, int],
    seg_body: int,
    here: int,
    seg_end: int,
    done: set[int],
    out: RawMetadata,
) -> None:
    """Read what the SeekHead names past the media (ffmpeg writes Tags after the clusters)."""
    for target in (TAGS, INFO, TRACKS):
        position = seeks.get(target)
        if target in done or position is None:
            continue
        where = seg_body + position
        if where <= here or where >= seg_end:
            out.deviations.append(f"{source.name}: SeekHead entry {target:#x} points outside")
            continue
        found, body, stop = _header(source, where, seg_end)
        if found == target:
            _level1(source, found, body, stop, out)
            done.add(target)
        else:
            out.deviations.append(f"{source.name}: SeekHead entry {target:#x} points elsewhere")
