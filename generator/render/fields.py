"""The field index: every field of the catalog, how it is defined, and where it occurs.

A field is listed once by name. Under it, each layout family that has the field:
a shared schema (the tweets file, the users file) or the datasets' own tables.
Within a family, the most common definition comes first; any other (another type,
another handling, a column that may be absent) is shown as a difference, with the
datasets that have it. Datasets whose files use the same shared layout but lack
the field are named as well. Two families may describe one field in their own
words; that is not a difference between datasets.

Large catalogs: a definition shared by more than LIST_LIMIT datasets gets its own
page listing them, so the index stays small enough to load at thousands of datasets.
The lists are kept out of the search index (data-pagefind-ignore): the dataset pages
themselves are indexed, and repeating every name thousands of times would only
swell the index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .. import model as m
from ..viewmodel import slug
from .page import Page, StaticFile, make_page

LIST_LIMIT = 50


@dataclass
class Place:
    dataset: m.Dataset
    files: list[tuple[str, str]] = field(default_factory=list)  # (layout title, url of the field anchor)


@dataclass
class Variant:
    field: m.Field  # a representative definition
    places: dict[str, Place] = field(default_factory=dict)  # dataset name -> place
    differences: list[str] = field(default_factory=list)  # against the main definition
    page: str = ""  # its own listing page, for very common definitions

    @property
    def file_count(self) -> int:
        return sum(len(p.files) for p in self.places.values())


@dataclass
class Family:
    """The definitions of one field within one layout family."""

    shared_name: str  # the shared schema ('tweets'), or '' for datasets' own tables
    label: str  # 'Tweets file', or 'Datasets' own tables'
    variants: list[Variant]

    @property
    def main(self) -> Variant:
        return self.variants[0]


@dataclass
class Entry:
    name: str
    anchor: str
    families: list[Family]
    absent_from: list[m.Dataset]

    @property
    def variants(self) -> list[Variant]:
        return [v for family in self.families for v in family.variants]

    @property
    def main(self) -> Variant:
        return self.families[0].main

    @property
    def dataset_count(self) -> int:
        return len({n for v in self.variants for n in v.places})


def _signature(f: m.Field) -> tuple[Any, ...]:
    s = f.sensitivity
    return (
        f.title,
        f.type,
        s.handling.id if s else "",
        s.condition if s else "",
        s.note if s else "",
        f.as_of,
        f.maybe_absent,
        str(f.description),
    )


def _differences(main: m.Field, other: m.Field) -> list[str]:
    found = []
    if other.type != main.type:
        found.append(f"type {other.type} instead of {main.type}")
    main_s, other_s = main.sensitivity, other.sensitivity
    main_h = main_s.handling.title if main_s else "not stated"
    other_h = other_s.handling.title if other_s else "not stated"
    if other_h != main_h:
        found.append(f"handling: {other_h} instead of {main_h}")
    if (other_s.condition if other_s else "") != (main_s.condition if main_s else "") and other_s:
        found.append(f"{other_h.lower()} for {other_s.condition}" if other_s.condition else "no condition")
    if other.maybe_absent and not main.maybe_absent:
        found.append("the column may be absent")
    if main.maybe_absent and not other.maybe_absent:
        found.append("the column is not marked as possibly absent")
    if other.as_of != main.as_of:
        found.append(other.as_of.lower() if other.as_of else "value not tied to a moment")
    if other.title != main.title:
        found.append(f"titled “{other.title}”")
    if not found and str(other.description) != str(main.description):
        found.append("described differently")
    if not found:
        found.append("notes on the handling differ")
    return found


def field_index(site: m.Site) -> list[Entry]:
    """Every field name, each of its definitions per layout family, and where each occurs."""
    # field name -> family (shared schema name, or '') -> signature -> variant
    found: dict[str, dict[str, dict[tuple[Any, ...], Variant]]] = {}
    labels: dict[str, str] = {"": "Datasets' own tables"}
    shared_users: dict[str, set[str]] = {}  # shared layout name -> datasets using it
    for d in sorted(site.datasets, key=lambda x: (x.name.casefold(), x.name)):
        titles = [schema.title or schema.key for schema in d.schemas]
        for schema in d.schemas:
            label = schema.title or schema.key
            if titles.count(label) > 1:  # two layouts of one title: say which files each is
                label = f"{label} ({', '.join(schema.resources)})"
            family = schema.shared_name
            if family:
                shared_users.setdefault(family, set()).add(d.name)
                labels.setdefault(family, schema.title or family)
            for f in schema.fields:
                by_signature = found.setdefault(f.name, {}).setdefault(family, {})
                variant = by_signature.setdefault(_signature(f), Variant(field=f))
                place = variant.places.setdefault(d.name, Place(dataset=d))
                place.files.append((label, f"{d.url}#{f.anchor}"))
    by_name = {d.name: d for d in site.datasets}
    entries = []
    for name in sorted(found, key=lambda n: (n.casefold(), n)):
        families = []
        for family, by_signature in found[name].items():
            ordered = sorted(by_signature.values(), key=lambda v: (-len(v.places), -v.file_count))
            for other in ordered[1:]:
                other.differences = _differences(ordered[0].field, other.field)
            families.append(Family(family, labels[family], ordered))
        # shared families first, by how many datasets have them; datasets' own tables last
        families.sort(key=lambda f: (f.shared_name == "", -len(f.main.places), f.shared_name))
        present = {n for family in families for v in family.variants for n in v.places}
        expected = set().union(*(shared_users.get(f.shared_name, set()) for f in families if f.shared_name))
        absent = [by_name[n] for n in sorted(expected - present)]
        number = 0
        for family in families:
            for variant in family.variants:
                number += 1
                if len(variant.places) > LIST_LIMIT:
                    variant.page = f"fields/{slug(name)}/" + ("" if number == 1 else f"{number}/")
        entries.append(Entry(name, f"field-{slug(name)}", families, absent))
    return entries


def field_names_json(entries: list[Entry]) -> StaticFile:
    """Field names for the search box, so a field query leads straight to the field."""
    records = [
        {
            "name": e.name,
            "title": e.main.field.title,
            "url": f"fields/#{e.anchor}",
            "datasets": e.dataset_count,
        }
        for e in entries
    ]
    return StaticFile("fields.json", json.dumps(records, ensure_ascii=False, separators=(",", ":")) + "\n")


def render_fields(site: m.Site) -> list[Page | StaticFile]:
    entries = field_index(site)
    short = site.consortium.short_name
    pages: list[Page | StaticFile] = [
        field_names_json(entries),
        make_page(
            "fields/index.md",
            "Field index",
            f"Every field of the {short} data catalog: its type, handling and the files that carry it.",
            "fields.html.j2",
            hide=("navigation",),
            entries=entries,
            limit=LIST_LIMIT,
            dataset_count=len(site.datasets),
        ),
    ]
    for entry in entries:
        for variant in entry.variants:
            if variant.page:
                pages.append(
                    make_page(
                        variant.page + "index.md",
                        f"Datasets with the field {entry.name}",
                        f"Every dataset and file of the {short} catalog with the field {entry.name}.",
                        "field-places.html.j2",
                        hide=("navigation",),
                        in_nav=False,
                        entry=entry,
                        variant=variant,
                    )
                )
    return pages
