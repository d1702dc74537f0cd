"""Writing the TC260 metadata label: `markcheck label` vs exiftool, side by side on one folder.

Generates N small real files (JPEG, PNG, WebP, TIFF, MP4, MKV in turn, unlabelled), then writes the
same label with both tools end to end as a user runs them (process start-up included):

    markcheck label IN --out OUT --producer CODE --produce-id ID --select cn.implicit
    exiftool -config tests/data/exiftool-tc260.config -XMP-TC260:AIGC=VALUE -o OUT/%f.%e IN
      (and -Keys:AIGC for MP4, which the config does not cover: exiftool writes XMP there;
       exiftool does not write Matroska, so its MKV files count as not labelled)

markcheck's time includes its proof (a metadata scan of every output). Beside the speed, the
accuracy of each tool's output: files whose label markcheck reads back exactly once with the
intended value, and files whose decoded pixels are identical to the input's. Usage:

    python benchmarks/bench_label.py [--files 200] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import media_builders as mb  # noqa: E402
from markcheck.discover import discover  # noqa: E402
from markcheck.evidence.collect import collect_metadata  # noqa: E402
from markcheck.scan_options import ScanOptions  # noqa: E402

PRODUCER = "001191110102MACQD9K64010000"
VALUE = {"Label": "1", "ContentProducer": PRODUCER, "ProduceID": "bench-1", "ReservedCode1": "",
         "ContentPropagator": "", "PropagateID": "", "ReservedCode2": ""}  # fmt: skip
KINDS = ("jpg", "png", "webp", "tif", "mp4", "mkv")


def make(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        path = folder / f"f{index:05}.{kind}"
        if kind == "mp4":
            mb.mp4(path, frames=3)
        elif kind == "mkv":
            mb.matroska(path, frames=3)
        elif kind == "tif":
            mb.picture().save(path, format="TIFF", compression="tiff_lzw")
        else:
            {"jpg": mb.jpeg, "png": mb.png, "webp": mb.webp}[kind](path)


def accuracy(source: Path, out: Path) -> tuple[int, int]:
    """(files whose label reads back exactly once as intended, files with identical pixels)."""
    labelled = identical = 0
    for path in sorted(source.iterdir()):
        written = out / path.name
        if not written.is_file():
            continue
        (candidate,), _ = discover([written])
        found = collect_metadata(candidate, ScanOptions()).implicit.tc260
        labelled += len(found) == 1 and found[0].label == VALUE
        if path.suffix in (".mp4", ".mkv"):
            identical += _packets(path) == _packets(written)
        else:
            with Image.open(path) as a, Image.open(written) as b:
                identical += np.array_equal(np.asarray(a), np.asarray(b))
    return labelled, identical


def _packets(path: Path) -> list[bytes]:
    import av

    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(video=0) if p.size]


def run_markcheck(source: Path, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "markcheck.cli", "label", str(source), "--out", str(out),
                    "--producer", PRODUCER, "--produce-id", "bench-1", "--select", "cn.implicit"],
                   check=True, capture_output=True, env=env)  # fmt: skip
    return time.perf_counter() - start


def run_exiftool(source: Path, out: Path) -> float:
    value = json.dumps(VALUE, separators=(",", ":"))
    out.mkdir()
    config = ROOT / "tests" / "data" / "exiftool-tc260.config"
    start = time.perf_counter()
    subprocess.run(["exiftool", "-config", str(config), "-q", "-m", f"-XMP-TC260:AIGC={value}",
                    "-o", f"{out}/%f.%e", "-ext", "jpg", "-ext", "png", "-ext", "webp",
                    "-ext", "tif", str(source)], check=True, capture_output=True)  # fmt: skip
    subprocess.run(["exiftool", "-q", "-m", f"-Keys:AIGC={value}", "-o", f"{out}/%f.%e",
                    "-ext", "mp4", str(source)], check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="bench-label-"))
    try:
        make(base / "in", args.files)
        rows = []
        for name, runner in (("markcheck label", run_markcheck), ("exiftool", run_exiftool)):
            seconds = runner(base / "in", base / name.replace(" ", "-"))
            labelled, identical = accuracy(base / "in", base / name.replace(" ", "-"))
            rows.append((name, seconds, labelled, identical))
        print(f"{args.files} files ({', '.join(KINDS)} in turn)")
        print(f"{'tool':18}{'seconds':>9}{'files/s':>9}{'label read back':>17}{'pixels same':>13}")
        for name, seconds, labelled, identical in rows:
            print(f"{name:18}{seconds:9.2f}{args.files / seconds:9.1f}"
                  f"{labelled:>11}/{args.files:<5}{identical:>7}/{args.files}")  # fmt: skip
        print(f"speed ratio markcheck/exiftool: {rows[1][1] / rows[0][1]:.2f}x")
    finally:
        if args.dir is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
