"""Put a visible label on an image file's pixels, carrying its metadata over to the new file.

Drawing changes pixels, so the image is encoded again: JPEG at quality 95 with 4:4:4 chroma
(no colour bleeding around the thin strokes of the label), PNG losslessly, WebP losslessly when
the source was lossless (VP8L) and at quality 95 otherwise. The source's metadata is grafted
onto the new file unchanged: JPEG APPn/COM segments, PNG text/colour/physical chunks, WebP
ICCP/EXIF/XMP chunks, so nothing the producer wrote is lost. GIF and animated WebP and PNG
(every frame), TIFF and HEIF/AVIF: see visible_gif, visible_frames and reencode_more. Other
formats are refused.

EXIF orientation: the label goes where the viewer sees the bottom-right (or the place asked
for). JPEG, PNG and WebP: the picture is turned as a viewer turns it (the same transposes the
scan applies, markcheck.media.image), drawn on, and turned back, so the pixels stay stored as
they were and the EXIF block, its Orientation tag and its thumbnail are kept byte for byte.
TIFF: Pillow decodes it upright, so the picture is written upright without the tag.
"""

from __future__ import annotations

import io
import struct

from PIL import Image

from markcheck.media.image import _TRANSPOSE, eight_bit
from markcheck.writers import WriterError, reencode_more
from markcheck.writers import png as png_writer
from markcheck.writers import webp as webp_writer
from markcheck.writers.jpeg import _segments
from markcheck.writers.visible import Drawn, VisibleSpec, draw_label

VISIBLE_FORMATS = ("jpeg", "png", "webp", "gif", "tiff", "heif", "avif")
# Formats whose EXIF orientation Pillow leaves to us; Pillow's AVIF plugin gives the
# container's irot/imir so (pillow-heif applies them while decoding HEIF, and says 1).
_ORIENTED = ("jpeg", "png", "webp", "avif")
# The transpose that undoes each of _TRANSPOSE's (the rotations swap; flips undo themselves).
_UNDO = {Image.Transpose.ROTATE_90: Image.Transpose.ROTATE_270,
         Image.Transpose.ROTATE_270: Image.Transpose.ROTATE_90}  # fmt: skip
JPEG_QUALITY = 95
WEBP_QUALITY = 95
_PNG_META = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"sRGB", b"gAMA", b"cHRM", b"pHYs",
             b"tIME"}  # fmt: skip
_MAX_PIXELS = 120_000_000


def _open(data: bytes, fmt: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > _MAX_PIXELS:
            raise WriterError(f"{image.width}x{image.height} is over the pixel limit")
        if getattr(image, "n_frames", 1) > 1 and fmt not in ("gif", "webp", "png"):
            raise WriterError(
                f"{fmt} with several frames or pages: visible labels are drawn on still "
                "pictures and on GIF, WebP and PNG animations only"
            )
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
    return graft_png_meta(data, out.getvalue())


def graft_png_meta(source: bytes, new: bytes) -> bytes:
    """`new` PNG with the source's text, colour and physical chunks in place of its own, before
    its animation control (APNG) or first image data."""
    meta = [(k, b) for k, b in png_writer._chunks(source) if k in _PNG_META]
    kinds = {k for k, _ in meta}
    chunks = [(k, b) for k, b in png_writer._chunks(new) if k not in kinds]
    at = next(i for i, (k, _) in enumerate(chunks) if k in (b"acTL", b"IDAT"))
    chunks[at:at] = meta
    return png_writer.SIGNATURE + b"".join(png_writer._chunk(k, b) for k, b in chunks)


def webp_encoding(chunks: list[tuple[bytes, bytes]]) -> dict:
    """Encoder options keeping a WebP's kind, from its (or its first frame's) `chunks`:
    lossless where its bitstream is (VP8L), else at WEBP_QUALITY."""
    lossless = any(kind == b"VP8L" for kind, _ in chunks)
    return {"lossless": True} if lossless else {"quality": WEBP_QUALITY}


def _webp(data: bytes, image: Image.Image) -> bytes:
    source = webp_writer._chunks(data)
    out = io.BytesIO()
    image.save(out, format="WEBP", exact=True, **webp_encoding(source))
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
    source = _open(data, fmt)
    if fmt == "gif":
        from markcheck.writers.visible_gif import burn_gif

        return burn_gif(data, source, spec)
    if fmt in ("webp", "png") and getattr(source, "n_frames", 1) > 1:
        from markcheck.writers.visible_frames import burn_animation

        return burn_animation(data, source, spec, fmt)
    image = eight_bit(source)  # a 16-bit grey picture is written back as 8-bit
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert(
            "RGBA" if "A" in image.mode or "transparency" in image.info else "RGB"
        )
    orientation = source.getexif().get(0x0112, 1) if fmt in _ORIENTED else 1
    turn = _TRANSPOSE.get(orientation)
    shown = image.transpose(turn) if turn is not None else image
    drawn_image, drawn = draw_label(shown, spec)  # placed on the picture as displayed
    if fmt == "tiff":
        return reencode_more.tiff(drawn_image, source), drawn
    if fmt in ("heif", "avif"):  # written upright, with no transform (reencode_more)
        return reencode_more.heif(drawn_image, source, fmt), drawn
    if turn is not None:
        drawn_image = drawn_image.transpose(_UNDO.get(turn, turn))
    encode = {"jpeg": _jpeg, "png": _png, "webp": _webp}[fmt]
    return encode(data, drawn_image), drawn
