"""`--changed-since REF`: keep only the files a git commit range touched.

`REF` alone (a commit, branch or tag) means everything that differs between it and the working
tree: committed, staged and unstaged changes, and new files git does not ignore. `A..B` and
`A...B` are passed to `git diff` as they are (commits only, the working tree is not looked at).
Deleted files are not scanned, they have nothing left to check.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from markcheck.discover import Candidate

GIT_TIMEOUT_S = 60


class ChangesError(ValueError):
    """git could not answer (not a repository, unknown ref): a usage error."""


def _git(args: Sequence[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChangesError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        raise ChangesError(f"git {' '.join(args[:2])}: {done.stderr.strip()}")
    return done.stdout


def changed_paths(ref: str, cwd: str | os.PathLike[str] = ".") -> set[str]:
    """Real paths of the files added, copied, modified or renamed since `ref`."""
    where = Path(cwd)
    top = Path(_git(["rev-parse", "--show-toplevel"], where).strip())
    names = _git(["diff", "--name-only", "--no-renames", "--diff-filter=d", "-z", ref, "--"], top)
    listed = names.split("\0")
    if ".." not in ref:
        listed += _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0")
    return {os.path.realpath(top / name) for name in listed if name}


def keep_changed(
    candidates: list[Candidate], ref: str, cwd: str | os.PathLike[str] = "."
) -> list[Candidate]:
    """The candidates whose file changed since `ref`."""
    changed = changed_paths(ref, cwd)
    return [c for c in candidates if os.path.realpath(c.path) in changed]
