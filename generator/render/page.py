"""What a renderer returns, and the Jinja environment every renderer shares.

A generated page is HTML made by our templates (autoescaped), plus the title and
description MkDocs and Material put into the page frame. MkDocs never parses the
body as Markdown: the adapter swaps it in after MkDocs' Markdown pass, so no
Markdown extension ever sees descriptor text.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..viewmodel import slug

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_ID = re.compile(r'\sid="([^"]+)"')
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str  # HTML-escaped text, as MkDocs' toc extension would give it


@dataclass(frozen=True)
class _Rendered:
    # The HTML, compressed: MkDocs reads every page before it writes any, and thousands
    # of pages of 60 KB each would otherwise all sit in memory at once.
    compressed: bytes
    toc: tuple[TocEntry, ...]
    anchors: frozenset[str]


class Page:
    """A generated page: what MkDocs needs to list it, and its body, rendered on demand.

    Rendering waits until MkDocs asks for the page, and `release()` drops the HTML
    once it is written, so a build of thousands of datasets never holds every page
    in memory at once.
    """

    def __init__(
        self,
        src_uri: str,
        title: str,
        description: str,
        template: str,
        context: dict[str, Any],
        hide: tuple[str, ...] = (),
        in_nav: bool = True,
        input_digest: str | None = None,
    ) -> None:
        self.src_uri = src_uri  # where MkDocs believes the page lives, e.g. 'datasets/ira/index.md'
        self.title = title  # plain text
        self.description = description  # plain text
        self.template = template
        self.context = context
        self.hide = hide  # Material sidebars to hide: 'navigation', 'toc'
        # Pages reached from an index page (datasets, per-field lists) stay out of the
        # navigation: listing thousands of them would write them into every page.
        self.in_nav = in_nav
        # A digest of everything the page is made from, if known: equal digests, equal pages.
        self.input_digest = input_digest
        self._rendered: _Rendered | None = None

    @property
    def url(self) -> str:
        """The directory URL MkDocs gives this page (use_directory_urls)."""
        return page_url(self.src_uri)

    def markdown(self) -> str:
        """The Markdown source MkDocs reads: front matter only, every value escaped.

        Material writes page.meta.title and .description into the HTML frame without
        escaping, so they are escaped here, and JSON-quoted so YAML reads them as text.
        """
        # Not ensure_ascii: JSON writes a character beyond U+FFFF as a surrogate pair of
        # escapes, which YAML does not join; the front matter would then fail to parse and
        # MkDocs would read it as Markdown. The reader refuses the characters that could
        # end the scalar or the line early (controls, U+2028, U+2029 in keys).
        title = json.dumps(html.escape(self.title), ensure_ascii=False)
        description = json.dumps(html.escape(self.description), ensure_ascii=False)
        hide = f"hide: {json.dumps(list(self.hide))}\n" if self.hide else ""
        return f"---\ntitle: {title}\ndescription: {description}\n{hide}---\n"

    def _render(self) -> _Rendered:
        if self._rendered is None:
            url = self.url

            def link(target: str) -> str:
                return relative_url(url, target)

            body = environment().get_template(self.template).render(link=link, page_url=url, **self.context)
            toc = tuple(
                TocEntry(int(level), anchor, html.escape(html.unescape(_TAG.sub("", inner)).strip()))
                for level, anchor, inner in _HEADING.findall(body)
            )
            compressed = zlib.compress(body.encode("utf-8"), 1)
            self._rendered = _Rendered(compressed, toc, frozenset(_ID.findall(body)))
        return self._rendered

    @property
    def body(self) -> str:
        return zlib.decompress(self._render().compressed).decode("utf-8")

    @property
    def toc(self) -> tuple[TocEntry, ...]:
        return self._render().toc

    @property
    def anchors(self) -> frozenset[str]:
        return self._render().anchors

    def release(self) -> None:
        """Forget the rendered HTML (it is rendered again if asked for)."""
        self._rendered = None


def page_url(src_uri: str) -> str:
    """'datasets/ira/index.md' -> 'datasets/ira/'; 'whats-new.md' -> 'whats-new/'; 'index.md' -> ''."""
    path = src_uri.removesuffix(".md")
    if path == "index" or path.endswith("/index"):
        return path.removesuffix("index")
    return path + "/"


class StaticFile:
    """A generated file other than a page (JSON, XML), produced when it is written."""

    def __init__(self, path: str, content: str | Callable[[], str]) -> None:
        self.path = path
        self._content = content

    @property
    def content(self) -> str:
        return self._content() if callable(self._content) else self._content


@dataclass
class SiteOutput:
    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, StaticFile] = field(default_factory=dict)

    def add(self, item: Page | StaticFile) -> None:
        if isinstance(item, Page):
            self.pages[item.src_uri] = item
        else:
            self.files[item.path] = item


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at directory URL `from_url` to the site path `to_url`.

    Every page is a directory URL, so going up to the site root and down again is
    always right; it is also far cheaper than computing the shortest path, which
    matters on index pages with tens of thousands of links.
    """
    if to_url.startswith("#"):
        return to_url
    up = "../" * from_url.count("/")
    return up + to_url if up or to_url else "./"


def json_for_html(value: Any) -> Markup:
    """JSON safe inside <script type="application/ld+json">: no '<', '>' or '&' survive."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["json_for_html"] = json_for_html
    env.filters["number"] = lambda v: f"{int(v):,}"
    env.filters["slug"] = slug
    return env


def make_page(
    src_uri: str,
    title: str,
    description: str,
    template: str,
    hide: tuple[str, ...] = (),
    in_nav: bool = True,
    input_digest: str | None = None,
    **context: Any,
) -> Page:
    """A page of the site, rendered from `template` with `context` when it is first needed."""
    return Page(src_uri, title, description, template, context, hide, in_nav, input_digest)


def templates_fingerprint() -> str:
    """Names, sizes and modification times of the templates: part of every page's inputs."""
    stats = [(p.name, p.stat()) for p in sorted(TEMPLATES.glob("*.j2"))]
    parts = [f"{name}:{stat.st_size}:{stat.st_mtime_ns}" for name, stat in stats]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()
