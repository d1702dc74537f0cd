"""TIFF/EXIF IFD parsing, for TIFF files and EXIF blobs (JPEG APP1, PNG eXIf, WebP EXIF, HEIF)."""

from __future__ import annotations

import struct

from markcheck.readers import Limits, MetaEntry, RawMetadata, ReaderError, text_until_nul
from markcheck.readers.source import Source

TAG_NAMES = {
    270: "ImageDescription",
    271: "Make",
    272: "Model",
    305: "Software",
    315: "Artist",
    33432: "Copyright",
    0x9286: "UserComment",
    0xA420: "ImageUniqueID",
}
TAG_XMP = 700
TAG_EXIF_IFD = 34665
TAG_WIDTH, TAG_HEIGHT = 256, 257
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8}
_MAX_IFDS = 32


def _decode_user_comment(value: bytes) -> str:
    """EXIF UserComment: an 8-byte character code, then the text."""
    code, text = value[:8], value[8:]
    if code.startswith(b"UNICODE"):
        # UTF-16 in either byte order; a BOM or the zero pattern of ASCII text tells which.
        if text[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return text.decode("utf-16", "replace").rstrip("\x00")
        if len(text) > 1 and text[0] == 0 and text[1] != 0:
            return text.decode("utf-16-be", "replace").rstrip("\x00")
        return text.decode("utf-16-le", "replace").rstrip("\x00")
    if code.startswith(b"JIS"):
        return text.decode("shift_jis", "replace").rstrip("\x00 ")
    if code.startswith(b"ASCII") or code == b"\x00" * 8:
        return text.decode("utf-8", "replace").rstrip("\x00 ")
    return value.decode("utf-8", "replace").rstrip("\x00 ")


class _Blob:
    """Random access to a TIFF structure, either in memory or in a file (bounded reads)."""

    def __init__(self, data: bytes | None = None, source: Source | None = None, base: int = 0):
        self.data, self.source, self.base = data, source, base
        self.size = len(data) if data is not None else source.size - base

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, span: slice) -> bytes:
        start, stop = span.start, min(span.stop, self.size)
        if self.data is not None:
            return self.data[start:stop]
        return self.source.read_at(self.base + start, max(0, stop - start), "TIFF data")


def parse_tiff_file(source: Source, out: RawMetadata) -> None:
    parse_tiff(_Blob(source=source), "tiff", out, source.limits, set_size=True)


def parse_tiff(
    blob: bytes | _Blob, carrier: str, out: RawMetadata, limits: Limits, set_size: bool = False
) -> None:
    """Read the tags markcheck uses from a TIFF structure (bytes, or a file via _Blob)."""
    data = blob if isinstance(blob, _Blob) else _Blob(data=blob)
    head = data[0:8]
    if head[:4] not in (b"II*\x00", b"MM\x00*") or len(head) < 8:
        raise ReaderError(f"{carrier}: not a TIFF/EXIF structure")
    endian = "<" if head[:2] == b"II" else ">"
    first = struct.unpack(endian + "I", head[4:8])[0]
    queue, seen = [(first, "ifd0")], set()
    while queue:
        offset, ifd_name = queue.pop(0)
        if offset == 0:
            continue
        if offset in seen or len(seen) >= _MAX_IFDS:
            out.deviations.append(f"{carrier}: IFD loop or too many IFDs, stopped")
            break
        seen.add(offset)
        if offset + 2 > len(data):
            raise ReaderError(f"{carrier}: IFD offset {offset} past the end of the data")
        count = struct.unpack(endian + "H", data[offset : offset + 2])[0]
        if count > limits.max_entries or offset + 2 + 12 * count > len(data):
            raise ReaderError(f"{carrier}: IFD at {offset} with {count} entries runs past the end")
        table = data[offset + 2 : offset + 2 + 12 * count]
        for i in range(count):
            entry = table[12 * i : 12 * i + 12]
            tag, typ, n = struct.unpack(endian + "HHI", entry[:8])
            size = _TYPE_SIZES.get(typ, 1) * n
            if size <= 4:
                value = entry[8 : 8 + size]
            else:
                where = struct.unpack(endian + "I", entry[8:12])[0]
                if where + size > len(data):
                    out.deviations.append(f"{carrier}: tag {tag} value past the end, skipped")
                    continue
                value = data[where : where + size]
            if tag == TAG_EXIF_IFD and typ in (4, 13) and ifd_name == "ifd0" and len(value) >= 4:
                queue.append((struct.unpack(endian + "I", value[:4])[0], "exif"))
            elif tag == TAG_XMP and ifd_name == "ifd0":
                out.entries.append(MetaEntry(f"{carrier}/tag700", "xmp", "", value))
            elif tag == 0x9286:
                text = _decode_user_comment(value)
                out.entries.append(MetaEntry(f"{carrier}/UserComment", "exif", "UserComment", text))
            elif tag in TAG_NAMES and typ == 2:
                text = text_until_nul(value).strip()
                if text:
                    out.entries.append(
                        MetaEntry(f"{carrier}/{TAG_NAMES[tag]}", "exif", TAG_NAMES[tag], text)
                    )
            elif (
                set_size and ifd_name == "ifd0" and tag in (TAG_WIDTH, TAG_HEIGHT) and typ in (3, 4)
            ):
                short = typ == 3
                if len(value) < (2 if short else 4):  # a count of 0: no value to read
                    out.deviations.append(f"{carrier}: tag {tag} has no value, skipped")
                    continue
                number = struct.unpack(
                    endian + ("H" if short else "I"), value[: 2 if short else 4]
                )[0]
                if tag == TAG_WIDTH:
                    out.width = number
                else:
                    out.height = number
        if ifd_name == "ifd0":
            end = offset + 2 + 12 * count
            if end + 4 <= len(data):
                next_ifd = struct.unpack(endian + "I", data[end : end + 4])[0]
                if next_ifd in seen:
                    out.deviations.append(f"{carrier}: IFD loop (next IFD points back), stopped")
                elif next_ifd:
                    queue.append((next_ifd, "ifd1"))
