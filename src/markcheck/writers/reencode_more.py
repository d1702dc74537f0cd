"""Encoders for the visible label on TIFF and HEIF/AVIF: the drawn picture, the source's
metadata carried over.

TIFF: Pillow's own TIFF writer, uncompressed. It is the one that writes the EXIF, GPS and
Interop sub-IFDs (libtiff, behind Pillow's LZW/Deflate, refuses their pointers), so every
IFD0 tag that is not about the pixel layout is kept: XMP (700), ICC (34675), Software,
Artist, resolution, and the sub-IFDs. Pillow decodes a TIFF upright (it applies and drops the
Orientation tag), so the written picture is upright and has no Orientation tag.

HEIF/AVIF: encoded again at quality 90 with 4:4:4 chroma (no colour bleeding around the thin
strokes), the source's EXIF, XMP and ICC profile passed to the encoder. A picture its
container rotates or mirrors (`irot`/`imir`: iPhone photos taken upright) is drawn on as
displayed and written upright with no transform and no EXIF orientation, as TIFF is: the
encoders turn an EXIF orientation into a container transform, which would turn the drawn
picture a second time.
"""

from __future__ import annotations

import io

from PIL import Image

from markcheck.writers import WriterError

HEIF_QUALITY = 90
# IFD0 tags that describe the pixel layout the new encoding decides for itself.
_LAYOUT_TAGS = (254, 255, 256, 257, 258, 259, 262, 266, 273, 274, 277, 278, 279, 284, 317,
                320, 322, 323, 324, 325, 338, 339, 340, 341, 530, 531, 532)  # fmt: skip
_SUB_IFDS = (0x8769, 0x8825, 0xA005)  # EXIF, GPS, Interop


def _with_sub_ifds(exif: Image.Exif) -> Image.Exif:
    """`exif` with its EXIF, GPS and Interop sub-IFDs loaded, so that they are written back."""
    for group in _SUB_IFDS:
        if group in exif:
            exif.get_ifd(group)
    return exif


def tiff(drawn: Image.Image, source: Image.Image) -> bytes:
    exif = _with_sub_ifds(source.getexif())
    for tag in _LAYOUT_TAGS:
        if tag in exif:
            del exif[tag]
    out = io.BytesIO()
    try:
        drawn.save(out, format="TIFF", compression="raw", exif=exif)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise WriterError(f"tiff: the source's tags cannot be written again: {exc}") from None
    return out.getvalue()


def heif(drawn: Image.Image, source: Image.Image, fmt: str) -> bytes:
    kwargs = {key: source.info[key] for key in ("exif", "xmp", "icc_profile")
              if source.info.get(key)}  # fmt: skip
    if "exif" in kwargs:
        kwargs["exif"] = _upright_exif(kwargs["exif"])
    out = io.BytesIO()
    if fmt == "avif":  # Pillow's own AVIF plugin
        drawn.save(out, format="AVIF", quality=HEIF_QUALITY, subsampling="4:4:4", **kwargs)
    else:  # pillow-heif
        drawn.save(out, format="HEIF", quality=HEIF_QUALITY, chroma=444, **kwargs)
    return out.getvalue()


def _upright_exif(raw: bytes) -> bytes:
    """EXIF `raw` for a picture written upright: without an orientation other than 1 (kept
    byte for byte where it has none)."""
    exif = Image.Exif()
    exif.load(raw)
    if exif.get(0x0112, 1) in (0, 1):
        return raw
    exif = _with_sub_ifds(exif)
    del exif[0x0112]
    return exif.tobytes()
