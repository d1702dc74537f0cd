"""`markcheck label`: write compliant labels into files, then prove them by scanning the output.

Exit codes: 0 every file was labelled (or already was) and its scan is compliant; 1 at least one
file could not be labelled or still fails a rule; 2 usage or configuration error.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from markcheck.scan_command import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Role

# [label] keys in markcheck.toml -> LabelRequest fields
CONFIG_KEYS = {
    "ContentProducer": "producer",
    "ProduceID": "produce_id",
    "Label": "label",
    "ContentPropagator": "propagator",
    "PropagateID": "propagate_id",
    "ReservedCode1": "reserved1",
    "ReservedCode2": "reserved2",
    "png_carrier": "png_carrier",
}


class LabelValue(str, Enum):
    ai = "1"
    possibly = "2"
    suspected = "3"


class PngCarrier(str, Enum):
    xmp = "xmp"
    text = "text"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"markcheck: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _from_config(table: dict[str, Any], where: str) -> dict[str, str]:
    unknown = sorted(set(table) - set(CONFIG_KEYS))
    if unknown:
        raise _fail(f"{where}: unknown [label] keys {unknown} (known: {sorted(CONFIG_KEYS)})")
    values = {}
    for key, value in table.items():
        if not isinstance(value, str):
            raise _fail(f"{where}: [label] {key} must be a string")
        values[CONFIG_KEYS[key]] = value
    return values


def _line(outcome) -> str:
    if outcome.error:
        return f"ERROR     {outcome.path}: {outcome.error['message']} (nothing written)"
    proof = outcome.proof or {}
    head = f"{outcome.status:10}{outcome.path} -> {outcome.output} [{outcome.carrier}]"
    if outcome.visible and outcome.visible.get("action") == "added":
        head += f" + visible {outcome.visible['text']!r} ({outcome.visible['height_ratio']:.1%})"
    if outcome.removed:
        head += f" (duplicate label removed from {', '.join(outcome.removed)})"
    if not proof:
        return head
    if proof["status"] == "compliant":
        return f"{head}: compliant"
    failing = "; ".join(f"{f['rule']} {f['outcome']}: {f['message']}" for f in proof["failing"])
    return f"{head}: {proof['status']} — {failing}"


def label_command(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to label.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write labelled copies here (same tree).")
    ] = None,
    in_place: Annotated[
        bool, typer.Option(help="Rewrite the inputs, keeping each original as *.markcheck-orig.")
    ] = False,
    producer: Annotated[
        str | None, typer.Option(help="ContentProducer: provider code (27 characters) or name.")
    ] = None,
    produce_id: Annotated[
        str | None,
        typer.Option(
            help="ProduceID template: {stem} {name} {sha256} {sha8} {index} {date}. "
            "Default: the existing label's, else {sha256:.32} of the source."
        ),
    ] = None,
    label: Annotated[
        LabelValue | None,
        typer.Option("--label", help="Label: 1 AI, 2 declared/possibly AI, 3 suspected AI."),
    ] = None,
    role: Annotated[
        Role, typer.Option(help="provider writes the label; platform adds propagation fields.")
    ] = Role.provider,
    propagator: Annotated[
        str | None, typer.Option(help="ContentPropagator (role platform): platform code or name.")
    ] = None,
    propagate_id: Annotated[
        str | None, typer.Option(help="PropagateID template (role platform), as --produce-id.")
    ] = None,
    png_carrier: Annotated[
        PngCarrier | None,
        typer.Option(help="PNG carrier when it has no label yet: XMP iTXt (default) or tEXt."),
    ] = None,
    visible: Annotated[
        bool,
        typer.Option(
            help="Also draw a visible label (JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF, MP4, MOV; "
            "re-encodes pixels)."
        ),
    ] = False,
    visible_text: Annotated[
        str, typer.Option(help="Visible wording: an AI element and 生成/合成.")
    ] = "AI生成",
    visible_place: Annotated[
        str, typer.Option(help="bottom-right, bottom-left, top-right, top-left, top or bottom.")
    ] = "bottom-right",
    visible_ratio: Annotated[
        float, typer.Option(help="Ink height / shortest side (the rule asks >= 0.05).")
    ] = 0.07,  # writers.visible.DEFAULT_RATIO (not imported: the CLI starts light)
    backing: Annotated[
        str, typer.Option(help="Backing pill: auto (when contrast needs it), always or never.")
    ] = "auto",
    visible_seconds: Annotated[
        float, typer.Option(min=0, help="Video: seconds the label shows from the start (0: all).")
    ] = 3.0,
    sign: Annotated[
        tuple[Path, Path] | None,
        typer.Option(
            help="CERT KEY (PEM): re-sign files that carry a C2PA manifest, keeping it as the "
            "ingredient; without it such files are refused.",
        ),
    ] = None,
    sign_alg: Annotated[
        str, typer.Option(help="Signing algorithm of KEY: es256, es384, ps256, ed25519, ...")
    ] = "es256",
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", "-r", help="Packs the output must pass. Default: cn-gb45438."),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Prove only rules with this id prefix, e.g. cn.implicit."),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Skip rules with this id prefix.")
    ] = None,
    proof: Annotated[
        bool, typer.Option(help="Scan each written file and report what still fails.")
    ] = True,
    summary: Annotated[
        Path | None, typer.Option(help="Write the JSON summary here ('-' for stdout).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="Configuration file (default: nearest markcheck.toml).")
    ] = None,
) -> None:
    """Write the TC260 metadata label into images and videos, then prove it with a scan."""
    from markcheck.config_file import ConfigError, load_config
    from markcheck.labelling import LabelRequest, LabelUsageError
    from markcheck.labelling import label as run_label
    from markcheck.rules.packs import PackError

    if (out is None) == (not in_place):
        raise _fail("give exactly one of --out DIR and --in-place")
    try:
        settings = load_config(config)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    values = _from_config(settings["label"], str(settings.file))
    flags = {
        "producer": producer,
        "produce_id": produce_id,
        "label": label and label.value,
        "propagator": propagator,
        "propagate_id": propagate_id,
        "png_carrier": png_carrier and png_carrier.value,
    }
    values.update({k: v for k, v in flags.items() if v is not None})
    values["role"] = role.value
    if sign is not None:
        for item in sign:
            if not item.is_file():
                raise _fail(f"--sign: {item} not found")
        values["sign"], values["sign_alg"] = tuple(sign), sign_alg
    if visible:
        from markcheck.writers.visible import VisibleSpec

        values["visible"] = VisibleSpec(visible_text, visible_place, visible_ratio, backing=backing)
        values["visible_seconds"] = visible_seconds
    if role == Role.platform and not values.get("propagator"):
        raise _fail("role platform needs --propagator (or ContentPropagator in [label])")
    if role == Role.provider and not values.get("producer"):
        raise _fail("give --producer (or ContentProducer in [label] of markcheck.toml)")
    try:
        result = run_label(
            paths,
            LabelRequest(**values),
            out_dir=out,
            in_place=in_place,
            rules=rules or settings["rules"],
            select=select or settings["select"],
            ignore=ignore or settings["ignore"],
            proof=proof,
        )
    except (LabelUsageError, PackError, FileNotFoundError) as exc:
        raise _fail(str(exc)) from None
    stream = sys.stderr if summary is not None and str(summary) == "-" else sys.stdout
    for outcome in result.files:
        print(_line(outcome), file=stream)
    if summary is not None:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
        if str(summary) == "-":
            sys.stdout.write(text + "\n")
        else:
            summary.write_text(text + "\n", encoding="utf-8")
    failed = any(f.error for f in result.files) or (proof and not result.ok)
    raise typer.Exit(EXIT_FAILED if failed else EXIT_OK)
