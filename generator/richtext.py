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
import xml.etree.ElementTree as ET

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

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
    target = value.strip()
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


def markdown_html(text: str | None) -> Markup:
    """Render untrusted Markdown to sanitized HTML (block level)."""
    if not text:
        return Markup("")
    try:
        _MD.reset()
        rendered = _MD.convert(text)
    except Exception:  # a parser bug must not break the build: show the text instead
        rendered = "<p>" + html.escape(text) + "</p>"
    return Markup(sanitize(rendered))


def plain_text(text: str | None) -> str:
    """Untrusted Markdown reduced to plain text (for summaries, meta tags, JSON)."""
    if not text:
        return ""
    return text_of(markdown_html(text))


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
