"""IPTC / C2PA digital source types and what each says about AI generation.

Source: C2PA Asset Rubrics 1.0 and the IPTC NewsCodes vocabulary `digitalsourcetype`
(requirements.md §4). Bare codes and `https://` forms are tolerated but reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from markcheck.vocabulary.source_types import (  # noqa: F401  (re-exported names)
    C2PA_PREFIX,
    GENAI,
    IPTC_PREFIX,
    NOT_GENAI,
    POSSIBLY_GENAI,
)


@dataclass(frozen=True)
class SourceType:
    code: str  # the bare code, e.g. "trainedAlgorithmicMedia"
    meaning: str  # "genai" | "possibly_genai" | "not_genai" | "unrecognised"
    deviation: str | None  # how the value departs from the canonical URI form, if it does


def classify(value: str) -> SourceType:
    """Classify a DigitalSourceType value (URI, https URI, or bare code)."""
    text = value.strip()
    deviation = None
    code = text
    for prefix in (IPTC_PREFIX, C2PA_PREFIX):
        https = prefix.replace("http://", "https://", 1)
        if text.startswith(prefix):
            code = text[len(prefix) :]
            break
        if text.startswith(https):
            code = text[len(https) :]
            deviation = f"uses https:// instead of the canonical {prefix}"
            break
    else:
        if "/" not in text:
            deviation = f"bare code {text!r}, expected a URI under {IPTC_PREFIX}"
    code = code.strip("/")
    if code in GENAI:
        meaning = "genai"
    elif code in POSSIBLY_GENAI:
        meaning = "possibly_genai"
    elif code in NOT_GENAI:
        meaning = "not_genai"
    else:
        meaning = "unrecognised"
    return SourceType(code, meaning, deviation)


def genai_entries(entries: list[dict[str, str]]) -> list[dict[str, str]]:
    """The GenAI source types among a C2PA manifest's `digital_source_types` (its actions and
    its ingredient chain), in the order found: each says where it was found."""
    return [
        e
        for e in entries
        if isinstance(e.get("value"), str) and classify(e["value"]).meaning == "genai"
    ]
