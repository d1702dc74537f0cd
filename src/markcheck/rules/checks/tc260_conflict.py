"""Do a file's TC260 labels contradict each other (`cn.implicit.conflict`)?"""

from __future__ import annotations

from typing import Any

from markcheck.model import Evidence, TC260Label
from markcheck.readers.tc260 import DUPLICATE, KNOWN_KEYS, field
from markcheck.rules.registry import (
    CheckContext,
    CheckResult,
    check,
    failed,
    not_applicable,
    passed,
)


def _content(label: TC260Label) -> tuple:
    """What a label says: its Annex E fields (any key spelling), or its raw text if unparsed."""
    if label.label is None:
        return ("raw", label.raw.strip())
    return tuple((key, str(field(label.label, key) or "")) for key in KNOWN_KEYS)


@check("cn.implicit.conflict")
def implicit_conflict(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    """The file's implicit labels do not contradict each other (GB 45438-2025 §6.1 c).

    GB 45438 allows one label per file; two that disagree (XMP says Label "1", EXIF says
    "2"), or one that gives a key twice with different values, leave the file's status
    undefined: readers pick either. Labels that agree are left to `cn.implicit.single`.
    """
    found = evidence.implicit.tc260
    if not found:
        return not_applicable("no AIGC label in the metadata")
    problems = [
        f"{label.carrier}: {deviation}"
        for label in found
        for deviation in label.deviations
        if deviation.startswith(DUPLICATE) and "DIFFERENT" in deviation
    ]
    contents = {_content(label) for label in found}
    if len(contents) > 1:
        says = "; ".join(
            f"{label.carrier} Label={field(label.label, 'Label')!r}"
            if label.label is not None
            else f"{label.carrier} unparsed {label.raw[:40]!r}"
            for label in found
        )
        problems.insert(0, f"{len(found)} labels that DIFFER ({says})")
    if problems:
        return failed("; ".join(problems))
    if len(found) > 1:
        return passed(f"{len(found)} labels, all identical")
    return passed("one label, nothing to contradict")
