"""Run the per-file pipeline on a Ray cluster: a pool of actors, each file under a budget.

Each actor is one worker process that keeps what is costly to set up (the OCR engine, the C2PA
trust settings) for every file it is given. The driver keeps a few files queued per actor and
enforces the same limits as the local executor:

- time: a file that runs past the budget gets its actor killed and replaced; the file becomes
  `error: timeout` and the files queued behind it go to other actors;
- memory: a watchdog thread in the actor checks its resident memory; over the budget it records
  the reason in Ray's key-value store and kills its own process (native decoders cannot be
  interrupted any other way); the file becomes `error: memory`;
- crashes: an actor that dies (a native decoder's segfault) costs that one file, `error: crashed`.

Results are handed back in input order. The markcheck package the driver runs is shipped to the
actors (Ray `py_modules`), so both sides run the same code.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markcheck.backends import BackendError, ErrorResult, Examine, Stream
from markcheck.discover import Candidate
from markcheck.model import FileResult
from markcheck.rules.packs import Pack
from markcheck.scan_options import Budget, ScanOptions

POLL_SECONDS = 0.25  # how often budgets are checked while waiting for results
QUEUED_PER_ACTOR = 4  # files handed to an actor ahead: hides the round trip on quick files
WATCH_SECONDS = 0.2  # the memory watchdog's period inside an actor
MAX_FAILED_STARTS = 3  # actors in a row that die before they are up: then the backend gives up
_KV_PREFIX = "markcheck:memory:"
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


class Examiner:
    """One actor: examines files one at a time in its own process."""

    def __init__(
        self, examine: Examine, packs: Sequence[Pack], options: ScanOptions, memory_mb: int
    ):
        import ray

        self.examine, self.packs, self.options = examine, packs, options
        self.key = _KV_PREFIX + ray.get_runtime_context().get_actor_id()
        threading.Thread(target=self._watch, args=(memory_mb,), daemon=True).start()

    def _watch(self, memory_mb: int) -> None:
        from ray.experimental.internal_kv import _internal_kv_put

        while True:
            time.sleep(WATCH_SECONDS)
            used = _rss_mb()
            if used > memory_mb:
                message = f"memory: over the {memory_mb} MB budget ({used:.0f} MB resident)"
                try:
                    _internal_kv_put(self.key, message.encode())
                finally:
                    os.kill(os.getpid(), signal.SIGKILL)

    def ready(self) -> int:
        return os.getpid()

    def run(self, index: int, candidate: Candidate) -> tuple[int, FileResult]:
        return index, self.examine(candidate, self.packs, self.options)


def _ray():
    try:
        import ray
    except ImportError:
        raise BackendError("--backend ray needs Ray: pip install 'markcheck[ray]'") from None
    return ray


def _markcheck_dir() -> str:
    import markcheck

    return str(Path(markcheck.__file__).resolve().parent)


def runtime_env() -> dict[str, Any]:
    """What the actors need: this very markcheck package, uploaded with the job."""
    return {"py_modules": [_markcheck_dir()]}


def connect(address: str | None) -> bool:
    """Join the cluster at `address` (a new local one when None) as a job that carries this
    markcheck package; True if this call started the connection (and so should end it).

    A program that has called ray.init itself keeps its own job settings: it passes
    `runtime_env()` to ray.init, or has markcheck installed on every node."""
    ray = _ray()
    if ray.is_initialized():
        return False
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
            runtime_env=runtime_env(),
        )
    except (ConnectionError, ValueError, RuntimeError) as exc:
        raise BackendError(f"cannot reach the Ray cluster at {address}: {exc}") from None
    return True


class _Slot:
    """The driver's view of one actor: what it was given, and since when the head runs."""

    def __init__(self, actor_class, examine, packs, options, budget: Budget):
        self.handle = actor_class.remote(examine, packs, options, budget.memory_mb)
        # Files are given once the actor is up: starting a worker and its environment takes
        # seconds on a busy node (not a file's time), and an actor that dies while starting
        # has then cost no file.
        self.starting: Any = self.handle.ready.remote()
        self.queue: collections.deque[tuple[int, Candidate, Any]] = collections.deque()
        self.started = time.monotonic()

    def give(self, index: int, candidate: Candidate) -> None:
        if not self.queue:
            self.started = time.monotonic()
        self.queue.append((index, candidate, self.handle.run.remote(index, candidate)))

    def up(self, now: float) -> None:
        self.starting = None
        self.started = now


