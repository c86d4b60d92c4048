"""Descriptor text to safe HTML.

Descriptor text is untrusted. Markdown is rendered by a Python-Markdown instance
with every raw-HTML path removed (block HTML, inline HTML, images) and no
extensions (no attr_list, md_in_html, snippets or macros), then sanitized with nh3
against a short allowlist. Links keep http, https, mailto and relative targets;
protocol-relative and root-relative ones are dropped. Headings inside a
description are demoted below the page's own outline.

The output is inserted into pages after MkDocs' own Markdown pass, so nothing in a
descriptor is ever read by MkDocs' extensions.
"""

from __future__ import annotations

import html
import re
import signal
import threading
import time
import xml.etree.ElementTree as ET
from functools import lru_cache

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .limits import MAX_RENDER_SECONDS

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


class _DemoteHeadings(Treeprocessor):
    """h1-h3 in a description would compete with the page outline: make them h4-h6."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                element.tag = f"h{min(6, int(element.tag[1]) + 3)}"


def _new_markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    for name in ("html", "image_link", "image_reference", "short_image_ref"):
        md.inlinePatterns.deregister(name)
    md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)
    return md


_MD = _new_markdown()


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute != "href":
        return value
    # Judge the target as a lenient reader would: browsers skip leading C0 controls and spaces
    # and every tab and line break, so '\x01//host' is protocol-relative and 'java\tscript:' is
    # javascript:. Skipping every control and space is stricter still, and costs no real link.
    target = _URL_IGNORED.sub("", value)
    match = _SCHEME.match(target)
    if match:
        return value if match.group(1).lower() in ALLOWED_SCHEMES else None
    if target.startswith(("/", "\\")):
        return None  # protocol-relative (//host, /\host) or root-relative: never right here
    return value


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}},
        url_schemes=ALLOWED_SCHEMES,
        attribute_filter=_keep_attribute,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# One line of ordinary prose: no character Markdown gives a meaning to (inline markup,
# HTML, entities, escapes, headings), not starting like a list, quote, rule or indented
# code, no trailing space. Markdown renders such a text as <p>text</p>, and so do we,
# without the parser: most descriptor texts are like this (tests/test_richtext.py holds
# the two paths to the same output).
_PLAIN_PROSE = re.compile(r"[A-Za-z0-9](?:[^*_`\[\]<>&\\!#\n\r\t]*[^*_`\[\]<>&\\!#\s])?")
_ORDERED_ITEM = re.compile(r"\d+[.)](\s|$)")


def is_plain_prose(text: str) -> bool:
    return _PLAIN_PROSE.fullmatch(text) is not None and not _ORDERED_ITEM.match(text)


# Shared schemas repeat the same descriptions in every dataset: render each text once.
@lru_cache(maxsize=65536)
def markdown_html(text: str | None) -> Markup:
    """Render untrusted Markdown to sanitized HTML (block level)."""
    if not text:
        return Markup("")
    if is_plain_prose(text):
        return Markup(f"<p>{text}</p>")
    return Markup(sanitize(_markdown(text)))


def _markdown(text: str) -> str:
    global _MD
    try:
        _MD.reset()
        rendered = _convert(text)
    except _RenderTimeout:  # a pathological text: show it as text, with a fresh parser
        _MD = _new_markdown()
        rendered = "<p>" + html.escape(text) + "</p>"
    except Exception:  # a parser bug must not break the build: show the text instead
        rendered = "<p>" + html.escape(text) + "</p>"
    return rendered


class _RenderTimeout(BaseException):
    """Raised by the timer; a BaseException so that no `except Exception` inside Markdown eats it."""


def _on_timer(signum: int, frame: object) -> None:
    raise _RenderTimeout


def _convert(text: str) -> str:
    """Python-Markdown, stopped after MAX_RENDER_SECONDS.

    Validation bounds length and nesting, but some shapes within those bounds are still
    quadratic in Python-Markdown (20,000 characters of mismatched code spans take seconds;
    setext headings and rules, about half that). The timer is the last bound: such a text
    is shown as plain text. A timer needs the main thread (where builds run); elsewhere the
    text is rendered without one.
    """
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return _MD.convert(text)
    previous = signal.signal(signal.SIGALRM, _on_timer)
    outer, interval = signal.setitimer(signal.ITIMER_REAL, MAX_RENDER_SECONDS)
    start = time.monotonic()
    try:
        return _MD.convert(text)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # someone else's timer was running: give it back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3), interval)


def plain_text(text: str | None) -> str:
    """Untrusted Markdown reduced to plain text (for summaries, meta tags, JSON)."""
    if not text:
        return ""
    return text_of(markdown_html(text))


@lru_cache(maxsize=65536)
def text_of(fragment: str) -> str:
    """Sanitized HTML back to plain text (for JSON-LD and meta tags)."""
    return re.sub(r"\s+", " ", html.unescape(nh3.clean(str(fragment), tags=set()))).strip()


def first_paragraph(text: str | None) -> str:
    """The summary: the description up to its first blank line (the v2 convention)."""
    if not text:
        return ""
    return plain_text(re.split(r"\n\s*\n", text.strip(), maxsplit=1)[0])


def _self_test() -> None:
    # A misconfigured nh3 raises PanicException (a BaseException); fail at import, loudly.
    assert "onerror" not in sanitize('<img src=x onerror="alert(1)">')


_self_test()
