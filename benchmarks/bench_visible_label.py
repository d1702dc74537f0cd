"""Visible-label check: markcheck vs. the same OCR engine on the full frame, side by side.

For each resolution (1920x1080 and 4000x3000) it renders N labelled photographs (labels 5-10 %
of the shortest side, nine positions, four styles) and measures:
- markcheck: `markcheck.scan(..., select=["cn.explicit.present"], assume_ai=True, jobs=2)`,
  end to end (decode, detection at the threshold's resolution, recognition of candidates);
- baseline: rapidocr on the full-resolution frame with angle classification, configured for
  its best recall (`Det.limit_type=max`, `Det.limit_side_len` = the frame's longest side),
  one process using both cores.
Recall is the share of images whose label is found. Usage:

    python benchmarks/bench_visible_label.py [--images 50] [--baseline-images 50]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from label_builders import PHOTO_NAMES, POSITIONS, STYLES, photo, render_label  # noqa: E402
from markcheck import scan  # noqa: E402
from markcheck.detectors.wording import classify_label_text  # noqa: E402

TEXTS = ("AI生成", "人工智能生成", "由AI生成", "AI合成")


def make_set(folder: Path, size: tuple[int, int], count: int) -> list[Path]:
    paths = []
    for i in range(count):
        ratio = 0.05 + 0.05 * ((i * 7) % 11) / 10
        image, _ = render_label(
            photo(PHOTO_NAMES[i % 5], size),
            TEXTS[i % 4],
            ratio,
            POSITIONS[i % 9],
            STYLES[(i // 9) % 4],
        )
        path = folder / f"{size[0]}x{size[1]}-{i:03d}.jpg"
        image.save(path, quality=90)
        paths.append(path)
    return paths


def run_markcheck(paths: list[Path]) -> tuple[float, float]:
    start = time.perf_counter()
    result = scan(paths, select=["cn.explicit.present"], assume_ai=True, jobs=2)
    seconds = time.perf_counter() - start
    found = sum(any(f.outcome == "pass" for f in item.findings) for item in result.files)
    return len(paths) / seconds, found / len(paths)


def run_baseline(paths: list[Path]) -> tuple[float, float]:
    from rapidocr import RapidOCR

    engines: dict[int, RapidOCR] = {}
    found = 0
    start = time.perf_counter()
    for path in paths:
        image = np.asarray(Image.open(path).convert("RGB"))[:, :, ::-1]
        side = max(image.shape[:2])
        if side not in engines:
            engines[side] = RapidOCR(
                params={
                    "Global.log_level": "error",
                    "Global.use_cls": True,
                    "Det.limit_type": "max",
                    "Det.limit_side_len": side,
                    "EngineConfig.onnxruntime.intra_op_num_threads": 2,
                }
            )
        output = engines[side](np.ascontiguousarray(image))
        texts = output.txts or ()
        found += any(classify_label_text(t).is_cn_label for t in texts)
    seconds = time.perf_counter() - start
    return len(paths) / seconds, found / len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=50)
    parser.add_argument(
        "--baseline-images",
        type=int,
        default=50,
        help="images the (slow) baseline runs on, per resolution",
    )
    parser.add_argument("--sizes", default="1920x1080,4000x3000")
    args = parser.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="markcheck-vl-") as tmp:
        print(f"{'resolution':12} {'tool':32} {'images':>6} {'img/s':>7} {'recall':>7}")
        for size in sizes:
            paths = make_set(Path(tmp), size, args.images)
            rate, recall = run_markcheck(paths)
            label = f"{size[0]}x{size[1]}"
            print(
                f"{label:12} {'markcheck (2 workers)':32} {len(paths):6} {rate:7.2f} {recall:7.1%}"
            )
            subset = paths[: args.baseline_images]
            if not subset:
                continue
            base_rate, base_recall = run_baseline(subset)
            print(
                f"{label:12} {'full-frame rapidocr (2 threads)':32} {len(subset):6} "
                f"{base_rate:7.2f} {base_recall:7.1%}"
            )
            print(f"{label:12} speed-up {rate / base_rate:.1f}x")
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS of a markcheck worker: {children:.0f} MB")


if __name__ == "__main__":
    main()
