"""Visible labels in video: every label, when it starts and ends.

Every text taken as a label is followed: disclosures (AI生成, AI-generated) and AI marks
whose wording fails (即梦AI), each reported with its span.

Sampling (see docs/video.md): the whole picture is read (text detection and recognition) at
0 s and every SAMPLE_EVERY_S seconds, wider for long files so that at most MAX_SAMPLES are
read (a 10-minute video: every 10 s), and on the last frame. Samples are reached by
presentation time, decoding forward or seeking, whichever decodes less (`VideoReader`);
after the first WINDOW_S seconds, a key frame up to half an interval before the sample time
is taken instead when that spares decoding.

Between two samples, each label is followed by re-reading only its box (recognition, a few
milliseconds) in the frames passed, kept in a small buffer of grey pictures: every frame in
the first WINDOW_S seconds (starts and ends there are found to the frame), one every
KEEP_EVERY_S seconds after. Where a label appears or disappears, bisection finds the frame
(`video_tracks`); when a seek skipped the frames, that stretch is decoded again.

One time budget bounds the whole file; when it runs out, labels still shown are reported
with `open_end` (their end is later than the time given), never with an invented end.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np

from markcheck.detectors.text import detect_in_pixels, read_line
from markcheck.detectors.video_tracks import (
    Patch,
    Probe,
    Track,
    crop,
    first_gone,
    first_shown,
)
from markcheck.media.video import EPSILON, BudgetSpent, TimedFrame, VideoReader, after
from markcheck.model import MediaInfo, TextRegion
from markcheck.vocabulary.wording import classify_label_text  # "is this text an AI label?"

WINDOW_S = 3.0  # the start of the video, where the rules look: every frame kept
SAMPLE_EVERY_S = 2.0  # the whole picture is read this often
MAX_SAMPLES = 60  # ... at most this many times (then the interval widens)
KEEP_EVERY_S = 0.1  # after the window, frames kept for bisection (span ends within ±0.1 s)
CHECK_EVERY_S = 0.5  # between samples, each label's box is re-read this often (gaps)
KEPT_SHORT_SIDE = 540  # kept grey pictures are reduced to at least this short side
BUDGET_S = 45.0  # wall time for one video (decoding and reading); a file has 60 s in all


def sample_times(duration: float | None) -> list[float]:
    """The times the whole picture is read at (the last frame is read as well)."""
    if duration is None:
        every, count = SAMPLE_EVERY_S, 10_000  # until the stream ends or the budget does
    else:
        every = max(SAMPLE_EVERY_S, duration / MAX_SAMPLES)
        count = math.ceil(duration / every - EPSILON)
    return [round(i * every, 6) for i in range(max(1, count))]


class _Kept:
    """The frames passed since the last sample, as reduced grey pictures."""

    def __init__(self) -> None:
        self.frames: list[tuple[float, np.ndarray]] = []
        self.factor = 1  # kept pictures are this many times smaller than the frames
        self.complete = False  # no frame was skipped by a seek since the first kept one

    def reset(self, frame: TimedFrame) -> None:
        self.frames, self.complete = [], True
        self.add(frame, force=True)

    def add(self, frame: TimedFrame, force: bool = False) -> None:
        sparse = not force and frame.time_s > WINDOW_S and self.frames
        if sparse and frame.time_s - self.frames[-1][0] < KEEP_EVERY_S - EPSILON:
            return
        grey = frame.luma()
        self.factor = max(1, min(grey.shape[:2]) // KEPT_SHORT_SIDE)
        step = self.factor
        self.frames.append((frame.time_s, np.array(grey[::step, ::step])))

    def patches(self, track: Track, since: float) -> list[tuple[float, Patch]]:
        scaled = [round(v / self.factor) for v in track.region.bbox]
        return [(t, crop(grey, scaled)) for t, grey in self.frames if t >= since - EPSILON]


class _Scan:
    """The state of one video's scan: the labels followed, and those that ended."""

    def __init__(self, reader: VideoReader, threads: int) -> None:
        self.reader, self.threads = reader, threads
        self.active: list[Track] = []
        self.done: list[Track] = []
        self.previous: float | None = None  # time of the previous sample frame
        self.kept = _Kept()
        self.size = (0, 0)

    def read(self, patch: np.ndarray) -> tuple[str, float]:
        return read_line(patch, self.threads)

    def labels(self, frame: TimedFrame) -> list[TextRegion]:
        pixels = frame.picture()
        height, width = pixels.shape[:2]
        self.size = (width, height)
        # Busy edge bands are looked at a third time on the first sample only: a label must be
        # shown from the first frame (cn.explicit.video.start), and one found is followed
        # through the later frames by reading its box; on every sample of a video of foliage
        # without a label the third look cost ~70 % more.
        first = self.previous is None
        found = detect_in_pixels(
            pixels, 1.0, width, height, threads=self.threads, under_texture=first
        )
        # Every label, an AI mark whose wording fails (即梦AI) too: the rules say "label
        # present, wording fails" from its span, as for images.
        return [r for r in found if classify_label_text(r.text).is_label]

    def advance(self, at: float, slack: float) -> TimedFrame | None:
        """Go to the sample at `at` (or a key frame up to `slack` before it, when that spares
        decoding), keeping the frames passed."""
        reader = self.reader
        if self.previous is None:
            return reader.frame_at(at)
        if not reader.near(at):
            self.kept.complete = False
            return reader.frame_near(at, self.previous, slack)
        last = None
        for frame in reader.frames(after(self.previous), at):
            self.kept.add(frame)
            last = frame
        return last if last is not None else reader.frame_at(at)

    def refill(self, since: float, until: float) -> None:
        """Decode [since, until] again into the buffer (a seek skipped those frames)."""
        self.kept.frames, self.kept.complete = [], True
        for frame in self.reader.frames(since, until):
            self.kept.add(frame)
        # The reader is now just past `until`, where the scan was.

    def sample(self, frame: TimedFrame) -> None:
        """Read the whole picture; follow, start and end labels."""
        if self.kept.frames and self.kept.frames[-1][0] < frame.time_s - EPSILON:
            self.kept.add(frame, force=True)
        for track in list(self.active):
            self.check_between(track, frame)
        found = self.labels(frame)
        full_grey = frame.luma()
        for track in list(self.active):
            match = next((r for r in found if track.matches(r)), None)
            if match is not None:
                found.remove(match)
                track.seen(match, frame.time_s)
            elif track.shows_in(crop(full_grey, track.region.bbox), self.read):
                track.last_seen = frame.time_s  # the detector missed it; its box still reads
            else:
                self.close(track, frame)
        for region in found:
            track = Track(region, frame.time_s, frame.time_s)
            if self.previous is not None:
                # Not shown before the end of the same label at the same place, if it ended.
                ended = [t.end for t in self.done if t.end is not None and t.matches(region)]
                self.find_start(track, frame, max([self.previous, *ended]))
            self.active.append(track)
        self.kept.reset(frame)
        self.previous = frame.time_s

    def _ensure_kept(self, since: float, frame: TimedFrame) -> None:
        if not self.kept.complete or not self.kept.frames or self.kept.frames[0][0] > since:
            self.refill(since, frame.time_s)

    def check_between(self, track: Track, frame: TimedFrame) -> None:
        """Re-read the label's box every CHECK_EVERY_S in the frames kept since it was last
        seen; where it does not read, see whether it left (two frames in a row without it)."""
        if not self.kept.complete:
            return  # a seek skipped these frames; the sample's reading decides
        patches = self.kept.patches(track, track.last_seen)
        probe = Probe(track, patches, self.read)
        due = track.last_seen + CHECK_EVERY_S
        for index, (at, _) in enumerate(patches):
            if at < due - EPSILON or at >= frame.time_s - EPSILON:
                continue
            due = at + CHECK_EVERY_S
            if probe.shows(index):
                track.last_seen = at
                continue
            gone = first_gone(probe.upto(index + 2))
            if gone is not None:
                self.end(track, patches[gone - 1][0], patches[gone][0])
                return

    def end(self, track: Track, last_seen: float, end: float) -> None:
        track.last_seen, track.end = last_seen, end
        self.active.remove(track)
        self.done.append(track)

    def find_start(self, track: Track, frame: TimedFrame, since: float) -> None:
        """The first frame showing a label found at this sample, after `since`."""
        self._ensure_kept(since, frame)
        patches = self.kept.patches(track, since)
        index = first_shown(Probe(track, patches, self.read)) if patches else None
        if index is not None:
            track.first_seen = patches[index][0]

    def close(self, track: Track, frame: TimedFrame) -> None:
        """The label did not read at this sample: find the first frame without it (two in a
        row), or keep following it when it was only a misread."""
        self._ensure_kept(track.last_seen, frame)
        patches = self.kept.patches(track, track.last_seen)
        extra = self.reader.frame_at(after(frame.time_s))  # a second frame without it?
        if extra is not None:
            scaled = [round(v / self.kept.factor) for v in track.region.bbox]
            step = self.kept.factor
            patches.append((extra.time_s, crop(extra.luma()[::step, ::step], scaled)))
            self.reader.push_back(extra)
        index = first_gone(Probe(track, patches, self.read), stream_ends=extra is None)
        if index is None:
            track.last_seen = frame.time_s
            return
        self.end(track, patches[index - 1][0], patches[index][0])

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