def run_ray(
    candidates: Sequence[Candidate],
    examine: Examine,
    error_result: ErrorResult,
    packs: Sequence[Pack],
    options: ScanOptions,
    jobs: int,
    budget: Budget,
    address: str | None = None,
) -> Stream:
    """Yield (index, result) for every candidate, in input order, from actors on Ray."""
    ray = _ray()
    from ray.exceptions import GetTimeoutError, RayActorError, RayTaskError
    from ray.experimental.internal_kv import _internal_kv_del, _internal_kv_get

    started_here = connect(address)
    actors = max(1, jobs or int(ray.cluster_resources().get("CPU", 1)))
    actors = min(actors, max(1, len(candidates)))
    actor_class = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(Examiner)
    pending = collections.deque(enumerate(candidates))
    done: dict[int, FileResult] = {}
    next_out = 0
    slots: list[_Slot] = []

    failed_starts = 0

    suspects: set[int] = set()  # files that were running when an actor died: retried alone

    def feed(slot: _Slot) -> None:
        while slot.starting is None and pending and len(slot.queue) < QUEUED_PER_ACTOR:
            if slot.queue and (slot.queue[-1][0] in suspects or pending[0][0] in suspects):
                break  # a suspect runs alone, so that a second death is surely its own
            slot.give(*pending.popleft())

    def retire(slot: _Slot, reason: tuple[str, str], died: bool = False) -> None:
        """The head file fails with `reason`; the rest go back; a fresh actor takes over.

        When the actor died, the head is only suspected the first time: the answer of a file
        that finished just before the death can be lost with the process, so the head (if it
        shared the actor) is run once more, alone, before it is blamed."""
        index, candidate, _ = slot.queue[0]
        if died and index not in suspects and len(slot.queue) > 1:
            suspects.add(index)
        else:
            slot.queue.popleft()
            done[index] = error_result(candidate, *reason)
        pending.extendleft((i, c) for i, c, _ in reversed(slot.queue))
        ray.kill(slot.handle, no_restart=True)
        fresh = _Slot(actor_class, examine, packs, options, budget)
        slots[slots.index(slot)] = fresh
        feed(fresh)

    def death_reason(slot: _Slot) -> tuple[str, str]:
        key = _KV_PREFIX + slot.handle._actor_id.hex()
        message = _internal_kv_get(key)
        if message:
            _internal_kv_del(key)
            return "memory", message.decode()
        return "crashed", "crashed: the Ray worker process died"

    try:
        slots = [_Slot(actor_class, examine, packs, options, budget) for _ in range(actors)]
        for slot in slots:
            feed(slot)
        while next_out < len(candidates):
            heads = {slot.queue[0][2]: slot for slot in slots if slot.queue}
            starting = {slot.starting: slot for slot in slots if slot.starting is not None}
            waited = [*heads, *starting]
            ready, _ = ray.wait(waited, num_returns=len(waited), timeout=POLL_SECONDS)
            now = time.monotonic()
            for ref in ready:
                if ref in starting:
                    slot = starting[ref]
                    try:
                        ray.get(ref, timeout=POLL_SECONDS)
                    except (RayActorError, RayTaskError) as exc:
                        failed_starts += 1
                        if failed_starts >= MAX_FAILED_STARTS:
                            why = death_reason(slot)[1] if isinstance(exc, RayActorError) else ""
                            raise BackendError(
                                f"Ray actors could not start: {why or str(exc)[:300]}"
                            ) from None
                        slots[slots.index(slot)] = _Slot(
                            actor_class, examine, packs, options, budget
                        )
                        continue
                    failed_starts = 0
                    slot.up(now)
                    feed(slot)
            for ref in ready:
                if ref not in heads:
                    continue
                slot = heads[ref]
                try:
                    index, result = ray.get(ref, timeout=POLL_SECONDS)
                except RayActorError:
                    retire(slot, death_reason(slot), died=True)
                    continue
                except GetTimeoutError:
                    continue
                except RayTaskError as exc:  # examine never raises; a bug in transport does
                    index = slot.queue[0][0]
                    result = error_result(slot.queue[0][1], "internal", str(exc)[:500])
                slot.queue.popleft()
                slot.started = now
                done[index] = result
                feed(slot)
            for slot in list(slots):
                running = slot.starting is None and slot.queue and slot.queue[0][2] not in ready
                if running and now - slot.started > budget.timeout_s:
                    reason = f"timeout: over the {budget.timeout_s:g} s budget"
                    retire(slot, ("timeout", reason))
            while next_out in done:
                yield next_out, done.pop(next_out)
                next_out += 1
    finally:
        for slot in slots:
            with contextlib.suppress(Exception):  # already gone: nothing to stop
                ray.kill(slot.handle, no_restart=True)
        if started_here:
            ray.shutdown()
