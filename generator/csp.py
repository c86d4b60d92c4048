"""A Content-Security-Policy for every page, with hashes of the theme's inline scripts.

GitHub Pages cannot send headers, so the policy is a <meta> tag, placed first in
<head> so that it covers everything after it. Scripts run only from the site
itself or when their exact text is hashed here; nothing loads from another host.
`'wasm-unsafe-eval'` lets the search index (Pagefind, WebAssembly) run.

Only the theme's own inline scripts are hashed: those outside the content
<article>. An inline script that somehow reached the content (which holds
descriptor text) would not be allowed to run.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_NOT_JS = re.compile(r"""type\s*=\s*["']?(application/(ld\+)?json|text/template)""", re.I)
_HEAD = re.compile(r"<head[^>]*>", re.I)
_CONTENT = re.compile(r'<article class="md-content__inner[^"]*">.*?</article>', re.S)

POLICY = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
    "manifest-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"
)


def inline_script_hashes(page: str) -> list[str]:
    """Hashes of the executable inline scripts outside the content article."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(_CONTENT.sub("", page)):
        if "src=" in match.group("attrs").lower() or _NOT_JS.search(match.group("attrs")):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        token = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        if token not in hashes:
            hashes.append(token)
    return hashes


def add_policy(page: str) -> str:
    """The page with a CSP <meta> as the first child of <head>."""
    head = _HEAD.search(page)
    if head is None:
        return page
    hashes = "".join(" " + h for h in inline_script_hashes(page))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=hashes)}">'
    return page[: head.end()] + meta + page[head.end() :]
