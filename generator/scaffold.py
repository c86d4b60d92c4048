"""`tmrc new`: start a dataset folder with a descriptor that validates as written.

The descriptor is real, minimal content, never placeholder text that could reach
the site unnoticed: the title starts as the dataset's name, the changelog holds
the first release, and the values a maintainer must decide are marked with
`FILL IN` in YAML comments (comments are never published).

Given CSV files, each becomes a resource whose columns are inferred with
frictionless. When the columns match a shared schema in `schemas/` (all of them,
or most of them), the resource refers to that schema by relative path instead of
copying it; a close match records its differences in `catalog:schemaPatch`
(columns the file lacks are removed, extra columns allowed by `fieldsMatch`), and
the differences are reported so the maintainer can check them.

Access is the consortium's default tier and never a public one: forgetting to
review the descriptor must not publish a file's location.

The text is generated from the data, read back through the strict loader and
compared with it, then the new dataset is validated inside its catalog; if
anything fails, the folder is removed again.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from .catalog import DESCRIPTOR_NAMES, display_path
from .normalize import normalize_schema
from .problems import Problem
from .reader import read_document
from .yamlwrite import Notes, comment, to_yaml

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_NAME_LENGTH = 100  # the catalog profile's limit on names
SCHEMA_SUFFIXES = (".schema.yaml", ".schema.yml", ".schema.json")
# A shared schema is offered when the file and the schema share at least this
# share of all their columns (Jaccard index). Users (10 columns) against tweets
# (31, including those 10) scores 0.32, so the two are never confused.
CLOSE_MATCH = 0.6
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


class ScaffoldError(Exception):
    """A reason not to create the dataset, in words for the maintainer."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class SharedSchema:
    key: str  # inside the catalog folder, e.g. "schemas/tweets.schema.yaml"
    path: Path
    columns: tuple[str, ...]

    @property
    def short_name(self) -> str:
        return self.path.name.split(".")[0]


@dataclass(frozen=True)
class Table:
    """One CSV file and the schema chosen for it."""

    source: Path
    resource: str
    columns: tuple[str, ...]
    fields: tuple[dict[str, Any], ...]  # as inferred by frictionless
    shared: SharedSchema | None = None
    missing: tuple[str, ...] = ()  # in the shared schema, not in the file
    extra: tuple[str, ...] = ()  # in the file, not in the shared schema

    @property
    def exact(self) -> bool:
        return self.shared is not None and not self.missing and not self.extra


@dataclass
class Scaffold:
    """What `create_dataset` wrote."""

    path: Path
    tier: str
    tables: list[Table] = field(default_factory=list)
    shared_only: list[SharedSchema] = field(default_factory=list)  # resources made without --from


# --- reading the catalog ------------------------------------------------------------


def check_name(name: str) -> None:
    if not NAME_PATTERN.fullmatch(name) or len(name) > MAX_NAME_LENGTH:
        raise ScaffoldError(
            f"{name!r} is not a valid dataset name: use letters, digits, '.', '_' and '-', "
            f"starting with a letter or digit, at most {MAX_NAME_LENGTH} characters"
        )


def _consortium(catalog_dir: Path) -> dict[str, Any]:
    path = catalog_dir / "consortium.yaml"
    if not path.is_file():
        raise ScaffoldError(f"{catalog_dir} is not a catalog folder: it has no consortium.yaml")
    doc, problems = read_document(path, display_path(path, catalog_dir))
    if doc is None or not isinstance(doc.data, dict):
        raise ScaffoldError("consortium.yaml cannot be read; run tmrc validate", problems)
    return doc.data


def default_tier(consortium: dict[str, Any]) -> str:
    """The consortium's default tier; if that is public by mistake, the first tier that is not."""
    access = consortium.get("access") if isinstance(consortium.get("access"), dict) else {}
    tiers = [t for t in access.get("tiers") or [] if isinstance(t, dict) and isinstance(t.get("id"), str)]
    public = {t["id"] for t in tiers if t.get("public") is True}
    chosen = access.get("default")
    if isinstance(chosen, str) and chosen not in public and any(t["id"] == chosen for t in tiers):
        return chosen
    for tier in tiers:
        if tier["id"] not in public:
            return tier["id"]
    raise ScaffoldError("consortium.yaml declares no access tier that is not public; add one first")


