"""Measure a text line on the pixels: its ink height and its contrast with its surroundings.

GB 45438-2025 asks for text at least 5 % of the shortest side high without defining "text
height". markcheck measures the INK height of the line's glyphs, from the top of the tallest
to the bottom of the lowest (for Chinese text, the full character height), leaving out what
surrounds the glyphs: a backing box or pill, an outline, a drop shadow, a busy photograph.

How: the colours in the middle rows of the detected line are clustered (the glyphs' fill,
what lies between the glyphs, an outline...); a colour lying between two others is their
anti-aliased blend, not a fill (unless what was taken for the fill is a backing and that
colour's strokes on it are ringed by it alone: mid-grey glyphs on a pale box over a dark
photograph). Of each colour, only the glyph strokes count: parts crossing the middle rows
that lie wholly within the line's rows and are no thicker than a stroke (a pill's, a box's or
a photo's area of that colour is thicker or reaches further). The glyph fill is a colour that
is mostly such strokes in the middle rows and rare just above and below them. Where most of a
colour's strokes are each ringed by one other, thin colour (an outline), only those strokes
are counted: the photograph's parts of the glyphs' colour (dark glyphs outlined in white over
a dark sky) are not glyphs. Where an outline or a shadow also qualifies, it encloses or
trails the fill, so the colour with the smallest vertical extent is the fill; but the
counters inside glyphs (compact specks) are not, where long, thin strokes reach as far, and a
colour seen as one part across the line is a backing (a small pill) giving way to the long,
thin strokes within it. The line runs from its highest glyph's top to its lowest glyph's
bottom, leaving out one glyph reaching further one way only (it touches something of its
colour) and a mark at its start or end standing taller both ways than the glyphs beside it (a
sparkle before "AI生成"). Where the colour found rings long, thin strokes that it encloses, it
is an outline whose glyphs took in the photograph's colour (black glyphs outlined in white
over a dark photograph), and where it is a backing after all (a pill whose glyphs' colour ran
into a page's print of that colour above it), it encloses the glyphs: the enclosed strokes
are measured. Its rows, with the edge row on each side where glyphs are at least half
covered, are the ink height. A second, independent estimate — the run of rows dense in strong
edges, a backing's borders (rows of strong edges right across) left out — is returned beside
it: where the two disagree, the true height may lie anywhere between them.
Contrast is the WCAG-style ratio of the fill's luminance against the surroundings of its
strokes, from 1 (invisible) to 21.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_CLUSTERS = 3  # fill, background, and an outline / shadow / anti-aliasing if there is one
_MIN_FILL = 0.06  # share of a middle row's pixels the fill covers, at least
_OUTSIDE_FACTOR = 2.5  # ... and this many times its share in the rows around the line
_TIP_SHARE = 0.04  # a row holds glyph ink when the fill covers this share above the floor
_MAX_GAP = 0.08  # gaps (share of the line's height) bridged between ink rows
_END_INSET = 0.12  # columns left out at each end of the box (share of its height)
_BOX_REACH = 0.25  # how far ink may reach out of the detected box (share of its height)
# Glyph strokes are thin: a part of a colour thicker than this share of the detected box's
# height is a backing box, a pill or the photograph (bold CJK strokes are ~0.15 of the ink).
_MAX_STROKE = 0.3
_STROKE_SHARE = 0.5  # share of a fill colour's middle-row pixels that lie in strokes, at least
_PARTIAL_SHARE = 0.15  # ... when no colour has that, the one with most strokes, above this
# An outline: the ring this wide (share of the box's height) around a stroke is at least
# this share of one other colour, around this share of the strokes.
_RING, _ENCLOSED = 0.04, 0.6
_BEYOND = 0.6  # ... and it is at most this share as common in a ring twice as wide past it
# Glyph strokes' area over squared thickness (see _shape): counters have less than
# _COMPACT; a colour overriding a whole fill as its outline's enclosed fill, _STROKE_ELONGATION.
_COMPACT, _STROKE_ELONGATION = 4.0, 8.0
_FILL_SPAN = 0.8  # an outlined fill spans this share of its outline's rows, at least
_BACKING_WIDTH = 0.8  # a colour in one part this share of the line's width is a backing
_ON_BACKING = 0.9  # ... and glyphs on it are ringed by it alone (this share of the ring)
# A colour this close (share of the span) to the line between two others is their blend.
_BLEND_OFF = 0.2
# A glyph is at least this wide (share of the box's height); one reaching this much (share of
# the line's height) further than all others touches something of its colour.
_GLYPH_WIDTH, _OVERREACH = 0.15, 0.1
_GLYPHS_ACROSS = 0.5  # ... judged where glyphs span this share of the line's width at least
# A mark beside the glyphs (a sparkle, a logo) reaches further than all of them both ways by
# this share of their height; it is at most _MARK_ASPECT times as wide as high and _MARK_GAP of
# their height apart from them, at least (see _without_end_mark).
_MARK_REACH, _MARK_ASPECT, _MARK_GAP, _MARK_OTHERS = 0.06, 1.5, 0.2, 3
_MARK_PIXELS = 1.5  # ... and by two pixels or more (a small label's glyph ends vary by one)
_MIN_RADIUS = 12.0  # Lab distance within which a pixel has a cluster's colour, at least
# The edge estimate: strong edges (Sobel magnitude) are glyph strokes.
_MIN_EDGE = 60.0  # magnitude below this is never a stroke edge
_EDGE_SHARE = 0.6  # an edge pixel is this share of the box's 90th-percentile magnitude, or more
_ROW_SHARE = 0.2  # an ink row has this share of the busiest rows' edge density, or more
_EDGE_TIP_SHARE = 0.1  # rows just outside the dense run with this share are glyph tips
_EDGE_TIP_REACH = 0.06  # how far (share of the run's height) tips may reach out
_BORDER_ROW = 0.9  # a row with strong edges across this share of its width is a border
_BORDERS = 3  # borders looked for this many times at most (a box has two, a pill's rim...)
# Glyphs run together into one part span this share of the crop, and the colour's other
# parts less than _RUN_ALONE of it together (see _strokes_through).
_RUN_TOGETHER, _RUN_ALONE = 0.6, 0.1
# Glyphs outlined in a colour over a photograph of their own: the colour found is the outline
# when this share of its pixels, at least, lie within twice _RING of what it encloses, and
# what it encloses is long, thin strokes (_STROKE_ELONGATION; a fill encloses compact counters).
_RINGS_ENCLOSED = 0.9


@dataclass(frozen=True)
class InkMeasure:
    top: int  # first ink row within the crop
    bottom: int  # one past the last ink row
    contrast: float  # 1..21
    # The edge estimate's rows (same frame), when it could be made: where the two disagree,
    # the true height may lie anywhere between them.
    edge_rows: tuple[int, int] | None = None
    # Whether the fill was seen as glyphs across most of the line (_glyphs_agree): an edge
    # estimate a little taller then took in a rim (see text.RIM_REACH).
    glyphs_seen: bool = False

    @property
    def estimates(self) -> list[tuple[int, int]]:
        """The rows of each estimate: the glyph fill's, then the edges' where made."""
        return [(self.top, self.bottom)] + ([self.edge_rows] if self.edge_rows else [])


def _relative_luminance(gray: np.ndarray) -> np.ndarray:
    srgb = gray.astype(np.float32) / 255.0
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _run_around(rows: np.ndarray, middle: slice, max_gap: int) -> tuple[int, int] | None:
    """The run of True rows reaching into `middle`, gaps of up to `max_gap` rows bridged."""
    inside = np.flatnonzero(rows[middle])
    if not len(inside):
        return None
    top = bottom = middle.start + int(inside[len(inside) // 2])
    while True:
        above = np.flatnonzero(rows[max(0, top - max_gap - 1) : top])
        if not len(above):
            break
        top = max(0, top - max_gap - 1) + int(above[0])
    while True:
        below = np.flatnonzero(rows[bottom + 1 : bottom + max_gap + 2])
        if not len(below):
            break
        bottom = bottom + 1 + int(below[-1])
    return top, bottom


def _strokes_through(
    mask: np.ndarray, middle_rows: np.ndarray, window: tuple[int, int], max_stroke: float
) -> np.ndarray:
    """The glyph strokes in `mask`: its parts connected to its pixels in the line's middle
    rows, lying wholly within the rows `window`, and no thicker than `max_stroke` pixels.
    Specks of the same colour elsewhere are dropped, and so are a photograph's, a box's or a
    pill's areas of that colour: they reach out of the window or are thicker than a stroke."""
    binary = mask.astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        return mask
    through = np.zeros(count, dtype=bool)
    through[np.unique(labels[middle_rows])] = True
    through[0] = False
    tops, heights = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_HEIGHT]
    through &= (tops >= window[0]) & (tops + heights <= window[1])
    # Thickness: twice the largest distance from a part's pixel to its outside.
    inside = cv2.distanceTransform(binary, cv2.DIST_L2, 3)
    thickest = np.zeros(count, dtype=np.float32)
    np.maximum.at(thickest, labels.ravel(), inside.ravel())
    through &= 2 * thickest <= max_stroke
    # Parts cut by the crop's sides are surroundings seen past the line's ends (the corners
    # around a pill's rounded end), or a glyph cut in two, which the others measure as well;
    # unless little else of the colour is left and one spans most of the line: glyphs run
    # together into one part (bold glyphs whose strokes touch), cut where the line's ends
    # were left out. (An outline's ring around some glyphs only leaves the others' rings.)
    lefts, widths = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_WIDTH]
    cut = (lefts == 0) | (lefts + widths >= mask.shape[1])
    run = through & cut & (widths >= _RUN_TOGETHER * mask.shape[1])
    alone = widths[through & ~cut].sum() < _RUN_ALONE * mask.shape[1]
    through &= ~cut | (run & alone)
    return through[labels]


