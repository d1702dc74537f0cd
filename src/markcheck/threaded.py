"""Metadata scans on a few threads of this process, results in input order.

A metadata-only file spends most of its time where Python lets go of the GIL: reading the
file, SHA-256 over its bytes (one hashlib call), and c2pa's native manifest validation. Two
threads overlap that with the other file's parsing and rules, on the cores a process pool
would use, without a worker's start-up or the pickling of every result. Pixel work stays in
worker processes (markcheck.executor), where budgets can stop a decoder.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from markcheck.discover import Candidate
from markcheck.model import FileResult
from markcheck.rules.packs import Pack
from markcheck.scan_options import ScanOptions

if TYPE_CHECKING:
    from concurrent.futures import Future

Examine = Callable[[Candidate, Sequence[Pack], ScanOptions], FileResult]
# Tasks queued ahead per thread: enough to keep every thread busy. Only the files being read
# hold their bytes (collect.WHOLE_READ_BYTES each at most), one per thread.
AHEAD_PER_THREAD = 4
# Files per task: the threads hand a task over (a future, a lock, a wake-up of the thread
# writing the report, each under the GIL) once for this many files, not for each one.
CHUNK_FILES = 8
MAX_THREADS = 4
# Fewer files than this are scanned on the calling thread.
MIN_FILES = 16
THREADS_VARIABLE = "MARKCHECK_METADATA_THREADS"  # sets the thread count instead


def metadata_threads(files: int | None = None) -> int:
    """Threads for a metadata scan of `files` files (unless THREADS_VARIABLE sets it): one per
    core that other processes leave free, at most MAX_THREADS; 1 for fewer than MIN_FILES
    files (starting the pool and its import cost more than a few files take). With no spare
    core, 1: there a second thread only adds GIL hand-offs.

    Other processes are counted as they run now (Linux: the kernel's runnable count, less
    this process), not by the 1-minute load average alone: that average still holds the
    scans run just before this one (a benchmark, a loop over folders, CI), and read alone it
    kept back-to-back scans on one thread of an idle machine. The lower of the two is taken:
    a wrong guess towards two threads costs ~5 % more CPU (measured on 1,000 photographs,
    both cores busy elsewhere), towards one up to a third of the wall time (0.79 s against
    0.53 s in-process with a core free; docs/speed.md)."""
    forced = _forced()
    if forced is not None:
        return forced
    if files is not None and files < MIN_FILES:
        return 1
    busy = min(_load_average(), _running_now())
    return max(1, min(round(_cores() - busy), MAX_THREADS))


def _forced() -> int | None:
    """The thread count MARKCHECK_METADATA_THREADS sets (1 to MAX_THREADS), if it is set: for
    machines whose load figures are not this process's to read (a container sees its host's
    /proc/loadavg) and for measuring."""
    value = os.environ.get(THREADS_VARIABLE, "").strip()
    if not value.isdigit() or int(value) < 1:
        return None
    return min(int(value), MAX_THREADS)


def _cores() -> int:
    """Cores this process may run on (an affinity mask or cpuset narrows os.cpu_count())."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # no affinity on this platform
        return os.cpu_count() or 1


def _load_average() -> float:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this platform
        return 0.0


def _running_now(path: str = "/proc/loadavg") -> float:
    """Tasks other than this one the kernel has runnable at this moment (the fourth field of
    /proc/loadavg counts running and runnable threads, this one included); infinity where
    there is no such file, so that the load average decides."""
    try:
        with open(path, "rb") as handle:
            running = int(handle.read().split()[3].split(b"/")[0])
    except (OSError, IndexError, ValueError):
        return float("inf")
    return max(0, running - 1)


def run_threaded(
    candidates: Sequence[Candidate],
    examine: Examine,
    packs: Sequence[Pack],
    options: ScanOptions,
    threads: int,
) -> Iterator[tuple[int, FileResult]]:
    """(index, result) for each candidate in input order, `threads` files at a time.

    `examine` never raises (a file's failure is its error result). Files go to the threads in
    runs of up to CHUNK_FILES consecutive files. Closing the iterator, or Ctrl-C in the
    caller, cancels the runs not started and waits for those running, each file bounded by
    the readers' limits.
    """
    # Imported here: concurrent.futures (and the logging it loads) costs ~8 ms of start-up,
    # and a scan on one thread never needs it.
    from concurrent.futures import ThreadPoolExecutor

    size = max(1, min(CHUNK_FILES, len(candidates) // (threads * AHEAD_PER_THREAD)))

    def run_chunk(start: int) -> list[FileResult]:
        return [examine(item, packs, options) for item in candidates[start : start + size]]

    pool = ThreadPoolExecutor(threads, thread_name_prefix="markcheck-metadata")
    pending: deque[tuple[int, Future[list[FileResult]]]] = deque()
    starts = iter(range(0, len(candidates), size))
    try:
        for start in starts:
            pending.append((start, pool.submit(run_chunk, start)))
            if len(pending) >= threads * AHEAD_PER_THREAD:
                break
        while pending:
            start, future = pending.popleft()
            results = future.result()
            for more in starts:
                pending.append((more, pool.submit(run_chunk, more)))
                break
            for offset, result in enumerate(results):
                yield start + offset, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
