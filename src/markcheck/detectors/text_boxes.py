"""Text boxes in a picture: lines joined from the detector's boxes, and how boxes overlap."""

from __future__ import annotations

from dataclasses import dataclass, field

from markcheck.model import TextRegion

EDGE_BAND = 0.3  # the second pass looks this far in from each edge (share of the side)
HELD, TALLER = 0.8, 1.4  # a line holds a box covering this share of it, if not that taller
STAGGER = 0.2


@dataclass
class Box:
    """A text box in the sharp decode's pixels; a line joined from several keeps them."""

    x0: float
    y0: float
    x1: float
    y1: float
    parts: list[Box] = field(default_factory=list)  # the boxes joined into this line

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def merge_lines(boxes: list[Box]) -> list[Box]:
    """Join boxes that continue one line (OCR splits "人工智能生成" in two, for example)."""
    boxes = sorted(boxes, key=lambda b: b.x0)
    merged: list[Box] = []
    for box in boxes:
        for line in merged:
            shared = min(line.y1, box.y1) - max(line.y0, box.y0)
            similar = max(line.height, box.height) <= 1.6 * min(line.height, box.height)
            near = box.x0 - line.x1 <= 0.8 * max(line.height, box.height)
            if shared >= 0.5 * min(line.height, box.height) and similar and near:
                beside = box.x0 >= line.x1 - 0.5 * (box.x1 - box.x0)
                if not beside and _staggered(line, box):
                    continue
                if beside:
                    line.parts = line.parts or [Box(line.x0, line.y0, line.x1, line.y1)]
                    line.parts.append(Box(box.x0, box.y0, box.x1, box.y1))
                line.x1 = max(line.x1, box.x1)
                line.y0, line.y1 = min(line.y0, box.y0), max(line.y1, box.y1)
                break
        else:
            merged.append(Box(box.x0, box.y0, box.x1, box.y1))
    return merged


def _staggered(line: Box, box: Box) -> bool:
    """`box` lies over `line` but its rows are offset from the line's by more than
    STAGGER of the lower one's height, at either end: another line over it (a label drawn
    across a page's heading), not a second look at the same one."""
    low = min(line.height, box.height)
    return max(abs(line.y0 - box.y0), abs(line.y1 - box.y1)) > STAGGER * low


def edge_bands(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """The outer EDGE_BAND of the picture along each edge, as (x0, y0, x1, y1)."""
    across, down = round(EDGE_BAND * width), round(EDGE_BAND * height)
    return [(0, 0, width, down), (0, height - down, width, height),
            (0, 0, across, height), (width - across, 0, width, height)]  # fmt: skip


def boxes_of(regions: list[TextRegion], scale: float) -> list[Box]:
    """The regions' boxes (original pixels) in the pixels of a decode at `scale`."""
    return [Box(x * scale, y * scale, (x + w) * scale, (y + h) * scale) for x, y, w, h in
            (r.bbox for r in regions)]  # fmt: skip


def overlap(box: Box, other: Box) -> float:
    """The share of `box`'s area that `other` covers."""
    across = max(0.0, min(box.x1, other.x1) - max(box.x0, other.x0))
    down = max(0.0, min(box.y1, other.y1) - max(box.y0, other.y0))
    return across * down / max(1e-6, (box.x1 - box.x0) * box.height)


def holds(line: Box, box: Box) -> bool:
    """`line` holds `box`: covers most of it and is at most TALLER x its height (a line far
    taller took in something beside the text)."""
    return overlap(box, line) >= HELD and line.height <= TALLER * box.height


def cut_by_band(box: Box, band: tuple[int, int, int, int], width: int, height: int) -> bool:
    """`box` touches a side of `band` inside the picture: a line the band cuts (which the
    first look may have seen whole)."""
    x0, y0, x1, y1 = band
    reach = 2.0
    return (
        (x0 > 0 and box.x0 <= x0 + reach) or (y0 > 0 and box.y0 <= y0 + reach)
        or (x1 < width and box.x1 >= x1 - reach) or (y1 < height and box.y1 >= y1 - reach)
    )  # fmt: skip
