"""What the HTML report adds to a scan: time to write it for N files with real thumbnails.

    python benchmarks/bench_html.py [--files 1000] [--scan-seconds S] [--browser]

Writes N real 1024x768 JPEG pictures, times a real `markcheck scan` (visible labels included,
--assume-ai) of them unless --scan-seconds gives a measured figure, then times the HTML report
of the same result, and prints the ratio. With --browser, also times headless Chromium opening a
10,000-file report.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from markcheck.reports import html  # noqa: E402
from markcheck.reports.context import ReportContext, locate_under  # noqa: E402
from markcheck.rules.packs import load_pack  # noqa: E402
from markcheck.scanner import scan  # noqa: E402
from report_fixtures import scan_result, write_picture  # noqa: E402


def real_scan(folder: Path) -> tuple[float, object]:
    started = time.perf_counter()
    result = scan([folder], ["cn-gb45438"], assume_ai=True, jobs=None)
    return time.perf_counter() - started, result


def html_time(result, folder: Path, out: Path) -> float:
    ctx = ReportContext(packs=[load_pack("cn-gb45438")], locate=locate_under([folder]))
    started = time.perf_counter()
    html.write(result, out, ctx)
    return time.perf_counter() - started


def browser_open(path: Path) -> float:
    from playwright.sync_api import sync_playwright

    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", headless=True, args=flags
        )
        page = context.new_page()
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("article.file")
        page.select_option("#filter-status", "noncompliant")
        elapsed = time.perf_counter() - started
        context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--scan-seconds", type=float, help="a measured scan time to compare to")
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "media"
        for index in range(args.files):
            write_picture(
                folder / f"b{index // 100}/f{index:05d}.jpg", (1024, 768), (800, 700, 200, 50)
            )
        if args.scan_seconds:
            scan_s, result = args.scan_seconds, scan_result(Path(tmp) / "fixtures", args.files)
            folder = Path(tmp) / "fixtures"
        else:
            scan_s, result = real_scan(folder)
        report_s = html_time(result, folder, Path(tmp) / "report.html")
        size = (Path(tmp) / "report.html").stat().st_size
        print(f"{args.files} files on {os.cpu_count()} cores: scan {scan_s:.1f} s, "
              f"HTML report {report_s:.2f} s ({size / 1e6:.1f} MB) = "
              f"{100 * report_s / scan_s:.1f} % of the scan")  # fmt: skip
        if args.browser:
            big = scan_result(Path(tmp) / "big", 10_000)
            out = Path(tmp) / "big.html"
            write_s = html_time(big, Path(tmp) / "big", out)
            open_s = browser_open(out)
            print(f"10,000 files: written in {write_s:.1f} s, {out.stat().st_size / 1e6:.1f} MB, "
                  f"opened and filtered in Chromium in {open_s:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
