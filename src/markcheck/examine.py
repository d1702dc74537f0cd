"""Judge one file: evidence (gated), AI assessment, rules, status, preview.

The per-file function every executor runs (in-process, worker processes, Ray actors); a
failure to read the file becomes that file's error, never the scan's.
"""

from __future__ import annotations

from collections.abc import Sequence

from markcheck.ai import assess
from markcheck.discover import FORMAT_KINDS, Candidate
from markcheck.evidence.collect import FileProblem
from markcheck.evidence.gate import gather
from markcheck.model import AIAssessment, FileError, FileResult, MediaInfo, Preview
from markcheck.readers import ReaderError
from markcheck.rules.engine import evaluate, needed_parts
from markcheck.rules.packs import Pack
from markcheck.scan_options import ScanOptions
from markcheck.verdict import file_status


def error_result(candidate: Candidate, kind: str, message: str) -> FileResult:
    fmt = candidate.format or "unknown"
    media = MediaInfo(FORMAT_KINDS.get(fmt, "other"), fmt)
    return FileResult(
        path=candidate.rel,
        sha256="",
        status="error",
        media=media,
        ai=AIAssessment("none"),
        error=FileError(kind, message),
    )


def examine(candidate: Candidate, packs: Sequence[Pack], options: ScanOptions) -> FileResult:
    """Judge one file; any failure to read it becomes that file's error status."""
    cached: list[str] = []
    try:
        if options.cache_dir:
            from markcheck.cache import gather_cached

            evidence, cached = gather_cached(
                gather, candidate, needed_parts(packs), options, options.cache_dir
            )
        else:
            evidence = gather(candidate, needed_parts(packs), options)
    except FileProblem as exc:
        return error_result(candidate, "unreadable", str(exc))
    except ReaderError as exc:
        return error_result(candidate, "corrupt", str(exc))
    except OSError as exc:
        return error_result(candidate, "io", f"{type(exc).__name__}: {exc.strerror or exc}")
    except MemoryError:
        return error_result(candidate, "memory", "ran out of memory reading the file")
    except Exception as exc:  # a bug or an unforeseen input: isolate it to this file
        return error_result(candidate, "internal", f"{type(exc).__name__}: {exc}")
    try:
        ai = assess(evidence)
        findings = evaluate(evidence, packs, options, ai)
    except Exception as exc:  # a check's own bug: this file's internal error, the scan goes on
        return error_result(candidate, "internal", f"{type(exc).__name__}: {exc}")
    return FileResult(
        path=evidence.path,
        sha256=evidence.sha256,
        status=file_status(findings),
        media=evidence.media,
        ai=ai,
        explicit=evidence.explicit or [],
        implicit=evidence.implicit,
        findings=findings,
        notes=evidence.notes + [f"{k} not examined: {v}" for k, v in evidence.unavailable.items()],
        preview=_preview(candidate, evidence.media.kind, options.preview_side, evidence.explicit),
        cached=cached,
    )


def _preview(
    candidate: Candidate, kind: str, side: int, regions: list | None = None
) -> Preview | None:
    """The file's thumbnails when a report shows them; a failure here never changes the
    file's judgement."""
    if not side:
        return None
    from markcheck.previews import make_preview  # Pillow and NumPy: only when asked for

    try:
        return make_preview(candidate.path, kind, side, regions or [])
    except Exception as exc:  # the judgement stands whatever the thumbnail decoder does
        return Preview(problem=f"{type(exc).__name__}: {exc}")
