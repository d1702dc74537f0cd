"""Parse XMP packets safely (defusedxml: no DTDs, no entity expansion) into property values."""

from __future__ import annotations

from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
XMP_NS = "http://ns.adobe.com/xap/1.0/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
TIFF_NS = "http://ns.adobe.com/tiff/1.0/"
_LIST_TAGS = {f"{{{RDF}}}{name}" for name in ("Alt", "Seq", "Bag")}


@dataclass
class XmpProperties:
    values: list[tuple[str, str, str]] = field(default_factory=list)  # (namespace, name, value)
    problems: list[str] = field(default_factory=list)

    def get(self, namespace: str, name: str) -> list[str]:
        return [v for ns, n, v in self.values if ns == namespace and n == name]


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _element_value(element) -> str | None:
    resource = element.get(f"{{{RDF}}}resource")
    if resource is not None:
        return resource
    for child in element:
        if child.tag in _LIST_TAGS:
            items = [(li.text or "").strip() for li in child]
            return "; ".join(item for item in items if item)
    text = (element.text or "").strip()
    return text if text or len(element) == 0 else None


def parse_packet(packet: bytes) -> XmpProperties:
    """Every simple property (element or attribute form) of an XMP packet."""
    props = XmpProperties()
    start = packet.find(b"<")
    if start < 0:
        props.problems.append("XMP packet holds no XML")
        return props
    try:
        root = fromstring(packet[start:].rstrip(b"\x00 \t\r\n"), forbid_dtd=True)
    except DefusedXmlException as exc:
        props.problems.append(f"XMP refused: {type(exc).__name__} (DTD/entities are not read)")
        return props
    except (ParseError, ValueError, RecursionError) as exc:
        props.problems.append(f"XMP is not well-formed XML: {exc}")
        return props
    for description in root.iter(f"{{{RDF}}}Description"):
        for key, value in description.attrib.items():
            namespace, name = _split(key)
            if namespace != RDF:
                props.values.append((namespace, name, value))
        for child in description:
            namespace, name = _split(child.tag)
            value = _element_value(child)
            if value is not None:
                props.values.append((namespace, name, value))
    return props


def is_tc260_namespace(namespace: str) -> tuple[bool, str | None]:
    """Whether a namespace is TC260's; near misses are accepted with a deviation."""
    if namespace == TC260_NS:
        return True, None
    loose = namespace.replace("https://", "http://").rstrip("/") + "/"
    if loose.lower() == TC260_NS.lower():
        return True, f"TC260 namespace written as {namespace!r}"
    return False, None
