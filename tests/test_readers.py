"""Every metadata carrier, read from real files made by real encoders."""

from __future__ import annotations

import base64
import contextlib
import json
import struct
import zlib
from pathlib import Path

import pytest

import media_builders as mb
from conftest import label_json
from markcheck.discover import discover
from markcheck.evidence.collect import collect_metadata
from markcheck.model import Evidence
from markcheck.readers import Limits, ReaderError
from markcheck.scan_options import ScanOptions

LABEL = label_json()
WRAPPED = json.dumps({"AIGC": json.loads(LABEL)}, separators=(",", ":"))


def evidence_of(path: Path, options: ScanOptions | None = None) -> Evidence:
    (candidate,), _ = discover([path])
    return collect_metadata(candidate, options or ScanOptions())


def labels(path: Path) -> list[tuple[str, str | None, str]]:
    found = evidence_of(path).implicit.tc260
    return [(f.carrier, f.label.get("Label") if f.label else None, f.form) for f in found]


@pytest.mark.parametrize("form", ["element", "attribute", "cdata"])
def test_jpeg_app1_xmp_forms(tmp_path, form):
    path = mb.jpeg(tmp_path / "a.jpg", mb.xmp_packet(LABEL, form=form))
    ev = evidence_of(path)
    (found,) = ev.implicit.tc260
    assert found.carrier == "xmp:jpeg/app1-xmp"
    assert found.label == json.loads(LABEL) and found.raw == LABEL and found.deviations == []
    assert (ev.media.width, ev.media.height) == (96, 64)


def test_any_prefix_bound_to_the_tc260_uri(tmp_path):
    path = mb.jpeg(tmp_path / "a.jpg", mb.xmp_packet(LABEL, prefix="aigc"))
    assert labels(path) == [("xmp:jpeg/app1-xmp", "1", "bare")]


def test_near_miss_namespace_is_accepted_and_named(tmp_path):
    packet = mb.xmp_packet(LABEL, namespace="https://www.tc260.org.cn/ns/AIGC/1.0")
    (found,) = evidence_of(mb.jpeg(tmp_path / "a.jpg", packet)).implicit.tc260
    assert found.label["Label"] == "1"
    assert any("namespace written as" in d for d in found.deviations)


def test_double_entity_escaped_json(tmp_path):
    escaped = LABEL.replace('"', "&quot;")  # stored escaped once more than XML needs
    (found,) = evidence_of(mb.jpeg(tmp_path / "a.jpg", mb.xmp_packet(escaped))).implicit.tc260
    assert found.label == json.loads(LABEL)
    assert found.deviations == ["JSON is HTML-entity-encoded in the stored value"]


def test_base64_label(tmp_path):
    blob = base64.b64encode(LABEL.encode()).decode()
    (found,) = evidence_of(mb.png(tmp_path / "a.png", {"AIGC": blob})).implicit.tc260
    assert found.label == json.loads(LABEL) and found.deviations == ["JSON is Base64-encoded"]


def test_exif_user_comment_wrapped_and_xmp_duplicate(tmp_path):
    exif = mb.user_comment_exif(WRAPPED)
    path = mb.jpeg(tmp_path / "a.jpg", mb.xmp_packet(LABEL), exif)
    assert sorted(labels(path)) == [
        ("exif/UserComment", "1", "wrapped"),
        ("xmp:jpeg/app1-xmp", "1", "bare"),
    ]


def test_jpeg_extended_xmp(tmp_path):
    big = label_json(ReservedCode1="x" * 70000)  # too large for one APP1 segment
    path = mb.copy_xmp_tags(mb.jpeg(tmp_path / "a.jpg"), mb.xmp_packet(big))
    (found,) = evidence_of(path).implicit.tc260
    assert found.carrier == "xmp:jpeg/app1-xmp-extended"
    assert found.label == json.loads(big)


