"""AVI: `LIST/INFO` chunks (an `AIGC` chunk, as the TC260 practice guide puts the label in
AVI; ISFT software, ICMT comment...), the main header's size and duration.

RIFF chunks are walked with bounded reads; `movi` (the media) and index chunks are skipped by
their size and never read. OpenDML files continue in further `RIFF AVIX` chunks, which are
walked the same way.
"""

from __future__ import annotations

import struct

from markcheck.readers import MetaEntry, RawMetadata, ReaderError, text_until_nul
from markcheck.readers.source import Source

# INFO chunk ids with a meaning markcheck uses, by the text key the interpretation reads.
INFO_NAMES = {
    b"ISFT": "Software",
    b"ICMT": "Comment",
    b"INAM": "Title",
    b"ISBJ": "Description",
    b"IART": "Artist",
    b"ICOP": "Copyright",
}
_MAX_INFO_ITEM = 1 << 20
_MAX_DEPTH = 4


def _read_info(source: Source, start: int, end: int, out: RawMetadata) -> None:
    at = start
    while at + 8 <= end:
        source.count()
        kind, size = struct.unpack("<4sI", source.read_at(at, 8, "INFO chunk header"))
        if at + 8 + size > end:
            raise ReaderError(f"avi: INFO chunk {kind!r} at byte {at} runs past its list")
        if size <= _MAX_INFO_ITEM:
            value = text_until_nul(source.read_at(at + 8, size, "INFO chunk"))
            name = INFO_NAMES.get(kind, kind.decode("latin-1").rstrip())
            out.entries.append(
                MetaEntry(f"avi/LIST/INFO/{kind.decode('latin-1')}", "text", name, value)
            )
        else:
            out.deviations.append(f"avi: INFO chunk {kind!r} of {size} bytes not read")
        at += 8 + size + (size & 1)


def _read_avih(source: Source, at: int, size: int, out: RawMetadata) -> None:
    if size < 40 or out.width is not None:
        return
    head = source.read_at(at, 40, "avih")
    micro, _rate, _pad, _flags, frames = struct.unpack("<5I", head[:20])
    out.width, out.height = struct.unpack("<II", head[32:40])
    if micro and frames:
        out.duration_s = micro * frames / 1e6


def _walk(source: Source, start: int, end: int, out: RawMetadata, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise ReaderError(f"avi: lists nested deeper than {_MAX_DEPTH}")
    at = start
    while at + 8 <= end:
        source.count()
        kind, size = struct.unpack("<4sI", source.read_at(at, 8, "chunk header"))
        if at + 8 + size > end:
            raise ReaderError(f"avi: chunk {kind!r} at byte {at} runs past its parent")
        if kind == b"LIST" and size >= 4:
            form = source.read_at(at + 8, 4, "list type")
            if form == b"INFO":
                _read_info(source, at + 12, at + 8 + size, out)
            elif form in (b"hdrl", b"strl", b"odml"):
                _walk(source, at + 12, at + 8 + size, out, depth + 1)
            # movi and anything else: the media, skipped
        elif kind == b"avih":
            _read_avih(source, at + 8, size, out)
        elif kind == b"C2PA" and depth == 0 and out.c2pa_stores is not None:
            out.c2pa_stores.append("avi/C2PA")  # C2PA's RIFF embedding
        at += 8 + size + (size & 1)


def read_avi(source: Source, out: RawMetadata) -> None:
    out.c2pa_stores = []
    at = 0
    while at + 12 <= source.size:
        kind, size, form = struct.unpack("<4sI4s", source.read_at(at, 12, "RIFF header"))
        if kind != b"RIFF" or form not in (b"AVI ", b"AVIX"):
            if at == 0:
                raise ReaderError("avi: not a RIFF AVI file")
            out.deviations.append(f"avi: {source.size - at} bytes after the last RIFF chunk")
            return
        end = at + 8 + size
        if end > source.size:
            raise ReaderError(f"avi: RIFF size {size} runs past the end of the file")
        _walk(source, at + 12, end, out, 0)
        at = end + (size & 1)
