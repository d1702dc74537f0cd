"""One `markcheck scan` run's settings: configuration + flags, outputs, waivers, report context."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markcheck.config_file import Config, ConfigError, load_config, override
from markcheck.model import ScanResult
from markcheck.outputs import OutputError, Target, plan, streaming_sink, write_reports
from markcheck.reports.context import ReportContext, locate_under
from markcheck.rules.packs import PackError, prepare_packs
from markcheck.scan_options import PREVIEW_MAX_SIDE
from markcheck.trust import TrustError
from markcheck.waivers import WaiverError, WaiverSet, load_waivers

# Errors that are the user's configuration, not a file's: exit code 2.
USAGE_ERRORS = (ConfigError, OutputError, WaiverError, PackError, TrustError)


@dataclass
class Run:
    config: Config
    paths: Sequence[str]
    targets: list[Target]
    sink: Any
    waivers: WaiverSet | None

    def context(self) -> ReportContext:
        settings = self.config
        packs = prepare_packs(
            settings["rules"], settings["select"], settings["ignore"], settings["thresholds"]
        )
        return ReportContext(
            packs=packs, locate=locate_under(self.paths), fail_on=frozenset(settings["fail_on"])
        )

    @property
    def preview_side(self) -> int:
        """Thumbnail size the scan should make (0: no requested report shows pictures)."""
        return PREVIEW_MAX_SIDE if any(t.format == "html" for t in self.targets) else 0

    def finish(self, result: ScanResult) -> None:
        """Write the reports not streamed yet; say which waivers have expired."""
        write_reports(result, self.targets, self.context(), streamed=self.sink is not None)
        for waiver in sorted(self.waivers.expired_hits if self.waivers else (), key=str):
            print(
                f"markcheck: waiver expired on {waiver.expires} and no longer applies: "
                f"{waiver.path} {waiver.rule} ({waiver.reason})",
                file=sys.stderr,
            )
        for waiver in self.waivers.unused() if self.waivers else ():
            print(
                f"markcheck: waiver matched no finding in this scan: {waiver.path} "
                f"{waiver.rule} ({waiver.where})",
                file=sys.stderr,
            )


def prepare(
    paths: Sequence[str],
    flags: Mapping[str, Any],
    output: Path | None,
    config_path: Path | None,
) -> Run:
    """Settle the configuration (flags over file over defaults) and what to write where."""
    config = override(load_config(config_path), flags)
    # Packs and [thresholds] are checked against the checks' declared parameters now, before
    # the first file, with the file that set them named in the message.
    packs = prepare_packs(
        config["rules"],
        (),
        (),
        config["thresholds"],
        f"{config.sources['thresholds']} [thresholds]",
    )
    output_dir = config["output_dir"]
    targets = plan(config["format"], output, Path(output_dir) if output_dir else None)
    waivers = WaiverSet(load_waivers(config["waivers"])) if config["waivers"] else None
    if waivers is not None:
        waivers.check_rules([rule.id for pack in packs for rule in pack.rules])
    return Run(config, paths, targets, streaming_sink(targets), waivers)
