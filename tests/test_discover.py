import os

from markcheck.discover import discover, sniff


def test_sniff_by_magic_bytes():
    assert sniff(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff(b"\x89PNG\r\n\x1a\n") == "png"
    assert sniff(b"RIFF\0\0\0\0WEBPVP8 ") == "webp"
    assert sniff(b"GIF89a") == "gif"
    assert sniff(b"II*\x00") == "tiff"
    assert sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic") == "heif"
    assert sniff(b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf") == "avif"
    assert sniff(b"\0\0\0\x14ftypqt  \0\0\0\0qt  ") == "mov"
    assert sniff(b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41") == "mp4"
    assert sniff(b"%PDF-1.7") is None


def test_walks_sorted_skips_non_media_and_never_follows_links(tmp_path, make_png):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    make_png("b/z.png")
    make_png("a/y.png")
    make_png("top.png")
    (tmp_path / "notes.txt").write_text("hello")
    os.symlink(tmp_path, tmp_path / "a" / "loop")  # a symlink loop back to the root
    os.symlink("/etc", tmp_path / "escape")  # a link out of the tree
    found, skipped = discover([tmp_path])
    assert [c.rel for c in found] == ["a/y.png", "b/z.png", "top.png"]
    reasons = {s.path: s.reason for s in skipped}
    assert reasons["notes.txt"] == "not a media format markcheck reads"
    assert "not followed" in reasons["a/loop"] and "not followed" in reasons["escape"]


def test_several_inputs_and_duplicates(tmp_path, make_png):
    one = make_png("one.png")
    found, _ = discover([one, tmp_path, one])
    assert [c.path.name for c in found] == ["one.png"]


def test_extension_that_lies_is_read_by_bytes(tmp_path, make_png):
    make_png("photo.jpg")
    found, _ = discover([tmp_path])
    assert found[0].format == "png"


def test_empty_media_file_is_a_candidate_with_a_problem(tmp_path):
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "empty.dat").write_bytes(b"")
    found, skipped = discover([tmp_path])
    assert [c.rel for c in found] == ["empty.jpg"]
    assert found[0].format is None and "no media format" in found[0].problem
    assert [s.path for s in skipped] == ["empty.dat"]
