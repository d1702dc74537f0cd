"""Metadata-only scan throughput: markcheck vs `exiftool -j -r`, side by side on one folder.

Generates N small real files (JPEG with XMP, PNG with a tEXt label, WebP with XMP, TIFF with
XMP; a quarter unlabelled), then times both tools end to end as a user runs them (process
start-up included) and prints files/s and the ratio. Usage:

    python benchmarks/bench_metadata.py [--files 1000] [--repeat 3] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, PngImagePlugin

LABEL = json.dumps(
    {
        "Label": "1",
        "ContentProducer": "001191110102MACQD9K64010000",
        "ProduceID": "bench-0000",
        "ReservedCode1": "",
        "ContentPropagator": "",
        "PropagateID": "",
        "ReservedCode2": "",
    },
    separators=(",", ":"),
)
XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/">'
    "<TC260:AIGC>{}</TC260:AIGC></rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
)


def make_corpus(folder: Path, count: int) -> None:
    base = Image.new("RGB", (256, 192), (120, 140, 90))
    for i in range(count):
        label = LABEL.replace("bench-0000", f"bench-{i:04d}")
        xmp = XMP.format(label.replace("&", "&amp;").replace("<", "&lt;")).encode()
        labelled = i % 4 != 3
        kind = i % 4 if labelled else (i // 4) % 3
        name = folder / f"sub{i % 10}" / f"f{i:05d}"
        name.parent.mkdir(parents=True, exist_ok=True)
        if kind == 0:
            base.save(name.with_suffix(".jpg"), quality=85, **({"xmp": xmp} if labelled else {}))
        elif kind == 1:
            info = PngImagePlugin.PngInfo()
            if labelled:
                info.add_text("AIGC", label)
            base.save(name.with_suffix(".png"), pnginfo=info)
        elif kind == 2:
            base.save(name.with_suffix(".webp"), quality=80, **({"xmp": xmp} if labelled else {}))
        else:
            base.save(name.with_suffix(".tif"), tiffinfo={700: xmp}, compression="tiff_lzw")


def timed(cmd: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="reuse/keep the corpus here")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="markcheck-bench-"))
    if not any(folder.rglob("f*")):
        make_corpus(folder, args.files)
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    markcheck = [
        sys.executable,
        "-m",
        "markcheck.cli",
        "scan",
        str(folder),
        "--select",
        "cn.implicit",
        "--format",
        "json",
        "--output",
        "/dev/null",
    ]
    rows = [("markcheck scan --select cn.implicit", timed(markcheck, args.repeat))]
    if shutil.which("exiftool"):
        rows.append(("exiftool -j -r", timed(["exiftool", "-j", "-r", str(folder)], args.repeat)))
    else:
        print("exiftool not found (Debian: libimage-exiftool-perl); baseline skipped")
    print(f"{count} files in {folder} (best of {args.repeat})")
    print(f"{'tool':40} {'seconds':>8} {'files/s':>9}")
    for name, seconds in rows:
        print(f"{name:40} {seconds:8.2f} {count / seconds:9.0f}")
    if len(rows) == 2:
        print(f"markcheck is {rows[1][1] / rows[0][1]:.1f}x exiftool's throughput")
    if args.dir is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
