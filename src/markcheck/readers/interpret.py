"""Turn raw metadata entries into the implicit-label evidence: TC260 labels, IPTC, traces."""

from __future__ import annotations

from markcheck.model import Implicit
from markcheck.readers import Limits, MetaEntry, RawMetadata
from markcheck.readers import signals as traces
from markcheck.readers.tc260 import looks_like_label, parse_label
from markcheck.readers.xmp import (
    IPTC_EXT,
    PHOTOSHOP,
    TIFF_NS,
    XMP_NS,
    is_tc260_namespace,
    parse_packet,
)

DCTERMS = "http://purl.org/dc/terms/"
DC = "http://purl.org/dc/elements/1.1/"
IPTC_AI_FIELDS = ("AISystemUsed", "AISystemVersionUsed", "AIPromptInformation")
_TOOL_FIELDS = {(XMP_NS, "CreatorTool"), (TIFF_NS, "Software")}
_PROMPT_FIELDS = {(DC, "description"), (TIFF_NS, "ImageDescription")}
# dcterms:provenance "self#jumbf=..." points into the file's own (embedded) manifest store.
_SELF_REFERENCE = "self#jumbf="


def _from_xmp(entry: MetaEntry, implicit: Implicit, notes: list[str]) -> None:
    packet = entry.value if isinstance(entry.value, bytes) else entry.value.encode("utf-8")
    props = parse_packet(packet)
    notes += [f"{entry.carrier}: {problem}" for problem in props.problems]
    seen_values: set[str] = set()
    for namespace, name, value in props.values:
        where = f"xmp:{entry.carrier}"
        if name == "AIGC":
            ok, deviation = is_tc260_namespace(namespace)
            if ok and value not in seen_values:  # element and attribute of one packet: once
                seen_values.add(value)
                label = parse_label(value, where)
                if deviation:
                    label.deviations.append(deviation)
                label.deviations += entry.notes
                implicit.tc260.append(label)
        elif namespace == IPTC_EXT and name == "DigitalSourceType":
            implicit.iptc_digital_source_type = value
        elif namespace == IPTC_EXT and name in IPTC_AI_FIELDS:
            implicit.iptc_ai[name] = value
        elif (namespace, name) in _TOOL_FIELDS:
            _add(implicit, traces.from_tool_name(f"{where}:{name}", value))
        elif (namespace, name) in _PROMPT_FIELDS:
            _add(implicit, traces.from_prompt(f"{where}:{name}", value))
        elif namespace == DCTERMS and name == "provenance" and _SELF_REFERENCE not in value:
            notes.append(
                f"{where}: C2PA remote manifest referenced via dcterms:provenance "
                f"({value[:200]}), not fetched"
            )
        elif namespace == PHOTOSHOP and name == "Credit":
            _add(implicit, traces.from_credit(f"{where}:photoshop:Credit", value))


def _add(implicit: Implicit, hint) -> None:
    if hint is not None:
        implicit.generator_hints.append(hint)


def _from_text(entry: MetaEntry, implicit: Implicit, notes: list[str]) -> None:
    value = entry.value if isinstance(entry.value, str) else entry.value.decode("utf-8", "replace")
    key = entry.key
    if key.upper() == "AIGC":
        label = parse_label(value, f"{entry.carrier}:{key}")
        if key != "AIGC":
            label.deviations.append(f"keyword spelled {key!r}, expected 'AIGC'")
        label.deviations += entry.notes
        implicit.tc260.append(label)
        return
    exif_text = entry.kind == "exif" and key in ("UserComment", "ImageDescription")
    if exif_text and looks_like_label(value):
        implicit.tc260.append(parse_label(value, entry.carrier))
        return
    _add(implicit, traces.from_keyword(entry.carrier, key, value))
    _add(implicit, traces.from_field(entry.carrier, key, value))


def interpret(raw: RawMetadata, limits: Limits) -> tuple[Implicit, list[str]]:
    """The Implicit evidence of a file's raw metadata, and notes on what could not be read."""
    implicit, notes = Implicit(), []
    for entry in raw.entries:
        if entry.kind == "xmp":
            _from_xmp(entry, implicit, notes)
        else:
            _from_text(entry, implicit, notes)
    return implicit, notes
