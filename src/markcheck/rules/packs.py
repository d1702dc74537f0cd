"""Load rule packs: YAML data that selects registered checks and sets their parameters.

Nothing in a pack is executed as code: a pack names checks from the registry, with the clause,
severity, applicability and parameters of each rule. Built-in packs ship with the package (the
top-level `rules/` folder); users pass their own with `--rules path/to/pack.yaml`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from markcheck.rules.params import ParamError, validate
from markcheck.rules.registry import CHECKS, load_checks

SEVERITIES = ("error", "warning", "info")
MEDIA_KINDS = ("image", "video")
ROLES = ("provider", "platform")
_RULE_KEYS = {
    "id", "check", "title", "clause", "source", "confidence", "severity", "media", "roles",
    "params", "examples", "description",
}  # fmt: skip


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is there


class PackError(ValueError):
    """A pack cannot be found or is malformed (a configuration error: exit code 2)."""


@dataclass(frozen=True)
class Rule:
    id: str
    check: str
    title: str
    clause: str
    severity: str
    source: str = ""
    confidence: str = ""
    media: tuple[str, ...] = MEDIA_KINDS
    roles: tuple[str, ...] = ROLES
    params: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    title: str
    rules: tuple[Rule, ...]
    source: str = ""
    path: str = ""


def builtin_pack_dir() -> Path:
    """The packaged packs, or the repository's `rules/` folder in a source checkout."""
    packaged = Path(__file__).resolve().parent.parent / "packs"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def builtin_pack_names() -> list[str]:
    return sorted(p.stem for p in builtin_pack_dir().glob("*.yaml"))


