"""One real scan (real encoders, the real OCR models, worker processes) written in every format
at once; the HTML opened in headless Chromium shows the boxes where OCR found the labels."""

from __future__ import annotations

import json
import math
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from conftest import label_json, run_cli
from label_builders import photo, render_label
from markcheck.previews import LATER_FRAMES, START_TIMES
from media_builders import xmp_packet
from video_builders import clip

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
CLIP_FPS, CLIP_KEY_EVERY, CLIP_SECONDS = 25, 25, 5.0  # how clip.mp4 is encoded


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """A folder of real media scanned once with every report format into --output-dir."""
    root = tmp_path_factory.mktemp("e2e")
    media = root / "media"
    media.mkdir()
    truths = {}
    picture, truths["labelled.jpg"] = render_label(photo("coffee", (1280, 720)), ratio=0.07)
    picture.save(media / "labelled.jpg", quality=90, xmp=xmp_packet(label_json()))
    picture, truths["small.png"] = render_label(
        photo("astronaut", (1024, 768)), ratio=0.025, position="top-left"
    )
    picture.save(media / "small.png")
    # Stored on its side with EXIF orientation 6, as phones do: displayed upright, 720 x 1280.
    upright, truths["rotated.jpg"] = render_label(
        photo("rocket", (720, 1280)), ratio=0.06, position="bottom-left"
    )
    exif = Image.Exif()
    exif[0x0112] = 6
    upright.transpose(Image.Transpose.ROTATE_90).save(media / "rotated.jpg", exif=exif)
    clip(media / "clip.mp4", [(0.0, CLIP_SECONDS)], seconds=CLIP_SECONDS, fps=CLIP_FPS,
         keyframe_every=CLIP_KEY_EVERY)  # fmt: skip
    (media / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    out = root / "reports"
    command = ["scan", str(media), "--assume-ai", "--output-dir", str(out), "-j", "2"]
    for fmt in ("table", "json", "html", "sarif", "junit"):
        command += ["-f", fmt]
    return root, out, truths, command


@pytest.fixture(scope="module")
def reports(scanned):
    root, out, truths, command = scanned
    proc = run_cli(*command, cwd=root, timeout=300)
    report = json.loads((out / "markcheck.json").read_text())
    files = {f["path"]: f for f in report["files"]}
    # Built to fail: broken.png is 20 zero bytes after the signature, small.png's label is
    # rendered at 2.5 % of the shortest side, under the pack's 5 %. Either fails the gate.
    assert files["broken.png"]["status"] == "error"
    assert files["small.png"]["status"] == "noncompliant"
    assert proc.returncode == 1, proc.stderr
    assert "labelled.jpg" in proc.stdout  # every format went to the folder; the table is shown too
    return root, out, truths, files


def test_every_format_is_written_from_one_scan(reports):
    _, out, _, files = reports
    assert sorted(p.name for p in out.iterdir()) == [
        "markcheck.html", "markcheck.json", "markcheck.sarif", "markcheck.txt", "markcheck.xml"
    ]  # fmt: skip
    assert files["broken.png"]["status"] == "error"
    assert "preview" not in files["labelled.jpg"]  # thumbnails stay out of the JSON report
    assert "labelled.jpg" in (out / "markcheck.txt").read_text()


def test_sarif_of_a_real_scan_is_schema_valid_and_points_at_the_files(reports):
    root, out, _, files = reports
    log = json.loads((out / "markcheck.sarif").read_text())
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    run = log["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == root.resolve().as_uri() + "/"
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert (root / location["uri"]).is_file()  # relative to the scan's working directory
    failed = {
        (f["path"], g["rule"])
        for f in files.values()
        for g in f["findings"]
        if g["outcome"] == "fail"
    }
    reported = {
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"][len("media/") :],
         r["ruleId"])
        for r in run["results"]
        if r["kind"] == "fail"
    }  # fmt: skip
    assert reported == failed and ("small.png", "cn.explicit.size") in failed


def test_junit_of_a_real_scan_has_a_case_per_file_and_pack(reports):
    _, out, _, files = reports
    root = ET.parse(out / "markcheck.xml").getroot()
    cases = root.findall("./testsuite/testcase")
    assert sorted(c.get("name") for c in cases) == sorted(files)
    by_name = {c.get("name"): c for c in cases}
    assert by_name["broken.png"].find("error") is not None
    failure = by_name["small.png"].find("failure")
    assert failure is not None and "cn.explicit.size" in failure.get("message")


def _box_in_picture(article) -> tuple[float, float, float, float]:
    """The drawn box's position as fractions of the thumbnail shown in the page."""
    box = article.locator("svg rect").first.bounding_box()
    img = article.locator(".pic img").bounding_box()
    return (
        (box["x"] - img["x"]) / img["width"],
        (box["y"] - img["y"]) / img["height"],
        box["width"] / img["width"],
        box["height"] / img["height"],
    )


def test_html_of_a_real_scan_draws_the_ocr_boxes_on_the_pictures(reports, open_page):
    _, out, truths, files = reports
    page, problems = open_page(out / "markcheck.html")
    page.select_option("#sort", "path")
    articles = {a.locator(".path").text_content(): a for a in page.locator("article.file").all()}
    assert sorted(articles) == sorted(files)
    for name in ("labelled.jpg", "small.png", "rotated.jpg"):
        region = files[name]["explicit"][0]
        article = articles[name]
        rect = article.locator("svg rect").first
        assert [int(rect.get_attribute(k)) for k in ("x", "y", "width", "height")] == region["bbox"]
        caption = article.locator("svg text").first.text_content()
        assert "AI生成" in caption
        # The box wears the label's whole verdict, as the JSON report's findings on it say.
        judged = {f["outcome"] for f in files[name]["findings"] if f.get("region") == 0}
        verdict = "fail" if "fail" in judged else "review" if "unknown" in judged else "pass"
        assert judged and caption.endswith(verdict) and rect.get_attribute("class") == verdict
        # On the thumbnail, the drawn box covers the label where it was rendered on the picture
        # as displayed (OCR boxes are a little wider than the ink; 1 % of slack for the stroke).
        media = files[name]["media"]
        x, y, w, h = truths[name].bbox
        left, top, right, bottom = x / media["width"], y / media["height"], \
            (x + w) / media["width"], (y + h) / media["height"]  # fmt: skip
        fx, fy, fw, fh = _box_in_picture(article)
        assert fx <= left + 0.01 and fy <= top + 0.01, name
        assert fx + fw >= right - 0.01 and fy + fh >= bottom - 0.01, name
        assert fw < 2 * (right - left) and fh < 2 * (bottom - top), name
    assert files["rotated.jpg"]["media"]["width"] == 720  # oriented like its thumbnail
    assert "no picture" in articles["broken.png"].inner_text()
    assert problems == []


def test_html_of_a_real_scan_shows_a_video_strip_with_times(reports, open_page):
    _, out, _, files = reports
    page, problems = open_page(out / "markcheck.html")
    page.fill("#search", "clip.mp4")
    article = page.locator("article.file").first
    times = [float(t.split()[0]) for t in article.locator(".strip figcaption").all_text_contents()]
    # The frame on screen at each time of the start schedule (the span the start-label rule
    # judges) is the first one of the 25 fps grid at or after it; then the key frames the
    # encoder was told to place every 25 frames, past the schedule.
    starts = [math.ceil(t * CLIP_FPS - 1e-9) / CLIP_FPS for t in START_TIMES]
    keys = [k * CLIP_KEY_EVERY / CLIP_FPS for k in range(1, int(CLIP_SECONDS))]
    later = [k for k in keys if k > START_TIMES[-1] + 0.25][:LATER_FRAMES]
    assert times == [round(t, 2) for t in starts + later]
    assert article.locator("svg rect").count() == len(files["clip.mp4"]["explicit"]) >= 1
    signals = [t for t in article.locator("li").all_text_contents() if t.startswith("visible_")]
    assert len(signals) == len(set(signals)) == 1  # one label, however many spans it was seen in
    shot = Path(os.environ.get("MARKCHECK_ARTIFACTS", out)) / "html-report-video.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert problems == []
