"""The yardstick: a plain MkDocs + Material project with N pages as long as our dataset pages.

Same number of pages, each with about the same visible text as our mean dataset
page (a title, paragraphs and field tables, written as Markdown), kept out of a
small navigation (as our dataset pages are), Material's default search plugin on.
`mkdocs build` of it is what "a static site of this size" costs on the machine
at hand, so our build time divided by it compares across machines.
"""

from __future__ import annotations

import random
from pathlib import Path

MKDOCS_YML = """\
site_name: Baseline catalog
site_url: http://127.0.0.1:8000/
theme:
  name: material
plugins:
  - search
markdown_extensions:
  - toc:
      permalink: true
  - tables
nav:
  - Home: index.md
  - About: about.md
  - Help: help.md
not_in_nav: |
  /datasets/
"""

_TYPES = ("string", "integer", "number", "date", "datetime", "boolean")


def _words(rng: random.Random, vocabulary: list[str], count: int) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def _vocabulary() -> list[str]:
    rng = random.Random(7)
    syllables = [a + b for a in "bcdfghklmnprstvz" for b in "aeiou"]
    return sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(5000)})


def page_markdown(i: int, target_chars: int, vocabulary: list[str]) -> str:
    """One page: H1, a description, a metadata table, then sections with field tables."""
    rng = random.Random(i)
    lines = [f"# Dataset {i:05d}: {_words(rng, vocabulary, 4)}", ""]
    visible = len(lines[0]) - 2
    for _ in range(3):
        paragraph = _words(rng, vocabulary, 45).capitalize() + "."
        lines += [paragraph, ""]
        visible += len(paragraph) + 1
    lines += ["| Property | Value |", "| --- | --- |"]
    visible += len("Property Value ")
    for key in ("Version", "Released", "Origin", "Entity", "Policy area", "Platform", "Licence", "Access"):
        value = _words(rng, vocabulary, 3)
        lines.append(f"| {key} | {value} |")
        visible += len(key) + len(value) + 2
    lines.append("")
    section = 0
    while visible < target_chars:
        section += 1
        heading = f"Table {section}: {_words(rng, vocabulary, 2)}"
        intro = _words(rng, vocabulary, 20).capitalize() + "."
        lines += [f"## {heading}", "", intro, "", "| Field | Type | Description |", "| --- | --- | --- |"]
        visible += len(heading) + len(intro) + len("Field Type Description ") + 3
        for _ in range(rng.randint(8, 31)):
            name = "_".join(rng.choice(vocabulary) for _ in range(2))
            description = _words(rng, vocabulary, rng.randint(6, 16)).capitalize() + "."
            ftype = rng.choice(_TYPES)
            lines.append(f"| `{name}` | {ftype} | {description} |")
            visible += len(name) + len(ftype) + len(description) + 3
            if visible >= target_chars:
                break
        lines.append("")
    return "\n".join(lines) + "\n"


def make_project(n: int, target_chars: int, folder: Path) -> Path:
    """Write mkdocs.yml and docs/ for n pages of about target_chars visible characters."""
    docs = folder / "docs"
    (docs / "datasets").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (docs / "index.md").write_text("# Baseline catalog\n\nA plain MkDocs site.\n", encoding="utf-8")
    (docs / "about.md").write_text("# About\n\nAbout this site.\n", encoding="utf-8")
    (docs / "help.md").write_text("# Help\n\nHow to use it.\n", encoding="utf-8")
    vocabulary = _vocabulary()
    for i in range(n):
        (docs / "datasets" / f"d{i:05d}.md").write_text(page_markdown(i, target_chars, vocabulary), "utf-8")
    return folder
