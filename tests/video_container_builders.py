"""Matroska, WebM, FLV and AVI files written by PyAV (ffmpeg's muxers), and the AVI `INFO`
chunk ffmpeg does not write for unknown keys, added by hand. Used by the tests and by
`fuzz/make_seeds.py`."""

from __future__ import annotations

import struct
from fractions import Fraction
from pathlib import Path

MUXERS = {
    "mkv": ("matroska", "libx264"),
    "webm": ("webm", "libvpx-vp9"),
    "flv": ("flv", "flv"),
    "avi": ("avi", "mpeg4"),
}


def video(path: Path, fmt: str, metadata: dict[str, str] | None = None, frames: int = 6) -> Path:
    """A 96x64, 10 fps video of `frames` frames; container metadata as ffmpeg writes it
    (Matroska SimpleTags, FLV onMetaData, AVI INFO for the keys it knows)."""
    import av
    import numpy as np

    muxer, codec = MUXERS[fmt]
    with av.open(str(path), "w", format=muxer) as out:
        for key, value in (metadata or {}).items():
            out.metadata[key] = value
        stream = out.add_stream(codec, rate=Fraction(10))
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        pixels = np.zeros((64, 96, 3), np.uint8)
        pixels[:, :, 1] = np.arange(96, dtype=np.uint8)
        for _ in range(frames):
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def add_avi_info(path: Path, chunks: dict[bytes, str]) -> Path:
    """Append a `LIST INFO` with the given chunks to the RIFF of an AVI (sizes updated)."""
    body = b""
    for kind, text in chunks.items():
        value = text.encode("utf-8") + b"\x00"
        body += kind + struct.pack("<I", len(value)) + value + b"\x00" * (len(value) & 1)
    info = b"LIST" + struct.pack("<I", 4 + len(body)) + b"INFO" + body
    data = bytearray(path.read_bytes())
    riff_size = struct.unpack("<I", data[4:8])[0]
    assert data[:4] == b"RIFF" and 8 + riff_size == len(data), "one RIFF chunk expected"
    data[4:8] = struct.pack("<I", riff_size + len(info))
    path.write_bytes(bytes(data) + info)
    return path
