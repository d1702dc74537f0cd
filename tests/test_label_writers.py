"""`markcheck label` writers: every format and carrier, read back by markcheck, exiftool and
PyAV (FFmpeg's demuxer, what ffprobe reads); lossless, idempotent, never duplicated."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import media_builders as mb
from markcheck.discover import discover
from markcheck.evidence.collect import collect_metadata
from markcheck.labelling import LabelRequest, label
from markcheck.scan_options import ScanOptions

PRODUCER = "001191110102MACQD9K64010000"  # credit code 91110102MACQD9K640 (valid check char)
REQUEST = LabelRequest(producer=PRODUCER, produce_id="job-{stem}")
IMPLICIT = ("cn.implicit",)


def expected(stem: str, **changes: str) -> dict[str, str]:
    fields = {"Label": "1", "ContentProducer": PRODUCER, "ProduceID": f"job-{stem}",
              "ReservedCode1": "", "ContentPropagator": "", "PropagateID": "",
              "ReservedCode2": ""}  # fmt: skip
    fields.update(changes)
    return fields


def labels_read_by_markcheck(path: Path) -> list:
    (candidate,), _ = discover([path])
    return collect_metadata(candidate, ScanOptions()).implicit.tc260


def exiftool_json(path: Path, *options: str) -> dict:
    out = subprocess.run(["exiftool", "-j", "-a", "-G1", "-m", *options, str(path)],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return json.loads(out)[0]


def exiftool_labels(path: Path) -> list[dict]:
    tags = exiftool_json(path)
    return [json.loads(v) for k, v in tags.items() if k.split(":")[-1].upper() == "AIGC"]


def pixels(path: Path) -> list[np.ndarray]:
    """Every decoded frame: Pillow for images, PyAV for video."""
    if path.suffix in (".mp4", ".mov"):
        import av

        with av.open(str(path)) as container:
            return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    with Image.open(path) as image:
        frames = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(np.asarray(image.convert("RGBA")))
        return frames


def packets(path: Path) -> list[bytes]:
    """The compressed video samples, as the demuxer finds them through the offset tables."""
    import av

    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(video=0) if p.size]


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}  # fmt: skip


def _mov_faststart(path: Path) -> Path:
    """A QuickTime file with moov before mdat: the writer must shift its chunk offsets."""
    import av

    with av.open(str(path), "w", format="mov", options={"movflags": "faststart"}) as out:
        stream = out.add_stream("libx264", rate=Fraction(10))
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        base = np.asarray(mb.picture())
        for i in range(8):
            frame = np.roll(base, 7 * i, axis=1)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def _top_boxes(path: Path) -> list[bytes]:
    data, offset, kinds = path.read_bytes(), 0, []
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        kinds.append(data[offset + 4 : offset + 8])
        offset += size
    return kinds


KEEP_XMP = mb.xmp_packet(properties="<photoshop:Credit>Studio Keep</photoshop:Credit>")


def _exif_software() -> Image.Exif:
    exif = Image.Exif()
    exif[305] = "KeepSoft 1.0"
    return exif


# name -> (builder, exiftool tag that must survive, its value)
CASES = {
    "plain.jpg": (lambda p: mb.jpeg(p), None, None),
    "rich.jpg": (lambda p: mb.jpeg(p, xmp=KEEP_XMP, exif=_exif_software()),
                 "IFD0:Software", "KeepSoft 1.0"),
    "plain.png": (lambda p: mb.png(p), None, None),
    "rich.png": (lambda p: mb.png(p, {"parameters": "steps: 20"}, xmp=KEEP_XMP),
                 "PNG:Parameters", "steps: 20"),
    "lossy.webp": (lambda p: mb.webp(p), None, None),
    "rich.webp": (lambda p: mb.webp(p, xmp=KEEP_XMP), "XMP-photoshop:Credit", "Studio Keep"),
    "lossless.webp": (lambda p: mb.picture().save(p, format="WEBP", lossless=True), None, None),
    "alpha.webp": (lambda p: mb.picture().convert("RGBA").save(p, format="WEBP", lossless=True),
                   None, None),
    "plain.gif": (lambda p: mb.gif(p), None, None),
    "rich.gif": (lambda p: mb.gif(p, xmp=KEEP_XMP), "XMP-photoshop:Credit", "Studio Keep"),
    "plain.tif": (lambda p: mb.picture().save(p, format="TIFF", compression="tiff_lzw"),
                  None, None),
    "rich.tif": (lambda p: mb.tiff(p, KEEP_XMP), "XMP-photoshop:Credit", "Studio Keep"),
    "plain.avif": (lambda p: mb.avif(p), None, None),
    "rich.avif": (lambda p: mb.avif(p, xmp=KEEP_XMP, exif=_exif_software()),
                  "XMP-photoshop:Credit", "Studio Keep"),
    "plain.mp4": (lambda p: mb.mp4(p), None, None),
    "rich.mp4": (lambda p: mb.mp4(p, {"title": "Keep Title"}), "Keys:Title", "Keep Title"),
    "faststart.mov": (_mov_faststart, None, None),
}  # fmt: skip


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    """Every case built, labelled once into out/, and the input tree's digest before/after."""
    root = tmp_path_factory.mktemp("label")
    src = root / "in"
    src.mkdir()
    for name, (build, _, _) in CASES.items():
        build(src / name)
    before = tree_digest(src)
    result = label([src], REQUEST, out_dir=root / "out", select=IMPLICIT)
    return root, result, before


