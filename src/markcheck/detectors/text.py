"""Find and measure visible text on images with PP-OCR (rapidocr + onnxruntime, offline).

Cost follows the threshold: a compliant label is at least `min_ratio` (5 %) of the shortest
side high, so the picture is shrunk until such text is about DETECT_TEXT_PX tall before the
detection network runs once; only boxes tall enough to matter are recognised, cropped from a
sharper decode (READ_SCALE times the detection size). Labels down to about 2 % are still found
on typical pictures, so a report can say "label present but too small".
"""

from __future__ import annotations

import importlib.metadata
import itertools
import math
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from markcheck.detectors import ppocr
from markcheck.detectors.advance import em_from_starts, em_from_width
from markcheck.detectors.colour_views import colour_views
from markcheck.detectors.columns import (
    COLUMN_ASPECT,
    across,
    columns_of,
    read_column,
    taken_reading,
    tallest_glyph,
    turned_reading,
)
from markcheck.detectors.contrast_views import contrast_views
from markcheck.detectors.crisp_views import crisp_views
from markcheck.detectors.ink import InkMeasure, measure_ink
from markcheck.detectors.label_span import Piece, label_piece, label_run, label_within
from markcheck.detectors.text_boxes import (
    EDGE_BAND,
    Box,
    boxes_of,
    cut_by_band,
    edge_bands,
    holds,
    merge_lines,
    overlap,
)
from markcheck.evidence import provider
from markcheck.media.image import ImageDecodeError, load_image
from markcheck.media.video import VideoError
from markcheck.model import Evidence, TextRegion
from markcheck.scan_options import ScanOptions
from markcheck.vocabulary.wording import (
    AI_MARK,
    CN_LABEL,
    DISCLOSURE,
    LabelMatch,
    as_read,
    classify_label_text,
    edits,
    glyphs_cut_short,
    is_ideograph,
    label_fragment,
    label_phrase,
    label_words,
    misread_label,
    normalise,
    read_in_part,
)

DETECT_TEXT_PX = 16  # height of threshold-size text in the image the detector sees
READ_SCALE = 2  # recognition crops come from a decode this many times sharper
MIN_BOX_RATIO = 0.012  # boxes lower than this share of the shortest side are not read
MIN_TEXT_SCORE = 0.5
READ_SIDE = 0.3  # the recogniser reads this far (share of the line's height) past each end
# A character read at either end of a label from beyond the detector's box, with confidence
# under this, before or after a whole label phrase, is no glyph: a backing box's edge read as
# 一, 2 or 家. Over 1,700 labels of the labelled sets, all 11 such characters were strays; the
# 14 real first or last glyphs read beyond the box had 0.96 or more (but a thin serif 豆 over
# grass in a video frame, 豆包AI生成, was read so too: a vendor's name is not a phrase's start).
STRAY_CONFIDENCE = 0.8
# A label's line with a stretch this long (x its height) at an end where no character was read
# holds a mark set beside the label: it is measured on the columns its characters were read
# from, with TRIM_MARGIN x its height more (see _read_span).
UNREAD_STRETCH, TRIM_MARGIN = 0.6, 0.3
WIDER_SIDES = (1.0, 2.5, 5.0)  # ... and these, reading again a label-like line that is not a label
OVERLAID_LETTERS = 6  # a line of CJK amid this many Latin letters may be a label over print
WIDER_LINES = 4  # at most this many lines are read again so (a page full of 生成 stays cheap)
COLOUR_LINES = 2  # ... and at most this many one colour at a time (colour_views)
CONTRAST_LINES = 2  # ... and at most this many with their contrast raised (contrast_views)
CONTRAST_EDITS = 2  # glyphs a contrast view's reading may differ from the line's
MAX_BOXES = 24  # the tallest boxes are read; a picture full of text stays cheap
# A detected box narrower than this many times its height cannot hold a label line (the
# shortest, "AI合成", is over twice as wide as its box is high): it is not read, which also
# keeps tall blobs of texture from taking the place of text among the MAX_BOXES.
MIN_LINE_ASPECT = 1.5
# Columns of upright glyphs (a label written down a side) read where no line is a label, at
# most this many; their glyphs' height is known within this range of the measure.
MAX_COLUMNS, COLUMN_RANGE = 2, (0.95, 1.1)
# A column's two measures: the larger counts for the range's low end up to COLUMN_AGREE x the
# smaller. On 493 columns drawn over photographs, the smaller was over 5 % too tall 8 times
# and never over 11 %; the larger, 62 times and up to 28 % (a lattice beside the column).
# The smaller alone left 158 of the 258 compliant ones passing, this 181, the larger 196
# with 3 false passes of 235 under 5 %.
COLUMN_AGREE = 1.05
# A label turned a quarter (reading up or down a side) is measured across its column: the
# truth lies within this share of its two estimates (see _turned_region).
TURNED_RANGE = (0.8, 1.2)
# Rows above and below a box (share of its height) that show the line's surroundings.
INK_CONTEXT = 0.35
# Text at least DEFER_GAP (share of the shortest side) from every edge is read only when no
# settled label was found nearer the edges: one with Chinese-compliant wording, within
# SETTLE_MARGIN of an edge and SETTLE_SIZE x the threshold high. The position rule's default
# margin (0.10) is below DEFER_GAP and SETTLE_MARGIN is that default, so under the pack's
# defaults the text left unread could not have changed which label is judged.
DEFER_GAP = 0.2
SETTLE_MARGIN = 0.10
SETTLE_SIZE = 1.15
# Where neither look found a label, an edge band whose mean |Laplacian| (grey levels, at the
# sharp decode) is at least BUSY_BAND is busy with fine texture (grass, gravel, a knit) that can
# hide translucent text from the detector: it is looked at once more, smoothed by a bilateral
# filter (SMOOTHING: diameter, colour and space sigmas) that flattens the texture but keeps
# the glyphs' edges, then kept to what is lighter than its surroundings within HAT px (a
# white top-hat): thin light strokes stand out where the smoothed band alone still showed the
# stones' light edges as much as theirs (2,200 labelled pictures: 5 more labels found, 1 lost).
# About a third of the edge bands of photographs without a label are that busy; at 8 (half of
# them) the look cost half as much again and found no more labels.
BUSY_BAND = 10.0
SMOOTHING = (9, 60, 9)
HAT = 9  # px of the sharp decode: strokes narrower than this stand out of the smoothed band
_HAT = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (HAT, HAT))
# A label measured within these multiples of the threshold is measured again on a finer
# decode where it is at least FINE_INK_PX tall (only where the picture has the pixels). From
# 1.75 %: a 2 % label is a few rows tall at the first look's resolution and read ~15 % tall.
FINE_NEAR = (0.35, 2.0)
FINE_INK_PX = 48
# The two decodes' fill estimates agree within 1.2 % at the median, 4.5 % at the 90th
# percentile (312 labels re-measured); beyond FINE_AGREE both are kept in the height range.
FINE_AGREE = 0.12
# A height measured in fewer than SMALL_INK_PX pixels of its decode is known to a pixel either
# way. Under TALLER_INK_PX (a label near the threshold on a picture without the pixels to
# measure it finer: 800x600, 512²), glyph edges widened by blur, an outline or JPEG ringing
# make it too tall more often than too short, and the range reaches TALLER_PX pixels lower:
# on 478 labels measured so, the lower estimate exceeded the drawn height by 2 px at the 95th
# percentile, the higher fell short by 1 px; 4 of 1,500 labels drawn 4.7-4.8 % high passed at
# 5.7-5.9 % with one pixel, none with two.
SMALL_INK_PX, TALLER_INK_PX, TALLER_PX = 20, 40, 2
# On a picture under SMALL_PICTURE on its shortest side (512² and smaller), a label measured
# in fewer than READ_EM_PX pixels has its em taken from where its characters were read too: 4
# false passes of 750 such labels of 4-6.5 % under 480 px without, none with; at 512², a 4.9 %
# label outlined in black whose glyphs touched a lit tower measured 6.3 % and passed (on the
# eight labelled sets, 3 passes of 2,300 pictures become unknown for it).
SMALL_PICTURE, READ_EM_PX = 600, 40
# ... where the label would be FINE_GAIN x as many pixels tall there as on the sharp decode,
# on a picture FINE_PICTURE x the sharp decode's size. A label measured 6-6.8 % high is
# measured again too (FINE_GAIN was 1.25): on 1,450 labelled pictures, 26 heights came out
# closer to the truth, 17 further, and the 95th percentile |error| went from 9.8 to 9.1 %.
# 1280x720 pictures (1.125x) stay on the sharp decode: there, measured again, 107 heights
# came closer and 54 went further, but the median |error| grew (2.4 to 2.6 %).
FINE_GAIN, FINE_PICTURE = 1.1, 1.25
# Where a label's fill was seen as glyphs across the line, an edge estimate at most this many
# times taller took in a rim (an outline, a shadow, the photograph) and does not widen the
# height range upwards; one far taller may see glyphs the fill saw only in part.
RIM_REACH = 1.35
# A label whose glyphs measure taller than WIDTH_GUARD x the em its width allows
# (advance.em_from_width) may have taken in something touching them (an outline, a shadow, the
# photograph): the range then reaches down to EM_INK of that em. Over 1,407 labels of the
# labelled sets, glyphs were 0.84 em tall at the median and 0.97 at the 95th percentile (the
# em counts the box's margins); the four labels under 5 % that passed there (4.97 % read
# 6.57 %) each measured over 1 em. The measure known wrong, the truth may lie as low as the
# glyphs of 5 % of labels do: 0.70 em (2,134 labels, fonts serif to bold). At 0.9 em, a 4.9 %
# label enlarged 2x after it was drawn (a platform's upscale), read 8.6 % with 1 em at 7.1 %,
# passed; 11 of 697 passes on the labelled sets are unknown at 0.7 instead.
WIDTH_GUARD, EM_INK = 1.0, 0.7
# ... and glyphs measured under SHORT_OF_EM of it (the height reported, the lower estimate)
# lost strokes where they cross a photograph of their colour (thin red glyphs over wood): the
# range then reaches up to the em. Over 2,030 labels of the eight labelled sets, glyphs were
# 0.63 em tall or more at the 0.5th percentile; of the 8 measured under 0.6 em, 7 read over
# 10 % short.
SHORT_OF_EM = 0.6
# A label's glyphs under FAINT_CONTRAST (WCAG ratio) against what surrounds them are measured
# less surely: of those 2,134 labels, the 166 under 3:1 erred by 19-37 % at the 95th
# percentile against 8.5 % above it, and labels drawn small and enlarged 2-3x were read up to
# 50 % tall (4 false passes of 760 at 4.3-5 %, three of them under 2:1). Their height range
# reaches FAINT_SPREAD further either way.
FAINT_CONTRAST, FAINT_SPREAD = 3.0, 0.15
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
DEFAULT_MIN_RATIO = 0.05

