"""Pages that list across datasets: home, the dataset index, the field index, what's new."""

from __future__ import annotations

from dataclasses import dataclass

from .. import model as m
from ..wording import number, short_byte_size
from .page import Page, make_page


@dataclass(frozen=True)
class Total:
    """One row of the home page's figures: computed from the catalog, beside the platform's word."""

    measure: str
    label: str
    value: str
    known_in: int  # datasets that report this figure
    statement: m.Statement | None


def totals(site: m.Site) -> list[Total]:
    count = len(site.datasets)

    def summed(kind: str) -> tuple[float, int]:
        sets = [d.figures[kind] for d in site.datasets if kind in d.figures]
        values = [s.primary.bytes if s.primary.bytes is not None else s.primary.value for s in sets]
        return sum(values), len(sets)

    accounts, with_accounts = summed("accounts")
    tweets, with_tweets = summed("tweets")
    media, with_media = summed("mediaSize")
    statements = {s.measure: s for s in site.consortium.statements if s.measure}
    rows = [
        Total("datasets", "Datasets", number(count), count, statements.get("datasets")),
        Total("accounts", "Accounts", number(accounts), with_accounts, statements.get("accounts")),
        Total("tweets", "Tweets", number(tweets), with_tweets, statements.get("tweets")),
        Total("media", "Media", short_byte_size(int(media)), with_media, statements.get("media")),
    ]
    return [r for r in rows if r.known_in or r.statement]


@dataclass(frozen=True)
class ReleaseDay:
    date: str
    date_text: str
    datasets: tuple[m.Dataset, ...]


def latest_release_days(site: m.Site, count: int) -> list[ReleaseDay]:
    """The most recent release dates, each with the datasets released that day."""
    by_date: dict[str, list[m.Dataset]] = {}
    texts: dict[str, str] = {}
    for d in site.datasets:
        for r in d.changelog:
            by_date.setdefault(r.date, []).append(d)
            texts[r.date] = r.date_text
    days = sorted(by_date, reverse=True)[:count]
    return [
        ReleaseDay(day, texts[day], tuple(sorted(by_date[day], key=lambda d: d.title.casefold())))
        for day in days
    ]


def render_home(site: m.Site) -> list[Page]:
    c = site.consortium
    free = [s for s in c.statements if not s.measure]
    return [
        make_page(
            "index.md",
            f"{c.short_name} data catalog",
            c.summary,
            "home.html.j2",
            c=c,
            dataset_count=len(site.datasets),
            totals=totals(site),
            free_statements=free,
            release_days=latest_release_days(site, 4),
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


@dataclass
class _Entry:
    """One line of the what's-new page: a membership change, or releases of one day and one summary."""

    date: str
    date_text: str
    kind: str
    releases: list[tuple[m.Dataset, m.Release]]
    change: m.MembershipChange | None = None


def whats_new_entries(site: m.Site) -> list[_Entry]:
    entries: list[_Entry] = []
    grouped: dict[tuple[str, str], _Entry] = {}
    for event in timeline(site):
        if event.kind == "membership":
            entries.append(_Entry(event.date, event.date_text, "membership", [], change=event.change))
            continue
        assert event.dataset is not None and event.release is not None
        key = (event.date, event.release.summary)  # one disclosure of many datasets reads as one line
        if key not in grouped:
            grouped[key] = _Entry(event.date, event.date_text, "release", [])
            entries.append(grouped[key])
        grouped[key].releases.append((event.dataset, event.release))
    for entry in entries:
        entry.releases.sort(key=lambda pair: pair[0].title.casefold())
    return entries


def render_whats_new(site: m.Site) -> Page:
    years: dict[str, list[_Entry]] = {}
    for entry in whats_new_entries(site):
        years.setdefault(entry.date[:4], []).append(entry)
    return make_page(
        "whats-new.md",
        "What's new",
        "Every dataset release and membership change, newest first.",
        "whats-new.html.j2",
        years=list(years.items()),
    )
