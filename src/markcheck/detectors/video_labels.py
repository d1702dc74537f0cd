"""Visible labels in video: every label, when it starts and ends, to the frame.

Sampling (documented in docs/video.md): the whole picture is read (text detection and
recognition) at 0 s and every WINDOW_EVERY_S seconds up to WINDOW_S, then every
LATER_EVERY_S seconds to the end (wider for long files, so that at most MAX_LATER_SAMPLES
are read), and on the last frame. Samples are reached by presentation time: decoding forward,
or seeking when that decodes less (see `VideoReader`), never by key frames only.

Between two samples, each label is followed by re-reading only its box: where it appears or
disappears, the frame is found by bisection (see `video_tracks`). While decoding forward, the
box of every label being followed is copied out of each frame, so its end needs no second
decode; a label that appears between samples is bisected on a second decode of that stretch.

One time budget bounds the whole file; when it runs out, labels still shown are reported
with `open_end` (their end is later than the time given), never with an invented end.
"""

from __future__ import annotations

import math
from pathlib import Path

from markcheck.detectors.text import detect_in_pixels, read_line
from markcheck.detectors.video_tracks import Probe, Track, crop, first_gone, first_shown
from markcheck.detectors.wording import classify_label_text  # "is this text an AI label?"
from markcheck.media.video import EPSILON, BudgetSpent, TimedFrame, VideoReader
from markcheck.model import MediaInfo, TextRegion

WINDOW_S = 3.0  # the start of the video, where the rules look: sampled densely
WINDOW_EVERY_S = 1.0
LATER_EVERY_S = 2.0  # sampling interval after the window (middle and end labels)
MAX_LATER_SAMPLES = 100  # a 10-minute video is sampled every 6 s
BUDGET_S = 30.0  # wall time for one video (decoding and reading)


def sample_times(duration: float | None) -> list[float]:
    """The times the whole picture is read at (the last frame is read as well)."""
    times = [i * WINDOW_EVERY_S for i in range(int(WINDOW_S / WINDOW_EVERY_S) + 1)]
    if duration is None:
        later_every, end = LATER_EVERY_S, math.inf
    else:
        later_every = max(LATER_EVERY_S, (duration - WINDOW_S) / MAX_LATER_SAMPLES)
        end = duration
    at = WINDOW_S + later_every
    while at < end - EPSILON and len(times) < 10_000:
        times.append(round(at, 6))
        at += later_every
    return [t for t in times if duration is None or t < duration - EPSILON]


