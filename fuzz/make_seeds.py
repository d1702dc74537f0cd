"""Write the seed files of the mkv, avi and flv fuzz harnesses into fuzz/seeds/.

    python fuzz/make_seeds.py

Small real files made by PyAV (ffmpeg's muxers) carrying an AIGC label where each container
carries it; the AVI INFO chunk is added by hand (ffmpeg writes only the INFO keys it knows).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import video_container_builders as vb  # noqa: E402

LABEL = '{"Label":"1","ContentProducer":"001191110102MACQD9K64010000","ProduceID":"seed"}'


def main() -> None:
    out = HERE / "seeds"
    out.mkdir(exist_ok=True)
    for fmt in ("mkv", "webm", "flv", "avi"):
        meta = {"AIGC": LABEL, "comment": "seed"} if fmt != "avi" else {"comment": "seed"}
        path = vb.video(out / f"label.{fmt}", fmt, meta, frames=2)
        if fmt == "avi":
            vb.add_avi_info(path, {b"AIGC": LABEL})
    # webm is Matroska: the mkv harness reads it too.
    (out / "label.webm").rename(out / "webm-label.mkv")


if __name__ == "__main__":
    main()
