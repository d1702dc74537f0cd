"""Generator traces: metadata that names an AI generator or carries its settings.

Which names count, and in which fields, is in `markcheck.vocabulary.generators`.
"""

from __future__ import annotations

from markcheck.model import GeneratorHint
from markcheck.vocabulary import generators as vocab
from markcheck.vocabulary.generators import GENERATOR_KEYWORDS, GENERATOR_NAMES

__all__ = ["GENERATOR_KEYWORDS", "GENERATOR_NAMES", "from_credit", "from_keyword"]

GOOGLE_AI_CREDIT = "Made with Google AI"
_MAX_HINT = 200


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= _MAX_HINT else value[: _MAX_HINT - 1] + "…"


def from_keyword(carrier: str, key: str, value: str) -> GeneratorHint | None:
    what = GENERATOR_KEYWORDS.get(key.lower())
    if what and value.strip():
        return GeneratorHint(f"{carrier}:{key}", f"{what}: {_short(value)}")
    return None


def from_tool_name(source: str, value: str) -> GeneratorHint | None:
    """Software / CreatorTool / encoder values that name a known AI generator (whole words)."""
    if vocab.generator_name(value):
        return GeneratorHint(source, _short(value))
    return None


def from_prompt(source: str, value: str) -> GeneratorHint | None:
    """A description or prompt field that carries a generator's own parameters."""
    why = vocab.midjourney_prompt(value)
    if why:
        return GeneratorHint(source, f"{why}: {_short(value)}")
    return None


def from_credit(source: str, value: str) -> GeneratorHint | None:
    if GOOGLE_AI_CREDIT.lower() in value.lower():
        return GeneratorHint(source, _short(value))
    return None


def from_field(source: str, key: str, value: str) -> GeneratorHint | None:
    """A trace in one named text field, by what the field is for; person fields never count."""
    name = key.lower()
    if name in vocab.PERSON_FIELDS:
        return None
    if name in vocab.TOOL_FIELDS:
        return from_tool_name(source, value)
    if name in vocab.PROMPT_FIELDS:
        return from_prompt(source, value)
    return None
