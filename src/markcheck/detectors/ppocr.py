"""The PP-OCR detection and recognition networks on onnxruntime, without rapidocr's pipeline.

rapidocr ships the models and is what markcheck's pre- and post-processing follow step for
step (DB post-processing, CTC decoding), but importing its pipeline builds ~1 s of
configuration objects in every worker process, and its detector also cuts a rotated crop of
every box, which markcheck never uses. Here a worker starts in the time onnxruntime takes to
load the two models, and the boxes and texts are the ones rapidocr gives for the same input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

# rapidocr's defaults for the PP-OCR models (its config.yaml), kept so results are the same.
DB_THRESH = 0.3  # probability a pixel of the map must pass to be text
DB_BOX_THRESH = 0.5  # mean probability over a box for it to be kept
DB_UNCLIP = 1.6  # the shrunk text kernel is grown back by area x this / perimeter
DB_MIN_SIDE = 3
DB_MAX_CANDIDATES = 1000
MIN_SIDE, MAX_SIDE = 30, 2000  # a detection input is resized to fit within these
PAD_MIN_HEIGHT, PAD_RATIO = 30, 8  # a low or very wide input is padded above and below
REC_SHAPE = (3, 48, 320)  # recognition canvas: channels, height, minimum width
REC_BATCH = 6
BATCH_SPREAD = 1.25  # widest / narrowest canvas of the crops read in one run, at most


def model_path(name: str) -> str:
    """A model file inside the rapidocr wheel, named explicitly so nothing is ever fetched."""
    import importlib.util

    spec = importlib.util.find_spec("rapidocr")  # located, not imported: no start-up cost
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the rapidocr package (which ships the OCR models) is missing")
    path = Path(spec.origin).parent / "models" / name
    if not path.is_file():
        raise FileNotFoundError(f"OCR model {name} is missing from the rapidocr package")
    return str(path)


def session(model: str, threads: int):
    """An onnxruntime session on the CPU with `threads` threads for one operator."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # The arena reuses buffers between pictures: ~15 % faster per picture.
    options.enable_cpu_mem_arena = True
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])


class Detector:
    """DB text detection: quadrilaterals (4 x 2 points) of text on a BGR picture."""

    def __init__(self, model: str, threads: int) -> None:
        self.session = session(model, threads)
        self.input = self.session.get_inputs()[0].name

    def __call__(self, image: np.ndarray) -> np.ndarray:
        height, width = image.shape[:2]
        image, ratio_h, ratio_w = _within_bounds(image)
        pad = 0
        h, w = image.shape[:2]
        if h <= PAD_MIN_HEIGHT or w / h > PAD_RATIO:
            pad = int(abs(max(int(w / PAD_RATIO), PAD_MIN_HEIGHT) * 2 - h) / 2)
            image = cv2.copyMakeBorder(image, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=0)
        h, w = image.shape[:2]
        ratio = 32 / min(h, w) if min(h, w) < 32 else 1.0
        size = (round(int(w * ratio) / 32) * 32, round(int(h * ratio) / 32) * 32)
        if size[0] <= 0 or size[1] <= 0:
            return np.zeros((0, 4, 2), np.float32)
        resized = cv2.resize(image, size)
        # (x / 255 - 0.5) / 0.5, channels first, in float32: what the network was trained on.
        blob = cv2.dnn.blobFromImage(resized, 1 / 127.5, mean=(127.5, 127.5, 127.5))
        probability = self.session.run(None, {self.input: blob})[0][0, 0]
        boxes = _reading_order(_db_boxes(probability, w, h))
        if len(boxes) == 0:
            return np.zeros((0, 4, 2), np.float32)
        boxes[:, :, 1] -= pad
        boxes[:, :, 0] *= ratio_w
        boxes[:, :, 1] *= ratio_h
        boxes = np.maximum(boxes, 0)
        boxes[..., 0] = np.minimum(boxes[..., 0], width)
        boxes[..., 1] = np.minimum(boxes[..., 1], height)
        return boxes


