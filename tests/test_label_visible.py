"""Visible labels drawn by `markcheck label`, measured by markcheck's own detector: every
cn.explicit.* rule passes on dark, light and busy pictures, small and large, both ways up."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PIL import Image

from label_builders import photo
from markcheck.labelling import LabelRequest, label
from markcheck.scanner import scan
from markcheck.writers.visible import DEFAULT_RATIO, VisibleSpec
from test_label_writers import PRODUCER, exiftool_json, exiftool_labels, tree_digest

EXPLICIT_RULES = ("cn.explicit.present", "cn.explicit.wording", "cn.explicit.position",
                  "cn.explicit.size", "cn.explicit.legible")  # fmt: skip


def _light(size):
    """A bright, low-texture picture (paper-white gradient): white text would vanish on it."""
    ramp = np.linspace(225, 250, size[0], dtype=np.float64)
    grey = np.tile(ramp, (size[1], 1))
    return Image.fromarray(np.dstack([grey, grey, grey - 8]).astype(np.uint8))


# name: (picture, size, file format, place)
PICTURES = {
    "dark-512.png": (lambda s: photo("hubble_deep_field", s), (512, 512), "PNG", "bottom-right"),
    "light-1280x720.jpg": (_light, (1280, 720), "JPEG", "bottom-left"),
    "busy-4000x3000.jpg": (lambda s: photo("chelsea", s), (4000, 3000), "JPEG", "bottom-right"),
    "busy-portrait-1200x1600.webp": (lambda s: photo("coffee", s), (1200, 1600), "WEBP",
                                     "top-right"),
    "astronaut-portrait-3000x4000.png": (lambda s: photo("astronaut", s), (3000, 4000), "PNG",
                                         "top-left"),
}  # fmt: skip


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    root = tmp_path_factory.mktemp("visible")
    src = root / "in"
    src.mkdir()
    specs = {}
    for name, (make, size, fmt, place) in PICTURES.items():
        make(size).save(src / name, format=fmt, **({"quality": 92} if fmt != "PNG" else {}))
        specs[name] = place
    before = tree_digest(src)
    results = {}
    for name, place in specs.items():
        request = LabelRequest(producer=PRODUCER, visible=VisibleSpec(place=place))
        (outcome,) = label([src / name], request, out_dir=root / "out").files
        results[name] = outcome
    judged = scan([root / "out"], ["cn-gb45438"], jobs=0)
    return root, results, {f.path: f for f in judged.files}, before


@pytest.mark.parametrize("name", PICTURES)
def test_every_explicit_rule_passes(drawn, name):
    _, results, judged, _ = drawn
    outcome = results[name]
    assert outcome.error is None, outcome.error
    assert outcome.proof["status"] == "compliant", outcome.proof
    findings = {f.rule: f.outcome for f in judged[name].findings}
    for rule in EXPLICIT_RULES:
        assert findings[rule] == "pass", (rule, judged[name].findings)


@pytest.mark.parametrize("name", PICTURES)
def test_measured_like_it_was_drawn(drawn, name):
    """The detector finds the label where it was asked for, at the height asked for."""
    _, results, judged, _ = drawn
    _, size, _, place = PICTURES[name]
    wanted = DEFAULT_RATIO  # VisibleSpec's: ink height / shortest side
    labels = [r for r in judged[name].explicit if "生成" in r.text]
    assert len(labels) == 1, judged[name].explicit
    (region,) = labels
    assert region.position == place
    assert abs(region.height_ratio - wanted) <= 0.15 * wanted
    margin = 0.03 * min(size)
    x, y, w, h = region.bbox
    near_x = x <= 2 * margin if place.endswith("left") else x + w >= size[0] - 2 * margin
    near_y = y <= 2 * margin if place.startswith("top") else y + h >= size[1] - 2 * margin
    assert near_x and near_y, (region.bbox, size)


def test_input_untouched(drawn):
    root, _, _, before = drawn
    assert tree_digest(root / "in") == before


def test_ink_height_on_the_pixels(tmp_path):
    """Lossless PNG, no backing: the rows the drawing changed are exactly the ink rows."""
    size = (900, 600)
    source = photo("hubble_deep_field", size)
    source.save(tmp_path / "d.png")
    request = LabelRequest(producer=PRODUCER, visible=VisibleSpec(backing="never"))
    label([tmp_path / "d.png"], request, out_dir=tmp_path / "out", proof=False)
    after = np.asarray(Image.open(tmp_path / "out" / "d.png").convert("RGB")).astype(int)
    changed = np.abs(after - np.asarray(source).astype(int)).sum(axis=2) > 0
    rows = np.flatnonzero(changed.any(axis=1))
    ink = rows[-1] - rows[0] + 1
    assert round(DEFAULT_RATIO * 600) <= ink <= round(DEFAULT_RATIO * 600) + 2
    assert rows[-1] == 600 - round(0.03 * 600) - 1  # bottom margin: 3 % of the short side
    cols = np.flatnonzero(changed.any(axis=0))
    assert abs(cols[-1] - (900 - round(0.03 * 600) - 1)) <= 2  # anti-aliased glyph edge


def test_metadata_survives_the_re_encode(tmp_path):
    exif = Image.Exif()
    exif[305] = "KeepSoft 1.0"
    photo("coffee", (640, 480)).save(tmp_path / "k.jpg", quality=90, exif=exif)
    request = LabelRequest(producer=PRODUCER, visible=VisibleSpec())
    (outcome,) = label([tmp_path / "k.jpg"], request, out_dir=tmp_path / "out").files
    assert outcome.proof["status"] == "compliant"
    assert exiftool_json(tmp_path / "out" / "k.jpg")["IFD0:Software"] == "KeepSoft 1.0"
    assert exiftool_labels(tmp_path / "out" / "k.jpg") == [outcome.label]


@pytest.mark.parametrize(
    ("spec", "fmt", "fault"),
    [
        (VisibleSpec(text="AI"), "png", "generation element"),
        (VisibleSpec(text="AI生成图像"), "png", "no glyph"),
        (VisibleSpec(ratio=0.04), "png", "between 0.05 and 0.3"),
    ],
)
def test_refused_before_drawing(tmp_path, spec, fmt, fault):
    path = tmp_path / f"p.{fmt}"
    photo("coffee", (320, 240)).save(path)
    request = LabelRequest(producer=PRODUCER, visible=spec)
    (outcome,) = label([path], request, out_dir=tmp_path / "out", proof=False).files
    assert fault in outcome.error["message"]
    assert not (tmp_path / "out").exists()


def test_striped_corner_without_backing_is_refused(tmp_path):
    """Black and white stripes: whichever colour the text takes, half of it has no contrast.
    (Any flat grey allows 4.58:1 with white or black text, so it never needs a backing.)"""
    stripes = np.zeros((300, 400, 3), np.uint8)
    stripes[:, ::8] = stripes[:, 1::8] = stripes[:, 2::8] = stripes[:, 3::8] = 255
    Image.fromarray(stripes).save(tmp_path / "g.png")
    request = LabelRequest(producer=PRODUCER, visible=VisibleSpec(backing="never"))
    (outcome,) = label([tmp_path / "g.png"], request, out_dir=tmp_path / "o", proof=False).files
    assert "contrast" in outcome.error["message"]


def test_cli_visible(tmp_path, cli):
    photo("rocket", (800, 600)).save(tmp_path / "r.jpg", quality=90)
    run = cli("label", "r.jpg", "--out", "out", "--producer", PRODUCER, "--visible",
              "--visible-text", "人工智能生成", cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "visible '人工智能生成'" in run.stdout and "compliant" in run.stdout
    probe = subprocess.run(["exiftool", "-s3", "-ImageSize", str(tmp_path / "out" / "r.jpg")],
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert probe.stdout.strip() == "800x600"


def test_a_16_bit_greyscale_png_keeps_its_picture(tmp_path):
    # Drawn on after Pillow's clipping conversion, the picture came out white but for the label.
    from media_builders import grey16_png

    grey = np.asarray(photo("coffee", (800, 600)).convert("L"))
    path = grey16_png(tmp_path / "grey16.png", grey)
    request = LabelRequest(producer=PRODUCER, visible=VisibleSpec(place="bottom-right"))
    (outcome,) = label([path], request, out_dir=tmp_path / "out", proof=False).files
    assert outcome.error is None, outcome.error
    after = np.asarray(Image.open(tmp_path / "out" / "grey16.png").convert("L")).astype(int)
    assert np.abs(after[:300, :400] - grey[:300, :400]).max() <= 1  # far from the label
    (judged,) = scan([tmp_path / "out"], ["cn-gb45438"]).files
    assert {f.rule: f.outcome for f in judged.findings}["cn.explicit.present"] == "pass"
