"""Follow one visible label through a video's frames: by its place and its text, not by pixels.

A label is the same label in another frame when a box of about its height sits at about its
place and reads as similar text (a single OCR misread keeps the similarity high). Between two
samples, the frame where a label starts or ends is found by re-reading only the label's box
(recognition without detection, a few milliseconds) and bisecting. A label ends only where
two consecutive frames are without it, so one misread or one flickering frame does not end it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from markcheck.model import TextRegion
from markcheck.vocabulary.wording import classify_label_text

SIMILAR_TEXT = 0.5  # similarity (0..1) of two reads of the same label
# ... when one read's wording complies and the other's does not: only a misread this close
# (AI生成 / AI生) is the same label; 即梦AI and AI生成 (0.5) at one place are two labels.
SIMILAR_ACROSS_WORDING = 0.7
MIN_READ_SCORE = 0.5  # a re-read less confident than this counts as "not there"
MARGIN = 0.4  # of the label's height, added around its box when it is re-read (motion)
# ... and, where that patch does not read as the label, around the box it is read again in:
# foliage or rocks in a wide margin can spoil the read of a translucent label (豆包I生成).
TIGHT_MARGIN = 0.15


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def similarity(a: str, b: str) -> float:
    """0..1: how alike two reads are, ignoring spaces and case."""
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def same_text(a: str, b: str) -> bool:
    """Two reads of one label: alike, and not one compliant and one not (unless a misread).

    A compliant label that replaces an AI mark at the same place must not inherit its start.
    """
    score = similarity(a, b)
    if score < SIMILAR_TEXT:
        return False
    compliant = classify_label_text(a).is_cn_label, classify_label_text(b).is_cn_label
    return compliant[0] == compliant[1] or score >= SIMILAR_ACROSS_WORDING


def same_place(a: list[int], b: list[int]) -> bool:
    """Boxes of about the same height whose centres are within a line height of each other."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    if min(ah, bh) <= 0 or max(ah, bh) > 1.6 * min(ah, bh):
        return False
    reach = max(ah, bh)
    return (
        abs((ax + aw / 2) - (bx + bw / 2)) <= reach + 0.25 * max(aw, bw)
        and abs((ay + ah / 2) - (by + bh / 2)) <= reach
    )


@dataclass(frozen=True)
class Patch:
    """The label's box with a margin, copied out of a frame (frames are not kept), and where
    within it the box with a tighter margin lies."""

    pixels: np.ndarray
    tight: tuple[slice, slice]

    def views(self) -> tuple[np.ndarray, np.ndarray]:
        return self.pixels, self.pixels[self.tight]


def _span(start: int, length: int, pad: int, limit: int) -> tuple[int, int]:
    return max(0, start - pad), min(limit, start + length + pad)


def crop(grey: np.ndarray, bbox: list[int]) -> Patch:
    """The label's box in a frame with a margin for motion, and with a tight one."""
    x, y, w, h = bbox
    rows, cols = grey.shape[:2]
    side = min(w, h)  # a line's height, a column's width (a label written down a side)
    pad, tight = max(2, round(MARGIN * side)), max(1, round(TIGHT_MARGIN * side))
    y0, y1 = _span(y, h, pad, rows)
    x0, x1 = _span(x, w, pad, cols)
    ty0, ty1 = _span(y, h, tight, rows)
    tx0, tx1 = _span(x, w, tight, cols)
    inner = (slice(ty0 - y0, ty1 - y0), slice(tx0 - x0, tx1 - x0))
    return Patch(np.array(grey[y0:y1, x0:x1]), inner)


Reader = Callable[[np.ndarray], tuple[str, float]]


@dataclass
class Track:
    """One label followed through time: the best read of it, and where it was seen."""

    region: TextRegion
    first_seen: float  # earliest frame it was seen in (refined to the frame)
    last_seen: float  # latest frame it was seen in
    end: float | None = None  # time of the first frame without it, once found
    open_end: bool = False  # the scan stopped while it was still shown

    @property
    def text(self) -> str:
        return self.region.text

    def matches(self, region: TextRegion) -> bool:
        return same_place(self.region.bbox, region.bbox) and same_text(self.text, region.text)

    def seen(self, region: TextRegion, at: float) -> None:
        self.last_seen = max(self.last_seen, at)
        if region.confidence > self.region.confidence:  # keep the clearest read
            # Every measured field kept (height_range too); the span is the track's own.
            self.region = dataclasses.replace(region, time_s=None)

    def shows_in(self, patch: Patch, read: Reader) -> bool:
        """Does this patch (the label's box in some frame) still read as the label?"""
        for pixels in patch.views():
            if pixels.size == 0:
                return False
            text, score = read(pixels)
            if score >= MIN_READ_SCORE and same_text(text, self.text):
                return True
        return False


class Probe:
    """Reads of one track in a run of frames, each read at most once."""

    def __init__(self, track: Track, patches: list[tuple[float, Patch]], read: Reader):
        self.track, self.patches, self.read = track, patches, read
        self._known: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self.patches)

    def upto(self, count: int) -> Probe:
        """The same reads over the first `count` frames only (frames read stay read)."""
        shorter = Probe(self.track, self.patches[:count], self.read)
        shorter._known = self._known
        return shorter

    def time(self, index: int) -> float:
        return self.patches[index][0]

    def shows(self, index: int) -> bool:
        if index >= len(self.patches):
            return False
        if index not in self._known:
            self._known[index] = self.track.shows_in(self.patches[index][1], self.read)
        return self._known[index]


def first_shown(probe: Probe) -> int | None:
    """Index of the first frame showing the label, given the whole picture read it in the
    last one (so the search never ends later than that).

    Bisection on "shown here or in the next frame", so one misread frame does not move the
    start by more than that frame.
    """
    last = len(probe) - 1
    if last < 0:
        return None
    low, high = 0, last
    while low < high:
        middle = (low + high) // 2
        if probe.shows(middle) or probe.shows(middle + 1):
            high = middle
        else:
            low = middle + 1
    return low if probe.shows(low) else min(low + 1, last)


def first_gone(probe: Probe, stream_ends: bool = False) -> int | None:
    """Index of the first of two frames in a row without the label, given it shows in frame 0;
    None when the run does not end without it (the label goes on). When the run reaches the
    end of the stream, "after the last frame" counts as without the label."""

    def gone(index: int) -> bool:
        return not probe.shows(index) and not probe.shows(index + 1)

    last = len(probe) - 1
    highest = last if stream_ends else last - 1
    if highest < 1 or not gone(highest):
        return None
    low, high = 1, highest
    while low < high:
        middle = (low + high) // 2
        if gone(middle):
            high = middle
        else:
            low = middle + 1
    return low
