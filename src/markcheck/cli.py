"""The `markcheck` command line: scan, label, rules list/show, config show, explain, version.

The usual scan command line is parsed and run without typer (markcheck.cli_fast,
markcheck.scan_command): its import is a fifth of a small scan's start-up. Any other goes to
typer (markcheck.cli_app). Exit codes: markcheck.scan_command.
"""

from __future__ import annotations

import sys


def main() -> None:
    from markcheck.cli_fast import run_scan, scan_arguments
    from markcheck.scan_command import run

    arguments = scan_arguments(sys.argv[1:], run)  # the usual scan line, without typer
    if arguments is not None:
        run_scan(run, arguments)
    from markcheck.cli_app import app

    app()


if __name__ == "__main__":
    main()
