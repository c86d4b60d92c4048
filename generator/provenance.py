"""Which commit a site was built from, read from git (so two builds of one commit agree)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Provenance:
    commit: str  # full hash, '' when unknown
    date: str  # the commit's date, YYYY-MM-DD
    dirty: bool  # tracked files changed since the commit

    @property
    def short(self) -> str:
        return self.commit[:10]


def _git(folder: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def read_provenance(folder: Path) -> Provenance:
    commit = _git(folder, "rev-parse", "HEAD") or ""
    date = (_git(folder, "log", "-1", "--format=%cs") or "") if commit else ""
    status = _git(folder, "status", "--porcelain", "--untracked-files=no") if commit else None
    return Provenance(commit=commit, date=date, dirty=bool(status))
