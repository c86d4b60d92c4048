"""Checks no JSON Schema can express: names, keys, references, vocabularies, values.

Each function returns a list of Problems located in the file they belong to.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from . import profiles
from .catalog import DatasetSource, resource_schema
from .limits import MAX_DESCRIPTION_CHARS, MAX_MARKDOWN_NESTING
from .paths import check_data_path
from .problems import Problem
from .reader import Document, join_pointer
from .schemapatch import apply_schema_patch

_LINK_PROPS = ("homepage", "image")
_LIST_LINK_PROPS = ("licenses", "sources", "contributors")
_ALLOWED_SCHEMES = ("http:", "https:", "mailto:")


@dataclass
class Vocabulary:
    """The ids consortium.yaml declares, which descriptors refer to."""

    tiers: set[str] = field(default_factory=set)
    public_tiers: set[str] = field(default_factory=set)
    default_tier: str | None = None
    handling: set[str] = field(default_factory=set)
    policy_areas: set[str] = field(default_factory=set)
    platforms: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    @classmethod
    def from_consortium(cls, data: dict[str, Any]) -> Vocabulary:
        def ids(items: Any) -> set[str]:
            if not isinstance(items, list):
                return set()
            return {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}

        access = data.get("access") if isinstance(data.get("access"), dict) else {}
        tiers = access.get("tiers") if isinstance(access.get("tiers"), list) else []
        return cls(
            tiers=ids(tiers),
            public_tiers={
                t["id"]
                for t in tiers
                if isinstance(t, dict) and t.get("public") is True and isinstance(t.get("id"), str)
            },
            default_tier=access.get("default") if isinstance(access.get("default"), str) else None,
            handling=ids(data.get("handling")),
            policy_areas=ids(data.get("policyAreas")),
            platforms=ids(data.get("platforms")),
            sources=ids(data.get("sources")),
        )


def _list(value: Any) -> list[Any]:
    """A list from the descriptor, or nothing: a wrong type is the profile's to report."""
    return value if isinstance(value, list) else []


def _problem(doc: Document, code: str, pointer: str, message: str) -> Problem:
    return Problem(doc.display, doc.line_of(pointer), code, pointer, message)


# --- consortium.yaml --------------------------------------------------------------


def check_consortium(doc: Document) -> list[Problem]:
    data = doc.data
    problems: list[Problem] = []
    for key in ("handling", "policyAreas", "platforms", "sources"):
        problems += _unique_ids(doc, data.get(key), join_pointer(key))
    access = data.get("access")
    if isinstance(access, dict):
        tiers = access.get("tiers")
        problems += _unique_ids(doc, tiers, join_pointer("access", "tiers"))
        vocab = Vocabulary.from_consortium(data)
        default = access.get("default")
        if isinstance(default, str) and default not in vocab.tiers:
            problems.append(
                _problem(
                    doc,
                    "tier-unknown",
                    "/access/default",
                    f"the default tier {default!r} is not among the tiers",
                )
            )
    sources = Vocabulary.from_consortium(data).sources
    for index, statement in enumerate(_list(data.get("statements"))):
        source = statement.get("source") if isinstance(statement, dict) else None
        if isinstance(source, str) and source not in sources:
            problems.append(
                _problem(
                    doc,
                    "source-unknown",
                    join_pointer("statements", index, "source"),
                    f"the source {source!r} is not declared in sources",
                )
            )
    return problems


def _unique_ids(doc: Document, items: Any, pointer: str) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            if item["id"] in seen:
                problems.append(
                    _problem(
                        doc,
                        "profile-consortium",
                        f"{pointer}/{index}/id",
                        f"the id {item['id']!r} is declared twice",
                    )
                )
            seen.add(item["id"])
    return problems


# --- schemas ----------------------------------------------------------------------


def unknown_type_pointers(package: dict[str, Any]) -> list[str]:
    """Pointers of inline fields with an unknown type: reported once, by check_schema."""
    pointers = []
    for r_index, resource in enumerate(_list(package.get("resources"))):
        schema = resource.get("schema") if isinstance(resource, dict) else None
        if isinstance(schema, dict):
            base = join_pointer("resources", r_index, "schema")
            pointers += [base + p for p in schema_unknown_type_pointers(schema)]
    return pointers


