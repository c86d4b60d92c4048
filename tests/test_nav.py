"""Every generated page is either in the navigation of mkdocs.yml or declared out of it.

MkDocs warns (and a strict build fails) for a page that is neither; pages that
exist in thousands (datasets, per-field lists) must stay out of the navigation,
which MkDocs writes into every page.
"""

from __future__ import annotations

import pytest
from conftest import REPO, SMALL
from mkdocs.config import load_config

from generator.pipeline import generate
from generator.render import fields


def nav_paths() -> set[str]:
    config = load_config(str(REPO / "mkdocs.yml"))
    found: set[str] = set()

    def walk(items):
        for item in items:
            if isinstance(item, str):
                found.add(item)
            elif isinstance(item, dict):
                for value in item.values():
                    walk(value if isinstance(value, list) else [value])

    walk(config["nav"])
    return found


@pytest.mark.parametrize("limit", [fields.LIST_LIMIT, 0])
def test_generated_pages_are_in_the_nav_or_declared_out_of_it(monkeypatch, limit):
    monkeypatch.setattr(fields, "LIST_LIMIT", limit)  # 0: every field gets its own listing page
    output = generate(SMALL, "")
    listed = nav_paths()
    for uri, page in output.pages.items():
        if page.in_nav:
            assert uri in listed, f"{uri} is neither in the nav of mkdocs.yml nor declared out of it"
        else:
            assert uri not in listed
    per_field = [p for p in output.pages if p.startswith("fields/") and p != "fields/index.md"]
    assert (len(per_field) > 0) == (limit == 0)
    assert all(not output.pages[p].in_nav for p in per_field)
    assert all(
        not output.pages[p].in_nav
        for p in output.pages
        if p.startswith("datasets/") and p != "datasets/index.md"
    )
