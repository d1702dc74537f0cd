"""The DWT-DCT watermark of the `invisible-watermark` package (its `EmbedMaxDct`), in NumPy.

Matches invisible-watermark 0.2.0 `imwatermark/maxDct.py` with its defaults (scales
[0, 36, 36], 4x4 blocks) bit for bit on the same input:

- the picture (BGR, uint8 or float32) goes to YUV with OpenCV; only channel 1 (U) carries
  the mark, because the reference loops over `range(2)` and channel 0's scale is 0;
- a one-level Haar DWT of U, cropped to a multiple of 4 px; its approximation band is cut
  into 4x4 blocks, row by row, block k carrying bit k mod len(message);
- in each block the coefficient of largest magnitude (the first one excluded) is quantised:
  |c| -> (|c| // 36 + 0.25 + 0.5 * bit) * 36, sign kept; a decoder reads bit = (|c| % 36 > 18)
  and takes each bit's mean over its blocks, 1 when mean * 255 > 127;
- the encoder rebuilds U with the horizontal and vertical detail bands swapped (the
  reference passes (cV, cH, cD) to idwt2), and writes it back into the YUV array's dtype.

The Haar sums below are done in the order PyWavelets does them (rows first, each output a
sum of two products), so the floating-point results are identical, not just close.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

SCALE = 36
BLOCK = 4
MIN_PIXELS = 256 * 256  # the reference refuses smaller pictures, so no pipeline marks them


def _float(channel: np.ndarray) -> np.ndarray:
    # PyWavelets keeps float32 and turns every other dtype into float64.
    return channel if channel.dtype in (np.float32, np.float64) else channel.astype(np.float64)


def _approximation(x: np.ndarray) -> np.ndarray:
    # Each product rounded, then the sum: PyWavelets' order. In-place sums spare temporaries.
    h = x.dtype.type(np.sqrt(0.5))
    low = np.multiply(x[0::2], h)
    low += np.multiply(x[1::2], h)
    ca = np.multiply(low[:, 0::2], h)
    ca += np.multiply(low[:, 1::2], h)
    return ca


def _blocks(ca: np.ndarray) -> tuple[np.ndarray, int, int]:
    rows, cols = ca.shape[0] // BLOCK, ca.shape[1] // BLOCK
    view = ca[: rows * BLOCK, : cols * BLOCK].reshape(rows, BLOCK, cols, BLOCK)
    return view.swapaxes(1, 2).reshape(rows * cols, BLOCK * BLOCK), rows, cols


def _strongest(blocks: np.ndarray) -> np.ndarray:
    """Index (1..15) of each block's coefficient of largest magnitude, the first excluded."""
    return np.abs(blocks[:, 1:]).argmax(axis=1) + 1


def u_channel(image: np.ndarray, rgb: bool = False) -> np.ndarray:
    """The U plane the reference works on, cropped to a multiple of 4 px, as PyWavelets sees it.

    `rgb=True` takes RGB input. For uint8 OpenCV's two conversions differ only in channel
    order; for float32 they differ in the last bit of some pixels, so float input must be BGR
    to match the reference.
    """
    return u_of(to_yuv(image, rgb))


def to_yuv(image: np.ndarray, rgb: bool = False) -> np.ndarray:
    """The whole YUV array the reference converts `image` to (BGR input, or RGB with `rgb`)."""
    return cv2.cvtColor(image, cv2.COLOR_RGB2YUV if rgb else cv2.COLOR_BGR2YUV)


def u_of(yuv: np.ndarray) -> np.ndarray:
    """The U plane of a YUV array, cropped to a multiple of 4 px, as PyWavelets sees it."""
    rows, cols = yuv.shape[0] // 4 * 4, yuv.shape[1] // 4 * 4
    return _float(yuv[:rows, :cols, 1])


