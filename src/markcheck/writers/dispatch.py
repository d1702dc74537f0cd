"""Pick the container writer for a file's format (as its magic bytes named it)."""

from __future__ import annotations

from markcheck.writers import WriterError, Written
from markcheck.writers.gif import write_gif
from markcheck.writers.heif import write_heif
from markcheck.writers.jpeg import write_jpeg
from markcheck.writers.matroska import write_matroska
from markcheck.writers.mp4 import write_mp4
from markcheck.writers.png import write_png
from markcheck.writers.tiff import write_tiff
from markcheck.writers.webp import write_webp

WRITABLE = ("jpeg", "png", "webp", "gif", "tiff", "heif", "avif", "mp4", "mov", "mkv", "webm")


def write_label(
    data: bytes, fmt: str, value: str, png_carrier: str = "xmp", c2pa_ok: bool = False
) -> Written:
    """The file's bytes with the TC260 label `value` in its format's carrier.

    A C2PA manifest store makes the writers refuse unless `c2pa_ok` (the caller signs a new
    manifest over the result, see writers.c2pa_sign)."""
    if fmt == "jpeg":
        return write_jpeg(data, value, c2pa_ok)
    if fmt == "png":
        return write_png(data, value, png_carrier, c2pa_ok)
    if fmt == "webp":
        return write_webp(data, value, c2pa_ok)
    if fmt == "gif":
        return write_gif(data, value)
    if fmt == "tiff":
        return write_tiff(data, value)
    if fmt in ("heif", "avif"):
        return write_heif(data, value, fmt)
    if fmt in ("mp4", "mov"):
        return write_mp4(data, value, fmt, c2pa_ok)
    if fmt in ("mkv", "webm"):
        return write_matroska(data, value, fmt)  # C2PA defines no Matroska embedding
    raise WriterError(f"markcheck does not write labels into {fmt} files yet")