class _Scan:
    """The state of one video's scan: the labels followed, and those that ended."""

    def __init__(self, reader: VideoReader, threads: int) -> None:
        self.reader, self.threads = reader, threads
        self.active: list[Track] = []
        self.done: list[Track] = []
        self.previous: float | None = None  # time of the previous sample frame
        self.size = (0, 0)

    def read(self, patch):
        return read_line(patch, self.threads)

    def labels(self, frame: TimedFrame) -> list[TextRegion]:
        pixels = frame.picture()
        height, width = pixels.shape[:2]
        self.size = (width, height)
        found = detect_in_pixels(pixels, 1.0, width, height, threads=self.threads)
        return [r for r in found if classify_label_text(r.text).is_disclosure]

    def keep_patches(self, frame: TimedFrame) -> None:
        if self.active:
            grey = frame.luma()
            for track in self.active:
                track.crops.append((frame.time_s, crop(grey, track.region.bbox)))

    def advance(self, at: float) -> TimedFrame | None:
        """Go to the sample at `at`; keep the followed labels' boxes of the frames passed."""
        reader = self.reader
        if self.previous is None or not reader.near(at):
            for track in self.active:
                track.crops.clear()  # frames skipped by a seek: ends need a second decode
            return reader.frame_at(at)
        last = None
        for frame in reader.frames(self.previous + EPSILON, at):
            self.keep_patches(frame)
            last = frame
        return last if last is not None else reader.frame_at(at)

    def sample(self, frame: TimedFrame) -> None:
        """Read the whole picture; follow, start and end labels."""
        found = self.labels(frame)
        for track in list(self.active):
            match = next((r for r in found if track.matches(r)), None)
            if match is not None:
                found.remove(match)
                track.seen(match, frame.time_s)
            elif track.shows_in(crop(frame.luma(), track.region.bbox), self.read):
                track.last_seen = frame.time_s  # the detector missed it; its box still reads
            else:
                self.close(track, frame.time_s)
        for region in found:
            track = Track(region, frame.time_s, frame.time_s)
            if self.previous is not None:
                self.find_start(track, frame)
            self.active.append(track)
        for track in self.active:
            track.crops = [(frame.time_s, crop(frame.luma(), track.region.bbox))]
        self.previous = frame.time_s

    def patches(self, track: Track, start: float, until: float) -> list:
        grey_frames = self.reader.frames(start, until)
        return [(f.time_s, crop(f.luma(), track.region.bbox)) for f in grey_frames]

    def find_start(self, track: Track, frame: TimedFrame) -> None:
        """The first frame showing a label found at this sample, since the previous one."""
        patches = self.patches(track, self.previous, frame.time_s)
        index = first_shown(Probe(track, patches, self.read)) if patches else None
        if index is not None:
            track.first_seen = patches[index][0]
        # The reader is back where the scan was: just past this sample's frame.

    def close(self, track: Track, now: float) -> None:
        """The label did not read at this sample: find the first frame without it (two in a
        row), or keep following it when it was only a misread."""
        patches = [p for p in track.crops if p[0] >= track.last_seen - EPSILON]
        if not patches or patches[-1][0] < now - EPSILON:  # frames were skipped by a seek
            patches = self.patches(track, track.last_seen, now)
        after = self.reader.frames(now + EPSILON, math.inf)
        extra = next(iter(after), None)  # one frame more, to see two in a row without it
        if extra is not None:
            patches.append((extra.time_s, crop(extra.luma(), track.region.bbox)))
            self.reader.push_back(extra)
        index = first_gone(Probe(track, patches, self.read), stream_ends=extra is None)
        if index is None:
            track.last_seen = now
            return
        track.last_seen = patches[index - 1][0]
        track.end = patches[index][0]
        self.active.remove(track)
        self.done.append(track)

    def finish(self, open_end: bool) -> list[TextRegion]:
        step = self.reader.frame_step or 0.04
        for track in self.active:
            track.end = track.last_seen + step
            track.open_end = open_end
        regions = []
        for track in sorted(self.done + self.active, key=lambda t: t.first_seen):
            region = track.region
            region.time_s = [round(track.first_seen, 3), round(track.end, 3)]
            if track.open_end:
                region.open_end = True
            regions.append(region)
        return regions


def find_video_labels(
    path: Path, threads: int = 0, media: MediaInfo | None = None, budget_s: float = BUDGET_S
) -> tuple[list[TextRegion], tuple[int, int]]:
    """Every label with the span it was shown (`time_s`, [first frame, first frame without
    it)), and the upright frame size. `media`, when given, gains the frame duration (and the
    duration, when the container's metadata reader gave none)."""
    with VideoReader(path, budget_s) as reader:
        scan = _Scan(reader, threads)
        open_end = False
        try:
            for at in sample_times(reader.duration_s):
                frame = scan.advance(at)
                if frame is None:
                    break
                scan.sample(frame)
            last = None
            if scan.previous is not None:  # on to the last frame, keeping the labels' boxes
                for frame in reader.frames(scan.previous + EPSILON, math.inf):
                    scan.keep_patches(frame)
                    last = frame
            if last is not None:
                scan.sample(last)
        except BudgetSpent:
            open_end = True
        if media is not None:
            media.frame_s = round(reader.frame_step, 6) if reader.frame_step else None
            if media.duration_s is None and reader.duration_s:
                media.duration_s = round(reader.duration_s, 3)
        return scan.finish(open_end), scan.size
