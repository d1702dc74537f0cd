"""Watermark layers as the rules see them: decoded from the pixels, or only declared.

Helpers shared by the EU, California and consistency checks; no check lives here.
"""

from __future__ import annotations

from markcheck.model import Evidence, WatermarkHit


def decoded(evidence: Evidence) -> list[WatermarkHit]:
    """Watermarks a decoder read from the pixels."""
    return [mark for mark in evidence.implicit.watermarks if mark.decoded]


def declared(evidence: Evidence) -> list[WatermarkHit]:
    """Watermarks listed without being decoded (e.g. declared in a manifest)."""
    return [mark for mark in evidence.implicit.watermarks if not mark.decoded]


def describe(mark: WatermarkHit) -> str:
    """'Stable Diffusion XL watermark (invisible-watermark/dwtDct, 47/48 bits)'."""
    who = f"{mark.generator} watermark" if mark.generator else f"watermark {mark.scheme}"
    bits = f", {mark.bits_matched}/{mark.bits_total} bits" if mark.bits_total else ""
    return f"{who} ({mark.scheme}{bits})" if mark.generator or bits else who


def miss_note(evidence: Evidence) -> str:
    """What a miss means for this file: what was searched and what the positive control said."""
    if "watermark" in evidence.unavailable:
        return evidence.unavailable["watermark"]
    search = evidence.implicit.watermark_search
    if search is None:
        return "no watermark decoder looked at the pixels"
    if not search.readings:
        return "; ".join(search.notes) or "no watermark message was read"
    found = [r for r in search.readings if r.control == "detectable"]
    blind = [r for r in search.readings if r.control == "undecidable"]
    parts = [f"no known watermark decoded ({', '.join(search.decoders)})"]
    if found:
        names = ", ".join(r.generator for r in found)
        parts.append(f"a fresh {names} mark would have been read in these pixels")
    if blind:
        names = ", ".join(r.generator for r in blind)
        parts.append(f"undecidable for {names}: even a fresh mark is not read here")
    parts.append("other schemes (SynthID, TrustMark, VideoSeal, ...) are not decoded")
    return "; ".join(parts)
