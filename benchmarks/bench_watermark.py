"""Invisible watermarks: false positives, recall under edits, the control, and cost.

Figures printed side by side:
- false positives of markcheck's DWT-DCT decoder on >= 1,000 unmarked pictures: real
  photographs (those scikit-image ships, when it is installed), photo-like generated pictures,
  textures, screenshots with text, flat colours, the project's samples, their crops, rescales
  and JPEG re-encodes; with the highest bit count each message reached beside its threshold;
- recall on marked pictures (made with markcheck's encoder; when the reference package is
  importable its encoder's output is checked byte for byte on the first pictures) clean and
  after JPEG q 95/85/75, resize 0.75x/0.5x, crop 5 %/10 %; the positive control's agreement
  with each outcome; the reference decoder's hit rate on a subset of the same pictures;
- cost per 1080p picture: markcheck's decode, with the control, and the reference decode of
  the same messages (imwatermark/maxDct.py, Python loops).

The reference (invisible-watermark, PyWavelets) belongs in the benchmark's own environment,
never in markcheck's: see tests/data/watermark/README.md. Usage:

    PYTHONPATH=src python benchmarks/bench_watermark.py [--recall-images 12] [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import sys
import time
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from markcheck.detectors import dwtdct  # noqa: E402
from markcheck.detectors import watermark as wm  # noqa: E402
from markcheck.vocabulary.watermarks import MESSAGES  # noqa: E402
from watermark_builders import NATIVE_SIDE, mark, photo  # noqa: E402


def reference():
    """imwatermark/maxDct.py loaded by path (the package __init__ imports torch), or None."""
    spec = importlib.util.find_spec("imwatermark")
    if spec is None or importlib.util.find_spec("pywt") is None:
        return None
    path = Path(spec.submodule_search_locations[0]) / "maxDct.py"
    module_spec = importlib.util.spec_from_file_location("maxDct", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def photographs() -> list[tuple[str, np.ndarray]]:
    """Real photographs shipped inside scikit-image's wheel (no download), when installed."""
    if importlib.util.find_spec("skimage") is None:
        return []
    import skimage

    folder = Path(skimage.__file__).parent / "data"
    names = ["astronaut.png", "camera.png", "chelsea.png", "coffee.png", "hubble_deep_field.jpg",
             "motorcycle_left.png", "motorcycle_right.png", "retina.jpg", "rocket.jpg", "moon.png",
             "grass.png", "gravel.png", "brick.png", "coins.png", "page.png", "text.png",
             "ihc.png", "microaneurysms.png", "cell.png", "horse.png", "color.png"]  # fmt: skip
    found = []
    for name in names:
        if (folder / name).is_file():
            with Image.open(folder / name) as image:
                found.append((f"photo:{name}", np.asarray(image.convert("RGB"))))
    return found


def screenshot(seed: int, width: int = 1280, height: int = 800) -> np.ndarray:
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (width, height), tuple(int(v) for v in rng.integers(180, 256, 3)))
    draw = ImageDraw.Draw(image)
    size = int(rng.integers(12, 28))
    font = ImageFont.load_default(size=size)
    y = 10
    while y < height - size:
        x = int(rng.integers(5, 60))
        if rng.random() < 0.2:
            draw.rectangle([x, y, x + int(rng.integers(80, 400)), y + size + 6],
                           fill=tuple(int(v) for v in rng.integers(0, 256, 3)))  # fmt: skip
        words = " ".join(f"word{int(v)}" for v in rng.integers(0, 10**4, int(rng.integers(3, 15))))
        draw.text((x, y), words, fill=tuple(int(v) for v in rng.integers(0, 90, 3)), font=font)
        y += size + int(rng.integers(4, 20))
    return np.asarray(image)