def _ring(strokes: np.ndarray, box_h: int) -> tuple[np.ndarray, np.ndarray]:
    """The pixels around `strokes` (starting a pixel out: a stroke's own anti-aliased edge
    is a blend) within _RING of the box's height, and the kernel that reaches that far."""
    width = max(2, round(_RING * box_h))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * width + 1, 2 * width + 1))
    mask = strokes.astype(np.uint8)
    edge = cv2.dilate(mask, np.ones((3, 3), np.uint8)).astype(bool)
    return cv2.dilate(mask, kernel).astype(bool) & ~edge, kernel


def _outlined(
    strokes: np.ndarray, nearest: np.ndarray, k: int, middle: slice, box_h: int
) -> tuple[np.ndarray, int | None]:
    """Where most of colour `k`'s strokes are each ringed by one other, thin colour (glyphs
    with an outline), only those strokes, and that colour: the rest are the photograph's parts
    of the glyphs' colour (dark glyphs outlined in white over a dark sky)."""
    count, labels = cv2.connectedComponents(strokes.astype(np.uint8), connectivity=8)
    if count <= 1:
        return strokes, None
    band, kernel = _ring(strokes, box_h)
    grown = cv2.dilate(labels.astype(np.float32), kernel).astype(np.int32)
    ring = band & (nearest >= 0) & (nearest != k)
    per_colour = np.zeros((count, _CLUSTERS), dtype=np.int64)
    np.add.at(per_colour, (grown[ring], nearest[ring]), 1)
    around = np.bincount(grown[band].ravel(), minlength=count)
    outline = int(per_colour[1:].sum(axis=0).argmax())
    # An outline is thin: past the ring, its colour gives way to the surroundings (a
    # photograph or a backing of that colour goes on).
    wider = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3 * kernel.shape[0],) * 2)
    beyond = cv2.dilate(strokes.astype(np.uint8), wider).astype(bool) & ~(grown > 0)
    near_share = float((nearest[ring] == outline).sum()) / max(1, int(around[1:].sum()))
    if float((nearest[beyond] == outline).mean()) > _BEYOND * near_share:
        return strokes, None
    ringed = per_colour[:, outline] >= _ENCLOSED * np.maximum(1, around)
    ringed[0] = False
    inside = ringed[labels]
    if inside[middle].sum() < _ENCLOSED * max(1, int(strokes[middle].sum())):
        return strokes, None  # no outline around most strokes: all of them count
    return inside, outline


