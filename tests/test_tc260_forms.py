"""Every TC260 label form seen in real files, each read with a deviation note, pass and fail;
conflicting labels are an error, identical duplicates a warning."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

import media_builders as mb
from conftest import GOOD_LABEL, label_json
from markcheck import scan
from markcheck.reports.json_report import validate


def judge(path: Path, **kwargs):
    result = scan([path], select=["cn.implicit"], **kwargs)
    validate(result.to_dict())
    (item,) = result.files
    return item, {f.rule: f for f in item.findings}


def _png_text(path: Path, key: str, value: bytes) -> Path:
    info = PngImagePlugin.PngInfo()
    info.add_text(key, value)  # bytes: stored as given, in a tEXt chunk
    mb.picture().save(path, format="PNG", pnginfo=info)
    return path


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_camel_case_keys_are_found_but_fail_fields(tmp_path):
    camel = {k[0].lower() + k[1:]: v for k, v in GOOD_LABEL.items()}
    path = mb.png(tmp_path / "camel.png", {"AIGC": json.dumps(camel)})
    item, got = judge(path)
    assert got["cn.implicit.present"].outcome == "pass"
    assert got["cn.implicit.label_value"].outcome == "pass"  # "label": "1" is read
    fields = got["cn.implicit.fields"]
    assert fields.outcome == "fail"
    assert "Label (written 'label')" in fields.message
    assert "ContentProducer (written 'contentProducer')" in fields.message
    assert item.ai.verdict == "confirmed"


@pytest.mark.parametrize("second, outcome", [("1", "pass"), ("2", "fail")])
def test_duplicate_json_keys_are_flagged(tmp_path, second, outcome):
    raw = label_json()[:-1] + f',"Label":"{second}"}}'
    path = mb.png(tmp_path / "dup.png", {"AIGC": raw})
    item, got = judge(path)
    (label,) = item.implicit.tc260
    assert any(d.startswith("duplicate key 'Label'") for d in label.deviations)
    assert got["cn.implicit.fields"].outcome == outcome
    assert got["cn.implicit.conflict"].outcome == outcome
    assert "duplicate key 'Label'" in got["cn.implicit.fields"].message


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf"], ids=["utf8-bom"])
def test_byte_order_mark_before_the_json(tmp_path, bom):
    path = _png_text(tmp_path / "bom.png", "AIGC", bom + label_json().encode())
    item, got = judge(path)
    (label,) = item.implicit.tc260
    assert label.label["Label"] == "1"
    assert "byte-order mark before the JSON" in label.deviations
    assert got["cn.implicit.fields"].outcome == "pass"
    assert "byte-order mark" in got["cn.implicit.fields"].message


def test_itxt_value_with_a_bom(tmp_path):
    path = mb.png(tmp_path / "bom2.png", {"AIGC": "\ufeff" + label_json()})
    (label,) = judge(path)[0].implicit.tc260
    assert label.label is not None and "byte-order mark before the JSON" in label.deviations


def test_double_entity_escaping(tmp_path):
    twice = label_json().replace('"', "&amp;quot;")
    path = _png_text(tmp_path / "esc.png", "AIGC", twice.encode())
    (label,) = judge(path)[0].implicit.tc260
    assert label.label["Label"] == "1"
    assert any("2 times over" in d for d in label.deviations)
    # In XMP the XML layer takes one level off; the text is still entity-encoded once.
    packet = mb.xmp_packet(label_json().replace('"', "&quot;"))
    item, _ = judge(mb.jpeg(tmp_path / "esc.jpg", xmp=packet))
    (label,) = item.implicit.tc260
    assert label.label["Label"] == "1"
    assert "JSON is HTML-entity-encoded in the stored value" in label.deviations


def test_escaping_that_never_becomes_json_is_unparsed(tmp_path):
    path = _png_text(tmp_path / "bad.png", "AIGC", b"&amp;amp;amp;amp;quot;Label")
    item, got = judge(path)
    (label,) = item.implicit.tc260
    assert label.label is None
    assert got["cn.implicit.fields"].outcome == "fail"


def test_label_after_idat_is_read_and_noted(tmp_path):
    path = mb.png(tmp_path / "late.png")
    data = path.read_bytes()
    iend = data.rindex(b"IEND") - 4
    late = _chunk(b"tEXt", b"AIGC\x00" + label_json().encode())
    path.write_bytes(data[:iend] + late + data[iend:])
    assert path.read_bytes().index(b"IDAT") < path.read_bytes().index(b"tEXtAIGC")
    Image.open(path).load()  # still a valid PNG
    item, got = judge(path)
    (label,) = item.implicit.tc260
    assert label.label["Label"] == "1"
    assert any("after the image data (IDAT)" in d for d in label.deviations)
    assert got["cn.implicit.present"].outcome == "pass"
    # Before IDAT (as Pillow writes it): no such note.
    (early,) = judge(mb.png(tmp_path / "early.png", {"AIGC": label_json()}))[0].implicit.tc260
    assert not any("IDAT" in d for d in early.deviations)


def test_label_after_mdat_is_read_and_noted(tmp_path):
    path = mb.mp4(tmp_path / "late.mp4", {"AIGC": label_json()})
    data = path.read_bytes()
    assert data.index(b"mdat") < data.index(b"moov")  # ffmpeg's default layout
    (label,) = judge(path)[0].implicit.tc260
    assert label.label["Label"] == "1"
    assert any("after the media data (mdat)" in d for d in label.deviations)


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _with_udta(path: Path, udta_body: bytes) -> Path:
    """Append a udta box to the moov of a real MP4 (moov is last: no offsets move)."""
    data = path.read_bytes()
    at = data.index(b"moov") - 4
    size = struct.unpack(">I", data[at : at + 4])[0]
    assert at + size == len(data)
    udta = _box(b"udta", udta_body)
    moov = struct.pack(">I", size + len(udta)) + data[at + 4 : at + size] + udta
    path.write_bytes(data[:at] + moov)
    return path


def _ilst_item(kind: bytes, value: str) -> bytes:
    return _box(kind, _box(b"data", struct.pack(">II", 1, 0) + value.encode()))


def test_quicktime_meta_without_full_box_header_and_no_keys(tmp_path):
    # As some iOS apps write it: udta/meta is a plain container, hdlr mdir, ilst items with
    # no keys box, the label in an atom named AIGC.
    hdlr = _box(b"hdlr", bytes(4) + b"\x00\x00\x00\x00mdirappl" + bytes(9))
    meta = _box(b"meta", hdlr + _box(b"ilst", _ilst_item(b"AIGC", label_json())))
    path = _with_udta(mb.mp4(tmp_path / "ios.mov"), meta)
    import av

    with av.open(str(path)) as container:  # ffmpeg still reads the file
        assert container.streams.video
    item, got = judge(path)
    (label,) = item.implicit.tc260
    assert label.label["Label"] == "1"
    assert "meta box without the ISO full-box header (QuickTime style)" in label.deviations
    assert "ilst item without a keys box (named by its atom)" in label.deviations
    assert got["cn.implicit.fields"].outcome == "pass"


def test_freeform_ilst_item_named_aigc(tmp_path):
    mean = _box(b"mean", bytes(4) + b"com.apple.iTunes")
    name = _box(b"name", bytes(4) + b"AIGC")
    data = _box(b"data", struct.pack(">II", 1, 0) + label_json(Label="2").encode())
    hdlr = _box(b"hdlr", bytes(8) + b"mdirappl" + bytes(9))
    meta = _box(b"meta", bytes(4) + hdlr + _box(b"ilst", _box(b"----", mean + name + data)))
    path = _with_udta(mb.mp4(tmp_path / "free.mov"), meta)
    item, _ = judge(path)
    (label,) = item.implicit.tc260
    assert label.label["Label"] == "2"
    assert "meta box without the ISO full-box header (QuickTime style)" not in label.deviations


def _two_labels(tmp_path, xmp_value: str, exif_value: str) -> Path:
    return mb.jpeg(
        tmp_path / "two.jpg",
        xmp=mb.xmp_packet(label_json(Label=xmp_value)),
        exif=mb.user_comment_exif(label_json(Label=exif_value)),
    )


def test_conflicting_labels_are_an_error(tmp_path):
    item, got = judge(_two_labels(tmp_path, "1", "2"))
    assert len(item.implicit.tc260) == 2
    conflict = got["cn.implicit.conflict"]
    assert conflict.outcome == "fail" and conflict.severity == "error"
    assert "Label='1'" in conflict.message and "Label='2'" in conflict.message
    assert got["cn.implicit.single"].severity == "warning"
    assert item.status == "noncompliant"


def test_identical_duplicates_stay_a_warning(tmp_path):
    item, got = judge(_two_labels(tmp_path, "1", "1"))
    assert got["cn.implicit.conflict"].outcome == "pass"
    single = got["cn.implicit.single"]
    assert single.outcome == "fail" and single.severity == "warning"
    assert item.status != "noncompliant"
