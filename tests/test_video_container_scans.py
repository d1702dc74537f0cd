"""MKV, WebM, AVI and FLV: found by their magic bytes and judged frame by frame like MP4,
their metadata read by the container readers (see test_video_containers.py)."""

from __future__ import annotations

import pytest

from markcheck import scan
from markcheck.discover import FORMAT_KINDS, discover, sniff
from video_builders import clip

# name, FFmpeg muxer, codec, the format markcheck must name
CONTAINERS = [
    ("h264.mkv", "matroska", "libx264", "mkv"),
    ("vp9.webm", "webm", "libvpx-vp9", "webm"),
    ("mpeg4.avi", "avi", "mpeg4", "avi"),
    ("sorenson.flv", "flv", "flv", "flv"),
]


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("containers")
    for name, muxer, codec, _ in CONTAINERS:
        clip(folder / name, [(0, 2.5)], seconds=3.0, container=muxer, codec=codec)
    return folder


def test_each_container_is_discovered_by_its_bytes(clips):
    found, skipped = discover([clips])
    formats = {c.path.name: c.format for c in found}
    assert formats == {name: fmt for name, _, _, fmt in CONTAINERS}
    assert not skipped
    assert all(FORMAT_KINDS[fmt] == "video" for fmt in formats.values())


def test_magic_bytes_not_names_decide(clips, tmp_path):
    for name, _, _, fmt in CONTAINERS:
        head = (clips / name).read_bytes()[:64]
        assert sniff(head) == fmt
    disguised = tmp_path / "movie.mp4"
    disguised.write_bytes((clips / "h264.mkv").read_bytes())
    (candidate,), _ = discover([disguised])
    assert candidate.format == "mkv"
    assert sniff(b"\x1a\x45\xdf\xa3" + b"\x00" * 60) == "mkv"  # no DocType: Matroska


@pytest.mark.parametrize(("name", "fmt"), [(c[0], c[3]) for c in CONTAINERS])
def test_frames_and_metadata_are_judged(clips, name, fmt):
    result = scan([clips / name], assume_ai=True, jobs=0)
    (item,) = result.files
    assert item.error is None and item.media.format == fmt
    found = {f.rule: f.outcome for f in item.findings}
    assert found["cn.explicit.video.start"] == "pass"
    assert found["cn.explicit.video.duration"] == "pass"
    (label,) = item.explicit
    assert label.text == "AI生成"
    assert label.time_s == pytest.approx([0.0, 2.52], abs=0.15)
    assert (item.media.width, item.media.height) == (640, 360)
    assert item.media.duration_s == pytest.approx(3.0, abs=0.1)
    # The clips were written without an AIGC tag: the metadata was read and holds no label.
    assert found["cn.implicit.present"] == "fail"


def test_mkv_and_webm_names_are_interchangeable(clips, tmp_path):
    renamed = tmp_path / "vp9.mkv"
    renamed.write_bytes((clips / "vp9.webm").read_bytes())
    result = scan([renamed], select=["cn.implicit"])
    (item,) = result.files
    assert item.media.format == "webm"
    assert not any("file name ends in" in note for note in item.notes)
