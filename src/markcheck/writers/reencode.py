"""Put a visible label on an image file's pixels, carrying its metadata over to the new file.

Drawing changes pixels, so the image is encoded again: JPEG at quality 95 with 4:4:4 chroma
(no colour bleeding around the thin strokes of the label), PNG losslessly, WebP losslessly when
the source was lossless (VP8L) and at quality 95 otherwise. The source's metadata is grafted
onto the new file unchanged: JPEG APPn/COM segments, PNG text/colour/physical chunks, WebP
ICCP/EXIF/XMP chunks, so nothing the producer wrote is lost. Other formats are refused.
"""

from __future__ import annotations

import io
import struct

from PIL import Image

from markcheck.writers import WriterError
from markcheck.writers import png as png_writer
from markcheck.writers import webp as webp_writer
from markcheck.writers.jpeg import _segments
from markcheck.writers.visible import Drawn, VisibleSpec, draw_label

VISIBLE_FORMATS = ("jpeg", "png", "webp")
JPEG_QUALITY = 95
WEBP_QUALITY = 95
_PNG_META = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"sRGB", b"gAMA", b"cHRM", b"pHYs",
             b"tIME"}  # fmt: skip
_MAX_PIXELS = 120_000_000


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > _MAX_PIXELS:
            raise WriterError(f"{image.width}x{image.height} is over the pixel limit")
        orientation = image.getexif().get(0x0112, 1)
        if orientation not in (0, 1):
            raise WriterError(
                f"EXIF orientation {orientation}: the label would be drawn on the picture as "
                "stored, not as shown; not drawn"
            )
        if getattr(image, "n_frames", 1) > 1:
            raise WriterError("animated image: visible labels are drawn on still pictures only")
        image.load()
    except WriterError:
        raise
    except Exception as exc:  # a decoder failure of any kind is this file's error
        raise WriterError(f"cannot decode the picture: {type(exc).__name__}: {exc}") from None
    return image


def _jpeg(data: bytes, image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY, subsampling=0)
    new = out.getvalue()
    meta = b"".join(
        data[s:e] for code, s, e in _segments(data) if 0xE0 <= code <= 0xEF or code == 0xFE
    )
    keep_new = [
        (s, e) for code, s, e in _segments(new) if not (0xE0 <= code <= 0xEF or code == 0xFE)
    ]
    head_end = _segments(new)[-1][2]  # where the scan (SOS) starts
    body = b"".join(new[s:e] for s, e in keep_new)
    return b"\xff\xd8" + meta + body + new[head_end:]


def _png(data: bytes, image: Image.Image) -> bytes:
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    out = io.BytesIO()
    image.convert(mode).save(out, format="PNG", optimize=False)
    source = png_writer._chunks(data)
    meta = [(k, b) for k, b in source if k in _PNG_META]
    kinds = {k for k, _ in meta}
    chunks = [(k, b) for k, b in png_writer._chunks(out.getvalue()) if k not in kinds]
    at = next(i for i, (k, _) in enumerate(chunks) if k == b"IDAT")
    chunks[at:at] = meta
    return png_writer.SIGNATURE + b"".join(png_writer._chunk(k, b) for k, b in chunks)


def _webp(data: bytes, image: Image.Image) -> bytes:
    source = webp_writer._chunks(data)
    lossless = any(k == b"VP8L" for k, _ in source)
    out = io.BytesIO()
    kwargs = {"lossless": True} if lossless else {"quality": WEBP_QUALITY}
    image.save(out, format="WEBP", exact=True, **kwargs)
    new = webp_writer._chunks(out.getvalue())
    bitstream = [(k, b) for k, b in new if k in (b"VP8 ", b"VP8L", b"ALPH")]
    meta = {k: b for k, b in source if k in (b"ICCP", b"EXIF", b"XMP ")}
    if not meta:
        return out.getvalue()
    flags = (0x20 if b"ICCP" in meta else 0) | (0x08 if b"EXIF" in meta else 0)
    flags |= (0x04 if b"XMP " in meta else 0) | (0x10 if image.mode == "RGBA" else 0)
    size = (image.width - 1).to_bytes(3, "little") + (image.height - 1).to_bytes(3, "little")
    chunks = [(b"VP8X", bytes([flags, 0, 0, 0]) + size)]
    chunks += [(b"ICCP", meta[b"ICCP"])] if b"ICCP" in meta else []
    chunks += bitstream
    chunks += [(k, meta[k]) for k in (b"EXIF", b"XMP ") if k in meta]
    body = b"WEBP" + b"".join(webp_writer._chunk(k, b) for k, b in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def burn_visible(data: bytes, fmt: str, spec: VisibleSpec) -> tuple[bytes, Drawn]:
    """The file re-encoded with the visible label drawn on it, and what was drawn."""
    if fmt not in VISIBLE_FORMATS:
        raise WriterError(
            f"visible labels are drawn on {', '.join(VISIBLE_FORMATS)} only, not {fmt}"
        )
    image = _open(data)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert(
            "RGBA" if "A" in image.mode or "transparency" in image.info else "RGB"
        )
    drawn_image, drawn = draw_label(image, spec)
    encode = {"jpeg": _jpeg, "png": _png, "webp": _webp}[fmt]
    return encode(data, drawn_image), drawn
