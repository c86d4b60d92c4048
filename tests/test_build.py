"""Whole-site builds with MkDocs: plain `mkdocs build`, `tmrc build`, atomic publishing,
reproducibility, leaks, links and the XSS oracle on the built HTML."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from conftest import REPO, SMALL, build, run_tmrc, tmrc_env
from hostile import hostile_catalog
from htmlscan import elements, findings

pytestmark = pytest.mark.slow
CANARIES = ("CANARY-PATH-7f3a", "CANARY-URL-9b2c", "0badc0de7f3a9b2c")


def snapshot(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_plain_mkdocs_build_strict_builds_the_complete_site(tmp_path):
    env = tmrc_env() | {"TMRC_CATALOG": str(SMALL)}
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for page in (
        "index.html",
        "datasets/index.html",
        "datasets/alpha/index.html",
        "datasets/beta/index.html",
        "fields/index.html",
        "membership/index.html",
        "membership/apply/index.html",
        "membership/faq/index.html",
        "whats-new/index.html",
        "maintainers/index.html",
        "datasets/alpha/datapackage.json",
        "catalog.json",
        "feed.xml",
        "sitemap.xml",
        "pagefind/pagefind.js",
    ):
        assert (site / page).is_file(), page
    assert not (tmp_path / "site.partial").exists()


def test_every_page_has_the_csp_first_in_head(small_site):
    for page in html_files(small_site):
        text = page.read_text(encoding="utf-8")
        head = re.search(r"<head[^>]*>\s*(<[^>]+>)", text)
        assert head and 'http-equiv="Content-Security-Policy"' in head.group(1), page
        policy = re.search(r'content="([^"]+)"', head.group(1)).group(1)
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        hashes = set(re.findall(r"'(sha256-[^']+)'", policy))
        for tag, attrs in elements(text):
            if tag == "script" and "src" in attrs:
                assert not urlsplit(attrs["src"]).netloc, f"{page}: script from another host"
        assert len(hashes) >= 1


def test_failed_build_keeps_the_previous_site(tmp_path, small_catalog):
    site = tmp_path / "site"
    assert build(small_catalog, site).returncode == 0
    before = snapshot(site)
    alpha = small_catalog / "datasets" / "alpha" / "datapackage.yaml"
    alpha.write_text(alpha.read_text().replace("catalog:access: members", "catalog:access: nobody"))
    result = build(small_catalog, site)
    assert result.returncode == 1
    assert "tier-unknown" in result.stdout and "nothing was built" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(site) == before


def test_strict_warning_keeps_the_previous_site(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "docs", project / "docs")
    site = tmp_path / "site"
    args = (
        "build",
        "--catalog",
        str(SMALL),
        "--site-dir",
        str(site),
        "--config-file",
        str(project / "mkdocs.yml"),
    )
    assert run_tmrc(*args).returncode == 0
    before = snapshot(site)
    (project / "docs" / "maintainers" / "index.md").write_text("# Broken\n\n[gone](missing-page.md)\n")
    result = run_tmrc(*args)
    assert result.returncode == 1
    assert "missing-page.md" in result.stderr and "previous site was kept" in result.stderr
    assert snapshot(site) == before


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a" / "site", tmp_path / "b" / "site"
    assert build(SMALL, first).returncode == 0
    assert build(SMALL, second).returncode == 0
    assert snapshot(first) == snapshot(second)


def _variants(token: str) -> list[str]:
    return [token, token.replace("/", "\\/"), html.escape(token), quote(token), quote(token, safe="")]


def test_no_restricted_location_anywhere_in_the_site(small_site):
    for path in sorted(small_site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if "pagefind" in path.parts:  # Pagefind stores its index gzip-compressed
            with contextlib.suppress(OSError):
                data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        for token in CANARIES:
            for variant in _variants(token):
                assert variant not in text, f"{token} leaked into {path.relative_to(small_site)}"


def test_no_restricted_location_in_the_build_log(tmp_path):
    result = build(SMALL, tmp_path / "site")
    assert result.returncode == 0
    for token in CANARIES:
        assert token not in result.stdout + result.stderr


def test_no_descriptor_is_copied_verbatim(small_site):
    sources = {hashlib.sha256(p.read_bytes()).hexdigest() for p in SMALL.rglob("*") if p.is_file()}
    for path in small_site.rglob("*"):
        if path.is_file():
            assert path.suffix not in (".yaml", ".yml"), path
            assert hashlib.sha256(path.read_bytes()).hexdigest() not in sources, path


def _ids(page: Path, cache: dict[Path, set[str]]) -> set[str]:
    if page not in cache:
        text = page.read_text(encoding="utf-8")
        cache[page] = {attrs["id"] for _, attrs in elements(text) if attrs.get("id")}
        cache[page] |= {attrs["name"] for tag, attrs in elements(text) if tag == "a" and attrs.get("name")}
    return cache[page]


def broken_links(site: Path) -> list[str]:
    """Every internal href/src in every page resolves to a file, and every #anchor to an id."""
    broken = []
    cache: dict[Path, set[str]] = {}
    for page in html_files(site):
        for tag, attrs in elements(page.read_text(encoding="utf-8")):
            for attribute in ("href", "src"):
                target = attrs.get(attribute)
                if not target or (
                    tag == "link" and attrs.get("rel") in ("canonical", "alternate") and "//" in target
                ):
                    continue
                parts = urlsplit(target)
                if parts.scheme or parts.netloc:
                    continue
                if parts.path.startswith("/"):  # root-relative (the 404 page): the site is served at /
                    resolved = (site / unquote(parts.path).lstrip("/")).resolve()
                else:
                    resolved = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                if resolved.is_dir():
                    resolved = resolved / "index.html"
                if not resolved.is_file():
                    broken.append(f"{page.relative_to(site)}: {target}")
                    continue
                if (
                    parts.fragment
                    and resolved.suffix == ".html"
                    and parts.fragment not in _ids(resolved, cache)
                ):
                    broken.append(f"{page.relative_to(site)}: {target} (no such anchor)")
    return broken


