"""What a renderer returns, and the Jinja environment every renderer shares.

A generated page is HTML made by our templates (autoescaped), plus the title and
description MkDocs and Material put into the page frame. MkDocs never parses the
body as Markdown: the adapter swaps it in after MkDocs' Markdown pass, so no
Markdown extension ever sees descriptor text.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
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
class Page:
    src_uri: str  # where MkDocs believes the page lives, e.g. 'datasets/ira/index.md'
    title: str  # plain text
    description: str  # plain text
    body: str  # HTML
    toc: tuple[TocEntry, ...] = ()
    anchors: frozenset[str] = frozenset()
    hide: tuple[str, ...] = ()  # Material sidebars to hide: 'navigation', 'toc'
    # Pages reached from an index page (datasets, per-field lists) stay out of the
    # navigation: listing thousands of them would write them into every page.
    in_nav: bool = True

    @property
    def url(self) -> str:
        """The directory URL MkDocs gives this page (use_directory_urls)."""
        path = self.src_uri[:-3]
        if path == "index" or path.endswith("/index"):
            path = path[:-5]
        return path + "/" if path else ""

    def markdown(self) -> str:
        """The Markdown source MkDocs reads: front matter only, every value escaped.

        Material writes page.meta.title and .description into the HTML frame without
        escaping, so they are escaped here, and JSON-quoted so YAML reads them as text.
        """
        # ASCII with \u escapes: no character can end the YAML scalar or the line early.
        title = json.dumps(html.escape(self.title), ensure_ascii=True)
        description = json.dumps(html.escape(self.description), ensure_ascii=True)
        hide = f"hide: {json.dumps(list(self.hide))}\n" if self.hide else ""
        return f"---\ntitle: {title}\ndescription: {description}\n{hide}---\n"


@dataclass(frozen=True)
class StaticFile:
    path: str
    content: str


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
    """A link from the page at directory URL `from_url` to site path `to_url`."""
    anchor = ""
    if "#" in to_url:
        to_url, anchor = to_url.split("#", 1)
        anchor = "#" + anchor
    if not to_url:
        return anchor or "./"
    start = from_url.rstrip("/") or "."
    target = posixpath.relpath(to_url.rstrip("/") or ".", start)
    if to_url.endswith("/") and target != ".":
        target += "/"
    return ("./" if target == "." else target) + anchor


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
    **context: Any,
) -> Page:
    """Render a template into a Page, with its table of contents and anchors read back."""
    url = Page(src_uri, "", "", "").url

    def link(target: str) -> str:
        return relative_url(url, target)

    body = environment().get_template(template).render(link=link, page_url=url, **context)
    toc = tuple(
        TocEntry(int(level), anchor, html.escape(html.unescape(_TAG.sub("", inner)).strip()))
        for level, anchor, inner in _HEADING.findall(body)
    )
    return Page(src_uri, title, description, body, toc, frozenset(_ID.findall(body)), hide, in_nav)