def _resolve(name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.is_file():
            raise PackError(f"rule pack file not found: {name_or_path}")
        return candidate
    builtin = builtin_pack_dir() / f"{name_or_path}.yaml"
    if not builtin.is_file():
        known = ", ".join(builtin_pack_names())
        raise PackError(f"unknown rule pack {name_or_path!r} (built-in packs: {known})")
    return builtin


def _as_tuple(value: Any, allowed: tuple[str, ...], what: str, rule_id: str) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    bad = [item for item in items if item not in allowed]
    if bad:
        raise PackError(f"rule {rule_id}: {what} {bad} not among {list(allowed)}")
    return items


def _parse_rule(data: Any, where: str) -> Rule:
    if not isinstance(data, dict) or "id" not in data:
        raise PackError(f"{where}: each rule must be a mapping with an 'id'")
    rule_id = str(data["id"])
    extra = set(data) - _RULE_KEYS
    if extra:
        raise PackError(f"{where}: rule {rule_id} has unknown keys {sorted(extra)}")
    for key in ("title", "clause", "severity"):
        if not data.get(key):
            raise PackError(f"{where}: rule {rule_id} needs '{key}'")
    check = str(data.get("check", rule_id))
    if check not in CHECKS:
        raise PackError(f"{where}: rule {rule_id} selects unknown check {check!r}")
    severity = str(data["severity"])
    if severity not in SEVERITIES:
        raise PackError(f"{where}: rule {rule_id} severity {severity!r} not in {SEVERITIES}")
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise PackError(f"{where}: rule {rule_id} params must be a mapping")
    try:
        params = validate(CHECKS[check], params, where, rule_id)
    except ParamError as exc:
        raise PackError(str(exc)) from None
    return Rule(
        id=rule_id,
        check=check,
        title=str(data["title"]),
        clause=str(data["clause"]),
        severity=severity,
        source=str(data.get("source", "")),
        confidence=str(data.get("confidence", "")),
        media=_as_tuple(data.get("media", MEDIA_KINDS), MEDIA_KINDS, "media", rule_id),
        roles=_as_tuple(data.get("roles", ROLES), ROLES, "roles", rule_id),
        params=params,
        examples={str(k): str(v) for k, v in (data.get("examples") or {}).items()},
        description=str(data.get("description", "")),
    )


# Packs parsed in this process, by file path as given and text: one scan asks for its packs
# several times (settings, the scan, its audit, the report's context), and each YAML parse
# of a built-in pack costs ~3 ms; reading the text again to compare costs microseconds.
_PARSED: dict[tuple[str, str], Pack] = {}


def load_pack(name_or_path: str) -> Pack:
    """Load a built-in pack by id, or a pack file by path; raise PackError if malformed."""
    load_checks()
    path = _resolve(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"cannot read rule pack {path}: {exc}") from exc
    parsed = _PARSED.get((str(path), text))
    if parsed is None:
        parsed = _PARSED[(str(path), text)] = _parse_pack(path, text)
    return parsed


def _parse_pack(path: Path, text: str) -> Pack:
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise PackError(f"cannot read rule pack {path}: {exc}") from exc
    if not isinstance(data, dict) or not data.get("id") or not isinstance(data.get("rules"), list):
        raise PackError(f"{path}: a pack needs 'id' and a list of 'rules'")
    rules = tuple(_parse_rule(item, str(path)) for item in data["rules"])
    ids = [rule.id for rule in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PackError(f"{path}: duplicate rule ids {duplicates}")
    return Pack(
        id=str(data["id"]),
        version=str(data.get("version", "")),
        title=str(data.get("title", "")),
        rules=rules,
        source=str(data.get("source", "")),
        path=str(path),
    )


def find_rule(rule_id: str) -> tuple[Pack, Rule]:
    """The built-in rule with this id (for `markcheck explain`)."""
    for name in builtin_pack_names():
        pack = load_pack(name)
        for rule in pack.rules:
            if rule.id == rule_id:
                return pack, rule
    raise PackError(f"no built-in rule {rule_id!r}; see `markcheck rules list`")


def _matches(rule_id: str, prefixes: Sequence[str]) -> bool:
    return any(rule_id == p or rule_id.startswith(p.rstrip(".") + ".") for p in prefixes)


def select_rules(pack: Pack, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Pack:
    """Keep the rules whose id is, or starts with, a selected prefix, minus the ignored ones."""
    rules = tuple(
        rule
        for rule in pack.rules
        if (not select or _matches(rule.id, select)) and not _matches(rule.id, ignore)
    )
    return replace(pack, rules=rules)


def override_params(pack: Pack, overrides: Mapping[str, Mapping[str, Any]]) -> Pack:
    """The pack with rule parameters replaced by id, e.g. {"cn.explicit.size": {"min_ratio":
    0.06}} (from the configuration's thresholds)."""
    if not overrides:
        return pack
    rules = tuple(
        replace(rule, params={**rule.params, **overrides[rule.id]})
        if rule.id in overrides
        else rule
        for rule in pack.rules
    )
    return replace(pack, rules=rules)


def check_overrides(
    packs: Sequence[Pack], overrides: Mapping[str, Mapping[str, Any]], source: str = "thresholds"
) -> None:
    """A parameter override must name a rule of the packs and a parameter that rule has, with
    a value its check accepts: a typo would otherwise leave the threshold silently unchanged.
    `source` names where the overrides come from (the configuration file) in messages."""
    rules = {rule.id: rule for pack in packs for rule in pack.rules}
    for rule_id, params in overrides.items():
        rule = rules.get(rule_id)
        if rule is None:
            raise PackError(f"{source}: no rule {rule_id!r} in the packs of this scan")
        spec = CHECKS[rule.check]
        if spec.declared:
            try:
                validate(spec, {**rule.params, **params}, source, rule_id)
            except ParamError as exc:
                raise PackError(str(exc)) from None
            continue
        unknown = sorted(set(params) - set(rule.params))
        if unknown:
            known = ", ".join(sorted(rule.params)) or "none"
            raise PackError(
                f"{source}: rule {rule_id!r} has no parameter {unknown[0]!r} (it has: {known})"
            )


def prepare_packs(
    names: Sequence[str],
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    source: str = "thresholds",
) -> list[Pack]:
    """The packs a scan runs: loaded, parameter overrides checked against every rule, rules
    selected by id prefix, overrides applied."""
    loaded = [load_pack(name) for name in names]
    check_overrides(loaded, overrides or {}, source)
    return [override_params(select_rules(p, select, ignore), overrides or {}) for p in loaded]
