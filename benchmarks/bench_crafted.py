"""Crafted files in-process: time to a status with the readers' bounds, beside a baseline
with the work counters lifted (as the readers were before they counted HEIF extents).

Each crafted file (tests/hostile_builders.py) is read by the metadata readers in this
process; the table prints the outcome and milliseconds of both, and the ratio. Usage:

    python benchmarks/bench_crafted.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

import hostile_builders as hb  # noqa: E402
import media_builders as mb  # noqa: E402
from markcheck.discover import sniff  # noqa: E402
from markcheck.readers import Limits, ReaderError  # noqa: E402
from markcheck.readers.dispatch import read_metadata  # noqa: E402

BOUNDED = Limits()
UNBOUNDED = Limits(max_entries=10**9, max_seconds=600)  # the counters out of the way


def read(data: bytes, limits: Limits) -> tuple[str, float]:
    fmt = sniff(data[:64]) or "?"
    start = time.perf_counter()
    try:
        raw = read_metadata(io.BytesIO(data), fmt, len(data), limits)
        outcome = f"read ({len(raw.entries)} entries, {len(raw.deviations)} deviations)"
    except ReaderError as exc:
        outcome = f"refused: {str(exc)[:48]}"
    return outcome, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        made = hb.build(Path(tmp), mb.xmp_packet('{"Label":"1"}'))
    print(f"{'file':28} {'bounded ms':>10} {'baseline ms':>12} {'ratio':>7}  outcome (bounded)")
    for name, (data, _status, _reason) in made.items():
        bounded = min(read(data, BOUNDED)[1] for _ in range(args.repeat))
        outcome = read(data, BOUNDED)[0]
        baseline = read(data, UNBOUNDED)[1]  # once: the bombs take seconds
        ratio = baseline / bounded if bounded else float("inf")
        print(f"{name:28} {bounded * 1e3:10.2f} {baseline * 1e3:12.1f} {ratio:6.0f}x  {outcome}")


if __name__ == "__main__":
    main()
