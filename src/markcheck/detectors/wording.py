"""Is a line of visible text an AI label? The wording rule of GB 45438-2025 §5.

A Chinese label holds an AI element (人工智能 or AI) AND a generation element (生成 or 合成),
in any phrase: AI生成, 人工智能生成, 由AI生成, AI合成... OCR often reads "AI" as "Al", "A1" or
"A|", and full-width ＡＩ is common; both are tolerated when the generation element is there.
English disclosures ("AI-generated", "Made with AI") are recognised as AI disclosures (a
signal, and relevant to other rule sets) but do not satisfy the Chinese wording rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# "AI" and its usual OCR misreadings, not inside a longer Latin word (e.g. "Albert").
_AI = re.compile(r"(?<![A-Za-z])A[Il1|lL](?![a-z])")
_AI_CN = "人工智能"
_GENERATION = re.compile("生成|合成")
_ENGLISH = re.compile(
    r"(?<![A-Za-z])(A[Il1|]|artificial intelligence)[\s\-‐–]*(generated|created|made)"
    r"|(generated|created|made)\s+(with|by|using)\s+(an\s+)?(A[Il1|]|artificial intelligence)"
    r"(?![a-z])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LabelMatch:
    ai_element: str | None  # "人工智能" or "AI" (as read) when found
    generation_element: str | None  # "生成" or "合成" when found
    english: bool  # an English AI disclosure

    @property
    def is_cn_label(self) -> bool:
        """Satisfies the Chinese wording rule: an AI element and a generation element."""
        return self.ai_element is not None and self.generation_element is not None

    @property
    def is_disclosure(self) -> bool:
        """Discloses AI generation in Chinese or English (a visible AI label of some kind)."""
        return self.is_cn_label or self.english


def normalise(text: str) -> str:
    """Full-width to ASCII (ＡＩ -> AI), spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def classify_label_text(text: str) -> LabelMatch:
    compact = normalise(text)
    generation = _GENERATION.search(compact)
    ai: str | None = None
    if _AI_CN in compact:
        ai = _AI_CN
    else:
        match = _AI.search(compact)
        # A misread "Al"/"A1" counts only beside a generation element, where nothing else fits.
        if match and (match.group() == "AI" or generation):
            ai = match.group()
    spaced = unicodedata.normalize("NFKC", text)
    return LabelMatch(ai, generation.group() if generation else None, bool(_ENGLISH.search(spaced)))