_engines: dict[int, _Engine] = {}
Finer = Callable[[int], tuple[np.ndarray, float]]
# Re-reading one located line (video labels, between samples) pads it to this canvas width
# instead of the recogniser's default 320 px: a short label fills most of it, so a read costs
# ~28 ms instead of ~50 ms; only whether it still reads as the label is taken from it.
LINE_CANVAS = (3, 48, 160)


@dataclass
class _Engine:
    detect: ppocr.Detector
    read: ppocr.Recognizer


_lock = threading.Lock()
_inherited: list[dict[int, _Engine]] = []


def _forget_engines() -> None:
    """In a forked worker: its own sessions, made on first use. onnxruntime sessions are not
    fork-safe (another thread of the parent may be inside one, or hold this module's lock,
    at the fork), and a worker loads them in ~0.3 s. The parent's are kept, never freed: a
    session's destructor waits for its thread pool, whose threads a fork does not copy."""
    global _engines, _lock
    _inherited.append(_engines)
    _engines, _lock = {}, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_engines)


def _engine(threads: int) -> _Engine:
    """One detector and one recogniser per process, created on first use."""
    with _lock:
        if threads not in _engines:
            _engines[threads] = _Engine(
                ppocr.Detector(ppocr.model_path(DET_MODEL), threads),
                ppocr.Recognizer(ppocr.model_path(REC_MODEL), threads),
            )
        return _engines[threads]


def engine_info() -> dict[str, str]:
    """Versions and models, for the report's `tool` section (results are reproducible)."""
    return {
        "engine": "rapidocr",
        "rapidocr": importlib.metadata.version("rapidocr"),
        "onnxruntime": importlib.metadata.version("onnxruntime"),
        "det_model": DET_MODEL,
        "rec_model": REC_MODEL,
    }


def position_of(x: float, y: float, w: float, h: float, width: int, height: int) -> str:
    """Nine-way position of a box: the thirds of the picture its centre lies in, each way. A
    long box whose centre is in the middle third reaches an outer third: it is on that side
    (a long label down the right edge is "right"), or on the side it is nearer to if it
    reaches both."""
    column = _side(x / width, (x + w) / width, "left", "right")
    row = _side(y / height, (y + h) / height, "top", "bottom")
    if row and column:
        return f"{row}-{column}"
    return row or column or "center"


def _side(low: float, high: float, first: str, second: str) -> str:
    """The side of one axis a box spans from `low` to `high` (shares of the side) is on."""
    centre = (low + high) / 2
    if centre < 1 / 3:
        return first
    if centre > 2 / 3:
        return second
    gap_first, gap_second = low, 1 - high
    if high > 2 / 3 and (low >= 1 / 3 or gap_second < gap_first / 2):
        return second
    if low < 1 / 3 and (high <= 2 / 3 or gap_first < gap_second / 2):
        return first
    return ""


