"""The bytes of the file this thread is examining, when the metadata step read it whole.

The metadata step reads a local file up to collect.WHOLE_READ_BYTES in one piece to hash and
parse it; a costlier part that reads the same file next (c2pa validates the whole asset)
takes these bytes instead of opening and reading the file a second time. So both see the
very bytes whose SHA-256 the report gives, even if the file changes during the scan. One
file per thread, dropped when the file's evidence is complete (evidence.gate).
"""

from __future__ import annotations

import threading
from pathlib import Path

_held = threading.local()


def hold(path: Path, data: bytes) -> None:
    """Keep `data` as the content of `path` for this thread."""
    _held.item = (path, data)


def held_bytes(path: Path) -> bytes | None:
    """The bytes held for `path` on this thread, or None when another file (or none) is held."""
    item = getattr(_held, "item", None)
    return item[1] if item is not None and item[0] == path else None


def release() -> None:
    """Keep nothing for this thread."""
    _held.item = None
