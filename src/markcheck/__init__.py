"""markcheck: check AI-generated images and videos for the labels the law requires."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "scan", "label", "LabelRequest"]


def __getattr__(name: str):
    # Lazy, so that `import markcheck` stays cheap for the CLI's start-up.
    if name == "scan":
        from markcheck.scanner import scan

        return scan
    if name in ("label", "LabelRequest"):
        from markcheck import labelling

        return getattr(labelling, name)
    raise AttributeError(name)
