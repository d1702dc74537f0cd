"""Scanning s3:// URLs against a real S3-compatible server (moto) on 127.0.0.1."""

from __future__ import annotations

import json
import struct

import pytest

from conftest import label_json, run_cli, write_png
from markcheck import scan
from markcheck.remote import SHA_NOTE
from markcheck.reports.json_report import report, validate
from markcheck.scan_options import ScanOptions
from media_builders import jpeg, mp4, xmp_packet
from test_cache import labelled_png

BIG_PADDING = 32 * 1024 * 1024  # a trailing `free` box: the file is big, its metadata small


def _tree(root):
    root.mkdir(parents=True)
    labelled_png(root / "labelled.png")
    write_png(root / "plain.png")
    jpeg(root / "photo.jpg", xmp=xmp_packet(label_json()))
    video = mp4(root / "big.mp4", {"AIGC": label_json()})
    with open(video, "ab") as out:  # ISO-BMFF `free` box: skipped by readers, never decoded
        out.write(struct.pack(">I4s", BIG_PADDING + 8, b"free"))
        out.truncate(out.tell() + BIG_PADDING)
    (root / "notes.txt").write_text("not media")
    return root


@pytest.fixture(scope="module")
def bucket(s3, tmp_path_factory, request):
    local = _tree(tmp_path_factory.mktemp("s3src") / "media")
    fs = s3.filesystem()
    fs.makedirs("scans", exist_ok=True)  # the endpoint is shared by the run's test modules
    # Each module that uses these objects writes its own: another module's upload of freshly
    # built files under the same keys changes their ETags under this one's open files.
    prefix = f"scans/{request.module.__name__}/media"
    for path in local.iterdir():
        fs.put_file(str(path), f"{prefix}/{path.name}")
    return local, f"s3://{prefix}"


def _by_name(document):
    return {item["path"].rsplit("/", 1)[-1]: item for item in document["files"]}


def test_paths_are_urls_and_non_media_is_skipped(bucket, s3):
    local, url = bucket
    result = scan([url], select=["cn.implicit"])
    assert [f.path for f in result.files] == [
        f"{url}/big.mp4",
        f"{url}/labelled.png",
        f"{url}/photo.jpg",
        f"{url}/plain.png",
    ]
    assert result.skipped_paths == [
        {"path": f"{url}/notes.txt", "reason": "not a media format markcheck reads"}
    ]


def test_metadata_scan_reads_ranges_not_whole_files(bucket, s3):
    local, url = bucket
    s3.proxy.reset()
    remote = scan([f"{url}/big.mp4"], select=["cn.implicit"]).files[0]
    moved = s3.proxy.reset()
    size = (local / "big.mp4").stat().st_size
    assert size > BIG_PADDING
    assert moved < 1024 * 1024, f"{moved} bytes moved for a metadata scan of {size} bytes"
    assert remote.sha256 == "" and SHA_NOTE in remote.notes
    here = scan([local / "big.mp4"], select=["cn.implicit"]).files[0]
    assert remote.status == here.status == "compliant"
    assert remote.implicit == here.implicit and remote.findings == here.findings


def assert_same_as_local(remote_doc: dict, local_doc: dict) -> None:
    """Per-file JSON equal apart from paths; an object never read whole has no sha256."""
    remote_files, local_files = _by_name(remote_doc), _by_name(local_doc)
    assert remote_files.keys() == local_files.keys()
    for name, item in remote_files.items():
        mine = local_files[name]
        if SHA_NOTE in item["notes"]:  # nothing fetched the whole object: not hashed
            assert item["sha256"] == "" and name == "plain.png"
            item["notes"].remove(SHA_NOTE)
            item["sha256"] = mine["sha256"]
        for doc in (item, mine):
            doc.pop("path")
        assert item == mine, name
    assert remote_doc["summary"] == local_doc["summary"]


def test_full_scan_matches_a_local_scan(bucket, s3):
    local, url = bucket
    remote_doc = json.loads(report(scan([url])))
    validate(remote_doc)
    # The labelled picture's pixels were fetched: hashed and OCR'd like the local file.
    assert _by_name(remote_doc)["labelled.png"]["explicit"]
    assert_same_as_local(remote_doc, json.loads(report(scan([local]))))


def test_cli_scan_of_a_bucket_with_the_cache(bucket, s3, tmp_path):
    _, url = bucket
    args = ("scan", url, "-f", "json", "--cache-dir", str(tmp_path / "c"), "--select", "cn")
    first = run_cli(*args)
    assert first.returncode in (0, 1), first.stderr
    second = json.loads(run_cli(*args).stdout)
    validate(second)
    files = _by_name(second)
    assert all(item["path"].startswith(url + "/") for item in files.values())
    assert all("metadata" in item["cached"] for item in files.values())
    assert all(len(item["sha256"]) == 64 for item in files.values())  # fetched whole to hash
    assert "testing" not in first.stderr + first.stdout  # credentials are never printed


def test_missing_prefix_is_a_usage_error(s3):
    done = run_cli("scan", "s3://scans/no-such-prefix")
    assert done.returncode == 2 and "no-such-prefix" in done.stderr


def test_an_object_that_cannot_be_read_is_that_files_error(bucket, s3):
    _, url = bucket
    fs = s3.filesystem()
    fs.pipe("scans/broken/cut.png", (b"\x89PNG\r\n\x1a\n" + b"\0" * 40)[:40])
    result = scan(["s3://scans/broken"], options=ScanOptions())
    assert [f.status for f in result.files] == ["error"]
    assert result.files[0].path == "s3://scans/broken/cut.png"


def test_sarif_locations_are_the_urls(bucket, s3):
    _, url = bucket
    done = run_cli("scan", url, "-f", "sarif")
    assert done.returncode in (0, 1), done.stderr
    results = json.loads(done.stdout)["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris and all(uri.startswith(url + "/") for uri in uris)