def block_votes(u: np.ndarray) -> np.ndarray:
    """Each block's bit reading (bool), in the reference's block order."""
    ca = _approximation(u)
    rows, cols = ca.shape[0] // BLOCK * BLOCK, ca.shape[1] // BLOCK * BLOCK
    magnitude = np.abs(ca[:rows, :cols], out=ca[:rows, :cols])
    # The reference quantises the strongest coefficient but the first; only its magnitude
    # matters to the reading, and that is the block's maximum once the first is zeroed
    # (magnitudes are >= 0, so a tie or an all-zero block reads the same value). Pairwise
    # maxima over rows then columns need no per-block copy nor argmax.
    magnitude[0::BLOCK, 0::BLOCK] = 0
    top = np.maximum(magnitude[0::2], magnitude[1::2])
    top = np.maximum(top[0::2], top[1::2])
    top = np.maximum(top[:, 0::2], top[:, 1::2])
    top = np.maximum(top[:, 0::2], top[:, 1::2])
    return (np.mod(top, SCALE) > 0.5 * SCALE).ravel()


def bit_means(votes: np.ndarray, length: int) -> np.ndarray:
    """Mean vote of each of `length` message bits (NaN for a bit that got no block)."""
    slots = np.arange(len(votes)) % length
    ones = np.bincount(slots, weights=votes, minlength=length)
    counts = np.bincount(slots, minlength=length)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ones / counts


def bits_from_means(means: np.ndarray) -> np.ndarray:
    return means * 255 > 127  # the reference's rule (NaN reads as 0)


def decode(bgr: np.ndarray, length: int) -> np.ndarray:
    """The `length` bits the reference decoder reads from `bgr` (uint8 or float32 BGR)."""
    return bits_from_means(bit_means(block_votes(u_channel(bgr)), length))


def encode(bgr: np.ndarray, bits: Sequence[int]) -> np.ndarray:
    """Embed `bits` as the reference encoder does; returns a new array of `bgr`'s dtype."""
    yuv = to_yuv(bgr)
    embed_yuv(yuv, bits)
    return cv2.cvtColor(yuv, cv2.COLOR_YUV2BGR)


def embed_yuv(yuv: np.ndarray, bits: Sequence[int]) -> None:
    """Embed `bits` into the U plane of a YUV array in place, as the reference encoder does."""
    rows, cols = yuv.shape[0] // 4 * 4, yuv.shape[1] // 4 * 4
    x = u_of(yuv)
    h = x.dtype.type(np.sqrt(0.5))
    low, high = x[0::2] * h + x[1::2] * h, x[0::2] * h - x[1::2] * h
    ca = low[:, 0::2] * h + low[:, 1::2] * h
    ch = high[:, 0::2] * h + high[:, 1::2] * h
    cv = low[:, 0::2] * h - low[:, 1::2] * h
    cd = high[:, 0::2] * h - high[:, 1::2] * h

    blocks, brows, bcols = _blocks(ca)
    index = np.arange(len(blocks))
    pos = _strongest(blocks)
    value = blocks[index, pos]
    wanted = np.asarray(bits, dtype=np.float64)[index % len(bits)]
    magnitude = (np.abs(value) // SCALE + 0.25 + 0.5 * wanted) * SCALE
    blocks[index, pos] = np.where(value >= 0, magnitude, -magnitude)
    ca[: brows * BLOCK, : bcols * BLOCK] = (
        blocks.reshape(brows, bcols, BLOCK, BLOCK).swapaxes(1, 2).reshape(brows * 4, bcols * 4)
    )

    # idwt2((ca, (cv, ch, cd))): columns first, then rows, with the detail bands swapped.
    def up(lo: np.ndarray, hi: np.ndarray, axis: int) -> np.ndarray:
        shape = list(lo.shape)
        shape[axis] *= 2
        out = np.empty(shape, lo.dtype)
        even, odd = lo * h + hi * h, lo * h - hi * h
        if axis == 0:
            out[0::2], out[1::2] = even, odd
        else:
            out[:, 0::2], out[:, 1::2] = even, odd
        return out

    u = up(up(ca, ch, 1), up(cv, cd, 1), 0)
    yuv[:rows, :cols, 1] = u  # cast to the array's dtype exactly as the reference's assignment
