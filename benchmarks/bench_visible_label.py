"""Visible-label check: accuracy beside speed, against full-frame OCR and an earlier markcheck.

One labelled set (tests/label_builders.labelled_set: photographs and busy scenes with other
text on them, eleven label styles — outlined, plain, shadowed, boxed, pills, translucent,
coloured, light on light, bold — three CJK fonts, 512² to 4000x3000, JPEG q70-95) is judged by:
- markcheck as checked out here: `markcheck scan --select cn.explicit --assume-ai --jobs 2`;
- optionally markcheck at another git revision (`--ref REV`), the same command, same images;
- full-frame rapidocr (angle classification on, `limit_side_len` = the longest side, 2 threads).
For each: images/s (model load included), CPU milliseconds per image (scan and workers,
model load included: the figure least disturbed by other work on a shared machine), recall
(a text region over the rendered label; of several, one taken as a label before others, then
the widest), text read exactly, and for markcheck the measured-height error against the
rendered glyph height, and the file's visible-label verdict against the truth (every label
is Chinese wording at an edge, so it complies exactly when it is at least 5 % high): false
pass (no error-severity cn.explicit rule fails or is unknown, yet the label is under 5 %),
false fail (one fails, yet the label complies), unknown (none fails, one is unknown). Usage:

    python benchmarks/bench_visible_label.py [--images 100] [--ratios 0.03,0.08] [--ref 628ebb3]
        [--size 1920x1080]   # every picture that size (default: the mix, 512² to 4000x3000)
        [--per-picture 20]   # also the time of one picture at a time, in one process
        [--unlabelled 100]   # also a folder of pictures without labels (most folders' lot)
        [--faces other]      # labels in fonts and wordings the tests never use (Noto CJK)
        [--faces rare]       # ... or in a rounded, a light serif and a modern kai face
        [--photos DIR]       # labels drawn on these pictures instead of the project's photographs
        [--enlarge 2.5]      # pictures drawn that many times smaller, then enlarged (an upscale)

With `--unlabelled N`, N pictures of the same photographs and sizes carrying no AI label (most
with captions, edges included) are scanned too: their speed (where no label is found, the
edge bands are looked at again, so they cost more than labelled ones) and how many files a
label is invented for (`cn.explicit.present` passes: it should fail) and how many are left
for review (`unknown`: a line read like a label in part, or a picture dense with text).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from label_builders import (  # noqa: E402
    LABEL_TEXTS,
    OTHER_FONTS,
    OTHER_TEXTS,
    Case,
    labelled_set,
    unlabelled_set,
)
from label_eval import over_label  # noqa: E402

PICTURES = (".jpg", ".jpeg", ".png")
# `--faces rare`: a rounded face, a light serif and a modern kai (Debian fonts-motoya-l-maruberi,
# fonts-noto-cjk-extra, fonts-lxgw-wenkai), which nothing in the project is drawn in.
# Motoya Maruberi is a Japanese face without 图, 灵 or 该: wordings holding them are left out.
RARE_FONTS = {
    "sans": Path("/usr/share/fonts/truetype/motoya-l-maruberi/MTLmr3m.ttf"),
    "serif": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Light.ttc"),
    "kai": Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"),
}
RARE_TEXTS = tuple(t for t in LABEL_TEXTS + OTHER_TEXTS if not set(t) & set("图灵该"))


def run_scan(source: Path, folder: Path) -> tuple[float, float, dict]:
    """`markcheck scan` of `folder` from the checkout at `source`: seconds, CPU seconds of the
    scan and its workers (the figure other work on a shared machine disturbs least), and
    the report."""
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    command = [sys.executable, "-m", "markcheck.cli", "scan", str(folder), "--select",
               "cn.explicit", "--assume-ai", "--jobs", "2", "-f", "json"]  # fmt: skip
    before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=source)
    seconds = time.perf_counter() - start
    return seconds, _children_cpu() - before, json.loads(done.stdout)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def judge(cases: list[Case], report: dict, threshold: float = 0.05) -> dict[str, float]:
    by_name = {Path(item["path"]).name: item for item in report["files"]}
    errors, found, exact = [], 0, 0
    verdicts = {"false_pass": 0, "false_fail": 0, "unknown": 0, "right": 0}
    for case in cases:
        item = by_name[case.path.name]
        over = [r for r in item.get("explicit") or [] if over_label(r["bbox"], case)]
        over = [r for r in over if r["is_label"]] or over  # as tests/label_eval.score
        if over:
            region = max(over, key=lambda r: r["bbox"][2])
            found += 1
            exact += region["text"] == case.truth.text
            errors.append(region["height_ratio"] / case.truth.height_ratio - 1)
        outcomes = {
            f["outcome"] for f in item["findings"]
            if f["rule"].startswith("cn.explicit") and f["severity"] == "error"
        }  # fmt: skip
        truly = case.truth.height_ratio >= threshold
        if "fail" in outcomes:
            verdicts["right" if not truly else "false_fail"] += 1
        elif "unknown" in outcomes or "error" in outcomes or not outcomes:  # not judged
            verdicts["unknown"] += 1
        else:
            verdicts["right" if truly else "false_pass"] += 1
    errors_ = np.array(errors or [0.0])
    return {
        "recall": found / len(cases),
        "text_exact": exact / max(1, found),
        "median_abs_error": float(np.median(np.abs(errors_))),
        "p95_abs_error": float(np.percentile(np.abs(errors_), 95)),
        "median_error": float(np.median(errors_)),
        **{k: v / len(cases) for k, v in verdicts.items()},
    }


def run_baseline(cases: list[Case]) -> tuple[float, float]:
    from rapidocr import RapidOCR

    engines: dict[int, RapidOCR] = {}
    found = 0
    start = time.perf_counter()
    for case in cases:
        image = np.asarray(Image.open(case.path).convert("RGB"))[:, :, ::-1]
        side = max(image.shape[:2])
        if side not in engines:
            engines[side] = RapidOCR(
                params={
                    "Global.log_level": "error",
                    "Global.use_cls": True,
                    "Det.limit_type": "max",
                    "Det.limit_side_len": side,
                    "EngineConfig.onnxruntime.intra_op_num_threads": 2,
                }
            )
        output = engines[side](np.ascontiguousarray(image))
        boxes = output.boxes if output.boxes is not None else []
        for quad in boxes:
            xs, ys = quad[:, 0], quad[:, 1]
            if over_label([xs.min(), ys.min(), xs.max() - xs.min(), ys.max() - ys.min()], case):
                found += 1
                break
    return time.perf_counter() - start, found / len(cases)


# One picture at a time in one process, engine loaded and warmed up first: the time a single
# picture costs (wall and CPU milliseconds, median), with `threads` onnxruntime threads.
_PER_PICTURE = """
import statistics, sys, time
from pathlib import Path
from markcheck.detectors.text import detect_text
paths, threads = [Path(p) for p in sys.argv[2:]], int(sys.argv[1])
detect_text(paths[0], threads=threads)
walls, cpus = [], []
for path in paths:
    wall, cpu = time.perf_counter(), time.process_time()
    detect_text(path, threads=threads)
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
print(1000 * statistics.median(walls), 1000 * statistics.median(cpus))
"""


def per_picture(source: Path, paths: list[Path], threads: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of one picture's visible-label detection."""
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    command = [sys.executable, "-c", _PER_PICTURE, str(threads), *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    wall, cpu = (float(v) for v in done.stdout.split())
    return wall, cpu


def checkout(ref: str, folder: Path) -> Path:
    """The source tree at `ref`, exported into `folder` (no worktree left registered)."""
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src", "rules"],
                             check=True, capture_output=True).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--ratios", default="0.03,0.08", help="label heights drawn, low,high")
    parser.add_argument("--seed", type=int, default=29)
    parser.add_argument("--ref", help="also run markcheck at this git revision")
    parser.add_argument("--baseline-images", type=int, default=30)
    parser.add_argument(
        "--per-picture", type=int, default=0, metavar="N",
        help="also time N pictures one at a time in one process (1 and 2 threads)",
    )  # fmt: skip
    parser.add_argument(
        "--unlabelled", type=int, default=0, metavar="N",
        help="also scan N pictures without labels: speed, and labels invented",
    )  # fmt: skip
    parser.add_argument(
        "--size", type=_size, action="append",
        help="only pictures of this WIDTHxHEIGHT (repeatable); default: the set's size mix",
    )  # fmt: skip
    parser.add_argument(
        "--faces", choices=("project", "other", "rare"), default="project",
        help="'other': labels in fonts and wordings the labelled sets are not drawn in (Noto CJK); "
        "'rare': in a rounded, a light serif and a modern kai face (RARE_FONTS)",
    )  # fmt: skip
    parser.add_argument(
        "--photos", type=Path,
        help="draw on the JPEG/PNG pictures in this folder (e.g. Debian's mate-backgrounds "
        "photographs) instead of the project's: a set the checks were never tuned on",
    )  # fmt: skip
    parser.add_argument(
        "--enlarge", type=float, default=1.0,
        help="draw each picture this many times smaller and enlarge it bicubically (a "
        "platform's upscale of a labelled output: soft glyph edges)",
    )  # fmt: skip
    args = parser.parse_args()
    low, high = (float(v) for v in args.ratios.split(","))
    sizes = {"sizes": tuple(args.size)} if args.size else {}
    faces = {}
    if args.faces != "project":
        other = args.faces == "other"
        fonts, texts = (OTHER_FONTS, OTHER_TEXTS) if other else (RARE_FONTS, RARE_TEXTS)
        missing = [str(f) for f in fonts.values() if not f.is_file()]
        if missing:
            parser.error(f"--faces {args.faces} needs these fonts: {', '.join(missing)}")
        faces = {"fonts": fonts, "texts": texts}
    if args.photos:
        pictures = tuple(sorted(p for p in args.photos.iterdir() if p.suffix.lower() in PICTURES))
        if not pictures:
            parser.error(f"no .jpg or .png pictures in {args.photos}")
        faces["photos"] = pictures
    with tempfile.TemporaryDirectory(prefix="markcheck-vl-") as tmp:
        folder = Path(tmp) / "set"
        cases = labelled_set(
            folder, args.images, seed=args.seed, ratios=(low, high), enlarge=args.enlarge,
            **sizes, **faces,
        )  # fmt: skip
        runs = [("markcheck (this checkout)", ROOT)]
        if args.ref:
            runs.append((f"markcheck at {args.ref}", checkout(args.ref, Path(tmp) / "ref")))
        header = (
            f"{'tool':30} {'img/s':>6} {'cpu ms':>6} {'recall':>7} {'text':>6} {'|err|50':>8} "
            f"{'|err|95':>8} {'bias':>7} {'falsePass':>9} {'falseFail':>9} {'unknown':>8}"
        )
        shown = ", ".join(f"{w}x{h}" for w, h in args.size) if args.size else "512² to 4000x3000"
        drawn_on = f", drawn on {args.photos}" if args.photos else ""
        drawn_on += f", enlarged {args.enlarge:g}x" if args.enlarge != 1.0 else ""
        print(f"{len(cases)} images ({shown}), labels {low:.0%}-{high:.0%} of the short side"
              f"{drawn_on}")  # fmt: skip
        print(header)
        rates = {}
        for name, source in runs:
            seconds, cpu, report = run_scan(source, folder)
            figures = judge(cases, report)
            rates[name] = len(cases) / seconds
            cpu_ms = 1000 * cpu / len(cases)
            print(f"{name:30} {rates[name]:6.2f} {cpu_ms:6.0f} {figures['recall']:7.1%} "
                  f"{figures['text_exact']:6.1%} {figures['median_abs_error']:8.1%} "
                  f"{figures['p95_abs_error']:8.1%} {figures['median_error']:+7.1%} "
                  f"{figures['false_pass']:9.1%} {figures['false_fail']:9.1%} "
                  f"{figures['unknown']:8.1%}")  # fmt: skip
        if args.per_picture:
            paths = [case.path for case in cases[: args.per_picture]]
            print(f"one picture at a time (median of {len(paths)}, engine loaded): wall / CPU ms")
            for name, source in runs:
                timed = [per_picture(source, paths, threads) for threads in (1, 2)]
                print(f"{name:30} 1 thread {timed[0][0]:5.0f} / {timed[0][1]:5.0f}   "
                      f"2 threads {timed[1][0]:5.0f} / {timed[1][1]:5.0f}")  # fmt: skip
        if args.unlabelled:
            plain = Path(tmp) / "plain"
            photos = {"photos": faces["photos"]} if "photos" in faces else {}
            unlabelled_set(plain, args.unlabelled, **sizes, **photos)
            print(f"{args.unlabelled} images without a label ({shown}): img/s, CPU ms, files a "
                  f"visible label was invented for, files left for review")  # fmt: skip
            for name, source in runs:
                seconds, cpu, report = run_scan(source, plain)
                present = [
                    f["outcome"]
                    for item in report["files"] for f in item["findings"]
                    if f["rule"] == "cn.explicit.present"
                ]  # fmt: skip
                print(f"{name:30} {args.unlabelled / seconds:6.2f} "
                      f"{1000 * cpu / args.unlabelled:6.0f}   invented {present.count('pass')}, "
                      f"left for review {present.count('unknown')}")  # fmt: skip
        subset = cases[: args.baseline_images]
        if subset:
            seconds, recall = run_baseline(subset)
            rates["full-frame"] = len(subset) / seconds
            print(f"{'full-frame rapidocr (2 thr.)':30} {rates['full-frame']:6.2f} {'':6} "
                  f"{recall:7.1%}  (on the first {len(subset)} images)")  # fmt: skip
        first = rates[runs[0][0]]
        for name, rate in rates.items():
            if name != runs[0][0]:
                print(f"speed of this checkout vs {name}: x{first / rate:.2f}")


if __name__ == "__main__":
    main()