def schema_unknown_type_pointers(schema: dict[str, Any]) -> list[str]:
    """The same inside one Table Schema, relative to it."""
    known = set(profiles.field_types())
    return [
        join_pointer("fields", index)
        for index, fld in enumerate(_list(schema.get("fields")))
        if isinstance(fld, dict) and isinstance(fld.get("type"), str) and fld["type"] not in known
    ]


def check_schema(schema: Any, doc: Document, base: str, vocab: Vocabulary) -> list[Problem]:
    """Fields, keys and values of one Table Schema (shared file or inline)."""
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return []
    problems: list[Problem] = []
    known_types = profiles.field_types()
    names: set[str] = set()  # a set: a schema may have thousands of fields
    for index, fld in enumerate(schema["fields"]):
        if not isinstance(fld, dict):
            continue
        pointer = f"{base}/fields/{index}"
        name = fld.get("name")
        if isinstance(name, str):
            if name in names:
                problems.append(
                    _problem(
                        doc, "field-name-duplicate", pointer + "/name", f"the field {name!r} is defined twice"
                    )
                )
            names.add(name)
        ftype = fld.get("type", "any")
        if isinstance(ftype, str) and ftype not in known_types:
            close = difflib.get_close_matches(ftype, known_types, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(
                _problem(
                    doc,
                    "field-type-unknown",
                    pointer + "/type",
                    f"{ftype!r} is not a Table Schema type{hint} (known: {', '.join(known_types)})",
                )
            )
            continue
        problems += _check_values(fld, doc, pointer)
        sensitivity = fld.get("catalog:sensitivity")
        handling = sensitivity.get("handling") if isinstance(sensitivity, dict) else None
        if isinstance(handling, str) and vocab.handling and handling not in vocab.handling:
            problems.append(
                _problem(
                    doc,
                    "handling-unknown",
                    pointer + "/catalog:sensitivity/handling",
                    f"the handling {handling!r} is not declared in consortium.yaml",
                )
            )
    known = names
    for key_name, code in (("primaryKey", "primary-key-unknown-field"),):
        for name in _names(schema.get(key_name)):
            if name not in known:
                problems.append(
                    _problem(
                        doc,
                        code,
                        f"{base}/{key_name}",
                        f"the primary key names {name!r}, which is not a field",
                    )
                )
    for index, unique in enumerate(_list(schema.get("uniqueKeys"))):
        for name in _names(unique):
            if name not in known:
                problems.append(
                    _problem(
                        doc,
                        "unique-key-unknown-field",
                        f"{base}/uniqueKeys/{index}",
                        f"the unique key names {name!r}, which is not a field",
                    )
                )
    for index, key in enumerate(_list(schema.get("foreignKeys"))):
        if not isinstance(key, dict):
            continue
        reference = key.get("reference")
        if isinstance(reference, dict):
            local, remote = _names(key.get("fields")), _names(reference.get("fields"))
            if len(local) != len(remote):
                problems.append(
                    _problem(
                        doc,
                        "foreign-key-arity",
                        f"{base}/foreignKeys/{index}/reference/fields",
                        f"{len(local)} local field(s) but {len(remote)} referenced",
                    )
                )
        for name in _names(key.get("fields")):
            if name not in known:
                problems.append(
                    _problem(
                        doc,
                        "foreign-key-unknown-field",
                        f"{base}/foreignKeys/{index}/fields",
                        f"the foreign key names {name!r}, which is not a field",
                    )
                )
    return problems


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _cell_reader(fld: dict[str, Any]) -> Any:
    # frictionless knows how each Table Schema type reads a cell; use it rather
    # than re-implementing every type and format here.
    from frictionless import Field

    descriptor = {
        k: v
        for k, v in fld.items()
        if not k.startswith("catalog:")
        and k
        not in (
            "constraints",
            "categories",
            "categoriesOrdered",
            "example",
            "description",
            "title",
            "missingValues",
        )
    }
    try:
        return Field.from_descriptor(descriptor).create_cell_reader()
    except Exception:  # frictionless rejects what the profile already reported
        return None


def _check_values(fld: dict[str, Any], doc: Document, pointer: str) -> list[Problem]:
    """Example, enum and category values must read as the field's type."""
    checks: list[tuple[str, str, Any]] = []
    if "example" in fld and isinstance(fld["example"], str):
        checks.append(("example-type-mismatch", pointer + "/example", fld["example"]))
    constraints = fld.get("constraints")
    if isinstance(constraints, dict) and isinstance(constraints.get("enum"), list):
        for i, value in enumerate(constraints["enum"]):
            checks.append(("enum-type-mismatch", f"{pointer}/constraints/enum/{i}", value))
    categories = fld.get("categories")
    if isinstance(categories, list):
        for i, category in enumerate(categories):
            value = category.get("value") if isinstance(category, dict) else category
            checks.append(("category-type-mismatch", f"{pointer}/categories/{i}", value))
    if not checks:
        return []
    reader = _cell_reader(fld)
    if reader is None:
        return []
    ftype = fld.get("type", "any")
    problems = []
    for code, where, value in checks:
        if isinstance(value, bool) and ftype != "boolean":
            ok = False
        else:
            try:
                _, notes = reader(value)
            except Exception:
                notes = {"type": "unreadable"}
            ok = not (notes and "type" in notes)
        if code == "category-type-mismatch" and ftype not in ("string", "integer", "any"):
            problems.append(
                _problem(
                    doc,
                    code,
                    where,
                    f"categories are only for string and integer fields; this field is {ftype}",
                )
            )
            break
        if not ok:
            problems.append(_problem(doc, code, where, f"{value!r} is not a valid {ftype}"))
    return problems


# --- datasets ---------------------------------------------------------------------


def check_dataset(source: DatasetSource, vocab: Vocabulary, seen_names: dict[str, str]) -> list[Problem]:
    doc = source.doc
    package = source.package
    problems: list[Problem] = []
    name = package.get("name")
    if isinstance(name, str):
        if name != source.folder:
            problems.append(
                _problem(
                    doc,
                    "dataset-name-folder",
                    "/name",
                    f"the name {name!r} differs from the folder name {source.folder!r}",
                )
            )
        folded = name.casefold()
        if folded in seen_names:
            problems.append(
                _problem(
                    doc,
                    "dataset-name-duplicate",
                    "/name",
                    f"the name {name!r} is also used by {seen_names[folded]}",
                )
            )
        else:
            seen_names[folded] = doc.display
    package_tier = package.get("catalog:access")
    problems += _check_id(doc, "/catalog:access", package_tier, vocab.tiers, "tier-unknown", "tier")
    problems += _check_id(
        doc,
        "/catalog:policyArea",
        package.get("catalog:policyArea"),
        vocab.policy_areas,
        "policy-area-unknown",
        "policy area",
    )
    problems += _check_id(
        doc,
        "/catalog:platform",
        package.get("catalog:platform"),
        vocab.platforms,
        "platform-unknown",
        "platform",
    )
    figures = package.get("catalog:figures")
    if isinstance(figures, dict):
        for kind, values in figures.items():
            for index, figure in enumerate(values if isinstance(values, list) else []):
                if isinstance(figure, dict):
                    problems += _check_id(
                        doc,
                        join_pointer("catalog:figures", kind, index, "source"),
                        figure.get("source"),
                        vocab.sources,
                        "source-unknown",
                        "source",
                    )
    problems += _check_changelog(doc, package.get("catalog:changelog"))
    problems += check_resources(source, vocab)
    return problems


def check_unique_titles(sources: list[DatasetSource]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for source in sources:
        title = source.package.get("title")
        if not isinstance(title, str):
            continue
        key = " ".join(title.casefold().split())
        if key in seen:
            problems.append(
                _problem(
                    source.doc, "dataset-title-duplicate", "/title", f"the title is also used by {seen[key]}"
                )
            )
        else:
            seen[key] = source.doc.display
    return problems


def _check_id(
    doc: Document, pointer: str, value: Any, known: set[str], code: str, what: str
) -> list[Problem]:
    if isinstance(value, str) and known and value not in known:
        return [
            _problem(
                doc,
                code,
                pointer,
                f"the {what} {value!r} is not declared in consortium.yaml "
                f"(declared: {', '.join(sorted(known))})",
            )
        ]
    return []


def _check_changelog(doc: Document, changelog: Any) -> list[Problem]:
    if not isinstance(changelog, list):
        return []
    problems = []
    versions: set[str] = set()
    previous: str | None = None
    for index, entry in enumerate(changelog):
        if not isinstance(entry, dict):
            continue
        version, date = entry.get("version"), entry.get("date")
        if isinstance(version, str):
            if version in versions:
                problems.append(
                    _problem(
                        doc,
                        "changelog-version-duplicate",
                        join_pointer("catalog:changelog", index, "version"),
                        f"the version {version!r} appears twice",
                    )
                )
            versions.add(version)
        if isinstance(date, str):
            if previous is not None and date > previous:
                problems.append(
                    _problem(
                        doc,
                        "changelog-order",
                        join_pointer("catalog:changelog", index, "date"),
                        "entries must be newest first",
                    )
                )
            previous = date
    return problems


def check_resources(source: DatasetSource, vocab: Vocabulary) -> list[Problem]:
    doc = source.doc
    resources = source.package.get("resources")
    if not isinstance(resources, list):
        return []
    problems: list[Problem] = []
    dataset_dir = doc.path.parent
    names: dict[str, int] = {}
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict):
            continue
        base = join_pointer("resources", index)
        name = resource.get("name")
        if isinstance(name, str):
            if name in names:
                problems.append(
                    _problem(
                        doc,
                        "resource-name-duplicate",
                        base + "/name",
                        f"the resource name {name!r} is used twice",
                    )
                )
            names[name] = index
        problems += _check_id(
            doc, base + "/catalog:access", resource.get("catalog:access"), vocab.tiers, "tier-unknown", "tier"
        )
        paths = resource.get("path")
        for p_index, path in enumerate(paths if isinstance(paths, list) else [paths]):
            if path is None:
                continue
            found = check_data_path(path, dataset_dir)
            if found is not None:
                pointer = base + "/path" + (f"/{p_index}" if isinstance(paths, list) else "")
                problems.append(_problem(doc, found.code, pointer, found.message))
        schema = resource.get("schema")
        if isinstance(schema, dict):
            problems += check_schema(schema, doc, base + "/schema", vocab)
        patch = resource.get("catalog:schemaPatch")
        if isinstance(patch, dict):
            shared = source.schemas.get(index)
            if shared is None and not isinstance(schema, str):
                problems.append(
                    _problem(
                        doc,
                        "schema-patch-unknown-field",
                        base + "/catalog:schemaPatch",
                        "catalog:schemaPatch needs a shared schema given by path",
                    )
                )
            elif shared is not None and isinstance(shared.data, dict):
                patched, unknown = apply_schema_patch(shared.data, patch)
                for name in unknown:
                    problems.append(
                        _problem(
                            doc,
                            "schema-patch-unknown-field",
                            base + "/catalog:schemaPatch/fields/" + name,
                            f"the shared schema {shared.key} has no field {name!r}",
                        )
                    )
                for problem in check_schema(patched, doc, base + "/catalog:schemaPatch", vocab):
                    if problem.code in ("handling-unknown", "field-type-unknown"):
                        problems.append(problem)
    problems += _check_foreign_keys(source, names)
    return problems


def _check_foreign_keys(source: DatasetSource, names: dict[str, int]) -> list[Problem]:
    doc = source.doc
    problems = []
    resources = source.package["resources"]
    for index, resource in enumerate(resources):
        schema = resource_schema(source, index) if isinstance(resource, dict) else None
        if not isinstance(schema, dict):
            continue
        for k_index, key in enumerate(_list(schema.get("foreignKeys"))):
            if not isinstance(key, dict) or not isinstance(key.get("reference"), dict):
                continue
            pointer = join_pointer("resources", index, "schema", "foreignKeys", k_index, "reference")
            reference = key["reference"]
            target_name = reference.get("resource")
            if target_name is None:
                target_index = index
            elif target_name in names:
                target_index = names[target_name]
            else:
                problems.append(
                    _problem(
                        doc,
                        "foreign-key-unknown-resource",
                        pointer + "/resource",
                        f"no resource is named {target_name!r}",
                    )
                )
                continue
            remote = _names(reference.get("fields"))  # arity is checked with the schema
            target = resource_schema(source, target_index)
            target_fields = {
                f.get("name") for f in _list((target or {}).get("fields")) if isinstance(f, dict)
            }
            for name in remote:
                if target is not None and name not in target_fields:
                    problems.append(
                        _problem(
                            doc,
                            "foreign-key-unknown-target",
                            pointer + "/fields",
                            f"the referenced resource has no field {name!r}",
                        )
                    )
    return problems


# --- text -------------------------------------------------------------------------


_LIST_ITEM = re.compile(r"([-*+]|\d+[.)])(\s|$)")


def markdown_nesting(text: str) -> int:
    """The deepest nesting of brackets, list items or block quotes in a Markdown text."""
    deepest = depth = 0
    for char in text:
        if char in "[(":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "])" and depth:
            depth -= 1
    for line in text.splitlines():
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        quotes = len(stripped) - len(stripped.lstrip("> "))
        if _LIST_ITEM.match(stripped):
            deepest = max(deepest, indent // 2 + 1)
        deepest = max(deepest, stripped[:quotes].count(">"))
    return deepest


def _too_deep(text: str) -> bool:
    # A one-line text with few markers cannot nest deeper than it has markers: most
    # texts are settled without walking them character by character.
    limit = MAX_MARKDOWN_NESTING
    if "\n" not in text and text.count("[") + text.count("(") <= limit and text.count(">") <= limit:
        return False
    return markdown_nesting(text) > MAX_MARKDOWN_NESTING


def check_texts(data: Any, doc: Document) -> list[Problem]:
    """Every string: length and Markdown nesting; every link property: its scheme."""
    problems: list[Problem] = []
    # Paths are kept as tuples and joined into pointers only for a problem.
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
        elif isinstance(value, str):
            if len(value) > MAX_DESCRIPTION_CHARS:
                problems.append(
                    _problem(
                        doc,
                        "text-too-long",
                        join_pointer(*path),
                        f"{len(value):,} characters; the limit is {MAX_DESCRIPTION_CHARS:,}",
                    )
                )
            elif _too_deep(value):
                problems.append(
                    _problem(
                        doc,
                        "markdown-too-deep",
                        join_pointer(*path),
                        f"brackets, lists or quotes nest deeper than {MAX_MARKDOWN_NESTING}",
                    )
                )
    if isinstance(data, dict):
        problems += _check_links(data, doc, "")
        for index, resource in enumerate(_list(data.get("resources"))):
            if isinstance(resource, dict):
                problems += _check_links(resource, doc, join_pointer("resources", index))
    return problems


def _check_links(obj: dict[str, Any], doc: Document, base: str) -> list[Problem]:
    links = [(base + join_pointer(p), obj.get(p)) for p in _LINK_PROPS]
    for prop in _LIST_LINK_PROPS:
        for index, item in enumerate(_list(obj.get(prop))):
            if isinstance(item, dict):
                links.append((base + join_pointer(prop, index, "path"), item.get("path")))
                if "email" in item and isinstance(item["email"], str) and ":" in item["email"]:
                    links.append((base + join_pointer(prop, index, "email"), item["email"]))
    problems = []
    for pointer, url in links:
        has_scheme = isinstance(url, str) and re.match(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:", url)
        if has_scheme and not url.strip().lower().startswith(_ALLOWED_SCHEMES):
            problems.append(_problem(doc, "url-scheme", pointer, "links may use http, https or mailto only"))
    return problems
