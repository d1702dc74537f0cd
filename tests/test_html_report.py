"""The HTML report in a real headless Chromium: loads without errors or requests, filters work,
text boxes are drawn and labelled, and a screenshot is kept."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from markcheck.previews import preview_side
from markcheck.reports import html
from markcheck.reports.context import ReportContext
from report_fixtures import PACK, scan_result


def write_report(root: Path, count: int) -> Path:
    result = scan_result(root / "media", count)
    out = root / "report.html"
    html.write(result, out, ReportContext(packs=[PACK]))
    return out


def test_page_loads_clean_and_filters_work(open_page, tmp_path):
    page, problems = open_page(write_report(tmp_path, 120))
    assert page.inner_text("#shown") == "120 of 120 files"
    assert page.locator("article.file").count() == 50  # the first page only
    assert page.inner_text("#page") == "page 1 of 3"

    page.select_option("#filter-status", "noncompliant")
    assert page.inner_text("#shown") == "40 of 120 files"
    statuses = page.locator("article.file").evaluate_all("a => a.map(e => e.dataset.status)")
    assert set(statuses) == {"noncompliant"}

    page.select_option("#filter-status", "")
    page.select_option("#filter-rule", "cn.implicit.present")
    assert page.inner_text("#shown") == "20 of 120 files"
    page.select_option("#filter-rule", "")
    page.fill("#search", "file00007")
    assert page.inner_text("#shown") == "1 of 120 files"
    page.fill("#search", "")
    page.click(".count.error")
    assert page.inner_text("#shown") == "20 of 120 files"
    assert "corrupt: JPEG ends" in page.inner_text("article.file")
    page.click("#filter-status >> xpath=..")  # focus moves on; the filter stays
    page.click(".count.total")
    page.click("#next")
    assert page.inner_text("#page") == "page 2 of 3"
    assert problems == []


def test_boxes_are_drawn_with_text_height_and_verdict(open_page, tmp_path):
    page, problems = open_page(write_report(tmp_path, 6))
    page.select_option("#sort", "path")
    first = page.locator("article.file").first  # file00000: a 40 px label on 480 px, passes
    rect = first.locator("svg rect")
    assert rect.get_attribute("class") == "pass"
    assert [rect.get_attribute(k) for k in ("x", "y", "width", "height")] == [
        "500",
        "420",
        "110",
        "40",
    ]
    assert first.locator("svg text").text_content() == "AI生成 · 8.3 % · pass"
    second = page.locator("article.file").nth(1)  # file00001: 12 px high, fails 5 %
    assert second.locator("svg text").text_content() == "AI生成 · 2.5 % · fail"
    assert "(min 5.0 %)" in second.locator("ul.boxes").inner_text()
    assert "GB 45438-2025 §5.2, §5.4" in second.locator("table.findings").inner_text()
    assert "xmp:jpeg/app1" in first.inner_text() and "Trusted" in first.inner_text()
    # The drawn box lands on the white band painted where the label is.
    box, img = rect.bounding_box(), first.locator("img").bounding_box()
    assert abs(box["x"] - img["x"] - 500 / 640 * img["width"]) < 2
    shot = Path(os.environ.get("MARKCHECK_ARTIFACTS", tmp_path)) / "html-report.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert problems == []


def test_untrusted_text_is_shown_not_run(open_page, tmp_path):
    result = scan_result(tmp_path / "media", 1)
    result.files[0].explicit[0].text = "</script><img src=x onerror=alert(1)>"
    result.files[0].path = "<b>bold</b>.jpg"
    out = tmp_path / "report.html"
    html.write(result, out, ReportContext(packs=[PACK]))
    page, problems = open_page(out)
    assert page.locator("article .path").text_content() == "<b>bold</b>.jpg"
    assert "</script><img" in page.locator("svg text").text_content()
    assert page.locator("article img").count() == 1  # the thumbnail, not the injected one
    assert problems == []


def test_thumbnails_shrink_for_large_scans():
    assert preview_side(1000) > preview_side(5000) > preview_side(10_000)


def test_report_is_self_contained(tmp_path):
    text = write_report(tmp_path, 6).read_text()
    shutil.rmtree(tmp_path / "media")  # the report does not need the media any more
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in text
    assert text.count("data:image/jpeg;base64,") == 5  # every readable picture; not the error
