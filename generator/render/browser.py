"""The dataset browser: every dataset in one table, with facets and sorting.

Without JavaScript it is the full, plain table. With it (assets/javascripts/
datasets.js), a form above the table filters by facet and free text, sorts, and
keeps its state in the URL so a view can be shared. Facet values come from the
descriptors, never from a hand-kept list.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .. import model as m
from ..wording import short_byte_size
from .page import Page, make_page

SORTS = (
    ("released-desc", "Newest first"),
    ("released-asc", "Oldest first"),
    ("accounts-desc", "Most accounts"),
    ("tweets-desc", "Most tweets"),
    ("size-desc", "Largest data size"),
    ("title-asc", "Title, A to Z"),
)


@dataclass(frozen=True)
class Facet:
    key: str  # the URL parameter
    label: str
    values: tuple[tuple[str, int], ...]  # (value, number of datasets)


def facet_values(d: m.Dataset) -> dict[str, list[str]]:
    return {
        "origin": list(d.origins),
        "year": [d.released[:4]] if d.released else [],
        "area": [d.policy_area_title] if d.policy_area_title else [],
        "access": [t.title for t in d.tiers],
        "platform": [d.platform_title] if d.platform_title else [],
    }


FACETS = (
    ("origin", "Presumptive origin"),
    ("year", "Release year"),
    ("area", "Policy area"),
    ("access", "Access"),
    ("platform", "Platform"),
)


def facets(datasets: tuple[m.Dataset, ...]) -> list[Facet]:
    counts: dict[str, Counter[str]] = {key: Counter() for key, _ in FACETS}
    for d in datasets:
        for key, values in facet_values(d).items():
            counts[key].update(set(values))
    result = []
    for key, label in FACETS:
        if key == "year":
            ordered = sorted(counts[key].items(), reverse=True)
        else:
            ordered = sorted(counts[key].items(), key=lambda kv: kv[0].casefold())
        result.append(Facet(key, label, tuple(ordered)))
    return result


def data_size(d: m.Dataset) -> float | None:
    """The sum of the published file and media sizes, where any is known."""
    sizes = [
        d.figures[k].primary.bytes for k in ("tweetsFileSize", "usersFileSize", "mediaSize") if k in d.figures
    ]
    known = [s for s in sizes if s is not None]
    return sum(known) if known else None


def _fold(text: str) -> str:
    """Lower case without accents, so 'Vucic' finds 'Vučić'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def row_data(d: m.Dataset) -> str:
    """What the filter script reads from a row: JSON, escaped by the template like any attribute.

    Plain str on purpose: a Markup here would skip autoescaping and let descriptor
    text break out of the attribute.
    """
    size = data_size(d)
    text = " ".join(
        [d.title, d.name, d.entity, d.summary, *d.origins, *d.keywords, d.policy_area_title, d.platform_title]
    )
    record = {
        "facets": facet_values(d),
        "released": d.released,
        "accounts": d.accounts.primary.value if d.accounts else None,
        "tweets": d.tweets.primary.value if d.tweets else None,
        "size": size,
        "title": _fold(d.title),
        "text": _fold(text),
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def render_browser(site: m.Site) -> Page:
    rows = [(d, row_data(d), data_size(d)) for d in site.datasets]
    return make_page(
        "datasets/index.md",
        "Datasets",
        f"All {len(site.datasets)} datasets of the {site.consortium.short_name} data catalog, "
        "with filters by origin, year, policy area, access and platform.",
        "datasets.html.j2",
        hide=("navigation", "toc"),
        rows=rows,
        facets=facets(site.datasets),
        sorts=SORTS,
        byte_size=lambda b: short_byte_size(int(b)),
    )
