"""Run files in worker processes, each under a wall-time and memory budget.

A worker that overruns its time, grows past its memory cap or dies is killed and replaced;
that file becomes `status: error` with the reason and the scan goes on. Results are handed
back in the order of the input, whatever order the workers finish in.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait

from markcheck.discover import Candidate
from markcheck.model import FileResult
from markcheck.rules.packs import Pack
from markcheck.scan_options import Budget, ScanOptions

POLL_SECONDS = 0.25  # how often budgets are checked while waiting for results
MAX_BATCH = 16  # files sent to a worker at once
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

Examine = Callable[[Candidate, Sequence[Pack], ScanOptions], FileResult]
ErrorResult = Callable[[Candidate, str, str], FileResult]


def _worker_main(conn: Connection, examine: Examine, packs: Sequence[Pack], options: ScanOptions):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    while True:
        try:
            batch = conn.recv()
        except EOFError:
            return
        if batch is None:
            return
        for index, candidate in batch:  # one answer per file: the parent times each one
            conn.send((index, examine(candidate, packs, options)))


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


class _Worker:
    def __init__(self, ctx, examine: Examine, packs: Sequence[Pack], options: ScanOptions):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main, args=(child, examine, packs, options), daemon=True
        )
        self.process.start()
        child.close()
        self.batch: list[tuple[int, Candidate]] = []  # sent, not yet answered; [0] is running
        self.started = 0.0  # when the running file started

    @property
    def job(self) -> tuple[int, Candidate] | None:
        return self.batch[0] if self.batch else None

    def give(self, batch: list[tuple[int, Candidate]]) -> None:
        self.batch = list(batch)
        self.started = time.monotonic()
        self.conn.send(batch)

    def answered(self) -> None:
        self.batch.pop(0)
        self.started = time.monotonic()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _context():
    # fork starts a worker in milliseconds with the parent's imports; the child runs only
    # _worker_main, so locks held by the parent's other threads (progress bar) are never used.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def run_parallel(
    candidates: Sequence[Candidate],
    examine: Examine,
    error_result: ErrorResult,
    packs: Sequence[Pack],
    options: ScanOptions,
    jobs: int,
    budget: Budget,
) -> Iterator[tuple[int, FileResult]]:
    """Yield (index, result) for every candidate, in input order."""
    ctx = _context()
    workers: list[_Worker] = []
    pending = collections.deque(enumerate(candidates))
    done: dict[int, FileResult] = {}
    next_out = 0
    workers_wanted = max(1, min(jobs, len(candidates)))

    def feed(worker: _Worker) -> None:
        # Batches amortise the pipe's cost on quick files; they shrink as the queue drains
        # so that both workers finish together.
        size = max(1, min(MAX_BATCH, len(pending) // (4 * workers_wanted)))
        batch = [pending.popleft() for _ in range(min(size, len(pending)))]
        if batch:
            worker.give(batch)

    def replace(worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(ctx, examine, packs, options)
        workers[workers.index(worker)] = fresh
        feed(fresh)
        return fresh

    try:
        for _ in range(workers_wanted):
            worker = _Worker(ctx, examine, packs, options)
            workers.append(worker)
            feed(worker)
        while next_out < len(candidates):
            busy = [w for w in workers if w.job is not None]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], POLL_SECONDS)
            now = time.monotonic()
            for worker in busy:
                index, candidate = worker.job
                if worker.conn in ready:
                    try:
                        while worker.batch and worker.conn.poll():
                            got_index, result = worker.conn.recv()
                            done[got_index] = result
                            worker.answered()
                    except (EOFError, OSError):
                        pass  # died while answering: handled as a crash below
                    if not worker.batch:
                        feed(worker)
                    if worker.job is None or worker.job[0] != index:
                        continue
                reason = None
                if not worker.process.is_alive() or worker.process.sentinel in ready:
                    worker.process.join(timeout=1)
                    code = worker.process.exitcode
                    if code is not None and code < 0:
                        reason = ("crashed", f"crashed: signal {-code}")
                    else:
                        reason = ("crashed", f"crashed: worker exited with code {code}")
                elif now - worker.started > budget.timeout_s:
                    reason = ("timeout", f"timeout: over the {budget.timeout_s:g} s budget")
                elif _rss_mb(worker.process.pid) > budget.memory_mb:
                    reason = ("memory", f"memory: over the {budget.memory_mb} MB budget")
                if reason:
                    done[index] = error_result(candidate, *reason)
                    pending.extendleft(reversed(worker.batch[1:]))  # the rest go to others
                    worker.batch = []
                    replace(worker)
            while next_out in done:
                yield next_out, done.pop(next_out)
                next_out += 1
    finally:
        for worker in workers:
            try:
                if worker.job is None and worker.process.is_alive():
                    worker.conn.send(None)
            except OSError:
                pass
            worker.kill()