@pytest.mark.parametrize("chunk", ["tEXt", "zTXt", "iTXt"])
def test_png_text_chunks(tmp_path, chunk):
    value = LABEL if chunk != "iTXt" else label_json(ProduceID="编号1")
    path = mb.png(
        tmp_path / "a.png", {"AIGC": value}, compressed={"AIGC"} if chunk == "zTXt" else None
    )
    (found,) = evidence_of(path).implicit.tc260
    assert found.carrier == f"png/{chunk}:AIGC"
    assert found.raw == value


def test_png_itxt_xmp(tmp_path):
    path = mb.png(tmp_path / "a.png", xmp=mb.xmp_packet(WRAPPED))
    assert labels(path) == [("xmp:png/iTXt:XML:com.adobe.xmp", "1", "wrapped")]


def test_webp_xmp_and_exif(tmp_path):
    path = mb.webp(tmp_path / "a.webp", mb.xmp_packet(LABEL), mb.user_comment_exif(WRAPPED))
    ev = evidence_of(path)
    assert sorted(f.carrier for f in ev.implicit.tc260) == ["webp/EXIF/UserComment", "xmp:webp/XMP"]
    assert (ev.media.width, ev.media.height) == (96, 64)


def test_gif_xmp_application_extension(tmp_path):
    ev = evidence_of(mb.gif(tmp_path / "a.gif", mb.xmp_packet(LABEL)))
    assert [(f.carrier, f.label["Label"]) for f in ev.implicit.tc260] == [("xmp:gif/app-XMP", "1")]
    assert (ev.media.width, ev.media.height) == (96, 64)


def test_tiff_tag_700(tmp_path):
    ev = evidence_of(mb.tiff(tmp_path / "a.tif", mb.xmp_packet(LABEL)))
    assert [f.carrier for f in ev.implicit.tc260] == ["xmp:tiff/tag700"]
    assert (ev.media.width, ev.media.height) == (96, 64)


def test_avif_xmp_and_exif_items(tmp_path):
    path = mb.embed_user_comment(mb.avif(tmp_path / "a.avif", mb.xmp_packet(LABEL)), WRAPPED)
    ev = evidence_of(path)
    assert sorted(f.carrier for f in ev.implicit.tc260) == [
        "avif/Exif/UserComment",
        "xmp:avif/meta/xmp-item",
    ]
    assert (ev.media.kind, ev.media.width, ev.media.height) == ("image", 96, 64)


def test_mp4_keys_ilst_and_uuid_xmp(tmp_path):
    path = mb.mp4(tmp_path / "a.mp4", {"AIGC": LABEL})
    ev = evidence_of(path)
    assert [f.carrier for f in ev.implicit.tc260] == ["mp4/moov/udta/meta/keys:AIGC"]
    assert ev.media.kind == "video" and ev.media.duration_s == pytest.approx(0.6, abs=0.05)
    mb.embed_xmp(path, mb.xmp_packet(LABEL))
    assert sorted(f.carrier for f in evidence_of(path).implicit.tc260) == [
        "mp4/moov/udta/meta/keys:AIGC",
        "xmp:mp4/uuid",
    ]


def test_iptc_source_type_and_ai_fields(tmp_path):
    props = "<Iptc4xmpExt:AISystemUsed>Acme Diffusion</Iptc4xmpExt:AISystemUsed>"
    packet = mb.xmp_packet(None, source_type=mb.DST + "trainedAlgorithmicMedia", properties=props)
    ev = evidence_of(mb.jpeg(tmp_path / "a.jpg", packet))
    assert ev.implicit.iptc_digital_source_type == mb.DST + "trainedAlgorithmicMedia"
    assert ev.implicit.iptc_ai == {"AISystemUsed": "Acme Diffusion"}
    assert ev.implicit.tc260 == []


