"""`markcheck scan` itself: its options' choices, the exit codes, and the run, without the
command-line framework.

typer (with the click it vendors) costs ~25 ms of every start-up, a fifth of a metadata scan of
a few files. The usual scan command line is parsed without it (markcheck.cli_fast) and runs
here; markcheck.cli_app gives typer the same run, with each option's help, for any other.

Exit codes: 0 no file failed the policy; 1 at least one file did; 2 usage or configuration error
(including "no media found" unless --allow-empty); 3 markcheck's own failure (a bug: the scan
stopped, or a file met an internal error; the report says which); 130 interrupted (Ctrl-C)
after writing the partial report.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_INTERNAL = 3  # markcheck's own failure, never the files' verdict
PROGRESS_MIN_FILES = 6


class Format(str, Enum):
    table = "table"
    json = "json"
    html = "html"
    sarif = "sarif"
    junit = "junit"


class Role(str, Enum):
    provider = "provider"
    platform = "platform"


class Backend(str, Enum):
    local = "local"
    ray = "ray"


class FailOn(str, Enum):
    noncompliant = "noncompliant"
    needs_review = "needs_review"
    error = "error"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def usage_error(message: str) -> int:
    """Say what was wrong with the command line or configuration; the exit code for it."""
    _say(f"markcheck: error: {message}")
    return EXIT_USAGE


def _read_path_list() -> list[str]:
    return [line.strip() for line in sys.stdin if line.strip()]


def _progress_callback(plain: bool = False):
    """A progress bar with files/s and time left on stderr when it is a terminal; with
    `plain` (--progress) a line every 10 s otherwise; else nothing."""
    if sys.stderr.isatty():
        from markcheck.progress import rich_progress

        return rich_progress(PROGRESS_MIN_FILES)
    if plain:
        from markcheck.progress import PlainProgress

        lines = PlainProgress()
        return lines, lines
    return None, None


def run(
    paths: list[str],
    rules: list[str] | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    role: Role | None = None,
    assume_ai: bool | None = None,
    format: list[Format] | None = None,
    output: Path | None = None,
    output_dir: Path | None = None,
    config: Path | None = None,
    waivers: Path | None = None,
    fail_on: list[FailOn] | None = None,
    jobs: int | None = None,
    timeout: float = 60.0,
    memory_mb: int = 2048,
    trust_anchors: list[Path] | None = None,
    replace_trust_anchors: bool = False,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    allow_empty: bool = False,
    cache_dir: Path | None = None,
    changed_since: str | None = None,
    backend: Backend = Backend.local,
    show_progress: bool = False,
    ray_address: str | None = None,
) -> int:
    """Scan `paths` with the `markcheck scan` options (their help: markcheck.cli_app.scan);
    the exit code. The defaults are the command line's."""
    from markcheck.backends import BackendError
    from markcheck.changes import ChangesError
    from markcheck.cli_settings import USAGE_ERRORS, prepare
    from markcheck.limits import Limits
    from markcheck.scan_options import Budget, ScanOptions
    from markcheck.scanner import scan as run_scan

    for anchors in trust_anchors or ():
        if not anchors.is_file():
            return usage_error(f"trust anchor file not found: {anchors}")
    if "-" in paths:
        paths = [p for p in paths if p != "-"] + _read_path_list()
    flags = {
        "rules": rules,
        "select": select,
        "ignore": ignore,
        "jobs": jobs,
        "role": role and role.value,
        "assume_ai": assume_ai,
        "fail_on": [f.value for f in fail_on or ()],
        "format": [f.value for f in format or ()],
        "output_dir": output_dir and str(output_dir),
        "waivers": waivers and str(waivers),
        "include": include,
        "exclude": exclude,
    }
    try:
        run = prepare(paths, flags, output, config)
        settings = run.config
        options = ScanOptions(
            role=settings["role"],
            assume_ai=settings["assume_ai"],
            trust_anchors=tuple(trust_anchors or ()),
            replace_trust_anchors=replace_trust_anchors,
            preview_side=run.preview_side,
            # --timeout bounds each file's metadata read in-process too (no worker to kill).
            limits=Limits(max_seconds=timeout),
            cache_dir=str(cache_dir) if cache_dir else None,
        )
        callback, progress = _progress_callback(show_progress)
        try:
            result = run_scan(
                paths,
                settings["rules"],
                select=settings["select"],
                ignore=settings["ignore"],
                options=options,
                jobs=settings["jobs"],
                budget=Budget(timeout, memory_mb) if settings["jobs"] != 0 else None,
                progress=callback,
                sink=run.sink,
                include=settings["include"],
                exclude=settings["exclude"],
                params=settings["thresholds"],
                waivers=run.waivers,
                audit={
                    "fail_on": settings["fail_on"],
                    "formats": [t.format for t in run.targets],
                    "config_file": str(settings.file) if settings.file else None,
                    "waivers_file": settings["waivers"],
                    "timeout_s": timeout,
                    "memory_mb": memory_mb,
                    "allow_empty": allow_empty,
                },
                changed_since=changed_since,
                backend=backend.value,
                ray_address=ray_address,
            )
        finally:
            if progress is not None:
                progress.stop()
        run.finish(result)
    except (*USAGE_ERRORS, FileNotFoundError, ChangesError, BackendError) as exc:
        return usage_error(str(exc))
    except Exception as exc:  # markcheck's own failure: say so, with a code no verdict uses
        import traceback

        traceback.print_exc()
        _say(f"markcheck: internal error: {type(exc).__name__}: {exc}")
        return EXIT_INTERNAL
    return _exit_code(result, settings["fail_on"], allow_empty, paths)


def _exit_code(result, fail_on: list[str], allow_empty: bool, paths: list[str]) -> int:
    """The scan's exit code, after its reports are written."""
    if result.partial:
        _say("markcheck: interrupted; the report is partial")
        return EXIT_INTERRUPTED
    if result.internal_errors:
        _say(
            f"markcheck: internal error on {result.internal_errors} file(s); see their "
            "`error` entries (type internal)"
        )
        return EXIT_INTERNAL
    if not result.summary["total"] and not allow_empty:
        _say(
            f"markcheck: error: no media file found in {', '.join(paths) or 'the input'} "
            "(pass --allow-empty if that is expected)"
        )
        return EXIT_USAGE
    failed = any(result.counts[status] for status in fail_on)
    return EXIT_FAILED if failed else EXIT_OK
