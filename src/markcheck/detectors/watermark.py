"""Pixels -> decoded invisible watermarks: positive-only, with a stated false-positive rate.

Built in: the DWT-DCT messages of Stable Diffusion 1.x/2.x, SDXL and FLUX
(`markcheck.vocabulary.watermarks`), each read the way its pipeline embedded it. A message is a
hit when at least `min_bits(n)` of its n bits read back: the smallest count whose chance on a
picture without the mark (bits as fair coins) is at most NULL_P. That chance, times the
number of messages tried, is the false-positive probability given with each hit; the
benchmark measures the real rate on unmarked pictures (benchmarks/bench_watermark.py).

A miss is never "no watermark". A positive control embeds the message into a copy of a
central crop of the same pixels (re-compressed with the file's own JPEG tables when it is a
JPEG), decodes it back, and says whether a mark would have been read here ("detectable") or
not even a fresh one is ("undecidable").

Further decoders (TrustMark, VideoSeal, ...) plug in through the entry-point group
`markcheck.watermark_decoders` (docs/watermarks.md).
"""

from __future__ import annotations

import io
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterable
from functools import cache
from math import comb
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, JpegImagePlugin

from markcheck.detectors import dwtdct
from markcheck.evidence import provider
from markcheck.media.image import MAX_PIXELS, eight_bit
from markcheck.model import Evidence, WatermarkHit, WatermarkReading, WatermarkSearch
from markcheck.scan_options import ScanOptions
from markcheck.vocabulary.watermarks import MESSAGES, WatermarkMessage

NULL_P = 1e-8  # per-message chance that an unmarked picture reaches the hit threshold
CONTROL_SIDE = 512  # the positive control works on a central crop at most this big
# Generators output a few megapixels; past this the float copy alone would take 400+ MB.
MAX_DECODE_PIXELS = 36_000_000
ENTRY_POINT_GROUP = "markcheck.watermark_decoders"
BUILTIN = "dwtDct (built in)"

# A plug-in decoder: RGB uint8 pixels in, hits out (WatermarkHit or a dict of its fields).
DecoderFn = Callable[[np.ndarray], Iterable[Any]]


def tail(n: int, k: int) -> float:
    """Chance that at least k of n fair coin flips come up right."""
    return sum(comb(n, i) for i in range(k, n + 1)) / 2**n


@cache
def min_bits(n: int) -> int:
    """The fewest matching bits of an n-bit message that count as a hit."""
    k = n
    while k > 0 and tail(n, k - 1) <= NULL_P:
        k -= 1
    return k


Path_ = tuple[str, str]  # (pixel type, channel order) a pipeline handed to the encoder
PATHS: tuple[Path_, ...] = tuple(sorted({(m.pixels, m.order) for m in MESSAGES}))
STRIP = 64  # rows read at a time; a multiple of the 8-px block grid (4x4 blocks of the DWT)


def handed(rgb8: np.ndarray, paths: Iterable[Path_]) -> dict[Path_, np.ndarray]:
    """The array each pipeline path handed to the encoder, made from RGB uint8 pixels.

    A pipeline that flipped RGB to BGR put the mark in the true U; one that passed RGB as BGR
    put it in what OpenCV computes when it takes the RGB array for BGR. The channels are
    swapped in uint8 by OpenCV (a fast exact copy) before any float32 copy: OpenCV's float
    RGB->YUV is not bit-identical to its BGR->YUV of the reversed channels, so the float
    paths must see BGR as the reference did.
    """
    arrays: dict[Path_, np.ndarray] = {}
    ordered = {"rgb": rgb8}
    for pixels, order in paths:
        if order not in ordered:
            ordered[order] = cv2.cvtColor(rgb8, cv2.COLOR_RGB2BGR)
        base = ordered[order]
        arrays[pixels, order] = base if pixels == "uint8" else base.astype(np.float32)
    return arrays


def read_votes(rgb8: np.ndarray) -> dict[Path_, np.ndarray]:
    """Block votes of each pipeline path (pixel type, channel order) the messages use.

    Read in strips of STRIP rows: every step (colour conversion, Haar sums, 4x4 blocks) is
    local to an 8-row band, so the votes are those of the whole picture, while each strip's
    temporaries stay in cache instead of costing page faults on picture-sized arrays.
    """
    parts: dict[Path_, list[np.ndarray]] = {path: [] for path in PATHS}
    for top in range(0, rgb8.shape[0], STRIP):
        for path, array in handed(rgb8[top : top + STRIP], PATHS).items():
            parts[path].append(dwtdct.block_votes(dwtdct.u_channel(array)))
    return {path: np.concatenate(votes) for path, votes in parts.items()}


