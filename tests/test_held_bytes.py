"""c2pa validates the bytes the metadata step read and hashed (markcheck.evidence.held)."""

from __future__ import annotations

import hashlib

import c2pa_fixtures as cf
import media_builders as mb
from markcheck.discover import discover
from markcheck.evidence.collect import collect_metadata
from markcheck.evidence.gate import gather
from markcheck.evidence.held import held_bytes
from markcheck.scan_options import ScanOptions


def _c2pa(path, collect=collect_metadata):
    (candidate,) = discover([path])[0]
    return gather(candidate, {"metadata", "c2pa"}, ScanOptions(), collect=collect)


def test_a_file_changed_after_it_was_hashed_is_validated_as_hashed(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    creds = cf.make_credentials()
    signed = cf.sign(mb.jpeg(work / "src.jpg"), tmp_path / "signed.jpg", creds, cf.manifest())
    original = signed.read_bytes()
    tampered = cf.tampered_copy(signed, work / "tampered.jpg")
    intact_codes = _c2pa(signed).implicit.c2pa.codes
    tampered_codes = _c2pa(tampered).implicit.c2pa.codes
    assert intact_codes != tampered_codes  # the broken hard binding shows in the codes

    def collect_then_change(candidate, options):
        evidence = collect_metadata(candidate, options)
        signed.write_bytes(tampered.read_bytes())  # the file changes once it was read
        return evidence

    evidence = _c2pa(signed, collect_then_change)
    assert signed.read_bytes() != original
    assert evidence.sha256 == hashlib.sha256(original).hexdigest()
    # c2pa judged the bytes behind that hash, not the file as it is now.
    assert evidence.implicit.c2pa.codes == intact_codes
    assert held_bytes(signed) is None  # released once the file's evidence is complete

    # Read from the file itself (a file over the whole-read size, or the evidence cache's
    # path), c2pa sees the change: the held bytes were what made the difference above.
    def collect_change_release(candidate, options):
        evidence = collect_then_change(candidate, options)
        from markcheck.evidence.held import release

        release()
        return evidence

    signed.write_bytes(original)
    assert _c2pa(signed, collect_change_release).implicit.c2pa.codes == tampered_codes


def test_bytes_held_before_a_file_is_gathered_are_not_its_bytes(tmp_path):
    """Bytes held by an earlier metadata read (the label writer reads a file before changing
    it) are dropped when the next file's evidence is gathered: a collect step that does not
    read the file (the evidence cache's hit) leaves c2pa to read the file as it is now."""
    from dataclasses import replace

    work = tmp_path / "work"
    work.mkdir()
    creds = cf.make_credentials()
    signed = cf.sign(mb.jpeg(work / "src.jpg"), tmp_path / "signed.jpg", creds, cf.manifest())
    tampered = cf.tampered_copy(signed, work / "tampered.jpg")
    tampered_codes = _c2pa(tampered).implicit.c2pa.codes
    (candidate,) = discover([signed])[0]
    before = collect_metadata(candidate, ScanOptions())  # holds the signed file's bytes
    assert held_bytes(signed) == signed.read_bytes()
    signed.write_bytes(tampered.read_bytes())
    evidence = gather(
        candidate, {"metadata", "c2pa"}, ScanOptions(), collect=lambda c, o: replace(before)
    )
    assert evidence.implicit.c2pa.codes == tampered_codes
