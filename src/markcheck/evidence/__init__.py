"""Evidence providers: the costlier parts of a file's evidence, computed only when needed.

Metadata is always read (it is cheap). Other parts ("c2pa", "explicit") come from providers that
register here; a provider fills its part of the evidence or records in `evidence.unavailable`
why it could not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from markcheck.model import Evidence
from markcheck.scan_options import ScanOptions

ProviderFn = Callable[[Evidence, Path, str, ScanOptions], None]

PROVIDERS: dict[str, ProviderFn] = {}


def provider(part: str) -> Callable[[ProviderFn], ProviderFn]:
    """Register `fn(evidence, path, format, options)` as the provider of evidence `part`."""

    def register(fn: ProviderFn) -> ProviderFn:
        PROVIDERS[part] = fn
        return fn

    return register
