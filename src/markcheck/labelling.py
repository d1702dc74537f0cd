"""Write compliant TC260 labels into files and prove them by scanning the result.

The Python face of `markcheck label`. Per file: read it as a scan would (a corrupt file is an
error and nothing is written), settle the label fields (given values over the existing label),
check them against GB 45438 Annex E, refuse files whose C2PA manifest the edit would break,
write the label into the format's carrier (writers/), read the new bytes back, and only then
put them on disk. Finally every written file is scanned with the selected rule packs: a file
counts as done only when that scan finds it compliant.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from markcheck.discover import Candidate, discover
from markcheck.evidence.collect import FileProblem, collect_metadata
from markcheck.readers import ReaderError
from markcheck.readers.dispatch import read_metadata
from markcheck.readers.interpret import interpret
from markcheck.scan_options import ScanOptions
from markcheck.writers import WriterError, Written
from markcheck.writers.dispatch import write_label
from markcheck.writers.fields import FieldError, validate
from markcheck.writers.visible import VisibleSpec

DEFAULT_PRODUCE_ID = "{sha256:.32}"
BACKUP_SUFFIX = ".markcheck-orig"
MAX_BYTES = 2 * 1024**3  # files are edited in memory; larger ones are refused, not truncated


class LabelUsageError(ValueError):
    """The request itself is wrong (exit code 2), not one file."""


@dataclass(frozen=True)
class LabelRequest:
    """What to write. Templates may use {stem}, {name}, {sha256}, {sha8}, {index}, {date}.

    The default IDs keep an ID the file's label already has, so that labelling a labelled
    file again changes nothing even though its bytes (and so {sha256}) differ from the source's.
    """

    producer: str = ""
    produce_id: str | None = None  # None: keep the existing label's, else DEFAULT_PRODUCE_ID
    label: str = "1"
    role: str = "provider"  # "platform": add ContentPropagator / PropagateID to the label
    propagator: str = ""
    propagate_id: str | None = None  # None: keep the existing label's, else DEFAULT_PRODUCE_ID
    reserved1: str | None = None
    reserved2: str | None = None
    png_carrier: str = "xmp"  # or "text" (a tEXt chunk keyed AIGC)
    visible: VisibleSpec | None = None  # also draw a visible label (re-encodes the pixels)
    visible_seconds: float = 3.0  # video: label over [0, this) s; 0 = the whole clip
    sign: tuple[Path, Path] | None = None  # (certificate chain PEM, private key PEM): re-sign C2PA
    sign_alg: str = "es256"


@dataclass
class FileOutcome:
    path: str
    format: str | None
    output: str | None = None
    status: str = "error"  # "labelled" | "unchanged" | "error" (before the proof)
    carrier: str | None = None
    action: str | None = None  # "added" | "updated" | "unchanged"
    removed: list[str] = field(default_factory=list)
    label: dict[str, str] | None = None
    visible: dict[str, Any] | None = None  # the visible label drawn, or why none was
    c2pa: str | None = None  # "re-signed" when a new C2PA manifest was signed
    proof: dict[str, Any] | None = None
    error: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class LabelResult:
    files: list[FileOutcome]

    @property
    def ok(self) -> bool:
        """No file failed, and every proved file is compliant."""
        return all(
            f.error is None and (f.proof is None or f.proof.get("status") == "compliant")
            for f in self.files
        )

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for f in self.files:
            key = "error" if f.error else (f.proof or {}).get("status", f.status)
            counts[key] = counts.get(key, 0) + 1
        return {"ok": self.ok, "summary": counts, "files": [f.to_dict() for f in self.files]}


def _expand(template: str, candidate: Candidate, sha256: str, index: int) -> str:
    try:
        return template.format(
            stem=candidate.path.stem,
            name=candidate.path.name,
            sha256=sha256,
            sha8=sha256[:8],
            index=index,
            date=datetime.now(timezone.utc).strftime("%Y%m%d"),
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise LabelUsageError(f"bad template {template!r}: {exc}") from None


def _id(template: str | None, kept: str | None, candidate: Candidate, sha: str, i: int) -> str:
    if template is None and kept:
        return kept
    return _expand(template or DEFAULT_PRODUCE_ID, candidate, sha, i)


def _fields(
    request: LabelRequest, existing: dict[str, Any] | None, candidate: Candidate, sha: str, i: int
) -> dict[str, str]:
    """Given values over the existing label's; a platform keeps the producer's fields."""
    fields = {k: str(v) for k, v in (existing or {}).items() if v is not None}
    if request.role == "platform":
        if existing is None:
            if request.label == "1":
                raise FieldError(
                    "no producer label to add propagation fields to; a platform labels such "
                    'content "2" (declared AI) or "3" (suspected AI): use --label 2 or 3'
                )
            fields["Label"] = request.label
            if request.producer:
                fields["ContentProducer"] = request.producer
            fields.setdefault("ProduceID", "")
        elif request.label != "1":
            fields["Label"] = request.label
        fields["ContentPropagator"] = request.propagator
        fields["PropagateID"] = _id(request.propagate_id, fields.get("PropagateID"),
                                    candidate, sha, i)  # fmt: skip
    else:
        fields["Label"] = request.label
        if request.producer:
            fields["ContentProducer"] = request.producer
        fields["ProduceID"] = _id(request.produce_id, fields.get("ProduceID"), candidate, sha, i)
    if request.reserved1 is not None:
        fields["ReservedCode1"] = request.reserved1
    if request.reserved2 is not None:
        fields["ReservedCode2"] = request.reserved2
    return fields


def _existing(candidate: Candidate, options: ScanOptions) -> tuple[dict[str, Any] | None, Any]:
    evidence = collect_metadata(candidate, options)
    labels = evidence.implicit.tc260
    parsed = [found.label for found in labels if found.label is not None]
    distinct = {repr(sorted(p.items())) for p in parsed}
    if len(distinct) > 1:
        raise FieldError(
            f"{len(labels)} labels that differ ({', '.join(f.carrier for f in labels)}); "
            "which one holds is not markcheck's to decide"
        )
    return (parsed[0] if parsed else None), evidence


def _readback(data: bytes, fmt: str, options: ScanOptions) -> list:
    raw = read_metadata(io.BytesIO(data), fmt, len(data), options.limits)
    return interpret(raw, options.limits)[0].tc260


def _target(candidate: Candidate, out_dir: Path | None, in_place: bool) -> Path:
    if in_place:
        return candidate.path
    assert out_dir is not None
    rel = Path(candidate.rel)
    if rel.is_absolute() or ".." in rel.parts:  # a file named outside the working directory
        rel = Path(candidate.path.name)
    target = out_dir / rel
    if target.resolve() == candidate.path.resolve():
        raise LabelUsageError(f"--out would overwrite the input {candidate.path}; use --in-place")
    return target


def _put(target: Path, data: bytes, in_place: bool) -> None:
    """Write atomically; in place, the original is kept beside it first (once)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if in_place:
        backup = target.with_name(target.name + BACKUP_SUFFIX)
        if not backup.exists():
            shutil.copy2(target, backup)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".markcheck-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def label_one(
    candidate: Candidate,
    request: LabelRequest,
    out_dir: Path | None,
    in_place: bool,
    index: int = 0,
    options: ScanOptions | None = None,
) -> FileOutcome:
    """Label one file; every failure becomes this file's error and nothing is written."""
    options = options or ScanOptions()
    outcome = FileOutcome(candidate.rel, candidate.format)
    try:
        existing, evidence = _existing(candidate, options)
        signed = bool(evidence.c2pa_stores)
        # Checked only where bytes would change: an already labelled file is "unchanged".
        refusal = None
        if signed and request.sign is None:
            refusal = (
                f"has a C2PA manifest ({', '.join(evidence.c2pa_stores)}): changing the file "
                "would break its hard binding; not written (give --sign CERT KEY to re-sign)"
            )
        size = candidate.path.stat().st_size
        if size > MAX_BYTES:
            raise WriterError(f"{size} bytes is over the {MAX_BYTES}-byte limit of the writer")
        data = original = candidate.path.read_bytes()
        fields = _fields(request, existing, candidate, hashlib.sha256(data).hexdigest(), index)
        value = validate(
            fields, require_producer=existing is not None or request.role != "platform"
        )
        outcome.label = value.fields
        target = _target(candidate, out_dir, in_place)
        drawn = False
        if request.visible is not None:
            data, drawn = _visible(candidate, data, request, outcome, refusal)
        single = len(evidence.implicit.tc260) == 1
        if not drawn and single and existing is not None and _same(existing, value.fields):
            outcome.status, outcome.action = "unchanged", "unchanged"
            outcome.carrier = evidence.implicit.tc260[0].carrier
            if not in_place:
                _put(target, data, in_place=False)
            outcome.output = str(target)
            return outcome
        if refusal:
            raise WriterError(refusal)
        fmt = candidate.format or ""
        written = write_label(data, fmt, value.to_json(), request.png_carrier, c2pa_ok=signed)
        if signed and request.sign is not None:
            from markcheck.writers.c2pa_sign import resign

            new = resign(original, written.data, fmt, *request.sign, request.sign_alg,
                         title=candidate.path.name)  # fmt: skip
            written = Written(new, written.carrier, written.action, written.removed)
            outcome.c2pa = "re-signed"
        back = _readback(written.data, candidate.format or "", options)
        if len(back) != 1 or not _same(back[0].label or {}, value.fields):
            raise WriterError(
                f"read back {len(back)} label(s) from the new bytes, not the one written; "
                "nothing written"
            )
        _put(target, written.data, in_place)
        outcome.output = str(target)
        outcome.status, outcome.action = "labelled", written.action
        outcome.carrier, outcome.removed = back[0].carrier, list(written.removed)
    except (FieldError, LabelUsageError) as exc:
        outcome.error = {"type": "label", "message": str(exc)}
    except (WriterError, ReaderError) as exc:
        outcome.error = {"type": "corrupt" if isinstance(exc, ReaderError) else "write",
                         "message": str(exc)}  # fmt: skip
    except FileProblem as exc:
        outcome.error = {"type": "unreadable", "message": str(exc)}
    except OSError as exc:
        outcome.error = {"type": "io", "message": f"{type(exc).__name__}: {exc}"}
    except MemoryError:
        outcome.error = {"type": "memory", "message": "ran out of memory editing the file"}
    except Exception as exc:  # a bug or an unforeseen input: this file's error, nothing written
        outcome.error = {"type": "internal", "message": f"{type(exc).__name__}: {exc}"}
    if outcome.error:
        outcome.output = None
    return outcome


