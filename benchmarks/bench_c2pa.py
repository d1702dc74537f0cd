"""C2PA read throughput: markcheck vs a bare loop of c2pa.Reader, side by side.

Signs N small JPEGs and PNGs with a throwaway chain, then times, on the same files:
- bare: `c2pa.Reader(mime, stream, context=ctx)` + `json()` + `get_validation_state()`;
- markcheck provider: the C2PA evidence provider alone (read, validate, extract fields);
- markcheck scan: `markcheck.scan(files, ["us-ca-sb942"], jobs=0)` end to end (hashing,
  metadata readers, C2PA, rules, verdicts).
All use the bundled C2PA trust list and no network. Usage:

    python benchmarks/bench_c2pa.py [--files 200]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import c2pa_fixtures as cf  # noqa: E402
import media_builders as mb  # noqa: E402
from markcheck import scan  # noqa: E402
from markcheck.discover import discover  # noqa: E402
from markcheck.evidence.collect import collect_metadata, provide  # noqa: E402
from markcheck.readers.c2pa import MIME_TYPES, _context  # noqa: E402
from markcheck.scan_options import ScanOptions  # noqa: E402


def make(folder: Path, count: int) -> list[Path]:
    creds = cf.make_credentials()
    jpeg, png = mb.jpeg(folder / "src.jpg"), mb.png(folder / "src.png")
    files = []
    for i in range(count):
        source = jpeg if i % 2 else png
        files.append(
            cf.sign(source, folder / f"signed-{i:04d}{source.suffix}", creds, cf.manifest())
        )
    jpeg.unlink()
    png.unlink()
    return files


def bare(files: list[Path]) -> float:
    import c2pa

    context = _context((), False)
    start = time.perf_counter()
    for path in files:
        with (
            open(path, "rb") as stream,
            c2pa.Reader(
                MIME_TYPES["jpeg" if path.suffix == ".jpg" else "png"], stream, None, context
            ) as reader,
        ):
            reader.json()
            reader.get_validation_state()
    return time.perf_counter() - start


def provider_only(files: list[Path]) -> float:
    options = ScanOptions()
    candidates, _ = discover(files)
    evidence = [collect_metadata(c, options) for c in candidates]
    start = time.perf_counter()
    for candidate, item in zip(candidates, evidence, strict=True):
        provide("c2pa", item, candidate.path, candidate.format, options)
    return time.perf_counter() - start


def full_scan(files: list[Path]) -> float:
    start = time.perf_counter()
    scan(files, ["us-ca-sb942"], jobs=0)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="markcheck-c2pa-") as tmp:
        files = make(Path(tmp), args.files)
        full_scan(files[:4])  # warm the trust store and imports for every contender
        rows = [
            ("bare c2pa.Reader loop", min(bare(files) for _ in range(3))),
            ("markcheck C2PA provider", min(provider_only(files) for _ in range(3))),
            ("markcheck scan -r us-ca-sb942", min(full_scan(files) for _ in range(3))),
        ]
        print(f"{len(files)} signed files (JPEG and PNG), best of 3")
        print(f"{'contender':32} {'seconds':>8} {'files/s':>8} {'vs bare':>8}")
        for name, seconds in rows:
            print(
                f"{name:32} {seconds:8.3f} {len(files) / seconds:8.0f} {seconds / rows[0][1]:7.2f}x"
            )


if __name__ == "__main__":
    main()