def _enclosed_glyphs(
    strokes: np.ndarray, box_h: int, backing: bool = False
) -> tuple[np.ndarray, tuple[int, int]] | None:
    """Where `strokes` ring what they enclose (_RINGS_ENCLOSED) and that is long, thin
    strokes, those enclosed strokes and their rows: black glyphs outlined in white over a dark
    photograph, whose fill the photograph's colour took in, leave only the outline to be
    found, and it is taller than the glyphs by its width twice. Where `strokes` are a
    `backing` (one part across the line), what it encloses is the glyphs unless it is only
    compact specks."""
    count, labels = cv2.connectedComponents((~strokes).astype(np.uint8), connectivity=4)
    enclosed = np.ones(count, dtype=bool)
    enclosed[np.unique(np.r_[labels[0], labels[-1], labels[:, 0], labels[:, -1]])] = False
    enclosed[0] = False  # the strokes themselves
    holes = enclosed[labels]
    if not holes.any():
        return None
    if not backing:  # an outline: nearly all of it lies close to what it encloses
        width = max(2, round(2 * _RING * box_h))
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * width + 1, 2 * width + 1))
        near = cv2.dilate(holes.astype(np.uint8), kernel).astype(bool)
        if (near & strokes).sum() < _RINGS_ENCLOSED * strokes.sum():
            return None
    if _shape(holes)[0] < (_COMPACT if backing else _STROKE_ELONGATION):
        return None
    rows = np.flatnonzero(holes.any(axis=1))
    return holes, (int(rows[0]), int(rows[-1]))


