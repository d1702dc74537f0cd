"""What the visible-label check reads, and what it may leave unread without changing a verdict.

Cost follows need: text in the middle of a picture is read only when no settled label (Chinese
wording, at an edge, clearly over the size threshold) was found nearer the edges. The OCR
networks run on onnxruntime directly; rapidocr's own pipeline is the reference they must match.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from label_builders import draw_distractor, photo, render_label
from markcheck import scan
from markcheck.detectors import ppocr
from markcheck.detectors.text import DET_MODEL, REC_MODEL, detect_text

CAPTION = "Photo by Jane Doe"


def _picture(tmp_path, name, text, ratio, position, caption_xy=(0.35, 0.45)):
    """A 1280x720 photo with a caption 4 % high at `caption_xy` (shares of the sides) and a
    label drawn with `ratio` ink height at `position`."""
    image = photo("coffee", (1280, 720))
    image = draw_distractor(image, CAPTION, 0.04, (round(caption_xy[0] * 1280),
                                                   round(caption_xy[1] * 720)))  # fmt: skip
    image, truth = render_label(image, text, ratio, position, "box")
    path = tmp_path / name
    image.save(path)
    return path, truth


def _outcomes(path):
    (item,) = scan([path], select=["cn.explicit"], assume_ai=True).files
    return item, {f.rule: f.outcome for f in item.findings}


def test_caption_in_the_middle_is_not_read_once_a_compliant_edge_label_is_found(tmp_path):
    path, _ = _picture(tmp_path, "settled.png", "AI生成", 0.08, "bottom-right")
    item, got = _outcomes(path)
    assert item.status == "compliant", item.findings
    assert [r.text for r in item.explicit] == ["AI生成"]


def test_caption_in_the_middle_is_read_when_the_edge_label_is_too_small(tmp_path):
    # 3.5 % is under the 5 % threshold: the label does not settle the file, so every line is
    # read and reported.
    path, _ = _picture(tmp_path, "small.png", "AI生成", 0.035, "bottom-right")
    item, got = _outcomes(path)
    assert got["cn.explicit.size"] == "fail"
    assert {r.text.replace(" ", "") for r in item.explicit} >= {"AI生成", "PhotobyJaneDoe"}


def test_caption_at_an_edge_is_read_even_with_a_compliant_label(tmp_path):
    path, _ = _picture(tmp_path, "edge-caption.png", "AI生成", 0.08, "bottom-right",
                       caption_xy=(0.35, 0.03))  # fmt: skip
    item, _ = _outcomes(path)
    assert any(r.text.replace(" ", "") == "PhotobyJaneDoe" for r in item.explicit)


def test_a_label_only_in_the_middle_is_still_read_and_fails_position(tmp_path):
    # Nothing at the edges settles the file, so the centred label is read and judged.
    path, _ = _picture(tmp_path, "centre.png", "AI生成", 0.08, "center",
                       caption_xy=(0.35, 0.03))  # fmt: skip
    item, got = _outcomes(path)
    assert got["cn.explicit.present"] == "pass"
    assert got["cn.explicit.position"] == "fail"
    assert item.status == "noncompliant"


def test_middle_text_is_read_when_the_edge_label_wording_fails(tmp_path):
    path, _ = _picture(tmp_path, "english.png", "AI-generated", 0.08, "bottom-right")
    item, got = _outcomes(path)
    assert got["cn.explicit.wording"] == "fail"
    assert any(r.text.replace(" ", "") == "PhotobyJaneDoe" for r in item.explicit)


@pytest.fixture(scope="module")
def rapidocr_engine():
    from rapidocr import RapidOCR

    return RapidOCR(
        params={
            "Global.use_cls": False,
            "Global.log_level": "error",
            "Det.limit_type": "min",
            "Det.limit_side_len": 32,
            "Det.model_path": ppocr.model_path(DET_MODEL),
            "Rec.model_path": ppocr.model_path(REC_MODEL),
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        }
    )


@pytest.mark.parametrize("size", [(640, 360), (1138, 190), (300, 24)])
def test_detection_and_recognition_match_rapidocr(tmp_path, rapidocr_engine, size):
    # The last size is lower than rapidocr's 30 px minimum and wider than 8:1: it is resized
    # and padded before detection, and the boxes mapped back.
    image = photo("astronaut", size)
    image = draw_distractor(image, "2025-06-01 14:32", 0.5 if size[1] < 30 else 0.06, (4, 2))
    image, _ = render_label(image, "内容由AI生成", 0.3 if size[1] < 30 else 0.07, "bottom-right",
                            "light")  # fmt: skip
    bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
    expected = rapidocr_engine(bgr, use_det=True, use_cls=False, use_rec=False).boxes
    expected = np.zeros((0, 4, 2)) if expected is None else expected
    got = ppocr.Detector(ppocr.model_path(DET_MODEL), 1)(bgr)
    assert len(got) > 0 or size[1] < 30
    np.testing.assert_array_equal(got, expected)
    crops = [
        np.ascontiguousarray(
            bgr[
                int(q[:, 1].min()) : int(q[:, 1].max()) + 1,
                int(q[:, 0].min()) : int(q[:, 0].max()) + 1,
            ]
        )
        for q in got
    ]
    crops = [c for c in crops if min(c.shape[:2]) > 2]
    if crops:
        reference = rapidocr_engine.recognize_txt(crops)
        read = ppocr.Recognizer(ppocr.model_path(REC_MODEL), 1)(crops)
        assert read == list(zip(reference.txts, reference.scores, strict=True))


def test_detect_text_reads_the_label_of_a_picture(tmp_path):
    path, truth = _picture(tmp_path, "plain.png", "由AI生成", 0.06, "top-left")
    regions, size = detect_text(path)
    assert size == (1280, 720)
    assert any(r.text == truth.text for r in regions)


def test_a_page_of_generation_words_is_read_again_for_a_few_lines_only(tmp_path, monkeypatch):
    # Sixteen lines that each read like part of a label (模型生成…: a generation element, no
    # AI): only the tallest WIDER_LINES are read again with more of their sides.
    from markcheck.detectors import text

    picture = photo("page", (1280, 1280))
    for row in range(16):
        picture = draw_distractor(picture, f"第{row}段由模型生成的说明", 0.035, (60, 40 + 76 * row))
    path = tmp_path / "page.png"
    picture.save(path)
    calls = []
    real = text._read_wider
    monkeypatch.setattr(text, "_read_wider", lambda *args: calls.append(args[-1]) or real(*args))
    regions, _ = detect_text(path)
    generation_lines = [r for r in regions if "生成" in r.text]
    assert len(generation_lines) > text.WIDER_LINES  # the page did read as such lines
    assert 0 < len(calls) <= text.WIDER_LINES * len(text.WIDER_SIDES)


@pytest.mark.parametrize("labelled", [False, True])
def test_a_page_of_garbled_print_is_read_by_colour_only_where_no_label_was_found(
    tmp_path, monkeypatch, labelled
):
    # A blurred printed page, its lines so large that most read below the score floor: any
    # of them could hide a label drawn over it. Only where no line is a label are they read
    # one colour at a time, and at most COLOUR_LINES of them.
    from markcheck.detectors import text

    picture = photo("page", (1080, 1920))
    if labelled:
        picture, _ = render_label(picture, "AI生成", 0.08, "top-right", "box")
    path = tmp_path / "page.jpg"
    picture.save(path, quality=85)
    calls = []
    real = text._label_in_views

    def counted(reading, box, views, *rest, **named):
        if views is text.colour_views:
            calls.append(box)
        return real(reading, box, views, *rest, **named)

    monkeypatch.setattr(text, "_label_in_views", counted)
    regions, _ = detect_text(path)
    assert any(r.is_label for r in regions) is labelled
    if labelled:
        assert calls == []
    else:
        assert 0 < len(calls) <= text.COLOUR_LINES


def test_a_line_both_looks_read_alike_is_listed_once(tmp_path):
    # No label: the edge bands are looked at again, and the caption near the top edge is
    # read by both looks (the second's box a little tighter than the first's).
    picture = draw_distractor(photo("grass", (1920, 1080)), CAPTION, 0.036, (576, 108))
    path = tmp_path / "grass.jpg"
    picture.save(path, quality=84)
    regions, _ = detect_text(path)
    assert [r.text for r in regions].count(CAPTION) == 1, regions


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_worker_makes_its_own_ocr_sessions():
    # onnxruntime sessions are not fork-safe: a worker forked after the parent read text
    # must not use the parent's.
    from markcheck.detectors import text

    text._engine(1)
    pid = os.fork()
    if pid == 0:  # the worker
        os._exit(0 if not text._engines else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert 1 in text._engines  # the parent keeps its own