def detect_text(
    path: Path, min_ratio: float = DEFAULT_MIN_RATIO, threads: int = 0
) -> tuple[list[TextRegion], tuple[int, int]]:
    """Text lines on the picture, measured in original pixels; and the picture's size."""
    detect_short = max(96, round(DETECT_TEXT_PX / min_ratio))
    decoded = load_image(path, detect_short * READ_SCALE)
    shortest = min(decoded.width, decoded.height)

    def finer(short_side: int) -> tuple[np.ndarray, float]:
        pixels, scale = decoded.finest()
        if scale * shortest >= 0.8 * short_side:
            return pixels, scale  # already decoded that fine
        again = load_image(path, short_side)
        return again.pixels, again.scale

    regions = detect_in_pixels(
        decoded.pixels, decoded.scale, decoded.width, decoded.height, min_ratio, threads, finer
    )
    return regions, (decoded.width, decoded.height)


def detect_in_pixels(
    pixels: np.ndarray,
    scale: float,
    width: int,
    height: int,
    min_ratio: float = DEFAULT_MIN_RATIO,
    threads: int = 0,
    finer: Finer | None = None,
    under_texture: bool = True,
) -> list[TextRegion]:
    """Text lines on RGB `pixels` (`scale` x a `width` x `height` picture), in original pixels.

    `finer(short_side)` decodes the picture again with at least that shortest side, for
    measuring labels near the threshold more precisely than the sharp decode allows. Without
    `under_texture`, busy edge bands are not looked at a third time (BUSY_BAND).
    """
    threads = threads or os.cpu_count() or 1
    detect_short = max(96, round(DETECT_TEXT_PX / min_ratio))
    sharp = pixels
    if min(sharp.shape[:2]) > detect_short * READ_SCALE:
        factor = detect_short * READ_SCALE / min(sharp.shape[:2])
        sharp = cv2.resize(sharp, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        scale *= factor
    short = min(sharp.shape[:2])
    shrink = min(1.0, detect_short / short)
    small = cv2.resize(sharp, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    engine = _engine(threads)
    min_height = MIN_BOX_RATIO * short
    first_boxes = _detect_boxes(engine, small, 1.0 / shrink, (0, 0), min_height)
    lines = merge_lines(first_boxes)
    measure = _Measurer(sharp, scale, min(width, height), min_ratio, finer)
    reading = _Reading(engine, measure, width, height, _Rereads())
    regions = _read_lines(reading, lines, min_ratio)
    if any(r.is_label for r in regions):
        return regions
    # Cost follows need: only where the first pass found no label, a second, more careful
    # pass looks at the picture's edge bands (where labels belong) at the sharp resolution,
    # where small, faint or busy-background labels stand out better.
    found = boxes_of(regions, scale)
    band_boxes = []
    for band in edge_bands(sharp.shape[1], sharp.shape[0]):
        x0, y0, x1, y1 = band
        found_here = _detect_boxes(engine, sharp[y0:y1, x0:x1], 1.0, (x0, y0), min_height)
        # A piece of a first-pass line cut by the band's inner side is left out before band
        # lines are joined: joined to another band's line, it would pass for a new line.
        band_boxes += [
            b for b in found_here
            if not (cut_by_band(b, band, *sharp.shape[1::-1]) and any(holds(f, b) for f in lines))
        ]  # fmt: skip
    # A band line is read unless a first-pass line (read as no label) holds it: lies over it
    # and is not much taller. One reaching past such a line may be the label the first pass
    # caught in part (the faint half of "此内容由人工智能生成" over a busy background); a far
    # taller line took in something beside it (a flag, a heading, a cup).
    fresh = [b for b in merge_lines(band_boxes) if not any(holds(f, b) for f in lines)]
    again = _read_lines(reading, fresh, split=True)
    read_again = list(zip(again, boxes_of(again, scale), strict=True))
    labels = [b for r, b in read_again if r.is_label]
    # A first-pass line that was mostly such a label, read wrongly, gives way to it.
    kept = [
        (r, b) for r, b in zip(regions, found, strict=True)
        if not any(overlap(b, label) >= 0.5 for label in labels)
    ]  # fmt: skip
    # A band line that is a first-pass line read again alike (its box a little tighter than
    # the coarse first look's) is listed once.
    again = [
        r for r, b in read_again
        if not any(k.text == r.text and overlap(b, f) >= 0.5 for k, f in kept)
    ]  # fmt: skip
    regions = [r for r, _ in kept] + again
    if any(r.is_label for r in regions):
        return regions
    # Only then columns of upright glyphs (a label written down a side) are read.
    regions += _column_labels(reading, columns_of(first_boxes + band_boxes))
    if not under_texture or any(r.is_label for r in regions):
        return regions
    return regions + _label_under_texture(reading, lines + band_boxes, min_height)


def _column_labels(reading: _Reading, columns: list[Box]) -> list[TextRegion]:
    """Labels written down a side: the MAX_COLUMNS tallest columns in the edge bands, each read
    with its glyphs set side by side (columns.restack) at the glyph counts its length over its
    ink's width allows (while a count reads as text at all), taken as columns.taken_reading
    says: a compliant label, else a reading like a label in part (left for review), else any
    label; failing those, read as a line turned a quarter (columns.turned_reading). Nothing
    else is kept: a column of texture read as letters is no line anyone wrote."""
    sharp = reading.sharp
    height_px, width_px = sharp.shape[:2]
    found = []
    for column in [c for c in columns if _in_edge_band(c, width_px, height_px)][:MAX_COLUMNS]:
        box = x0, y0, x1, y1 = _pixels_of(column, width_px, height_px)
        ink = across(sharp, box, INK_CONTEXT)
        column = sharp[y0:y1, x0:x1, ::-1]
        crop, glyph, reads = read_column(reading.engine.read, column, ink, MIN_TEXT_SCORE)
        taken = taken_reading(reads)
        if taken:
            score, text, glyphs, _ = taken
            tallest = tallest_glyph(crop, glyphs)
            found.append(_column_region(reading, box, (glyph, tallest), ink, text, score))
            continue
        # Upright glyphs read as nothing like a label: a line turned a quarter, perhaps.
        turned = turned_reading(reading.engine.read, column, MIN_TEXT_SCORE)
        if turned:
            found.append(_turned_region(reading, box, ink, glyph, *turned))
    return found


def _turned_region(
    reading: _Reading, box: tuple[int, int, int, int], ink: InkMeasure | None, glyph: float,
    text: str, score: float,
) -> TextRegion:  # fmt: skip
    """A label turned a quarter down a side: its glyphs' height is the column's width, measured
    across it (the ink's two estimates, or the column's `glyph` width). Measured across, the
    photograph beside the column runs into the glyphs more than above and below a line
    (labels drawn 4-5 % high measured up to 45 % tall): the lower estimate is reported and the
    range is TURNED_RANGE around both."""
    widths = [b - t for t, b in ink.estimates] if ink else [glyph]
    region = _column_region(reading, box, (min(widths), min(widths)), ink, text, score)
    shortest = min(reading.width, reading.height) * reading.measure.scale
    low, high = TURNED_RANGE[0] * min(widths), TURNED_RANGE[1] * max(widths)
    return replace(region, height_range=[round(low / shortest, 4), round(high / shortest, 4)])


def _pixels_of(box: Box, width: int, height: int) -> tuple[int, int, int, int]:
    """The whole pixels of a `width` x `height` decode that `box` covers, (x0, y0, x1, y1)."""
    return (
        max(0, int(box.x0)), max(0, int(box.y0)),
        min(width, int(box.x1) + 1), min(height, int(box.y1) + 1),
    )  # fmt: skip


def _in_edge_band(box: Box, width: int, height: int) -> bool:
    """`box` lies within an edge band (EDGE_BAND) of the picture."""
    return (
        box.x1 <= EDGE_BAND * width or box.x0 >= (1 - EDGE_BAND) * width
        or box.y1 <= EDGE_BAND * height or box.y0 >= (1 - EDGE_BAND) * height
    )  # fmt: skip


def _column_region(
    reading: _Reading, box: tuple[int, int, int, int], measures: tuple[float, float],
    ink: InkMeasure | None, text: str, score: float,
) -> TextRegion:  # fmt: skip
    """A label written down a side, measured twice (`measures`, sharp pixels): the column's
    ink width (an ideograph is set on a square, so the widest glyphs are about as wide as the
    tallest are high) and the tallest glyph's ink in its cell. The larger is its height: both
    fall short more often than they overreach (24 drawn columns: 7 % under to 2 % over),
    hence the range COLUMN_RANGE around it, which the size rule judges. Where they disagree,
    one took in something else (a cell cut into the next glyph, a lattice beside the column)
    and the range reaches down to the smaller, or COLUMN_AGREE x it: on 150 columns drawn
    4-5 % high over photographs, two whose tallest cell measured 28 % over the width (6.3 %)
    passed."""
    measure, width, height = reading.measure, reading.width, reading.height
    shortest, scale = min(width, height), measure.scale
    x0, y0, x1, y1 = box
    measured = [m for m in measures if m > 0] or [0.0]
    ratio = max(measured) / scale / shortest
    low = min(max(measured), COLUMN_AGREE * min(measured)) / scale / shortest
    wording = classify_label_text(text)
    bx, by, bw, bh = x0 / scale, y0 / scale, (x1 - x0) / scale, (y1 - y0) / scale
    return TextRegion(
        text=text,
        bbox=[round(bx), round(by), round(bw), round(bh)],
        height_ratio=round(ratio, 4),
        height_range=[round(COLUMN_RANGE[0] * low, 4), round(COLUMN_RANGE[1] * ratio, 4)],
        position=position_of(bx, by, bw, bh, width, height),
        confidence=round(float(score), 3),
        contrast=round(ink.contrast, 2) if ink else None,
        is_label=wording.is_label,
        wording=wording.wording,
    )


def _label_under_texture(reading: _Reading, seen: list[Box], min_height: float) -> list[TextRegion]:
    """Labels in the busy edge bands (BUSY_BAND), found on the band smoothed and kept to its
    thin light strokes, and read and measured on the picture itself; only lines no earlier
    look held, and only labels or lines read like a label in part (AT生成: the view's strokes
    can lose a glyph's thin parts), which the rules leave for review: such a view's other
    shapes are not text anyone drew."""
    sharp = reading.sharp
    boxes: list[Box] = []
    for x0, y0, x1, y1 in edge_bands(sharp.shape[1], sharp.shape[0]):
        band = np.ascontiguousarray(sharp[y0:y1, x0:x1])
        grey = cv2.cvtColor(band, cv2.COLOR_RGB2GRAY)
        if float(np.abs(cv2.Laplacian(grey, cv2.CV_16S)).mean()) < BUSY_BAND:
            continue
        # The texture flattened, then only what is lighter than what lies within HAT px of it
        # kept: thin light strokes (translucent white text), set dark on white as print is.
        smooth = cv2.cvtColor(cv2.bilateralFilter(band, *SMOOTHING), cv2.COLOR_RGB2GRAY)
        hat = cv2.morphologyEx(smooth, cv2.MORPH_TOPHAT, _HAT)
        view = 255 - cv2.normalize(hat, None, 0, 255, cv2.NORM_MINMAX)
        view = cv2.cvtColor(view, cv2.COLOR_GRAY2RGB)
        boxes += _detect_boxes(reading.engine, view, 1.0, (x0, y0), min_height)
    fresh = [b for b in merge_lines(boxes) if not any(holds(f, b) for f in seen)]
    read = _read_lines(reading, fresh, split=True)
    return [r for r in read if r.is_label or read_in_part(r.text)]


def _detect_boxes(
    engine, image: np.ndarray, to_sharp: float, offset: tuple[int, int], min_height: float
) -> list[Box]:
    """Text boxes the detection network finds on `image`, in the sharp decode's pixels."""
    boxes = []
    for quad in engine.detect(np.ascontiguousarray(image[:, :, ::-1])):
        xs, ys = quad[:, 0] * to_sharp + offset[0], quad[:, 1] * to_sharp + offset[1]
        box = Box(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        if box.height >= min_height:
            boxes.append(box)
    return boxes


class _Measurer:
    """Ink height of a line, on the sharp decode; for a label whose height is near the
    threshold, again on a finer decode of the picture (made once, only when needed), where
    the line is at least FINE_INK_PX tall: one pixel is then about 2 % of its height."""

    def __init__(
        self, sharp: np.ndarray, scale: float, shortest: int, min_ratio: float,
        finer: Finer | None,
    ) -> None:  # fmt: skip
        self.sharp, self.scale, self.shortest = sharp, scale, shortest
        self.min_ratio, self.finer = min_ratio, finer
        self._fine: tuple[np.ndarray, float] | None = None

    def __call__(
        self, box: tuple[int, int, int, int], label: bool
    ) -> tuple[InkMeasure | None, float, int, float | None]:
        """The measure of the sharp decode's `box`, the scale it was made at, the row of the
        crop that the box's top is (ink rows are relative to the crop); and where a finer
        decode's measure stands for it, the sharp decode's fill estimate (original pixels)."""
        pixels, scale = self.sharp, self.scale
        ink, top = _measure(pixels, box, label)
        if not (label and ink and self.finer):
            return ink, scale, top, None
        # The lower estimate decides (the one the pass is judged on): a fill estimate swollen
        # by an outline and the photograph would make the sharp decode look fine enough.
        ratio = min(b - t for t, b in ink.estimates) / scale / self.shortest
        near = FINE_NEAR[0] * self.min_ratio <= ratio <= FINE_NEAR[1] * self.min_ratio
        wanted = FINE_INK_PX / max(ratio, 1e-6)
        sharp_short = min(pixels.shape[:2])
        gain, picture = wanted / sharp_short, self.shortest / sharp_short
        if not near or gain < FINE_GAIN or picture < FINE_PICTURE:
            return ink, scale, top, None
        if self._fine is None:
            self._fine = self.finer(min(self.shortest, round(wanted)))
        fine, fine_scale = self._fine
        factor = fine_scale / scale
        x0, y0, x1, y1 = (round(v * factor) for v in box)
        fine_ink, fine_top = _measure(fine, (x0, y0, x1, y1), label)
        if fine_ink is None:
            return ink, scale, top, None
        fill = ink.estimates[0]
        return fine_ink, fine_scale, fine_top, (fill[1] - fill[0]) / scale


@dataclass
class _Rereads:
    """How many more of one picture's lines may be read again, each way."""

    wider: int = WIDER_LINES  # with more of their sides
    colour: int = COLOUR_LINES  # one colour at a time
    contrast: int = CONTRAST_LINES  # with their contrast raised

    def take(self, way: str) -> bool:
        """Spend one re-read `way` ("wider", "colour", "contrast"); False if none is left."""
        left = getattr(self, way)
        if left:
            setattr(self, way, left - 1)
        return left > 0


@dataclass
class _Reading:
    """What one picture's lines are read and measured with, and how many of them may still be
    read again."""

    engine: _Engine
    measure: _Measurer
    width: int  # the picture's, in original pixels
    height: int
    rereads: _Rereads

    @property
    def sharp(self) -> np.ndarray:
        return self.measure.sharp


def _measure(
    pixels: np.ndarray, box: tuple[int, int, int, int], label: bool
) -> tuple[InkMeasure | None, int]:
    """The ink of the line in `box` of `pixels`, measured with some rows of its surroundings
    above and below, and the crop's first row. Cost follows need: the glyph-fill estimate
    only for text taken as a label."""
    x0, y0, x1, y1 = box
    pad = max(2, round(INK_CONTEXT * (y1 - y0)))
    c0, c1 = max(0, y0 - pad), min(pixels.shape[0], y1 + pad)
    return measure_ink(pixels[c0:c1, x0:x1], (y0 - c0, y1 - c0), fill=label), c0


def _label_like(wording: LabelMatch) -> bool:
    """A line with a generation element (生成, 合成) may be a label the recogniser misread
    (豆包AE生成): it is measured as carefully as one."""
    return wording.generation_element is not None


def _line_columns(box: tuple[int, int, int, int], reach: float, width: int) -> tuple[int, int]:
    """The columns of the line in `box` with `reach` x its height more on each side."""
    x0, y0, x1, y1 = box
    side = round(reach * (y1 - y0))
    return max(0, x0 - side), min(width, x1 + side)


def _line_crop(sharp: np.ndarray, box: tuple[int, int, int, int], reach: float) -> np.ndarray:
    """The line in `box` with `reach` x its height more on each side, BGR for the recogniser."""
    left, right = _line_columns(box, reach, sharp.shape[1])
    return np.ascontiguousarray(sharp[box[1] : box[3], left:right, ::-1])


def _read_wider(
    reading: _Reading, box: tuple[int, int, int, int], reach: float
) -> tuple[str, float]:
    """The line in `box` read with `reach` x its height more on each side."""
    read = reading.engine.read([_line_crop(reading.sharp, box, reach)])
    return read[0] if read else ("", 0.0)


def _read_lines(
    reading: _Reading, lines: list[Box], min_ratio: float | None = None, split: bool = False
) -> list[TextRegion]:
    """Recognise and measure the tallest `lines` of the sharp decode, in original pixels.

    With `min_ratio`, cost follows need: lines in the middle of the picture (DEFER_GAP from
    every edge) are read only when the lines nearer the edges hold no settled label. With
    `split`, a line joined from several boxes that reads as no label is read part by part.
    """
    lines = [b for b in lines if b.x1 - b.x0 >= MIN_LINE_ASPECT * b.height]
    lines = sorted(lines, key=lambda b: -b.height)[:MAX_BOXES]
    kept, sources = [], []
    sharp, width, height = reading.sharp, reading.width, reading.height
    height_px, width_px = sharp.shape[:2]
    for line in lines:
        x0, y0, x1, y1 = _pixels_of(line, width_px, height_px)
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        kept.append((x0, y0, x1, y1))
        sources.append(line)
    reach = DEFER_GAP * min(width_px, height_px)
    inner = [
        min_ratio is not None and min(x0, y0, width_px - x1, height_px - y1) >= reach
        for x0, y0, x1, y1 in kept
    ]
    regions: dict[int, list[TextRegion]] = {}
    garbled: list[int] = []
    for middle in (False, True):
        chosen = [i for i, flag in enumerate(inner) if flag == middle]
        if not chosen:
            continue
        if middle and any(
            _settles(r, width, height, min_ratio or DEFAULT_MIN_RATIO)
            for found in regions.values()
            for r in found
        ):
            break
        # The recogniser's own 320 px canvas: narrower ones (160, or each line's own width)
        # cost up to a third less but misread labels of the labelled set (内容由AI生成 as
        # 内容由\I生成). The detector's box can stop short of a sparse first or last glyph
        # (人, 一): the recogniser reads a little past each end.
        read = reading.engine.read.read_each(
            [_line_crop(sharp, kept[i], READ_SIDE) for i in chosen]
        )
        for i, seen in zip(chosen, read, strict=True):
            text, score = _without_strays(seen, kept[i], width_px)
            if text.strip() and score >= MIN_TEXT_SCORE:
                box = kept[i] if sources[i].parts else _read_span(kept[i], seen, text, width_px)
                regions[i] = _regions_of(reading, box, sources[i], as_read(text), score, split)
            elif sources[i].parts:  # joined boxes that read as nothing: each on its own
                regions[i] = _read_lines(reading, sources[i].parts)
            elif text.strip():
                garbled.append(i)
    # A line read below the score floor may be a label drawn over print, the two garbled
    # together: read one colour at a time, only where no other line is a label.
    if not any(r.is_label for found in regions.values() for r in found):
        for i in garbled:
            if not reading.rereads.take("colour"):
                break
            regions[i] = _label_apart_in_views(reading, kept[i])
    return [r for _, found in sorted(regions.items()) for r in found]


def _read_span(
    box: tuple[int, int, int, int], read: ppocr.Read, text: str, width: int
) -> tuple[int, int, int, int]:
    """The line in `box`, read whole as a Chinese label, less a stretch at either end where
    nothing was read (UNREAD_STRETCH x its height or more: a mark set before the label, a
    sparkle or a logo, boxed with it), kept to TRIM_MARGIN x its height past the columns its
    characters were read from: the mark's height is not the label's. `box` unchanged where
    the line reads otherwise."""
    if read.text != text or len(read.columns) != len(text) or label_run(text):
        return box
    # (a label read without its first glyphs, 品由AI生成, has them in the stretch before it)
    if not classify_label_text(as_read(text)).is_cn_label or glyphs_cut_short(text):
        return box
    piece = label_piece(text, read.columns)
    if piece is None:
        return box
    x0, y0, x1, y1 = box
    left = _line_columns(box, READ_SIDE, width)[0]
    height = y1 - y0
    first, last = left + piece.x0, left + piece.x1
    if first - x0 >= UNREAD_STRETCH * height:
        x0 = round(first - TRIM_MARGIN * height)
    if x1 - last >= UNREAD_STRETCH * height:
        x1 = round(last + TRIM_MARGIN * height)
    return (x0, y0, x1, y1)


def _without_strays(
    read: ppocr.Read, box: tuple[int, int, int, int], width: int
) -> tuple[str, float]:
    """A line's text and score less a character at either end read from beyond the detector's
    `box` (the reach the recogniser is given past each end) with confidence under
    STRAY_CONFIDENCE, where only without it the line reads as a whole label phrase (家人工智能生成;
    not 豆包AI生成, whose 豆 the box may have missed)."""
    text = read.text
    if len(read.columns) != len(text) or len(text) < 3:
        return text, read.score
    left = _line_columns(box, READ_SIDE, width)[0]
    inside = (box[0] - left, box[2] - left)  # the box's columns in the crop
    beyond = {
        0: sum(read.columns[0]) / 2 < inside[0],
        len(text) - 1: sum(read.columns[-1]) / 2 > inside[1],
    }
    keep = [
        i for i in range(len(text))
        if not (beyond.get(i) and read.confidences[i] < STRAY_CONFIDENCE)
    ]  # fmt: skip
    if len(keep) == len(text):  # most lines: the wording is judged once, by the caller
        return text, read.score
    trimmed = "".join(text[i] for i in keep)
    if not label_phrase(as_read(trimmed)) or label_phrase(as_read(text)):
        return text, read.score
    if not classify_label_text(as_read(text)).is_cn_label:
        return text, read.score
    return trimmed, round(float(np.mean([read.confidences[i] for i in keep])), 5)


def _regions_of(
    reading: _Reading,
    box: tuple[int, int, int, int],
    line: Box,
    text: str,
    score: float,
    split: bool,
) -> list[TextRegion]:
    """The text region(s) of one line the recogniser read as `text`, measured."""
    wording = classify_label_text(text)  # vocabulary, shared with the rules
    # A line read whole as a label alone, from boxes drawn over one run of glyphs, is that
    # label: read apart, its parts would only give pieces of it.
    whole_label = wording.is_cn_label and not label_run(text) and _one_run(line.parts)
    if line.parts and not whole_label and (split or wording.is_label or _label_like(wording)):
        # Boxes joined as one line may be a label beside other text (a label beside a
        # page's line: "markers = np.zAI合成"): its parts are read on their own, and
        # stand for the line where one of them is as much a label on its own (a label
        # split in two, 人工 + 智能生成, is not).
        apart = _read_lines(reading, line.parts)
        wanted = (CN_LABEL,) if wording.is_cn_label else (CN_LABEL, DISCLOSURE, AI_MARK)
        if any(r.wording in wanted for r in apart):
            return apart
    if wording.is_cn_label and label_run(text):
        apart = _label_apart(reading, box)
        if apart:
            return apart
        # The label could not be told apart from the text it runs into: the line's height is
        # not the label's, which is left unknown (a height range from 0).
        return [_region(reading, box, text, score, wording, apart_from=False)]
    lost = glyphs_cut_short(text)
    rereads = reading.rereads
    if lost and rereads.take("wider"):
        # The detector's box left out the label's first glyphs (容由AI生成 of 内容由AI生成).
        whole = _label_start(reading, box, lost)
        if whole:
            return whole
    suspect = wording.ai_element or wording.generation_element or label_fragment(text)
    grown = (text, READ_SIDE)  # the longest reading of the line, and how far it was read
    if not wording.is_cn_label and suspect and rereads.take("wider"):
        # A label read without one of its ends (本图由AI生, 工智能生成): read again with
        # more of what lies beside the box, and more again while the reading grows.
        last, reached = text, 0.0
        for side in WIDER_SIDES:
            again, again_score = _read_wider(reading, box, side)
            again = as_read(again)
            again_wording = classify_label_text(again)
            if again_score >= MIN_TEXT_SCORE and again_wording.is_cn_label:
                text, score, wording, reached = again, again_score, again_wording, side
            if len(again) <= len(last):
                break
            last, grown = again, (again, side)
        if reached and label_run(text):
            # Read wider, the label ran into other text beside it (a page's line): cut it out.
            left, right = _line_columns(box, reached, reading.sharp.shape[1])
            apart = _label_apart(reading, (left, box[1], right, box[3]))
            if apart:
                return apart
            return [_region(reading, box, text, score, wording, apart_from=False)]
        if reached:
            # The box holds only part of what was read: the label is placed on the columns it
            # was read from, whose width bounds its glyphs' height; or else left in the box,
            # whose width bounds nothing.
            placed = _label_placed(reading, box, reached, lambda label, _: label == text)
            return placed or [_region(reading, box, text, score, wording, by_width=False)]
    if not wording.is_cn_label and (suspect or _overlaid(text)) and rereads.take("colour"):
        # A label drawn over other text (a page's line) and read mixed with it, in part or
        # not at all: read again one colour at a time; found, it stands for the line.
        apart = _label_apart_in_views(reading, box)
        if apart:
            return apart
    if not wording.is_cn_label and (suspect or misread_label(text)) and rereads.take("contrast"):
        # A label read with a glyph wrong or lost (由大工智能合成, AT生成; 本图由NI生成 read
        # wider), translucent over a photograph as light as parts of it: read again, as far
        # as the reading grew, with its local contrast raised.
        again = _label_in_views(reading, box, contrast_views, grown[1], near=grown[0])
        if again:
            return again
    if not wording.is_cn_label and label_run(text, misread=True):
        # A label phrase read with a glyph in four wrong where it runs into other text
        # (…np.2此内容由块工智能生成; 此内容由人立智能生b成ct or…, whose 生成 is split by a
        # letter of the print): its own columns are read again, and measured on their own.
        apart = _label_apart(reading, box, misread=True)
        if apart:
            return apart
    return [_region(reading, box, text, score, wording)]


def _one_run(parts: list[Box]) -> bool:
    """Boxes joined into a line that overlap one another: one run of glyphs the detector
    boxed twice (此内容 and 内容由人工智能生成), not words set apart."""
    ordered = sorted(parts, key=lambda b: b.x0)
    return len(ordered) > 1 and all(b.x0 < a.x1 for a, b in itertools.pairwise(ordered))


def _em_from_reading(reading: _Reading, box: tuple[int, int, int, int], text: str) -> float | None:
    """The em of the line in `box` (original pixels) from where the recogniser reads its first
    and last characters; None where it reads the line otherwise."""
    read, columns = reading.engine.read.located(_line_crop(reading.sharp, box, READ_SIDE))
    if as_read(read) != text or len(columns) != len(text):
        return None
    em = em_from_starts(text, float(columns[-1][0] - columns[0][0]))
    return em / reading.measure.scale if em else None


def _overlaid(text: str) -> bool:
    """A line read as a few CJK characters amid Latin text (图mbiguously as either...): a
    label drawn over a line of print, the two read as one. A Chinese line with a Latin word
    or two (iPhone 15 Pro 限时优惠) is not."""
    ideographs = sum(is_ideograph(c) for c in text)
    letters = sum(c.isascii() and c.isalpha() for c in text)
    return ideographs > 0 and letters >= max(OVERLAID_LETTERS, 3 * ideographs)


def _label_apart_in_views(reading: _Reading, box: tuple[int, int, int, int]) -> list[TextRegion]:
    """A label drawn over other text on the line in `box` (a page's print), read one colour
    at a time, or else by its crisp strokes. Found by those, it has the print's colour: its
    glyphs' measure takes in the print's strokes, and its height is left unknown."""
    return _label_in_views(reading, box, colour_views) or _label_in_views(
        reading, box, crisp_views, own_height=False
    )


def _label_in_views(
    reading: _Reading,
    box: tuple[int, int, int, int],
    views: Callable[[np.ndarray], list[np.ndarray]],
    reach: float = READ_SIDE,
    near: str | None = None,
    own_height: bool = True,
) -> list[TextRegion]:
    """The label in the line in `box` (with `reach` x its height more on each side), read
    where the line is seen another way (`views` of its crop: one colour at a time, its crisp
    strokes, its contrast raised): placed on the columns its characters were read from in
    that view, whose columns alone must read as a label again; measured on the picture. With
    `near` (the line's own reading), the view's reading of the label stands instead where it
    is at most CONTRAST_EDITS glyphs from `near`: the view only corrects a misreading of the
    line, never finds a label the line did not nearly read as. Without `own_height`, the
    label's height is left unknown (its range starts at 0). Empty where no view reads so."""
    engine, sharp = reading.engine, reading.sharp
    crop_x0, crop_x1 = _line_columns(box, reach, sharp.shape[1])
    for view in views(_line_crop(sharp, box, reach)):
        # One run a view gives its text, score and columns (views are read until one holds
        # a label, not all in a batch and the matching one again).
        seen, score, columns = engine.read.located_scored(view)
        if score < MIN_TEXT_SCORE or not (
            classify_label_text(as_read(seen)).is_cn_label or label_run(seen)
        ):
            continue
        piece = label_piece(seen, columns)
        label_box = (
            _piece_box((crop_x0, box[1], crop_x1, box[3]), crop_x0, piece) if piece else None
        )
        if piece is None or label_box is None:
            continue
        if near is not None:  # the line's own reading, corrected
            text = as_read(piece.text)
            if edits(normalise(text), normalise(near)) <= CONTRAST_EDITS:
                return [_region(reading, label_box, text, score, classify_label_text(text))]
            continue
        left, right = max(0, int(piece.x0)), int(piece.x1) + 1
        again, again_score = engine.read([np.ascontiguousarray(view[:, left:right])])[0]
        again = as_read(again)
        wording = classify_label_text(again)
        if again_score >= MIN_TEXT_SCORE and wording.is_cn_label:
            return [_region(reading, label_box, again, again_score, wording, apart_from=own_height)]
    return []


def _label_placed(
    reading: _Reading,
    box: tuple[int, int, int, int],
    reach: float,
    wanted: Callable[[str, str], bool],
) -> list[TextRegion]:
    """The label on the line in `box` read with `reach` x its height more on each side,
    placed on the columns its characters were read from, where `wanted(label, line)` holds
    for the label's text and the whole line's reading; empty where it does not."""
    engine, sharp = reading.engine, reading.sharp
    crop_x0, crop_x1 = _line_columns(box, reach, sharp.shape[1])
    crop = _line_crop(sharp, box, reach)
    seen, score, columns = engine.read.located_scored(crop)
    piece = label_piece(seen, columns) if score >= MIN_TEXT_SCORE else None
    text = as_read(piece.text) if piece else ""
    if not (piece and wanted(text, as_read(seen))):
        return []
    label_box = _piece_box((crop_x0, box[1], crop_x1, box[3]), crop_x0, piece)
    if label_box is None:
        return []
    return [_region(reading, label_box, text, score, classify_label_text(text))]


def _label_start(reading: _Reading, box: tuple[int, int, int, int], lost: int) -> list[TextRegion]:
    """A label the line in `box` holds only the end of, read with `lost` glyphs' width (the
    line's height each) more on its left: where that reads as a whole label phrase (other
    text before it, ke(coins内容由AI生成, is left out), the label is placed on the columns the
    phrase was read from. Empty where it does not read so."""
    x0, y0, x1, y1 = box
    return _label_placed(
        reading,
        (max(0, x0 - lost * (y1 - y0)), y0, x1, y1),
        READ_SIDE,
        lambda label, line: label_phrase(label) and normalise(line).endswith(normalise(label)),
    )


def _label_apart(
    reading: _Reading, box: tuple[int, int, int, int], misread: bool = False
) -> list[TextRegion] | None:
    """A label read within a longer line of other text (drawn over a page's line), as a
    region of its own beside the other text's: the label is measured and placed on its own
    columns. None where the line reads as the label alone, or the label's columns do not
    read as one on their own. With `misread`, a label phrase read with a glyph wrong
    (misread_label) counts as one, and stays as read where its columns alone read no better:
    a line for review, not a label."""
    x0, y0, x1, y1 = box
    sharp = reading.sharp
    crop_x0 = _line_columns(box, READ_SIDE, sharp.shape[1])[0]
    text, columns = reading.engine.read.located(_line_crop(sharp, box, READ_SIDE))
    found = label_within(text, columns, misread)
    if found is None:
        return None
    label, others = found
    label_box = _piece_box(box, crop_x0, label)
    if label_box is None:
        return None
    # Read on their own, the label's columns must still read as a label; the text is the
    # line's reading of them (read past its ends, a neighbour's edge may join: 人工智能生成@).
    again, score = _read_wider(reading, label_box, READ_SIDE)
    again = as_read(again)
    alone = classify_label_text(again).is_cn_label
    if score < MIN_TEXT_SCORE or not (alone or misread and misread_label(again)):
        return None
    text = as_read(label.text)
    if alone and not classify_label_text(text).is_cn_label:
        text = again
    regions = [_region(reading, label_box, text, score, classify_label_text(text))]
    for other in others:  # their columns are the crop's; the last reaches to the line's end
        right = x1 if math.isinf(other.x1) else min(x1, crop_x0 + int(other.x1))
        other_box = (max(x0, crop_x0 + int(other.x0)), y0, right, y1)
        if other_box[2] - other_box[0] >= 2:
            regions.append(
                _region(reading, other_box, other.text, score, classify_label_text(other.text))
            )
    return regions


def _piece_box(
    box: tuple[int, int, int, int], crop_x0: int, piece: Piece
) -> tuple[int, int, int, int] | None:
    """The part of the line in `box` that `piece` (columns of the line's crop, which starts
    at column `crop_x0`) spans; None where it is too narrow to be a label's line."""
    x0, y0, x1, y1 = box
    part = (max(x0, crop_x0 + int(piece.x0)), y0, min(x1, crop_x0 + int(piece.x1) + 1), y1)
    return part if part[2] - part[0] >= MIN_LINE_ASPECT * (y1 - y0) / 2 else None


def _settles(region: TextRegion, width: int, height: int, min_ratio: float) -> bool:
    """A label that text in the middle of the picture cannot displace as the one judged:
    Chinese-compliant wording, anchored at an edge (within SETTLE_MARGIN of the shortest
    side, not over the centre) and, on both height estimates, SETTLE_SIZE x `min_ratio` high.
    Text DEFER_GAP from every edge is never at an edge for the position rule's margins up to
    DEFER_GAP, so it cannot be a better label than this one."""
    if region.wording != CN_LABEL:
        return False
    x, y, w, h = region.bbox
    shortest = min(width, height)
    if x <= width / 2 <= x + w and y <= height / 2 <= y + h:
        return False
    if min(x, y, width - (x + w), height - (y + h)) > SETTLE_MARGIN * shortest:
        return False
    low = min([region.height_ratio, *(region.height_range or [])])
    return low >= SETTLE_SIZE * min_ratio


def _region(
    reading: _Reading,
    box: tuple[int, int, int, int],
    text: str,
    score: float,
    wording: LabelMatch,
    by_width: bool = True,
    apart_from: bool = True,
) -> TextRegion:
    """The text region of one recognised line, measured; `by_width`: the box holds all that
    was read, so its width bounds the glyphs' height (WIDTH_GUARD); not `apart_from`: a label
    run into other text on its line, whose own height is unknown (the range starts at 0)."""
    measure, width, height = reading.measure, reading.width, reading.height
    shortest = min(width, height)
    ink, scale, c0, coarse = measure(box, wording.is_label or _label_like(wording))
    x0, x1 = box[0] / measure.scale, box[2] / measure.scale
    if ink:
        # Where the two estimates disagree, the true height may lie anywhere between them
        # (height_range); the lower one is reported: what makes an estimate too tall (a
        # backing, an outline, the photograph) is more common than what makes it too short.
        # Where the fill was seen as glyphs across the line, an edge estimate up to RIM_REACH
        # taller does not widen the range upwards: a label too small by its glyphs fails
        # plainly; one the edges see as smaller, or far taller, stays in doubt.
        rows = ink.estimates
        low = min(rows, key=lambda r: r[1] - r[0])  # the height reported
        heights = [(b - t) / scale for t, b in rows]
        if ink.glyphs_seen:
            heights = [h for h in heights if not heights[0] < h <= RIM_REACH * heights[0]]
        if coarse and abs(coarse / max(heights[0], 1e-6) - 1) > FINE_AGREE:
            # The sharp decode's fill disagrees with the finer decode's: one of them took in
            # something else (a band of a sky's gradient, an outline blurred into the fill),
            # and nothing tells which; the truth may lie anywhere between the two.
            heights.append(coarse)
        em = em_from_width(text, x1 - x0) if wording.is_label and by_width else None
        if wording.is_label and shortest < SMALL_PICTURE and min(heights) < READ_EM_PX / scale:
            # On a small picture a label is a few pixels tall, and the box and the ink may
            # both have taken in what lies beside it (a flower at its end, a translucent
            # label's background): the em is also taken from where its characters were read,
            # and the smaller one bounds. (Read positions are coarse: on larger pictures,
            # where a label has the pixels to be measured, they only cost reviews.)
            read_em = _em_from_reading(reading, box, text)
            em = min(e for e in (em, read_em) if e) if (em or read_em) else None
        if em and min(heights) > WIDTH_GUARD * em:
            heights.append(EM_INK * em)
        elif em and (low[1] - low[0]) / scale < SHORT_OF_EM * em:
            heights.append(em)
        if ink.contrast < FAINT_CONTRAST:
            # Glyphs that barely stand out from what surrounds them are told from it less surely.
            heights += [min(heights) * (1 - FAINT_SPREAD), max(heights) * (1 + FAINT_SPREAD)]
        top, bottom = (low[0] + c0) / scale, (low[1] + c0) / scale
    else:
        top, bottom = box[1] / measure.scale, box[3] / measure.scale
        heights = [bottom - top]
    if not apart_from:
        heights.append(0.0)
    # Each end of a measure is known to a pixel of the decode it was made on, at best. Near
    # the threshold a label is measured FINE_INK_PX tall where the picture has the pixels;
    # where it has not (a 5 % label is 30 px at 800x600, 13 px at 256²), a pixel or two is
    # as much as the size rule's margin, and the range takes them in.
    pixel = 1.0 / scale
    above = pixel if min(heights) < SMALL_INK_PX * pixel else 0.0
    below = TALLER_PX * pixel if min(heights) < TALLER_INK_PX * pixel else above
    bx, by, bw, bh = x0, top, x1 - x0, bottom - top
    return TextRegion(
        text=label_words(text) if wording.is_label else text,
        bbox=[round(bx), round(by), round(bw), round(bh)],
        height_ratio=round(bh / shortest, 4),
        height_range=[
            round(max(0.0, min(heights) - below) / shortest, 4),
            round((max(heights) + above) / shortest, 4),
        ],
        position=position_of(bx, by, bw, bh, width, height),
        confidence=round(float(score), 3),
        contrast=round(ink.contrast, 2) if ink else None,
        is_label=wording.is_label,
        wording=wording.wording,
    )


@provider("explicit")
def provide_explicit(evidence: Evidence, path: Path, fmt: str, options: ScanOptions) -> None:
    """Fill `evidence.explicit` with the text lines visible on an image."""
    try:
        if evidence.media.kind == "video":
            from markcheck.detectors.video_labels import find_video_labels

            regions, (width, height) = find_video_labels(
                path, threads=options.ocr_threads, media=evidence.media, notes=evidence.notes
            )
        else:
            regions, (width, height) = detect_text(path, threads=options.ocr_threads)
    except (ImageDecodeError, VideoError) as exc:
        evidence.unavailable["explicit"] = f"visible-label check not run: {exc}"
        return
    evidence.explicit = regions
    evidence.media.width, evidence.media.height = width, height


def read_line(pixels: np.ndarray, threads: int = 0) -> tuple[str, float]:
    """Recognise the one text line filling `pixels` (RGB or grey), without detection: for
    re-reading a label already located, e.g. in the next frames of a video."""
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[:, :, None], 3, axis=2)
    engine = _engine(threads or os.cpu_count() or 1)
    if pixels.shape[0] >= COLUMN_ASPECT * pixels.shape[1]:
        return _read_column(engine, pixels)
    read = engine.read([np.ascontiguousarray(pixels[:, :, ::-1])], min_width=LINE_CANVAS[2])
    return read[0] if read else ("", 0.0)


def _read_column(engine: _Engine, pixels: np.ndarray) -> tuple[str, float]:
    """A column label's box (RGB, with a margin of the picture all round) read again: the
    reading it is taken as (columns.taken_reading), else as a line turned a quarter where
    that reads as a label, else its likeliest reading."""
    ink = measure_ink(np.ascontiguousarray(pixels.transpose(1, 0, 2)), marks=False)
    _, _, reads = read_column(engine.read, pixels[:, :, ::-1], ink, MIN_TEXT_SCORE)
    taken = taken_reading(reads)
    if taken:
        return taken[1], taken[0]
    turned = turned_reading(engine.read, pixels[:, :, ::-1], MIN_TEXT_SCORE)
    if turned:
        return turned
    if not reads:
        return "", 0.0
    return reads[0][1], reads[0][0]