def texture(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(300, 1100)), int(rng.integers(300, 1500))
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    kind = seed % 5
    if kind == 0:  # periodic stripes, some at the block period
        period = float(rng.choice([4, 8, 16, 7.3, 33.0]))
        base = 128 + 100 * np.sin(2 * np.pi * (x * rng.random() + y) / period)
    elif kind == 1:  # checkerboard
        cell = int(rng.choice([2, 4, 8, 16, 24]))
        base = 60 + 140 * (((x // cell) + (y // cell)) % 2)
    elif kind == 2:  # gradient
        base = 255 * (x / w * rng.random() + y / h * rng.random()) / 2
    elif kind == 3:  # white noise
        base = rng.uniform(0, 255, (h, w))
    else:  # blurred noise
        base = cv2.GaussianBlur(rng.uniform(0, 255, (h, w)), (0, 0), float(rng.uniform(1, 6)))
    tint = rng.uniform(0.5, 1.2, 3)
    return np.clip(base[..., None] * tint, 0, 255).astype(np.uint8)


def jpeg(rgb: np.ndarray, quality: int) -> tuple[np.ndarray, Image.Image]:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    image = Image.open(buffer)
    return np.asarray(image.convert("RGB")), image


def variants(name: str, rgb: np.ndarray, rng: np.random.Generator):
    """The picture, a crop, a rescale, and JPEG re-encodes of each (pixels, source image)."""
    h, w = rgb.shape[:2]
    out = [(name, rgb)]
    dy, dx = int(rng.integers(0, max(1, h // 10))), int(rng.integers(0, max(1, w // 10)))
    out.append((f"{name}/crop", rgb[dy : h - dy // 2, dx : w - dx // 3]))
    factor = float(rng.choice([0.6, 1.4, 2.0]))
    out.append((f"{name}/x{factor}", cv2.resize(rgb, None, fx=factor, fy=factor)))
    for label, pixels in list(out):
        if pixels.shape[0] * pixels.shape[1] < dwtdct.MIN_PIXELS:
            continue
        yield label, pixels, None
        quality = int(rng.choice([60, 75, 90]))
        decoded, image = jpeg(np.ascontiguousarray(pixels), quality)
        yield f"{label}/q{quality}", decoded, image


def unmarked_corpus(quick: bool):
    rng = np.random.default_rng(7)
    bases: list[tuple[str, np.ndarray]] = photographs()
    n = 20 if quick else 110
    for seed in range(n):
        side = (int(rng.integers(300, 1080)), int(rng.integers(300, 1920)))
        bases.append((f"photo-like:{seed}", photo(*side, seed=1000 + seed)))
        bases.append((f"texture:{seed}", texture(seed)))
        if seed % 2 == 0:
            bases.append((f"screenshot:{seed}", screenshot(seed)))
    for value in (0, 1, 16, 64, 127, 128, 200, 254, 255):
        bases.append((f"flat:{value}", np.full((512, 512, 3), value, np.uint8)))
    for path in sorted(ROOT.glob("samples/**/*")) + sorted(ROOT.glob("tests/data/**/cover.png")):
        if path.suffix.lower() in (".jpg", ".png", ".webp", ".tif", ".gif"):
            try:
                with Image.open(path) as image:
                    bases.append(
                        (f"file:{path.relative_to(ROOT)}", np.asarray(image.convert("RGB")))
                    )
            except OSError:
                pass
    for name, rgb in bases:
        yield from variants(name, rgb, rng)


def false_positives(quick: bool) -> None:
    count, hits = 0, []
    best: dict[str, int] = defaultdict(int)  # by message key
    kinds: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    for name, rgb, source in unmarked_corpus(quick):
        found, readings = wm.search_dwtdct(np.ascontiguousarray(rgb), source, with_control=False)
        count += 1
        kinds[name.split(":")[0]] += 1
        for reading in readings:
            best[reading.key] = max(best[reading.key], reading.bits_matched)
        hits += [(name, h.generator, h.bits_matched) for h in found]
    took = time.perf_counter() - started
    print(f"\n== false positives: {count} unmarked pictures ({dict(kinds)}), {took:.0f} s")
    print(f"hits: {len(hits)}  (rate {len(hits) / count:.4f})  {hits[:5]}")
    print(f"{'message':10} {'bits':>5} {'threshold':>9} {'max seen':>9} {'binomial p(>=thr)':>18}")
    for message in MESSAGES:
        n = len(message.bits)
        print(f"{message.key:10} {n:5d} {wm.min_bits(n):9d} {best[message.key]:9d}"
              f" {wm.tail(n, wm.min_bits(n)):18.2e}")  # fmt: skip


def transforms():
    def resize(f):
        return lambda rgb: (cv2.resize(rgb, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), None)

    def crop(share, where):
        def cut(rgb):
            h, w = rgb.shape[:2]
            dy, dx = int(h * share), int(w * share)
            if where == "bottom-right":
                return rgb[: h - dy, : w - dx], None
            return rgb[dy // 2 : h - dy + dy // 2, dx // 2 : w - dx + dx // 2], None

        return cut

    return {
        "clean": lambda rgb: (rgb, None),
        "jpeg q95": lambda rgb: jpeg(rgb, 95),
        "jpeg q85": lambda rgb: jpeg(rgb, 85),
        "jpeg q75": lambda rgb: jpeg(rgb, 75),
        "resize 0.75x": resize(0.75),
        "resize 0.5x": resize(0.5),
        "crop 5% (bottom-right)": crop(0.05, "bottom-right"),
        "crop 10% (bottom-right)": crop(0.10, "bottom-right"),
        "crop 10% (centred)": crop(0.10, "centre"),
    }


def reference_hit(ref, rgb: np.ndarray, message) -> bool:
    bgr = np.ascontiguousarray(rgb[..., ::-1] if message.order == "bgr" else rgb)
    arr = bgr if message.pixels == "uint8" else bgr.astype(np.float32)
    bits = ref.EmbedMaxDct(watermarks=[], wmLen=len(message.bits)).decode(arr)
    matched = int(np.count_nonzero(np.asarray(bits, bool) == np.asarray(message.bits, bool)))
    return matched >= wm.min_bits(len(message.bits))


def recall(images: int, ref) -> None:
    photos = photographs()
    kinds = "photographs and photo-like" if photos else "photo-like"
    print(f"\n== recall: {images} pictures per message at its native size ({kinds}),"
          " marked by markcheck's encoder")  # fmt: skip
    table = defaultdict(lambda: [0, 0, 0, 0, 0])  # hits, total, agree, ref_hits, ref_total
    for message in MESSAGES:
        side = NATIVE_SIDE[message.key]
        for i in range(images):
            if photos and i % 2:
                base = cv2.resize(photos[i % len(photos)][1], (side, side), cv2.INTER_AREA)
            else:
                base = photo(side, side, seed=5000 + i)
            marked = mark(base, message.key)
            if ref is not None and i < 2:  # each message, a photo-like and a photograph
                bgr = np.ascontiguousarray(base[..., ::-1] if message.order == "bgr" else base)
                if message.pixels == "float32":
                    bgr = bgr.astype(np.float32)
                theirs = ref.EmbedMaxDct(list(message.bits), wmLen=len(message.bits)).encode(bgr)
                ours = dwtdct.encode(bgr, message.bits)
                same = (
                    hashlib.sha256(theirs.tobytes()).digest()
                    == hashlib.sha256(ours.tobytes()).digest()
                )
                print(f"  encoder cross-check ({message.key}, picture {i}): "
                      f"{'identical to the reference' if same else 'DIFFERS'}")  # fmt: skip
            for label, transform in transforms().items():
                pixels, source = transform(marked)
                pixels = np.ascontiguousarray(pixels)
                found, readings = wm.search_dwtdct(pixels, source)
                (reading,) = [r for r in readings if r.key == message.key]
                row = table[(message.key, label)]
                row[0] += reading.hit
                row[1] += 1
                row[2] += (reading.control == "detectable") == reading.hit
                if ref is not None and i < 2:
                    row[3] += reference_hit(ref, pixels, message)
                    row[4] += 1
    print(f"{'message':10} {'edit':24} {'recall':>7} {'control agrees':>15} {'reference':>10}")
    for (key, label), (hit, total, agree, rhit, rtotal) in table.items():
        theirs = f"{rhit}/{rtotal}" if rtotal else "-"
        print(f"{key:10} {label:24} {hit / total:7.2f} {agree / total:15.2f} {theirs:>10}")


BUDGET_MS = 60.0  # per 1080p picture on one core, control included (docs/watermarks.md)


def cost(ref, repeats: int) -> None:
    pictures = [photo(1080, 1920, seed=s) for s in range(3)]
    if photographs():
        pictures.append(cv2.resize(photographs()[0][1], (1920, 1080)))

    def timed(fn) -> float:
        # CPU time of this process (one thread): other work on a shared machine adds wall
        # time, not CPU time.
        times = []
        for _ in range(repeats):
            for rgb in pictures:
                start = time.process_time()
                fn(rgb)
                times.append(time.process_time() - start)
        return float(np.median(times)) * 1000

    cv2.setNumThreads(1)  # one core, as the budget is stated
    ours = timed(lambda rgb: wm.search_dwtdct(rgb, None, with_control=False))
    with_control = timed(lambda rgb: wm.search_dwtdct(rgb, None, with_control=True))
    print(f"\n== CPU time per 1920x1080 picture, one thread, median of {repeats * len(pictures)}")
    n = len(MESSAGES)
    print(f"markcheck decode ({n} messages):          {ours:8.1f} ms")
    print(f"markcheck decode + positive control:    {with_control:8.1f} ms"
          f"  ({with_control / BUDGET_MS:.0%} of the {BUDGET_MS:g}-ms budget)")  # fmt: skip
    if ref is None:
        print("reference decode: not installed (see tests/data/watermark/README.md)")
        return
    theirs = []
    for rgb in pictures[:2]:
        start = time.process_time()
        for message in MESSAGES:
            bgr = np.ascontiguousarray(rgb[..., ::-1] if message.order == "bgr" else rgb)
            arr = bgr if message.pixels == "uint8" else bgr.astype(np.float32)
            ref.EmbedMaxDct(watermarks=[], wmLen=len(message.bits)).decode(arr)
        theirs.append(time.process_time() - start)
    ref_ms = float(np.median(theirs)) * 1000
    ratio = ref_ms / ours
    print(f"reference decode (same {n} messages):      {ref_ms:8.1f} ms  ({ratio:.0f}x ours)")
    same = all(
        list(dwtdct.decode(np.ascontiguousarray(rgb[..., ::-1]), len(m.bits)))
        == list(ref.EmbedMaxDct(watermarks=[], wmLen=len(m.bits)).decode(
            np.ascontiguousarray(rgb[..., ::-1])))
        for rgb in pictures[:1] for m in MESSAGES
    )  # fmt: skip
    print(f"same bits as the reference on these pictures: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recall-images", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a smaller corpus, for a smoke run")
    parser.add_argument("--parts", default="cost,recall,fp", help="which figures to make")
    args = parser.parse_args()
    ref = reference()
    print(f"reference implementation: {'imwatermark/maxDct.py' if ref else 'not installed'}")
    parts = set(args.parts.split(","))
    if "cost" in parts:
        cost(ref, args.repeats)
    if "recall" in parts:
        recall(args.recall_images, ref)
    if "fp" in parts:
        false_positives(args.quick)


if __name__ == "__main__":
    main()