def shared_schemas(catalog_dir: Path) -> list[SharedSchema]:
    folder = catalog_dir / "schemas"
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if not path.name.endswith(SCHEMA_SUFFIXES) or path.is_symlink() or not path.is_file():
            continue
        doc, _ = read_document(path, display_path(path, catalog_dir))
        if doc is None or not isinstance(doc.data, dict):
            continue  # tmrc validate reports it; a broken schema is simply not offered
        fields = normalize_schema(doc.data).get("fields")
        names = [f["name"] for f in fields or [] if isinstance(f, dict) and isinstance(f.get("name"), str)]
        found.append(SharedSchema(f"schemas/{path.name}", path, tuple(names)))
    return found


# --- inferring tables ---------------------------------------------------------------


def infer_fields(csv_path: Path) -> tuple[dict[str, Any], ...]:
    """The fields frictionless infers from the first rows of a CSV file."""
    import frictionless  # slow to import; only `tmrc new --from` needs it

    if not csv_path.is_file():
        raise ScaffoldError(f"{csv_path}: no such file")
    try:
        schema = frictionless.Schema.describe(str(csv_path.absolute()))
    except frictionless.FrictionlessException as error:
        raise ScaffoldError(f"{csv_path}: cannot read the file as CSV: {error.error.message}") from error
    fields = tuple(schema.to_descriptor().get("fields") or ())
    if not fields:
        raise ScaffoldError(f"{csv_path}: the file has no header row")
    return fields


def _resource_name(path: Path, shared: SharedSchema | None, dataset: str, taken: set[str]) -> str:
    """A short resource name: the shared layout it follows ('users', 'tweets-unhashed'), else the file's."""
    stem = path.stem
    if shared is not None:
        base = shared.short_name + ("-unhashed" if "unhashed" in stem.casefold() else "")
    elif stem.casefold().startswith(dataset.casefold() + "_") and len(stem) > len(dataset) + 1:
        base = stem[len(dataset) + 1 :]  # 'ira_hashtags' in dataset 'ira' is 'hashtags'
    else:
        base = stem
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-._")[: MAX_NAME_LENGTH - 4] or "table"
    name, number = base, 2
    while name.casefold() in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name.casefold())
    return name


def match_table(
    source: Path, fields: Sequence[dict[str, Any]], shared: Sequence[SharedSchema], resource: str = ""
) -> Table:
    """Pair a file with the shared schema whose columns are closest, if any is close enough."""
    columns = tuple(str(f.get("name")) for f in fields)
    best: tuple[float, SharedSchema] | None = None
    for candidate in shared:
        union = set(columns) | set(candidate.columns)
        score = len(set(columns) & set(candidate.columns)) / len(union) if union else 0.0
        if score >= CLOSE_MATCH and (best is None or score > best[0]):
            best = (score, candidate)
    if best is None:
        return Table(source, resource, columns, tuple(fields))
    schema = best[1]
    return Table(
        source,
        resource,
        columns,
        tuple(fields),
        shared=schema,
        missing=tuple(c for c in schema.columns if c not in columns),
        extra=tuple(c for c in columns if c not in schema.columns),
    )


# --- the descriptor ---------------------------------------------------------------


_RESOURCE_TITLE = [
    "FILL IN: a title for this file, e.g. `title: Accounts (hashed)`, and a description",
    "if readers need one. The name is short and unique in the dataset (users, tweets).",
]


def _reference(catalog_dir: Path, dataset_dir: Path, schema: SharedSchema) -> str:
    return Path(os.path.relpath(catalog_dir / schema.key, dataset_dir)).as_posix()


