"""Visible labels on video: drawn over the first seconds, judged by the scan's own detector
(start and duration rules), audio copied packet for packet, the rest of the clip kept."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from label_builders import photo
from markcheck.labelling import LabelRequest, label
from markcheck.scanner import scan
from markcheck.writers.visible import DEFAULT_RATIO, VisibleSpec
from test_label_writers import PRODUCER, labels_read_by_markcheck

FPS, SECONDS, SIZE = 25, 5.0, (640, 360)


def clip_with_audio(path: Path) -> Path:
    """H.264 video of a panning photograph plus an AAC sine tone, written by PyAV."""
    import av

    wide = np.asarray(photo("rocket", (SIZE[0] + 128, SIZE[1])))
    with av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=Fraction(FPS))
        video.width, video.height, video.pix_fmt = *SIZE, "yuv420p"
        audio = out.add_stream("aac", rate=48000)
        audio.layout = "mono"
        for index in range(round(SECONDS * FPS)):
            shift = index % 128
            pixels = np.ascontiguousarray(wide[:, shift : shift + SIZE[0]])
            for packet in video.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        samples = 48000 * int(SECONDS)
        tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(samples) / 48000)).astype(np.float32)
        for start in range(0, samples, 1024):
            chunk = tone[start : start + 1024].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
            frame.sample_rate, frame.pts = 48000, start
            for packet in audio.encode(frame):
                out.mux(packet)
        for packet in audio.encode():
            out.mux(packet)
    return path


def audio_packets(path: Path) -> list[bytes]:
    import av

    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(audio=0) if p.size]


def frames(path: Path) -> list[tuple[float, np.ndarray]]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [(float(f.pts * stream.time_base), f.to_ndarray(format="rgb24"))
                for f in container.decode(stream)]  # fmt: skip


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    root = tmp_path_factory.mktemp("video-label")
    source = clip_with_audio(root / "clip.mp4")
    request = LabelRequest(producer=PRODUCER, produce_id="v-{stem}", visible=VisibleSpec())
    (outcome,) = label([source], request, out_dir=root / "out").files
    (judged,) = scan([root / "out" / "clip.mp4"], ["cn-gb45438"], jobs=0).files
    return root, outcome, judged


def test_proof_passes_every_explicit_and_video_rule(labelled):
    _, outcome, judged = labelled
    assert outcome.error is None, outcome.error
    assert outcome.proof["status"] == "compliant", outcome.proof
    findings = {f.rule: f.outcome for f in judged.findings}
    for rule in (
        "cn.explicit.present",
        "cn.explicit.wording",
        "cn.explicit.size",
        "cn.explicit.video.start",
        "cn.explicit.video.duration",
        "cn.implicit.present",
    ):
        assert findings[rule] == "pass", (rule, judged.findings)  # fmt: skip


def test_label_seen_for_the_seconds_asked(labelled):
    _, _, judged = labelled
    (region,) = [r for r in judged.explicit if "生成" in r.text]
    start, end = region.time_s
    assert start == 0.0
    assert abs(end - 3.0) <= 1.5 / FPS  # the last labelled frame is at 3.0 s - 1 frame
    assert abs(region.height_ratio - DEFAULT_RATIO) <= 0.15 * DEFAULT_RATIO


def test_audio_copied_and_later_frames_kept(labelled):
    root, _, _ = labelled
    source, written = root / "clip.mp4", root / "out" / "clip.mp4"
    assert audio_packets(written) == audio_packets(source)
    before, after = frames(source), frames(written)
    assert [t for t, _ in before] == [t for t, _ in after]  # same timestamps, same count
    x, y, w, h = 640 - 19 - 60, 360 - 11 - 40, 70, 45  # around the bottom-right label
    for (t, a), (_, b) in zip(before, after, strict=True):
        diff = np.abs(a.astype(int) - b.astype(int))
        corner = diff[y : y + h, x : x + w].mean()
        if t < 2.9:
            assert corner > 20, t  # the label is there
        elif t > 3.1:
            mse = (diff.astype(float) ** 2).mean()
            assert 10 * np.log10(255**2 / max(mse, 1e-9)) > 32, t  # re-encoded at CRF 18


def test_second_run_changes_nothing(labelled, tmp_path):
    root, _, _ = labelled
    request = LabelRequest(producer=PRODUCER, produce_id="v-{stem}", visible=VisibleSpec())
    (outcome,) = label([root / "out" / "clip.mp4"], request, out_dir=tmp_path,
                       select=("cn.implicit",)).files  # fmt: skip
    assert outcome.action == "unchanged" and outcome.visible["action"] == "unchanged"
    assert (tmp_path / "clip.mp4").read_bytes() == (root / "out" / "clip.mp4").read_bytes()
    assert len(labels_read_by_markcheck(tmp_path / "clip.mp4")) == 1


def test_whole_clip(labelled, tmp_path):
    root, _, _ = labelled
    request = LabelRequest(producer=PRODUCER, visible=VisibleSpec(place="top-left"),
                           visible_seconds=0)  # fmt: skip
    (outcome,) = label([root / "clip.mp4"], request, out_dir=tmp_path,
                       select=("cn.explicit.video",)).files  # fmt: skip
    assert outcome.proof["status"] == "compliant", outcome.proof
    (judged,) = scan([tmp_path / "clip.mp4"], ["cn-gb45438"], select=("cn.explicit.video",),
                     jobs=0).files  # fmt: skip
    (region,) = [r for r in judged.explicit if "生成" in r.text]
    assert region.position == "top-left" and region.time_s[0] == 0.0
    # The detector follows a label through its first 3 s only; the pixels show the rest.
    x, y, w, h = 11, 11, 70, 30  # margin 3 % and ink 6 % of the 360-px short side
    before, after = frames(root / "clip.mp4"), frames(tmp_path / "clip.mp4")
    for (t, a), (_, b) in zip(before, after, strict=True):
        corner = np.abs(a.astype(int) - b.astype(int))[y : y + h, x : x + w].mean()
        assert corner > 20, t
    assert before[-1][0] >= SECONDS - 2 / FPS


@pytest.mark.parametrize(
    ("suffix", "encoder", "muxer", "codec"),
    [(".mkv", "libx264", "matroska", "h264"), (".webm", "libvpx-vp9", "webm", "vp9")],
)
def test_matroska_and_webm_get_the_label_for_the_seconds_asked(
    tmp_path, suffix, encoder, muxer, codec
):
    """H.264 in Matroska and VP9 in WebM: re-encoded in the same codec and container, the
    label over the first 3 s, the Tags (a title) kept and the TC260 SimpleTag written."""
    import av

    rate, seconds = 10, 4.0
    wide = np.asarray(photo("rocket", (SIZE[0] + 128, SIZE[1])))
    source = tmp_path / f"clip{suffix}"
    with av.open(str(source), "w", format=muxer) as out:
        out.metadata["title"] = "Keep this title"
        video = out.add_stream(encoder, rate=Fraction(rate))
        video.width, video.height, video.pix_fmt = *SIZE, "yuv420p"
        for index in range(round(seconds * rate)):
            shift = (3 * index) % 128
            pixels = np.ascontiguousarray(wide[:, shift : shift + SIZE[0]])
            for packet in video.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
    request = LabelRequest(producer=PRODUCER, visible=VisibleSpec())
    (outcome,) = label([source], request, out_dir=tmp_path / "out").files
    assert outcome.error is None and outcome.visible["action"] == "added", outcome
    assert outcome.proof["status"] == "compliant", outcome.proof
    written = tmp_path / "out" / source.name
    (judged,) = scan([written], ["cn-gb45438"], jobs=0).files
    (region,) = [r for r in judged.explicit if "生成" in r.text]
    assert region.time_s[0] == 0.0 and abs(region.time_s[1] - 3.0) <= 1.5 / rate
    assert region.position == "bottom-right"
    assert [t for t, _ in frames(written)] == [t for t, _ in frames(source)]
    with av.open(str(written)) as container:
        assert container.metadata.get("title") == "Keep this title"
        assert container.streams.video[0].codec_context.name == codec
    assert len(labels_read_by_markcheck(written)) == 1
