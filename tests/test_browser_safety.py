"""In Chromium: hostile descriptor text never runs, and pages load nothing from other hosts."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import serve
from conftest import build
from hostile import hostile_catalog

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile-browser")
    catalog = hostile_catalog(base / "catalog")
    assert build(catalog, base / "site").returncode == 0
    return base / "site"


def visit_all(browser, site: Path) -> dict[str, list[str]]:
    """Open every page; collect dialogs, foreign requests, page errors and CSP violations."""
    from playwright.sync_api import Error

    report: dict[str, list[str]] = {
        "dialogs": [],
        "foreign": [],
        "errors": [],
        "csp": [],
        "pages": [],
        "navigation": [],
    }
    with serve(site) as base:
        origin = urlsplit(base).netloc
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda d: (report["dialogs"].append(d.message), d.dismiss()))
        page.on(
            "request",
            lambda r: (
                urlsplit(r.url).netloc not in ("", origin)
                and urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
                and report["foreign"].append(r.url)
            ),
        )
        page.on("pageerror", lambda e: report["errors"].append(str(e)))
        page.on("console", lambda m: "Content Security Policy" in m.text and report["csp"].append(m.text))
        for path in sorted(site.rglob("*.html")):
            url = base + path.relative_to(site).as_posix()
            try:
                page.goto(url, wait_until="load")
                page.mouse.move(200, 300)
                page.wait_for_timeout(50)
            except Error as error:  # e.g. a meta refresh that took the page elsewhere
                report["navigation"].append(f"{url}: {error.message.splitlines()[0]}")
                continue
            if page.url.split("#")[0] != url:
                report["navigation"].append(f"{url} moved to {page.url}")
            report["pages"].append(url)
        context.close()
    return report


def test_hostile_pages_open_no_dialog_and_request_nothing_foreign(browser, hostile_site):
    report = visit_all(browser, hostile_site)
    assert len(report["pages"]) >= 10
    assert report["navigation"] == []
    assert report["dialogs"] == []
    assert report["foreign"] == []
    assert report["csp"] == []


def test_hostile_text_is_shown_as_text(browser, hostile_site):
    with serve(hostile_site) as base:
        page = browser.new_page()
        page.goto(base + "datasets/alpha/")
        heading = page.locator("h1").first.inner_text()
        assert '<script>alert("s1")</script>' in heading or "alert" in heading
        assert page.title().startswith("Alpha network")
        page.close()


def test_shipped_site_requests_nothing_foreign_and_breaks_no_policy(browser, shipped_site):
    report = visit_all(browser, shipped_site)
    assert report["foreign"] == []
    assert report["csp"] == []
    assert report["errors"] == []
