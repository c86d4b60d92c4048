"""The view model: what the pages show, already decided, escaped where needed.

Built from a validated catalog by `viewmodel.build_site`. Text that came from
Markdown is a `Markup` of sanitized HTML; every other string is plain text that
the templates escape. A non-public resource has no location here at all: what is
not in the model cannot leak into a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class Tier:
    id: str
    title: str
    public: bool
    summary: str
    how_to_access: Markup


@dataclass(frozen=True)
class Handling:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    description: str
    official: bool


@dataclass(frozen=True)
class Figure:
    value: float
    text: str  # '3,841', 'about 9.0M', '1.2 GB'
    source: Source
    note: str
    bytes: float | None = None  # sizes converted to bytes, for sorting and totals


@dataclass(frozen=True)
class FigureSet:
    kind: str
    label: str
    values: tuple[Figure, ...]

    @property
    def primary(self) -> Figure:
        return self.values[0]

    @property
    def conflicting(self) -> bool:
        return len({f.text for f in self.values}) > 1


@dataclass(frozen=True)
class Sensitivity:
    handling: Handling
    condition: str
    note: str


@dataclass(frozen=True)
class Field:
    name: str
    anchor: str
    title: str
    type: str  # in words: 'boolean, written True or False'
    raw_type: str
    description: Markup
    example: str
    constraints: tuple[tuple[str, str | None], ...]
    categories: tuple[tuple[str, str], ...]  # (value, label)
    categories_ordered: bool
    missing_values: tuple[tuple[str, str], ...]  # per-field override, (value, label)
    sensitivity: Sensitivity | None
    as_of: str
    maybe_absent: bool
    in_primary_key: bool
    changed: bool  # differs from the shared schema, through this dataset's catalog:schemaPatch


@dataclass(frozen=True)
class Schema:
    """A table layout used by one or more resources of a dataset."""

    key: str  # the first resource's name; anchors derive from it
    anchor: str
    title: str
    description: Markup
    shared_name: str  # 'tweets' for catalog/schemas/tweets.schema.yaml, '' if inline
    patched: bool
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    unique_keys: tuple[tuple[str, ...], ...]
    foreign_keys: tuple[str, ...]  # already in words
    fields_match: str
    missing_values: tuple[tuple[str, str], ...]
    resources: tuple[str, ...]  # names of the resources with this layout
    # Everything the data dictionary shows depends on this key: equal keys, equal HTML.
    signature: str = field(default="", compare=False)


@dataclass(frozen=True)
class Resource:
    name: str
    anchor: str
    title: str
    description: Markup
    tier: Tier
    paths: tuple[str, ...]  # empty unless the tier is public
    hash: str  # empty unless the tier is public
    format: str
    mediatype: str
    compression: str
    encoding: str
    size: str
    dialect: tuple[tuple[str, str], ...]
    schema_anchor: str
    is_table: bool


@dataclass(frozen=True)
class Release:
    version: str
    date: str  # as written, YYYY[-MM[-DD]]
    date_text: str
    summary: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    title: str
    url: str  # '' when the target was not a safe link


@dataclass(frozen=True)
class Dataset:
    name: str
    url: str  # site-relative: 'datasets/ira/'
    title: str
    summary: str
    description: Markup
    version: str
    released: str
    released_text: str
    release_folder: str
    origins: tuple[str, ...]
    entity: str
    policy_area: str
    policy_area_title: str
    platform: str
    platform_title: str
    figures: dict[str, FigureSet]
    keywords: tuple[str, ...]
    licenses: tuple[Link, ...]
    contributors: tuple[str, ...]
    sources: tuple[Link, ...]
    homepage: Link | None
    tiers: tuple[Tier, ...]
    resources: tuple[Resource, ...]
    schemas: tuple[Schema, ...]
    changelog: tuple[Release, ...]
    caveats: tuple[str, ...]
    identifier: str
    created: str
    public_descriptor: dict[str, Any] = field(repr=False, hash=False, compare=False)
    # A digest of everything the dataset's page is made from (its descriptor and the
    # shared files it uses): the preview server rebuilds a page only when it changes.
    source_digest: str = field(default="", repr=False, compare=False)

    @property
    def accounts(self) -> FigureSet | None:
        return self.figures.get("accounts")

    @property
    def tweets(self) -> FigureSet | None:
        return self.figures.get("tweets")


@dataclass(frozen=True)
class Item:
    title: str
    description: Markup
    extra: Markup = field(default_factory=Markup)  # 'why' of a requirement


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answer: Markup


@dataclass(frozen=True)
class MembershipChange:
    date: str
    date_text: str
    title: str
    description: Markup


@dataclass(frozen=True)
class Membership:
    summary: Markup
    eligible: tuple[Item, ...]
    requirements: tuple[Item, ...]
    success: Markup
    ineligible: tuple[Item, ...]
    benefits: tuple[Item, ...]
    commitments: tuple[Item, ...]
    unknowns: tuple[str, ...]
    apply_summary: Markup
    prepare: tuple[Item, ...]
    steps: tuple[Item, ...]
    after_submitting: Markup
    timeline: Markup
    questions: tuple[Question, ...]
    changes: tuple[MembershipChange, ...]


@dataclass(frozen=True)
class Statement:
    measure: str  # datasets, accounts, tweets, media, or '' for a free-standing statement
    label: str
    value: str
    date_text: str
    source: Source


@dataclass(frozen=True)
class PolicyArea:
    id: str
    title: str
    status: str
    description: str


@dataclass(frozen=True)
class Consortium:
    name: str
    short_name: str
    summary: str
    purpose: Markup
    contact_email: str
    contact_url: str
    form_url: str
    opened_text: str
    tiers: tuple[Tier, ...]
    default_tier: Tier
    handling: tuple[Handling, ...]
    policy_areas: tuple[PolicyArea, ...]
    platforms: dict[str, str]
    sources: dict[str, Source]
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Site:
    consortium: Consortium
    membership: Membership
    datasets: tuple[Dataset, ...]  # newest first, then by name
    consortium_digest: str = field(default="", repr=False, compare=False)  # of consortium.yaml
