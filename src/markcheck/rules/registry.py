"""The registry of coded checks that rule packs select by name.

A check is a pure function `(evidence, params, ctx) -> CheckResult`. Its docstring is the
rule's explanation (what it checks, why, and the source), shown by `markcheck explain`.
A check declares which evidence parts it needs, so a scan computes only those.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markcheck.model import AIAssessment, Evidence, Outcome

# Evidence parts a check may need. "metadata" is always read; the others cost more.
PARTS = ("metadata", "c2pa", "explicit", "watermark")


@dataclass(frozen=True)
class CheckContext:
    role: str  # "provider" | "platform"
    assume_ai: bool
    ai: AIAssessment
    # Parameters of the other rules of the same pack, by check name: rules that judge one
    # thing together (the visible label) choose it under the same thresholds.
    pack_params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def param(self, check: str, name: str) -> Any:
        """A parameter of another check of this pack, else that check's declared default."""
        if name in self.pack_params.get(check, {}):
            return self.pack_params[check][name]
        return next(p.default for p in CHECKS[check].params if p.name == name)


@dataclass(frozen=True)
class CheckResult:
    outcome: Outcome
    message: str
    region: int | None = None  # index into evidence.explicit of the region judged


CheckFn = Callable[[Evidence, dict[str, Any], CheckContext], CheckResult]


@dataclass(frozen=True)
class Param:
    """A parameter a check declares: packs and configuration are validated against it.

    `kind` is the Python type a value must have (`float` also takes an int); `low`/`high`
    bound numbers (inclusive); `choices` limits strings.
    """

    name: str
    kind: type
    default: Any
    doc: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CheckSpec:
    name: str
    fn: CheckFn
    needs: tuple[str, ...]
    doc: str
    params: tuple[Param, ...] = ()
    # False when the check declared nothing (packs' params for it are then not validated);
    # True for a check that declared its parameters, even none.
    declared: bool = False


CHECKS: dict[str, CheckSpec] = {}


def check(
    name: str, needs: tuple[str, ...] = ("metadata",), params: tuple[Param, ...] | None = None
) -> Callable[[CheckFn], CheckFn]:
    """Register `fn` as the check called `name` (rule packs refer to it by this name).

    `params` declares the parameters the check reads from its rule, with their defaults;
    `()` declares that it reads none (a pack setting one is then an error).
    """
    unknown = set(needs) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown evidence parts {sorted(unknown)} for check {name}")

    def register(fn: CheckFn) -> CheckFn:
        if name in CHECKS:
            raise ValueError(f"check {name} registered twice")
        doc = inspect.cleandoc(fn.__doc__ or "")
        CHECKS[name] = CheckSpec(name, fn, needs, doc, params or (), params is not None)
        return fn

    return register


def passed(message: str, region: int | None = None) -> CheckResult:
    return CheckResult("pass", message, region)


def failed(message: str, region: int | None = None) -> CheckResult:
    return CheckResult("fail", message, region)


def unknown(message: str, region: int | None = None) -> CheckResult:
    return CheckResult("unknown", message, region)


def not_applicable(message: str) -> CheckResult:
    return CheckResult("not_applicable", message)


def load_checks() -> None:
    """Import every module in markcheck.rules.checks so their checks register themselves."""
    import importlib
    import pkgutil

    from markcheck.rules import checks

    for info in pkgutil.iter_modules(checks.__path__):
        importlib.import_module(f"{checks.__name__}.{info.name}")
