"""Matroska/WebM SimpleTag, AVI LIST/INFO and FLV onMetaData carriers of the AIGC label: real
files from ffmpeg's muxers (PyAV), hand-built bytes where no tool writes the form; bounded
reads of broken and hostile files."""

from __future__ import annotations

import io
import struct

import av
import pytest

import video_container_builders as vb
from conftest import label_json
from markcheck.readers import Limits, ReaderError
from markcheck.readers.dispatch import READERS, read_metadata
from markcheck.readers.interpret import interpret

CARRIERS = {
    "mkv": "mkv/Tags/SimpleTag:AIGC",
    "webm": "webm/Tags/SimpleTag:AIGC",
    "flv": "flv/onMetaData:AIGC",
    "avi": "avi/LIST/INFO/AIGC:AIGC",
}


def read(path, fmt, limits: Limits | None = None):
    limits = limits or Limits()
    data = path.read_bytes()
    raw = read_metadata(io.BytesIO(data), fmt, len(data), limits)
    implicit, notes = interpret(raw, limits)
    return raw, implicit


def labelled(tmp_path, fmt, label, **extra):
    if fmt == "avi":
        path = vb.video(tmp_path / "v.avi", fmt, extra)
        return vb.add_avi_info(path, {b"AIGC": label})
    return vb.video(tmp_path / f"v.{fmt}", fmt, {"AIGC": label, **extra})


def test_the_four_formats_are_registered():
    assert {"mkv", "webm", "avi", "flv"} <= set(READERS)


@pytest.mark.parametrize("fmt", sorted(CARRIERS))
def test_label_read_from_each_container(tmp_path, fmt):
    label = label_json(ProduceID=f"{fmt}-0001")
    path = labelled(tmp_path, fmt, label)
    with av.open(str(path)) as container:  # ffmpeg reads the file back
        assert container.streams.video[0].codec_context.width == 96
    raw, implicit = read(path, fmt)
    (found,) = implicit.tc260
    assert found.carrier == CARRIERS[fmt]
    assert found.raw == label
    assert found.label["ProduceID"] == f"{fmt}-0001"
    assert (raw.width, raw.height) == (96, 64)
    assert raw.duration_s == pytest.approx(0.6, abs=0.11)  # 6 frames at 10 fps


@pytest.mark.parametrize("fmt", sorted(CARRIERS))
def test_no_label_without_the_carrier(tmp_path, fmt):
    path = vb.video(tmp_path / f"plain.{fmt}", fmt, {"comment": "holiday clip"})
    raw, implicit = read(path, fmt)
    assert implicit.tc260 == []
    assert any(entry.value == "holiday clip" for entry in raw.entries)


# ffmpeg writes its own ENCODER (Lavf); ENCODED_BY is the tool's to fill.
@pytest.mark.parametrize("fmt, key", [("mkv", "ENCODED_BY"), ("flv", "encoded_by")])
def test_encoder_field_is_a_tool_field(tmp_path, fmt, key):
    path = vb.video(tmp_path / f"gen.{fmt}", fmt, {key: "Kling 2.1 export"})
    _, implicit = read(path, fmt)
    assert [h.value for h in implicit.generator_hints] == ["Kling 2.1 export"]


def test_avi_artist_is_not_a_trace_but_software_is(tmp_path):
    path = vb.add_avi_info(
        vb.video(tmp_path / "a.avi", "avi"), {b"IART": "Sora Tanaka", b"ICOP": "Runway Films"}
    )
    assert read(path, "avi")[1].generator_hints == []
    path = vb.add_avi_info(vb.video(tmp_path / "b.avi", "avi"), {b"ISFT": "Pika 1.5"})
    assert [h.value for h in read(path, "avi")[1].generator_hints] == ["Pika 1.5"]


@pytest.mark.parametrize("fmt", sorted(CARRIERS))
def test_truncated_file_is_refused_in_bounded_time(tmp_path, fmt):
    path = labelled(tmp_path, fmt, label_json())
    data = path.read_bytes()
    cut = tmp_path / f"cut.{fmt}"
    cut.write_bytes(data[: data.index(b"AIGC") + 2])
    with pytest.raises(ReaderError):
        read(cut, fmt)


def test_hostile_sizes_are_refused(tmp_path):
    # An EBML header whose size claims 2^56 bytes; an FLV tag claiming 16 MB; an AVI RIFF
    # claiming 4 GB; each in a file of a few bytes.
    cases = {
        "mkv": bytes.fromhex("1a45dfa3") + b"\x01" + b"\xff" * 6 + b"\xfe" + b"\x00" * 8,
        "flv": b"FLV\x01\x05" + struct.pack(">I", 9) + bytes(4) + b"\x12\xff\xff\xff" + bytes(7),
        "avi": b"RIFF" + struct.pack("<I", 0xFFFFFFF0) + b"AVI " + bytes(8),
    }
    for fmt, data in cases.items():
        path = tmp_path / f"bad.{fmt}"
        path.write_bytes(data)
        with pytest.raises(ReaderError):
            read(path, fmt)


