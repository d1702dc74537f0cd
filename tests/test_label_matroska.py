"""`markcheck label` on Matroska / WebM: the label as a Tags/Tag/SimpleTag `AIGC`, written
without touching a cluster, read back by markcheck, by FFmpeg's demuxer (PyAV, what ffprobe
reads) and by exiftool; the file still decodes and seeks; idempotent; updated, not duplicated."""

from __future__ import annotations

import json
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest

import media_builders as mb
from markcheck.labelling import LabelRequest, label
from markcheck.writers import WriterError
from markcheck.writers.matroska import write_matroska
from test_label_writers import (
    IMPLICIT,
    PRODUCER,
    REQUEST,
    expected,
    labels_read_by_markcheck,
    tree_digest,
)

av = pytest.importorskip("av")

# The bytes of a SimpleTag's TagName "AIGC": id 0x45A3, size 4 (EBML vint 0x84), the name.
AIGC_NAME = b"\x45\xa3\x84AIGC"

CASES = {
    "h264.mkv": {"title": "Keep Title"},
    "vp9.webm": {"comment": "keep me"},
}


def demux(path: Path) -> tuple[dict[str, str], list[bytes], list[np.ndarray]]:
    """FFmpeg's view: format tags, the compressed video packets, every decoded frame."""
    with av.open(str(path)) as container:
        tags = dict(container.metadata)
        packets = [bytes(p) for p in container.demux(video=0) if p.size]
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    return tags, packets, frames


