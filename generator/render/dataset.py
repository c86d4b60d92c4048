"""One page per dataset, its public descriptor, and its schema.org record."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from markupsafe import Markup

from .. import model as m
from ..richtext import text_of
from .page import Page, StaticFile, environment, make_page

ALWAYS_SHOWN_FIGURES = (("accounts", "Accounts"), ("tweets", "Tweets"))


def citation(d: m.Dataset, c: m.Consortium, site_url: str) -> str:
    publisher = next((x.split(" (")[0] for x in d.contributors if "publisher" in x), c.name)
    year = d.released[:4] if d.released else "n.d."
    version = f", version {d.version}" if d.version else ""
    return (
        f"{publisher} ({year}). {d.title} [Data set{version}]. {c.short_name} data catalog. {site_url}{d.url}"
    )


def jsonld(d: m.Dataset, c: m.Consortium, site_url: str) -> dict[str, Any]:
    """schema.org Dataset, as Google Dataset Search reads it."""
    variables: dict[str, dict[str, str]] = {}
    for schema in d.schemas:
        for f in schema.fields:
            variables.setdefault(
                f.name,
                {"@type": "PropertyValue", "name": f.name, "description": text_of(f.description) or f.title},
            )
    record: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": d.title,
        "description": text_of(d.description) or d.title,
        "url": f"{site_url}{d.url}",
        "identifier": d.identifier or d.name,
        "isAccessibleForFree": any(t.public for t in d.tiers),
        "conditionsOfAccess": " ".join(f"{t.title}: {t.summary}" for t in d.tiers),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": f"{c.short_name} data catalog",
            "url": site_url,
        },
        "variableMeasured": list(variables.values()),
    }
    if d.keywords:
        record["keywords"] = list(d.keywords)
    if d.version:
        record["version"] = d.version
    if d.released:
        record["datePublished"] = d.released
    if d.changelog:
        record["dateModified"] = d.changelog[0].date
    if d.contributors:
        record["creator"] = [{"@type": "Organization", "name": x.split(" (")[0]} for x in d.contributors]
    sources = [s.url for s in d.sources if s.url]
    if sources:
        record["isBasedOn"] = sources
    return record


def _restricted_note(d: m.Dataset, schema: m.Schema) -> str:
    """What the Handling column means for the non-public files that use this layout."""
    by_name = {r.name: r for r in d.resources}
    tiers: list[m.Tier] = []
    for name in schema.resources:
        tier = by_name[name].tier
        if not tier.public and tier not in tiers:
            tiers.append(tier)
    return " ".join(f"Files for {t.title.lower()}: {t.summary}" for t in tiers)


class SectionCache:
    """Data dictionaries already rendered in this build.

    Most datasets share their layouts (the tweets and users files): each distinct
    data dictionary is rendered once per build. Keyed by the layout's signature,
    which covers every value the section shows, and by the note, which depends on
    the dataset's tiers. One cache per build, so an edited schema is never stale.
    """

    def __init__(self) -> None:
        self._sections: dict[tuple[str, str], Markup] = {}

    def section(self, schema: m.Schema, note: str) -> Markup:
        key = (schema.signature, note)
        if key not in self._sections:
            html = environment().get_template("_schema.html.j2").render(s=schema, note=note)
            self._sections[key] = Markup(html)
        return self._sections[key]


def render_dataset(
    d: m.Dataset,
    c: m.Consortium,
    site_url: str,
    sections: SectionCache | None = None,
    inputs: str = "",
) -> list[Page | StaticFile]:
    """The dataset's page and public descriptor. `inputs` digests what all pages share."""
    sections = sections or SectionCache()
    figures = list(d.figures.items())
    missing = [(k, label) for k, label in ALWAYS_SHOWN_FIGURES if k not in d.figures]
    description = d.summary or f"{d.title}: a dataset of the {c.short_name} data catalog."
    page = make_page(
        f"datasets/{d.name}/index.md",
        d.title,
        description,
        "dataset.html.j2",
        hide=("navigation",),
        in_nav=False,
        input_digest=hashlib.sha256(f"{inputs}|{d.source_digest}".encode()).hexdigest() if inputs else None,
        d=d,
        c=c,
        figures=figures,
        missing_figures=missing,
        citation=citation(d, c, site_url),
        jsonld=jsonld(d, c, site_url),
        schema_section=lambda schema: sections.section(schema, _restricted_note(d, schema)),
    )

    # Compact JSON: the C encoder, many times faster than indent= on thousands of datasets.
    # Produced when written, so thousands of descriptors are not all held at once.
    def descriptor() -> str:
        return json.dumps(d.public_descriptor, ensure_ascii=False, separators=(",", ":")) + "\n"

    return [page, StaticFile(f"datasets/{d.name}/datapackage.json", descriptor)]
