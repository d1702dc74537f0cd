"""Mangled inputs never crash `markcheck label`: each file is an error with nothing written, or
a labelled file that markcheck reads back with exactly one label."""

from __future__ import annotations

import random
import zlib

import pytest

import media_builders as mb
from markcheck.labelling import LabelRequest, label
from test_label_writers import PRODUCER, labels_read_by_markcheck

BUILDERS = {"jpg": mb.jpeg, "png": mb.png, "webp": mb.webp, "gif": mb.gif, "avif": mb.avif,
            "mp4": mb.mp4, "tif": lambda p: mb.tiff(p, mb.xmp_packet()), "mkv": mb.matroska,
            "webm": mb.matroska}  # fmt: skip
MUTANTS = 24


def mutants(data: bytes, seed: int) -> list[bytes]:
    """Truncations, byte flips in the first 2 KB (where the structure is) and length fields
    set to huge values, deterministic by seed."""
    rng = random.Random(seed)
    out = []
    for i in range(MUTANTS):
        buf = bytearray(data)
        if i % 3 == 0:
            del buf[rng.randrange(8, len(buf)) :]
        elif i % 3 == 1:
            for _ in range(rng.randint(1, 6)):
                buf[rng.randrange(min(len(buf), 2048))] = rng.randrange(256)
        else:
            at = rng.randrange(8, min(len(buf), 1024) - 4)
            buf[at : at + 4] = b"\xff\xff\xff\xf0"
        out.append(bytes(buf))
    return out


@pytest.mark.parametrize("ext", BUILDERS)
def test_mangled_files(tmp_path, ext):
    source = BUILDERS[ext](tmp_path / f"source.{ext}")
    src = tmp_path / "in"
    src.mkdir()
    for index, data in enumerate(mutants(source.read_bytes(), seed=zlib.crc32(ext.encode()))):
        (src / f"m{index:02}.{ext}").write_bytes(data)
    result = label([src], LabelRequest(producer=PRODUCER), out_dir=tmp_path / "out",
                   select=("cn.implicit",))  # fmt: skip
    assert len(result.files) == MUTANTS
    for outcome in result.files:
        if outcome.error:
            assert outcome.output is None
            assert not (tmp_path / "out" / outcome.path).exists()
            assert outcome.error["type"] != "internal", outcome.error
        else:
            found = labels_read_by_markcheck(tmp_path / "out" / outcome.path)
            assert [f.label for f in found] == [outcome.label]
