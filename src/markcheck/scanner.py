"""Orchestrate a scan: discover the files, run `examine` on each through an executor, and
stream the results to the report sinks (discover -> evidence -> rules -> verdict -> reports)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from markcheck import __version__
from markcheck.audit import build as build_audit
from markcheck.audit import now as audit_now
from markcheck.discover import discover, filter_paths
from markcheck.evidence.gate import PIXEL_PARTS
from markcheck.examine import error_result, examine
from markcheck.model import (
    FileResult,
    RulesetRef,
    ScanResult,
)
from markcheck.rules.engine import needed_parts
from markcheck.rules.packs import PackError, prepare_packs
from markcheck.scan_options import Budget, ScanOptions
from markcheck.trust import trust_summary
from markcheck.waivers import WaiverSet

Progress = Callable[[int, int, str], None]


class ReportSink(Protocol):
    """Receives a scan's results as they come (see reports.json_report.JsonSink)."""

    def start(self, header: ScanResult) -> None: ...
    def add(self, item: FileResult) -> None: ...
    def finish(self, result: ScanResult) -> None: ...


def tool_info(parts: set[str]) -> dict:
    info: dict = {"name": "markcheck", "version": __version__}
    if "explicit" in parts:
        try:
            from markcheck.detectors.text import engine_info

            info["ocr"] = engine_info()
        except ImportError:
            pass
    if "watermark" in parts:
        from markcheck.detectors.watermark import decoder_info

        info["watermark"] = decoder_info()
    return info


def scan(
    paths: Iterable[str | os.PathLike[str]],
    rules: Sequence[str] = ("cn-gb45438",),
    *,
    role: str = "provider",
    assume_ai: bool = False,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    options: ScanOptions | None = None,
    jobs: int | None = 0,
    budget: Budget | None = None,
    progress: Progress | None = None,
    sink: ReportSink | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    params: Mapping[str, Mapping[str, Any]] | None = None,
    waivers: WaiverSet | None = None,
    audit: Mapping[str, Any] | None = None,
    changed_since: str | None = None,
    backend: str = "local",
    ray_address: str | None = None,
) -> ScanResult:
    """Scan files and folders against rule packs; the Python face of `markcheck scan`.

    `rules` are built-in pack ids or paths to pack files; `select`/`ignore` keep or drop rules
    by id prefix (e.g. "cn.implicit" for a metadata-only scan). Raises PackError for a bad pack and
    FileNotFoundError for a missing input path; problems with single files never raise.
    `jobs` > 0 runs files in that many worker processes, each file under `budget` (time and
    memory); 0 runs them in this process, without budgets; None picks: every core when pixels
    are examined, in-process for metadata and C2PA rules (bounded reads, milliseconds a file,
    where starting and feeding workers costs more than it saves). Ctrl-C (KeyboardInterrupt)
    stops the scan and returns what was done, marked partial. With a `sink`, each file's
    result goes to it as it is judged instead of being kept (the returned ScanResult then
    holds the counts only). `include`/`exclude` are globs over scan-relative paths; `params`
    overrides rule parameters by rule id; `waivers` marks accepted findings before a result is
    counted or reported. The result's `audit` records the options (plus the caller's `audit`
    entries), packs, thresholds and trust anchors; junk trust-anchor files raise TrustError
    before the first file. `changed_since` (a git ref or range) keeps only the files it touched.
    `backend` "ray" runs the files on the Ray cluster at `ray_address` (a local one when None),
    `jobs` actors (0 or None: one per CPU), each file under `budget` (markcheck.backends).
    """
    started = audit_now()
    options = options or ScanOptions(role=role, assume_ai=assume_ai)
    trust = trust_summary(options.trust_anchors, options.replace_trust_anchors)
    packs = prepare_packs(rules, select, ignore, params)
    if not any(pack.rules for pack in packs):
        raise PackError("no rule left after --select/--ignore")
    candidates, skipped = discover(paths)
    candidates, excluded = filter_paths(candidates, include, exclude)
    skipped += excluded
    if changed_since:
        from markcheck.changes import keep_changed

        candidates = keep_changed(candidates, changed_since)
    if options.preview_side:
        from markcheck.previews import preview_side

        side = min(options.preview_side, preview_side(len(candidates)))
        options = dataclasses.replace(options, preview_side=side)
    threads = 0  # > 0: metadata files on that many threads of this process
    if jobs is None and backend == "local":
        # Decoding pixels (for rules or previews) is worth worker processes: they isolate
        # the decoders and use every core. Metadata alone is faster in-process.
        decodes = needed_parts(packs) & PIXEL_PARTS or options.preview_side
        jobs = (os.cpu_count() or 1) if decodes else 0
        # Metadata on local files: threads of this process overlap reading, hashing and
        # c2pa on spare cores (markcheck.threaded). Not with the evidence cache (one database
        # connection) nor objects in storage (their clients' own connection pools); -j 0
        # stays sequential.
        if not jobs and not options.cache_dir and not any(c.url for c in candidates):
            from markcheck.threaded import metadata_threads

            threads = metadata_threads(len(candidates))
    outcome = ScanResult(
        tool=tool_info(needed_parts(packs)),
        rulesets=[RulesetRef(pack.id, pack.version) for pack in packs],
        skipped=len(skipped),
        skipped_paths=[{"path": s.path, "reason": s.reason} for s in skipped],
    )
    outcome.audit = build_audit(
        loaded=prepare_packs(rules, (), (), params),
        run=packs,
        options={
            "role": options.role,
            "assume_ai": options.assume_ai,
            "select": list(select),
            "ignore": list(ignore),
            "include": list(include),
            "exclude": list(exclude),
            "jobs": jobs,
            **(audit or {}),
        },
        thresholds=params,
        trust=trust,
    )
    outcome.audit["ocr"] = outcome.tool.get("ocr")
    outcome.audit["started"] = started
    if sink:
        sink.start(outcome)
    if backend != "local":
        from markcheck.backends import run as run_backend

        options = dataclasses.replace(options, ocr_threads=options.ocr_threads or 1)
        stream = run_backend(
            backend, candidates, examine, error_result, packs, options, jobs or 0,
            budget or Budget(), ray_address,
        )  # fmt: skip
    elif jobs > 0:
        from markcheck.executor import run_parallel

        # Workers share the cores: each runs its OCR on its share of them.
        threads = max(1, (os.cpu_count() or 1) // jobs)
        options = dataclasses.replace(options, ocr_threads=options.ocr_threads or threads)

        stream = run_parallel(
            candidates, examine, error_result, packs, options, jobs, budget or Budget()
        )
    elif threads > 1:
        from markcheck.threaded import run_threaded

        stream = run_threaded(candidates, examine, packs, options, threads)
    else:
        stream = ((i, examine(c, packs, options)) for i, c in enumerate(candidates))
    try:
        for index, result in stream:
            if waivers is not None:
                result = waivers.apply(result)
            outcome.record(result, keep=sink is None)
            if sink:
                sink.add(result)
            if progress:
                progress(index + 1, len(candidates), result.path)
    except KeyboardInterrupt:
        outcome.partial = True
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()
    outcome.audit["finished"] = audit_now()
    if waivers is not None:
        outcome.audit["waivers"] = waivers.summary()
    if sink:
        sink.finish(outcome)
    return outcome
