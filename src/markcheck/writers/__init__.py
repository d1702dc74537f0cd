"""Metadata writers, the mirror of `markcheck.readers`: used only by `markcheck label`.

Each container writer takes a file's bytes and the TC260 label value to hold, and returns new
bytes with the label in the carrier the TC260 practice guides name for that format. Pixel data
is copied byte for byte; every other chunk, segment or box is kept. A writer never guesses: when
the structure is one it cannot edit safely, it raises WriterError and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass


class WriterError(Exception):
    """The label cannot be written into this file safely (the reason says why)."""


@dataclass(frozen=True)
class Written:
    """What a container writer did."""

    data: bytes  # the new file
    carrier: str  # where the label now sits, in the readers' carrier names
    action: str  # "added" | "updated"
    removed: tuple[str, ...] = ()  # other carriers whose duplicate label was taken out
