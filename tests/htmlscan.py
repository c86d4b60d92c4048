"""An HTML oracle for the tests: what would run, load or navigate in a browser.

It parses markup (it does not grep text), so escaped text such as `&lt;script&gt;`
is rightly ignored while any real element or attribute is seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

DANGEROUS_ELEMENTS = {
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "base",
    "meta",
    "svg",
    "math",
    "style",
    "link",
    "frame",
    "frameset",
    "img",
    "video",
    "audio",
    "source",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")
_CONTROL = re.compile(r"[\x00-\x20]")


def scheme_of(url: str) -> str:
    cleaned = _CONTROL.sub("", url).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) + ":" if match else ""


@dataclass
class Finding:
    where: str
    what: str


@dataclass
class Scan(HTMLParser):
    findings: list[Finding] = field(default_factory=list)
    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    scan = Scan()
    scan.feed(markup)
    scan.close()
    return scan.elements


def findings(
    markup: str, allowed_elements: set[str] = frozenset(), allowed_attrs: set[str] = frozenset()
) -> list[str]:
    """Problems in a fragment of descriptor-derived HTML."""
    found = []
    for tag, attrs in elements(markup):
        if tag in DANGEROUS_ELEMENTS and tag not in allowed_elements:
            found.append(f"<{tag}>")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name in ("style", "srcdoc", "formaction") and name not in allowed_attrs:
                found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and value:
                scheme = scheme_of(value)
                stripped = _CONTROL.sub("", value)
                if scheme and scheme not in SAFE_SCHEMES:
                    found.append(f"<{tag} {name}={value!r}>")
                if stripped.startswith(("//", "/\\", "\\")):
                    found.append(f"<{tag} {name}={value!r}> (protocol-relative)")
    return found
