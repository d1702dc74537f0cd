"""Make the DWT-DCT reference vectors with the reference implementation (not with markcheck).

Run in an environment that has invisible-watermark 0.2.0, PyWavelets, opencv-python-headless,
NumPy and Pillow (torch is not needed: imwatermark/maxDct.py is loaded by path, because the
package's __init__ imports its RivaGAN mode, which imports torch):

    python3 -m venv /tmp/wmref
    /tmp/wmref/bin/pip install --no-deps invisible-watermark==0.2.0
    /tmp/wmref/bin/pip install opencv-python-headless PyWavelets numpy pillow
    /tmp/wmref/bin/python tests/data/watermark/make_vectors.py

Writes cover.png, marked_sd1.png and marked_sdxl.png (one per pixel path) and vectors.json:
the SHA-256 of every reference encoder output and the bits the reference decoder reads from
the cover and from each marked picture (see README.md).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import sys
from pathlib import Path

import cv2
import numpy as np
import pywt
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))
from markcheck.vocabulary.watermarks import MESSAGES  # noqa: E402  (message bits only)


def reference_module():
    import importlib.util as iu

    package = iu.find_spec("imwatermark")  # found, not imported
    path = Path(package.submodule_search_locations[0]) / "maxDct.py"
    spec = importlib.util.spec_from_file_location("maxDct", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cover() -> np.ndarray:
    """A photo-like RGB picture: lit gradient sky, soft shapes, sensor-like noise."""
    rng = np.random.default_rng(20251129)
    h, w = 256, 320
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.zeros((h, w, 3))
    img[..., 0] = 90 + 100 * y / h
    img[..., 1] = 120 + 60 * np.sin(x / 37.0)
    img[..., 2] = 200 - 120 * y / h
    for _ in range(12):
        cy, cx, r = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(10, 60)
        colour = rng.uniform(0, 255, 3)
        mask = np.exp(-(((y - cy) ** 2 + (x - cx) ** 2) / (2 * r * r)))[..., None]
        img = img * (1 - 0.8 * mask) + colour * 0.8 * mask
    img += rng.normal(0, 2, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def main() -> None:
    ref = reference_module()
    rgb = cover()
    Image.fromarray(rgb).save(HERE / "cover.png", optimize=True)
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    out = {
        "reference": "invisible-watermark "
        + importlib.metadata.version("invisible-watermark")
        + " imwatermark/maxDct.py EmbedMaxDct (defaults)",
        "pywavelets": pywt.__version__,
        "opencv": cv2.__version__,
        "numpy": np.__version__,
        "cover_decodes": {},
        "marked": {},
    }
    for message in MESSAGES:
        n = len(message.bits)
        for pixels in ("uint8", "float32"):
            arr = bgr if pixels == "uint8" else bgr.astype(np.float32)
            bits = ref.EmbedMaxDct(watermarks=[], wmLen=n).decode(arr)
            out["cover_decodes"][f"{message.key}/{pixels}"] = [int(b) for b in bits]
        source = bgr if message.pixels == "uint8" else bgr.astype(np.float32)
        marked = ref.EmbedMaxDct(list(message.bits), wmLen=n).encode(source.copy())
        encoded_sha256 = hashlib.sha256(np.ascontiguousarray(marked).tobytes()).hexdigest()
        if message.pixels == "float32":
            # What the pipelines do next: clamp and round to 8 bits.
            marked = np.clip(np.round(marked), 0, 255).astype(np.uint8)
        if message.key in ("sd1", "sdxl"):
            Image.fromarray(marked[..., ::-1]).save(HERE / f"marked_{message.key}.png")
        decodes = {}
        for pixels in ("uint8", "float32"):
            arr = marked if pixels == "uint8" else marked.astype(np.float32)
            bits = ref.EmbedMaxDct(watermarks=[], wmLen=n).decode(arr)
            decodes[pixels] = [int(b) for b in bits]
        out["marked"][message.key] = {
            "pixels": message.pixels,
            "encoded_sha256": encoded_sha256,
            "decodes": decodes,
        }
    (HERE / "vectors.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
