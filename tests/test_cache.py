"""The evidence cache and --changed-since, on real files (Pillow, the real OCR, real git)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PIL import PngImagePlugin

from conftest import label_json, run_cli, write_png
from label_builders import photo, render_label
from markcheck import scan
from markcheck.cache import DB_NAME
from markcheck.reports.json_report import report, validate
from markcheck.scan_options import ScanOptions


def labelled_png(path, text="AI生成", ratio=0.06):
    """A photo with a rendered visible label and a TC260 label in a tEXt chunk."""
    image, truth = render_label(photo("coffee", (640, 360)), text, ratio, "bottom-right")
    info = PngImagePlugin.PngInfo()
    info.add_text("AIGC", label_json())
    image.save(path, format="PNG", pnginfo=info)
    return truth


def _files(result):
    return {f.path: f for f in result.files}


SRC = Path(__file__).resolve().parent.parent / "src"


def _without_cached(document: dict) -> dict:
    """The report without what says how this run went: cache hits and the audit's times."""
    for item in document["files"]:
        item.pop("cached")
    document.pop("audit", None)
    return document


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    truth = labelled_png(root / "labelled.png")
    write_png(root / "plain.png")  # no AI signal: pixels are not examined
    write_png(root / "meta-only.png", {"AIGC": label_json(ContentProducer="")})
    return root, truth


def test_cached_rescan_gives_the_same_report_without_decoding(tree, tmp_path):
    root, truth = tree
    options = ScanOptions(cache_dir=str(tmp_path / "cache"))
    cold = scan([root], options=options)
    warm = scan([root], options=options)
    assert all(f.cached == [] for f in cold.files)
    by_path = _files(warm)
    assert by_path["labelled.png"].cached == ["metadata", "c2pa", "explicit"]
    assert by_path["plain.png"].cached == ["metadata", "c2pa"]  # explicit was never computed
    # The visible label the OCR measured is what the cache returns, at the rendered height.
    label = max(by_path["labelled.png"].explicit, key=lambda r: r.height_ratio)
    assert label.height_ratio == pytest.approx(truth.height_ratio, rel=0.15)
    cold_doc, warm_doc = json.loads(report(cold)), json.loads(report(warm))
    validate(warm_doc)
    assert _without_cached(cold_doc) == _without_cached(warm_doc)


def test_same_bytes_under_another_name_hit_and_an_edit_misses(tree, tmp_path):
    root, _ = tree
    options = ScanOptions(cache_dir=str(tmp_path / "cache"))
    scan([root / "labelled.png"], options=options)
    copy = tmp_path / "elsewhere" / "renamed.png"
    copy.parent.mkdir()
    shutil.copyfile(root / "labelled.png", copy)
    hit = scan([copy], options=options).files[0]
    assert hit.path == copy.as_posix() and hit.cached == ["metadata", "c2pa", "explicit"]
    copy.write_bytes(copy.read_bytes() + b"\0")  # trailing byte: same pixels, other content
    assert scan([copy], options=options).files[0].cached == []


def test_an_extension_change_recomputes_the_metadata_note(tree, tmp_path):
    root, _ = tree
    options = ScanOptions(cache_dir=str(tmp_path / "cache"))
    scan([root / "plain.png"], options=options)
    renamed = tmp_path / "plain.jpg"
    shutil.copyfile(root / "plain.png", renamed)
    result = scan([renamed], options=options).files[0]
    assert "metadata" not in result.cached
    assert any("ends in '.jpg'" in note for note in result.notes)


def test_another_pack_reuses_the_evidence(tree, tmp_path):
    root, _ = tree
    options = ScanOptions(cache_dir=str(tmp_path / "cache"))
    scan([root], options=options)  # cn-gb45438: metadata, c2pa, explicit
    eu = _files(scan([root], ["eu-ai-act-art50"], options=options))
    assert eu["labelled.png"].cached and set(eu["labelled.png"].cached) <= {
        "metadata",
        "c2pa",
        "explicit",
    }
    metadata_only = _files(scan([root], select=["cn.implicit"], options=options))
    assert "explicit" not in metadata_only["labelled.png"].cached
    assert metadata_only["labelled.png"].explicit == []  # parts not asked for stay out


