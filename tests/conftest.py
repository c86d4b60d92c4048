"""Shared fixtures: copies of the test catalogs, and the real CLI run as a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SMALL = FIXTURES / "catalogs" / "small"
SHARED = REPO.parent / "shared"  # the team's shared folder, when this checkout has one beside it


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def small_catalog(tmp_path: Path) -> Path:
    """A private copy of the small test catalog, free to break."""
    target = tmp_path / "catalog"
    shutil.copytree(SMALL, target)
    return target


def tmrc_env() -> dict[str, str]:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = "1714521600"  # fixed, so builds can be compared byte for byte
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["DISABLE_MKDOCS_2_WARNING"] = "true"
    env.pop("TMRC_CATALOG", None)
    env.pop("TMRC_SITE_URL", None)
    return env


def run_tmrc(*args: str, cwd: Path = REPO, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a maintainer would."""
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        env=tmrc_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def build(catalog: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    return run_tmrc("build", "--catalog", str(catalog), "--site-dir", str(site_dir))


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small catalog built once with `tmrc build`, shared by read-only tests."""
    site = tmp_path_factory.mktemp("small") / "site"
    result = build(SMALL, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalog built once, for tests that read the real site."""
    site = tmp_path_factory.mktemp("shipped") / "site"
    result = build(REPO / "catalog", site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no downloaded browser builds)."""
    from browser import CHROMIUM_ARGS, chromium_path
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()
