"""Decode video frames with their presentation times (PyAV, FFmpeg inside the wheel).

Times come from presentation timestamps, not frame counts, so variable frame rates and edit
lists are right. Frames are turned upright by the display matrix (a portrait phone video's
shortest side is judged as shown). Every decode is bounded in time and frame count.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAX_SECONDS = 30.0  # wall time spent decoding one file
MAX_PIXELS = 80_000_000  # frame size refused above this (8K is 33 MP)


class VideoError(Exception):
    """The video cannot be decoded (no video stream, corrupt, absurd dimensions...)."""


@dataclass(frozen=True)
class VideoFrame:
    time_s: float
    pixels: np.ndarray  # RGB, upright


def _upright(pixels: np.ndarray, rotation: int) -> np.ndarray:
    # FFmpeg gives the display rotation as a counter-clockwise angle, as np.rot90 turns.
    turns = round(rotation / 90) % 4
    return np.ascontiguousarray(np.rot90(pixels, turns)) if turns else pixels


def _timed_frames(path: Path, keys_only: bool = False) -> Iterator[tuple[float, Any]]:
    """(seconds from the first frame, decoded frame), within the decode budget."""
    import av

    deadline = time.monotonic() + MAX_SECONDS
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise VideoError(f"cannot open the video: {exc}") from exc
    with container:
        if not container.streams.video:
            raise VideoError("no video stream (audio only?)")
        stream = container.streams.video[0]
        if keys_only:
            stream.codec_context.skip_frame = "NONKEY"  # the decoder skips the others
        else:
            stream.thread_type = "AUTO"
        if stream.width * stream.height > MAX_PIXELS:
            raise VideoError(f"{stream.width}x{stream.height} frames are over the limit")
        start = None
        try:
            for frame in container.decode(stream):
                if time.monotonic() > deadline:
                    raise VideoError(f"decoding took over {MAX_SECONDS:g} s; stopped")
                if frame.time is None:
                    continue
                start = frame.time if start is None else start
                yield frame.time - start, frame
        except av.FFmpegError as exc:
            if start is None:
                raise VideoError(f"no frame could be decoded: {exc}") from exc


def _picture(frame: Any) -> np.ndarray:
    return _upright(frame.to_ndarray(format="rgb24"), frame.rotation)


def frames(path: Path, until_s: float) -> Iterator[VideoFrame]:
    """Every frame from the start up to `until_s` seconds of presentation time."""
    for at, frame in _timed_frames(path):
        if at > until_s:
            return
        yield VideoFrame(at, _picture(frame))


def keyframes(path: Path, after_s: float, every_s: float, limit: int) -> Iterator[VideoFrame]:
    """Key frames after `after_s`, at least `every_s` apart, at most `limit`: only key frames
    are decoded, so this costs little more than reading the packets."""
    kept, last = 0, None
    try:
        for at, frame in _timed_frames(path, keys_only=True):
            if kept >= limit:
                return
            if at <= after_s or (last is not None and at - last < every_s):
                continue
            last, kept = at, kept + 1
            yield VideoFrame(at, _picture(frame))
    except VideoError:
        return  # sparse frames are a bonus: a damaged tail ends them quietly
