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


# Pillow's grey modes deeper than 8 bits: 16-bit (a 16-bit greyscale PNG or TIFF opens as
# I;16), 32-bit integer and float. Its convert("RGB") clips their values at 255.
_DEEP_GREY = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")


def eight_bit(image: Image.Image) -> Image.Image:
    """`image` as 8-bit grey ("L") where its mode is a deeper grey (_DEEP_GREY), scaled from
    its depth's full range (16-bit: 65,535; a float's: 1.0, or 255 where values go past 1);
    other images unchanged. Pillow's own conversion clips such values at 255: a 16-bit
    greyscale picture would turn white, its label with it."""
    if image.mode not in _DEEP_GREY:
        return image
    values = np.asarray(image, dtype=np.float64)
    brightest = float(values.max(initial=0.0))
    if image.mode == "F":
        full = 1.0 if brightest <= 1.0 else 255.0
    else:  # "I" holds 16-bit values where any goes past 8 bits (Pillow's older 16-bit PNG mode)
        full = 255.0 if image.mode == "I" and brightest <= 255 else 65535.0
    return Image.fromarray(np.clip(np.rint(values * (255.0 / full)), 0, 255).astype(np.uint8))


# What a transparent picture is looked at over: mid-grey, against which both black and white
# text stand out (dropping the alpha shows the transparent pixels' stored colour, often black,
# and black text on a transparent background vanished).
BEHIND_TRANSPARENCY = (128, 128, 128)


def _shown(image: Image.Image) -> Image.Image:
    """`image` as RGB, as seen: a transparent one composited over BEHIND_TRANSPARENCY."""
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        behind = Image.new("RGBA", rgba.size, (*BEHIND_TRANSPARENCY, 255))
        return Image.alpha_composite(behind, rgba).convert("RGB")
    return image.convert("RGB")


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


# EXIF orientation -> the same transpose on an array (rows, columns, channels).
_TURN = {
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1],
    5: lambda a: a.transpose(1, 0, 2),
    6: lambda a: cv2.rotate(a, cv2.ROTATE_90_CLOCKWISE),
    7: lambda a: a[::-1, ::-1].transpose(1, 0, 2),
    8: lambda a: cv2.rotate(a, cv2.ROTATE_90_COUNTERCLOCKWISE),
}
# OpenCV's JPEG decode at 1/8, 1/4 or 1/2 scale (DCT scaling, as Pillow's draft).
_REDUCED = ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4),
            (2, cv2.IMREAD_REDUCED_COLOR_2))  # fmt: skip


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


def _jpeg_pixels(path: Path, factor: float, orientation: int) -> np.ndarray | None:
    """A whole JPEG's RGB pixels, upright, decoded by OpenCV at the coarsest DCT scale that
    keeps `factor` (about a third of Pillow's cost at 1080p: no copies between libraries).
    None, for Pillow to decode or refuse, where the file does not end with the end-of-image
    marker (truncated, or with data appended, such as a motion photo's video) or where
    OpenCV cannot decode it (12-bit or arithmetic-coded, say)."""
    data = np.fromfile(path, dtype=np.uint8)
    if data[-2:].tobytes() != b"\xff\xd9":
        return None
    flags = next((flag for step, flag in _REDUCED if factor >= step), cv2.IMREAD_COLOR)
    bgr = cv2.imdecode(data, flags | cv2.IMREAD_IGNORE_ORIENTATION)
    if bgr is None or bgr.dtype != np.uint8:
        return None
    pixels = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    turn = _TURN.get(orientation)
    return np.ascontiguousarray(turn(pixels)) if turn else pixels


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
                frame = None
                if image.format == "JPEG":
                    orientation = image.getexif().get(0x0112, 1)
                    frame = _jpeg_pixels(path, factor, orientation)
                if frame is None:  # not a JPEG, not whole, or not for OpenCV: Pillow
                    if image.format == "JPEG" and factor >= 2:
                        image.draft("RGB", (int(width / factor) + 1, int(height / factor) + 1))
                    frame = _shown(eight_bit(image))
                    # Read after decoding: Pillow turns some formats (TIFF) upright itself
                    # while decoding and then drops the tag; turning those again would be wrong.
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
    pixels = decoded = frame if isinstance(frame, np.ndarray) else np.asarray(frame)
    shortest = min(pixels.shape[:2])
    if shortest <= min_short_side:
        return DecodedImage(pixels, pixels.shape[1] / width, width, height)
    # OpenCV's area filter: several times faster than Pillow's resize at this size.
    factor = min_short_side / shortest
    pixels = cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return DecodedImage(
        pixels, pixels.shape[1] / width, width, height, decoded, decoded.shape[1] / width
    )
