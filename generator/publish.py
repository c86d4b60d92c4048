"""After MkDocs has written the pages: index them for search, then publish atomically.

MkDocs empties `site_dir` before it builds. The plugin therefore points MkDocs
at a staging folder next to the real one and swaps the two only when the build,
the search index and the checks have all succeeded: a failed build never
replaces the last good site.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pagefind_bin


class PublishError(Exception):
    pass


def staging_dir(site_dir: Path) -> Path:
    return site_dir.with_name(site_dir.name + ".partial")


def index_search(site_dir: Path) -> None:
    """Build the Pagefind index (a chunked, static search index) inside the site."""
    command = [str(pagefind_bin.get_executable()), "--site", str(site_dir), "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PublishError(f"the search indexer could not run: {exc}") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise PublishError("the search indexer failed:\n" + "\n".join(detail))


def swap_into_place(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by staging with two renames, so readers never see a half-built site."""
    previous = site_dir.with_name(site_dir.name + ".previous")
    if previous.exists():
        shutil.rmtree(previous)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    if previous.exists():
        shutil.rmtree(previous)
