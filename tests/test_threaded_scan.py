"""Metadata scans on threads (markcheck.threaded) say exactly what a sequential scan says."""

from __future__ import annotations

import hashlib
import shutil

import pytest

import c2pa_fixtures as cf
import media_builders as mb
from conftest import label_json
from markcheck import scan
from markcheck.threaded import run_threaded

LABEL = label_json()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Labelled (JPEG, PNG, WebP, MP4), unlabelled, C2PA-signed, tampered and broken files,
    several of each."""
    work = tmp_path_factory.mktemp("threaded-src")
    out = tmp_path_factory.mktemp("threaded")
    creds = cf.make_credentials()
    kinds = {
        "label.jpg": mb.jpeg(work / "label.jpg", mb.xmp_packet(LABEL)),
        "label.png": mb.png(work / "label.png", {"AIGC": LABEL}),
        "plain.jpg": mb.jpeg(work / "plain.jpg"),
        "label.webp": mb.webp(work / "label.webp", mb.xmp_packet(LABEL)),
        "label.mp4": mb.mp4(work / "label.mp4", {"AIGC": LABEL}),  # ISO-BMFF on the threads too
        "signed.jpg": cf.sign(mb.jpeg(work / "s.jpg"), work / "signed.jpg", creds, cf.manifest()),
        "signed.png": cf.sign(mb.png(work / "s.png"), work / "signed.png", creds, cf.manifest()),
    }
    kinds["tampered.jpg"] = cf.tampered_copy(kinds["signed.jpg"], work / "tampered.jpg")
    truncated = kinds["label.jpg"].read_bytes()
    (work / "truncated.jpg").write_bytes(truncated[: len(truncated) // 2])
    kinds["truncated.jpg"] = work / "truncated.jpg"
    for copy in range(4):
        for name, path in kinds.items():
            shutil.copy(path, out / f"{copy}-{name}")
    return out


def _files(result) -> list[dict]:
    return [item.to_dict() for item in result.files]


def test_threaded_scan_reports_what_a_sequential_scan_reports(folder):
    from markcheck.discover import discover
    from markcheck.examine import examine
    from markcheck.rules.packs import prepare_packs
    from markcheck.scan_options import ScanOptions

    sequential = scan([folder], select=["cn.implicit"], jobs=0)  # -j 0: one file at a time
    assert len(sequential.files) == 36  # 9 kinds, 4 copies
    # The scanner picks threads only where cores are spare: run them here whatever the load.
    candidates, _ = discover([folder])
    packs = prepare_packs(("cn-gb45438",), ("cn.implicit",), (), None)
    threaded = [r for _, r in run_threaded(candidates, examine, packs, ScanOptions(), 2)]
    assert [r.to_dict() for r in threaded] == _files(sequential)  # same words, same order
    assert _files(scan([folder], select=["cn.implicit"])) == _files(sequential)  # jobs=None
    by_name = {item.path: item for item in threaded}
    for path in folder.iterdir():
        item = by_name[path.name]
        if "truncated" in path.name:
            assert item.status == "error"
            continue
        if path.name.split("-", 1)[1].startswith("label."):
            assert item.status == "compliant"  # the label written was read, in every format
        # The whole-file read hashes what was written.
        assert item.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        # c2pa ran on the threads: the signed files' manifests were read and validated.
        assert (item.implicit.c2pa is not None) == (
            "signed" in path.name or "tampered" in path.name
        )


def test_threaded_stream_keeps_input_order_and_stops_when_closed(folder):
    from markcheck.discover import discover
    from markcheck.examine import examine
    from markcheck.rules.packs import prepare_packs
    from markcheck.scan_options import ScanOptions

    candidates, _ = discover([folder])
    packs = prepare_packs(("cn-gb45438",), ("cn.implicit",), (), None)
    stream = run_threaded(candidates, examine, packs, ScanOptions(), threads=3)
    first = [next(stream) for _ in range(5)]
    assert [index for index, _ in first] == [0, 1, 2, 3, 4]
    assert [result.path for _, result in first] == [c.rel for c in candidates[:5]]
    stream.close()  # cancels what was queued; the threads are gone when close returns
    with pytest.raises(StopIteration):
        next(stream)


def test_files_above_and_below_the_whole_read_size_say_the_same(tmp_path):
    """A file over collect.WHOLE_READ_BYTES is hashed in chunks and parsed from disk; one
    under it from memory. Both hash the bytes written and read the same label."""
    import struct
    import zlib

    from markcheck.evidence.collect import WHOLE_READ_BYTES

    small = mb.png(tmp_path / "small.png", {"AIGC": LABEL})
    data = small.read_bytes()
    body = bytes(WHOLE_READ_BYTES + 1)  # a private ancillary chunk readers skip
    chunk = struct.pack(">I", len(body)) + b"prVt" + body
    chunk += struct.pack(">I", zlib.crc32(b"prVt" + body))
    end = data.rindex(b"IEND") - 4
    (tmp_path / "big.png").write_bytes(data[:end] + chunk + data[end:])
    result = {item.path: item for item in scan([tmp_path], select=["cn.implicit"]).files}
    for name in ("small.png", "big.png"):
        item = result[name]
        assert item.sha256 == hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        assert item.status == "compliant"
        (label,) = item.implicit.tc260
        assert label.label["ProduceID"] == "img-2025-0001"


def test_thread_count_counts_what_runs_now_and_keeps_small_folders_on_one_thread(tmp_path):
    """Back-to-back scans leave their own load in the 1-minute average: the runnable count
    of this moment decides too, and a folder of a few files never starts a pool."""
    import os

    from markcheck.threaded import MIN_FILES, _running_now, metadata_threads

    assert metadata_threads(MIN_FILES - 1) == 1
    # The kernel's format: 1-, 5-, 15-minute averages, runnable/total tasks, last pid.
    (tmp_path / "idle").write_text("3.95 2.40 1.90 1/82 26480\n")
    (tmp_path / "busy").write_text("0.10 0.20 0.30 4/82 26480\n")
    (tmp_path / "junk").write_text("0.10 0.20\n")
    assert _running_now(str(tmp_path / "idle")) == 0  # only the reader itself runs
    assert _running_now(str(tmp_path / "busy")) == 3
    assert _running_now(str(tmp_path / "junk")) == float("inf")  # the average decides
    assert _running_now(str(tmp_path / "missing")) == float("inf")
    threads = metadata_threads(1000)
    assert 1 <= threads <= min(4, os.cpu_count() or 1)


def test_the_environment_sets_the_thread_count_and_the_report_stays_the_same(folder, monkeypatch):
    """MARKCHECK_METADATA_THREADS overrides the load figures (a container reads its host's);
    the scan with it runs on that many threads and says what a sequential scan says."""
    import threading

    from markcheck.threaded import THREADS_VARIABLE, metadata_threads

    sequential = _files(scan([folder], select=["cn.implicit"], jobs=0))
    seen: set[str] = set()

    def progress(done: int, total: int, path: str) -> None:
        seen.update(t.name for t in threading.enumerate() if t.name.startswith("markcheck-"))

    def picked() -> list[dict]:  # jobs=None: markcheck picks, as on the command line
        seen.clear()
        return _files(scan([folder], select=["cn.implicit"], jobs=None, progress=progress))

    monkeypatch.setenv(THREADS_VARIABLE, "2")
    assert metadata_threads(3) == 2  # set: even a small folder gets the threads
    assert picked() == sequential
    assert len(seen) == 2  # the two pool threads were there while files were judged
    monkeypatch.setenv(THREADS_VARIABLE, "99")
    assert metadata_threads(1000) == 4  # at most MAX_THREADS
    for junk in ("0", "-1", "two", ""):
        monkeypatch.setenv(THREADS_VARIABLE, junk)
        assert metadata_threads(3) == 1  # not a count: the small-folder rule decides again
    assert picked() == sequential  # the load figures decide
    monkeypatch.setenv(THREADS_VARIABLE, "1")
    assert picked() == sequential
    assert not seen  # one thread: the files ran on the calling thread, no pool
