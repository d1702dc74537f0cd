"""Invisible watermarks: the DWT-DCT codec against the reference's vectors, hits, misses, the
positive control, the rules that use decoded layers, reports, and plug-in decoders."""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import c2pa_fixtures as cf
from conftest import run_cli
from markcheck import scan
from markcheck.detectors import dwtdct
from markcheck.detectors import watermark as wm
from markcheck.reports.json_report import validate
from markcheck.vocabulary.watermarks import BY_KEY, MESSAGES
from watermark_builders import NATIVE_SIDE, mark, photo

DATA = Path(__file__).parent / "data" / "watermark"
VECTORS = json.loads((DATA / "vectors.json").read_text())
SAMPLES = Path(__file__).parents[1] / "samples"


def _rgb(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def _save(rgb: np.ndarray, path: Path, **options) -> Path:
    Image.fromarray(rgb).save(path, **options)
    return path


def _reading(readings, key: str):
    (found,) = [r for r in readings if r.key == key]
    return found


# --- the codec against the reference implementation ------------------------------------


@pytest.mark.parametrize("key", sorted(VECTORS["marked"]))
@pytest.mark.parametrize("pixels", ["uint8", "float32"])
def test_decoder_reads_the_cover_as_the_reference_does(key, pixels):
    bgr = np.ascontiguousarray(_rgb(DATA / "cover.png")[..., ::-1])
    arr = bgr if pixels == "uint8" else bgr.astype(np.float32)
    got = dwtdct.decode(arr, len(BY_KEY[key].bits))
    assert [int(b) for b in got] == VECTORS["cover_decodes"][f"{key}/{pixels}"]


@pytest.mark.parametrize("key", sorted(VECTORS["marked"]))
def test_encoder_output_is_the_reference_output_byte_for_byte(key):
    message = BY_KEY[key]
    bgr = np.ascontiguousarray(_rgb(DATA / "cover.png")[..., ::-1])
    if message.pixels == "float32":
        bgr = bgr.astype(np.float32)
    out = dwtdct.encode(bgr, message.bits)
    assert out.dtype == bgr.dtype
    digest = hashlib.sha256(np.ascontiguousarray(out).tobytes()).hexdigest()
    assert digest == VECTORS["marked"][key]["encoded_sha256"]


@pytest.mark.parametrize("key", ["sd1", "sdxl"])
def test_files_the_reference_marked_are_read_as_the_reference_reads_them(key):
    rgb = _rgb(DATA / f"marked_{key}.png")
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    n = len(BY_KEY[key].bits)
    for pixels, expected in VECTORS["marked"][key]["decodes"].items():
        arr = bgr if pixels == "uint8" else bgr.astype(np.float32)
        assert [int(b) for b in dwtdct.decode(arr, n)] == expected
    hits, state = wm.search(DATA / f"marked_{key}.png")
    # The pipeline's own pixel path decides; its reading is what the reference read there.
    expected = VECTORS["marked"][key]["decodes"][BY_KEY[key].pixels]
    matched = sum(int(a == b) for a, b in zip(expected, BY_KEY[key].bits, strict=True))
    assert _reading(state.readings, key).bits_matched == matched
    assert [h.generator for h in hits] == [BY_KEY[key].generator]


def test_messages_are_the_published_bits():
    assert len(BY_KEY["sd1"].bits) == 8 * len("StableDiffusionV1") == 136
    assert len(BY_KEY["sd2"].bits) == 32
    sdxl, flux = ("".join(map(str, BY_KEY[k].bits)) for k in ("sdxl", "flux"))
    assert sdxl == "101100111110110010010000011110111011000110011110"
    # bin() drops FLUX's two leading zeros: 46 bits are embedded, not 48.
    assert flux == "1010101111111010000111100111001111010100101110"


def test_hit_threshold_is_the_binomial_bound():
    for n in (32, 46, 48, 136):
        k = wm.min_bits(n)
        chance = sum(math.comb(n, i) for i in range(k, n + 1)) / 2**n
        looser = sum(math.comb(n, i) for i in range(k - 1, n + 1)) / 2**n
        assert chance <= 1e-8 < looser
    assert wm.min_bits(48) == 43 and wm.min_bits(32) == 31


# --- hits and misses ---------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(BY_KEY))
def test_round_trip_each_message_at_its_native_size(tmp_path, key):
    side = NATIVE_SIDE[key]
    path = _save(mark(photo(side, side, seed=11), key), tmp_path / f"{key}.png")
    hits, state = wm.search(path)
    assert [h.generator for h in hits] == [BY_KEY[key].generator]
    hit = hits[0]
    assert hit.decoded and hit.bits_total == len(BY_KEY[key].bits)
    assert hit.bits_matched >= wm.min_bits(hit.bits_total)
    assert hit.score == pytest.approx(hit.bits_matched / hit.bits_total, abs=1e-4)
    assert 0 < hit.false_positive_p < 1e-7
    assert hit.message == BY_KEY[key].message
    assert [r.hit for r in state.readings].count(True) == 1


def _screenshot(seed: int) -> np.ndarray:
    """A UI-like picture with text rendered by Pillow."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (900, 600), tuple(int(v) for v in rng.integers(200, 256, 3)))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=18)
    for row in range(20):
        y = 20 + row * 28
        draw.rectangle([10, y - 4, 890, y + 22], outline=(180, 180, 190))
        draw.text((20, y), f"Row {row}: invoice {rng.integers(1e6)} total {rng.random():.2f}",
                  fill=(20, 20, 30), font=font)  # fmt: skip
    return np.asarray(image)


def _unmarked(tmp_path: Path) -> list[Path]:
    paths = sorted(SAMPLES.glob("visible/*.jpg")) + [DATA / "cover.png"]
    paths += [p for p in SAMPLES.glob("metadata/*") if p.suffix in (".jpg", ".png", ".webp")]
    for seed in range(3):
        paths.append(_save(photo(768, 1024, seed=100 + seed), tmp_path / f"photo{seed}.png"))
        paths.append(_save(_screenshot(seed), tmp_path / f"shot{seed}.png"))
        paths.append(
            _save(photo(600, 800, seed=200 + seed), tmp_path / f"photo{seed}.jpg", quality=80)
        )
    for value in (0, 128, 255):
        paths.append(_save(np.full((512, 512, 3), value, np.uint8), tmp_path / f"flat{value}.png"))
    return paths


def test_unmarked_pictures_are_misses(tmp_path):
    looked = 0
    for path in _unmarked(tmp_path):
        try:
            hits, state = wm.search(path, with_control=False)
        except OSError:
            continue  # a sample that is broken on purpose
        assert hits == [], path
        assert all(not r.hit for r in state.readings), path
        looked += bool(state.readings)
    assert looked >= 15


# --- the positive control ----------------------------------------------------------------


def test_control_says_detectable_where_a_mark_survives_and_undecidable_where_it_cannot(tmp_path):
    marked = mark(photo(1024, 1024, seed=5), "sdxl")
    kept = _save(marked, tmp_path / "q95.jpg", quality=95)
    hits, state = wm.search(kept)
    assert [h.generator for h in hits] == ["Stable Diffusion XL"]
    assert hits[0].control == "detectable"

    # Heavy compression erases the mark; re-compressing a fresh mark with the file's own
    # tables erases that too, so the miss is undecidable, not "no watermark".
    lost = _save(marked, tmp_path / "q40.jpg", quality=40)
    hits, state = wm.search(lost)
    assert hits == []
    assert _reading(state.readings, "sdxl").control == "undecidable"

    # An unmarked picture where a mark would have been read. (SD 2.x's 32-bit message
    # allows one error, and the control's 512 px crop gives it fewer votes than the whole
    # picture: the control may call it undecidable, the cautious side.)
    clean = _save(photo(1024, 1024, seed=6), tmp_path / "clean.png")
    hits, state = wm.search(clean)
    assert hits == []
    for key in ("sd1", "sdxl", "flux"):
        assert _reading(state.readings, key).control == "detectable", key

    # A white picture: YUV -> RGB clipping destroys any mark, fresh or old.
    white = _save(np.full((512, 512, 3), 255, np.uint8), tmp_path / "white.png")
    _, state = wm.search(white)
    assert {r.control for r in state.readings} == {"undecidable"}


def test_too_small_pictures_are_not_read(tmp_path):
    path = _save(photo(200, 300, seed=1), tmp_path / "small.png")
    hits, state = wm.search(path)
    assert hits == [] and state.readings == []
    assert "256x256" in state.notes[0]


# --- scans, rules and reports ------------------------------------------------------------


def test_stripped_sdxl_output_is_found_and_judged(tmp_path):
    path = _save(mark(photo(1024, 1024, seed=9), "sdxl"), tmp_path / "stripped.png")
    out = tmp_path / "report.json"
    done = run_cli(
        "scan", str(path), "--rules", "eu-ai-act-art50", "--rules", "cn-gb45438",
        "--format", "json", "--output", str(out),
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(out.read_text())
    validate(report)
    (item,) = report["files"]
    (found,) = item["implicit"]["watermarks"]
    assert found["decoded"] is True and found["generator"] == "Stable Diffusion XL"
    assert found["bits_total"] == 48 and found["bits_matched"] >= 43
    assert item["ai"]["verdict"] == "possible"
    assert any(s["source"] == "watermark" for s in item["ai"]["signals"])
    assert len(item["implicit"]["watermark_search"]["readings"]) == len(MESSAGES)
    assert report["tool"]["watermark"]["messages"]["sdxl"] == {
        "generator": "Stable Diffusion XL", "bits": 48, "min_bits": 43}  # fmt: skip
    outcome = {f["rule"]: f for f in item["findings"]}
    assert outcome["eu.marking.machine_readable"]["outcome"] == "pass"
    assert "Stable Diffusion XL" in outcome["eu.marking.machine_readable"]["message"]
    # The watermark says AI while no TC260 label does: a stripped or missing label.
    assert outcome["cn.implicit.consistency"]["outcome"] == "fail"
    assert "watermark" in outcome["cn.implicit.consistency"]["message"]
    assert item["status"] == "noncompliant"


def test_no_decode_when_no_selected_rule_needs_it(tmp_path):
    path = _save(mark(photo(512, 512, seed=2), "sd1"), tmp_path / "sd1.png")
    result = scan([path], ["cn-gb45438"], select=["cn.implicit.present"])
    (item,) = result.files
    assert item.implicit.watermark_search is None and item.implicit.watermarks == []
    # "cn.implicit" stays metadata-only: the consistency rule compares decoded layers only
    # when another selected rule had them decoded.
    result = scan([path], ["cn-gb45438"], select=["cn.implicit"])
    assert result.files[0].implicit.watermark_search is None
    result = scan([path], ["eu-ai-act-art50"], select=["eu.marking.multilayer"])
    assert [m.generator for m in result.files[0].implicit.watermarks] == ["Stable Diffusion 1.x"]


def test_multilayer_counts_a_decoded_layer_and_detectable_passes(tmp_path):
    creds = cf.make_credentials()
    source = _save(mark(photo(1024, 1024, seed=3), "flux"), tmp_path / "flux.png")
    signed = cf.sign(source, tmp_path / "signed.png", creds, cf.manifest())
    result = scan([signed], ["eu-ai-act-art50", "us-ca-sb942"], params={
        "eu.marking.multilayer": {"accept_untrusted": True}})  # fmt: skip
    validate(result.to_dict())
    (item,) = result.files
    got = {f.rule: f for f in item.findings}
    assert got["eu.marking.multilayer"].outcome == "pass"
    assert "decoded FLUX" in got["eu.marking.multilayer"].message
    assert got["ca.latent.detectable"].outcome == "pass"
    assert "FLUX" in got["ca.latent.detectable"].message

    # The same manifest on unmarked pixels: a miss is unknown, and says what the control saw.
    plain = cf.sign(
        _save(photo(1024, 1024, seed=4), tmp_path / "plain.png"),
        tmp_path / "plain-signed.png", creds, cf.manifest(),
    )  # fmt: skip
    result = scan([plain], ["eu-ai-act-art50"], params={
        "eu.marking.multilayer": {"accept_untrusted": True}})  # fmt: skip
    finding = {f.rule: f for f in result.files[0].findings}["eu.marking.multilayer"]
    assert finding.outcome == "unknown"
    assert "would have been read" in finding.message


def test_unsigned_marked_picture_has_a_detectable_latent_mark(tmp_path):
    path = _save(mark(photo(512, 512, seed=8), "sd1"), tmp_path / "sd1.png")
    result = scan([path], ["us-ca-sb942"])
    got = {f.rule: f for f in result.files[0].findings}
    assert got["ca.latent.detectable"].outcome == "pass"
    assert got["ca.latent.provider"].outcome == "fail"  # the mark names no provider


def test_every_report_format_shows_the_decoded_watermark(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # the table on one line per file
    path = _save(mark(photo(1024, 1024, seed=12), "sdxl"), tmp_path / "m.png")
    for fmt, needle in (
        ("html", '"wm":[["Stable Diffusion XL",true]]'),
        ("table", "watermark decoded: Stable Diffusion XL"),
        ("sarif", '"generator": "Stable Diffusion XL"'),
        ("junit", 'name="watermark.decoded" value="Stable Diffusion XL'),
    ):
        out = tmp_path / f"r.{fmt}"
        done = run_cli("scan", str(path), "--rules", "eu-ai-act-art50", "--format", fmt,
                       "--output", str(out))  # fmt: skip
        assert done.returncode in (0, 1), done.stderr
        text = out.read_text()
        if fmt == "sarif":
            text = json.dumps(json.loads(text), indent=1)
        assert needle in text, fmt


def test_undecodable_pixels_are_unavailable_and_the_scan_goes_on(tmp_path):
    good = _save(mark(photo(512, 512, seed=13), "sd1"), tmp_path / "a.png")
    data = bytearray(good.read_bytes())
    start = data.index(b"IDAT") + 4  # the chunk keeps its length: only its pixels are garbage
    data[start + 100 : start + 4000] = bytes(3900)
    (tmp_path / "b.png").write_bytes(bytes(data))
    result = scan([tmp_path], ["eu-ai-act-art50"])
    by_name = {Path(item.path).name: item for item in result.files}
    assert by_name["a.png"].implicit.watermarks
    broken = by_name["b.png"]
    assert broken.implicit.watermarks == [] and broken.implicit.watermark_search is None
    (note,) = [n for n in broken.notes if n.startswith("watermark not examined")]
    assert "watermark decoders not run" in note
    # The pack still judges the file on what could be read.
    assert {f.rule for f in broken.findings} >= {"eu.marking.multilayer"}


# --- plug-in decoders --------------------------------------------------------------------


def _plugin(tmp_path: Path, body: str, name: str = "fake") -> Path:
    site = tmp_path / "site"
    (site / f"{name}_decoder-1.0.dist-info").mkdir(parents=True)
    (site / f"{name}_decoder-1.0.dist-info" / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}-decoder\nVersion: 1.0\n"
    )
    (site / f"{name}_decoder-1.0.dist-info" / "entry_points.txt").write_text(
        f"[{wm.ENTRY_POINT_GROUP}]\n{name} = {name}_decoder:decode\n"
    )
    (site / f"{name}_decoder.py").write_text(textwrap.dedent(body))
    return site


def test_plugin_decoders_are_found_by_entry_point(tmp_path, monkeypatch):
    site = _plugin(
        tmp_path,
        """
        def decode(rgb):
            # A stand-in TrustMark decoder: reports a hit when the top-left pixel is red.
            if tuple(rgb[0, 0]) == (255, 0, 0):
                return [{"scheme": "trustmark/Q", "score": 0.97, "message": "ab12",
                         "bits_matched": 99, "bits_total": 100}]
            return []
        """,
    )
    broken = _plugin(tmp_path / "b", "raise ImportError('weights missing')\n", name="broken")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(broken))
    pixels = photo(300, 300, seed=1)
    pixels[0, 0] = (255, 0, 0)
    hits, state = wm.search(_save(pixels, tmp_path / "p.png"))
    assert [(h.scheme, h.decoded, h.bits_matched) for h in hits] == [("trustmark/Q", True, 99)]
    assert state.decoders == [wm.BUILTIN, "broken", "fake"]
    assert any("broken" in note and "weights missing" in note for note in state.notes)


def test_jpeg_control_recompresses_with_the_files_own_tables(tmp_path):
    rgb = photo(600, 600, seed=21)
    path = _save(rgb, tmp_path / "p.jpg", quality=60)
    with Image.open(path) as source:
        recompress = wm._jpeg_like(source)
        tables = source.quantization
        decoded = np.asarray(source.convert("RGB"))
    # Re-compressing the decoded pixels with the same tables comes back nearly unchanged.
    again = recompress(decoded)
    assert np.abs(again.astype(int) - decoded).mean() < 1.0
    assert tables[0] != Image.open(_save(rgb, tmp_path / "q95.jpg", quality=95)).quantization[0]
    assert wm._jpeg_like(None) is None


def test_pictures_over_the_decode_limit_are_not_decoded(tmp_path, monkeypatch):
    path = _save(mark(photo(512, 512, seed=14), "sd1"), tmp_path / "big.png")
    monkeypatch.setattr(wm, "MAX_DECODE_PIXELS", 512 * 511)
    result = scan([path], ["eu-ai-act-art50"])
    (item,) = result.files
    assert item.implicit.watermarks == []
    assert any("pixel limit of watermark decoding" in note for note in item.notes)


def test_html_badge_for_a_decoded_watermark_renders(open_page, tmp_path):
    from markcheck.reports import html
    from markcheck.reports.context import ReportContext

    path = _save(mark(photo(1024, 1024, seed=15), "flux"), tmp_path / "flux.png")
    result = scan([path], ["eu-ai-act-art50"])
    out = tmp_path / "report.html"
    html.write(result, out, ReportContext())
    page, problems = open_page(out)
    badge = page.locator("article.file h2 .badge.wm.decoded")
    assert badge.inner_text() == "watermark decoded: FLUX (Black Forest Labs)"
    assert problems == []


def test_a_greyscale_jpeg_cannot_carry_the_mark_and_the_control_says_so(tmp_path):
    path = _save(photo(512, 512, seed=16)[..., 0], tmp_path / "grey.jpg", quality=90)
    hits, state = wm.search(path)
    assert hits == []
    assert {r.control for r in state.readings} == {"undecidable"}


def test_explain_gives_the_hit_thresholds_and_false_positive_bound():
    done = run_cli("explain", "eu.marking.multilayer")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "sdxl 43/48" in text and "sd1 101/136" in text and "flux 42/46" in text
    thresholds = {136: 101, 32: 31, 48: 43, 46: 42}  # from test_hit_threshold_is_the_binomial_bound
    bound = sum(
        sum(math.comb(n, i) for i in range(thresholds[n], n + 1)) / 2**n
        for n in (len(m.bits) for m in MESSAGES)
    )
    assert f"at most {bound:.1e}" in text and bound < 5e-8
