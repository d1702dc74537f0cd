"""Video container metadata readers: markcheck vs `exiftool -j`, side by side per format.

Writes one video per format (Matroska, WebM, FLV, AVI, and MP4 as the baseline reader) with
PyAV, each carrying an AIGC label where the container carries it (the AVI INFO chunk added by
hand), then for each prints: file size, the bytes markcheck read (bounded reads skip the
media), markcheck's time per read, exiftool's time per file (process start-up included), and
whether each found the label. Usage:

    python benchmarks/bench_video_containers.py [--frames 300] [--repeat 20]
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import video_container_builders as vb  # noqa: E402
from markcheck.readers import Limits  # noqa: E402
from markcheck.readers.dispatch import read_metadata  # noqa: E402
from markcheck.readers.interpret import interpret  # noqa: E402

LABEL = '{"Label":"1","ContentProducer":"001191110102MACQD9K64010000","ProduceID":"bench"}'


class Counting(io.BufferedReader):
    """A file that counts the bytes read from it."""

    def __init__(self, raw) -> None:
        super().__init__(raw)
        self.taken = 0

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        data = super().read(size)
        self.taken += len(data)
        return data


def make(folder: Path, fmt: str, frames: int) -> Path:
    if fmt == "mp4":
        import media_builders as mb

        return mb.mp4(folder / "v.mp4", {"AIGC": LABEL}, frames=frames)
    meta = {} if fmt == "avi" else {"AIGC": LABEL}
    path = vb.video(folder / f"v.{fmt}", fmt, meta, frames=frames)
    return vb.add_avi_info(path, {b"AIGC": LABEL}) if fmt == "avi" else path


def markcheck_read(path: Path, fmt: str) -> tuple[bool, int]:
    size = path.stat().st_size
    with open(path, "rb", buffering=0) as raw:
        handle = Counting(raw)
        metadata = read_metadata(handle, fmt, size, Limits())
    implicit, _ = interpret(metadata, Limits())
    return bool(implicit.tc260), handle.taken


def exiftool_found(path: Path) -> bool:
    out = subprocess.run(["exiftool", "-j", "-G", str(path)], capture_output=True, text=True)
    record = json.loads(out.stdout or "[{}]")[0]
    return any(LABEL in str(value) for value in record.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    exiftool = shutil.which("exiftool")
    print(f"{'format':6} {'size':>9} {'read':>8} {'markcheck':>11} {'found':>5}  "
          f"{'exiftool':>10} {'found':>5}  {'ratio':>6}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("mp4", "mkv", "webm", "flv", "avi"):
            folder = Path(tmp) / fmt
            folder.mkdir()
            path = make(folder, fmt, args.frames)
            start = time.perf_counter()
            for _ in range(args.repeat):
                found, taken = markcheck_read(path, fmt)
            ours = (time.perf_counter() - start) / args.repeat
            theirs, their_found = float("nan"), None
            if exiftool:
                start = time.perf_counter()
                for _ in range(max(1, args.repeat // 5)):
                    their_found = exiftool_found(path)
                theirs = (time.perf_counter() - start) / max(1, args.repeat // 5)
            print(
                f"{fmt:6} {path.stat().st_size:>9} {taken:>8} {ours * 1e3:>9.3f}ms {found!s:>5}  "
                f"{theirs * 1e3:>8.1f}ms {their_found!s:>5}  {theirs / ours:>5.0f}x"
            )


if __name__ == "__main__":
    main()
