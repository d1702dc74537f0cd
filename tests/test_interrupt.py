"""Ctrl-C stops a scan cleanly and still writes the report, marked partial; vanished files."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from label_builders import photo, render_label
from markcheck import scan


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_writes_a_partial_report(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    base = photo("coffee", (1280, 720))
    for i in range(100):
        image, _ = render_label(base, ratio=0.05 + 0.001 * i)
        image.save(folder / f"{i:03d}.jpg", quality=85)
    report = tmp_path / "report.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "markcheck.cli",
            "scan",
            str(folder),
            "--assume-ai",
            "-j",
            "2",
            "-f",
            "json",
            "-o",
            str(report),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as at a terminal: a test run started in the background (`cmd &` without job
        # control) ignores SIGINT, and so would the scan it starts.
        preexec_fn=_default_sigint,
    )
    # Interrupt once the streamed report shows judged files: past start-up and model loading,
    # well before 100 pictures are done, however fast the machine is.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if report.exists() and '"sha256"' in report.read_text(errors="replace"):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "partial" in err
    data = json.loads(report.read_text())
    assert data["partial"] is True
    assert len(data["files"]) < 100  # how many were done by then depends on the machine
    assert [f["path"] for f in data["files"]] == sorted(f["path"] for f in data["files"])


def test_file_that_vanishes_during_the_scan_is_an_error(tmp_path):
    from markcheck.discover import discover
    from markcheck.examine import examine
    from markcheck.rules.packs import load_pack
    from markcheck.scan_options import ScanOptions

    path = tmp_path / "gone.png"
    base = photo("coffee", (64, 48))
    base.save(path)
    (candidate,), _ = discover([tmp_path])
    path.unlink()
    result = examine(candidate, [load_pack("cn-gb45438")], ScanOptions())
    assert result.status == "error" and result.error.type == "io"
    assert "FileNotFoundError" in result.error.message
    assert scan([tmp_path]).files == []
