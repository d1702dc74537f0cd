"""Where a label lies within a longer line of other text, from where the recogniser read
each character (a label drawn over a page's line reads "人工智能生成o.zeros_like(coins)").

The label is measured and placed on its own columns: the other text's height and extent are
not the label's."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markcheck.vocabulary.wording import (
    IDEOGRAPHS,
    as_read,
    classify_label_text,
    misread_label,
)

# A label's characters: CJK ideographs and the letters of "AI" (also as misread), spaces
# between them.
_LABEL_RUN = re.compile(rf"[{IDEOGRAPHS}AaIil1|](?:\s*[{IDEOGRAPHS}AaIil1|])*")
# A word's end before the label (Sor|a AI 生成), or its letters running into the label's first
# ideograph (Regi|人工智能生成), where a Latin letter comes before the run.
_WORD_END = re.compile(r"[A-Za-z0-9|]+\s+")
_WORD_INTO_LABEL = re.compile(rf"[Iil1|]+(?=[{IDEOGRAPHS}])")
# Other text: the line holds this many letters, digits or symbols outside the label's run, at
# least (a Chinese continuation, "AI生成，仅供参考", is part of the statement and stays whole).
_OTHER_TEXT = 1
# A mark set beside a label (an info sign, a sparkle, a logo) read as a symbol (①, ★, ©, a
# four-pointed sparkle as +): Unicode's other and mathematical symbols, other numbers.
_MARK_CATEGORIES = ("So", "Sm", "No")
# A character's columns reach this share of the character pitch past its CTC spike, but
# stop short of a neighbour's spike by _NEIGHBOUR of the pitch.
_REACH, _NEIGHBOUR = 0.6, 0.4


@dataclass(frozen=True)
class Piece:
    text: str
    x0: float  # columns of the read crop
    x1: float


def label_run(text: str, misread: bool = False) -> tuple[int, int] | None:
    """The (start, end) characters of the label within a line read as `text`, where other
    text lies beside it; None where the line is the label alone, or holds none. With
    `misread`, a label phrase read with a glyph wrong counts too (misread_label)."""
    for found in _LABEL_RUN.finditer(text):
        # Letters after the label's last ideograph are the next word's (由AI生成l|ously), and
        # so is a word's end before it (Sor|a AI 生成), or its letters running into the
        # label's first ideograph where the label crosses the word (Regi|人工智能生成).
        run, start = found.group().rstrip("AaIil1| "), found.start()
        after_word = start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()
        tail = _WORD_END.match(run) or _WORD_INTO_LABEL.match(run)
        if tail and after_word:
            run, start = run[tail.end() :], start + tail.end()
        if not (classify_label_text(as_read(run)).is_cn_label or misread and misread_label(run)):
            continue
        end = start + len(run)
        beside = text[:start] + text[end:]
        if sum(_other_text(c) for c in beside) < _OTHER_TEXT:
            return None
        return start, end
    return None


def _other_text(character: str) -> bool:
    """A Latin letter or digit, or a symbol a mark beside the label is read as."""
    if character.isascii() and character.isalnum():
        return True
    return unicodedata.category(character) in _MARK_CATEGORIES


def label_within(
    text: str, columns: list[tuple[float, float]], misread: bool = False
) -> tuple[Piece, list[Piece]] | None:
    """The label's piece of a line read as `text` (one (first, last + 1) column range per
    character), and the pieces of other text beside it; None where the line is the label
    alone, or holds none (`misread`: as in label_run)."""
    run = label_run(text, misread) if len(columns) == len(text) else None
    if run is None:
        return None
    label = _piece(text, columns, *run)
    before, after = text[: run[0]], text[run[1] :]
    others = [
        Piece(part.strip(), lo, hi)
        for part, lo, hi in ((before, 0.0, label.x0), (after, label.x1, float("inf")))
        if part.strip()
    ]
    return label, others


def label_piece(text: str, columns: list[tuple[float, float]]) -> Piece | None:
    """The label's piece of a line read as `text`, whether other text lies beside it or the
    line is the label alone; None where it holds none."""
    found = label_within(text, columns)
    if found:
        return found[0]
    if text and len(columns) == len(text) and classify_label_text(as_read(text)).is_cn_label:
        return _piece(text, columns, 0, len(text))
    return None


def _piece(text: str, columns: list[tuple[float, float]], start: int, end: int) -> Piece:
    """Characters `start:end` of the line and the columns they span."""
    first, last = start, end - 1
    centres = [(a + b) / 2 for a, b in columns]
    pitch = (centres[last] - centres[first]) / max(1, last - first)
    x0 = max(0.0, centres[first] - _REACH * pitch)
    x1 = centres[last] + _REACH * pitch
    if first > 0:
        x0 = max(x0, centres[first - 1] + _NEIGHBOUR * pitch)
    if last + 1 < len(text):
        x1 = min(x1, centres[last + 1] - _NEIGHBOUR * pitch)
    return Piece(text[start:end], x0, x1)
