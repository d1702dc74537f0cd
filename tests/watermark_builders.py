"""Pictures for the watermark tests and benchmark: photo-like pixels, marked as pipelines do."""

from __future__ import annotations

import cv2
import numpy as np

from markcheck.detectors import dwtdct
from markcheck.vocabulary.watermarks import BY_KEY

# The size each pipeline outputs by default (SD 1.x 512, SD 2.x 768, SDXL and FLUX 1024).
NATIVE_SIDE = {"sd1": 512, "sd2": 768, "sdxl": 1024, "sdxl-rgb": 1024, "flux": 1024}


def photo(height: int, width: int, seed: int) -> np.ndarray:
    """Photo-like RGB uint8: octaves of smooth noise (a falling spectrum) plus sensor noise."""
    rng = np.random.default_rng(seed)
    img = np.zeros((height, width, 3))
    for octave, amplitude in ((8, 90), (32, 40), (128, 18), (512, 8)):
        cells = rng.uniform(
            -1, 1, (max(2, height * octave // 1024), max(2, width * octave // 1024), 3)
        )
        img += amplitude * cv2.resize(cells, (width, height), interpolation=cv2.INTER_CUBIC)
    img += 128 + rng.normal(0, 2.5, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def mark(rgb: np.ndarray, key: str) -> np.ndarray:
    """`rgb` with generator `key`'s message, embedded as its pipeline does and saved as 8 bits.

    SD 1.x/2.x: BGR uint8 into the encoder. SDXL/FLUX: BGR float32 in 0..255, then rounded;
    "sdxl-rgb": the same with RGB passed as is (diffusers before its channel-order fix).
    """
    message = BY_KEY[key]
    flip = message.order == "bgr"  # "rgb": the pipeline handed RGB over as if it were BGR
    given = np.ascontiguousarray(rgb[..., ::-1] if flip else rgb)
    if message.pixels == "float32":
        given = given.astype(np.float32)
    out = dwtdct.encode(given, message.bits)
    out = np.clip(np.round(out), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(out[..., ::-1] if flip else out)
