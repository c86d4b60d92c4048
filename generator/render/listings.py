"""Pages that list across datasets: home, the dataset index, the field index, what's new."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import model as m
from ..viewmodel import slug
from .page import Page, make_page


def totals(site: m.Site) -> dict[str, int]:
    with_accounts = [d for d in site.datasets if d.accounts]
    with_tweets = [d for d in site.datasets if d.tweets]
    return {
        "datasets": len(site.datasets),
        "accounts": int(sum(d.accounts.primary.value for d in with_accounts)),  # type: ignore[union-attr]
        "with_accounts": len(with_accounts),
        "tweets": int(sum(d.tweets.primary.value for d in with_tweets)),  # type: ignore[union-attr]
        "with_tweets": len(with_tweets),
    }


def latest_releases(site: m.Site, count: int) -> list[tuple[m.Dataset, m.Release]]:
    releases = [(d, r) for d in site.datasets for r in d.changelog]
    releases.sort(key=lambda pair: pair[0].name)
    releases.sort(key=lambda pair: pair[1].date, reverse=True)
    return releases[:count]


def render_home(site: m.Site) -> list[Page]:
    c = site.consortium
    return [
        make_page(
            "index.md",
            f"{c.short_name} data catalog",
            c.summary,
            "home.html.j2",
            c=c,
            totals=totals(site),
            latest=latest_releases(site, 6),
        )
    ]


def render_datasets_index(site: m.Site) -> Page:
    return make_page(
        "datasets/index.md",
        "Datasets",
        f"All {len(site.datasets)} datasets of the {site.consortium.short_name} data catalog.",
        "datasets.html.j2",
        hide=("navigation", "toc"),
        datasets=site.datasets,
    )


@dataclass
class _Place:
    dataset: str
    url: str
    files: str


@dataclass
class _Variant:
    title: str
    type: str
    handling: m.Handling | None
    condition: str
    as_of: str
    maybe_absent: bool
    description: Any
    places: list[_Place] = field(default_factory=list)


@dataclass
class _FieldEntry:
    name: str
    anchor: str
    variants: dict[tuple[Any, ...], _Variant] = field(default_factory=dict)


def field_index(site: m.Site) -> list[_FieldEntry]:
    """Every field name, with each distinct definition and where it occurs."""
    entries: dict[str, _FieldEntry] = {}
    for d in sorted(site.datasets, key=lambda x: x.name):
        for schema in d.schemas:
            for f in schema.fields:
                entry = entries.setdefault(f.name, _FieldEntry(f.name, f"field-{slug(f.name)}"))
                s = f.sensitivity
                signature = (
                    f.title,
                    f.type,
                    s.handling.id if s else "",
                    s.condition if s else "",
                    f.as_of,
                    f.maybe_absent,
                    str(f.description),
                )
                variant = entry.variants.get(signature)
                if variant is None:
                    variant = _Variant(
                        f.title,
                        f.type,
                        s.handling if s else None,
                        s.condition if s else "",
                        f.as_of,
                        f.maybe_absent,
                        f.description,
                    )
                    entry.variants[signature] = variant
                variant.places.append(_Place(d.name, f"{d.url}#{f.anchor}", ", ".join(schema.resources)))
    return [entries[name] for name in sorted(entries, key=lambda n: (n.casefold(), n))]


def render_fields(site: m.Site) -> Page:
    entries = field_index(site)
    for entry in entries:
        entry.variants = dict(sorted(entry.variants.items(), key=lambda kv: -len(kv[1].places)))
    fields = [{"name": e.name, "anchor": e.anchor, "variants": list(e.variants.values())} for e in entries]
    return make_page(
        "fields/index.md",
        "Field index",
        f"Every field of the {site.consortium.short_name} data catalog and where it occurs.",
        "fields.html.j2",
        hide=("navigation",),
        fields=fields,
    )


@dataclass
class _Event:
    date: str
    date_text: str
    kind: str
    dataset: m.Dataset | None = None
    release: m.Release | None = None
    change: m.MembershipChange | None = None


def timeline(site: m.Site) -> list[_Event]:
    events = [
        _Event(r.date, r.date_text, "release", dataset=d, release=r)
        for d in site.datasets
        for r in d.changelog
    ]
    events += [_Event(ch.date, ch.date_text, "membership", change=ch) for ch in site.membership.changes]
    events.sort(key=lambda e: (e.dataset.name if e.dataset else "", e.change.title if e.change else ""))
    events.sort(key=lambda e: e.date, reverse=True)
    return events


def render_whats_new(site: m.Site) -> Page:
    years: dict[str, list[_Event]] = {}
    for event in timeline(site):
        years.setdefault(event.date[:4], []).append(event)
    return make_page(
        "whats-new.md",
        "What's new",
        "Every dataset release and membership change, newest first.",
        "whats-new.html.j2",
        years=list(years.items()),
    )
