"""A metadata-only scan loads no pixel library, and c2pa only for a file with a manifest store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import c2pa_fixtures as cf
import media_builders as mb
from conftest import label_json

# vocabulary.wording: its patterns serve visible-text checks only (markcheck.rules.wording).
# typer: the usual scan line is parsed without it (markcheck.cli_fast).
HEAVY = (
    "numpy", "cv2", "onnxruntime", "rapidocr", "av", "PIL", "ray", "fsspec", "c2pa",
    "markcheck.vocabulary.wording", "typer",
)  # fmt: skip
# Runs the real CLI in a fresh process, then lists which of HEAVY it had imported.
PROBE = """
import json, sys
from markcheck.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def _scan_loads(folder: Path, report: Path) -> list[str]:
    import markcheck

    source = str(Path(markcheck.__file__).resolve().parents[1])
    args = ["scan", str(folder), "--select", "cn.implicit", "-f", "json", "-o", str(report)]
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": source},
    )
    return json.loads(proc.stderr.strip().splitlines()[-1])


def test_no_manifest_store_no_c2pa_and_no_pixel_library(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    mb.jpeg(folder / "label.jpg", mb.xmp_packet(label_json()))
    mb.png(folder / "label.png", {"AIGC": label_json()})
    mb.jpeg(folder / "plain.jpg")
    report = tmp_path / "r.json"
    assert _scan_loads(folder, report) == []
    files = json.loads(report.read_text())["files"]
    assert len(files) == 3
    # The consistency rule judged the labelled files without C2PA: none was there to read.
    for item in files:
        assert item["implicit"]["c2pa"] is None
        assert not any("c2pa" in note.lower() for note in item["notes"])


def test_a_manifest_store_loads_c2pa_and_still_no_pixel_library(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    creds = cf.make_credentials()
    cf.sign(mb.jpeg(work / "src.jpg"), folder / "signed.jpg", creds, cf.manifest())
    mb.jpeg(folder / "plain.jpg")
    report = tmp_path / "r.json"
    assert _scan_loads(folder, report) == ["c2pa"]
    files = {f["path"]: f for f in json.loads(report.read_text())["files"]}
    assert files["signed.jpg"]["implicit"]["c2pa"] is not None
    assert files["plain.jpg"]["implicit"]["c2pa"] is None
