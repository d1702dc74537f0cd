"""Vertical labels: a column of upright glyphs (竖排 AI生成 down a picture's side), found
among the detector's boxes, read and measured.

The recogniser reads horizontal lines only. A column of upright CJK glyphs is cut into one
cell per glyph and the cells are set side by side: the same glyphs, now on a line it can read.
An ideograph is set on a square, so a column's glyphs follow one another about their ink's
width apart: the number of glyphs is taken from the column's length over that width, within
the spacings labels are set with. A wrong count splits a glyph or joins two, and reads less
surely than the right one.

A column can also be a line turned a quarter (a label reading up or down a side, its glyphs
on their sides): read turned back, it is a line, whose glyphs' height is the column's width.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable

import cv2
import numpy as np

from markcheck.detectors.ink import InkMeasure, measure_ink
from markcheck.detectors.text_boxes import Box
from markcheck.vocabulary.wording import LabelMatch, as_read, classify_label_text, read_in_part

# Recognises crops (BGR): text and mean character confidence of each.
Reader = Callable[[list[np.ndarray]], list[tuple[str, float]]]

# A detector box at least this many times taller than wide is a column, not a line. A short
# column ("AI生成", its Latin letters narrow) is boxed under 2x (1.7x) and went unread: of
# 300 columns drawn 5-9 % high, 10 were failed at 2.0, 2 at 1.6 (both read as rows of
# letters); 350 pictures without a label read no more labels, nor more in part.
COLUMN_ASPECT = 1.6
# Boxes of one column the detector split: their columns overlap by this share of the
# narrower, and the gap between them is at most this many widths.
SAME_COLUMN, COLUMN_GAP = 0.5, 0.8
MAX_PIECE_WIDTH = 1.3  # a piece of a column (not itself tall) is at most this x its width
MIN_GLYPHS, MAX_GLYPHS = 2, 16
# Upright glyphs in a column follow one another about PITCH x their ink's width apart (an
# ideograph's ink is ~0.9 of its square; labels are set solid or a little spaced).
MIN_PITCH, PITCH, MAX_PITCH = 0.95, 1.15, 1.45
SNAP = 0.3  # a cut between glyphs moves at most this share of a step to the gap between them


def _adjoins(column: Box, box: Box) -> bool:
    """`box` lies in `column`'s columns (SAME_COLUMN) and at most COLUMN_GAP of the narrower's
    width above or below it (or overlapping it)."""
    across = min(column.x1, box.x1) - max(column.x0, box.x0)
    narrower = min(column.x1 - column.x0, box.x1 - box.x0)
    gap = max(box.y0 - column.y1, column.y0 - box.y1)
    return across >= SAME_COLUMN * narrower and gap <= COLUMN_GAP * narrower


def _join(column: Box, box: Box) -> None:
    column.x0, column.x1 = min(column.x0, box.x0), max(column.x1, box.x1)
    column.y0, column.y1 = min(column.y0, box.y0), max(column.y1, box.y1)


def _covers(column: Box, box: Box) -> bool:
    return (
        column.x0 <= box.x0 and box.x1 <= column.x1
        and column.y0 <= box.y0 and box.y1 <= column.y1
    )  # fmt: skip


def columns_of(boxes: list[Box]) -> list[Box]:
    """The columns among detector `boxes`, boxes of one column joined, tallest first. A
    column's piece the detector boxed on its own may be no taller than wide (its last glyph or
    two, "AI生成" cut after 生): a box at most MAX_PIECE_WIDTH x a column's width that
    adjoins it is part of it."""
    tall = [b for b in boxes if b.height >= COLUMN_ASPECT * (b.x1 - b.x0)]
    tall.sort(key=lambda b: b.y0)  # top first: a column's lower boxes join its upper ones
    columns: list[Box] = []
    for box in tall:
        for column in columns:
            if _adjoins(column, box):
                _join(column, box)
                break
        else:
            columns.append(Box(box.x0, box.y0, box.x1, box.y1))
    pieces = [b for b in boxes if b.height < COLUMN_ASPECT * (b.x1 - b.x0)]
    for column in columns:
        joined = True
        while joined:  # a piece joined may bring the next within reach
            joined = False
            for piece in pieces:
                narrow = piece.x1 - piece.x0 <= MAX_PIECE_WIDTH * (column.x1 - column.x0)
                if narrow and _adjoins(column, piece) and not _covers(column, piece):
                    _join(column, piece)
                    joined = True
    return sorted(columns, key=lambda c: -c.height)


def glyph_counts(extent: float, glyph: float) -> list[int]:
    """How many glyphs `glyph` wide (their ink) a column's text `extent` long may hold, the
    likeliest first: glyphs follow one another MIN_PITCH to MAX_PITCH of their width apart."""
    glyph = max(glyph, 1.0)
    fewest = max(MIN_GLYPHS, math.ceil(extent / (MAX_PITCH * glyph)))
    most = min(MAX_GLYPHS, math.floor(extent / (MIN_PITCH * glyph)))
    likeliest = extent / (PITCH * glyph)
    return sorted(range(fewest, most + 1), key=lambda n: abs(n - likeliest))


def cells(column: np.ndarray, glyphs: int) -> list[np.ndarray]:
    """`column` (BGR, rows x columns x 3) cut into `glyphs` cells, top first: at equal steps,
    each cut moved to the quietest row (the least edge energy) within SNAP of a step, the gap
    between two glyphs, so a cell does not end in the next glyph's top."""
    step = column.shape[0] / glyphs
    grey = cv2.cvtColor(column, cv2.COLOR_BGR2GRAY).astype(np.float32)
    energy = np.abs(cv2.Sobel(grey, cv2.CV_32F, 1, 0)) + np.abs(cv2.Sobel(grey, cv2.CV_32F, 0, 1))
    rows = np.convolve(energy.sum(axis=1), np.ones(3) / 3, mode="same")
    cuts = [0]
    for i in range(1, glyphs):
        low = max(cuts[-1] + 1, round((i - SNAP) * step))
        high = min(column.shape[0] - 1, round((i + SNAP) * step))
        cuts.append(low + int(np.argmin(rows[low : high + 1])) if high >= low else round(i * step))
    cuts.append(column.shape[0])
    return [column[top:bottom] for top, bottom in zip(cuts[:-1], cuts[1:], strict=True)]


