"""A copy of the small catalog with attack strings in every text property a descriptor has.

Strings stay valid for the profiles (so the build succeeds and the pages exist);
what must hold is that nothing in them runs in a browser.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

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
    package["homepage"] = 'https://example.org/"><script>alert("hp")</script>'
    package["sources"].append(
        {
            "title": "Source <script>alert('src')</script>",
            "path": "https://example.org/?q=\"><img src=x onerror=alert('sp')>",
        }
    )
    alpha.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
