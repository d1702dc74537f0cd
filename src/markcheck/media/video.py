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
EPSILON = 1e-4  # seconds: timestamps closer than this are the same time
FORWARD_S = 2.0  # gaps up to this long are always decoded forward rather than sought


def after(time_s: float) -> float:
    """A start time for `frames`/`frame_at` that takes the frames after the one at `time_s`
    and not that one: they take frames from EPSILON before their start, and `near` takes a
    start within EPSILON of the last frame read as behind the reader (a seek back)."""
    return time_s + 2 * EPSILON


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


@dataclass(frozen=True)
class TimedFrame:
    """A decoded frame and its presentation time; pictures are made only when asked for."""

    time_s: float
    frame: Any  # av.VideoFrame

    def picture(self) -> np.ndarray:
        """RGB, upright."""
        return _picture(self.frame)

    def luma(self) -> np.ndarray:
        """Grey levels, upright: enough to re-read a label already located (cheaper than RGB)."""
        frame = self.frame
        if frame.format.name in ("yuv420p", "yuvj420p", "yuv422p", "yuv444p", "nv12"):
            plane = frame.planes[0]  # the Y plane as stored: no conversion at all
            grey = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)
            grey = grey[: frame.height, : frame.width]
        else:
            grey = frame.to_ndarray(format="gray")
        return _upright(grey, frame.rotation)


