"""Find and measure visible text on images with PP-OCR (rapidocr + onnxruntime, offline).

Cost follows the threshold: a compliant label is at least `min_ratio` (5 %) of the shortest
side high, so the picture is shrunk until such text is about DETECT_TEXT_PX tall before the
detection network runs once; only boxes tall enough to matter are recognised, cropped from a
sharper decode (READ_SCALE times the detection size). Labels down to about 2 % are still found
on typical pictures, so a report can say "label present but too small".
"""

from __future__ import annotations

import importlib.metadata
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from markcheck.detectors.ink import measure_ink
from markcheck.evidence import provider
from markcheck.media.image import ImageDecodeError, load_image
from markcheck.media.video import VideoError
from markcheck.model import Evidence, TextRegion
from markcheck.options import ScanOptions

DETECT_TEXT_PX = 18  # height of threshold-size text in the image the detector sees
READ_SCALE = 2  # recognition crops come from a decode this many times sharper
MIN_BOX_RATIO = 0.012  # boxes lower than this share of the shortest side are not read
MIN_TEXT_SCORE = 0.5
MAX_BOXES = 24  # the tallest boxes are read; a picture full of text stays cheap
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
DEFAULT_MIN_RATIO = 0.05

_engines: dict[int, object] = {}


def _bundled_model(name: str) -> str:
    """A model file inside the rapidocr wheel, named explicitly so nothing is ever fetched."""
    import rapidocr

    path = Path(rapidocr.__file__).parent / "models" / name
    if not path.is_file():
        raise FileNotFoundError(f"OCR model {name} is missing from the rapidocr package")
    return str(path)


_lock = threading.Lock()


def _engine(threads: int):
    """One engine per process (model load ~1 s), created on first use."""
    with _lock:
        if threads not in _engines:
            from rapidocr import RapidOCR

            _engines[threads] = RapidOCR(
                params={
                    "Global.use_cls": False,
                    "Global.log_level": "error",
                    "Det.limit_type": "min",
                    "Det.limit_side_len": 32,  # markcheck sizes the input itself
                    "Det.model_path": _bundled_model(DET_MODEL),
                    "Rec.model_path": _bundled_model(REC_MODEL),
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                    # The arena reuses buffers between pictures: ~15 % faster per picture.
                    "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
                }
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


@dataclass
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def _merge_lines(boxes: list[_Box]) -> list[_Box]:
    """Join boxes that continue one line (OCR splits "人工智能生成" in two, for example)."""
    boxes = sorted(boxes, key=lambda b: b.x0)
    merged: list[_Box] = []
    for box in boxes:
        for line in merged:
            overlap = min(line.y1, box.y1) - max(line.y0, box.y0)
            similar = max(line.height, box.height) <= 1.6 * min(line.height, box.height)
            near = box.x0 - line.x1 <= 0.8 * max(line.height, box.height)
            if overlap >= 0.5 * min(line.height, box.height) and similar and near:
                line.x1 = max(line.x1, box.x1)
                line.y0, line.y1 = min(line.y0, box.y0), max(line.y1, box.y1)
                break
        else:
            merged.append(_Box(box.x0, box.y0, box.x1, box.y1))
    return merged


def position_of(x: float, y: float, w: float, h: float, width: int, height: int) -> str:
    """Nine-way position of a box's centre: thirds of the picture in each direction."""
    cx, cy = (x + w / 2) / width, (y + h / 2) / height
    column = "left" if cx < 1 / 3 else "right" if cx > 2 / 3 else ""
    row = "top" if cy < 1 / 3 else "bottom" if cy > 2 / 3 else ""
    if row and column:
        return f"{row}-{column}"
    return row or column or "center"


def detect_text(
    path: Path, min_ratio: float = DEFAULT_MIN_RATIO, threads: int = 0
) -> tuple[list[TextRegion], tuple[int, int]]:
    """Text lines on the picture, measured in original pixels; and the picture's size."""
    detect_short = max(96, round(DETECT_TEXT_PX / min_ratio))
    decoded = load_image(path, detect_short * READ_SCALE)
    regions = detect_in_pixels(
        decoded.pixels, decoded.scale, decoded.width, decoded.height, min_ratio, threads
    )
    return regions, (decoded.width, decoded.height)


def detect_in_pixels(
    pixels: np.ndarray,
    scale: float,
    width: int,
    height: int,
    min_ratio: float = DEFAULT_MIN_RATIO,
    threads: int = 0,
) -> list[TextRegion]:
    """Text lines on RGB `pixels` (`scale` x a `width` x `height` picture), in original pixels."""
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
    found = engine(
        np.ascontiguousarray(small[:, :, ::-1]), use_det=True, use_cls=False, use_rec=False
    )
    if found.boxes is None or len(found.boxes) == 0:
        return []
    to_sharp = 1.0 / shrink
    min_height = MIN_BOX_RATIO * short
    boxes = []
    for quad in found.boxes:
        xs, ys = quad[:, 0] * to_sharp, quad[:, 1] * to_sharp
        box = _Box(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        if box.height >= min_height:
            boxes.append(box)
    lines = sorted(_merge_lines(boxes), key=lambda b: -b.height)[:MAX_BOXES]
    crops, kept = [], []
    height_px, width_px = sharp.shape[:2]
    for line in lines:
        x0, y0 = max(0, int(line.x0)), max(0, int(line.y0))
        x1, y1 = min(width_px, int(line.x1) + 1), min(height_px, int(line.y1) + 1)
        crops.append(sharp[y0:y1, x0:x1])
        kept.append((x0, y0, x1, y1))
    if not crops:
        return []
    read = engine.recognize_txt([np.ascontiguousarray(c[:, :, ::-1]) for c in crops])
    regions = []
    shortest = min(width, height)
    for (x0, y0, x1, y1), crop, text, score in zip(
        kept, crops, read.txts, read.scores, strict=True
    ):
        if not text.strip() or score < MIN_TEXT_SCORE:
            continue
        ink = measure_ink(crop)
        top, bottom = (ink.top, ink.bottom) if ink else (0, y1 - y0)
        bx, by = x0 / scale, (y0 + top) / scale
        bw, bh = (x1 - x0) / scale, (bottom - top) / scale
        regions.append(
            TextRegion(
                text=text,
                bbox=[round(bx), round(by), round(bw), round(bh)],
                height_ratio=round(bh / shortest, 4),
                position=position_of(bx, by, bw, bh, width, height),
                confidence=round(float(score), 3),
                contrast=round(ink.contrast, 2) if ink else None,
            )
        )
    return regions


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
    read = engine.recognize_txt([np.ascontiguousarray(pixels[:, :, ::-1])])
    if not read.txts:
        return "", 0.0
    return read.txts[0], float(read.scores[0])
