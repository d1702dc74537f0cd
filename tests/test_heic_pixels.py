"""HEIC/HEIF photos are decoded (pillow-heif) so the visible-label rules judge them."""

from __future__ import annotations

import pytest

from label_builders import photo, render_label
from markcheck import scan

pillow_heif = pytest.importorskip("pillow_heif")


def _heic(tmp_path, name, image, **kwargs):
    path = tmp_path / name
    pillow_heif.from_pillow(image).save(path, quality=90, **kwargs)
    assert path.read_bytes()[4:12] in (b"ftypheic", b"ftypmif1")  # a real HEIF file
    return path


def judge(path):
    (item,) = scan([path], select=["cn.explicit"], assume_ai=True).files
    return item, {f.rule: f.outcome for f in item.findings}


def test_heic_label_is_found_and_measured(tmp_path):
    image, truth = render_label(photo("coffee", (1280, 720)), ratio=0.06, style="box")
    item, got = judge(_heic(tmp_path, "label.heic", image))
    assert item.media.format == "heif"
    assert got["cn.explicit.present"] == "pass"
    assert got["cn.explicit.position"] == "pass"
    assert got["cn.explicit.size"] == "pass"
    (region,) = [r for r in item.explicit if "AI" in r.text]
    assert region.text == truth.text
    # Ink height measured within 15 % of the rendered glyphs (HEVC blurs edges a little).
    assert region.bbox[3] == pytest.approx(truth.ink_height, rel=0.15)


def test_heic_without_label_fails_present(tmp_path):
    item, got = judge(_heic(tmp_path, "plain.heic", photo("coffee", (1280, 720))))
    assert got["cn.explicit.present"] == "fail"
    assert item.status == "noncompliant"


def test_truncated_heic_is_unknown_or_error_not_pass(tmp_path):
    image, _ = render_label(photo("coffee", (640, 360)), ratio=0.06)
    path = _heic(tmp_path, "cut.heic", image)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    item, got = judge(path)
    assert item.status in ("needs_review", "error")
    assert got.get("cn.explicit.present") != "pass"
