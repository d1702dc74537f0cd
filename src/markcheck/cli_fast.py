"""A quick path for the usual `markcheck scan` command line, parsed without typer.

typer coerces every option through a pydantic TypeAdapter: importing pydantic and building
adapters for `scan`'s two dozen options took a metadata scan of an empty folder from 0.17 to
0.37 CPU-s, a fifth of a 1,000-photograph scan; importing typer at all costs ~25 ms. The
command lines users type most (`scan`, paths, options with plain values) are parsed here into
the same arguments typer passes to `cli_app.scan`, and `scan_command.run` runs them as it
does. Anything else returns None and typer parses it as
before, with its own help and messages: --help, an unknown or abbreviated option, `--`,
attached short values (`-fjson`), a value that starts with "-", is empty, or is one typer
would reject or convert differently (an enum spelling, a number below the option's minimum
or not plain digits), shell completion, and Windows (where click expands wildcards in
arguments). tests/test_cli_fast.py checks the arguments are typer's, option by option.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

# Option name -> (parameter, kind, repeatable, minimum). A kind is "str", "path", "int",
# "float", "true"/"false" (a flag setting the parameter), or the name of an Enum of
# markcheck.scan_command.
_VALUE = {
    "--rules": ("rules", "str", True, None),
    "-r": ("rules", "str", True, None),
    "--select": ("select", "str", True, None),
    "--ignore": ("ignore", "str", True, None),
    "--role": ("role", "Role", False, None),
    "--format": ("format", "Format", True, None),
    "-f": ("format", "Format", True, None),
    "--output": ("output", "path", False, None),
    "-o": ("output", "path", False, None),
    "--output-dir": ("output_dir", "path", False, None),
    "--config": ("config", "path", False, None),
    "--waivers": ("waivers", "path", False, None),
    "--fail-on": ("fail_on", "FailOn", True, None),
    "--jobs": ("jobs", "int", False, 0),
    "-j": ("jobs", "int", False, 0),
    "--timeout": ("timeout", "float", False, 0.1),
    "--memory-mb": ("memory_mb", "int", False, 64),
    "--trust-anchors": ("trust_anchors", "path", True, None),
    "--include": ("include", "str", True, None),
    "--exclude": ("exclude", "str", True, None),
    "--cache-dir": ("cache_dir", "path", False, None),
    "--changed-since": ("changed_since", "str", False, None),
    "--backend": ("backend", "Backend", False, None),
    "--ray-address": ("ray_address", "str", False, None),
}
_FLAGS = {
    "--assume-ai": ("assume_ai", True),
    "--no-assume-ai": ("assume_ai", False),
    "--replace-trust-anchors": ("replace_trust_anchors", True),
    "--no-replace-trust-anchors": ("replace_trust_anchors", False),
    "--allow-empty": ("allow_empty", True),
    "--no-allow-empty": ("allow_empty", False),
    "--progress": ("show_progress", True),
}
_PLAIN_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")  # what int()/float() and pydantic agree on


class _Decline(Exception):
    """Not a command line this module vouches for: typer parses it."""


def _convert(value: str, kind: str, minimum: float | None, names: dict[str, Any]) -> Any:
    if not value or value.startswith("-"):
        raise _Decline
    if kind == "str":
        return value
    if kind == "path":
        return Path(value)
    if kind in ("int", "float"):
        match = _PLAIN_NUMBER.fullmatch(value)
        if not match or (kind == "int" and match.group(1)):
            raise _Decline
        number = int(value) if kind == "int" else float(value)
        if minimum is not None and number < minimum:
            raise _Decline  # typer's range message
        return number
    enum = names[kind]
    if value not in enum._value2member_map_:
        raise _Decline  # typer's choice message
    return enum(value)


def scan_arguments(argv: Sequence[str], scan: Callable[..., Any]) -> dict[str, Any] | None:
    """`scan`'s keyword arguments for `argv` (the words after the program name), or None
    when typer must parse it. Options left out keep `scan`'s defaults, as under typer."""
    if not argv or argv[0] != "scan" or any(k.endswith("_COMPLETE") for k in os.environ):
        return None
    if os.name == "nt":
        return None  # click expands wildcards in arguments there (cmd.exe does not)
    names = scan.__globals__  # scan_command's enums
    given: dict[str, Any] = {}
    paths: list[str] = []
    words = iter(argv[1:])
    try:
        for word in words:
            if word == "-" or not word.startswith("-"):
                paths.append(word)
                continue
            name, equals, value = word.partition("=")
            if name in _FLAGS and not equals:
                param, state = _FLAGS[name]
                given[param] = state
                continue
            if name not in _VALUE or (equals and not name.startswith("--")):
                raise _Decline
            param, kind, repeatable, minimum = _VALUE[name]
            if not equals:
                value = next(words, "")
            converted = _convert(value, kind, minimum, names)
            if repeatable:
                given.setdefault(param, []).append(converted)
            else:
                given[param] = converted  # the last one wins, as with click
    except _Decline:
        return None
    if not paths:
        return None  # typer's "missing argument" message
    return {"paths": paths, **given}


def run_scan(scan: Callable[..., int], arguments: dict[str, Any]) -> NoReturn:
    """Run `scan` and exit with the code it returns, as typer's standalone mode would: 130 on
    Ctrl-C, "Aborted!" and 1 at the end of input, 1 on a closed pipe."""
    try:
        code = scan(**arguments)
    except EOFError:
        print(file=sys.stderr)
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        try:  # what typer's standalone mode wraps them in (its vendored click's)
            from typer._click.utils import PacifyFlushWrapper
        except ImportError:
            from click.utils import PacifyFlushWrapper

        sys.stdout = PacifyFlushWrapper(sys.stdout)  # type: ignore[assignment]
        sys.stderr = PacifyFlushWrapper(sys.stderr)  # type: ignore[assignment]
        sys.exit(1)
    sys.exit(code)