def _on_backing(strokes: np.ndarray, nearest: np.ndarray, k: int, box_h: int) -> bool:
    """Whether colour `k` is all (_ON_BACKING) of the ring around `strokes`."""
    band, _ = _ring(strokes, box_h)
    return bool(band.any()) and float((nearest[band] == k).mean()) >= _ON_BACKING


def _within(run: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    """Whether `run` lies within one of the `others` (rows, first and last)."""
    return any(o[0] <= run[0] and run[1] <= o[1] for o in others)


def _shape(mask: np.ndarray) -> tuple[float, float]:
    """How long and thin `mask`'s parts are: the area-weighted median of each part's area over
    its squared thickness (a glyph's strokes: 10 or more; the counters inside glyphs: 1-4);
    and the widest part's width, as a share of the mask's."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8
    )
    if count <= 1:
        return 0.0, 0.0
    inside = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 3)
    thickest = np.zeros(count, dtype=np.float32)
    np.maximum.at(thickest, labels.ravel(), inside.ravel())
    areas = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
    ratios = areas / np.maximum(1.0, 2 * thickest[1:]) ** 2
    order = np.argsort(ratios)
    weights = np.cumsum(areas[order])
    elongation = float(ratios[order][np.searchsorted(weights, weights[-1] / 2)])
    return elongation, float(stats[1:, cv2.CC_STAT_WIDTH].max()) / mask.shape[1]


def _glyphs_agree(
    strokes: np.ndarray, middle: slice, run: tuple[int, int], box_h: int, marks: bool = True
) -> tuple[int, int] | None:
    """`run` from the top of the highest glyph to the bottom of the lowest, leaving out what
    is not a glyph (a narrow part of the colour beside them) and one glyph's overreach: where
    a single glyph reaches further above (or below) the line than every other by more than
    _OVERREACH of the line's height, while its other end is in line with theirs, it touches
    something of its colour (the photograph, a shadow): the others measure the line. (An
    ideograph beside Latin capitals reaches further both ways, and is the line's height.)
    With `marks`, a mark at an end is left out too (_without_end_mark). None where the
    glyphs are not seen across most of the line."""
    top, bottom = run
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        strokes[top : bottom + 1].astype(np.uint8), connectivity=8
    )
    # The middle rows within the run (a box far taller than the text starts them above it).
    through = np.unique(labels[max(0, middle.start - top) : max(0, middle.stop - top)])
    spans = []  # (left, right, top, bottom) of the parts through the middle rows
    for part in through[through > 0]:
        x, y, w, h = stats[part, :4]
        spans.append([int(x), int(x + w), int(y) + top, int(y + h) + top - 1])
    spans.sort()
    glyphs: list[list[int]] = []  # parts side by side in the same columns are one glyph
    for span in spans:
        if glyphs and span[0] < glyphs[-1][1]:
            last = glyphs[-1]
            glyphs[-1] = [
                last[0],
                max(last[1], span[1]),
                min(last[2], span[2]),
                max(last[3], span[3]),
            ]
        else:
            glyphs.append(span)
    glyphs = [g for g in glyphs if g[1] - g[0] >= _GLYPH_WIDTH * box_h]
    # Only where the glyphs are seen across most of the line: a few strokes are not a line.
    if len(glyphs) < 3 or sum(g[1] - g[0] for g in glyphs) < _GLYPHS_ACROSS * strokes.shape[1]:
        return None
    # A glyph's parts above or below the middle rows (the dot on 容) within its columns.
    for part in range(1, count):
        x, y, w, h = (int(v) for v in stats[part, :4])
        for glyph in glyphs:
            if min(x + w, glyph[1]) - max(x, glyph[0]) >= 0.5 * w:
                glyph[2], glyph[3] = min(glyph[2], y + top), max(glyph[3], y + top + h - 1)
    reach = _OVERREACH * (bottom - top + 1)
    if marks:
        glyphs = _without_end_mark(glyphs)
    highest, lowest = min(g[2] for g in glyphs), max(g[3] for g in glyphs)
    tallest, deepest = min(glyphs, key=lambda g: g[2]), max(glyphs, key=lambda g: g[3])
    above = min(g[2] for g in glyphs if g is not tallest)
    if (
        above - highest > reach
        and tallest[3] - max(g[3] for g in glyphs if g is not tallest) <= reach / 2
    ):
        highest = above
    below = max(g[3] for g in glyphs if g is not deepest)
    if (
        lowest - below > reach
        and min(g[2] for g in glyphs if g is not deepest) - deepest[2] <= reach / 2
    ):
        lowest = below
    return max(top, highest), min(bottom, lowest)


def _without_end_mark(glyphs: list[list[int]]) -> list[list[int]]:
    """`glyphs` (left, right, top, bottom, left to right) less a mark at the line's start or end
    standing taller than every other glyph both ways (by more than _MARK_REACH of their
    height, and _MARK_PIXELS, each way on average: a mark is not always centred on them), no
    wider than _MARK_ASPECT times its own height, _MARK_GAP of their height apart from its
    neighbour and beside _MARK_OTHERS glyphs at least: a sparkle or a logo set before "AI生成"
    is not text. A label's characters rarely differ that much in height: an ideograph beside
    Latin capitals is taller, but in line with the ideographs beside it; one ideograph seen
    beside "AI" alone (the other's strokes lost in the photograph) is the line's height."""
    if len(glyphs) < _MARK_OTHERS + 1:
        return glyphs
    for end, neighbour in ((0, 1), (-1, -2)):
        mark, others = glyphs[end], [g for g in glyphs if g is not glyphs[end]]
        top, bottom = min(g[2] for g in others), max(g[3] for g in others)
        reach = max(_MARK_REACH * (bottom - top + 1), _MARK_PIXELS)
        gap = glyphs[neighbour][0] - mark[1] if end == 0 else mark[0] - glyphs[neighbour][1]
        above, below = top - mark[2], mark[3] - bottom
        if (
            min(above, below) >= 1
            and above + below > 2 * reach
            and mark[1] - mark[0] <= _MARK_ASPECT * (mark[3] - mark[2] + 1)
            and gap >= _MARK_GAP * (bottom - top + 1)
        ):
            return others
    return glyphs


def _densest_run(rows: np.ndarray, strong: np.ndarray, max_gap: int) -> tuple[int, int]:
    """The run of strong rows (gaps of up to `max_gap` rows bridged) holding the most edges."""
    best, best_weight = (0, len(rows) - 1), -1.0
    start = last = None
    for row in [*np.flatnonzero(strong), None]:
        if row is not None and last is not None and row - last <= max_gap + 1:
            last = row
            continue
        if start is not None:
            weight = float(rows[start : last + 1].sum())
            if weight > best_weight:
                best, best_weight = (int(start), int(last)), weight
        start = last = row
    return best


def _strong(magnitude: np.ndarray) -> np.ndarray:
    """Strong edges: glyph strokes' (see _EDGE_SHARE)."""
    return magnitude > max(_MIN_EDGE, float(np.percentile(magnitude, 90)) * _EDGE_SHARE)


def _edge_rows(crop: np.ndarray) -> tuple[int, int] | None:
    """A second, independent estimate of the ink rows in the box `crop`: the run of rows
    dense in strong edges (glyph strokes), with the faint rows of glyph tips just outside."""
    gray = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY).astype(np.float32)
    magnitude = np.abs(cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)) + np.abs(
        cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    )
    # A backing's border (a pale box over a dark photograph) is a row of strong edges right
    # across, stronger than the glyphs': it is not ink, and it hides the glyphs' edges. Its
    # rows are left out and the strong edges found again (a fainter border may then show).
    edges = _strong(magnitude)
    for _ in range(_BORDERS):
        borders = edges.mean(axis=1) >= _BORDER_ROW
        borders |= np.r_[False, borders[:-1]] | np.r_[borders[1:], False]  # its blurred rows
        if not borders.any() or borders.all():
            break
        magnitude[borders] = 0
        edges = _strong(magnitude)
    rows = np.convolve(edges.mean(axis=1), np.ones(3) / 3, mode="same")
    busiest = float(np.percentile(rows, 90))
    if busiest <= 0:
        return None
    top, bottom = _densest_run(rows, rows >= _ROW_SHARE * busiest, max(2, crop.shape[0] // 10))
    reach = max(1, round(_EDGE_TIP_REACH * (bottom - top + 1)))
    faint = rows >= _EDGE_TIP_SHARE * busiest
    while top > 0 and faint[top - 1] and reach > 0:
        top, reach = top - 1, reach - 1
    reach = max(1, round(_EDGE_TIP_REACH * (bottom - top + 1)))
    while bottom < len(rows) - 1 and faint[bottom + 1] and reach > 0:
        bottom, reach = bottom + 1, reach - 1
    return top, bottom + 1


def measure_ink(
    crop: np.ndarray,
    line: tuple[int, int] | None = None,
    fill: bool = True,
    marks: bool = True,
) -> InkMeasure | None:
    """Ink rows and contrast of one text line in an RGB `crop`.

    `line` is the (first, last + 1) rows of the detected box within the crop; the crop should
    reach a little above and below it, so the surroundings can be told from the glyphs.
    Without `fill`, only the cheap edge estimate is made (text that is not a label). Without
    `marks`, a glyph at an end standing out both ways is not taken for a mark beside the
    text (a column measured across: its glyphs' widths differ more than their heights).
    """
    if crop.ndim != 3 or min(crop.shape[:2]) < 4:
        return None
    height = crop.shape[0]
    first, last = line if line else (0, height)
    box_h = last - first
    if box_h < 4:
        return None
    if not fill:
        return _edge_measure(crop, first, last)
    # The detected box reaches past the text's ends: its outer columns show surroundings.
    inset = min(round(_END_INSET * box_h), max(0, (crop.shape[1] - box_h) // 2))
    if inset:
        crop = crop[:, inset:-inset]
    lab = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2LAB).astype(np.float32)
    middle = slice(
        first + round(0.3 * box_h), first + max(round(0.7 * box_h), round(0.3 * box_h) + 1)
    )
    samples = lab[middle].reshape(-1, 3)
    if len(samples) < _CLUSTERS * 4:
        return None
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 1.0)
    cv2.setRNGSeed(7)  # the same crop always measures the same
    _, _, centres = cv2.kmeans(samples, _CLUSTERS, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    squared = ((lab[None] - centres[:, None, None]) ** 2).sum(axis=3)  # per colour, per pixel
    nearest = squared.argmin(axis=0)
    # A pixel belongs to a colour only when it is close to it: a photograph's other colours
    # around the line belong to none.
    apart = np.linalg.norm(centres[:, None] - centres[None], axis=2) + np.eye(_CLUSTERS) * 1e9
    radius = np.maximum(_MIN_RADIUS, 0.5 * apart.min(axis=1))
    nearest[squared.min(axis=0) > radius[nearest] ** 2] = -1
    middle_rows = np.zeros(height, dtype=bool)
    middle_rows[middle] = True
    outside_rows = np.r_[0 : max(1, first), min(height - 1, last) : height]
    if first == 0 and last == height:  # no surroundings given: the box's own outer rows
        edge = max(1, round(0.1 * box_h))
        outside_rows = np.r_[0:edge, height - edge : height]
    max_gap = max(1, round(_MAX_GAP * box_h))
    # The detector's box holds the whole line: ink far outside it is something touching it.
    reach = round(_BOX_REACH * box_h)
    mixes = _mixed_colours(centres)
    # Parts touching the crop's first or last row reach past what is known of the line.
    window = (max(1, first - reach), min(height - 1, last + reach))
    max_stroke = max(3.0, _MAX_STROKE * box_h)
    masks = {}  # each candidate colour's strokes
    ringed = {}  # colour -> the thin colour ringing its strokes (an outline)

    def candidate(k: int) -> tuple[int, tuple[int, int], bool] | None:
        """Colour `k`'s strokes in the middle rows, their run of rows, and whether they are
        mostly strokes; None where the colour is not glyph-like at all."""
        colour = nearest == k
        strokes = _strokes_through(colour, middle_rows, window, max_stroke)
        kept = int(strokes[middle].sum())
        share = kept / max(1, int(colour[middle].sum()))
        strokes, outline = _outlined(strokes, nearest, k, middle, box_h)
        cover = strokes.mean(axis=1)
        inner = float(cover[middle].mean())
        floor = float(np.median(cover[outside_rows]))
        if share < _PARTIAL_SHARE or inner < _OUTSIDE_FACTOR * floor + 0.02:
            return None
        ink_rows = cover >= floor + _TIP_SHARE * (inner - floor) + 1e-6
        run = _run_around(ink_rows, middle, max_gap)
        if run is None:
            return None
        masks[k] = strokes
        if outline is not None:
            ringed[k] = outline
        return kept, run, share >= _STROKE_SHARE and inner >= _MIN_FILL

    whole, partial = [], []  # (stroke pixels in the middle rows, run, colour)
    for k in range(_CLUSTERS):
        if k in mixes:
            continue  # anti-aliased edges: a blend of two other colours, not a fill
        found = candidate(k)
        if found is not None:
            (whole if found[2] else partial).append((found[0], found[1], k))
    # A fill is mostly strokes in the middle rows (a box's or a pill's colour keeps only its
    # specks there, such as the counters inside the glyphs); where an outline or a shadow is
    # such a colour too, it encloses or trails the fill: the smallest extent is the fill.
    # Failing that, glyphs touching a photograph of their colour: the colour with the most
    # strokes left, whose other glyphs measure the line.
    # Counters (the background's specks inside the glyphs) are compact; where another colour's
    # strokes are long and thin and reach at least as far, the counters are not the fill.
    shapes = {k: _shape(mask) for k, mask in masks.items()}  # (elongation, widest part)
    elongation = {k: shape[0] for k, shape in shapes.items()}
    strokes_runs = [c[1] for c in whole + partial if elongation[c[2]] >= _COMPACT]
    whole, partial = (
        [c for c in group if elongation[c[2]] >= _COMPACT or not _within(c[1], strokes_runs)]
        for group in (whole, partial)
    )
    best = None
    if whole:
        # Glyph strokes are long and thin: where one colour is all such strokes and the
        # others are compact (a soft shadow's blobs), those are not the fill, however few
        # rows they span.
        strokes = [c for c in whole if elongation[c[2]] >= _STROKE_ELONGATION]
        compact = all(elongation[c[2]] < _COMPACT for c in whole if c not in strokes)
        # Of two spanning as many rows (a fill and its shadow, offset straight down), the
        # longer, thinner strokes are the fill: the shadow shows only where the fill is not.
        best = min(
            strokes if strokes and compact else whole,
            key=lambda c: (c[1][1] - c[1][0], -elongation[c[2]]),
        )
        # Glyphs outlined in a thin colour over a photograph of their own colour: the outline
        # is all strokes, the fill only partly (the rest is the photograph), yet the fill's
        # strokes are ringed by the outline (not the other way round) and are long and thin
        # (the counters inside glyphs, also ringed, are compact). Likewise glyphs on a small
        # pill: the pill, one part across the line, passes for strokes; the glyphs within it
        # do not (the photograph beside the pill shares their colour).
        for kept, run, k in partial:
            outline = best[2]
            # ... and span about as many rows: counters inside glyphs ringed by them (dark
            # counters of white glyphs on a dark box) stop short of the glyphs' ends.
            enclosed = (
                ringed.get(k) == outline
                and ringed.get(outline) != k
                and run[1] - run[0] >= _FILL_SPAN * (best[1][1] - best[1][0])
            )
            backing = shapes[outline][1] >= _BACKING_WIDTH and _within(run, [best[1]])
            if (enclosed or backing) and elongation[k] >= _STROKE_ELONGATION:
                best = (kept, run, k)
    elif partial:
        best = max(partial, key=lambda c: c[0])
    # A colour lying between two others, left out above as their blend, is the fill after
    # all where the fill found is a backing (one part across the line) and that colour's
    # strokes within its rows are not compact specks and are ringed by the backing alone:
    # mid-grey glyphs on a pale box over a dark photograph lie between the two in colour, as
    # a blend would. (Thin glyphs joined by a rim of their colour also pass for a backing,
    # but the photograph's colour around them is not all their ring.)
    if best is not None and shapes[best[2]][1] >= _BACKING_WIDTH:
        within = []
        for k in mixes:
            found = candidate(k)
            if (
                found is not None
                and found[2]
                and _within(found[1], [best[1]])
                and _shape(masks[k])[0] >= _COMPACT
                and _on_backing(masks[k], nearest, best[2], box_h)
            ):
                within.append((found[0], found[1], k))
        if within:
            best = max(within, key=lambda c: c[0])
    if best is None:  # no colour stands out as the glyphs' fill: the edge estimate alone
        return _edge_measure(crop, first, last)
    k = best[2]
    strokes, run = masks[k], best[1]
    backing = (shapes.get(k) or _shape(strokes))[1] >= _BACKING_WIDTH
    enclosed = _enclosed_glyphs(strokes, box_h, backing)
    if enclosed is not None:  # an outline or a backing: the glyphs are what it encloses
        strokes, run = enclosed
    glyphs = _glyphs_agree(strokes, middle, run, box_h, marks)
    top, bottom = glyphs or run
    if enclosed is None:  # (what an outline encloses holds the glyphs' blended edges)
        top, bottom = _half_covered_rows(lab, nearest, centres, k, top, bottom)
    fill = nearest[top : bottom + 1] == k
    contrast = _contrast(crop, (top, bottom + 1), fill)
    return InkMeasure(
        int(top), int(bottom) + 1, contrast, _edge_span(crop, first, last), glyphs is not None
    )


def _edge_span(crop: np.ndarray, first: int, last: int) -> tuple[int, int] | None:
    """The edge estimate's rows for the box rows `first:last` of `crop`, in crop rows."""
    edges = _edge_rows(crop[first:last])
    return (edges[0] + first, edges[1] + first) if edges else None


def _edge_measure(crop: np.ndarray, first: int, last: int) -> InkMeasure | None:
    """The edge estimate alone (no glyph fill measured)."""
    rows = _edge_span(crop, first, last)
    return InkMeasure(*rows, _contrast(crop, rows, None), rows) if rows else None


def _mixed_colours(centres: np.ndarray) -> set[int]:
    """Clusters whose colour lies between two others (an anti-aliased blend of them)."""
    mixed = set()
    for i, centre in enumerate(centres):
        for j in range(len(centres)):
            for m in range(j + 1, len(centres)):
                if i in (j, m):
                    continue
                axis = centres[m] - centres[j]
                length = float(np.linalg.norm(axis))
                if length < 1e-6:
                    continue
                t = float((centre - centres[j]) @ axis) / length**2
                off = float(np.linalg.norm(centre - centres[j] - t * axis))
                if 0.15 < t < 0.85 and off < _BLEND_OFF * length:
                    mixed.add(i)
    return mixed


def _half_covered_rows(
    lab: np.ndarray, nearest: np.ndarray, centres: np.ndarray, k: int, top: int, bottom: int
) -> tuple[int, int]:
    """Take in the rows just outside the fill's rows where glyph edges are at least half
    covered: an anti-aliased edge pixel is a mix of the fill and what is behind it, and
    belongs to the glyph (as a renderer's 50 % coverage does) once it is nearer the fill."""
    outside = np.r_[max(0, top - 2) : top, bottom + 1 : min(len(lab), bottom + 3)]
    around = nearest[outside]
    others = [c for c in range(len(centres)) if c != k]
    behind = max(others, key=lambda c: int((around == c).sum()))
    axis = centres[k] - centres[behind]
    reach = float(axis @ axis)
    if reach <= 0:
        return top, bottom
    share = ((lab - centres[behind]) @ axis) / reach  # 0 = what is behind, 1 = the fill
    inked = share >= 0.5
    # One row at most on each side: JPEG ringing beside a sharp edge also reads as half
    # covered, and a second row was mostly that (2-12 % set: +14 % on 28 px labels).
    for step, edge in ((-1, top), (1, bottom)):
        row = edge + step
        if 0 <= row < len(lab) and inked[row].sum() >= max(1, 0.25 * int(inked[edge].sum())):
            edge = row
        top, bottom = (edge, bottom) if step < 0 else (top, edge)
    return top, bottom


def _contrast(crop: np.ndarray, rows: tuple[int, int], fill: np.ndarray | None) -> float:
    """WCAG-style contrast of the glyph fill against the rest of its rows (without a fill
    mask: the 95th against the 5th luminance percentile of the rows)."""
    gray = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY)
    luminance = _relative_luminance(gray[rows[0] : rows[1]])
    if fill is None:
        dark, light = np.percentile(luminance, [5, 95])
        return float((light + 0.05) / (dark + 0.05))
    if fill.all() or not fill.any():
        return 1.0
    ink, around = float(np.median(luminance[fill])), float(np.median(luminance[~fill]))
    light, dark = max(ink, around), min(ink, around)
    return float((light + 0.05) / (dark + 0.05))
