"""Video: the start-frame label and its duration, measured on real H.264 clips."""

from __future__ import annotations

import pytest

from markcheck import scan
from video_builders import clip


def judge(path):
    result = scan([path], select=["cn.explicit"], assume_ai=True)
    (item,) = result.files
    return item, {f.rule: f.outcome for f in item.findings}


@pytest.mark.parametrize(("fps", "size"), [(25, (640, 360)), (30, (960, 540))])
def test_label_for_two_and_a_half_seconds_passes(tmp_path, fps, size):
    item, got = judge(clip(tmp_path / "ok.mp4", [(0, 2.5)], fps=fps, size=size))
    assert got["cn.explicit.video.start"] == "pass"
    assert got["cn.explicit.video.duration"] == "pass"
    label = item.explicit[0]
    assert label.time_s[0] == pytest.approx(0.0, abs=0.15)
    assert label.time_s[1] == pytest.approx(2.5, abs=0.15)
    assert item.media.width == size[0] and item.media.duration_s == pytest.approx(4.0, abs=0.1)


def test_one_second_label_fails_duration(tmp_path):
    item, got = judge(clip(tmp_path / "short.mp4", [(0, 1.0)]))
    assert got["cn.explicit.video.start"] == "pass"
    assert got["cn.explicit.video.duration"] == "fail"
    assert item.explicit[0].time_s[1] == pytest.approx(1.0, abs=0.15)


def test_label_from_two_seconds_fails_start(tmp_path):
    item, got = judge(clip(tmp_path / "late.mp4", [(2.0, 4.0)]))
    assert got["cn.explicit.video.start"] == "fail"
    assert got["cn.explicit.video.duration"] == "fail"
    assert item.explicit[0].time_s[0] == pytest.approx(2.0, abs=0.5)  # found by the search


def test_label_throughout_and_too_small(tmp_path):
    _, got = judge(clip(tmp_path / "all.mp4", [(0, 4.0)]))
    assert got["cn.explicit.video.duration"] == "pass"
    _, got = judge(clip(tmp_path / "small.mp4", [(0, 4.0)], ratio=0.035, size=(1280, 720)))
    assert got["cn.explicit.size"] == "fail"
    assert got["cn.explicit.video.start"] == "pass"


def test_no_label_fails_present_and_start(tmp_path):
    _, got = judge(clip(tmp_path / "none.mp4", []))
    assert got["cn.explicit.present"] == "fail"
    assert got["cn.explicit.video.start"] == "fail"


def test_portrait_phone_video_is_judged_upright(tmp_path):
    path = clip(
        tmp_path / "phone.mp4", [(0, 2.5)], size=(360, 640), rotation=90, position="bottom-left"
    )
    item, got = judge(path)
    assert (item.media.width, item.media.height) == (360, 640)  # after the display matrix
    assert got["cn.explicit.video.duration"] == "pass"
    label = item.explicit[0]
    assert label.position == "bottom-left"
    assert label.height_ratio == pytest.approx(0.07, rel=0.2)  # of the shorter side, 360


def test_label_from_three_seconds_fails_start(tmp_path):
    _, got = judge(clip(tmp_path / "three.mp4", [(3.0, 4.0)]))
    assert got["cn.explicit.video.start"] == "fail"


def test_centred_label_is_still_a_start_label(tmp_path):
    item, got = judge(clip(tmp_path / "centre.mp4", [(0, 2.5)], position="center"))
    assert got["cn.explicit.video.start"] == "pass"
    assert item.explicit[0].position == "center"


