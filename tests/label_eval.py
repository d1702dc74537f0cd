"""Score the visible-label detector on a labelled set: recall, text, measured-height error."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from label_builders import Case
from markcheck.detectors.text import detect_text
from markcheck.model import TextRegion


@dataclass(frozen=True)
class Scored:
    case: Case
    region: TextRegion | None  # the detected line over the rendered label, if any

    @property
    def error(self) -> float | None:
        """Measured / true height - 1."""
        if self.region is None:
            return None
        return self.region.height_ratio / self.case.truth.height_ratio - 1


def over_label(bbox, case: Case) -> bool:
    """A detected box [x, y, w, h] lies over the rendered label (its centre near the ink)."""
    x, y, w, h = bbox
    tx, ty, tw, th = case.truth.bbox
    cx, cy = x + w / 2, y + h / 2
    return tx - 0.2 * th <= cx <= tx + tw + 0.2 * th and ty - 0.5 * th <= cy <= ty + 1.5 * th


def score(cases: list[Case]) -> list[Scored]:
    scored = []
    for case in cases:
        regions, _ = detect_text(case.path)
        over = [r for r in regions if over_label(r.bbox, case)]
        # A line taken as a label stands for the drawn label before other text over it (a
        # page's heading the label was drawn across).
        over = [r for r in over if r.is_label] or over
        scored.append(Scored(case, max(over, key=lambda r: r.bbox[2]) if over else None))
    return scored


def summary(scored: list[Scored]) -> dict[str, float]:
    found = [s for s in scored if s.region is not None]
    errors = np.array([s.error for s in found]) if found else np.zeros(1)
    return {
        "cases": len(scored),
        "recall": len(found) / len(scored),
        "text_exact": sum(s.region.text == s.case.truth.text for s in found) / max(1, len(found)),
        "median_abs_error": float(np.median(np.abs(errors))),
        "p95_abs_error": float(np.percentile(np.abs(errors), 95)),
        "median_error": float(np.median(errors)),
    }