class VideoReader:
    """Frames by presentation time, reading forward or seeking, whichever decodes less.

    Seeking lands on the key frame before the wanted time and decodes forward from there, so
    it pays only when that key frame is past the frames already decoded: the reader learns the
    key-frame spacing (GOP) as it decodes and reads forward for gaps shorter than that. One
    wall-time deadline bounds the whole reader; past it, `BudgetSpent` is raised.
    """

    def __init__(self, path: Path, budget_s: float = MAX_SECONDS) -> None:
        import av

        self.deadline = time.monotonic() + budget_s
        try:
            self.container = av.open(str(path))
        except (av.FFmpegError, OSError, ValueError) as exc:
            raise VideoError(f"cannot open the video: {exc}") from exc
        if not self.container.streams.video:
            self.container.close()
            raise VideoError("no video stream (audio only?)")
        self.stream = self.container.streams.video[0]
        self.stream.thread_type = "AUTO"
        if self.stream.width * self.stream.height > MAX_PIXELS:
            self.container.close()
            raise VideoError(f"{self.stream.width}x{self.stream.height} frames are over the limit")
        self.origin: float | None = None  # presentation time of the first frame
        self.gop_s = 0.0  # longest key-frame spacing seen (0: not known yet)
        self.frame_step = 0.0  # smallest frame spacing seen
        self.ended_at: float | None = None  # time of the last frame, once the end was decoded
        self._last_key: float | None = None
        self._decoder: Iterator[Any] | None = None
        self._pending: TimedFrame | None = None  # decoded, handed back for the next read
        self._decoded: float | None = None  # time of the last frame decoded
        self._consumed: float | None = None  # frames up to this time are behind the reader
        self._sought: float | None = None  # the time of the last seek, until a frame comes

    def close(self) -> None:
        self.container.close()

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def duration_s(self) -> float | None:
        """The stream's (or container's) declared duration, when it declares one."""
        if self.stream.duration and self.stream.time_base:
            return float(self.stream.duration * self.stream.time_base)
        if self.container.duration:
            return self.container.duration / 1_000_000
        return None

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetSpent("the video's time budget is spent")

    def _decode(self) -> TimedFrame | None:
        """The next frame from the decoder, or None at the end of the stream."""
        import av

        if self._decoder is None:
            self._decoder = iter(self.container.decode(self.stream))
        while True:
            self._check_time()
            try:
                frame = next(self._decoder)
            except StopIteration:
                self.ended_at = self._decoded
                return None
            except av.FFmpegError as exc:
                if self.origin is None:
                    raise VideoError(f"no frame could be decoded: {exc}") from exc
                self.ended_at = self._decoded  # a damaged tail ends the stream quietly
                return None
            if frame.time is None:
                continue
            if self.origin is None:
                self.origin = frame.time
            at = frame.time - self.origin
            if self._sought is not None:
                # A seek lands on the key frame before its target: none lies in between.
                self.gop_s = max(self.gop_s, self._sought - at)
                self._sought = None
            if frame.key_frame:
                if self._last_key is not None and at > self._last_key:
                    self.gop_s = max(self.gop_s, at - self._last_key)
                self._last_key = at
            if self._decoded is not None and at > self._decoded:
                step = at - self._decoded
                self.frame_step = min(self.frame_step, step) if self.frame_step else step
            self._decoded = at
            return TimedFrame(at, frame)

    def _next(self) -> TimedFrame | None:
        if self._pending is not None:
            item, self._pending = self._pending, None
        else:
            item = self._decode()
        if item is not None:
            self._consumed = item.time_s
        return item

    def near(self, at_s: float) -> bool:
        """True when reading forward to `at_s` decodes no more than a seek would: a seek
        decodes from the key frame before its target, half a GOP on average."""
        reach = max(FORWARD_S, self.gop_s / 2)
        if self.origin is None:
            return at_s <= reach
        if self._consumed is None or self._consumed >= at_s - EPSILON:
            return False
        return at_s - self._consumed <= reach

    def _go_to(self, at_s: float) -> None:
        """Seek unless the frames up to `at_s` are few enough to decode forward."""
        import av

        if self.origin is None or self.near(at_s):
            return
        target = int((at_s + self.origin) / self.stream.time_base)
        try:
            self.container.seek(target, stream=self.stream, backward=True)
        except av.FFmpegError:
            return  # not seekable: keep reading forward
        self._decoder, self._pending, self._last_key = None, None, None
        self._consumed = self._decoded = None
        self._sought = at_s

    def _past_end(self, at_s: float) -> bool:
        return self.ended_at is not None and at_s > self.ended_at + EPSILON

    def frames(self, start_s: float, until_s: float) -> Iterator[TimedFrame]:
        """Every frame with start_s <= time <= until_s, in order."""
        if self._past_end(start_s):
            return
        self._go_to(start_s)
        last = start_s - 2 * EPSILON
        while (item := self._next()) is not None:
            if item.time_s < start_s - EPSILON:
                continue
            if item.time_s > until_s + EPSILON:
                self.push_back(item)  # the next read starts here
                self._consumed = last
                return
            last = item.time_s
            yield item

    def frame_at(self, at_s: float) -> TimedFrame | None:
        """The first frame at or after `at_s` (None past the end)."""
        if self._past_end(at_s):
            return None
        self._go_to(at_s)
        while (item := self._next()) is not None:
            if item.time_s >= at_s - EPSILON:
                return item
        return None

    def frame_near(self, at_s: float, after_s: float, slack_s: float) -> TimedFrame | None:
        """A frame close to `at_s`, cheaply: the key frame a seek lands on when it lies after
        `after_s` and at most `slack_s` before `at_s` (one frame decoded); otherwise the first
        frame at or after `at_s` (decoded forward from that key frame, or from here)."""
        if self.near(at_s) or self._past_end(at_s):
            return self.frame_at(at_s)
        self._go_to(at_s)
        item = self._next()
        if item is not None and after_s + EPSILON < item.time_s and at_s - item.time_s <= slack_s:
            return item
        while item is not None and item.time_s < at_s - EPSILON:
            item = self._next()
        return item

    def push_back(self, item: TimedFrame) -> None:
        """Return the frame just read: the next read starts with it again."""
        self._pending, self._consumed = item, item.time_s - 2 * EPSILON


class BudgetSpent(Exception):
    """The time allowed for reading one video ran out."""
