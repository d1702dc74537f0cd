"""Bounded byte access shared by the container readers."""

from __future__ import annotations

import time
from typing import BinaryIO

from markcheck.readers import Limits, ReaderError


class Source:
    """A file opened for reading, with every read checked against its size and the limits."""

    def __init__(self, fp: BinaryIO, size: int, limits: Limits, name: str) -> None:
        self.fp = fp
        self.size = size
        self.limits = limits
        self.name = name
        self.visited = 0
        self.deadline = time.monotonic() + limits.max_seconds

    def read_at(self, offset: int, length: int, what: str) -> bytes:
        if offset < 0 or length < 0 or offset + length > self.size:
            raise ReaderError(
                f"{self.name}: {what} at byte {offset} ({length} bytes) runs past the end of the "
                f"file ({self.size} bytes): truncated or corrupt"
            )
        if length > self.limits.max_entry_bytes:
            raise ReaderError(
                f"{self.name}: {what} is {length} bytes, over the {self.limits.max_entry_bytes}"
                "-byte limit for one metadata item"
            )
        if time.monotonic() > self.deadline:
            raise ReaderError(
                f"{self.name}: reading metadata took over {self.limits.max_seconds:g} s; stopped"
            )
        self.fp.seek(offset)
        data = self.fp.read(length)
        if len(data) != length:
            raise ReaderError(f"{self.name}: short read of {what} at byte {offset}")
        return data

    def count(self, what: str = "chunks/segments/boxes") -> None:
        """Count one visited structure; refuse files with absurdly many, or that take too long."""
        self.visited += 1
        if self.visited > self.limits.max_entries:
            raise ReaderError(f"{self.name}: more than {self.limits.max_entries} {what}")
        if time.monotonic() > self.deadline:
            raise ReaderError(
                f"{self.name}: reading metadata took over {self.limits.max_seconds:g} s; stopped"
            )
