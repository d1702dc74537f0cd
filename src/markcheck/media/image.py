"""Decode an image once, at no more resolution than the visible-label check needs."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

# Pillow's own guard against decompression bombs, set deliberately (not left to its default):
# a declared size above this is refused before any pixel is decoded.
MAX_PIXELS = 250_000_000


# EXIF orientation -> the transpose that shows the picture upright.
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class ImageDecodeError(Exception):
    """The pixels cannot be decoded (format without a decoder, bomb, corrupt data)."""


@dataclass
class DecodedImage:
    pixels: np.ndarray  # RGB, uint8, at `scale` of the original
    scale: float  # decoded size / original size
    width: int  # original (display-oriented) size
    height: int
    # The decode before it was shrunk to `pixels` (None when it was not shrunk): a finer
    # measure or a full-resolution close-up of a few lines needs no second decode.
    decoded: np.ndarray | None = None
    decoded_scale: float = 1.0

    def finest(self) -> tuple[np.ndarray, float]:
        """The sharpest pixels decoded, and their scale of the original."""
        if self.decoded is not None:
            return self.decoded, self.decoded_scale
        return self.pixels, self.scale


def _register_heif() -> None:
    """HEIC/HEIF photos (iPhone, Android) decode through pillow-heif's Pillow plugin; without
    it they stay undecodable and the visible-label rules say unknown."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return
    register_heif_opener()


_register_heif()


def load_image(path: Path, min_short_side: int) -> DecodedImage:
    """Decode `path` so that its shortest side is at least `min_short_side` px where possible.

    JPEGs decode straight at 1/2, 1/4 or 1/8 scale (DCT scaling), which is where most of the
    saving on large photos comes from. EXIF orientation is applied: positions are judged on
    the picture as displayed. Animated images give their first frame.
    """
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageDecodeError(
                        f"{width}x{height} pixels is over the {MAX_PIXELS:,}-pixel limit"
                    )
                factor = max(1.0, min(width, height) / max(1, min_short_side))
                if image.format == "JPEG" and factor >= 2:
                    image.draft("RGB", (int(width / factor) + 1, int(height / factor) + 1))
                frame = image.convert("RGB")
                # Read after decoding: Pillow turns some formats (TIFF) upright itself while
                # decoding and then drops the tag; turning those again would be wrong.
                orientation = image.getexif().get(0x0112, 1)
                if orientation in _TRANSPOSE:
                    frame = frame.transpose(_TRANSPOSE[orientation])
                if orientation in (5, 6, 7, 8):
                    width, height = height, width
    except ImageDecodeError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageDecodeError(f"over the {MAX_PIXELS:,}-pixel limit: {exc}") from exc
    except (
        OSError,
        ValueError,
        SyntaxError,
    ) as exc:
        raise ImageDecodeError(f"pixels cannot be decoded: {exc}") from exc
    pixels = decoded = np.asarray(frame)
    shortest = min(pixels.shape[:2])
    if shortest <= min_short_side:
        return DecodedImage(pixels, pixels.shape[1] / width, width, height)
    # OpenCV's area filter: several times faster than Pillow's resize at this size.
    factor = min_short_side / shortest
    pixels = cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return DecodedImage(
        pixels, pixels.shape[1] / width, width, height, decoded, decoded.shape[1] / width
    )
