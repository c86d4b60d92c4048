"""Pages that list across datasets: home, the dataset index, the field index, what's new."""

from __future__ import annotations

from dataclasses import dataclass

from .. import model as m
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