def _within_bounds(image: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Resize an input whose longest side is over MAX_SIDE or shortest under MIN_SIDE."""
    ratio_h = ratio_w = 1.0
    for limit, too in ((MAX_SIDE, max), (MIN_SIDE, min)):
        h, w = image.shape[:2]
        side = too(h, w)
        if (side > limit) if too is max else (side < limit):
            ratio = limit / side
            size = (round(int(w * ratio) / 32) * 32, round(int(h * ratio) / 32) * 32)
            image = cv2.resize(image, size)
            ratio_h, ratio_w = h / size[1], w / size[0]
    return image, ratio_h, ratio_w


def _db_boxes(probability: np.ndarray, dest_w: int, dest_h: int) -> np.ndarray:
    """Boxes from the DB probability map, in a `dest_w` x `dest_h` picture's pixels."""
    import pyclipper

    height, width = probability.shape
    mask = cv2.dilate((probability > DB_THRESH).astype(np.uint8), np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(mask * 255, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for contour in contours[:DB_MAX_CANDIDATES]:
        points, side = _mini_box(contour)
        if side < DB_MIN_SIDE or _box_score(probability, points) < DB_BOX_THRESH:
            continue
        corners = points.astype(np.float64)
        area = 0.5 * abs(np.dot(corners[:, 0], np.roll(corners[:, 1], 1))
                         - np.dot(corners[:, 1], np.roll(corners[:, 0], 1)))  # fmt: skip
        length = float(np.linalg.norm(corners - np.roll(corners, 1, axis=0), axis=1).sum())
        offset = pyclipper.PyclipperOffset()
        offset.AddPath(points, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
        grown = np.array(offset.Execute(area * DB_UNCLIP / length)).reshape((-1, 1, 2))
        box, side = _mini_box(grown)
        if side < DB_MIN_SIDE + 2:
            continue
        box[:, 0] = np.clip(np.round(box[:, 0] / width * dest_w), 0, dest_w)
        box[:, 1] = np.clip(np.round(box[:, 1] / height * dest_h), 0, dest_h)
        box = _clockwise(box.astype(np.int32).astype(np.float32))
        box[:, 0] = np.clip(box[:, 0], 0, dest_w - 1).astype(np.int32)
        box[:, 1] = np.clip(box[:, 1], 0, dest_h - 1).astype(np.int32)
        if int(np.linalg.norm(box[0] - box[1])) <= 3 or int(np.linalg.norm(box[0] - box[3])) <= 3:
            continue
        boxes.append(box)
    return np.array(boxes, dtype=np.float32).reshape((-1, 4, 2))


def _reading_order(boxes: np.ndarray) -> np.ndarray:
    """Top to bottom, then left to right within a line (rows less than 10 px apart)."""
    if len(boxes) == 0:
        return boxes
    by_y = np.argsort(boxes[:, 0, 1], kind="stable")
    boxes = boxes[by_y]
    lines = np.concatenate([[0], np.cumsum(np.diff(boxes[:, 0, 1]) >= 10)])
    return boxes[np.lexsort((boxes[:, 0, 0], lines))]


def _mini_box(contour: np.ndarray) -> tuple[np.ndarray, float]:
    """The minimum-area rectangle of a contour, its corners in DB's order, and its short side."""
    rect = cv2.minAreaRect(contour)
    points = sorted(cv2.boxPoints(rect), key=lambda p: p[0])
    first, fourth = (0, 1) if points[1][1] > points[0][1] else (1, 0)
    second, third = (2, 3) if points[3][1] > points[2][1] else (3, 2)
    box = np.array([points[first], points[second], points[third], points[fourth]])
    return box, min(rect[1])


def _box_score(probability: np.ndarray, box: np.ndarray) -> float:
    """Mean probability inside the box (DB's "fast" score)."""
    h, w = probability.shape
    x0 = int(np.clip(np.floor(box[:, 0].min()), 0, w - 1))
    x1 = int(np.clip(np.ceil(box[:, 0].max()), 0, w - 1))
    y0 = int(np.clip(np.floor(box[:, 1].min()), 0, h - 1))
    y1 = int(np.clip(np.ceil(box[:, 1].max()), 0, h - 1))
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
    shifted = box - np.array([x0, y0], dtype=box.dtype)
    cv2.fillPoly(mask, shifted.reshape(1, -1, 2).astype(np.int32), 1)
    return cv2.mean(probability[y0 : y1 + 1, x0 : x1 + 1], mask)[0]


def _clockwise(points: np.ndarray) -> np.ndarray:
    by_x = points[np.argsort(points[:, 0]), :]
    left, right = by_x[:2], by_x[2:]
    top_left, bottom_left = left[np.argsort(left[:, 1]), :]
    top_right, bottom_right = right[np.argsort(right[:, 1]), :]
    return np.array([top_left, top_right, bottom_right, bottom_left], dtype=np.float32)


@dataclass(frozen=True)
class Read:
    """A crop's text and mean character confidence, and for each character the crop's
    columns it was read from (first, last + 1) and its confidence."""

    text: str
    score: float
    columns: list[tuple[float, float]]
    confidences: list[float]


class Recognizer:
    """CRNN/SVTR text recognition with CTC decoding of text lines (BGR crops)."""

    def __init__(self, model: str, threads: int, shape: tuple[int, int, int] = REC_SHAPE) -> None:
        self.session = session(model, threads)
        self.input = self.session.get_inputs()[0].name
        meta = self.session.get_modelmeta().custom_metadata_map
        # The model carries its character set; index 0 is CTC's blank, the last a space.
        self.characters = ["blank", *meta["character"].splitlines(), " "]
        self.shape = shape

    def __call__(
        self, crops: list[np.ndarray], min_width: int | None = None
    ) -> list[tuple[str, float]]:
        """Text and mean character confidence of each crop, in the order given; a canvas is
        at least `min_width` wide (the model's default width unless given)."""
        return [(read.text, read.score) for read in self.read_each(crops, min_width)]

    def read_each(self, crops: list[np.ndarray], min_width: int | None = None) -> list[Read]:
        """As calling the recogniser, with where and how surely each character was read."""
        height = self.shape[1]
        min_width = min_width or self.shape[2]
        ratios = [c.shape[1] / float(c.shape[0]) for c in crops]
        order = [int(i) for i in np.argsort(np.array(ratios))]
        results: list[Read] = [Read("", 0.0, [], [])] * len(crops)
        for batch in _batches(order, [max(min_width / height, r) for r in ratios]):
            width = int(height * max([min_width / height] + [ratios[i] for i in batch]))
            canvas = np.stack([_canvas(crops[i], height, width) for i in batch])
            scores = self.session.run(None, {self.input: canvas})[0]
            for i, row in zip(batch, scores, strict=True):
                results[i] = self._read(row, crops[i].shape[:2], width)
        return results

    def _read(self, row: np.ndarray, shape: tuple[int, int], width: int) -> Read:
        """One crop's `row` of the network's output on a canvas `width` wide, CTC-decoded."""
        h, w = shape
        resized_w = min(width, int(math.ceil(self.shape[1] * w / float(h))))
        to_crop = width / len(row) * w / resized_w  # one time step, in the crop's columns
        index, probability = row.argmax(axis=1), row.max(axis=1)
        columns, confidences, characters = [], [], []
        for step in np.flatnonzero(_emitted(index)):
            end = step + 1  # a character's run of time steps: its first and its repeats
            while end < len(index) and index[end] == index[step]:
                end += 1
            columns.append((step * to_crop, end * to_crop))
            confidences.append(float(probability[step]))
            characters.append(self.characters[index[step]])
        score = float(np.mean([round(c, 5) for c in confidences] or [0.0]).round(5))
        return Read("".join(characters), score, columns, confidences)

    def located(self, crop: np.ndarray) -> tuple[str, list[tuple[float, float]]]:
        """The text of one crop and, for each of its characters, the crop's columns it was
        read from (first, last + 1): CTC emits a character where the network sees it."""
        text, _, columns = self.located_scored(crop)
        return text, columns

    def located_scored(self, crop: np.ndarray) -> tuple[str, float, list[tuple[float, float]]]:
        """As `located`, with the mean character confidence `__call__` gives the crop read
        alone (the same canvas, one run of the network)."""
        read = self.read_each([crop])[0]
        return read.text, read.score, read.columns


def _emitted(index: np.ndarray) -> np.ndarray:
    """CTC decoding: the time steps that emit a character (not blank, not a repeat)."""
    keep = np.ones(len(index), dtype=bool)
    keep[1:] = index[1:] != index[:-1]
    return keep & (index != 0)


def _batches(order: list[int], widths: list[float]) -> list[list[int]]:
    """Runs of up to REC_BATCH crops (in `order`, narrowest first) whose canvases differ by
    at most BATCH_SPREAD: the network's cost follows the canvas, and a batch shares the
    widest one, so a short line is not read at a long line's width."""
    batches: list[list[int]] = []
    for i in order:
        if (
            batches
            and len(batches[-1]) < REC_BATCH
            and (widths[i] <= BATCH_SPREAD * widths[batches[-1][0]])
        ):
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def _canvas(crop: np.ndarray, height: int, width: int) -> np.ndarray:
    """`crop` resized to `height`, normalised to [-1, 1], left-aligned on a `width` canvas."""
    h, w = crop.shape[:2]
    resized_w = min(width, int(math.ceil(height * w / float(h))))
    resized = cv2.resize(crop, (resized_w, height)).astype(np.float32)
    out = np.zeros((crop.shape[2], height, width), dtype=np.float32)
    out[:, :, :resized_w] = resized.transpose((2, 0, 1)) / 255
    out[:, :, :resized_w] -= 0.5
    out[:, :, :resized_w] /= 0.5
    return out