def test_generator_traces(tmp_path):
    path = mb.png(
        tmp_path / "a.png",
        {"parameters": "a cat\nSteps: 20, Sampler: Euler a", "workflow": '{"nodes": []}'},
    )
    hints = [h.source for h in evidence_of(path).implicit.generator_hints]
    assert hints == ["png/tEXt:parameters", "png/tEXt:workflow"]
    credit = "<photoshop:Credit>Made with Google AI</photoshop:Credit>"
    tool = "<xmp:CreatorTool>Adobe Firefly Image 3</xmp:CreatorTool>"
    path = mb.jpeg(
        tmp_path / "b.jpg",
        mb.xmp_packet(None, properties=credit + tool),
        mb.user_comment_exif("hello", software="Midjourney v6"),
    )
    values = sorted(h.value for h in evidence_of(path).implicit.generator_hints)
    assert values == ["Adobe Firefly Image 3", "Made with Google AI", "Midjourney v6"]


def test_file_with_no_metadata(tmp_path):
    ev = evidence_of(mb.jpeg(tmp_path / "a.jpg"))
    assert ev.implicit.tc260 == [] and ev.implicit.generator_hints == []
    assert ev.implicit.iptc_digital_source_type is None and ev.notes == []


def test_xmp_with_entities_is_refused_not_expanded(tmp_path):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "' + b"A" * 1000 + b'">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + mb.xmp_packet("&b;")[60:]
    )
    ev = evidence_of(mb.jpeg(tmp_path / "a.jpg", bomb))
    assert ev.implicit.tc260 == []
    assert any("XMP refused" in note for note in ev.notes)


def test_ztxt_bomb_is_bounded(tmp_path):
    path = mb.png(tmp_path / "a.png")
    data = path.read_bytes()
    body = b"AIGC\x00\x00" + zlib.compress(b"{" * (64 * 2**20), 9)
    chunk = struct.pack(">I", len(body) - 0) + b"zTXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"zTXt" + body))
    path.write_bytes(data[:33] + chunk + data[33:])
    ev = evidence_of(path, ScanOptions(limits=Limits(max_inflate_bytes=1 << 20)))
    assert ev.implicit.tc260 == []
    assert any("inflates past the 1048576-byte limit" in note for note in ev.notes)


@pytest.mark.parametrize("maker", [mb.png, mb.jpeg, mb.gif])
def test_truncated_files_raise_a_clear_error(tmp_path, maker):
    path = maker(tmp_path / f"a.{maker.__name__}")
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(ReaderError, match="truncated|past the end"):
        evidence_of(path)


def test_jpeg_with_a_trailer_after_eoi_is_read(tmp_path):
    """Phones append data after EOI: the end check finds EOI before such a trailer, whether
    or not the file ends with it."""
    path = mb.jpeg(tmp_path / "a.jpg", mb.xmp_packet(LABEL))
    assert path.read_bytes().endswith(b"\xff\xd9")
    assert labels(path) == [("xmp:jpeg/app1-xmp", "1", "bare")]
    path.write_bytes(path.read_bytes() + b"SEFH" + bytes(3000))
    assert labels(path) == [("xmp:jpeg/app1-xmp", "1", "bare")]


def test_box_size_past_end_of_file(tmp_path):
    path = mb.mp4(tmp_path / "a.mp4", {"AIGC": LABEL})
    data = bytearray(path.read_bytes())
    moov = data.find(b"moov") - 4
    data[moov : moov + 4] = struct.pack(">I", len(data) * 2)
    path.write_bytes(bytes(data))
    with pytest.raises(ReaderError, match="past the end"):
        evidence_of(path)


def test_extension_that_lies_is_noted(tmp_path):
    path = mb.png(tmp_path / "photo.jpg", {"AIGC": LABEL})
    ev = evidence_of(path)
    assert ev.media.format == "png" and len(ev.implicit.tc260) == 1
    assert any("bytes are png" in note for note in ev.notes)


def test_fuzz_regressions_are_refused_cleanly(tmp_path):
    """Inputs the fuzzer once crashed the readers with: now a clean error or a reading."""
    folder = Path(__file__).parent / "data" / "fuzz-regressions"
    for crash in sorted(folder.iterdir()):
        path = tmp_path / crash.name
        path.write_bytes(crash.read_bytes())
        with contextlib.suppress(ReaderError):
            evidence_of(path)
