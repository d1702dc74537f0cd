"""Progress of a long scan on stderr: files done, files per second and time left.

On a terminal a live bar (rich); elsewhere (CI logs, `--progress` with stderr redirected) one
plain line every `every_s` seconds and a closing line. The rate is measured over the recent
window, so a scan whose first files were slow (actors starting, caches cold) soon shows what it
does now, and the time left follows it.
"""

from __future__ import annotations

import collections
import sys
import time
from collections.abc import Callable
from typing import TextIO

WINDOW_S = 30.0  # the rate is measured over this much recent time


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class Rate:
    """Files per second over a sliding window, and the time the rest will take at that rate."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, window_s: float = WINDOW_S):
        self.clock = clock
        self.window_s = window_s
        self.start = clock()
        self.samples: collections.deque[tuple[float, int]] = collections.deque([(self.start, 0)])

    def update(self, done: int) -> None:
        now = self.clock()
        self.samples.append((now, done))
        while len(self.samples) > 2 and now - self.samples[1][0] > self.window_s:
            self.samples.popleft()

    def per_second(self) -> float | None:
        (t0, n0), (t1, n1) = self.samples[0], self.samples[-1]
        return (n1 - n0) / (t1 - t0) if t1 > t0 and n1 > n0 else None

    def eta_s(self, done: int, total: int) -> float | None:
        rate = self.per_second()
        return (total - done) / rate if rate else None

    def line(self, done: int, total: int) -> str:
        rate = self.per_second()
        eta = self.eta_s(done, total)
        speed = f"{rate:,.1f} files/s" if rate else "- files/s"
        left = f"ETA {duration(eta)}" if eta is not None else "ETA -"
        return f"{done:,}/{total:,} files, {speed}, {left}"


class PlainProgress:
    """A line on `stream` at most every `every_s` seconds, and a closing line."""

    def __init__(
        self,
        stream: TextIO | None = None,
        every_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.every_s = every_s
        self.rate = Rate(clock)
        self.clock = clock
        self.last = self.rate.start
        self.done = self.total = 0

    def __call__(self, done: int, total: int, name: str) -> None:
        self.done, self.total = done, total
        self.rate.update(done)
        now = self.clock()
        if now - self.last >= self.every_s and done < total:
            self.last = now
            print(f"markcheck: {self.rate.line(done, total)}", file=self.stream, flush=True)

    def stop(self) -> None:
        if not self.total:
            return
        spent = self.clock() - self.rate.start
        rate = f", {self.done / spent:,.1f} files/s" if spent > 0 else ""
        print(
            f"markcheck: {self.done:,}/{self.total:,} files in {duration(spent)}{rate}",
            file=self.stream,
            flush=True,
        )


def rich_progress(min_files: int):
    """A live bar with files/s and the time left; (callback, object with stop())."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    rate = Rate()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[speed]}"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    state: dict = {}

    def update(done: int, total: int, name: str) -> None:
        if total < min_files:
            return
        rate.update(done)
        if "task" not in state:
            progress.start()
            state["task"] = progress.add_task("scanning", total=total, speed="")
        per_s = rate.per_second()
        speed = f"{per_s:,.1f} files/s" if per_s else ""
        progress.update(state["task"], completed=done, description=name[-40:], speed=speed)

    return update, progress
