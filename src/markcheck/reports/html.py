"""A self-contained HTML report: summary, filterable list, and per file a thumbnail with every
detected text box drawn and labelled, the metadata labels, C2PA state and each finding.

One file, no network: CSS and JS are inline, thumbnails are data URIs, and the file list is a
JSON document the page renders a page at a time (so 10,000 files open quickly). Thumbnails come
from each file's `preview`, made by the scan (see markcheck.previews); the report itself never
opens a scanned file. Every string from a scanned file reaches the page as JSON and is shown
with textContent, never as markup.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from markcheck.model import STATUSES, FileResult, ScanResult, Thumb, plain
from markcheck.reports import html_static as static
from markcheck.reports.context import ReportContext


def min_height_ratio(ctx: ReportContext, kind: str) -> float | None:
    """The visible-label height threshold of the packs run on this kind of media, if any."""
    ratios = [
        float(rule.params["min_ratio"])
        for pack in ctx.packs
        for rule in pack.rules
        if "min_ratio" in rule.params and kind in rule.media
    ]
    return max(ratios) if ratios else None


def _thumb(t: Thumb | None) -> list[Any] | None:
    return [t.uri, t.width, t.height] if t else None


def _labels(item: FileResult) -> list[dict[str, Any]]:
    """Metadata labels found: each with its carrier and fields."""
    implicit = item.implicit
    found: list[dict[str, Any]] = [
        {"carrier": label.carrier, "fields": label.label or {"raw": label.raw}, "form": label.form}
        for label in implicit.tc260
    ]
    if implicit.iptc_digital_source_type:
        found.append(
            {"carrier": "iptc", "fields": {"DigitalSourceType": implicit.iptc_digital_source_type}}
        )
    if implicit.iptc_ai:
        found.append({"carrier": "iptc (AI fields)", "fields": dict(implicit.iptc_ai)})
    for hint in implicit.generator_hints:
        found.append(
            {"carrier": f"generator hint ({hint.source})", "fields": {"value": hint.value}}
        )
    for mark in implicit.watermarks:
        fields = {"declared": mark.source} if mark.declared else {"score": mark.score}
        found.append({"carrier": f"watermark {mark.scheme}", "fields": fields})
    return found


def _c2pa(item: FileResult) -> dict[str, Any] | None:
    c2pa = item.implicit.c2pa
    if c2pa is None:
        return None
    return {
        "state": c2pa.validation_state,
        "source_type": c2pa.digital_source_type,
        "generator": c2pa.claim_generator,
        "signer": c2pa.signer,
        "codes": c2pa.codes,
        # broken / not_trusted / not_checkable_offline / sound, and where a GenAI type sits
        "condition": c2pa.details.get("condition"),
        "genai_in": [t.get("where") for t in c2pa.details.get("genai_source_types") or []],
    }


def label_verdicts(item: FileResult) -> list[str]:
    """Per text region, what the page draws: the judged label's whole verdict (`pass`,
    `fail`, `review`) from every rule that judged it; `label` for another text taken as a
    label; `text` for text that is not a label."""
    judged: dict[int, set[str]] = {}
    for finding in item.findings:
        if finding.region is not None and finding.outcome != "not_applicable":
            outcome = "pass" if finding.waived else finding.outcome
            judged.setdefault(finding.region, set()).add(outcome)
    verdicts = []
    for index, region in enumerate(item.explicit):
        outcomes = judged.get(index)
        if outcomes:
            verdicts.append(
                "fail" if "fail" in outcomes else "review" if "unknown" in outcomes else "pass"
            )
        else:
            verdicts.append("label" if region.is_label else "text")
    return verdicts


def _entry(item: FileResult, threshold: float | None) -> dict[str, Any]:
    """One file as the page's script reads it; `threshold` is the height rule's min_ratio."""
    boxes = [
        [
            *region.bbox[:4],
            region.text,
            round(region.height_ratio, 4),
            verdict,
            region.time_s,
        ]
        for region, verdict in zip(item.explicit, label_verdicts(item), strict=True)
    ]
    entry: dict[str, Any] = {
        "p": item.path,
        "s": item.status,
        "k": item.media.kind,
        "fmt": item.media.format,
        "w": item.media.width,
        "h": item.media.height,
        "dur": item.media.duration_s,
        "ai": item.ai.verdict,
        # The same signal from two places (a label seen in two spans) is listed once.
        "sig": list(dict.fromkeys(f"{s.source}: {s.detail}" for s in item.ai.signals)),
        "b": boxes,
        "min": threshold,
        "md": _labels(item),
        "c2pa": _c2pa(item),
        "f": [
            [f.rule, f.ruleset, f.outcome, f.severity, f.message, f.clause, plain(f.waiver)]
            for f in item.findings
        ],
        "err": f"{item.error.type}: {item.error.message}" if item.error else None,
        "notes": item.notes,
        # Watermarks as badges: decoded from the pixels, or only declared.
        "wm": [[mark.generator or mark.scheme, mark.decoded] for mark in item.implicit.watermarks],
    }
    preview = item.preview
    if preview is not None:
        entry["t"] = _thumb(preview.thumb)
        entry["fr"] = [[at, _thumb(t)] for at, t in preview.frames]
        entry["why"] = preview.problem
        entry["cu"] = [[index, _thumb(t)] for index, t in preview.closeups]
    return entry


def _asset(name: str) -> str:
    return resources.files("markcheck.reports").joinpath("assets", name).read_text("utf-8")


def _json_for_script(value: Any) -> str:
    # "</" would end the <script> element early; "<!--" could start a comment state.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _summary(result: ScanResult) -> str:
    summary = result.summary
    cells = "".join(
        f'<div class="count {s}"><b>{summary[s]}</b><span>{s.replace("_", " ")}</span></div>'
        for s in STATUSES
    )
    packs = ", ".join(html.escape(f"{r.id} {r.version}") for r in result.rulesets)
    partial = (
        '<p class="partial">Interrupted: this report is partial.</p>' if result.partial else ""
    )
    skipped = f"; {result.skipped} skipped (not media)" if result.skipped else ""
    return (
        f'<section id="summary"><div class="counts"><div class="count total"><b>'
        f"{summary['total']}</b><span>files</span></div>{cells}</div>"
        f"<p>Rule packs: {packs}{skipped}</p>{partial}</section>"
    )


def report(result: ScanResult, stream: TextIO, ctx: ReportContext | None = None) -> None:
    ctx = ctx or ReportContext()
    tool = html.escape(f"{result.tool.get('name', 'markcheck')} {result.tool.get('version', '')}")
    stream.write(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No request may leave the page: everything it shows is inline.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>markcheck report</title><style>{_asset('report.css')}{static.CSS}</style>"
        "</head><body>"
        f'<header><h1>markcheck report</h1><span class="tool">{tool}</span></header>'
        f"{_summary(result)}{static.audit_section(result.audit)}{static.file_list(result)}"
        '<section id="controls"></section><section id="files"></section>'
        '<nav id="pager"></nav><script type="application/json" id="data">['
    )
    thresholds = {kind: min_height_ratio(ctx, kind) for kind in ("image", "video")}
    for index, item in enumerate(result.files):
        entry = _entry(item, thresholds.get(item.media.kind))
        stream.write(("," if index else "") + _json_for_script(entry))
    stream.write(f"]</script><script>{_asset('report.js')}</script></body></html>\n")


def write(result: ScanResult, path: Path, ctx: ReportContext | None = None) -> None:
    with path.open("w", encoding="utf-8") as stream:
        report(result, stream, ctx)