def restack(column: np.ndarray, glyphs: int) -> np.ndarray:
    """The glyphs of `column` set side by side, left to right in reading order (top first)."""
    parts = cells(column, glyphs)
    height = max(part.shape[0] for part in parts)
    # Cells of unequal heights are centred on a line of the tallest one's height, the rows
    # over and under a shorter one repeating its own edge rows (no new colour on the line).
    return np.ascontiguousarray(np.concatenate([_centred(part, height) for part in parts], axis=1))


def _centred(part: np.ndarray, height: int) -> np.ndarray:
    above = (height - part.shape[0]) // 2
    below = height - part.shape[0] - above
    return cv2.copyMakeBorder(part, above, below, 0, 0, cv2.BORDER_REPLICATE)


def glyph_rows(column: np.ndarray, glyph: float) -> np.ndarray:
    """The rows of a column's box (BGR) that hold its glyphs: the detector's box reaches as far
    past the glyphs' ends as past their sides."""
    margin = max(0, round((column.shape[1] - glyph) / 2))
    return np.ascontiguousarray(column[margin : max(margin + 1, column.shape[0] - margin)])


def read_column(
    read: Reader, column: np.ndarray, ink: InkMeasure | None, min_score: float
) -> tuple[np.ndarray, float, list[tuple[float, str, int, LabelMatch]]]:
    """A column's box (BGR) read: the rows holding its glyphs, their width (from `ink`, the
    measure across the column; half the box's width without one) and `column_reads` of them."""
    glyph = min(b - t for t, b in ink.estimates) if ink else column.shape[1] / 2
    crop = glyph_rows(column, glyph)
    return crop, glyph, column_reads(read, crop, glyph, min_score)


