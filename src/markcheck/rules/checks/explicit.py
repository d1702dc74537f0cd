"""Checks of the explicit (visible) label — placeholders until the visible-label detector lands."""

from __future__ import annotations

from typing import Any

from markcheck.model import Evidence
from markcheck.rules.registry import CheckContext, CheckResult, check, unknown

UNAVAILABLE = "the visible-label check is not available in this version"


def _unavailable(evidence: Evidence, params: dict[str, Any], ctx: CheckContext) -> CheckResult:
    return unknown(evidence.unavailable.get("explicit", UNAVAILABLE))


for _name in ("present", "wording", "position", "size", "legible", "video.start", "video.duration"):
    check(f"cn.explicit.{_name}", needs=("explicit",))(_unavailable)
