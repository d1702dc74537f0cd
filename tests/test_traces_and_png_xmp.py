"""Generator traces on whole words in tool and prompt fields; XMP in PNG tEXt/zTXt chunks."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PIL import Image, PngImagePlugin

import media_builders as mb
from conftest import label_json
from markcheck import scan
from markcheck.discover import Candidate, sniff
from markcheck.evidence.collect import collect_metadata
from markcheck.scan_options import ScanOptions

GENAI = mb.DST + "trainedAlgorithmicMedia"
JOB = "Job ID: 0f6b2c1e-5d3a-4b7e-9c2f-8a1d3e4f5a6b"


def _png(path, chunks: list[tuple[str, bytes | str, bool]]):
    info = PngImagePlugin.PngInfo()
    for key, value, zipped in chunks:
        info.add_text(key, value, zip=zipped)
    Image.new("RGB", (64, 48), (90, 120, 150)).save(path, format="PNG", pnginfo=info)
    return path


def _evidence(path):
    with open(path, "rb") as handle:
        fmt = sniff(handle.read(64))
    return collect_metadata(Candidate(path, path.name, fmt), ScanOptions())


def _verdict(path, **options):
    result = scan([path], ["eu-ai-act-art50"], options=ScanOptions(**options))
    (item,) = result.files
    return item


@pytest.mark.parametrize("zipped", [False, True], ids=["tEXt", "zTXt"])
def test_xmp_in_a_text_chunk_feeds_iptc_and_tc260(tmp_path, zipped):
    packet = mb.xmp_packet(label_json(), source_type=GENAI)
    path = _png(tmp_path / "mj.png", [("XML:com.adobe.xmp", packet, zipped)])
    raw = path.read_bytes()
    assert (b"zTXt" if zipped else b"tEXt") + b"XML:com.adobe.xmp" in raw  # as Exiv2 writes it
    evidence = _evidence(path)
    assert evidence.implicit.iptc_digital_source_type == GENAI
    (label,) = evidence.implicit.tc260
    kind = "zTXt" if zipped else "tEXt"
    assert label.carrier == f"xmp:png/{kind}:XML:com.adobe.xmp"
    assert label.label["Label"] == "1"
    item = _verdict(path)
    assert item.ai.verdict == "confirmed"
    assert {f.rule: f.outcome for f in item.findings}["eu.marking.machine_readable"] == "pass"


def test_imagemagick_raw_profile_xmp(tmp_path):
    packet = mb.xmp_packet(source_type=GENAI)
    body = f"\nxmp\n{len(packet):8d}\n".encode() + packet.hex().encode()
    path = _png(tmp_path / "im.png", [("Raw profile type xmp", body, True)])
    assert _evidence(path).implicit.iptc_digital_source_type == GENAI


def test_text_chunk_without_xmp_is_not_read_as_xmp(tmp_path):
    path = _png(tmp_path / "plain.png", [("Comment", "trainedAlgorithmicMedia", False)])
    evidence = _evidence(path)
    assert evidence.implicit.iptc_digital_source_type is None
    assert evidence.implicit.generator_hints == []


@pytest.mark.parametrize(
    "key, value",
    [
        ("Artist", "Sora Tanaka"),
        ("Copyright", "(c) Midjourney Fan Club photographers"),
        ("Make", "Runway Photography"),
        ("Model", "Influx"),
        ("Software", "Imagenomic Portraiture 3"),
        ("Software", "Influx Studio 2"),
        ("Description", "a cat on a sofa --ar 4:3 (no version flag)"),
        ("Description", "guitar pedal --v 2"),  # a version flag alone is not Midjourney's
    ],
)
def test_names_outside_tool_fields_or_inside_words_are_not_traces(tmp_path, key, value):
    path = _png(tmp_path / "person.png", [(key, value, False)])
    evidence = _evidence(path)
    assert evidence.implicit.generator_hints == []
    item = _verdict(path)
    assert item.ai.verdict == "none"
    assert item.status == "not_applicable"


@pytest.mark.parametrize(
    "key, value",
    [
        ("Software", "FLUX.1 [dev]"),
        ("Software", "Adobe Firefly Image 3"),
        ("Software", "Made with Sora"),
        ("Description", f"a lighthouse at dusk --ar 4:3 --v 5.2 {JOB}"),
        ("Description", "a lighthouse at dusk --ar 16:9 --v 6.1"),
    ],
)
def test_tool_and_prompt_fields_are_traces(tmp_path, key, value):
    path = _png(tmp_path / "gen.png", [(key, value, False)])
    (hint,) = _evidence(path).implicit.generator_hints
    assert hint.source == f"png/tEXt:{key}" or hint.source == "png/tEXt"
    assert _verdict(path).ai.verdict == "suspected"


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_exif_artist_is_not_a_trace_but_software_is(tmp_path):
    path = mb.jpeg(tmp_path / "photo.jpg")
    subprocess.run(
        ["exiftool", "-q", "-overwrite_original", "-Artist=Sora Tanaka", "-Make=Runway",
         "-Model=Pika 2", str(path)],
        check=True,
    )  # fmt: skip
    assert _evidence(path).implicit.generator_hints == []
    subprocess.run(
        ["exiftool", "-q", "-overwrite_original", "-Software=Stable Diffusion XL", str(path)],
        check=True,
    )
    (hint,) = _evidence(path).implicit.generator_hints
    assert hint.value == "Stable Diffusion XL"


def test_xmp_description_with_midjourney_job_id(tmp_path):
    props = (
        '<dc:description xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Alt>'
        f'<rdf:li xml:lang="x-default">castle --v 5.2 {JOB}</rdf:li></rdf:Alt></dc:description>'
    )
    packet = mb.xmp_packet(properties=props)
    path = _png(tmp_path / "mj.png", [("XML:com.adobe.xmp", packet, False)])
    (hint,) = _evidence(path).implicit.generator_hints
    assert "Midjourney job id" in hint.value
