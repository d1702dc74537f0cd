"""Where the per-file work runs: in this process, a local process pool, or a Ray cluster.

Every backend takes the same per-file function (`markcheck.examine.examine`) and yields the same
`(index, FileResult)` pairs in input order; rules and reports never know which one ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from markcheck.discover import Candidate
from markcheck.model import FileResult
from markcheck.rules.packs import Pack
from markcheck.scan_options import Budget, ScanOptions

BACKENDS = ("local", "ray")

Examine = Callable[[Candidate, Sequence[Pack], ScanOptions], FileResult]
ErrorResult = Callable[[Candidate, str, str], FileResult]
Stream = Iterator[tuple[int, FileResult]]


class BackendError(ValueError):
    """A backend that cannot start (unknown name, missing extra, unreachable cluster)."""


def in_process(
    candidates: Sequence[Candidate], examine: Examine, packs: Sequence[Pack], options: ScanOptions
) -> Stream:
    """Each file in this process, one after the other (no budgets: nothing to kill)."""
    return ((i, examine(c, packs, options)) for i, c in enumerate(candidates))


def run(
    backend: str,
    candidates: Sequence[Candidate],
    examine: Examine,
    error_result: ErrorResult,
    packs: Sequence[Pack],
    options: ScanOptions,
    jobs: int,
    budget: Budget,
    address: str | None = None,
) -> Stream:
    """The results of `examine` over `candidates` from the named backend, in input order.

    local: `jobs` worker processes under `budget` (executor.run_parallel), or in this process
    when `jobs` is 0. ray: actors on the cluster at `address` (a local one when None), `jobs`
    of them (0: one per CPU of the cluster), each file under `budget`.
    """
    if backend == "ray":
        from markcheck.backends.ray_backend import run_ray

        return run_ray(candidates, examine, error_result, packs, options, jobs, budget, address)
    if backend != "local":
        raise BackendError(f"unknown backend {backend!r} (known: {', '.join(BACKENDS)})")
    if jobs > 0:
        from markcheck.executor import run_parallel

        return run_parallel(candidates, examine, error_result, packs, options, jobs, budget)
    return in_process(candidates, examine, packs, options)
