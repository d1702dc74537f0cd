"""Put a TC260 `AIGC` property into an XMP packet, keeping everything else byte for byte.

The packet is edited as text, not re-serialised: namespace prefixes, other properties and
their formatting stay as they were. An existing `AIGC` property in the TC260 namespace (element
or attribute form, any prefix bound to the namespace) is replaced; otherwise a new
`rdf:Description` is added. The result is parsed back with the scanner's own XMP reader and must
hold exactly the new value once, or WriterError is raised.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from markcheck.readers.xmp import TC260_NS, is_tc260_namespace, parse_packet
from markcheck.writers import WriterError

PREFIX = "TC260"
_XMLNS = re.compile(rb'xmlns:([A-Za-z_][\w.-]*)\s*=\s*(["\'])(.*?)\2', re.S)
_RDF_END = b"</rdf:RDF>"


def new_packet(value: str) -> bytes:
    """A minimal XMP packet holding only the label."""
    body = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f"{_description(value)}"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return body.encode("utf-8")


def _description(value: str) -> str:
    return (
        f'  <rdf:Description rdf:about="" xmlns:{PREFIX}="{TC260_NS}">\n'
        f"   <{PREFIX}:AIGC>{escape(value)}</{PREFIX}:AIGC>\n"
        "  </rdf:Description>\n"
    )


def _tc260_prefixes(packet: bytes) -> set[bytes]:
    return {
        m.group(1)
        for m in _XMLNS.finditer(packet)
        if is_tc260_namespace(m.group(3).decode("utf-8", "replace"))[0]
    }


def _replace_existing(packet: bytes, value: str) -> tuple[bytes, int]:
    """Replace every TC260 AIGC property's value; return the packet and how many were found."""
    found = 0
    for prefix in _tc260_prefixes(packet):
        p = re.escape(prefix)
        element = re.compile(
            rb"(<" + p + rb":AIGC(?:\s[^>]*)?>)(.*?)(</" + p + rb":AIGC\s*>)", re.S
        )
        packet, n = element.subn(
            lambda m: m.group(1) + escape(value).encode("utf-8") + m.group(3), packet
        )
        found += n
        attribute = re.compile(rb"(\s" + p + rb":AIGC\s*=\s*)(\"[^\"]*\"|'[^']*')")
        packet, n = attribute.subn(
            lambda m: m.group(1) + quoteattr(value, {'"': "&quot;"}).encode("utf-8"), packet
        )
        found += n
    return packet, found


def set_label(packet: bytes | None, value: str) -> tuple[bytes, str]:
    """The packet with the label set to `value`, and "added" or "updated"."""
    if not packet:
        result, action = new_packet(value), "added"
    else:
        result, found = _replace_existing(packet, value)
        action = "updated"
        if not found:
            end = result.rfind(_RDF_END)
            if end < 0:
                raise WriterError("existing XMP packet has no </rdf:RDF>; not edited")
            result = result[:end] + _description(value).encode("utf-8") + b" " + result[end:]
            action = "added"
    _verify(result, value)
    return result, action


def has_label(packet: bytes) -> bool:
    """Whether the packet holds a TC260 AIGC property (as the scanner reads it)."""
    props = parse_packet(packet)
    return any(name == "AIGC" and is_tc260_namespace(ns)[0] for ns, name, _ in props.values)


def _verify(packet: bytes, value: str) -> None:
    props = parse_packet(packet)
    if props.problems:
        raise WriterError(f"XMP would not parse after the edit: {'; '.join(props.problems)}")
    labels = {v for ns, name, v in props.values if name == "AIGC" and is_tc260_namespace(ns)[0]}
    if labels != {value}:
        raise WriterError(f"XMP after the edit holds {sorted(labels)!r}, not the one label")