def matched_bits(votes: np.ndarray, message: WatermarkMessage) -> int:
    bits = dwtdct.bits_from_means(dwtdct.bit_means(votes, len(message.bits)))
    return int(np.count_nonzero(bits == np.asarray(message.bits, dtype=bool)))


def _jpeg_like(source: Image.Image | None) -> Callable[[np.ndarray], np.ndarray] | None:
    """Re-compress pixels with the source JPEG's own tables and subsampling (None: not a JPEG)."""
    if not isinstance(source, JpegImagePlugin.JpegImageFile) or not source.quantization:
        return None
    tables = dict(source.quantization)
    sampling = JpegImagePlugin.get_sampling(source)
    mode = "L" if source.mode == "L" else "RGB"  # a greyscale file keeps no chroma, nor mark

    def recompress(rgb: np.ndarray) -> np.ndarray:
        buffer = io.BytesIO()
        options: dict[str, Any] = {"qtables": tables}
        if sampling >= 0:
            options["subsampling"] = sampling
        Image.fromarray(rgb).convert(mode).save(buffer, "JPEG", **options)
        buffer.seek(0)
        with Image.open(buffer) as again:
            return np.asarray(again.convert("RGB"))

    return recompress


def control(
    rgb: np.ndarray,
    message: WatermarkMessage,
    recompress: Callable[[np.ndarray], np.ndarray] | None = None,
    side: int = CONTROL_SIDE,
) -> int:
    """Bits of `message` read back after embedding it in a central crop of `rgb`."""
    height, width = rgb.shape[:2]
    ch, cw = min(height, side), min(width, side)
    top, left = (height - ch) // 2 // 8 * 8, (width - cw) // 2 // 8 * 8
    path = (message.pixels, message.order)
    given = handed(rgb[top : top + ch, left : left + cw], [path])[path]
    marked = dwtdct.encode(given, message.bits)
    if marked.dtype != np.uint8:  # the pipelines round to 8 bits before saving
        marked = np.clip(np.round(marked), 0, 255).astype(np.uint8)
    if recompress is not None:  # JPEG takes RGB; the encoder's channel order is put back after
        swap = message.order == "bgr"
        rgb = cv2.cvtColor(marked, cv2.COLOR_BGR2RGB) if swap else marked
        rgb = recompress(rgb)
        marked = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR) if swap else np.ascontiguousarray(rgb)
    typed = marked if message.pixels == "uint8" else marked.astype(np.float32)
    return matched_bits(dwtdct.block_votes(dwtdct.u_channel(typed)), message)


def search_dwtdct(
    rgb: np.ndarray, source: Image.Image | None = None, with_control: bool = True
) -> tuple[list[WatermarkHit], list[WatermarkReading]]:
    """Read every known DWT-DCT message from RGB uint8 pixels."""
    votes = read_votes(rgb)
    recompress = _jpeg_like(source) if with_control else None
    hits, readings = [], []
    for message in MESSAGES:
        n = len(message.bits)
        matched = matched_bits(votes[message.pixels, message.order], message)
        threshold = min_bits(n)
        reading = WatermarkReading(
            message.scheme,
            message.message,
            message.generator,
            matched,
            n,
            threshold,
            matched >= threshold,
            key=message.key,
        )
        if with_control:
            try:
                got = control(rgb, message, recompress)
            except (OSError, ValueError):  # the file's JPEG tables cannot be reused: no control
                got = None
            if got is not None:
                reading.control_bits_matched = got
                reading.control = "detectable" if got >= threshold else "undecidable"
        readings.append(reading)
        if reading.hit:
            hits.append(
                WatermarkHit(
                    scheme=message.scheme,
                    score=round(matched / n, 4),
                    message=message.message,
                    generator=message.generator,
                    bits_matched=matched,
                    bits_total=n,
                    decoded=True,
                    false_positive_p=float(f"{tail(n, matched) * len(MESSAGES):.3g}"),
                    control=reading.control,
                )
            )
    return hits, readings


def plugin_decoders() -> list[tuple[str, DecoderFn | Exception]]:
    """Decoders other packages register under ENTRY_POINT_GROUP (a load failure is kept)."""
    return _plugins(tuple(sys.path))


