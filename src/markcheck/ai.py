"""Is this file AI output? Weigh the evidence's AI signals into a verdict.

confirmed: a label or provenance record says AI outright (TC260 Label "1", a GenAI digital source
type in IPTC or a valid C2PA manifest). possible: TC260 Label "2", "possibly GenAI" source types,
IPTC AI-system fields, a generator's watermark decoded from the pixels. suspected: TC260 Label
"3", generator traces, watermarks only declared, a visible AI label, or an AI claim in a manifest
that does not validate. none: no signal at all.
"""

from __future__ import annotations

from markcheck import sourcetype
from markcheck.model import VERDICT_ORDER, AIAssessment, Evidence, Signal, Verdict, WatermarkHit
from markcheck.readers.tc260 import field as label_field

_LABEL_STRENGTH: dict[str, Verdict] = {"1": "confirmed", "2": "possible", "3": "suspected"}
_SOURCE_STRENGTH: dict[str, Verdict] = {"genai": "confirmed", "possibly_genai": "possible"}


def _tc260_signals(evidence: Evidence) -> list[Signal]:
    signals = []
    for found in evidence.implicit.tc260:
        value = label_field(found.label, "Label")  # also `label`, as some writers spell it
        strength = _LABEL_STRENGTH.get(str(value), "suspected")
        detail = f"AIGC label in {found.carrier}, Label={value!r}"
        signals.append(Signal("tc260", detail, strength))
    return signals


def _source_type_signals(evidence: Evidence) -> list[Signal]:
    signals = []
    iptc = evidence.implicit.iptc_digital_source_type
    if iptc:
        strength = _SOURCE_STRENGTH.get(sourcetype.classify(iptc).meaning)
        if strength:
            signals.append(Signal("iptc", f"DigitalSourceType {iptc}", strength))
    c2pa = evidence.implicit.c2pa
    if c2pa:
        # A GenAI type anywhere in the ingredient chain counts, saying where it was found.
        chain = sourcetype.genai_entries(c2pa.details.get("digital_source_types") or [])
        value = chain[0]["value"] if chain else c2pa.digital_source_type
        strength = _SOURCE_STRENGTH.get(sourcetype.classify(value).meaning) if value else None
        if strength:
            fallback = "broken" if c2pa.validation_state == "Invalid" else "sound"
            broken = c2pa.details.get("condition", fallback) == "broken"
            if broken:
                strength = "suspected"  # an AI claim in a manifest that was altered or is malformed
            where = f" in the {chain[0]['where']}" if chain else ""
            detail = f"digitalSourceType {value}{where} ({c2pa.validation_state})"
            signals.append(Signal("c2pa", detail, strength))
    for field, value in evidence.implicit.iptc_ai.items():
        signals.append(Signal("iptc", f"{field} = {value}", "possible"))
    return signals


def _decoded_signal(mark: WatermarkHit) -> Signal:
    """A generator's watermark read from the pixels: "possible", not "confirmed".

    The hit threshold makes chance all but impossible, so the pixels did pass through that
    generator's watermarker. But the mark has no key (anyone can embed it) and an img2img or
    inpainting edit of a photograph carries it too, so it is not a declaration that the
    content is AI-generated; only labels and valid provenance records confirm.
    """
    detail = f"{mark.scheme} decoded"
    if mark.generator:
        detail += f": {mark.generator}"
    if mark.bits_total:
        detail += f" ({mark.bits_matched}/{mark.bits_total} bits)"
    return Signal("watermark", detail, "possible")


def _trace_signals(evidence: Evidence) -> list[Signal]:
    signals = [
        Signal("generator", f"{hint.source}: {hint.value}", "suspected")
        for hint in evidence.implicit.generator_hints
    ]
    signals += [
        Signal(
            "watermark",
            f"{mark.scheme} declared ({mark.source})"
            if mark.declared
            else f"{mark.scheme} (score {mark.score:.2f})",
            "suspected",
        )
        for mark in evidence.implicit.watermarks
        if not mark.decoded
    ]
    signals += [_decoded_signal(mark) for mark in evidence.implicit.watermarks if mark.decoded]
    if evidence.explicit:
        from markcheck.vocabulary.wording import classify_label_text

        for region in evidence.explicit:
            if classify_label_text(region.text).is_disclosure:
                signals.append(
                    Signal("visible_label", f"{region.text!r} at {region.position}", "suspected")
                )
    return signals


def assess(evidence: Evidence) -> AIAssessment:
    signals = _tc260_signals(evidence) + _source_type_signals(evidence) + _trace_signals(evidence)
    verdict: Verdict = "none"
    for signal in signals:
        if VERDICT_ORDER.index(signal.strength) > VERDICT_ORDER.index(verdict):
            verdict = signal.strength
    return AIAssessment(verdict, signals)
