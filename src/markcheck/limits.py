"""Bounds on what reading one file may cost; shared by the options of a scan and the readers
(a module of its own so that options do not depend on the readers)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Hard bounds on what a reader may read or inflate. Each is a documented setting."""

    max_entry_bytes: int = 16 * 1024 * 1024  # one metadata item (XMP packet, text chunk, box)
    max_inflate_bytes: int = 16 * 1024 * 1024  # decompressed size of a zTXt/iTXt chunk
    max_box_depth: int = 12  # nesting of ISO-BMFF boxes
    max_entries: int = 4096  # chunks/segments/boxes/tags/extents visited per file
    # Wall time one file's metadata read may take, in-process or in a worker (a crafted file
    # stops here even where --timeout cannot kill anything).
    max_seconds: float = 10.0
