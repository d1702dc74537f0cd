"""Progress on stderr: files/s over a recent window, time left, plain lines for logs."""

from __future__ import annotations

import io
import re

import pytest

from conftest import run_cli, write_png
from markcheck.progress import PlainProgress, Rate, duration


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_and_time_left_follow_the_recent_pace():
    clock = Clock()
    rate = Rate(clock, window_s=30)
    for done in range(1, 11):  # 10 files at 0.5 s each
        clock.now += 0.5
        rate.update(done)
    assert rate.per_second() == pytest.approx(2.0)
    assert rate.eta_s(10, 40) == pytest.approx(15.0)
    for done in range(11, 111):  # then 100 files at 0.1 s each, 10 s in all
        clock.now += 0.1
        rate.update(done)
    # 15 s so far, all inside the 30 s window: the rate is over all of it.
    assert rate.per_second() == pytest.approx(110 / 15)
    for done in range(111, 411):  # 300 more at 0.1 s: the slow start leaves the window
        clock.now += 0.1
        rate.update(done)
    assert rate.per_second() == pytest.approx(10.0, rel=0.01)
    assert rate.eta_s(410, 1010) == pytest.approx(60.0, rel=0.01)
    assert rate.line(410, 1010) == "410/1,010 files, 10.0 files/s, ETA 1m00s"


def test_plain_lines_are_spaced_and_a_closing_line_says_the_rate():
    clock = Clock()
    out = io.StringIO()
    lines = PlainProgress(out, every_s=10, clock=clock)
    for done in range(1, 101):  # 100 files, 0.25 s each: 25 s
        clock.now += 0.25
        lines(done, 100, f"f{done}")
    lines.stop()
    text = out.getvalue().splitlines()
    assert text[:2] == [
        "markcheck: 40/100 files, 4.0 files/s, ETA 15s",
        "markcheck: 80/100 files, 4.0 files/s, ETA 5s",
    ]
    assert text[2] == "markcheck: 100/100 files in 25s, 4.0 files/s"
    assert len(text) == 3


def test_duration_words():
    assert [duration(s) for s in (0, 9.6, 61, 3600 + 125)] == ["0s", "10s", "1m01s", "1h02m"]


def test_cli_progress_flag_writes_to_a_non_terminal_stderr(tmp_path):
    for i in range(6):
        write_png(tmp_path / f"{i}.png")
    done = run_cli("scan", str(tmp_path), "--progress", "-f", "json")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^markcheck: 6/6 files in \d+s, [\d.,]+ files/s$", done.stderr, re.M)
    quiet = run_cli("scan", str(tmp_path), "-f", "json")
    assert quiet.stderr == ""
