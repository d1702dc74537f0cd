"""Video visible-label check vs merely decoding the first 3 s, side by side.

Makes N 1920x1080 clips of 10 s (25 fps, H.264, label for the first 2.5 s), then times
markcheck's video label check (`find_video_labels`, one process) against a bare PyAV decode
of each clip's first 3 s. Usage: python benchmarks/bench_video.py [--clips 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from markcheck.detectors.video_labels import find_video_labels  # noqa: E402
from markcheck.media.video import frames  # noqa: E402
from video_builders import clip  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="markcheck-video-") as tmp:
        paths = [
            clip(Path(tmp) / f"c{i}.mp4", [(0, 2.5)], size=(1920, 1080), seconds=10.0)
            for i in range(args.clips)
        ]
        find_video_labels(paths[0])  # load the OCR models once, outside the timing
        start = time.perf_counter()
        for path in paths:
            for _ in frames(path, 3.0):
                pass
        decode = time.perf_counter() - start
        start = time.perf_counter()
        spans = [find_video_labels(path)[0] for path in paths]
        check = time.perf_counter() - start
        found = sum(1 for regions in spans if regions and regions[0].time_s[0] < 0.05)
        print(f"{args.clips} clips 1920x1080, 10 s, 25 fps")
        print(f"bare decode of the first 3 s   {decode:7.2f} s")
        print(f"markcheck video label check    {check:7.2f} s  ({check / decode:.2f}x decode)")
        print(
            f"label found from the start in {found}/{args.clips}; "
            f"spans: {[r[0].time_s for r in spans if r]}"
        )


if __name__ == "__main__":
    main()
