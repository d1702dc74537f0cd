"""Coverage-guided fuzzing (atheris) of markcheck's byte parsers.

    python fuzz/fuzz_parsers.py TARGET [libFuzzer options] [CORPUS_DIR ...]

TARGET is one of: jpeg png webp gif tiff isobmff heif avif mkv avi flv xmp tc260. Each
harness feeds the bytes to the parser and then to the interpretation layer; a ReaderError is the
expected way to refuse bad input, anything else is a crash. Seed corpora: the files under
samples/ of that format, and fuzz/seeds/TARGET (HEIF/AVIF/MKV/AVI/FLV files and past crashes,
written by fuzz/make_seeds.py).
Example: `python fuzz/fuzz_parsers.py heif -runs=200000 fuzz/seeds/heif`.
"""

from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports():
    from markcheck.readers import Limits, ReaderError
    from markcheck.readers.dispatch import read_raw
    from markcheck.readers.interpret import interpret
    from markcheck.readers.tc260 import parse_label
    from markcheck.readers.xmp import parse_packet

# Small limits: the fuzzer explores the limit paths, not the memory of the machine.
LIMITS = Limits(max_entry_bytes=1 << 20, max_inflate_bytes=1 << 20, max_entries=512)
CONTAINERS = {"jpeg", "png", "webp", "gif", "tiff", "isobmff", "heif", "avif", "mkv", "avi", "flv"}


def container(fmt: str):
    def run(data: bytes) -> None:
        try:
            raw = read_raw(io.BytesIO(data), fmt, len(data), LIMITS)
        except ReaderError:
            return
        interpret(raw, LIMITS)

    return run


def xmp(data: bytes) -> None:
    parse_packet(data)


def tc260(data: bytes) -> None:
    parse_label(data.decode("utf-8", "replace"), "fuzz")


def harness(target: str):
    if target in CONTAINERS:
        return container("mp4" if target == "isobmff" else target)
    return {"xmp": xmp, "tc260": tc260}[target]


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in CONTAINERS | {"xmp", "tc260"}:
        raise SystemExit(__doc__)
    target = harness(sys.argv[1])
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
