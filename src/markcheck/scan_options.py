"""Settings of one scan, shared by every stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markcheck.limits import Limits

# Largest thumbnail of the HTML report (smaller for large scans: previews.preview_side).
PREVIEW_MAX_SIDE = 320


@dataclass(frozen=True)
class ScanOptions:
    role: str = "provider"  # "provider" | "platform" (GB 45438 / CAC Measures Art. 6)
    assume_ai: bool = False  # judge every file as AI output even without an AI signal
    trust_anchors: tuple[Path, ...] = ()  # extra C2PA trust anchor PEM files
    replace_trust_anchors: bool = False  # use only trust_anchors, not the bundled list
    limits: Limits = field(default_factory=Limits)
    ocr_threads: int = 0  # onnxruntime threads per process; 0: every core
    preview_side: int = 0  # > 0: thumbnails of each file at most this size (the HTML report)
    cache_dir: str | None = None  # evidence cache directory (markcheck.cache); None: no cache


@dataclass(frozen=True)
class Budget:
    """What one file may cost in a worker process before it becomes an error."""

    timeout_s: float = 60.0  # wall time per file
    memory_mb: int = 2048  # resident memory of the worker process
