"""Shared test helpers: small real media files written with Pillow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from s3_fixtures import s3  # noqa: F401 - a moto S3 endpoint on 127.0.0.1, one per run

GOOD_LABEL = {
    "Label": "1",
    "ContentProducer": "001191110102MACQD9K64010000",
    "ProduceID": "img-2025-0001",
    "ReservedCode1": "",
    "ContentPropagator": "",
    "PropagateID": "",
    "ReservedCode2": "",
}


def label_json(**changes) -> str:
    label = dict(GOOD_LABEL)
    for key, value in changes.items():
        if value is None:
            label.pop(key, None)
        else:
            label[key] = value
    return json.dumps(label, ensure_ascii=False, separators=(",", ":"))


def write_png(path: Path, text: dict[str, str] | None = None, size=(64, 48)) -> Path:
    """A real PNG (Pillow's encoder) with the given tEXt/iTXt chunks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_itxt(key, value) if not value.isascii() else info.add_text(key, value)
    Image.new("RGB", size, (90, 120, 150)).save(path, format="PNG", pnginfo=info)
    return path


@pytest.fixture
def make_png(tmp_path):
    def make(name: str, text: dict[str, str] | None = None, **kwargs) -> Path:
        return write_png(tmp_path / name, text, **kwargs)

    return make


def run_cli(
    *args: str, cwd=None, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run `markcheck` from this checkout (whatever else is installed) in a child process."""
    import markcheck

    source = str(Path(markcheck.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": source}
    return subprocess.run([sys.executable, "-m", "markcheck.cli", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd, env=env, input=stdin)  # fmt: skip


@pytest.fixture
def cli():
    """`run_cli`, as a fixture."""
    return run_cli


CHROMIUM = "/usr/bin/chromium"  # Debian's; scripts/test.sh installs it
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Headless Debian Chromium driven by Playwright (its own browser download is never used)."""
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield context
        context.close()


@pytest.fixture
def open_page(browser):
    """Open a report; returns the page and a list that collects console errors, page errors and
    any request that would leave the machine."""

    def open_(path: Path):
        page = browser.new_page()
        problems: list[str] = []
        page.on(
            "console",
            lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on(
            "request",
            lambda r: None if r.url.startswith(("file:", "data:")) else problems.append(r.url),
        )
        page.goto(path.as_uri())
        return page, problems

    return open_
