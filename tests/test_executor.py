"""Worker processes: budgets enforced for real (sleep, crash, memory), order kept, pool refilled."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from markcheck.discover import Candidate
from markcheck.executor import Budget, _rss_mb, run_parallel
from markcheck.model import AIAssessment, FileError, FileResult, MediaInfo


def behave(candidate: Candidate, packs, options) -> FileResult:
    """A stand-in for the per-file work whose behaviour the file name picks."""
    name = candidate.path.name
    if name.startswith("sleep"):
        time.sleep(30)
    elif name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    elif name.startswith("hog"):
        hoard = bytearray(400 * 2**20)  # touched below, so it is resident
        for i in range(0, len(hoard), 4096):
            hoard[i] = 1
        time.sleep(30)
    return FileResult(
        candidate.rel,
        "",
        "compliant",
        MediaInfo("image", "png"),
        AIAssessment("none"),
        notes=[f"pid {os.getpid()}"],
    )


def error(candidate: Candidate, kind: str, message: str) -> FileResult:
    return FileResult(
        candidate.rel,
        "",
        "error",
        MediaInfo("image", "png"),
        AIAssessment("none"),
        error=FileError(kind, message),
    )


def candidates(*names: str) -> list[Candidate]:
    return [Candidate(Path(name), name, "png") for name in names]


def test_timeout_crash_and_memory_become_errors_and_the_scan_goes_on():
    names = ["a", "sleep", "b", "crash", "c", "hog", "d"]
    start = time.monotonic()
    # Forked workers start with this process's resident pages (more after earlier tests have
    # loaded the OCR): the budget is 200 MB above that, the hog takes 400 MB.
    budget = Budget(timeout_s=2.0, memory_mb=int(_rss_mb(os.getpid())) + 200)
    got = list(run_parallel(candidates(*names), behave, error, [], None, 2, budget))
    assert time.monotonic() - start < 25
    assert [i for i, _ in got] == list(range(len(names)))  # input order
    by_name = {r.path: r for _, r in got}
    assert by_name["sleep"].error.type == "timeout"
    assert by_name["crash"].error.message == f"crashed: signal {signal.SIGSEGV.value}"
    assert by_name["hog"].error.type == "memory"
    assert all(by_name[n].status == "compliant" for n in "abcd")


def test_work_is_spread_over_worker_processes():
    got = list(run_parallel(candidates(*"abcdef"), behave, error, [], None, 2, Budget()))
    pids = {r.notes[0] for _, r in got}
    assert len(pids) == 2 and str(os.getpid()) not in " ".join(pids)
