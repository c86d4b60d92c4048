"""Golden tests: every page and file the generator makes for the small catalog, byte for byte.

Run `pytest tests/test_golden.py --update-golden` after an intended change, then
review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, SMALL

from generator.pipeline import generate

GOLDEN = REPO / "tests" / "golden" / "small"
SITE_URL = "https://catalog.example/"


def outputs() -> dict[str, str]:
    output = generate(SMALL, SITE_URL)
    files = {f"{uri}.html": page.markdown() + page.body for uri, page in output.pages.items()}
    files.update({path: static.content for path, static in output.files.items()})
    return files


def test_golden_outputs(update_golden):
    produced = outputs()
    if update_golden:
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, content in produced.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        pytest.skip("golden files rewritten")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN.rglob("*")
        if p.is_file()
    }
    assert sorted(produced) == sorted(expected), "a page or file appeared or disappeared"
    for name in sorted(produced):
        assert produced[name] == expected[name], f"{name} differs from tests/golden/small/{name}"


def test_outputs_are_deterministic():
    assert outputs() == outputs()


def test_restricted_locations_are_absent_from_every_output():
    for name, content in outputs().items():
        for token in ("CANARY-PATH-7f3a", "CANARY-URL-9b2c", "0badc0de7f3a9b2c"):
            assert token not in content, f"{token} leaked into {name}"


def test_public_descriptor_keeps_public_files_and_lists_restricted_ones_without_location():
    import json

    descriptor = json.loads(outputs()["datasets/alpha/datapackage.json"])
    assert [r["name"] for r in descriptor["resources"]] == ["posts"]
    assert descriptor["resources"][0]["path"] == "alpha_posts.csv"
    assert descriptor["resources"][0]["schema"]["fields"][0]["name"] == "post_id"  # inlined
    restricted = {r["name"]: r for r in descriptor["catalog:restrictedResources"]}
    assert set(restricted) == {"posts-full", "notes"}
    for resource in restricted.values():
        assert not {"path", "url", "hash", "bytes"} & set(resource)
    assert restricted["posts-full"]["schema"]["fields"][1]["name"] == "author_id"


def test_golden_folder_exists():
    assert Path(GOLDEN).is_dir()


def test_front_matter_reads_back_for_any_title(tmp_path):
    """Emoji, line separators and quotes in a title must survive the front matter."""
    from mkdocs.utils import meta

    from generator.render.page import Page

    for title in ("Emoji 😀 and ✓", 'Quotes " and \\ backslash', "Line\u2028separator", "Tab\tand €"):
        page = Page("datasets/x/index.md", title, title, "faq.html.j2", {})
        body, data = meta.get_data(page.markdown())
        assert body.strip() == "" and data["title"] == __import__("html").escape(title), title
