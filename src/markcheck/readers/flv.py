"""FLV: the `onMetaData` script tag (an `AIGC` string, as the TC260 practice guide puts the
label in FLV; `encoder`, `comment`...), its width, height and duration.

Tags are walked with bounded reads; audio and video tags are skipped by their size and never
read. Script data is AMF0, decoded with bounded depth and counts.
"""

from __future__ import annotations

import struct
from typing import Any

from markcheck.readers import MetaEntry, RawMetadata, ReaderError
from markcheck.readers.source import Source

SCRIPT_TAG = 18
MAX_TAGS = 64  # onMetaData comes first; script tags later than this are not looked for
_MAX_DEPTH = 8
_MAX_ITEMS = 4096
_END = object()


class _Amf:
    """An AMF0 decoder over one script tag's bytes."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at, self.items = data, 0, 0

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise ReaderError("flv: AMF0 value runs past its tag")
        chunk = self.data[self.at : self.at + n]
        self.at += n
        return chunk

    def string(self, long: bool = False) -> str:
        size = struct.unpack(">I" if long else ">H", self.take(4 if long else 2))[0]
        return self.take(size).decode("utf-8", "replace")

    def pairs(self, depth: int) -> dict[str, Any]:
        found: dict[str, Any] = {}
        while True:
            key = self.string()
            value = self.value(depth + 1)
            if value is _END and key == "":
                return found
            self.items += 1
            if self.items > _MAX_ITEMS:
                raise ReaderError(f"flv: more than {_MAX_ITEMS} AMF0 items")
            found[key] = value

    def value(self, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise ReaderError(f"flv: AMF0 nested deeper than {_MAX_DEPTH}")
        marker = self.take(1)[0]
        if marker == 0x00:
            return struct.unpack(">d", self.take(8))[0]
        if marker == 0x01:
            return bool(self.take(1)[0])
        if marker == 0x02:
            return self.string()
        if marker == 0x0C:
            return self.string(long=True)
        if marker == 0x03:
            return self.pairs(depth)
        if marker == 0x08:
            self.take(4)  # approximate count; the end marker is what ends it
            return self.pairs(depth)
        if marker == 0x0A:
            count = struct.unpack(">I", self.take(4))[0]
            if count > _MAX_ITEMS:
                raise ReaderError(f"flv: AMF0 array of {count} items")
            return [self.value(depth + 1) for _ in range(count)]
        if marker == 0x0B:
            self.take(10)  # date: double + time zone
            return None
        if marker in (0x05, 0x06):
            return None
        if marker == 0x09:
            return _END
        raise ReaderError(f"flv: AMF0 type {marker:#x} is not read")


def _metadata(data: bytes, out: RawMetadata) -> None:
    amf = _Amf(data)
    name = amf.value(0)
    if name != "onMetaData":
        return
    values = amf.value(0)
    if not isinstance(values, dict):
        out.deviations.append("flv: onMetaData is not an object")
        return
    for key, value in values.items():
        if key in ("width", "height") and isinstance(value, float) and 0 < value < 1 << 20:
            setattr(out, key, int(value))
        elif key == "duration" and isinstance(value, float) and value >= 0:
            out.duration_s = value
        elif isinstance(value, str):
            out.entries.append(MetaEntry("flv/onMetaData", "text", key, value))


def read_flv(source: Source, out: RawMetadata) -> None:
    out.c2pa_stores = []  # C2PA defines no embedding in this container
    head = source.read_at(0, 9, "FLV header")
    if head[:3] != b"FLV":
        raise ReaderError("flv: bad signature")
    at = struct.unpack(">I", head[5:9])[0] + 4  # header, then PreviousTagSize0
    for _ in range(MAX_TAGS):
        if at + 11 > source.size:
            return
        source.count()
        tag = source.read_at(at, 11, "tag header")
        kind = tag[0] & 0x1F
        size = int.from_bytes(tag[1:4], "big")
        if at + 11 + size > source.size:
            raise ReaderError(f"flv: tag at byte {at} claims {size} bytes, past the end")
        if kind == SCRIPT_TAG:
            try:
                _metadata(source.read_at(at + 11, size, "script tag"), out)
            except ReaderError as exc:
                out.deviations.append(str(exc))
        at += 11 + size + 4
