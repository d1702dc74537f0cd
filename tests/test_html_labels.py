"""The HTML report draws each label in its whole verdict, other text neutral, with a close-up.

Real scans of pictures whose labels were drawn where their verdicts are known: a compliant
corner label, a label in the middle of the picture (fails position although its size passes)
and a photographer's caption that is no label at all.
"""

from __future__ import annotations

import pytest
from PIL import Image

from conftest import run_cli
from label_builders import draw_distractor, photo, render_label


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("html-labels")
    media = root / "media"
    media.mkdir()
    corner, corner_truth = render_label(photo("coffee", (1280, 720)), "AI生成", 0.08,
                                        "bottom-right", "box")  # fmt: skip
    corner.save(media / "corner.png")
    middle = draw_distractor(photo("chelsea", (1280, 720)), "摄影：张三", 0.05, (40, 40))
    middle, middle_truth = render_label(middle, "AI生成", 0.08, "center", "box")
    middle.save(media / "middle.png")
    out = root / "report.html"
    proc = run_cli("scan", str(media), "--assume-ai", "--select", "cn.explicit", "-f", "html",
                   "-o", str(out), timeout=300)  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # the middle label fails position
    return out, {"corner.png": corner_truth, "middle.png": middle_truth}


def boxes(article):
    return [
        (rect.get_attribute("class"), int(rect.get_attribute("width")))
        for rect in article.locator("svg rect").all()
    ]


def test_box_colour_is_the_labels_whole_verdict(report, open_page):
    out, truths = report
    page, problems = open_page(out)
    articles = {a.locator(".path").text_content(): a for a in page.locator("article.file").all()}
    assert "pass" in {c for c, _ in boxes(articles["corner.png"])}, boxes(articles["corner.png"])
    middle = boxes(articles["middle.png"])
    # The centred label is big enough, but it is not at an edge: its box is drawn failing.
    assert "fail" in {c for c, _ in middle}, middle
    assert "pass" not in {c for c, _ in middle}, middle
    # The caption is read but is not a label: drawn neutral, without a verdict caption.
    assert "text" in {c for c, _ in middle}, middle
    assert problems == []


def test_each_label_has_a_full_resolution_close_up(report, open_page, tmp_path):
    out, truths = report
    page, _ = open_page(out)
    article = next(a for a in page.locator("article.file").all()
                   if a.locator(".path").text_content() == "corner.png")  # fmt: skip
    closeup = article.locator("img.closeup").first
    source = closeup.get_attribute("src")
    assert source.startswith("data:image/jpeg;base64,")
    import base64
    import io

    picture = Image.open(io.BytesIO(base64.b64decode(source.split(",", 1)[1])))
    # Cut at full resolution: the label's ink (drawn truth.bbox wide) keeps its size in it.
    assert picture.width >= truths["corner.png"].bbox[2]
    thumb_width = int(article.locator(".pic img").get_attribute("width"))
    assert picture.width > thumb_width * truths["corner.png"].bbox[2] / 1280
    closeup.click()
    assert "big" in (closeup.get_attribute("class") or "")