def test_deep_flv_amf_is_a_deviation_not_a_crash(tmp_path):
    nested = b"\x02\x00\x0aonMetaData" + b"\x03\x00\x01a" * 40 + b"\x00\x00\x09" * 40
    tag = b"\x12" + len(nested).to_bytes(3, "big") + bytes(7) + nested + bytes(4)
    path = tmp_path / "deep.flv"
    path.write_bytes(b"FLV\x01\x05" + struct.pack(">I", 9) + bytes(4) + tag)
    raw, _ = read(path, "flv")
    assert any("nested deeper" in d for d in raw.deviations)


def test_mkv_unknown_size_cluster_stops_the_walk(tmp_path):
    # Segment of unknown size, then a Cluster of unknown size (a live recording): the walk
    # ends there instead of reading the media.
    ebml = bytes.fromhex("1a45dfa3") + b"\x84" + bytes.fromhex("4282") + b"\x81" + b"m"
    segment = bytes.fromhex("18538067") + b"\x01" + b"\xff" * 7
    cluster = bytes.fromhex("1f43b675") + b"\x01" + b"\xff" * 7 + b"\x00" * 4096
    path = tmp_path / "live.mkv"
    path.write_bytes(ebml + segment + cluster)
    raw, implicit = read(path, "mkv")
    assert implicit.tc260 == [] and raw.entries == []


@pytest.mark.parametrize("fmt", ["mkv", "webm", "flv"])
def test_containers_without_a_c2pa_embedding_say_no_store(tmp_path, fmt):
    raw, _ = read(labelled(tmp_path, fmt, label_json()), fmt)
    assert raw.c2pa_stores == []


def test_avi_c2pa_chunk_is_found_and_validated(tmp_path):
    import c2pa_fixtures as cf
    from markcheck.model import Evidence, MediaInfo
    from markcheck.readers.c2pa import provide_c2pa
    from markcheck.scan_options import ScanOptions

    creds = cf.make_credentials()
    plain = vb.video(tmp_path / "plain.avi", "avi")
    assert read(plain, "avi")[0].c2pa_stores == []
    signed = cf.sign(plain, tmp_path / "signed.avi", creds, cf.manifest())
    raw, _ = read(signed, "avi")
    assert raw.c2pa_stores == ["avi/C2PA"]
    evidence = Evidence("signed.avi", "", MediaInfo("video", "avi"), c2pa_stores=raw.c2pa_stores)
    provide_c2pa(evidence, signed, "avi", ScanOptions())
    info = evidence.implicit.c2pa
    assert info.validation_state == "Valid" and info.digital_source_type == cf.GENAI


def _el(ident: int, body: bytes) -> bytes:
    """An EBML element with an 8-byte size (as muxers write sizes they patch later)."""
    head = ident.to_bytes((ident.bit_length() + 7) // 8, "big")
    return head + (0x01 << 56 | len(body)).to_bytes(8, "big") + body


def _tags(name: str, value: str) -> bytes:
    simple = _el(0x67C8, _el(0x45A3, name.encode()) + _el(0x4487, value.encode()))
    return _el(0x1254C367, _el(0x7373, _el(0x63C0, b"") + simple))


@pytest.mark.parametrize("with_seekhead", [True, False])
def test_mkv_tags_after_the_clusters(tmp_path, with_seekhead):
    # Hand-built (ffmpeg writes Tags before the clusters): Info, many clusters, then Tags,
    # found through the SeekHead's position or by skipping each cluster by its size.
    info = _el(0x1549A966, _el(0x2AD7B1, (1_000_000).to_bytes(3, "big")))
    clusters = b"".join(_el(0x1F43B675, _el(0xE7, b"\x00") + bytes(4000)) for _ in range(50))
    label = label_json(ProduceID="late-tags")
    tags = _tags("AIGC", label)
    seek_len = len(_el(0x114D9B74, _el(0x4DBB, _el(0x53AB, bytes(4)) + _el(0x53AC, bytes(8)))))
    position = seek_len + len(info) + len(clusters)
    target = _el(0x53AB, bytes.fromhex("1254c367"))  # SeekID: Tags
    seek = _el(0x114D9B74, _el(0x4DBB, target + _el(0x53AC, position.to_bytes(8, "big"))))
    assert len(seek) == seek_len
    void = _el(0xEC, bytes(seek_len - 9))  # a Void element of the same length
    body = (seek if with_seekhead else void) + info
    ebml = _el(0x1A45DFA3, _el(0x4282, b"matroska"))
    path = tmp_path / "late.mkv"
    path.write_bytes(ebml + _el(0x18538067, body + clusters + tags))
    raw, implicit = read(path, "mkv")
    (found,) = implicit.tc260
    assert found.label["ProduceID"] == "late-tags"
