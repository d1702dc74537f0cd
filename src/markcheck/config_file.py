"""Project configuration: `markcheck.toml`, or `[tool.markcheck]` in `pyproject.toml`.

The nearest such file from the working directory upwards is used (markcheck.toml wins over a
pyproject.toml in the same folder). Keys (all optional):

    rules = ["cn-gb45438"]          # packs: built-in ids or pack files
    role = "provider"               # or "platform"
    assume_ai = false
    select = []  ignore = []        # rule id prefixes
    fail_on = ["noncompliant", "error"]
    jobs = 2
    include = ["**.png"]  exclude = ["drafts/*"]   # fnmatch globs over scan-relative paths
    format = ["table"]  output_dir = "reports"
    waivers = "markcheck-waivers.yaml"
    [thresholds."cn.explicit.size"]  # rule parameters by rule id
    min_ratio = 0.06

Command-line flags override the file; the file overrides the defaults. Relative paths in the
file (pack files, waivers, output_dir) are taken from the file's folder.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROLES = ("provider", "platform")
FAIL_ON = ("noncompliant", "needs_review", "error")
DEFAULTS: dict[str, Any] = {
    "rules": ["cn-gb45438"],
    "role": "provider",
    "assume_ai": False,
    "select": [],
    "ignore": [],
    "fail_on": ["noncompliant", "error"],
    "jobs": None,  # None: the scanner picks
    "include": [],
    "exclude": [],
    "format": ["table"],
    "output_dir": None,
    "waivers": None,
    "thresholds": {},
    "label": {},  # values `markcheck label` writes (docs/labelling.md)
}
_LISTS = ("rules", "select", "ignore", "fail_on", "include", "exclude", "format")
_PATHS = ("output_dir", "waivers")


class ConfigError(ValueError):
    """The configuration file is unreadable or has a bad value (exit code 2)."""


@dataclass
class Config:
    values: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS))
    sources: dict[str, str] = field(default_factory=lambda: dict.fromkeys(DEFAULTS, "default"))
    file: Path | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def find_config(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest markcheck.toml, or pyproject.toml with [tool.markcheck], and its table."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / "markcheck.toml"
        if own.is_file():
            return own, _read(own)
        project = folder / "pyproject.toml"
        if project.is_file():
            table = _read(project).get("tool", {}).get("markcheck")
            if table is not None:
                return project, table
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc


def _check(key: str, value: Any, where: str) -> Any:
    """The value in its canonical type, or ConfigError."""
    if key in _LISTS:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{where}: {key} must be a string or a list of strings")
        if key == "fail_on" and set(items) - set(FAIL_ON):
            raise ConfigError(f"{where}: fail_on values must be among {list(FAIL_ON)}")
        return items
    if key == "role" and value not in ROLES:
        raise ConfigError(f"{where}: role must be one of {list(ROLES)}")
    if key == "assume_ai" and not isinstance(value, bool):
        raise ConfigError(f"{where}: assume_ai must be true or false")
    if key == "jobs" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ConfigError(f"{where}: jobs must be a whole number >= 0")
    if key in _PATHS and not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a path")
    if key == "thresholds" and (
        not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values())
    ):
        raise ConfigError(f'{where}: thresholds must be tables: [thresholds."rule.id"]')
    if key == "label" and not isinstance(value, dict):
        raise ConfigError(f"{where}: label must be a table: [label]")
    return value


def _relative(key: str, value: Any, base: Path) -> Any:
    """Paths named in the file are relative to the file's folder."""
    if key in _PATHS:
        return str(base / value)
    if key == "rules":
        return [str(base / r) if r.endswith((".yaml", ".yml")) else r for r in value]
    return value


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Defaults, overlaid by the given file or the one found from `start` (or the cwd)."""
    config = Config()
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"configuration file not found: {path}")
        table = _read(path)
        if path.name == "pyproject.toml":
            table = table.get("tool", {}).get("markcheck", {})
        found: tuple[Path, dict[str, Any]] | None = (path, table)
    else:
        found = find_config(start)
    if found is None:
        return config
    config.file, table = found
    unknown = sorted(set(table) - set(DEFAULTS))
    if unknown:
        raise ConfigError(f"{config.file}: unknown keys {unknown} (known: {sorted(DEFAULTS)})")
    for key, value in table.items():
        value = _check(key, value, str(config.file))
        config.values[key] = _relative(key, value, config.file.parent)
        config.sources[key] = str(config.file)
    return config


def override(config: Config, flags: Mapping[str, Any]) -> Config:
    """Command-line values win; a None (or empty list) flag means "not given"."""
    for key, value in flags.items():
        if value is None or (isinstance(value, list) and not value):
            continue
        config.values[key] = _check(key, value, "command line")
        config.sources[key] = "command line"
    return config


def render(config: Config) -> str:
    """The effective configuration as TOML, each key with where its value came from."""
    lines = [f"# configuration file: {config.file or 'none found'}"]
    for key in DEFAULTS:
        if key in ("thresholds", "label"):
            continue
        value, source = config.values[key], config.sources[key]
        if value is None:
            lines.append(f"# {key} is unset  # {source}")
        else:
            lines.append(f"{key} = {_toml(value)}  # {source}")
    for rule_id, params in sorted(config.values["thresholds"].items()):
        lines.append(f'[thresholds."{rule_id}"]  # {config.sources["thresholds"]}')
        lines += [f"{name} = {_toml(value)}" for name, value in params.items()]
    if config.values["label"]:
        lines.append(f"[label]  # {config.sources['label']}")
        lines += [f"{name} = {_toml(value)}" for name, value in config.values["label"].items()]
    return "\n".join(lines)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
