"""Visible labels in video: when does the label show, from the first frame on, and how long?

Sampling: every frame of the first WINDOW_S seconds is decoded (needed for ±0.1 s), but OCR
runs only on the first frame, then on frames where the label region stops matching its first
appearance (a cheap mean-difference test); if the first frame has no label, every
SEARCH_EVERY_S seconds of the window is read to find a later one. Beyond the window, one frame
every SPARSE_EVERY_S seconds is read for middle and end labels (optional, but reported).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from markcheck.detectors.text import detect_in_pixels
from markcheck.detectors.wording import classify_label_text
from markcheck.media.video import frames, keyframes
from markcheck.model import TextRegion

WINDOW_S = 3.0
SEARCH_EVERY_S = 0.5
SPARSE_EVERY_S = 2.0
SPARSE_LIMIT = 30  # key frames read after the window, at most
SAME_REGION = 0.06  # mean absolute difference (0..1) under which the label is unchanged


def _labels(pixels: np.ndarray, threads: int) -> list[TextRegion]:
    height, width = pixels.shape[:2]
    found = detect_in_pixels(pixels, 1.0, width, height, threads=threads)
    return [r for r in found if classify_label_text(r.text).is_disclosure]


def _patch(pixels: np.ndarray, bbox: list[int]) -> np.ndarray:
    x, y, w, h = bbox
    return pixels[max(0, y) : y + h, max(0, x) : x + w].astype(np.float32) / 255.0


def _same(reference: np.ndarray, pixels: np.ndarray, bbox: list[int]) -> bool:
    patch = _patch(pixels, bbox)
    return patch.shape == reference.shape and float(np.abs(patch - reference).mean()) < SAME_REGION


def find_video_labels(path: Path, threads: int = 0) -> tuple[list[TextRegion], tuple[int, int]]:
    """Labels with the span they were seen (`time_s`), and the upright frame size."""
    regions: list[TextRegion] = []
    current: TextRegion | None = None
    reference: np.ndarray | None = None
    size = (0, 0)
    next_search = 0.0
    frame_step = 0.0
    for frame in frames(path, WINDOW_S):
        size = (frame.pixels.shape[1], frame.pixels.shape[0])
        if frame.time_s > 0 and not frame_step:
            frame_step = frame.time_s
        if current is not None:
            if _same(reference, frame.pixels, current.bbox):
                current.time_s[1] = frame.time_s
                continue
            still = [r for r in _labels(frame.pixels, threads) if r.text == current.text]
            if still:
                current.time_s[1] = frame.time_s
                reference = _patch(frame.pixels, current.bbox)
                continue
            current = None  # the label ended here
            next_search = frame.time_s + SEARCH_EVERY_S
            continue
        if frame.time_s + 1e-6 < next_search:
            continue
        next_search = frame.time_s + SEARCH_EVERY_S
        found = _labels(frame.pixels, threads)
        if found:
            current = max(found, key=lambda r: r.height_ratio)
            current.time_s = [frame.time_s, frame.time_s]
            reference = _patch(frame.pixels, current.bbox)
            regions.append(current)
    step = frame_step or 0.04
    for region in regions:  # a frame shows until the next one starts
        region.time_s = [round(region.time_s[0], 3), round(region.time_s[1] + step, 3)]
    for frame in keyframes(path, WINDOW_S, SPARSE_EVERY_S, SPARSE_LIMIT):
        for region in _labels(frame.pixels, threads):
            region.time_s = [round(frame.time_s, 3), round(frame.time_s + step, 3)]
            regions.append(region)
    return regions, size
