"""Clips made with PyAV (H.264) that show a visible label over given spans of time."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from label_builders import photo, render_label


def clip(path: Path, spans: list[tuple[float, float]], *, size=(640, 360), fps=25,
         seconds=4.0, ratio=0.07, position="bottom-right", text="AI生成") -> Path:
    """A clip of a slowly panning photograph with `text` shown during each [start, end)."""
    import av

    width, height = size
    wide = photo("rocket", (width + 64, height))
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for index in range(round(seconds * fps)):
            t = index / fps
            frame = wide.crop((index % 64, 0, index % 64 + width, height))
            if any(start <= t < end for start, end in spans):
                frame, _ = render_label(frame, text, ratio, position, "box")
            picture = av.VideoFrame.from_ndarray(np.asarray(frame), format="rgb24")
            for packet in stream.encode(picture):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path
