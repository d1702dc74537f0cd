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
# Files queued ahead per thread: enough to keep every thread busy, few enough that memory
# holds only a handful of whole-file reads (collect.WHOLE_READ_BYTES each at most).
AHEAD_PER_THREAD = 4
MAX_THREADS = 4


def metadata_threads() -> int:
    """Threads for a metadata scan: one per core other processes leave free (by the 1-minute
    load average), at most MAX_THREADS. With no spare core, 1: there a second thread only
    adds GIL hand-offs (~10 % more CPU for the same wall time, measured on 2 busy cores)."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this platform
        busy = 0.0
    return max(1, min(round(cores - busy), MAX_THREADS))


def run_threaded(
    candidates: Sequence[Candidate],
    examine: Examine,
    packs: Sequence[Pack],
    options: ScanOptions,
    threads: int,
) -> Iterator[tuple[int, FileResult]]:
    """(index, result) for each candidate in input order, `threads` files at a time.

    `examine` never raises (a file's failure is its error result). Closing the iterator, or
    Ctrl-C in the caller, cancels the files not started and waits for those running, each
    bounded by the readers' limits.
    """
    # Imported here: concurrent.futures (and the logging it loads) costs ~8 ms of start-up,
    # and a scan on one thread never needs it.
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(threads, thread_name_prefix="markcheck-metadata")
    pending: deque[tuple[int, Future[FileResult]]] = deque()
    todo = iter(enumerate(candidates))
    try:
        for index, candidate in todo:
            pending.append((index, pool.submit(examine, candidate, packs, options)))
            if len(pending) >= threads * AHEAD_PER_THREAD:
                break
        while pending:
            index, future = pending.popleft()
            result = future.result()
            for more, candidate in todo:
                pending.append((more, pool.submit(examine, candidate, packs, options)))
                break
            yield index, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