def _visible(
    candidate: Candidate,
    data: bytes,
    request: LabelRequest,
    outcome: FileOutcome,
    refusal: str | None,
) -> tuple[bytes, bool]:
    """Draw the visible label unless the file already shows a compliant one (so a second
    run draws nothing): the scan's own detector decides."""
    from markcheck.vocabulary.wording import classify_label_text
    from markcheck.writers.reencode import VISIBLE_FORMATS, burn_visible
    from markcheck.writers.video_visible import VIDEO_FORMATS
    from markcheck.writers.visible import check_spec

    spec = request.visible
    assert spec is not None
    check_spec(spec)
    fmt = candidate.format or ""
    video = fmt in VIDEO_FORMATS
    if not video and fmt not in VISIBLE_FORMATS:
        raise WriterError(
            f"visible labels are drawn on {', '.join(VISIBLE_FORMATS + VIDEO_FORMATS)}, not {fmt}"
        )
    if video:
        from markcheck.detectors.video_labels import find_video_labels

        regions, _ = find_video_labels(candidate.path)
    else:
        from markcheck.detectors.text import detect_text

        regions, _ = detect_text(candidate.path)
    present = [
        r
        for r in regions
        if classify_label_text(r.text).is_cn_label
        and r.height_ratio >= 0.05
        and (not video or (r.time_s and r.time_s[0] <= 0.1 and r.time_s[1] - r.time_s[0] >= 2))
    ]
    if present:
        found = present[0]
        outcome.visible = {"action": "unchanged", "text": found.text, "bbox": found.bbox,
                           "height_ratio": found.height_ratio, "time_s": found.time_s}  # fmt: skip
        return data, False
    if refusal:
        raise WriterError(refusal)
    if video:
        from markcheck.writers.video_visible import burn_video

        new, drawn = burn_video(data, fmt, spec, request.visible_seconds)
    else:
        new, drawn = burn_visible(data, fmt, spec)
    outcome.visible = {
        "action": "added", "text": drawn.text, "bbox": list(drawn.bbox),
        "height_ratio": round(drawn.ink_height / min(drawn.size), 4), "colour": drawn.colour,
        "backing_alpha": drawn.backing_alpha, "contrast": drawn.contrast,
    }  # fmt: skip
    if video:
        outcome.visible["seconds"] = request.visible_seconds or "all"
    return new, True