def test_trust_anchors_are_part_of_the_c2pa_key(tree, tmp_path):
    root, _ = tree
    scan([root / "labelled.png"], options=ScanOptions(cache_dir=str(tmp_path / "cache")))
    anchors = tmp_path / "anchors.pem"
    # A real certificate (the first of the bundled TSA list) as an extra anchor.
    bundled = (SRC / "markcheck" / "data" / "c2pa_trust" / "C2PA-TSA-TRUST-LIST.pem").read_text()
    end = "-----END CERTIFICATE-----"
    anchors.write_text(bundled[bundled.index("-----BEGIN CERTIFICATE-----") : bundled.index(end)]
                       + end + "\n")  # fmt: skip
    options = ScanOptions(cache_dir=str(tmp_path / "cache"), trust_anchors=(anchors,))
    result = scan([root / "labelled.png"], options=options).files[0]
    assert "c2pa" not in result.cached and "explicit" in result.cached


def test_a_part_that_could_not_be_computed_is_not_stored(tmp_path):
    # A PNG whose chunks are whole but whose compressed pixels are zeroed: the OCR cannot run.
    whole = tmp_path / "whole.png"
    labelled_png(whole)
    broken = tmp_path / "broken.png"
    data = bytearray(whole.read_bytes())
    start = data.index(b"IDAT") + 4
    data[start : start + 64] = bytes(64)
    broken.write_bytes(bytes(data))
    options = ScanOptions(cache_dir=str(tmp_path / "cache"))
    first = scan([broken], options=options).files[0]
    if first.status == "error":
        pytest.fail(f"metadata of the cut PNG should read: {first.error}")
    assert any(note.startswith("explicit not examined") for note in first.notes)
    second = scan([broken], options=options).files[0]
    assert "explicit" not in second.cached and "metadata" in second.cached


def test_worker_processes_share_the_cache_and_it_holds_json(tree, tmp_path):
    root, _ = tree
    options = ScanOptions(cache_dir=str(tmp_path / "cache"))
    scan([root], options=options, jobs=2)
    warm = scan([root], options=options, jobs=2)
    assert all("metadata" in f.cached for f in warm.files)
    with sqlite3.connect(tmp_path / "cache" / DB_NAME) as db:
        values = [row[0] for row in db.execute("SELECT value FROM evidence")]
    assert values and all(json.loads(value) is not None or value == "null" for value in values)


def _git(repo, *args):
    subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_changed_since_scans_only_what_changed(tmp_path):
    repo = tmp_path / "repo"
    (repo / "media").mkdir(parents=True)
    for name in ("a.png", "b.png", "c.png"):
        write_png(repo / "media" / name, {"AIGC": label_json()})
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    write_png(repo / "media" / "b.png", {"AIGC": label_json(ContentProducer="")})
    _git(repo, "commit", "-q", "-am", "second")
    write_png(repo / "media" / "c.png", size=(40, 40))  # uncommitted change
    write_png(repo / "media" / "d.png")  # new, untracked

    def scanned(ref):
        done = run_cli("scan", "media", "--changed-since", ref, "-f", "json", cwd=repo)
        assert done.returncode in (0, 1), done.stderr
        return [f["path"] for f in json.loads(done.stdout)["files"]]

    assert scanned("HEAD") == ["c.png", "d.png"]
    assert scanned("HEAD~1") == ["b.png", "c.png", "d.png"]
    assert scanned("HEAD~1..HEAD") == ["b.png"]
    bad = run_cli("scan", "media", "--changed-since", "no-such-ref", cwd=repo)
    assert bad.returncode == 2 and "no-such-ref" in bad.stderr


def test_cli_cache_dir_marks_cached_results(tree, tmp_path):
    root, _ = tree
    args = ("scan", str(root), "--cache-dir", str(tmp_path / "c"), "-f", "json")
    run_cli(*args)
    second = json.loads(run_cli(*args).stdout)
    validate(second)
    assert {f["path"]: "metadata" in f["cached"] for f in second["files"]} == {
        "labelled.png": True,
        "meta-only.png": True,
        "plain.png": True,
    }
