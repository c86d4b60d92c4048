"""Whole-site builds with MkDocs: plain `mkdocs build`, `tmrc build`, atomic publishing,
reproducibility, leaks, links and the XSS oracle on the built HTML."""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
import yaml
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
    assert leaks([("mkdocs build", result.stdout + result.stderr)], CANARIES) == []
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
    """The token as any output could spell it: escaped for JSON, HTML or a URL, lower-cased (as
    Pagefind's index stores words), and base64 at each of the three byte alignments."""
    spellings = [token, token.replace("/", "\\/"), html.escape(token), quote(token), quote(token, safe="")]
    spellings.append(token.lower())
    for offset, start in ((0, 0), (1, 2), (2, 3)):  # characters that still carry prefix bits
        encoded = base64.b64encode(b"\0" * offset + token.encode()).decode()
        spellings.append(encoded[start:-4])
    return spellings


def site_texts(site: Path) -> Iterator[tuple[str, str]]:
    """Every file of the site as text, decompressed: `.gz` files and Pagefind's `.pf_*` files
    (its index, metadata and fragments are gzip streams). A file that should decompress and
    does not fails the test: a leak scan over compressed bytes would find nothing."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz" or path.suffix.startswith(".pf_"):
            data = gzip.decompress(data)
        yield path.relative_to(site).as_posix(), data.decode("utf-8", errors="replace")


def leaks(texts: Iterable[tuple[str, str]], tokens: Iterable[str]) -> list[str]:
    found = []
    for where, text in texts:
        for token in tokens:
            found += [f"{token} as {v!r} in {where}" for v in _variants(token) if v and v in text]
    return found


def test_no_restricted_location_anywhere_in_the_site(small_site):
    texts = list(site_texts(small_site))
    assert sum(1 for where, _ in texts if ".pf_" in where) >= 3, "Pagefind's index was not read"
    assert leaks(texts, CANARIES) == []


def test_no_restricted_location_in_the_build_log(tmp_path):
    result = build(SMALL, tmp_path / "site")
    assert result.returncode == 0
    validated = run_tmrc("validate", str(SMALL))
    assert validated.returncode == 0
    for run in (result, validated):
        assert leaks([("log", run.stdout + run.stderr)], CANARIES) == []


# More consortium-only locations than the small catalog has: a dataset restricted as a whole
# (its resources inherit the tier), a v1 `url`, a path list, a hash and inline data.
INHERITED = {
    "path": "restricted/CANARY-INHERIT-4d1e/gamma.csv",
    "url": "https://CANARY-V1URL-8c6f.example.org/gamma.zip",
    "hash": "md5:5a2bca11ab1e5a2b5a2b5a2b5a2b5a2b",
}
INHERITED_TOKENS = ("CANARY-INHERIT-4d1e", "CANARY-V1URL-8c6f", "5a2bca11ab1e")


@pytest.fixture(scope="module")
def inherited_site(tmp_path_factory) -> tuple[Path, str]:
    base = tmp_path_factory.mktemp("inherited")
    catalog = base / "catalog"
    shutil.copytree(SMALL, catalog)
    gamma = catalog / "datasets" / "gamma"
    gamma.mkdir()
    package = {
        "name": "gamma",
        "title": "Gamma network",
        "catalog:access": "members",
        "catalog:changelog": [{"version": "1", "date": "2024-02", "summary": "First release."}],
        "resources": [
            {
                "name": "files",
                "path": [INHERITED["path"], INHERITED["path"] + ".2"],
                "hash": INHERITED["hash"],
            },
            {"name": "archive", "url": INHERITED["url"], "profile": "data-resource"},
            {"name": "inline", "data": [{"secret": "CANARY-INHERIT-4d1e"}]},
        ],
    }
    (gamma / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    validated = run_tmrc("validate", str(catalog))
    built = build(catalog, base / "site")
    assert validated.returncode == 0 and built.returncode == 0, validated.stdout + built.stderr
    return base / "site", validated.stdout + validated.stderr + built.stdout + built.stderr


def test_inherited_and_v1_locations_never_reach_the_site_or_the_log(inherited_site):
    site, log = inherited_site
    assert (site / "datasets" / "gamma" / "index.html").is_file()
    assert leaks(site_texts(site), INHERITED_TOKENS) == []
    assert leaks([("log", log)], INHERITED_TOKENS) == []


# A consortium-only resource whose location is broken: validation must fail with a located
# problem that names the property, never the value (a CI log is public).
BROKEN_LOCATIONS = {
    "absolute": "/etc/CANARY-BROKEN-absolute/x.csv",
    "dotdot": "../CANARY-BROKEN-dotdot/x.csv",
    "file-scheme": "file:///CANARY-BROKEN-file-scheme/x",
    "s3": "s3://CANARY-BROKEN-s3/x",
    "home": "~/CANARY-BROKEN-home/x",
    "dot-slash": "./CANARY-BROKEN-dot-slash.csv",
    "backslash": "data\\CANARY-BROKEN-backslash.csv",
    "protocol-relative": "//CANARY-BROKEN-protocol-relative.example/x",
    "private-host": "https://10.0.0.1/CANARY-BROKEN-private-host.csv",
    "link-local": "http://169.254.169.254/CANARY-BROKEN-link-local",
    "local-name": "https://CANARY-BROKEN-local-name.internal/x",
    "credentials": "https://user:CANARY-BROKEN-credentials@example.org/x",
    "encoded-dots": "data/%2e%2e/CANARY-BROKEN-encoded-dots",
    "ftp": "ftp://CANARY-BROKEN-ftp.example.org/x",
    "list": ["/etc/CANARY-BROKEN-list.csv", "ok.csv"],
    "hash": "md5:CANARY-BROKEN-hash",  # a broken hash, on a resource whose path is fine
}


def _broken_resource(form: str) -> dict[str, object]:
    value = BROKEN_LOCATIONS[form]
    if form == "hash":
        return {"name": f"broken-{form}", "path": "ok.csv", "hash": value, "catalog:access": "members"}
    return {"name": f"broken-{form}", "path": value, "catalog:access": "members"}


@pytest.fixture(scope="module")
def broken_locations(tmp_path_factory) -> tuple[dict[str, int], str, str]:
    base = tmp_path_factory.mktemp("broken")
    catalog = base / "catalog"
    shutil.copytree(SMALL, catalog)
    alpha = catalog / "datasets" / "alpha" / "datapackage.yaml"
    package = yaml.safe_load(alpha.read_text(encoding="utf-8"))
    first = len(package["resources"])
    package["resources"] += [_broken_resource(form) for form in BROKEN_LOCATIONS]
    alpha.write_text(yaml.safe_dump(package, sort_keys=False), encoding="utf-8")
    lines = alpha.read_text(encoding="utf-8").splitlines()
    where = {
        form: (first + i, lines.index(f"- name: broken-{form}") + 1)
        for i, form in enumerate(BROKEN_LOCATIONS)
    }
    validated = run_tmrc("validate", str(catalog))
    built = build(catalog, base / "site")
    assert validated.returncode == 1 and built.returncode == 1
    assert not (base / "site").exists()
    return where, validated.stdout + validated.stderr, built.stdout + built.stderr


@pytest.mark.parametrize("form", sorted(BROKEN_LOCATIONS))
def test_broken_restricted_location_is_located(broken_locations, form):
    where, validate_log, build_log = broken_locations
    index, name_line = where[form]
    prop = "hash" if form == "hash" else "path"
    for log in (validate_log, build_log):
        located = [
            entry
            for entry in log.splitlines()
            if f"(at /resources/{index}/{prop}" in entry and "alpha/datapackage.yaml:" in entry
        ]
        assert located, f"{form}: no problem at /resources/{index}/{prop}"
        # the line of the property (or of a list item under it), inside the resource's own lines
        assert all(name_line <= int(entry.split(":")[1]) <= name_line + 4 for entry in located), located


# The official profile's own messages quote the value ("'…' does not match '^…$'");
# generator/validate.py reports location properties without it.
@pytest.mark.parametrize("form", sorted(BROKEN_LOCATIONS))
def test_broken_restricted_location_is_never_echoed(broken_locations, form):
    _, validate_log, build_log = broken_locations
    token = f"CANARY-BROKEN-{form}"
    assert leaks([("tmrc validate", validate_log), ("tmrc build", build_log)], [token]) == []


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