def test_input_tree_is_untouched(labelled):
    root, _, before = labelled
    assert tree_digest(root / "in") == before


@pytest.mark.parametrize("name", CASES)
def test_round_trip(labelled, name):
    root, result, _ = labelled
    outcome = next(f for f in result.files if f.path == name)
    assert outcome.error is None
    assert outcome.status == "labelled" and outcome.action == "added"
    assert outcome.proof == {"status": "compliant", "failing": []}
    source, written = root / "in" / name, root / "out" / name
    want = expected(Path(name).stem)
    found = labels_read_by_markcheck(written)
    assert len(found) == 1 and found[0].label == want
    # ffmpeg writes moov after mdat; the label is written where moov is, which the reader
    # notes (informational). No other deviation from Annex E.
    assert all(d.startswith("stored after the media data") for d in found[0].deviations)
    assert exiftool_labels(written) == [want]
    _, tag, value = CASES[name]
    if tag:
        assert exiftool_json(source)[tag] == value
        assert exiftool_json(written)[tag] == value
    before, after = pixels(source), pixels(written)
    assert len(before) == len(after) >= 1
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))


@pytest.mark.parametrize("name", ["plain.mp4", "rich.mp4", "faststart.mov"])
def test_video_samples_and_metadata_read_by_ffmpeg(labelled, name):
    import av

    root, _, _ = labelled
    source, written = root / "in" / name, root / "out" / name
    assert packets(written) == packets(source)
    with av.open(str(written)) as container:
        assert json.loads(container.metadata["AIGC"]) == expected(Path(name).stem)
        if name == "rich.mp4":
            assert container.metadata["title"] == "Keep Title"


@pytest.mark.parametrize("name", ["plain.avif", "rich.avif", "plain.tif", "rich.tif", "rich.jpg",
                                  "rich.png", "rich.webp", "rich.gif", "rich.mp4"])  # fmt: skip
def test_exiftool_validate_finds_nothing_new(labelled, name):
    """exiftool's structure validation says of the output what it says of the input (Pillow's
    TIFFs lack X/YResolution, for one)."""
    root, _, _ = labelled
    before = exiftool_json(root / "in" / name, "-validate")["ExifTool:Validate"]
    after = exiftool_json(root / "out" / name, "-validate")["ExifTool:Validate"]
    assert after == before


def test_faststart_stays_faststart(labelled):
    root, _, _ = labelled
    kinds = _top_boxes(root / "out" / "faststart.mov")
    assert kinds.index(b"moov") < kinds.index(b"mdat")
    assert _top_boxes(root / "in" / "faststart.mov") == kinds


def test_second_run_changes_nothing(labelled):
    root, _, _ = labelled
    again = label([root / "out"], REQUEST, out_dir=root / "again", select=IMPLICIT)
    assert {f.action for f in again.files} == {"unchanged"}
    assert again.ok
    assert tree_digest(root / "again") == tree_digest(root / "out")


@pytest.mark.parametrize("name", ["rich.jpg", "rich.png", "rich.webp", "rich.gif", "rich.tif",
                                  "rich.avif", "rich.mp4", "faststart.mov"])  # fmt: skip