def test_internal_links_resolve_in_the_small_site(small_site):
    assert broken_links(small_site) == []


def test_internal_links_resolve_in_the_shipped_site(shipped_site):
    assert broken_links(shipped_site) == []


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    catalog = hostile_catalog(base / "catalog")
    result = build(catalog, base / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "site"


def _content(text: str) -> str:
    match = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', text, re.S)
    return match.group(1) if match else ""


def test_hostile_text_builds_into_inert_pages(hostile_site):
    pages = html_files(hostile_site)
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        # anywhere in the page: no event handler, no dangerous URL, no foreign script
        problems = [
            f
            for f in findings(text, allowed_elements={"script", "meta", "link", "svg", "form", "input"})
            if "protocol-relative" not in f or "canonical" not in f
        ]
        assert problems == [], f"{page.relative_to(hostile_site)}: {problems}"
        # in the content (where descriptor text lands): only data scripts, no markup from payloads
        content = _content(text)
        for tag, attrs in elements(content):
            ours = (tag == "script" and attrs.get("type") == "application/ld+json") or (
                tag == "form" and attrs.get("id") == "dataset-filters"  # the browser's own filter form
            )
            assert ours or tag not in {"script", "iframe", "img", "svg", "meta", "form", "style"}, (
                f"{page}: <{tag}> in content"
            )
        # the frame: the <title> holds escaped text only, and <head> has no script from the catalog
        title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
        assert "<" not in title, f"{page}: markup in <title>"
        head = text.split("</head>", 1)[0]
        assert all(tag != "script" or "src" in attrs or not attrs for tag, attrs in elements(head))
        assert "alert" not in "".join(re.findall(r"<script>(.*?)</script>", head, re.S))


def test_json_ld_cannot_break_out_of_its_script(hostile_site):
    for page in html_files(hostile_site):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            json.loads(block)  # a payload closing the script early would make this invalid
            assert "<" not in block
