"""Finding datasets and fields in Chromium: facets, URL state, sorting, search, the field index, no-JS."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import serve
from conftest import REPO

from generator.pipeline import check_catalog
from generator.viewmodel import build_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_model():
    catalog, problems = check_catalog(REPO / "catalog")
    assert problems == []
    return build_site(catalog)


@pytest.fixture
def page(browser, shipped_site):
    with serve(shipped_site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.base = base
        errors: list[str] = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        yield tab
        context.close()
        assert errors == []


def visible_names(page) -> list[str]:
    return page.eval_on_selector_all(
        "#datasets tbody tr[data-row]:not([hidden])",
        "rows => rows.map(r => r.querySelector('code').textContent)",
    )


def status(page) -> str:
    return page.locator("#filter-status").inner_text()


def test_facets_change_the_results(page, site_model):
    page.goto(page.base + "datasets/")
    total = len(site_model.datasets)
    assert status(page) == f"Showing all {total} datasets."
    page.check('input[name="year"][value="2020"]')
    in_2020 = {d.name for d in site_model.datasets if d.released.startswith("2020")}
    assert set(visible_names(page)) == in_2020
    assert status(page) == f"Showing {len(in_2020)} of {total} datasets."
    page.check('input[name="origin"][value="Saudi Arabia"]')
    both = {
        d.name for d in site_model.datasets if d.released.startswith("2020") and "Saudi Arabia" in d.origins
    }
    assert set(visible_names(page)) == both and 0 < len(both) < len(in_2020)
    # counts beside other values reflect the current filters
    count = page.locator('input[name="origin"][value="Iran"] ~ .tmrc-count').inner_text()
    assert int(count) == len(
        {d.name for d in site_model.datasets if d.released.startswith("2020") and "Iran" in d.origins}
    )


def test_free_text_filter(page, site_model):
    page.goto(page.base + "datasets/")
    page.fill("#filter-text", "smaat")
    expected = {d.name for d in site_model.datasets if "smaat" in (d.title + d.summary).lower()}
    assert expected and set(visible_names(page)) == expected


def test_url_state_round_trips(page):
    page.goto(page.base + "datasets/")
    page.check('input[name="year"][value="2019"]')
    page.check('input[name="access"][value="Public (hashed)"]')
    page.fill("#filter-text", "iran")
    page.select_option("#filter-sort", "accounts-desc")
    url = page.url
    params = parse_qs(urlsplit(url).query)
    assert params == {
        "year": ["2019"],
        "access": ["Public (hashed)"],
        "q": ["iran"],
        "sort": ["accounts-desc"],
    }
    shown = visible_names(page)
    page.goto(page.base + "datasets/")  # a fresh page...
    assert len(visible_names(page)) > len(shown)
    page.goto(url)  # ...then the shared link
    assert visible_names(page) == shown
    assert page.is_checked('input[name="year"][value="2019"]')
    assert page.input_value("#filter-text") == "iran"
    assert page.input_value("#filter-sort") == "accounts-desc"


@pytest.mark.parametrize("key,figure", [("accounts-desc", "accounts"), ("tweets-desc", "tweets")])
def test_sorting_by_figures(page, site_model, key, figure):
    page.goto(page.base + f"datasets/?sort={key}")
    by_name = {d.name: d for d in site_model.datasets}
    known = {d.name for d in site_model.datasets if d.figures.get(figure)}
    names = visible_names(page)
    head = names[: len(known)]
    values = [by_name[n].figures[figure].primary.value for n in head]
    assert set(head) == known, "datasets with the figure come first"
    assert values == sorted(values, reverse=True), "largest first"
    assert set(names[len(known) :]) == set(by_name) - known


def test_keyboard_only(page, site_model):
    page.goto(page.base + "datasets/")
    page.focus("#filter-text")
    page.keyboard.type("china")
    page.keyboard.press("Tab")  # to the sort menu
    page.keyboard.press("Tab")  # to "Clear all"
    page.keyboard.press("Enter")
    assert page.input_value("#filter-text") == ""
    page.focus('input[name="year"][value="2019"]')
    page.keyboard.press("Space")
    assert set(visible_names(page)) == {d.name for d in site_model.datasets if d.released.startswith("2019")}


def test_search_finds_a_field(page):
    page.goto(page.base + "membership/")
    page.fill("#tmrc-search-input", "tweet_language")
    page.wait_for_selector("#tmrc-search-results a.tmrc-result")
    page.wait_for_function("document.querySelectorAll('#tmrc-search-results a.tmrc-result').length > 2")
    hrefs = page.eval_on_selector_all("#tmrc-search-results a.tmrc-result", "as => as.map(a => a.href)")
    assert hrefs[0].endswith("fields/#field-tweet_language")
    assert any(re.search(r"/datasets/[^/]+/#field-tweets-tweet_language$", h) for h in hrefs)
    page.click("#tmrc-search-results a.tmrc-result >> nth=0")
    page.wait_for_url(re.compile(r".*fields/#field-tweet_language$"))
    assert page.locator("#field-tweet_language").is_visible()


def test_search_by_part_of_a_field_name(page):
    page.goto(page.base)
    page.fill("#tmrc-search-input", "creation")
    page.wait_for_selector("#tmrc-search-results a.tmrc-result")
    first = page.eval_on_selector("#tmrc-search-results a.tmrc-result", "a => a.href")
    assert first.endswith("fields/#field-account_creation_date")


def test_field_index_links_account_creation_date_to_every_dataset_that_has_it(shipped_site, site_model):
    html = (shipped_site / "fields" / "index.html").read_text(encoding="utf-8")
    entry = html.split('id="field-account_creation_date"', 1)[1].split("<section", 1)[0]
    linked = set(re.findall(r'href="\.\./datasets/([^/]+)/#field-[^"]*account_creation_date"', entry))
    having = {
        d.name
        for d in site_model.datasets
        if any(f.name == "account_creation_date" for s in d.schemas for f in s.fields)
    }
    assert having and linked == having
    for name in having:  # every anchor exists on its page
        target = (shipped_site / "datasets" / name / "index.html").read_text(encoding="utf-8")
        anchors = re.findall(rf'href="\.\./datasets/{re.escape(name)}/#([^"]*account_creation_date)"', entry)
        assert all(f'id="{a}"' in target for a in anchors)


def test_field_index_shows_differences(shipped_site):
    html = (shipped_site / "fields" / "index.html").read_text(encoding="utf-8")
    userid = html.split('id="field-userid"', 1)[1].split("<section", 1)[0]
    assert "Different in 1 dataset" in userid and "iran_092020" in userid
    polls = html.split('id="field-poll_choices"', 1)[1].split("<section", 1)[0]
    assert "may be absent" in polls


def test_without_javascript_the_table_lists_every_dataset(browser, shipped_site, site_model):
    with serve(shipped_site) as base:
        context = browser.new_context(java_script_enabled=False)
        tab = context.new_page()
        tab.goto(base + "datasets/?year=2020")
        rows = tab.locator("#datasets tbody tr")
        assert rows.count() == len(site_model.datasets)
        assert all(rows.nth(i).is_visible() for i in range(rows.count()))
        assert not tab.locator("#dataset-filters").is_visible()
        assert not tab.locator("#tmrc-search").is_visible()
        context.close()


def test_screenshots_for_review(page, tmp_path_factory):
    """Not an assertion of looks: leaves screenshots a reviewer can open (path printed with -s)."""
    out: Path = tmp_path_factory.mktemp("screenshots")
    page.goto(page.base + "datasets/?year=2020&origin=Saudi+Arabia")
    page.screenshot(path=str(out / "browser-2020-saudi.png"), full_page=True)
    page.fill("#tmrc-search-input", "tweet_language")
    page.wait_for_selector("#tmrc-search-results a.tmrc-result")
    page.screenshot(path=str(out / "search-tweet_language.png"))
    assert (out / "browser-2020-saudi.png").stat().st_size > 10_000
    print(f"screenshots in {out}")
