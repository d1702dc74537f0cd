"""The glyph height a line's width allows, from the characters read on it.

An ideograph is set on a square: its advance is one em, and its ink at most about that high
(0.6-1.08 of its advance in the project's labelled sets, over three CJK fonts and eleven label
styles). A label whose glyphs measure far taller than their line's width allows has taken in
something of their colour touching them (a tripod's leg, a dark sleeve): the width bounds the
height from above, independently of the pixels the ink measure looked at.
"""

from __future__ import annotations

import unicodedata

MIN_IDEOGRAPHS = 2  # a line with fewer is mostly Latin: its letters' advances vary too much
# Advances of other characters, in ems: narrow Latin letters and punctuation, other Latin.
_NARROW = frozenset("Il1i|!.:,;' ")
_NARROW_EM, _LATIN_EM = 0.3, 0.6


def _advance(character: str) -> float:
    if unicodedata.east_asian_width(character) in ("W", "F"):
        return 1.0
    if character in _NARROW:
        return _NARROW_EM
    return _LATIN_EM if character.isascii() else 1.0


def _wide(text: str) -> int:
    """How many of `text`'s characters are set on a full square (ideographs, full-width)."""
    return sum(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


def em_from_width(text: str, width: float) -> float | None:
    """The em (≈ the tallest glyph's height, at most) of a line `width` pixels wide that reads
    `text`; None where it holds fewer than MIN_IDEOGRAPHS ideographs."""
    if _wide(text) < MIN_IDEOGRAPHS:
        return None
    return width / sum(_advance(c) for c in text)


def em_from_starts(text: str, span: float) -> float | None:
    """The em of a line reading `text` whose first and last characters start `span` pixels
    apart (where the recogniser read them): the advances of all but the last; None where it
    holds fewer than MIN_IDEOGRAPHS ideographs."""
    if _wide(text) < MIN_IDEOGRAPHS:  # so at least two characters
        return None
    return span / sum(_advance(c) for c in text[:-1])