@cache
def _plugins(search_path: tuple[str, ...]) -> list[tuple[str, DecoderFn | Exception]]:
    # Looked up once per sys.path, not once per file: scanning installed packages costs ms.
    from importlib.metadata import entry_points

    found: list[tuple[str, DecoderFn | Exception]] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        try:
            found.append((point.name, point.load()))
        except Exception as exc:  # a broken plug-in must not stop the scan
            found.append((point.name, exc))
    return found


def decoder_info() -> dict[str, Any]:
    """What the report records of the watermark search: decoders, messages, thresholds."""
    return {
        "decoders": [BUILTIN] + [name for name, _ in plugin_decoders()],
        "null_p": NULL_P,
        "control_side": CONTROL_SIDE,
        "messages": {
            m.key: {
                "generator": m.generator,
                "bits": len(m.bits),
                "min_bits": min_bits(len(m.bits)),
            }
            for m in MESSAGES
        },
    }


def hit_rule_text() -> str:
    """When a decoded watermark counts, for `markcheck explain` of the rules that use one."""
    counts = ", ".join(f"{m.key} {min_bits(len(m.bits))}/{len(m.bits)}" for m in MESSAGES)
    per_picture = sum(tail(len(m.bits), min_bits(len(m.bits))) for m in MESSAGES)
    return textwrap.fill(
        "Watermark hits (DWT-DCT of SD 1.x/2.x, SDXL, FLUX) need at least this many matching "
        f"bits: {counts}. The chance that a picture without the mark reaches one of these "
        f"thresholds is at most {per_picture:.1e} (bits taken as fair coins; 0 hits were "
        "measured on 1,854 unmarked pictures, benchmarks/bench_watermark.py). A miss is never "
        "taken as the absence of a watermark. See docs/watermarks.md.",
        width=95,
    )


def _as_hit(name: str, item: Any) -> WatermarkHit:
    if isinstance(item, WatermarkHit):
        item.decoded = True
        return item
    fields = dict(item)
    return WatermarkHit(
        scheme=str(fields.pop("scheme", name)),
        score=float(fields.pop("score")),
        message=fields.get("message"),
        generator=fields.get("generator"),
        bits_matched=fields.get("bits_matched"),
        bits_total=fields.get("bits_total"),
        decoded=True,
        false_positive_p=fields.get("false_positive_p"),
    )


def load_pixels(path: Path) -> tuple[np.ndarray, Image.Image]:
    """The stored pixels (RGB uint8, no EXIF rotation: marks are in the stored order)."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(path)
        try:
            if image.width * image.height > MAX_DECODE_PIXELS:
                raise ValueError(
                    f"{image.width}x{image.height} px is over the {MAX_DECODE_PIXELS:,}-pixel"
                    " limit of watermark decoding"
                )
            rgb = np.asarray(eight_bit(image).convert("RGB"))
        except BaseException:
            image.close()
            raise
    return rgb, image


def search(path: Path, with_control: bool = True) -> tuple[list[WatermarkHit], WatermarkSearch]:
    """Run the built-in and plug-in decoders on one still image."""
    rgb, image = load_pixels(path)
    state = WatermarkSearch(decoders=[BUILTIN])
    hits: list[WatermarkHit] = []
    try:
        if rgb.shape[0] * rgb.shape[1] < dwtdct.MIN_PIXELS:
            state.notes.append(
                f"{rgb.shape[1]}x{rgb.shape[0]} px is under 256x256: the DWT-DCT encoder "
                "refuses such pictures, so none is read"
            )
        else:
            hits, state.readings = search_dwtdct(rgb, image, with_control)
        for name, decoder in plugin_decoders():
            state.decoders.append(name)
            if isinstance(decoder, Exception):
                state.notes.append(f"decoder {name} could not be loaded: {decoder}")
                continue
            try:
                hits += [_as_hit(name, item) for item in decoder(rgb)]
            except Exception as exc:  # one plug-in's failure is reported, not fatal
                state.notes.append(f"decoder {name} failed: {type(exc).__name__}: {exc}")
    finally:
        image.close()
    return hits, state


@provider("watermark")
def provide_watermark(evidence: Evidence, path: Path, fmt: str, options: ScanOptions) -> None:
    """Add decoded watermarks to `evidence.implicit.watermarks` and say what was searched."""
    if evidence.media.kind != "image":
        evidence.unavailable["watermark"] = "watermark decoding covers still images only"
        return
    try:
        hits, state = search(path)
    except (
        OSError,
        ValueError,
        SyntaxError,
        MemoryError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        evidence.unavailable["watermark"] = f"watermark decoders not run: {exc}"
        return
    evidence.implicit.watermarks += hits
    evidence.implicit.watermark_search = state