def _same(found: Mapping[str, Any], wanted: Mapping[str, str]) -> bool:
    keys = set(found) | set(wanted)
    return all(str(found.get(k) or "") == str(wanted.get(k) or "") for k in keys) and all(
        isinstance(found.get(k), str) for k in wanted
    )


def prove(
    outcomes: Iterable[FileOutcome],
    rules: Sequence[str] = ("cn-gb45438",),
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    role: str = "provider",
    jobs: int | None = None,
) -> None:
    """Scan the written files (one scan) with the packs; record each status and what still
    fails. `jobs` as for `markcheck.scan` (None: worker processes only when pixels are read)."""
    from markcheck.scanner import scan

    written = [o for o in outcomes if not o.error and o.output]
    if not written:
        return
    options = ScanOptions(role=role, assume_ai=True)
    result = scan([o.output for o in written], rules, select=select, ignore=ignore,
                  options=options, jobs=jobs)  # fmt: skip
    judged = {item.path: item for item in result.files}
    for outcome in written:
        item = judged.get(Path(outcome.output or "").as_posix())
        if item is None:
            outcome.proof = {"status": "error", "failing": [{"rule": "-", "outcome": "unknown",
                             "message": "the written file was not found by the scan"}]}  # fmt: skip
            continue
        outcome.proof = {
            "status": item.status,
            "failing": [
                {"rule": f.rule, "outcome": f.outcome, "message": f.message}
                for f in item.findings
                if f.outcome in ("fail", "unknown")
            ],
        }
        if item.error is not None:
            outcome.proof["failing"].append(
                {"rule": "-", "outcome": "error", "message": item.error.message}
            )


def label(
    paths: Sequence[str | os.PathLike[str]],
    request: LabelRequest,
    *,
    out_dir: str | os.PathLike[str] | None = None,
    in_place: bool = False,
    rules: Sequence[str] = ("cn-gb45438",),
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    proof: bool = True,
) -> LabelResult:
    """Label every media file under `paths` into `out_dir` (or in place), then prove it.

    Raises LabelUsageError when neither or both of `out_dir` and `in_place` are given, or
    FileNotFoundError for a missing input; single files never raise.
    """
    if (out_dir is None) == (not in_place):
        raise LabelUsageError("give exactly one of --out DIR and --in-place")
    out = Path(out_dir) if out_dir is not None else None
    candidates, _skipped = discover(paths)
    outcomes = [label_one(c, request, out, in_place, i) for i, c in enumerate(candidates)]
    if proof:
        prove(outcomes, rules, select, ignore, request.role)
    return LabelResult(outcomes)
