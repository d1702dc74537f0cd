"""The wording policy lives in `markcheck.vocabulary.wording`; this name is kept for imports."""

from markcheck.vocabulary.wording import LabelMatch, classify_label_text, normalise

__all__ = ["LabelMatch", "classify_label_text", "normalise"]