def test_existing_label_is_updated_not_duplicated(labelled, tmp_path, name):
    root, _, _ = labelled
    request = LabelRequest(producer=PRODUCER, produce_id="v2-{stem}", reserved1="sig")
    result = label([root / "out" / name], request, out_dir=tmp_path, select=IMPLICIT)
    (outcome,) = result.files
    assert outcome.error is None and outcome.action == "updated", outcome.error
    want = expected(Path(name).stem, ProduceID=f"v2-{Path(name).stem}", ReservedCode1="sig")
    found = labels_read_by_markcheck(tmp_path / name)
    assert [f.label for f in found] == [want]
    assert exiftool_labels(tmp_path / name) == [want]
    assert all(np.array_equal(a, b) for a, b in
               zip(pixels(root / "in" / name), pixels(tmp_path / name), strict=True))  # fmt: skip


def test_label_written_by_exiftool_is_updated_in_its_packet(tmp_path):
    """A label another tool wrote (attribute form, other prefix) is replaced where it is."""
    old = json.dumps(expected("x", ProduceID="old"), separators=(",", ":"))
    path = mb.jpeg(tmp_path / "x.jpg", xmp=mb.xmp_packet(old, form="attribute", prefix="aigc"))
    result = label([path], REQUEST, out_dir=tmp_path / "out", select=IMPLICIT)
    assert result.ok, result.to_dict()
    found = labels_read_by_markcheck(tmp_path / "out" / "x.jpg")
    assert [f.label for f in found] == [expected("x")]
    assert b"aigc:AIGC=" in (tmp_path / "out" / "x.jpg").read_bytes()


def test_png_text_carrier(tmp_path):
    path = mb.png(tmp_path / "t.png")
    request = LabelRequest(producer=PRODUCER, produce_id="job-{stem}", png_carrier="text")
    result = label([path], request, out_dir=tmp_path / "out", select=IMPLICIT)
    assert result.ok
    assert result.files[0].carrier == "png/tEXt:AIGC"
    assert json.loads(exiftool_json(tmp_path / "out" / "t.png")["PNG:AIGC"]) == expected("t")


def test_png_duplicate_labels_become_one(tmp_path):
    """The same label in tEXt and XMP (two labels, against GB 45438 §6.1 c) ends as one."""
    value = json.dumps(expected("d", ProduceID="old"), separators=(",", ":"))
    path = mb.png(tmp_path / "d.png", {"AIGC": value}, xmp=mb.xmp_packet(value))
    assert len(labels_read_by_markcheck(path)) == 2
    result = label([path], REQUEST, out_dir=tmp_path / "out", select=IMPLICIT)
    (outcome,) = result.files
    assert outcome.removed == ["png/tEXt:AIGC"] and outcome.proof["status"] == "compliant"
    assert [f.label for f in labels_read_by_markcheck(tmp_path / "out" / "d.png")] == [
        expected("d")
    ]


def test_labels_that_differ_are_not_chosen_between(tmp_path):
    one = json.dumps(expected("d", ProduceID="a"), separators=(",", ":"))
    two = json.dumps(expected("d", ProduceID="b"), separators=(",", ":"))
    path = mb.png(tmp_path / "d.png", {"AIGC": one}, xmp=mb.xmp_packet(two))
    (outcome,) = label([path], REQUEST, out_dir=tmp_path / "out", select=IMPLICIT).files
    assert "differ" in outcome.error["message"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("request_", "fault"),
    [
        (LabelRequest(producer="001191110102MACQD9K64110000"), "check character"),
        (LabelRequest(producer="Acme AI"), "outside the Annex E set"),
        (LabelRequest(producer=PRODUCER, produce_id='id"{stem}'), "outside the Annex E set"),
        (LabelRequest(producer=PRODUCER, label="4"), 'Label must be "1", "2" or "3"'),
        (LabelRequest(producer=""), "ContentProducer is required"),
    ],
)
def test_annex_e_checked_before_anything_is_written(tmp_path, request_, fault):
    path = mb.png(tmp_path / "p.png")
    before = path.read_bytes()
    (outcome,) = label([path], request_, out_dir=tmp_path / "out", select=IMPLICIT).files
    assert fault in outcome.error["message"]
    assert not (tmp_path / "out").exists() and path.read_bytes() == before


