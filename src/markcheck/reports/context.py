"""What some reports need beyond the ScanResult: the rules' texts, where files live, policy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markcheck.rules.packs import Pack, Rule

DEFAULT_FAIL_ON = frozenset({"noncompliant", "error"})


def _nowhere(rel: str) -> Path | None:
    return None


@dataclass(frozen=True)
class ReportContext:
    packs: Sequence[Pack] = ()  # the packs the scan ran (rule titles, clauses, docs)
    locate: Callable[[str], Path | None] = _nowhere  # scan-relative path -> file on disk
    fail_on: frozenset[str] = DEFAULT_FAIL_ON  # statuses that fail the run (exit code 1)
    rules: dict[str, tuple[Pack, Rule]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {rule.id: (pack, rule) for pack in self.packs for rule in pack.rules}
        object.__setattr__(self, "rules", index)

    def rule(self, rule_id: str) -> tuple[Pack, Rule] | None:
        return self.rules.get(rule_id)


def locate_under(inputs: Sequence[str | Path]) -> Callable[[str], Path | None]:
    """Map a scan-relative path back to its file, given the paths the scan was run on."""
    from markcheck.discover import scan_base

    roots = [Path(item) for item in inputs]
    base = scan_base(inputs)

    def locate(rel: str) -> Path | None:
        if base is not None and (base / rel).is_file():  # several inputs: see scan_base
            return base / rel
        for root in roots:
            if root.is_dir():
                candidate = root / rel
                if candidate.is_file():
                    return candidate
            elif root.as_posix() == rel and root.is_file():
                return root
        return None

    return locate
