"""What the HTML report adds to a scan, measured side by side on the same real files.

    python benchmarks/bench_html.py [--files 1000] [--repeat 1] [--browser]

Writes N real 1024x768 JPEG photographs carrying a visible "AI生成" label, then times:
  baseline   `scan --assume-ai` (OCR of every file), no report written
  with HTML  the same scan making thumbnails (as `--format html` does) + writing the report
and the same pair for a metadata-only scan (`--select cn.implicit`), where thumbnails are the
only pixels decoded. Prints times and ratios. With --browser, also makes a 10,000-file report
(metadata-only scan of small JPEGs) and times headless Chromium opening it and filtering.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from label_builders import photo, render_label  # noqa: E402
from markcheck.reports import html  # noqa: E402
from markcheck.reports.context import ReportContext  # noqa: E402
from markcheck.rules.packs import load_pack  # noqa: E402
from markcheck.scan_options import PREVIEW_MAX_SIDE, ScanOptions  # noqa: E402
from markcheck.scanner import scan  # noqa: E402

PHOTOS = ("coffee", "astronaut", "rocket", "chelsea", "hubble_deep_field")
POSITIONS = ("bottom-right", "bottom-left", "top-right", "top-left")


def write_media(folder: Path, count: int, size: tuple[int, int], label: bool = True) -> None:
    bases = [photo(name, size) for name in PHOTOS]
    for index in range(count):
        picture = bases[index % len(bases)]
        if label:
            ratio = 0.04 + 0.01 * (index % 4)
            picture, _ = render_label(picture, ratio=ratio, position=POSITIONS[index % 4])
        target = folder / f"b{index // 500:02d}" / f"f{index:05d}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        picture.save(target, quality=85)


def timed_scan(folder: Path, select: list[str], with_html: bool, out: Path) -> float:
    options = ScanOptions(assume_ai=True, preview_side=PREVIEW_MAX_SIDE if with_html else 0)
    started = time.perf_counter()
    result = scan([folder], ["cn-gb45438"], select=select, options=options)
    if with_html:
        pack = load_pack("cn-gb45438")
        html.write(result, out, ReportContext(packs=[pack]))
    return time.perf_counter() - started


def compare(label: str, folder: Path, select: list[str], repeat: int, out: Path) -> None:
    baseline = min(timed_scan(folder, select, False, out) for _ in range(repeat))
    with_html = min(timed_scan(folder, select, True, out) for _ in range(repeat))
    size = out.stat().st_size / 1e6
    print(f"{label:<28} baseline {baseline:7.2f} s | with HTML {with_html:7.2f} s "
          f"({size:.1f} MB) | x{with_html / baseline:.3f} "
          f"(+{100 * (with_html - baseline) / baseline:.1f} %)")  # fmt: skip


def browser_open(path: Path) -> float:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM, CHROMIUM_FLAGS

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        page = context.new_page()
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("article.file")
        page.select_option("#filter-status", "noncompliant")
        page.wait_for_selector("article.file")
        elapsed = time.perf_counter() - started
        context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "media", Path(tmp) / "report.html"
        write_media(folder, args.files, (1024, 768))
        print(f"{args.files} labelled 1024x768 JPEGs, {os.cpu_count()} cores")
        compare("full scan (OCR)", folder, [], args.repeat, out)
        compare("metadata-only scan", folder, ["cn.implicit"], args.repeat, out)
        if args.browser:
            big = Path(tmp) / "big"
            write_media(big, 10_000, (320, 240), label=False)
            options = ScanOptions(assume_ai=True, preview_side=PREVIEW_MAX_SIDE)
            started = time.perf_counter()
            result = scan([big], ["cn-gb45438"], select=["cn.implicit"], options=options)
            context = ReportContext(packs=[load_pack("cn-gb45438")])
            html.write(result, Path(tmp) / "big.html", context)
            made = time.perf_counter() - started
            del result  # free the previews before Chromium starts
            size = (Path(tmp) / "big.html").stat().st_size / 1e6
            opened = browser_open(Path(tmp) / "big.html")
            print(f"10,000 files: scanned + report written in {made:.1f} s ({size:.1f} MB); "
                  f"Chromium opened it and filtered in {opened:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
