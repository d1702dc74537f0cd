"""Worker processes: throughput with --jobs 1 and --jobs 2 on the same files, and memory.

1. N labelled pictures (OCR-bound work) scanned with `--jobs 1` and `--jobs 2`, side by side:
   wall time, files/s, speed-up, and the peak RSS of the largest process.
2. Metadata-only scans of 1,000 and 10,000 small labelled files: peak RSS of the scan, to see
   how memory grows with the number of files.
Usage: python benchmarks/bench_parallel.py [--images 500]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, PngImagePlugin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from label_builders import PHOTO_NAMES, POSITIONS, photo, render_label  # noqa: E402
from media_builders import tc260_label  # noqa: E402

LABEL = tc260_label("x")


def timed_scan(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, largest process) of one CLI scan, via GNU time."""
    start = time.perf_counter()
    proc = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "%M",
            sys.executable,
            "-m",
            "markcheck.cli",
            "scan",
            *args,
            "-f",
            "json",
            "-o",
            "/dev/null",
        ],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    return seconds, int(proc.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="markcheck-par-") as tmp:
        pictures = Path(tmp) / "pictures"
        pictures.mkdir()
        bases = [photo(name, (960, 540)) for name in PHOTO_NAMES]
        for i in range(args.images):
            image, _ = render_label(
                bases[i % 5], ratio=0.05 + (i % 6) / 100, position=POSITIONS[i % 9]
            )
            image.save(pictures / f"{i:04d}.jpg", quality=85)
        rows = []
        for jobs in (1, 2):
            seconds, rss = timed_scan(
                [str(pictures), "--assume-ai", "--select", "cn.explicit", "--jobs", str(jobs)]
            )
            rows.append((jobs, seconds, rss))
        print(f"{args.images} pictures 960x540, visible-label rules")
        print(f"{'jobs':>4} {'seconds':>8} {'files/s':>8} {'peak RSS MB':>12}")
        for jobs, seconds, rss in rows:
            print(f"{jobs:4} {seconds:8.2f} {args.images / seconds:8.1f} {rss:12.0f}")
        print(f"--jobs 2 is {rows[0][1] / rows[1][1]:.2f}x faster than --jobs 1")
        small = Path(tmp) / "small"
        small.mkdir()
        info = PngImagePlugin.PngInfo()
        info.add_text("AIGC", LABEL)
        Image.new("RGB", (32, 32), (80, 90, 100)).save(small / "seed.png", pnginfo=info)
        seed = (small / "seed.png").read_bytes()
        print(f"{'metadata files':>14} {'seconds':>8} {'peak RSS MB':>12}")
        for count in (1000, 10000):
            for i in range(count):
                target = small / f"d{i // 1000}" / f"{i:05d}.png"
                target.parent.mkdir(exist_ok=True)
                if not target.exists():
                    target.write_bytes(seed)
            (small / "seed.png").unlink(missing_ok=True)
            seconds, rss = timed_scan([str(small), "--select", "cn.implicit"])
            print(f"{count:14} {seconds:8.2f} {rss:12.0f}")


if __name__ == "__main__":
    main()
