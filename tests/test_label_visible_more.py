"""Visible labels on GIF (every frame), TIFF and HEIF/AVIF, and on photos with an EXIF
orientation: the proof scan and every cn.explicit.* rule pass, the metadata is kept, and the
label sits where a viewer sees the bottom-right corner."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PIL import Image, ImageCms, ImageOps, PngImagePlugin

import media_builders as mb
from label_builders import photo
from markcheck.detectors.text import detect_text
from markcheck.labelling import LabelRequest, label
from markcheck.scanner import scan
from markcheck.vocabulary.wording import classify_label_text
from markcheck.writers.visible import VisibleSpec
from test_label_visible import EXPLICIT_RULES
from test_label_writers import KEEP_XMP, PRODUCER, exiftool_json, exiftool_labels, tree_digest

REQUEST = LabelRequest(producer=PRODUCER, visible=VisibleSpec())
ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
DURATIONS = [120, 250, 400]


def _exif(**tags: object) -> Image.Exif:
    exif = Image.Exif()
    for tag, value in {"305": "KeepSoft 1.0", **tags}.items():
        exif[int(tag)] = value
    return exif


def _animated(path):
    frames = [photo(name, (640, 480)) for name in ("coffee", "chelsea", "rocket")]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=DURATIONS, loop=0,
                   comment=b"keep this comment")  # fmt: skip
    return mb.embed_xmp(path, KEEP_XMP)


def _tiff(path):
    photo("astronaut", (900, 600)).save(path, compression="tiff_lzw", tiffinfo={
        305: "KeepSoft 1.0", 315: "Artist X", 700: KEEP_XMP, 34675: ICC})  # fmt: skip
    taken = "-ExifIFD:DateTimeOriginal=2024:01:02 03:04:05"
    subprocess.run(["exiftool", "-q", "-overwrite_original", taken, str(path)], check=True)
    return path


# name: (builder, exiftool tags that must survive with their values)
CASES = {
    "anim.gif": (_animated, {"XMP-photoshop:Credit": "Studio Keep"}),
    "dark.gif": (lambda p: photo("hubble_deep_field", (512, 512)).save(p), {}),
    "photo.tif": (_tiff, {"IFD0:Software": "KeepSoft 1.0", "IFD0:Artist": "Artist X",
                          "XMP-photoshop:Credit": "Studio Keep",
                          "ExifIFD:DateTimeOriginal": "2024:01:02 03:04:05",
                          "ICC_Profile:ProfileDescription": "sRGB built-in"}),
    "busy.heic": (lambda p: photo("coffee", (1024, 768)).save(
        p, format="HEIF", quality=85, exif=_exif(), xmp=KEEP_XMP, icc_profile=ICC),
        {"IFD0:Software": "KeepSoft 1.0", "XMP-photoshop:Credit": "Studio Keep",
         "ICC_Profile:ProfileDescription": "sRGB built-in"}),
    "light.avif": (lambda p: photo("coins", (768, 1024)).save(
        p, quality=85, exif=_exif(), xmp=KEEP_XMP, icc_profile=ICC),
        {"IFD0:Software": "KeepSoft 1.0", "XMP-photoshop:Credit": "Studio Keep",
         "ICC_Profile:ProfileDescription": "sRGB built-in"}),
}  # fmt: skip
ORIENTATIONS = (3, 6, 8)


def _oriented(path, orientation):
    photo("chelsea", (1200, 800)).save(path, quality=92, exif=_exif(**{"274": orientation}))
    return path


def _oriented_tiff(path):
    photo("chelsea", (1200, 800)).save(path, compression="tiff_lzw", tiffinfo={274: 6})
    return path


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    root = tmp_path_factory.mktemp("more")
    src = root / "in"
    src.mkdir()
    for name, (build, _) in CASES.items():
        build(src / name)
    for orientation in ORIENTATIONS:
        _oriented(src / f"o{orientation}.jpg", orientation)
    _oriented_tiff(src / "o6.tif")
    before = tree_digest(src)
    result = label([src], REQUEST, out_dir=root / "out")
    assert tree_digest(src) == before
    judged = scan([root / "out"], ["cn-gb45438"], jobs=0)
    return root, {f.path: f for f in result.files}, {f.path: f for f in judged.files}


NAMES = [*CASES, *(f"o{o}.jpg" for o in ORIENTATIONS), "o6.tif"]


@pytest.mark.parametrize("name", NAMES)
def test_every_explicit_rule_passes(drawn, name):
    _, outcomes, judged = drawn
    outcome = outcomes[name]
    assert outcome.error is None, outcome.error
    assert outcome.visible["action"] == "added"
    assert outcome.proof["status"] == "compliant", outcome.proof
    findings = {f.rule: f.outcome for f in judged[name].findings}
    for rule in EXPLICIT_RULES:
        assert findings[rule] == "pass", (rule, judged[name].findings)
    (region,) = [r for r in judged[name].explicit if "生成" in r.text]
    assert region.position == "bottom-right"


@pytest.mark.parametrize("name", CASES)
def test_metadata_kept(drawn, name):
    root, outcomes, _ = drawn
    tags = exiftool_json(root / "out" / name)
    for tag, value in CASES[name][1].items():
        assert str(tags.get(tag)) == value, (tag, tags.get(tag))
    assert exiftool_labels(root / "out" / name) == [outcomes[name].label]


def test_gif_every_frame_timing_and_loop_kept(drawn, tmp_path):
    root, outcomes, _ = drawn
    with Image.open(root / "out" / "anim.gif") as image:
        assert image.n_frames == len(DURATIONS) and image.info["loop"] == 0
        assert image.info.get("comment") == b"keep this comment"
        frames = []
        for index in range(image.n_frames):
            image.seek(index)
            assert image.info["duration"] == DURATIONS[index]
            frames.append(image.convert("RGB"))
    x, y, w, h = outcomes["anim.gif"].visible["bbox"]
    ink = (255, 255, 255) if outcomes["anim.gif"].visible["colour"] == "white" else (0, 0, 0)
    for index, frame in enumerate(frames):
        # crisp: the strokes are the exact ink colour, not palette neighbours of it
        box = np.asarray(frame)[y : y + h, x : x + w]
        assert (box == ink).all(axis=2).mean() > 0.15, index
        # and the scan's own text detector reads a compliant label on this frame
        frame.save(tmp_path / f"f{index}.png")
        regions, _ = detect_text(tmp_path / f"f{index}.png")
        found = [r for r in regions if classify_label_text(r.text).is_cn_label]
        assert found and found[0].height_ratio >= 0.05, (index, regions)


@pytest.mark.parametrize("orientation", ORIENTATIONS)
def test_label_where_the_viewer_sees_bottom_right(drawn, orientation):
    """Pillow's own exif_transpose (not markcheck's table) turns the stored pixels as a viewer
    does; the pixels the label changed lie in the displayed bottom-right corner. The stored
    orientation and its tag are kept."""
    root, _, _ = drawn
    name = f"o{orientation}.jpg"
    source, written = Image.open(root / "in" / name), Image.open(root / "out" / name)
    assert written.size == source.size  # stored the same way up
    assert written.getexif().get(0x0112) == orientation
    before = np.asarray(ImageOps.exif_transpose(source).convert("L"), dtype=np.int16)
    after = np.asarray(ImageOps.exif_transpose(written).convert("L"), dtype=np.int16)
    assert after.shape[::-1] == ((800, 1200) if orientation in (6, 8) else (1200, 800))
    changed = np.abs(after - before) > 40  # the label, not JPEG re-encoding noise
    rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
    height, width = after.shape
    assert rows[0] > height * 0.8 and cols[0] > width * 0.7, (rows[0], cols[0], after.shape)


def test_tiff_orientation_is_baked_in(drawn):
    """Pillow decodes a TIFF upright, so the output is written upright without the tag."""
    root, _, _ = drawn
    written = Image.open(root / "out" / "o6.tif")
    assert written.size == (800, 1200)
    assert written.getexif().get(0x0112) in (None, 1)
    assert "IFD0:Orientation" not in exiftool_json(root / "out" / "o6.tif")


def test_second_run_draws_nothing(drawn, tmp_path):
    root, _, _ = drawn
    names = ["anim.gif", "photo.tif", "busy.heic", "o6.jpg"]
    again = label([root / "out" / n for n in names], REQUEST, out_dir=tmp_path)
    for outcome in again.files:
        assert outcome.visible["action"] == "unchanged" and outcome.action == "unchanged"
        name = outcome.path.split("/")[-1]
        assert (tmp_path / name).read_bytes() == (root / "out" / name).read_bytes()


@pytest.mark.parametrize("fmt", ["avif", "heic"])
@pytest.mark.parametrize("orientation", [3, 5, 6])
def test_a_rotated_heif_or_avif_is_labelled_as_displayed(tmp_path, fmt, orientation):
    """The container turns or mirrors the stored picture (`irot`/`imir`, which Pillow and
    pillow-heif write from an EXIF orientation; iPhone photos taken upright). The label is
    drawn on the picture as a viewer sees it (libheif turns HEIF while decoding; Pillow's
    exif_transpose turns AVIF by the orientation its plugin reads from the container), which
    is written upright with no transform: away from the label its pixels are the displayed
    source's, and the label sits in the displayed bottom-right corner."""
    path = tmp_path / f"r.{fmt}"
    heif = {"format": "HEIF"} if fmt == "heic" else {}
    exif = _exif(**{"274": orientation}).tobytes()  # pillow-heif makes irot/imir of bytes only
    photo("coffee", (960, 640)).save(path, quality=90, exif=exif, **heif)
    assert "Rotation" in str(exiftool_json(path)), "stored turned by its container"
    with Image.open(path) as source:
        displayed = source.convert("RGB") if heif else ImageOps.exif_transpose(source)
    (outcome,) = label([path], REQUEST, out_dir=tmp_path / "out").files
    assert outcome.error is None and outcome.proof["status"] == "compliant", outcome
    with Image.open(tmp_path / "out" / path.name) as written:
        assert written.getexif().get(0x0112) in (None, 1)
        after = np.asarray(written.convert("L"), dtype=np.int16)
    turned = orientation in (5, 6, 7, 8)
    assert displayed.size == ((640, 960) if turned else (960, 640))
    assert after.shape[::-1] == displayed.size
    before = np.asarray(displayed.convert("L"), dtype=np.int16)
    changed = np.abs(after - before) > 40  # the label, not re-encoding noise
    rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
    height, width = after.shape
    assert rows[0] > height * 0.8 and cols[0] > width * 0.7, (rows[0], cols[0], after.shape)
    assert "Rotation" not in str(exiftool_json(tmp_path / "out" / path.name))


