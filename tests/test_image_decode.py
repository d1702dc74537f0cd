"""Decoding a picture once, upright, at the resolution the visible-label check needs."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageOps

from markcheck.media.image import ImageDecodeError, load_image
from media_builders import grey16_png


def photo_like(width: int = 500, height: int = 300) -> Image.Image:
    rng = np.random.default_rng(7)
    pixels = np.repeat(np.linspace(0, 255, width, dtype=np.uint8)[None, :, None], height, 0)
    pixels = np.repeat(pixels, 3, 2)
    pixels[: height // 6, : width // 6] = (255, 0, 0)  # the top-left corner is red
    pixels += rng.integers(0, 20, pixels.shape, dtype=np.uint8)
    return Image.fromarray(pixels)


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("short_side", [300, 140, 70, 30])
def test_a_jpeg_decodes_upright_at_the_size_asked(tmp_path, orientation, short_side):
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"o{orientation}.jpg"
    photo_like().save(path, quality=92, exif=exif)
    with Image.open(path) as stored:
        upright = np.asarray(ImageOps.exif_transpose(stored).convert("RGB"), dtype=np.int16)
    decoded = load_image(path, short_side)
    assert (decoded.width, decoded.height) == (upright.shape[1], upright.shape[0])
    # Decoded at least as fine as asked (DCT scaling at most halves it too far: never).
    assert min(decoded.pixels.shape[:2]) >= min(short_side, 300) - 1
    # The same picture as Pillow shows it, scaled: its red corner where the viewer sees it.
    shown = np.asarray(
        Image.fromarray(upright.astype(np.uint8)).resize(decoded.pixels.shape[1::-1]),
        dtype=np.int16,
    )
    assert np.abs(decoded.pixels.astype(np.int16) - shown).mean() < 12


def test_a_truncated_jpeg_is_an_error_not_a_grey_picture(tmp_path):
    path = tmp_path / "cut.jpg"
    photo_like().save(path, quality=90)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageDecodeError):
        load_image(path, 300)


def test_a_jpeg_with_data_after_it_still_decodes(tmp_path):
    # A motion photo: the video follows the JPEG's end-of-image marker.
    path = tmp_path / "motion.jpg"
    photo_like().save(path, quality=90)
    path.write_bytes(path.read_bytes() + b"\0\0\0\x18ftypmp42" + bytes(5000))
    decoded = load_image(path, 300)
    assert decoded.pixels.shape == (300, 500, 3)


def test_a_16_bit_greyscale_picture_decodes_to_its_8_bit_values(tmp_path):
    # Pillow's convert("RGB") clips 16-bit values at 255: the picture turned white.
    eight = np.asarray(photo_like().convert("L"))
    path = grey16_png(tmp_path / "grey16.png", eight)
    decoded = load_image(path, 10**6)
    assert decoded.pixels.shape == (*eight.shape, 3)
    assert np.abs(decoded.pixels[:, :, 0].astype(int) - eight).max() <= 1


def test_float_and_32_bit_grey_scale_from_their_range():
    from markcheck.media.image import eight_bit

    ramp = np.linspace(0, 1, 256, dtype=np.float32)[None, :].repeat(4, 0)
    assert np.array_equal(np.asarray(eight_bit(Image.fromarray(ramp, "F")))[0], np.arange(256))
    wide = (np.arange(256, dtype=np.int32) * 257)[None, :].repeat(4, 0)
    assert np.array_equal(np.asarray(eight_bit(Image.fromarray(wide, "I")))[0], np.arange(256))
    narrow = np.arange(256, dtype=np.int32)[None, :].repeat(4, 0)  # 8-bit values held as "I"
    assert np.array_equal(np.asarray(eight_bit(Image.fromarray(narrow, "I")))[0], np.arange(256))
    rgb = photo_like()
    assert eight_bit(rgb) is rgb


def test_a_transparent_picture_is_seen_over_grey(tmp_path):
    # Dropping the alpha showed the transparent pixels' stored colour (black here), and black
    # text drawn on the transparent part vanished into it.
    from markcheck.media.image import BEHIND_TRANSPARENCY

    pixels = np.zeros((60, 80, 4), dtype=np.uint8)  # transparent black
    pixels[20:40, 10:30] = (0, 0, 0, 255)  # opaque black
    pixels[20:40, 50:70] = (255, 255, 255, 128)  # half-transparent white
    path = tmp_path / "sticker.png"
    Image.fromarray(pixels, "RGBA").save(path)
    shown = load_image(path, 10**6).pixels.astype(int)
    assert (shown[0, 0] == BEHIND_TRANSPARENCY).all()
    assert (shown[30, 20] == 0).all()
    half = (255 * 128 + BEHIND_TRANSPARENCY[0] * 127) / 255
    assert (np.abs(shown[30, 60] - half) <= 1).all()