def column_reads(
    read: Reader, crop: np.ndarray, glyph: float, min_score: float
) -> list[tuple[float, str, int, LabelMatch]]:
    """(score, text, glyph count, wording) of a column (BGR `crop`) read at each glyph count
    its length over its glyphs' width allows, the likeliest first, while a count reads as
    text at all (a column of texture reads as nothing)."""
    reads = []
    for glyphs in glyph_counts(crop.shape[0], glyph):
        text, score = read([restack(crop, glyphs)])[0]
        if score < min_score or not text.strip():
            break
        text = _column_text(text)
        reads.append((score, text, glyphs, classify_label_text(text)))
    return reads


def turned_reading(read: Reader, column: np.ndarray, min_score: float) -> tuple[str, float] | None:
    """A column's box (BGR) read as a line turned a quarter either way (a label reading up or
    down a side): the surer of the two readings where it is a Chinese-compliant label; None
    where neither is. (Upright glyphs turned read as no label.)"""
    readings = read([np.ascontiguousarray(np.rot90(column, turn)) for turn in (1, -1)])
    readings = [(as_read(text), score) for text, score in readings if score >= min_score]
    labels = [r for r in readings if classify_label_text(r[0]).is_cn_label]
    return max(labels, key=lambda reading: reading[1]) if labels else None


def taken_reading(
    reads: list[tuple[float, str, int, LabelMatch]],
) -> tuple[float, str, int, LabelMatch] | None:
    """The reading a column is taken as, of its `reads` (column_reads). A wrong glyph count
    splits a glyph in two or joins two: it reads less surely, or as a label whose generation
    element is broken (AI生工成 for AI生成). So the surest count that reads as a compliant label
    comes first; then one read like a label in part (the upright I, a bare stroke in its own
    square, lost between the cells: 由A生成), which the rules leave for review; then any
    label. None where no count reads as any of these (a column of texture read as letters)."""
    for taken in (
        [r for r in reads if r[3].is_cn_label],
        [r for r in reads if not r[3].is_label and read_in_part(r[1])],
        [r for r in reads if r[3].is_label],
    ):
        if taken:
            return max(taken, key=lambda r: r[0])
    return None


def tallest_glyph(crop: np.ndarray, glyphs: int) -> float:
    """The ink height of the tallest of the `glyphs` in a column (BGR `crop`), each measured
    in its own cell (0 where none measures)."""
    heights = [0.0]
    for cell in cells(crop, glyphs):
        ink = measure_ink(np.ascontiguousarray(cell[:, :, ::-1]))
        if ink:
            heights.append(float(min(b - t for t, b in ink.estimates)))
    return max(heights)


def _column_text(text: str) -> str:
    """A column's reading as a person reads it: upright Latin letters sit in a glyph's square
    and are read full-width (ＡＩ); punctuation is a glyph's part cut off by a cell's end."""
    text = unicodedata.normalize("NFKC", text)
    return as_read("".join(c for c in text if not unicodedata.category(c).startswith("P")))


def across(sharp: np.ndarray, box: tuple[int, int, int, int], context: float) -> InkMeasure | None:
    """The ink measure of the column in `box` made across it, as of a line (its pixels
    transposed, with `context` x its width of the picture on either side): its rows are the
    column's widths."""
    x0, y0, x1, y1 = box
    pad = max(2, round(context * (x1 - x0)))
    c0, c1 = max(0, x0 - pad), min(sharp.shape[1], x1 + pad)
    crop = np.ascontiguousarray(sharp[y0:y1, c0:c1].transpose(1, 0, 2))
    return measure_ink(crop, (x0 - c0, x1 - c0), marks=False)