def _animation_labelled(path, tmp_path, loop):
    """Label the animation at `path`; check its frames, durations and loop, and that the
    scan's detector reads a compliant label at the bottom right of every frame. The written
    path and the outcome."""
    (outcome,) = label([path], REQUEST, out_dir=tmp_path / "out").files
    assert outcome.error is None and outcome.visible["action"] == "added", outcome
    assert outcome.proof["status"] == "compliant", outcome.proof
    written = tmp_path / "out" / path.name
    with Image.open(written) as image:
        assert image.n_frames == len(DURATIONS) and image.info["loop"] == loop
        for index, duration in enumerate(DURATIONS):
            image.seek(index)
            image.load()  # Pillow gives a WebP or APNG frame's duration once it is decoded
            assert image.info["duration"] == duration
            image.convert("RGB").save(tmp_path / f"f{index}.png")
            regions, _ = detect_text(tmp_path / f"f{index}.png")
            found = [r for r in regions if classify_label_text(r.text).is_cn_label]
            assert found and found[0].height_ratio >= 0.05, (index, regions)
            assert found[0].position == "bottom-right"
    tags = exiftool_json(written)
    assert tags.get("XMP-photoshop:Credit") == "Studio Keep"
    assert tags.get("ICC_Profile:ProfileDescription") == "sRGB built-in"
    assert exiftool_labels(written) == [outcome.label]
    return written, tags