def _stride(first: float, started: float, done: int, remaining: int, budget_s: float) -> int:
    """How many sample times to step on so that the rest fits the time budget: when the
    readings so far say the rest would not, later samples are spread out, so the last frame
    (end labels) is still read. 1 while there is time. `first`: when the scan began;
    `started`: when the first sample was done (it loads the OCR models: not counted)."""
    spent = time.monotonic() - started
    per_sample = spent / max(1, done)
    left = budget_s - (time.monotonic() - first) - 3 * per_sample  # last frame, a bisection
    if remaining * per_sample <= left:
        return 1
    return math.ceil(remaining * per_sample / max(left, per_sample))


def find_video_labels(
    path: Path,
    threads: int = 0,
    media: MediaInfo | None = None,
    budget_s: float = BUDGET_S,
    notes: list[str] | None = None,
) -> tuple[list[TextRegion], tuple[int, int]]:
    """Every label with the span it was shown (`time_s`, [first frame, first frame without
    it)), and the upright frame size. `media`, when given, gains the frame duration (and the
    duration, when the container's metadata reader gave none); `notes` gains a sentence when
    the time budget cut the scan short or spread its samples out."""
    started = time.monotonic()
    with VideoReader(path, budget_s) as reader:
        scan = _Scan(reader, threads)
        open_end, widest = False, SAMPLE_EVERY_S
        try:
            times = sample_times(reader.duration_s)
            index, first_done, done = 0, started, 0
            while index < len(times):
                at = times[index]
                # After the window, a key frame up to half an interval early is as good.
                slack = (at - scan.previous) / 2 if scan.previous and at > WINDOW_S else 0.0
                if scan.previous is not None:
                    widest = max(widest, at - scan.previous)
                frame = scan.advance(at, slack)
                if frame is None:
                    break
                scan.sample(frame)
                if index == 0:
                    first_done, done = time.monotonic(), 0
                else:
                    done += 1
                    left = len(times) - index - 1
                    index += _stride(started, first_done, done, left, budget_s) - 1
                index += 1
            last = None
            if scan.previous is not None:  # on to the last frame, keeping the frames passed
                tail = after(scan.previous)
                duration = reader.duration_s
                if duration and duration - tail > SAMPLE_EVERY_S and not reader.near(duration):
                    scan.kept.complete = False  # seek close to the end
                    tail = duration - SAMPLE_EVERY_S / 2
                for frame in reader.frames(tail, math.inf):
                    scan.kept.add(frame)
                    last = frame
            if last is not None:
                scan.sample(last)
        except BudgetSpent:
            open_end = True
        if notes is not None and open_end:
            notes.append(
                f"visible labels were followed up to {scan.previous or 0:.1f} s only: the "
                f"{budget_s:g}-s time budget for a video ran out"
            )
        elif notes is not None and widest > max(SAMPLE_EVERY_S, times[-1] / MAX_SAMPLES) * 1.5:
            notes.append(
                f"to stay within the {budget_s:g}-s time budget, the picture was read only "
                f"every {widest:.0f} s at most: labels shown for less may be missed"
            )
        if media is not None:
            media.frame_s = round(reader.frame_step, 6) if reader.frame_step else None
            if media.duration_s is None and reader.duration_s:
                media.duration_s = round(reader.duration_s, 3)
        return scan.finish(open_end), scan.size