def _table_resource(table: Table, pointer: str, reference: str | None, notes: Notes) -> dict[str, Any]:
    resource: dict[str, Any] = {"name": table.resource, "path": table.source.name}
    notes.above[pointer + "/name"] = _RESOURCE_TITLE
    notes.above[pointer + "/path"] = [
        f"FILL IN: where {table.source.name} is published, relative to the dataset's download folder."
    ]
    resource.update({"format": "csv", "mediatype": "text/csv"})
    if table.shared is None or reference is None:
        notes.above[pointer + "/schema"] = [
            f"Inferred by frictionless from the first rows of {table.source.name}: no shared",
            "schema in schemas/ has these columns. FILL IN a title and description for each",
            "field, and check every type: keep identifiers as strings (64-bit IDs and hashes",
            "are not numbers to spreadsheet tools).",
        ]
        resource["schema"] = {"fields": [dict(f) for f in table.fields]}
        return resource
    resource["schema"] = reference
    if table.exact:
        notes.trailing[pointer + "/schema"] = f"{table.source.name} has exactly these columns"
        return resource
    patch: dict[str, Any] = {}
    if table.extra:
        patch["fieldsMatch"] = "subset"
        notes.trailing[pointer + "/catalog:schemaPatch/fieldsMatch"] = "the file has more columns"
        notes.above[pointer + "/catalog:schemaPatch"] = [
            f"{table.source.name} has columns the shared schema lacks: {', '.join(table.extra)}.",
            "FILL IN: describe them in the shared schema if other files have them too.",
        ]
    if table.missing:
        patch["fields"] = {name: None for name in table.missing}
        notes.trailing[pointer + "/catalog:schemaPatch/fields"] = (
            f"not in {table.source.name}; use catalog:presence: maybe-absent if only some files lack them"
        )
    resource["catalog:schemaPatch"] = patch
    return resource


def build_descriptor(
    name: str,
    tier: str,
    tables: Sequence[Table],
    shared_only: Sequence[tuple[SharedSchema, str]],
    consortium: dict[str, Any],
    today: date,
    references: dict[str, str],
) -> tuple[dict[str, Any], Notes]:
    """The descriptor as data, and the comments that guide the maintainer through it."""
    notes = Notes()
    released = today.isoformat()
    package: dict[str, Any] = {
        "$schema": PROFILE,
        "name": name,
        "title": name,
        "version": "1.0.0",
        "catalog:access": tier,
        "catalog:changelog": [
            {"version": "1.0.0", "date": released, "summary": "First release in the catalog."}
        ],
    }
    notes.above["/name"] = ["The folder's name; keep the two equal."]
    notes.above["/title"] = [
        "FILL IN: the title readers see, for example",
        "'Russia – Internet Research Agency (October 2018)'. Titles must be unique.",
    ]
    notes.after["/title"] = [
        "FILL IN: what the dataset is, in Markdown (who was removed, when, why):",
        "description: |",
        "  ...",
        "keywords: [information operations]",
    ]
    notes.above["/version"] = ["The dataset version; bump it with every release (see the changelog)."]
    notes.above["/catalog:access"] = [
        f"Who may get the files. {tier!r} is not a public tier: the files' locations never",
        "appear on the site. Set catalog:access on a resource to the public tier only for",
        "files that were published for everyone.",
    ]
    notes.after["/catalog:access"] = _optional_properties(consortium)
    notes.above["/catalog:changelog"] = [
        "Newest first. Add an entry for every release; `tmrc diff` lists what changed."
    ]
    resources: list[dict[str, Any]] = []
    for table in tables:
        pointer = f"/resources/{len(resources)}"
        reference = references.get(table.shared.key) if table.shared else None
        resources.append(_table_resource(table, pointer, reference, notes))
    for schema, resource_name in shared_only:
        pointer = f"/resources/{len(resources)}"
        path = f"{name}_{resource_name}.csv"
        resources.append(
            {
                "name": resource_name,
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "schema": references[schema.key],
            }
        )
        notes.above[pointer + "/name"] = _RESOURCE_TITLE
        notes.above[pointer + "/path"] = [
            "FILL IN: the file's name as published (this one is a guess from the dataset name)."
        ]
    if not resources:
        resources.append({"name": "data", "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv"})
        notes.above["/resources/0/path"] = ["FILL IN: the file's name as published."]
    package["resources"] = resources
    notes.above["/resources"] = [
        "One entry per file. Without `tmrc new --from FILE.csv`, one per shared schema.",
        "Remove the files this dataset does not have.",
    ]
    return package, notes


def _optional_properties(consortium: dict[str, Any]) -> list[str]:
    def ids(key: str) -> str:
        items = consortium.get(key) if isinstance(consortium.get(key), list) else []
        return ", ".join(str(i.get("id")) for i in items if isinstance(i, dict) and i.get("id"))

    return [
        "FILL IN what the sources give; leave out what none gives (never estimate):",
        'catalog:released: "YYYY-MM-DD"   # first disclosed to the public: YYYY, YYYY-MM or YYYY-MM-DD',
        f"catalog:policyArea: ...   # declared in consortium.yaml: {ids('policyAreas')}",
        f"catalog:platform: ...     # declared in consortium.yaml: {ids('platforms')}",
        "catalog:figures:",
        f"  accounts:             # sources declared in consortium.yaml: {ids('sources')}",
        "    - {value: 1234, source: ..., note: announced at release}",
    ]