@pytest.mark.parametrize("lossless", [False, True])
def test_animated_webp_every_frame_timing_loop_and_metadata_kept(tmp_path, lossless):
    frames = [photo(name, (640, 480)) for name in ("coffee", "chelsea", "rocket")]
    path = tmp_path / "anim.webp"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=DURATIONS, loop=3,
                   lossless=lossless, quality=80, exif=_exif(), xmp=KEEP_XMP,
                   icc_profile=ICC)  # fmt: skip
    written, _ = _animation_labelled(path, tmp_path, loop=3)
    with Image.open(written) as image:  # exiftool -j lists no EXIF of an animated WebP
        assert image.getexif().get(305) == "KeepSoft 1.0"


def test_animated_png_every_frame_timing_loop_and_chunks_kept(tmp_path):
    frames = [photo(name, (640, 480)) for name in ("coffee", "chelsea", "rocket")]
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "KeepSoft 1.0")
    info.add_itxt("XML:com.adobe.xmp", KEEP_XMP.decode())
    path = tmp_path / "anim.png"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=DURATIONS, loop=2,
                   pnginfo=info, icc_profile=ICC)  # fmt: skip
    _, tags = _animation_labelled(path, tmp_path, loop=2)
    assert tags.get("PNG:Software") == "KeepSoft 1.0"


def test_scan_turns_an_oriented_tiff_once(drawn, tmp_path):
    """Pillow decodes a TIFF upright by itself; the scan must not turn it a second time. The
    upright labelled picture is stored turned back (as a camera would store it) with
    Orientation 6: the detector sees it upright, label bottom-right, the displayed size."""
    root, _, _ = drawn
    upright = Image.open(root / "out" / "o6.tif").convert("RGB")
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # undoes orientation 6's turn
    stored.save(tmp_path / "stored.tif", compression="tiff_lzw", tiffinfo={274: 6})
    regions, size = detect_text(tmp_path / "stored.tif")
    assert size == upright.size == (800, 1200)
    (region,) = [r for r in regions if classify_label_text(r.text).is_cn_label]
    assert region.position == "bottom-right" and region.height_ratio >= 0.05


def test_transparent_gif_keeps_its_transparency(tmp_path):
    frames = []
    for name in ("coffee", "rocket"):
        rgba = np.asarray(photo(name, (640, 480)).convert("RGBA")).copy()
        rgba[:100, :100, 3] = 0  # a transparent top-left corner, away from the label
        frames.append(Image.fromarray(rgba))
    path = tmp_path / "t.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=[100, 300], loop=2,
                   disposal=2)  # fmt: skip
    (outcome,) = label([path], REQUEST, out_dir=tmp_path / "out").files
    assert outcome.proof["status"] == "compliant", outcome.proof
    with Image.open(tmp_path / "out" / "t.gif") as image:
        assert image.n_frames == 2 and image.info["loop"] == 2
        for index, duration in enumerate([100, 300]):
            image.seek(index)
            alpha = np.asarray(image.convert("RGBA"))[..., 3]
            assert image.info["duration"] == duration
            assert alpha[:100, :100].max() == 0 and alpha[200:, 200:].min() == 255
