"""The audit record of a scan: what was checked, with what, and when.

Added to every report (JSON `audit`, SARIF run properties, JUnit properties, an HTML section)
so that a stored report says which options, packs, thresholds, trust lists and OCR models
judged the files, and whether --select/--ignore left rules out (`partial_ruleset`): a file
"compliant" under `--select cn.implicit` was never checked for a visible label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from markcheck import __version__
from markcheck.rules.packs import Pack


def now() -> str:
    """UTC time, ISO 8601 to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def build(
    *,
    loaded: Sequence[Pack],
    run: Sequence[Pack],
    options: Mapping[str, Any],
    thresholds: Mapping[str, Mapping[str, Any]] | None,
    trust: Mapping[str, Any],
) -> dict[str, Any]:
    """The record at the start of a scan. `loaded` are the packs before --select/--ignore,
    `run` the rules that will run; `finished` is set when the scan ends."""
    kept = {rule.id for pack in run for rule in pack.rules}
    left_out = [rule.id for pack in loaded for rule in pack.rules if rule.id not in kept]
    return {
        "markcheck_version": __version__,
        "started": now(),
        "finished": None,
        "options": dict(options),
        "packs": [
            {
                "id": pack.id,
                "version": pack.version,
                "path": pack.path,
                "rules": len(pack.rules),
                "rules_run": sum(rule.id in kept for rule in pack.rules),
            }
            for pack in loaded
        ],
        "thresholds": {rule: dict(values) for rule, values in (thresholds or {}).items()},
        "trust": dict(trust),
        "ocr": None,
        "partial_ruleset": bool(left_out),
        "rules_not_run": left_out,
    }


def lines(audit: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The record as (label, text) pairs, for the HTML page and JUnit properties."""
    options = audit.get("options", {})
    packs = ", ".join(f"{p['id']} {p['version']} ({p['rules_run']}/{p['rules']} rules)"
                      for p in audit.get("packs", []))  # fmt: skip
    trust = audit.get("trust", {})
    anchors = [*trust.get("bundled", []), *trust.get("user", [])]
    out = [
        ("markcheck version", str(audit.get("markcheck_version"))),
        ("started", str(audit.get("started"))),
        ("finished", str(audit.get("finished"))),
        ("options", ", ".join(f"{k}={_text(v)}" for k, v in options.items())),
        ("packs", packs),
        (
            "rule set",
            "partial: not run: " + ", ".join(audit["rules_not_run"])
            if audit.get("partial_ruleset")
            else "complete",
        ),
        (
            "thresholds",
            "; ".join(
                f"{rule}: " + ", ".join(f"{k}={v}" for k, v in values.items())
                for rule, values in audit.get("thresholds", {}).items()
            )
            or "pack values",
        ),
        (
            "trust anchors",
            "; ".join(
                f"{a['name']} ({a['certificates']} certificates, sha256 {a['sha256'][:16]}…"
                + (f", {a['date']}" if a.get("date") else "")
                + ")"
                for a in anchors
            )
            or "none",
        ),
    ]
    if audit.get("ocr"):
        out.append(("OCR", _text(audit["ocr"])))
    return out


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    return str(value)