# --- the command --------------------------------------------------------------------


def _header(name: str) -> list[str]:
    return [
        f"The dataset {name}, started with `tmrc new`. It validates as it is; before the",
        "pull request, replace or confirm every value marked FILL IN and remove the marker.",
        "Comments are never published. Every catalog: property is described in the",
        "descriptor reference of the maintainer guide (maintainers/descriptor-reference.md).",
    ]


def _check_round_trip(path: Path, text: str, data: dict[str, Any], display: str) -> None:
    """Read the text back with the strict loader: it must give exactly the data."""
    path.write_text(text, encoding="utf-8")
    doc, problems = read_document(path, display)
    if doc is None or doc.data != data:
        raise ScaffoldError("internal error: the generated YAML does not read back as written", problems)


def create_dataset(
    catalog_dir: Path, name: str, csv_files: Sequence[Path] = (), today: date | None = None
) -> Scaffold:
    """Create datasets/NAME/datapackage.yaml in a catalog; ScaffoldError says why not."""
    from .pipeline import check_catalog  # the pipeline imports the renderers; only needed here

    check_name(name)
    consortium = _consortium(catalog_dir)
    tier = default_tier(consortium)
    datasets = catalog_dir / "datasets"
    folder = datasets / name
    if datasets.is_dir():
        for existing in datasets.iterdir():
            if existing.name.casefold() == name.casefold():
                raise ScaffoldError(
                    f"{display_path(existing, catalog_dir)} already exists; choose another name"
                )
    shared = shared_schemas(catalog_dir)
    taken: set[str] = set()
    tables = []
    for csv in map(Path, csv_files):
        table = match_table(csv, infer_fields(csv), shared)
        tables.append(replace(table, resource=_resource_name(csv, table.shared, name, taken)))
    # Without files, the dataset starts with one file per shared layout (users, tweets):
    # the shape of every archive dataset so far.
    shared_only = [] if csv_files else [(s, _resource_name(s.path, s, name, taken)) for s in shared]
    references = {s.key: _reference(catalog_dir, folder, s) for s in shared}
    data, notes = build_descriptor(
        name, tier, tables, shared_only, consortium, today or date.today(), references
    )
    text = "\n".join(comment(_header(name), 0)) + "\n" + to_yaml(data, notes)

    path = folder / DESCRIPTOR_NAMES[0]
    display = display_path(path, catalog_dir)
    try:
        folder.mkdir(parents=True)
    except OSError as error:
        raise ScaffoldError(f"cannot create {display_path(folder, catalog_dir)}: {error.strerror}") from error
    try:
        _check_round_trip(path, text, data, display)
        _, problems = check_catalog(catalog_dir)
        ours = [p for p in problems if p.file == display]
        if ours:
            raise ScaffoldError("the new descriptor does not validate; nothing was created", ours)
    except BaseException:
        shutil.rmtree(folder)
        raise
    return Scaffold(path=path, tier=tier, tables=tables, shared_only=[s for s, _ in shared_only])


def summary_lines(made: Scaffold) -> list[str]:
    """What `tmrc new` reports: the file, the schema chosen for each table, what to do next."""
    lines = [f"created {made.path}"]
    for table in made.tables:
        head = f"{table.source}: resource {table.resource!r}"
        if table.shared is None:
            lines.append(
                f"{head}: no shared schema matches its columns; "
                f"wrote an inline schema of {len(table.fields)} inferred fields"
            )
            continue
        lines.append(f"{head}: uses the shared schema {table.shared.key}")
        if table.exact:
            lines.append("  the columns are the same")
        if table.missing:
            lines.append(
                f"  missing in the file (removed by catalog:schemaPatch): {', '.join(table.missing)}"
            )
        if table.extra:
            lines.append(f"  extra in the file (not described): {', '.join(table.extra)}")
    for schema in made.shared_only:
        lines.append(f"resource {schema.short_name!r}: uses the shared schema {schema.key}")
    lines.append(f"access tier: {made.tier} (not public: file locations stay off the site)")
    lines.append("next: edit every value marked FILL IN, then run `tmrc validate` and `tmrc serve`")
    return lines
