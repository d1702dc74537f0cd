"""Labels drawn on a small picture that was then enlarged (a platform's 2-2.5x upscale): soft,
translucent glyphs over a busy photograph, which the ink measure can read far too tall."""

from __future__ import annotations

import pytest
from PIL import Image

from label_builders import photo, render_label
from markcheck import scan

# Each picture as it was drawn: the photograph and its size, the label (its text, place, font,
# margin and the height under the threshold it was drawn at), how it was enlarged, its JPEG
# quality, and its style where not translucent text. Each passed `cn.explicit.size` before its
# measure was widened.
ENLARGED = {
    # Over an astronaut's white suit; the measure took in the camera beside it (8.6 % read).
    "suit": (("astronaut", (512, 512)), ("AI生成", "right", "kai", 0.0363, 0.0489),
             (2.0, Image.BICUBIC, 92)),
    # White glyphs outlined in black, drawn 14 px high and enlarged to 28: the outline, blurred
    # into them, is measured as glyph (5.7 % read on 1 px of margin).
    "outlined": (("camera", (400, 300)), ("人工智能生成", "bottom-left", "kai", 0.02, 0.047),
                 (2.0, Image.BICUBIC, 82), "dark"),
    # Over light gravel, under 2:1 against it (5.6 % read).
    "gravel": (("gravel", (640, 480)), ("内容由AI生成", "top-left", "kai", 0.0507, 0.0447),
               (2.5, Image.BILINEAR, 80)),
    # Serif strokes over grass, under 2:1 (6.4 % read).
    "grass": (("grass", (960, 540)), ("AI生成", "right", "serif", 0.0566, 0.0433),
              (2.5, Image.BILINEAR, 85)),
}  # fmt: skip


def enlarged(tmp_path, name: str, ratio: float | None = None):
    """The picture `name` drawn at its own label height, or at `ratio`; and the drawn ink's
    share of the shortest side (which enlarging keeps)."""
    (picture, size), (text, position, font, margin, drawn), how, *style = ENLARGED[name]
    factor, resample, quality = how
    image, truth = render_label(
        photo(picture, size), text, ratio or drawn, position, *style or ["translucent-text"],
        font, margin,
    )  # fmt: skip
    image = image.resize((round(size[0] * factor), round(size[1] * factor)), resample)
    path = tmp_path / f"{name}-{ratio or drawn}.jpg"
    image.save(path, quality=quality)
    return path, truth.height_ratio


def size_outcome(path) -> str:
    (item,) = scan([path], select=["cn.explicit"], assume_ai=True).files
    return {f.rule: f.outcome for f in item.findings}["cn.explicit.size"]


@pytest.mark.parametrize("name", sorted(ENLARGED))
def test_an_enlarged_label_under_the_threshold_never_passes(tmp_path, name):
    path, drawn = enlarged(tmp_path, name)
    assert drawn < 0.05
    assert size_outcome(path) != "pass"


@pytest.mark.parametrize("name", sorted(ENLARGED))
def test_an_enlarged_label_well_over_the_threshold_still_passes(tmp_path, name):
    path, drawn = enlarged(tmp_path, name, 0.09)
    assert drawn > 0.08
    assert size_outcome(path) == "pass"
