"""Write the committed seed corpora under fuzz/seeds/TARGET/:
- HEIF and AVIF files (Pillow's AVIF encoder; HEIF shares its `meta` layout under another
  brand), and the inputs that once crashed or stalled a reader, kept as regression seeds;
- MKV/WebM, AVI and FLV files made by PyAV (ffmpeg's muxers) carrying an AIGC label where each
  container carries it; the AVI INFO chunk is added by hand (ffmpeg writes only the INFO keys
  it knows).

    python fuzz/make_seeds.py

Crashes found later are committed as found, beside what this writes (e.g.
fuzz/seeds/tiff/empty-width-tag: an ImageWidth tag with a count of 0).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

import hostile_builders as hb  # noqa: E402
import media_builders as mb  # noqa: E402
import video_container_builders as vb  # noqa: E402

# Found by fuzz_parsers.py isobmff: a top-level mvhd box with no body (struct.error/IndexError).
REGRESSIONS = {"isobmff": {"short-mvhd": b"\x00\x00\x00\x00mvhd"}}
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
LABEL = '{"Label":"1","ContentProducer":"001191110102MACQD9K64010000","ProduceID":"seed"}'


def video_seeds(seeds: Path) -> None:
    for fmt in ("mkv", "webm", "flv", "avi"):
        target = "mkv" if fmt == "webm" else fmt  # WebM is Matroska: the mkv harness reads it
        folder = seeds / target
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"AIGC": LABEL, "comment": "seed"} if fmt != "avi" else {"comment": "seed"}
        name = "webm-label.mkv" if fmt == "webm" else f"label.{fmt}"
        path = vb.video(folder / name, fmt if fmt != "webm" else "webm", meta, frames=2)
        if fmt == "avi":
            vb.add_avi_info(path, {b"AIGC": LABEL})
        print(path, path.stat().st_size)


def main() -> None:
    seeds = ROOT / "fuzz" / "seeds"
    with tempfile.TemporaryDirectory() as tmp:
        avif = mb.avif(Path(tmp) / "seed.avif", XMP).read_bytes()
        crafted = hb.build(Path(tmp), XMP)
    files = {
        "avif": {"xmp.avif": avif},
        "heif": {"xmp.heic": hb.with_brand(avif, b"heic")},
    }
    for name, (data, _status, _reason) in crafted.items():
        target = name.split("-", 1)[0]
        target = {"mp4": "isobmff", "heif": "heif", "avif": "avif"}.get(target, target)
        if len(data) <= 4096:
            files.setdefault(target, {})[name] = data
    for target, named in REGRESSIONS.items():
        files.setdefault(target, {}).update(named)
    for target, named in files.items():
        folder = seeds / target
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in named.items():
            (folder / name).write_bytes(data)
            print(folder / name, len(data))
    video_seeds(seeds)


if __name__ == "__main__":
    main()
