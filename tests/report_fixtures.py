"""A realistic ScanResult built from model objects, over real images written with Pillow."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from markcheck.model import (
    AIAssessment,
    C2PAInfo,
    FileError,
    FileResult,
    Finding,
    GeneratorHint,
    Implicit,
    MediaInfo,
    RulesetRef,
    ScanResult,
    Signal,
    TC260Label,
    TextRegion,
)
from markcheck.previews import make_preview
from markcheck.rules.packs import load_pack
from markcheck.scan_options import PREVIEW_MAX_SIDE

PACK = load_pack("cn-gb45438")
CLAUSES = {rule.id: rule.clause for rule in PACK.rules}
SEVERITY = {rule.id: rule.severity for rule in PACK.rules}


def finding(rule: str, outcome: str, message: str = "", region: int | None = None) -> Finding:
    """A finding of the pack; `region` names the text region a visible-label rule judged."""
    return Finding(rule, PACK.id, outcome, SEVERITY[rule], message or f"{rule} {outcome}",
                   CLAUSES[rule], region=region)  # fmt: skip


def write_picture(path: Path, size=(640, 480), label_box=None) -> Path:
    """A gradient picture; with label_box, a white band where a label would be."""
    picture = Image.linear_gradient("L").resize(size).convert("RGB")
    if label_box:
        x, y, w, h = label_box
        ImageDraw.Draw(picture).rectangle([x, y, x + w, y + h], fill=(255, 255, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, quality=85)
    return path


def labelled(path: str, big: bool) -> FileResult:
    """An AI image with a visible label: big enough (compliant) or too small (noncompliant)."""
    h = 40 if big else 12
    region = TextRegion("AI生成", [500, 420, 110, h], h / 480, "bottom-right", 0.97,
                        is_label=True, wording="cn_label")  # fmt: skip
    size = finding("cn.explicit.size", "pass" if big else "fail",
                   f"label text is {h / 480:.1%} of the shortest side", region=0)  # fmt: skip
    return FileResult(
        path=path,
        sha256="ab" * 32,
        status="compliant" if big else "noncompliant",
        media=MediaInfo("image", "jpeg", 640, 480),
        ai=AIAssessment("confirmed", [Signal("tc260", "AIGC label", "confirmed")]),
        explicit=[region],
        implicit=Implicit(
            tc260=[TC260Label("xmp:jpeg/app1", {"Label": "1", "ContentProducer": "001191"}, "{}")],
            c2pa=C2PAInfo("Trusted", "trainedAlgorithmicMedia", "gen/1.0", "Example CA"),
            generator_hints=[GeneratorHint("exif:Software", "diffusion 3")],
        ),
        findings=[
            finding("cn.explicit.present", "pass", region=0),
            finding("cn.explicit.wording", "pass", region=0),
            size,
            finding("cn.implicit.present", "pass"),
        ],
    )


def scan_result(root: Path, count: int = 6) -> ScanResult:
    """`count` files cycling through every status, with real pictures under `root`."""
    files: list[FileResult] = []
    for index in range(count):
        kind = index % 6
        name = f"batch{index // 6}/file{index:05d}.jpg"
        if kind == 4:  # a JPEG cut short: nothing decodes
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
        else:
            write_picture(root / name, label_box=(500, 420, 110, 40))
        if kind == 0:
            files.append(labelled(name, big=True))
        elif kind == 1:
            files.append(labelled(name, big=False))
        elif kind == 2:
            item = labelled(name, big=True)
            item.status = "needs_review"
            item.findings.append(
                finding("cn.explicit.legible", "unknown", "contrast unclear", region=0)
            )
            files.append(item)
        elif kind == 3:
            files.append(
                FileResult(
                    name,
                    "cd" * 32,
                    "not_applicable",
                    MediaInfo("image", "jpeg", 640, 480),
                    AIAssessment("none"),
                    findings=[
                        finding("cn.explicit.present", "not_applicable", "no AI signal found")
                    ],
                )  # fmt: skip
            )
        elif kind == 4:
            files.append(
                FileResult(
                    name,
                    "",
                    "error",
                    MediaInfo("image", "jpeg"),
                    AIAssessment("none"),
                    error=FileError("corrupt", "JPEG ends before its first scan"),
                )  # fmt: skip
            )
        else:
            item = labelled(name, big=False)
            item.findings.append(finding("cn.implicit.present", "fail", "no AIGC label found"))
            item.implicit = Implicit()
            files.append(item)
    for item in files:  # the thumbnails a scan makes when an HTML report is asked for
        item.preview = make_preview(root / item.path, "image", PREVIEW_MAX_SIDE)
    return ScanResult(
        tool={"name": "markcheck", "version": "0.1.0"},
        rulesets=[RulesetRef(PACK.id, PACK.version)],
        files=files,
    )
