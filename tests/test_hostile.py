"""A corpus of hostile files: each ends with a status and a reason, the scan goes on."""

from __future__ import annotations

import json
import os
import struct
import time
import zlib
from pathlib import Path

import pytest

import hostile_builders as hb
import media_builders as mb
from conftest import label_json, run_cli
from markcheck.reports.json_report import validate

LABEL = label_json()


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def png_bytes(tmp: Path, **text) -> bytes:
    return mb.png(tmp / "base.png", text or None).read_bytes()


def build(folder: Path) -> dict[str, str]:
    """Hostile files, and what their report entry must say (status, or a reason fragment)."""
    tmp = folder / "_build"
    tmp.mkdir()
    png = png_bytes(tmp)
    jpeg = mb.jpeg(tmp / "base.jpg").read_bytes()
    ihdr_end = 33
    expect: dict[str, str] = {}

    def put(name: str, data: bytes, want: str) -> None:
        (folder / name).write_bytes(data)
        expect[name] = want

    put("empty.jpg", b"", "error")
    put("truncated.png", png[:-20], "error")
    put(
        "chunk-past-end.png",
        png[:ihdr_end] + struct.pack(">I", 2**31) + b"tEXt" + b"x" * 20,
        "error",
    )
    bomb = b"AIGC\x00\x00" + zlib.compress(b"{" * (256 * 2**20), 9)
    put("ztxt-bomb.png", png[:ihdr_end] + chunk(b"zTXt", bomb) + png[ihdr_end:], "inflates past")
    many = b"".join(chunk(b"tEXt", b"k\x00v") for _ in range(6000))
    put("many-chunks.png", png[:ihdr_end] + many + png[ihdr_end:], "error")
    put("random-bytes.png", os.urandom(4096), "error")
    huge = png[:16] + struct.pack(">II", 100_000, 100_000) + png[24:]
    huge = huge[:29] + struct.pack(">I", zlib.crc32(huge[12:29])) + huge[33:]
    put("declared-100000x100000.png", huge, "not_applicable")  # metadata alone is fine
    put("jpeg-no-eoi.jpg", jpeg[: len(jpeg) // 2], "error")
    put("jpeg-zero-length-segment.jpg", jpeg[:2] + b"\xff\xe1\x00\x00" + jpeg[2:], "error")
    put("jpeg-many-segments.jpg", jpeg[:2] + b"\xff\xfe\x00\x04ab" * 5000 + jpeg[2:], "error")
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {c} "{("&" + p + ";") * 10}">'.encode()
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + b']><x:xmpmeta xmlns:x="adobe:ns:meta/">&i;</x:xmpmeta>'
    )
    put("xmp-billion-laughs.jpg", mb.jpeg(tmp / "l.jpg", laughs).read_bytes(), "XMP refused")
    external = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&e;</x:xmpmeta>'
    )
    put("xmp-external-entity.jpg", mb.jpeg(tmp / "e.jpg", external).read_bytes(), "XMP refused")
    nested = b"<a>" * 9_000 + b"</a>" * 9_000
    put("xmp-deeply-nested.jpg", mb.jpeg(tmp / "n.jpg", nested).read_bytes(), "not_applicable")
    put(
        "xmp-not-xml.jpg", mb.jpeg(tmp / "b.jpg", b"<x:xmpmeta <<<").read_bytes(), "not well-formed"
    )
    tiff = bytearray(mb.tiff(tmp / "t.tif", mb.xmp_packet(LABEL)).read_bytes())
    loop = bytearray(tiff)
    first = struct.unpack("<I", loop[4:8])[0]
    count = struct.unpack("<H", loop[first : first + 2])[0]
    loop[first + 2 + 12 * count : first + 6 + 12 * count] = struct.pack("<I", first)
    put("tiff-ifd-loop.tif", bytes(loop), "IFD loop")
    put("tiff-ifd-past-end.tif", bytes(tiff[:4]) + struct.pack("<I", 2**31), "error")
    gif = mb.gif(tmp / "g.gif").read_bytes()
    put("gif-no-trailer.gif", gif[:-1], "error")
    webp = bytearray(mb.webp(tmp / "w.webp").read_bytes())
    webp[4:8] = struct.pack("<I", 2**31)
    put("webp-riff-size.webp", bytes(webp), "error")
    mp4 = mb.mp4(tmp / "m.mp4", {"AIGC": LABEL}).read_bytes()
    put("mp4-truncated.mp4", mp4[: len(mp4) // 3], "error")
    deep = b"\x00" * 0
    for _ in range(40):
        deep = box(b"udta", deep)
    put(
        "mp4-deep-boxes.mp4",
        box(b"ftyp", b"isom\x00\x00\x02\x00isom") + box(b"moov", deep),
        "nested deeper",
    )
    put(
        "mp4-huge-largesize.mp4",
        box(b"ftyp", b"isom\x00\x00\x02\x00isom") + struct.pack(">I4sQ", 1, b"mdat", 2**62),
        "error",
    )
    put(
        "mp4-no-moov.mp4",
        box(b"ftyp", b"isom\x00\x00\x02\x00isom") + box(b"mdat", b"x" * 64),
        "not_applicable",
    )
    avif = mb.avif(tmp / "a.avif", mb.xmp_packet(LABEL)).read_bytes()
    put("avif-cut.avif", avif[:200], "error")
    put("liar.mp4", png_bytes(tmp, AIGC=LABEL), "compliant")
    for name, (data, status, _reason) in hb.build(tmp, mb.xmp_packet(LABEL)).items():
        put(name, data, status)  # reasons: test_crafted.py
    os.mkfifo(folder / "fifo.jpg")
    os.symlink(folder, folder / "loop")
    (folder / os.fsdecode(b"caf\xe9-label.png")).write_bytes(png_bytes(tmp, AIGC=LABEL))
    expect["caf\\xe9-label.png"] = "compliant"
    for name in sorted(tmp.iterdir()):
        name.unlink()
    tmp.rmdir()
    return expect


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    expect = build(folder)
    good = folder / "good"
    good.mkdir()
    mb.png(good / "ok.png", {"AIGC": LABEL})
    mb.jpeg(good / "ok.jpg", mb.xmp_packet(LABEL))
    return folder, expect


def test_every_hostile_file_ends_with_a_status_and_a_reason(hostile):
    folder, expect = hostile
    assert len(expect) >= 34
    start = time.monotonic()
    proc = run_cli("scan", str(folder), "--select", "cn.implicit", "--jobs", "2",
                   "--timeout", "20", "-f", "json", timeout=300)  # fmt: skip
    assert time.monotonic() - start < 120
    assert proc.returncode == 1, proc.stderr  # errors fail the gate by default
    report = json.loads(proc.stdout)
    validate(report)
    files = {f["path"]: f for f in report["files"]}
    for name, want in expect.items():
        item = files[name]
        said = json.dumps(item)
        if want in ("error", "compliant", "needs_review", "not_applicable"):
            assert item["status"] == want, (name, item["status"], item["error"], item["notes"])
            if want == "error":
                assert item["error"]["message"], name
        else:
            assert want in said, (name, said[:600])
    assert files["good/ok.png"]["status"] == "compliant"
    assert files["good/ok.jpg"]["status"] == "compliant"
    skipped = {s["path"]: s["reason"] for s in report["skipped"]}
    assert skipped["fifo.jpg"] == "not a regular file"
    assert "not followed" in skipped["loop"]


def test_exit_code_follows_the_well_formed_files_when_errors_are_allowed(hostile):
    """No file of the corpus is built non-compliant (each is broken, hostile, unlabelled without
    an AI signal, or well labelled): errors allowed, the gate passes; errors counted, it fails."""
    folder, expect = hostile
    assert "noncompliant" not in expect.values() and "error" in expect.values()
    proc = run_cli("scan", str(folder), "--select", "cn.implicit", "--fail-on", "noncompliant",
                   "-f", "json", timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["noncompliant"] == 0
    strict = run_cli("scan", str(folder), "--select", "cn.implicit", "--fail-on", "error",
                     timeout=300)  # fmt: skip
    assert strict.returncode == 1


def test_pixel_bomb_is_refused_before_decoding(hostile):
    from markcheck import scan

    folder, _ = hostile
    start = time.monotonic()
    result = scan(
        [folder / "declared-100000x100000.png"], select=["cn.explicit.present"], assume_ai=True
    )
    assert time.monotonic() - start < 30
    (item,) = result.files
    (finding,) = item.findings
    assert finding.outcome == "unknown"
    assert "over the 250,000,000-pixel limit" in finding.message