@pytest.mark.parametrize("name", ["cut.jpg", "cut.png", "cut.mp4", "cut.gif", "cut.webp"])
def test_corrupt_file_is_an_error_and_nothing_is_written(tmp_path, name):
    builders = {".jpg": mb.jpeg, ".png": mb.png, ".mp4": mb.mp4, ".gif": mb.gif,
                ".webp": mb.webp}  # fmt: skip
    whole = builders[Path(name).suffix](tmp_path / ("whole" + Path(name).suffix))
    src = tmp_path / "src"
    src.mkdir()
    data = whole.read_bytes()
    (src / name).write_bytes(data[: len(data) * 2 // 3])
    result = label([src], REQUEST, out_dir=tmp_path / "out", select=IMPLICIT)
    (outcome,) = result.files
    assert outcome.error is not None and outcome.output is None
    assert not result.ok
    assert not (tmp_path / "out").exists()


def test_in_place_keeps_a_backup(tmp_path):
    path = mb.jpeg(tmp_path / "p.jpg")
    original = path.read_bytes()
    result = label([path], REQUEST, in_place=True, select=IMPLICIT)
    assert result.ok
    assert (tmp_path / "p.jpg.markcheck-orig").read_bytes() == original
    assert [f.label for f in labels_read_by_markcheck(path)] == [expected("p")]


def test_out_and_in_place_are_exclusive(tmp_path):
    from markcheck.labelling import LabelUsageError

    with pytest.raises(LabelUsageError):
        label([tmp_path], REQUEST)
    with pytest.raises(LabelUsageError):
        label([tmp_path], REQUEST, out_dir=tmp_path / "o", in_place=True)


def test_platform_adds_propagation_fields_and_keeps_the_producers(tmp_path):
    path = mb.jpeg(tmp_path / "in" / "p.jpg") if (tmp_path / "in").mkdir() is None else None
    label([path], REQUEST, out_dir=tmp_path / "provider", select=IMPLICIT)
    platform = LabelRequest(role="platform", propagator="001191110102MACQD9K64020000",
                            propagate_id="up-{sha8}")  # fmt: skip
    result = label([tmp_path / "provider" / "p.jpg"], platform, out_dir=tmp_path / "platform",
                   select=IMPLICIT)  # fmt: skip
    assert result.ok, result.to_dict()
    provided = (tmp_path / "provider" / "p.jpg").read_bytes()
    sha8 = hashlib.sha256(provided).hexdigest()[:8]
    want = expected("p", ContentPropagator="001191110102MACQD9K64020000", PropagateID=f"up-{sha8}")
    assert [f.label for f in labels_read_by_markcheck(tmp_path / "platform" / "p.jpg")] == [want]
    assert exiftool_labels(tmp_path / "platform" / "p.jpg") == [want]


def test_platform_without_producer_label_needs_declared_or_suspected(tmp_path):
    path = mb.png(tmp_path / "u.png")
    base = dict(role="platform", propagator="PlatformX", propagate_id="up-{stem}")
    (refused,) = label([path], LabelRequest(**base), out_dir=tmp_path / "a", proof=False).files
    assert "--label 2 or 3" in refused.error["message"]
    (declared,) = label([path], LabelRequest(**base, label="2"), out_dir=tmp_path / "b",
                        proof=False).files  # fmt: skip
    assert declared.error is None
    (found,) = labels_read_by_markcheck(tmp_path / "b" / "u.png")
    assert found.label["Label"] == "2" and found.label["ContentPropagator"] == "PlatformX"


def test_c2pa_signed_file_is_refused(tmp_path):
    from c2pa_fixtures import make_credentials, manifest, sign

    source = mb.jpeg(tmp_path / "raw.jpg")
    signed = sign(source, tmp_path / "in" / "signed.jpg"
                  if (tmp_path / "in").mkdir() is None else None,
                  make_credentials(), manifest())  # fmt: skip
    before = signed.read_bytes()
    (outcome,) = label([signed], REQUEST, out_dir=tmp_path / "out", select=IMPLICIT).files
    assert "C2PA manifest" in outcome.error["message"]
    assert "hard binding" in outcome.error["message"]
    assert not (tmp_path / "out").exists() and signed.read_bytes() == before


def test_exiftool_still_edits_the_output(tmp_path):
    """Another tool can still rewrite what markcheck wrote (the structure is well formed)."""
    path = mb.tiff(tmp_path / "in.tif", KEEP_XMP)
    label([path], REQUEST, out_dir=tmp_path / "out", select=IMPLICIT)
    written = tmp_path / "out" / "in.tif"
    copy = shutil.copy(written, tmp_path / "copy.tif")
    subprocess.run(["exiftool", "-q", "-overwrite_original", "-Artist=Someone", str(copy)],
                   check=True, capture_output=True)  # fmt: skip
    assert exiftool_json(Path(copy))["IFD0:Artist"] == "Someone"
    assert exiftool_labels(Path(copy)) == [expected("in")]
