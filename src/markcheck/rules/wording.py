"""The wording classifier for the checks, loaded when a check first classifies a text.

vocabulary.wording compiles its patterns on import (~5 ms); only checks of visible text
call it, so a metadata-only scan, which loads every check module, never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markcheck.vocabulary.wording import LabelMatch


def classify_label_text(text: str) -> LabelMatch:
    """markcheck.vocabulary.wording.classify_label_text, imported at first use."""
    from markcheck.vocabulary.wording import classify_label_text as classify

    return classify(text)


def read_in_part(text: str) -> bool:
    """markcheck.vocabulary.wording.read_in_part, imported at first use."""
    from markcheck.vocabulary.wording import read_in_part as in_part

    return in_part(text)


def generation_misread(text: str) -> bool:
    """markcheck.vocabulary.wording.generation_misread, imported at first use."""
    from markcheck.vocabulary.wording import generation_misread as misread

    return misread(text)


def glyphs_lost(text: str) -> tuple[int, int]:
    """markcheck.vocabulary.wording.glyphs_lost, imported at first use."""
    from markcheck.vocabulary.wording import glyphs_lost as lost

    return lost(text)
