"""Video visible-label check: its cost beside decoding alone, and its accuracy beside its speed.

1. First 3 s: N clips of 3 s, 1920x1080, 25 fps, H.264, labelled 0-2.5 s. Times markcheck's
   video label check (`find_video_labels`, one process, OCR models loaded beforehand) against
   a bare PyAV decode of the same 3 s: codec only, and decoded to RGB pictures (what any
   frame-by-frame check starts from). Accuracy: the label's span against the drawn one.
2. A long video (default 10 min, 1280x720, 25 fps, x264 key frame every 10 s), labelled at
   the start (0-2.5 s), in the middle (2 s) and at the end (last 5 s). Times the check
   against a codec-only decode of the whole file; prints the cost per minute of video and
   the spans found against the drawn ones.

Usage: python benchmarks/bench_video.py [--clips 5] [--minutes 10] [--gop 250]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from label_builders import photo, render_label  # noqa: E402
from markcheck.detectors.video_labels import find_video_labels  # noqa: E402
from markcheck.media.video import frames  # noqa: E402
from video_builders import clip  # noqa: E402

FPS = 25


class Timer:
    """Wall and CPU seconds of a block (CPU: this process, all threads): on a shared machine
    the CPU figure is the steadier one."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:7.2f} s wall {self.cpu:7.2f} s CPU"


def decode_only(path: Path, until_s: float = math.inf) -> None:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            if frame.time is not None and frame.time > until_s:
                break


class Counts:
    """How much work the check does (steadier than time on a shared machine): frames
    decoded, whole-picture readings, and re-reads of a label's box, counted by wrapping the
    functions the detector calls (they still run)."""

    def __init__(self) -> None:
        import markcheck.detectors.video_labels as labels
        import markcheck.media.video as video

        self.frames = self.pictures = self.boxes = 0
        self._patched = []
        for owner, name, field in (
            (video.VideoReader, "_decode", "frames"),
            (labels, "detect_in_pixels", "pictures"),
            (labels, "read_line", "boxes"),
        ):
            original = getattr(owner, name)

            def counted(*args, _original=original, _field=field, **kwargs):
                result = _original(*args, **kwargs)
                if result is not None:  # the decoder's None is the end of the stream
                    setattr(self, _field, getattr(self, _field) + 1)
                return result

            setattr(owner, name, counted)
            self._patched.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in self._patched:
            setattr(owner, name, original)


def first_seconds(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="markcheck-video-") as tmp:
        paths = [
            clip(Path(tmp) / f"c{i}.mp4", [(0, 2.5)], size=(1920, 1080), seconds=3.0)
            for i in range(count)
        ]
        find_video_labels(paths[0])  # load the OCR models once, outside the timing
        with Timer() as codec:
            for path in paths:
                decode_only(path, 3.0)
        with Timer() as pictures:
            for path in paths:
                for _ in frames(path, 3.0):
                    pass
        with Timer() as check:
            spans = [find_video_labels(path)[0] for path in paths]
        counts = Counts()
        try:
            find_video_labels(paths[0])
        finally:
            counts.restore()
    drawn = [0.0, math.ceil(2.5 * FPS) / FPS]  # frame 63 (2.52 s) is the first without it
    errors = [
        max(abs(r.time_s[0] - drawn[0]), abs(r.time_s[1] - drawn[1]))
        for found in spans
        for r in found
    ]
    right = sum(1 for found in spans if len(found) == 1)
    print(f"first 3 s: {count} clips 1920x1080, 3 s, 25 fps, label drawn {drawn[0]}-{drawn[1]} s")
    print(f"  bare decode, codec only        {codec}")
    print(f"  bare decode to RGB pictures    {pictures}")
    print(f"  markcheck video label check    {check}")
    print(
        f"  work per clip: {counts.frames} frame decodes ({round(3.0 * FPS)} frames in the "
        f"clip), {counts.pictures} whole-picture readings, {counts.boxes} box re-reads"
    )
    for unit in ("wall", "cpu"):
        mine, base, rgb = (getattr(t, unit) for t in (check, codec, pictures))
        print(
            f"  {unit:4s} ratio: check / codec-only {mine / base:.2f}x, "
            f"check / decode to pictures {mine / rgb:.2f}x"
        )
    print(
        f"  accuracy: one label found in {right}/{count}; worst span error "
        f"{max(errors, default=float('nan')):.3f} s (limit 0.15 s)"
    )


def long_video(path: Path, minutes: float, size: tuple[int, int], gop: int, reuse: bool) -> list:
    """Encode the long video (unless already there); return the drawn spans
    [(position, first frame with, first frame without)]."""
    import av

    width, height = size
    seconds = minutes * 60
    middle = round(seconds / 2)
    shown = [("bottom-right", 0.0, 2.5), ("top-left", middle, middle + 2.0)]
    shown.append(("bottom-left", seconds - 5.0, seconds))
    drawn = [(p, math.ceil(a * FPS) / FPS, math.ceil(b * FPS) / FPS) for p, a, b in shown]
    if reuse and path.exists():
        return drawn
    partial = path.with_suffix(".part.mp4")
    wide = photo("rocket", (width + 256, height))
    strip = np.asarray(wide)
    with av.open(str(partial), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=Fraction(FPS))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast", "g": str(gop)}
        for index in range(round(seconds * FPS)):
            t, shift = index / FPS, index % 256
            pixels = strip[:, shift : shift + width]
            where = [p for p, a, b in shown if a <= t < b]
            if where:
                from PIL import Image

                picture = Image.fromarray(np.ascontiguousarray(pixels))
                for position in where:
                    picture, _ = render_label(picture, "AI生成", 0.07, position, "box")
                pixels = np.asarray(picture)
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    partial.rename(path)
    return drawn


def whole_file(minutes: float, gop: int) -> None:
    # Kept between runs: encoding ten minutes takes minutes.
    path = Path(tempfile.gettempdir()) / f"markcheck-bench-{minutes:g}min-gop{gop}.mp4"
    drawn = long_video(path, minutes, (1280, 720), gop, reuse=True)
    find_video_labels(path, budget_s=1.0)  # OCR models loaded outside the timing
    with Timer() as codec:
        decode_only(path)
    with Timer() as check:
        regions, _ = find_video_labels(path)
    print(f"long video: {minutes:g} min 1280x720, 25 fps, key frame every {gop / FPS:g} s ({path})")
    print(f"  bare decode of the whole file  {codec}")
    print(f"  markcheck video label check    {check}")
    print(
        f"  per minute of video: check {check.wall / minutes:.2f} s wall "
        f"{check.cpu / minutes:.2f} s CPU; decode {codec.wall / minutes:.2f} s wall "
        f"{codec.cpu / minutes:.2f} s CPU; check / decode {check.cpu / codec.cpu:.2f}x CPU"
    )
    for position, a, b in drawn:
        found = [r for r in regions if r.position == position]
        seen = ", ".join(
            f"{r.time_s[0]:.2f}-{r.time_s[1]:.2f}{' (open)' if r.open_end else ''}" for r in found
        )
        print(f"  label drawn {a:7.2f}-{b:7.2f} s {position:12s} found: {seen or 'MISSED'}")
    stray = [r for r in regions if r.position not in {p for p, _, _ in drawn}]
    if stray:
        print(f"  other text reported: {[(r.text, r.time_s) for r in stray]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=5)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--gop", type=int, default=250, help="frames between key frames")
    args = parser.parse_args()
    if args.clips:
        first_seconds(args.clips)
    if args.minutes:
        whole_file(args.minutes, args.gop)


if __name__ == "__main__":
    main()