def test_audio_only_and_missing_moov_are_reported(tmp_path):
    import av
    import numpy as np

    audio = tmp_path / "audio.mp4"
    with av.open(str(audio), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=44100)
        for i in range(20):
            frame = av.AudioFrame.from_ndarray(
                np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
            )
            frame.sample_rate, frame.pts = 44100, i * 1024
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    item, got = judge(audio)
    assert got["cn.explicit.video.start"] == "unknown"
    assert any("no video stream" in note for note in item.notes)
    bare = clip(tmp_path / "nomoov.mp4", [(0, 4.0)])
    data = bare.read_bytes()
    at = data.find(b"moov") - 4
    bare.write_bytes(data[:at])  # the index is gone
    item, got = judge(bare)
    assert got["cn.explicit.video.start"] == "unknown"
    assert item.status == "needs_review"
    assert any("cannot open the video" in note for note in item.notes)


def test_end_label_is_found_on_sparse_key_frames(tmp_path):
    path = clip(tmp_path / "end.mp4", [(0, 2.5), (6.0, 8.0)], seconds=8.0, keyframe_every=25)
    item, got = judge(path)
    assert got["cn.explicit.video.duration"] == "pass"
    later = [r for r in item.explicit if r.time_s[0] >= 3.0]
    assert later and all(6.0 <= r.time_s[0] < 8.0 for r in later)


def test_truncated_video_is_reported_not_fatal(tmp_path):
    path = clip(tmp_path / "cut.mp4", [(0, 4.0)])
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    item, _ = judge(path)
    assert item.status in ("error", "needs_review")
    assert item.error or any("not run" in n or "not examined" in n for n in item.notes)


@pytest.mark.parametrize(
    ("text", "ratio", "position", "font", "margin", "height_error"),
    [
        ("AI生成", 0.0625, "bottom-right", "sans", 0.02, 0.08),
        # Thin serif: its box read with the margin left for motion takes in enough grass to
        # read 豆包I生成; read with a tight margin it is the label, and it is followed. Its
        # thin strokes over grass in an H.264 frame are measured less closely (the issue's
        # 95th percentile, 10 %, allows for such labels), within the range the report gives.
        ("豆包AI生成", 0.055, "top-left", "serif", 0.03, 0.12),
    ],
)
def test_translucent_label_over_grass_is_found_from_the_first_frame(
    tmp_path, text, ratio, position, font, margin, height_error
):
    # White text at 63 % opacity over grass, shown for the first 3 s of 4: found only where
    # the busy edge bands are looked at smoothed, which the first sample does (a label must
    # be there from the start); the later samples follow it by reading its box.
    import av
    import numpy as np

    from label_builders import photo, render_label

    scene = photo("grass", (512, 512))
    labelled, truth = render_label(scene, text, ratio, position, "translucent-text", font, margin)
    path = tmp_path / "grass.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 512, 512, "yuv420p"
        for index in range(100):
            pixels = np.asarray(labelled if index < 75 else scene)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    item, got = judge(path)
    assert got["cn.explicit.video.start"] == "pass", item.findings
    assert got["cn.explicit.video.duration"] == "pass", item.findings
    (label,) = [r for r in item.explicit if r.is_label]
    assert label.time_s[1] == pytest.approx(3.0, abs=0.15)
    assert abs(label.height_ratio / truth.height_ratio - 1) <= height_error
    low, high = label.height_range
    assert low <= truth.height_ratio <= high


@pytest.mark.parametrize(("spans", "duration"), [([(0.0, 2.6)], "pass"), ([(0.0, 1.2)], "fail")])
def test_a_label_written_down_a_side_is_followed_for_as_long_as_it_is_shown(
    tmp_path, spans, duration
):
    # 竖排 AI生成 down the right edge, 9 % high, over a moving photograph: its span comes from
    # re-reading its box between samples, as a column, like any label's.
    path = clip(tmp_path / "column.mp4", spans, size=(1280, 720), position="column-right",
                ratio=0.09, seconds=4.0)  # fmt: skip
    item, got = judge(path)
    (label,) = [r for r in item.explicit if r.is_label]
    assert label.text == "AI生成"
    start, end = label.time_s
    assert start <= 0.1 and abs(end - spans[0][1]) <= 0.25, label.time_s
    assert got["cn.explicit.video.start"] == "pass"
    assert got["cn.explicit.video.duration"] == duration
