"""Check a rule's parameters against what its check declares (registry.Param).

A pack or a `[thresholds]` table with a wrong type, a value out of range or an unknown name is
a configuration error found before the first file: a typo must not leave a threshold silently
at its default, and a string "false" must not count as true.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markcheck.rules.registry import CheckSpec, Param


class ParamError(ValueError):
    """A rule parameter does not match its declaration."""


def _type_name(kind: type) -> str:
    return {float: "a number", int: "a whole number", bool: "true or false", str: "a string"}.get(
        kind, kind.__name__
    )


def check_value(param: Param, value: Any) -> Any:
    """The value, converted where lossless (an int for a float); ParamError otherwise."""
    kind = param.kind
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ParamError(f"must be {_type_name(kind)}, not {value!r}")
    if param.low is not None and value < param.low:
        raise ParamError(f"{value!r} is below its range [{_bounds(param)}]")
    if param.high is not None and value > param.high:
        raise ParamError(f"{value!r} is above its range [{_bounds(param)}]")
    if param.choices is not None and value not in param.choices:
        raise ParamError(f"{value!r} is not one of {list(param.choices)}")
    return value


def _bounds(param: Param) -> str:
    low = "" if param.low is None else f"{param.low:g}"
    high = "" if param.high is None else f"{param.high:g}"
    return f"{low}, {high}"


def validate(spec: CheckSpec, given: Mapping[str, Any], where: str, rule_id: str) -> dict:
    """`given` checked against `spec`'s declarations, with declared defaults for what is
    omitted. A check that declared nothing gets `given` unchanged."""
    if not spec.declared:
        return dict(given)
    declared = {p.name: p for p in spec.params}
    values = {name: p.default for name, p in declared.items()}
    for name, value in given.items():
        param = declared.get(name)
        if param is None:
            known = ", ".join(declared) or "none"
            raise ParamError(
                f"{where}: rule {rule_id}: unknown parameter {name!r} "
                f"(check {spec.name} has: {known})"
            )
        try:
            values[name] = check_value(param, value)
        except ParamError as exc:
            raise ParamError(f"{where}: rule {rule_id}: parameter {name!r} {exc}") from None
    return values


def describe(param: Param) -> str:
    """For `explain`: type, range or choices, default, doc."""
    limits = ""
    if param.low is not None or param.high is not None:
        limits = f", range [{_bounds(param)}]"
    elif param.choices:
        limits = f", one of {list(param.choices)}"
    return f"({param.kind.__name__}{limits}; default {param.default!r}) {param.doc}"
