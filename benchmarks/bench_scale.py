"""Beyond one machine: the evidence cache, the Ray backend and object storage, side by side.

1. Cache: a cold scan (OCR on every labelled picture) vs a re-scan of the same tree with the
   evidence cache, and the same pair for a metadata-only scan. Speed-up, and whether the two
   reports agree file by file (accuracy beside speed).
2. Backends: N small files scanned (metadata rules) in this process, in the local process pool
   and on a local Ray cluster of the same size; the overhead each adds per file over the
   in-process run, Ray's start-up shown apart, and whether the results agree.
3. Object storage: a metadata scan of the same files from a moto S3 server on 127.0.0.1 vs
   local disk: time, and bytes on the wire per file (counted by a proxy) vs the file sizes.

Usage: python benchmarks/bench_scale.py [--images 40] [--files 1000] [--s3-files 200]
       [--skip-ray] [--skip-s3]
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, PngImagePlugin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from label_builders import PHOTO_NAMES, POSITIONS, photo, render_label  # noqa: E402
from markcheck import scan  # noqa: E402
from markcheck.reports.json_report import report  # noqa: E402
from markcheck.scan_options import ScanOptions  # noqa: E402
from media_builders import tc260_label  # noqa: E402

LABEL = tc260_label("x")


def _info() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("AIGC", LABEL)
    return info


def labelled_tree(root: Path, count: int) -> Path:
    root.mkdir(parents=True)
    for i in range(count):
        image, _ = render_label(
            photo(PHOTO_NAMES[i % 5], (960, 540)), "AI生成", 0.06, POSITIONS[i % 9]
        )
        image.save(root / f"img-{i:04d}.png", pnginfo=_info())
    return root


def small_tree(root: Path, count: int) -> Path:
    """Small labelled PNGs and one 32 MB MP4-like file per 100 (metadata at the front)."""
    root.mkdir(parents=True)
    base = Image.new("RGB", (64, 48), (90, 120, 150))
    for i in range(count):
        base.save(root / f"s-{i:05d}.png", pnginfo=_info())
    return root


def big_video(root: Path) -> Path:
    """A real MP4 (PyAV) with a TC260 label, padded by a 32 MB `free` box."""
    from media_builders import mp4

    path = mp4(root / "big.mp4", {"AIGC": LABEL})
    with open(path, "ab") as out:
        out.write(struct.pack(">I4s", 32 * 2**20 + 8, b"free"))
        out.truncate(out.tell() + 32 * 2**20)
    return path


def files_without(document: dict, *keys: str) -> list[dict]:
    out = []
    for item in document["files"]:
        item = dict(item)
        for key in keys:
            item.pop(key, None)
        out.append(item)
    return out


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def bench_cache(work: Path, images: int) -> None:
    tree = labelled_tree(work / "labelled", images)
    print(f"\n== 1. evidence cache: {images} labelled 960x540 PNGs ==")
    print(f"{'scan':34} {'cold s':>8} {'cached s':>9} {'speed-up':>9} {'same report':>12}")
    for title, kwargs in (
        ("cn-gb45438 (metadata + OCR)", {}),
        ("metadata only (--select cn.implicit)", {"select": ["cn.implicit"]}),
    ):
        options = ScanOptions(cache_dir=str(work / f"cache-{len(kwargs)}"))
        cold_s, cold = timed(lambda o=options, k=kwargs: scan([tree], options=o, **k))
        warm_s, warm = timed(lambda o=options, k=kwargs: scan([tree], options=o, **k))
        same = files_without(json.loads(report(cold)), "cached") == files_without(
            json.loads(report(warm)), "cached"
        )
        hits = sum(bool(f.cached) for f in warm.files)
        print(
            f"{title:34} {cold_s:8.2f} {warm_s:9.2f} {cold_s / warm_s:8.1f}x "
            f"{str(same):>12}  ({hits}/{len(warm.files)} from the cache)"
        )


def bench_backends(work: Path, count: int, skip_ray: bool) -> None:
    tree = small_tree(work / "small", count)
    print(f"\n== 2. backends: {count} small PNGs, metadata rules (cn.implicit), 2 workers ==")
    select = ["cn.implicit"]
    base_s, base = timed(lambda: scan([tree], select=select, jobs=0))
    pool_s, pool = timed(lambda: scan([tree], select=select, jobs=2))
    reference = json.loads(report(base))
    rows = [("in-process (baseline)", base_s, base_s, True)]
    rows.append(("local pool, 2 processes", pool_s, pool_s, json.loads(report(pool)) == reference))
    if not skip_ray:
        import ray

        from markcheck.backends.ray_backend import connect

        start_s, _ = timed(lambda: connect(None))
        ray_s, on_ray = timed(lambda: scan([tree], select=select, backend="ray", jobs=2))
        rows.append(
            (
                f"ray, 2 actors (+{start_s:.1f} s start)",
                ray_s,
                ray_s,
                report(on_ray) == report(base),
            )
        )
        ray.shutdown()
    print(f"{'backend':34} {'wall s':>8} {'files/s':>9} {'overhead/file':>14} {'same':>6}")
    for title, seconds, _, same in rows:
        overhead_ms = (seconds - base_s) / count * 1000
        print(
            f"{title:34} {seconds:8.2f} {count / seconds:9.0f} {overhead_ms:11.2f} ms "
            f"{str(same):>6}"
        )


def bench_s3(work: Path, count: int) -> None:
    from s3_fixtures import s3_endpoint

    tree = small_tree(work / "s3src", count)
    big_video(tree)
    sizes = {p.name: p.stat().st_size for p in tree.iterdir()}
    print(f"\n== 3. object storage: metadata scan of {len(sizes)} files, moto on 127.0.0.1 ==")
    with s3_endpoint() as s3:
        fs = s3.filesystem()
        fs.mkdir("bench")
        fs.put(str(tree), "bench/tree", recursive=True)
        select = ["cn.implicit"]
        local_s, here = timed(lambda: scan([tree], select=select, jobs=0))
        s3.proxy.reset()
        remote_s, there = timed(lambda: scan(["s3://bench/tree"], select=select, jobs=0))
        moved = s3.proxy.reset()
        s3.proxy.reset()
        scan(["s3://bench/tree/big.mp4"], select=select, jobs=0)
        big_moved = s3.proxy.reset()
    same = [f.status for f in here.files] == [f.status for f in there.files]
    total = sum(sizes.values())
    print(f"{'source':26} {'wall s':>8} {'files/s':>9} {'bytes/file':>12} {'same':>6}")
    print(f"{'local disk':26} {local_s:8.2f} {len(sizes) / local_s:9.0f} "
          f"{total / len(sizes):12,.0f} {'-':>6}")  # fmt: skip
    print(f"{'s3 (moto, loopback)':26} {remote_s:8.2f} {len(sizes) / remote_s:9.0f} "
          f"{moved / len(sizes):12,.0f} {str(same):>6}")  # fmt: skip
    print(
        f"the 32 MB video alone: {big_moved:,} bytes on the wire for {sizes['big.mp4']:,} bytes "
        f"({big_moved / sizes['big.mp4']:.4%}); local disk reads (and hashes) all of it"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--s3-files", type=int, default=200)
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--skip-s3", action="store_true")
    parser.add_argument("--only", choices=("cache", "backends", "s3"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.only in (None, "cache"):
            bench_cache(work, args.images)
        if args.only in (None, "backends"):
            bench_backends(work, args.files, args.skip_ray)
        if args.only in (None, "s3") and not args.skip_s3:
            bench_s3(work, args.s3_files)


if __name__ == "__main__":
    main()
