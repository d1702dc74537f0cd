"""Waivers: accepted exceptions to rules, kept in the report with their reason.

A waiver file is YAML:

    waivers:
      - path: "delivered/user-1234/*.png"   # scan-relative path or glob (fnmatch; * crosses /)
        rule: cn.explicit.present            # a rule id or an id prefix such as cn.explicit
        reason: "CAC Measures Art. 9: user asked for an unlabeled copy under the agreement"
        expires: 2027-06-30                  # optional; the waiver applies through this day
                                             # or through a time: 2027-06-30 10:00 (local
                                             # time; with +08:00 or Z, that zone)

Rule ids are checked against the scan's packs before the first file (a mistyped id is an
error, exit 2); waivers that matched no finding are listed at the end of the scan.

A matching unexpired waiver marks the finding waived (it then counts as a pass when the file's
status is folded, see verdict.file_status). An expired waiver still marks the finding, with
`expired: true`, but no longer changes its weight.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

from markcheck.model import FileResult, Finding, WaiverMark
from markcheck.verdict import file_status


class WaiverError(ValueError):
    """A waiver file cannot be read or is malformed (a configuration error: exit code 2)."""


@dataclass(frozen=True)
class Waiver:
    path: str
    rule: str
    reason: str
    expires: dt.date | None = None  # a date (through that day) or a datetime (until then)
    where: str = field(default="", compare=False)  # "file waiver #N", for messages

    def covers_rule(self, rule: str) -> bool:
        return rule == self.rule or rule.startswith(self.rule.rstrip(".") + ".")

    def matches(self, path: str, rule: str) -> bool:
        return self.covers_rule(rule) and (path == self.path or fnmatchcase(path, self.path))

    def expired(self, today: dt.date, now: dt.datetime | None = None) -> bool:
        if isinstance(self.expires, dt.datetime):
            zone = self.expires.tzinfo
            moment = now or dt.datetime.now(dt.timezone.utc)
            moment = moment.astimezone(zone) if zone else moment.astimezone().replace(tzinfo=None)
            return moment > self.expires
        return self.expires is not None and today > self.expires


def _date(value: object, where: str) -> dt.date | None:
    """A date, or a date with a time (YAML may have parsed either already)."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise WaiverError(
            f"{where}: expires {value!r} is not a date (YYYY-MM-DD) or a date and time "
            "(YYYY-MM-DD HH:MM)"
        ) from None


def parse_waivers(data: object, source: str = "waivers") -> list[Waiver]:
    entries = data.get("waivers") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise WaiverError(f"{source}: expected a list of waivers (under 'waivers:')")
    waivers = []
    for number, entry in enumerate(entries, 1):
        where = f"{source} waiver #{number}"
        if not isinstance(entry, dict):
            raise WaiverError(f"{where}: each waiver must be a mapping")
        missing = [key for key in ("path", "rule", "reason") if not entry.get(key)]
        if missing:
            raise WaiverError(f"{where}: missing {', '.join(missing)}")
        extra = set(entry) - {"path", "rule", "reason", "expires"}
        if extra:
            raise WaiverError(f"{where}: unknown keys {sorted(extra)}")
        waivers.append(
            Waiver(
                str(entry["path"]),
                str(entry["rule"]),
                str(entry["reason"]),
                _date(entry.get("expires"), where),
                where,
            )
        )
    return waivers


def load_waivers(path: str | Path) -> list[Waiver]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise WaiverError(f"cannot read waiver file {path}: {exc}") from exc
    return parse_waivers(data, str(path))


class WaiverSet:
    """Applies waivers to results as they come; remembers which expired waivers were hit."""

    def __init__(
        self, waivers: list[Waiver], today: dt.date | None = None, now: dt.datetime | None = None
    ) -> None:
        self.waivers = waivers
        self.today = today or dt.date.today()
        self.now = now
        self.expired_hits: set[Waiver] = set()
        self.used: set[Waiver] = set()

    def check_rules(self, rule_ids: list[str]) -> None:
        """Every waiver must name a rule (or id prefix) of the scan's packs: a mistyped id
        would otherwise never apply, and nobody would be told."""
        for waiver in self.waivers:
            if not any(waiver.covers_rule(rule) for rule in rule_ids):
                raise WaiverError(
                    f"{waiver.where or 'waiver'}: rule {waiver.rule!r} is no rule of the packs "
                    "of this scan (see `markcheck rules list`)"
                )

    def unused(self) -> list[Waiver]:
        """Waivers that matched no failing or undecided finding in this scan."""
        return [w for w in self.waivers if w not in self.used]

    def summary(self) -> dict:
        """For the report's audit record."""
        return {
            "count": len(self.waivers),
            "unused": [{"path": w.path, "rule": w.rule} for w in self.unused()],
            "expired_hits": [{"path": w.path, "rule": w.rule} for w in self.expired_hits],
        }

    def _mark(self, path: str, finding: Finding) -> Finding:
        if finding.outcome not in ("fail", "unknown"):
            return finding
        # An applicable waiver wins over an expired one for the same finding.
        hits = sorted(
            (w for w in self.waivers if w.matches(path, finding.rule)),
            key=lambda w: w.expired(self.today, self.now),
        )
        if not hits:
            return finding
        self.used.update(hits)
        waiver = hits[0]
        expired = waiver.expired(self.today, self.now)
        if expired:
            self.expired_hits.add(waiver)
        expires = waiver.expires.isoformat() if waiver.expires else None
        mark = WaiverMark(waiver.reason, waiver.path, expires, expired)
        return dataclasses.replace(finding, waiver=mark)

    def apply(self, result: FileResult) -> FileResult:
        """The result with matching findings marked and its status folded again."""
        if not self.waivers or result.error is not None:
            return result
        findings = [self._mark(result.path, f) for f in result.findings]
        if all(new is old for new, old in zip(findings, result.findings, strict=True)):
            return result
        return dataclasses.replace(result, findings=findings, status=file_status(findings))
