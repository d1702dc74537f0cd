"""A bounded run of every fuzz harness (longer runs: see fuzz/fuzz_parsers.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {
    "jpeg": "*.jpg",
    "png": "*.png",
    "webp": "*.webp",
    "gif": "*.gif",
    "tiff": "*.tif",
    "isobmff": "*.mp4",
    "heif": "*.heic",
    "avif": "*.avif",
    "mkv": "*.mkv",
    "avi": "*.avi",
    "flv": "*.flv",
    "xmp": None,
    "tc260": None,
}
RUNS = 3000


@pytest.mark.parametrize("target", sorted(SEEDS))
def test_harness_runs_without_a_crash(tmp_path, target):
    if os.environ.get("CI", "").lower() in ("true", "1"):
        import atheris  # noqa: F401  - in CI a missing fuzzer is a failure, not a skip
    else:
        pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pattern = SEEDS[target]
    found = [*(ROOT / "samples").rglob(pattern), *(ROOT / "fuzz" / "seeds").rglob(pattern)]
    for seed in sorted(found)[:6] if pattern else []:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    for seed in sorted((ROOT / "fuzz" / "seeds" / target).glob("*")):
        (corpus / seed.name).write_bytes(seed.read_bytes())
    if target == "tc260":
        (corpus / "label").write_text('{"AIGC":{"Label":"1","ContentProducer":"x"}}')
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / "fuzz_parsers.py"),
            target,
            f"-runs={RUNS}",
            "-max_len=65536",
            "-rss_limit_mb=1024",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},  # this checkout's parsers
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"Done {RUNS} runs" in proc.stderr