def exiftool_aigc(path: Path) -> list[dict]:
    """exiftool reads Tags behind the clusters only with -ee (it does not follow SeekHead)."""
    out = subprocess.run(["exiftool", "-j", "-a", "-G1", "-ee", "-m", str(path)],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    tags = json.loads(out)[0]
    return [json.loads(v) for k, v in tags.items() if k.split(":")[-1].upper() == "AIGC"]


def _vint(data: bytes, at: int, marker: bool) -> tuple[int, int]:
    length = 9 - data[at].bit_length()
    value = int.from_bytes(data[at : at + length], "big")
    return (value if marker else value & ((1 << (7 * length)) - 1)), length


MASTERS = {0x18538067, 0x114D9B74, 0x4DBB, 0x1549A966, 0x1654AE6B, 0xAE, 0x1254C367, 0x7373,
           0x63C0, 0x67C8, 0x1C53BB6B, 0xBB, 0xB7}  # fmt: skip


def check_structure(data: bytes) -> int:
    """Walk the whole file by the EBML rules (written here from RFC 8794, not from the writer):
    every size fits its parent, the Segment ends where the file does, and every CRC-32 element
    matches the bytes after it. Returns how many CRCs were checked."""
    checked = 0

    def walk(start: int, end: int) -> None:
        nonlocal checked
        at = start
        while at < end:
            ident, n = _vint(data, at, True)
            size, m = _vint(data, at + n, False)
            body = at + n + m
            assert body + size <= end, f"element {ident:#x} at {at} runs past its parent"
            if ident == 0xBF:  # CRC-32 covers the rest of its parent
                assert at == start
                assert struct.unpack("<I", data[body : body + 4])[0] == zlib.crc32(
                    data[body + 4 : end]
                ), f"CRC-32 at {at} does not match"
                checked += 1
            if ident in MASTERS:
                walk(body, body + size)
            at = body + size
        assert at == end

    walk(0, len(data))
    return checked


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    root = tmp_path_factory.mktemp("mkv")
    src = root / "in"
    src.mkdir()
    for name, metadata in CASES.items():
        mb.matroska(src / name, metadata, frames=8)
    before = tree_digest(src)
    result = label([src], REQUEST, out_dir=root / "out", select=IMPLICIT)
    assert tree_digest(src) == before
    return root, result


@pytest.mark.parametrize("name", CASES)
def test_round_trip(labelled, name):
    root, result = labelled
    (outcome,) = [f for f in result.files if f.path == name]
    assert outcome.error is None, outcome.error
    assert outcome.status == "labelled" and outcome.action == "added"
    assert outcome.proof == {"status": "compliant", "failing": []}
    assert outcome.carrier == f"{Path(name).suffix[1:]}/Tags/SimpleTag:AIGC"
    source, written = root / "in" / name, root / "out" / name
    want = expected(Path(name).stem)
    assert [f.label for f in labels_read_by_markcheck(written)] == [want]
    tags_before, packets_before, frames_before = demux(source)
    tags, packets, frames = demux(written)
    assert json.loads(tags.pop("AIGC")) == want
    assert tags == tags_before  # ENCODER, title / comment kept
    assert packets == packets_before
    assert len(frames) == len(frames_before) == 8
    assert all(np.array_equal(a, b) for a, b in zip(frames, frames_before, strict=True))
    assert exiftool_aigc(written) == [want]
    data = written.read_bytes()
    assert data.count(AIGC_NAME) == 1
    # FFmpeg guards level-1 elements with CRC-32 in .mkv (not in WebM): as many, all matching
    crcs = check_structure(data)
    assert crcs == check_structure(source.read_bytes())
    assert crcs > 0 if name.endswith(".mkv") else crcs == 0


@pytest.mark.parametrize("name", CASES)
def test_clusters_are_not_moved(labelled, name):
    """The old Tags became a Void of its length and the new one sits after the clusters: every
    byte up to the old Segment end is where it was, so Cues and SeekHead entries still hold."""
    root, _ = labelled
    source, written = (root / "in" / name).read_bytes(), (root / "out" / name).read_bytes()
    first_cluster = source.index(b"\x1f\x43\xb6\x75")
    assert written[first_cluster : len(source)] == source[first_cluster:]
    with av.open(str(root / "out" / name)) as container:
        container.seek(500_000, stream=None)  # 0.5 s, through the Cues
        assert next(container.decode(video=0)).pts is not None


def test_second_run_changes_nothing(labelled, tmp_path):
    root, _ = labelled
    again = label([root / "out"], REQUEST, out_dir=tmp_path, select=IMPLICIT)
    assert {f.action for f in again.files} == {"unchanged"} and again.ok
    assert tree_digest(tmp_path) == tree_digest(root / "out")
    for name in CASES:  # the writer itself is idempotent too, not only the caller's shortcut
        data = (root / "out" / name).read_bytes()
        value = json.dumps(expected(Path(name).stem), separators=(",", ":"))
        assert write_matroska(data, value, Path(name).suffix[1:]).data == data


@pytest.mark.parametrize("name", CASES)
def test_label_is_updated_not_duplicated(labelled, tmp_path, name):
    root, _ = labelled
    request = LabelRequest(producer=PRODUCER, produce_id="v2-{stem}-longer", reserved1="sig")
    (outcome,) = label([root / "out" / name], request, out_dir=tmp_path, select=IMPLICIT).files
    assert outcome.error is None and outcome.action == "updated", outcome.error
    stem = Path(name).stem
    want = expected(stem, ProduceID=f"v2-{stem}-longer", ReservedCode1="sig")
    written = tmp_path / name
    assert [f.label for f in labels_read_by_markcheck(written)] == [want]
    tags, packets, _ = demux(written)
    assert json.loads(tags["AIGC"]) == want
    assert packets == demux(root / "in" / name)[1]
    assert exiftool_aigc(written) == [want]
    assert written.read_bytes().count(AIGC_NAME) == 1
    check_structure(written.read_bytes())


@pytest.mark.parametrize(
    ("ext", "old_id"),
    [("mkv", "old"), ("webm", "old"), ("mkv", "an-older-and-much-longer-id")],
)
def test_label_written_by_ffmpeg_is_updated(tmp_path, ext, old_id):
    """FFmpeg's muxer put an older label in the Tags before the clusters: it is replaced, the
    file ends with one AIGC tag, and the other tags stay. A longer label moves the Tags to the
    end; a shorter one is rewritten where it was, a Void filling the rest (same file size)."""
    old = json.dumps(expected("ff", ProduceID=old_id), separators=(",", ":"))
    path = mb.matroska(tmp_path / f"ff.{ext}", {"AIGC": old, "artist": "Someone"})
    assert [f.label["ProduceID"] for f in labels_read_by_markcheck(path)] == [old_id]
    (outcome,) = label([path], REQUEST, out_dir=tmp_path / "out", select=IMPLICIT).files
    assert outcome.error is None and outcome.action == "updated", outcome.error
    assert outcome.proof["status"] == "compliant"
    written = tmp_path / "out" / path.name
    assert [f.label for f in labels_read_by_markcheck(written)] == [expected("ff")]
    tags, packets, _ = demux(written)
    assert json.loads(tags["AIGC"]) == expected("ff") and tags["ARTIST"] == "Someone"
    assert packets == demux(path)[1]
    data, source = written.read_bytes(), path.read_bytes()
    assert data.count(AIGC_NAME) == 1
    check_structure(data)
    first_cluster = source.index(b"\x1f\x43\xb6\x75")
    label_at = data.index(AIGC_NAME)
    if len(old_id) > len("job-ff"):
        assert len(data) == len(source) and label_at < first_cluster
        assert data[first_cluster:] == source[first_cluster:]
    else:
        assert label_at > len(source)  # in the Tags appended after the old end


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_file_is_an_error_and_nothing_is_written(tmp_path, cut):
    whole = mb.matroska(tmp_path / "whole.mkv").read_bytes()
    src = tmp_path / "src"
    src.mkdir()
    (src / "cut.mkv").write_bytes(whole[: int(len(whole) * cut)])
    result = label([src], REQUEST, out_dir=tmp_path / "out", select=IMPLICIT)
    (outcome,) = result.files
    assert outcome.error is not None and outcome.output is None, outcome
    assert outcome.error["type"] != "internal"
    assert not result.ok and not (tmp_path / "out").exists()


def test_writer_refuses_broken_structure(tmp_path):
    data = mb.matroska(tmp_path / "v.mkv").read_bytes()
    with pytest.raises(WriterError, match="no EBML header"):
        write_matroska(b"\x1a\x45\xdf\xa4" + data[4:], "{}")  # another ID
    with pytest.raises(WriterError, match="runs past"):
        write_matroska(data[: len(data) // 2], "{}")


def _live_webm(path: Path) -> Path:
    """FFmpeg's live mode: the Segment's size is left unknown (all ones) and there are no Cues."""
    from fractions import Fraction

    with av.open(str(path), "w", format="webm", options={"live": "1"}) as out:
        stream = out.add_stream("libvpx-vp9", rate=Fraction(10))
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        for index in range(6):
            frame = np.roll(np.asarray(mb.picture()), 5 * index, axis=1)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def test_segment_of_unknown_size(tmp_path):
    path = _live_webm(tmp_path / "live.webm")
    segment_size = path.read_bytes()[40:48]
    assert segment_size == b"\x01" + b"\xff" * 7  # how the input was made: size unknown
    (outcome,) = label([path], REQUEST, out_dir=tmp_path / "out", select=IMPLICIT).files
    assert outcome.error is None and outcome.proof["status"] == "compliant", outcome
    written = tmp_path / "out" / "live.webm"
    assert written.read_bytes()[40:48] == segment_size  # still unknown: nothing to update
    tags, packets, frames = demux(written)
    assert json.loads(tags["AIGC"]) == expected("live")
    assert packets == demux(path)[1] and len(frames) == 6
    assert [f.label for f in labels_read_by_markcheck(written)] == [expected("live")]


def test_cluster_of_unknown_size_is_refused(tmp_path):
    """A streaming muxer leaves a cluster's size unknown; where it ends is only known by
    parsing its blocks, so markcheck does not append after it."""
    data = bytearray(mb.matroska(tmp_path / "v.mkv").read_bytes())
    cluster = data.index(b"\x1f\x43\xb6\x75")
    width = 9 - data[cluster + 4].bit_length()
    data[cluster + 4 : cluster + 4 + width] = ((1 << (8 * width - width + 1)) - 1).to_bytes(
        width, "big"
    )  # the vint marker then all ones
    src = tmp_path / "in"
    src.mkdir()
    (src / "stream.mkv").write_bytes(bytes(data))
    (outcome,) = label([src], REQUEST, out_dir=tmp_path / "out", select=IMPLICIT).files
    assert "unknown size" in outcome.error["message"], outcome.error
    assert not (tmp_path / "out").exists()
