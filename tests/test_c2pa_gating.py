"""c2pa is opened only for files whose container holds a manifest store.

A metadata scan's C2PA rule needs the manifest; validating costs ~2 ms a file, so files
whose container readers saw no store (JPEG APP11, PNG caBX, RIFF C2PA, ISO-BMFF uuid) must
not reach c2pa. The spy below only counts the library's entry point; every call goes
through to the real c2pa, whose results the report shows.
"""

from __future__ import annotations

import c2pa
import pytest

import c2pa_fixtures as cf
import media_builders as mb
from conftest import label_json
from markcheck import scan

LABEL = label_json()


@pytest.fixture
def reader_calls(monkeypatch):
    """The MIME types c2pa.Reader.try_create is called with, in order."""
    calls: list[str] = []
    real = c2pa.Reader.try_create

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(c2pa.Reader, "try_create", counting)
    return calls


def test_c2pa_is_opened_only_for_files_with_a_manifest_store(tmp_path, reader_calls):
    folder = tmp_path / "scan"
    folder.mkdir()
    xmp = mb.xmp_packet(LABEL)
    mb.jpeg(folder / "plain.jpg", xmp)
    mb.png(folder / "plain.png")
    mb.webp(folder / "plain.webp", xmp)
    mb.mp4(folder / "plain.mp4", {"AIGC": LABEL})
    unsigned = mb.jpeg(tmp_path / "unsigned.jpg", xmp)
    cf.sign(unsigned, folder / "signed.jpg", cf.make_credentials(), cf.manifest())
    unsigned_png = mb.png(tmp_path / "unsigned.png")
    cf.sign(unsigned_png, folder / "signed.png", cf.make_credentials(), cf.manifest())

    result = scan([folder], select=["cn.implicit"], jobs=0)

    assert sorted(reader_calls) == ["image/jpeg", "image/png"]  # the two signed files only
    by_name = {f.path: f for f in result.files}
    assert len(by_name) == 6
    for name in ("signed.jpg", "signed.png"):
        info = by_name[name].implicit.c2pa
        assert info is not None and info.digital_source_type == cf.GENAI
    for name in ("plain.jpg", "plain.png", "plain.webp", "plain.mp4"):
        assert by_name[name].implicit.c2pa is None
        assert not any("c2pa" in note.lower() for note in by_name[name].notes)


def test_no_c2pa_rule_no_c2pa(tmp_path, reader_calls):
    """Without a rule that needs C2PA, even a signed file is not validated."""
    unsigned = mb.jpeg(tmp_path / "unsigned.jpg", mb.xmp_packet(LABEL))
    signed = cf.sign(unsigned, tmp_path / "signed.jpg", cf.make_credentials(), cf.manifest())
    result = scan([signed], select=["cn.implicit.label_value"], jobs=0)
    assert reader_calls == []
    assert result.files[0].implicit.c2pa is None
