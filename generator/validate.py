"""Validate a loaded catalog: the official profiles, the catalog profiles, then semantics.

Every check appends Problems; nothing here raises for a user mistake. Shared
schema files are validated once each, and their problems are reported against
the schema file, not against every dataset that uses it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from . import profiles, semantics
from .catalog import Catalog, DatasetSource, SharedFile
from .normalize import normalize_resource, normalize_schema
from .paths import check_data_path
from .problems import Problem
from .reader import Document, join_pointer


def _message(error: ValidationError) -> str:
    if (
        error.validator == "type"
        and isinstance(error.instance, int | float | bool)
        and (error.validator_value == "string" or "string" in (error.validator_value or []))
    ):
        return f"{error.message}; in YAML, put the value in quotes"
    message = error.message
    return message if len(message) <= 300 else message[:297] + "..."


def _explain(error: ValidationError) -> tuple[list[Any], str, str]:
    """Path, message and keyword of the error that best explains a failure.

    oneOf/anyOf failures are followed down to their most relevant branch; an
    unknown `catalog:` property is reported at the property itself, with a hint.
    """
    while True:
        if "propertyNames" in error.relative_schema_path and isinstance(error.instance, str):
            # jsonschema reports a bad property name as an error about the name itself
            name = error.instance
            allowed = error.validator_value if error.validator == "enum" else []
            close = difflib.get_close_matches(str(name), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return [*error.absolute_path, name], f"unknown catalog property {name!r}{hint}", "propertyNames"
        best = best_match(error.context) if error.context else None
        if best is None:
            return list(error.absolute_path), _message(error), str(error.validator)
        error = best


# A message about a resource's location may quote the location; a non-public one
# must never reach a build log, so these are reported without the value.
_LOCATION = re.compile(r"^/resources/\d+/(path|url|hash|data|bytes|sources)(/|$)")


def _related(a: str, b: str) -> bool:
    """Whether one pointer is the other, or inside it."""
    return f"{a}/".startswith(f"{b}/") or f"{b}/".startswith(f"{a}/")


def _ancestors(pointer: str) -> list[str]:
    parts = pointer.split("/")
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]


def profile_problems(
    validator: profiles.Profile, data: Any, doc: Document, code: str, base: str = "", skip: Iterable[str] = ()
) -> list[Problem]:
    """The located problems of `data` against a profile, or none when it is valid."""
    if validator.is_valid(data):
        return []
    explained = [_explain(error) for error in validator.iter_errors(data)]
    # The compiled engine is stricter where python-jsonschema lacks a format checker
    # (date-time, uri): its errors at places python found nothing wrong are reported too.
    covered = [join_pointer(*path) for path, _, _ in explained]
    for path, message in validator.fast_errors(data):
        pointer = join_pointer(*path)
        if not any(_related(pointer, c) for c in covered):
            explained.append((path, message, "format"))
    skipped = set(skip)
    problems = []
    for path, message, keyword in explained:
        pointer = base + join_pointer(*path)
        if any(ancestor in skipped for ancestor in _ancestors(pointer)):
            continue
        if _LOCATION.match(pointer[len(base) :] if base else pointer):
            message = f"the value does not follow the Data Package rules for this property ({keyword})"
        this_code = "text-too-long" if keyword == "maxLength" else code
        problems.append(Problem(doc.display, doc.line_of(pointer), this_code, pointer, message))
    return problems


def validate_catalog(catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    vocab = semantics.Vocabulary.from_consortium(catalog.consortium_data)
    if catalog.consortium is not None:
        problems += profile_problems(
            profiles.own("consortium"), catalog.consortium.data, catalog.consortium, "profile-consortium"
        )
        problems += semantics.check_consortium(catalog.consortium)
    for name, doc in catalog.membership.items():
        problems += profile_problems(profiles.own("membership", name), doc.data, doc, "profile-membership")
    for shared in catalog.shared.values():
        problems += _validate_shared(shared, vocab)
    seen_names: dict[str, str] = {}
    for dataset in catalog.datasets:
        doc = dataset.doc
        package = dataset.package
        unknown_types = semantics.unknown_type_pointers(package)
        problems += _official_package_problems(package, doc, unknown_types)
        problems += profile_problems(
            profiles.own("catalog-datapackage", "package"),
            package,
            doc,
            "profile-catalog",
            skip=unknown_types,
        )
        problems += semantics.check_dataset(dataset, vocab, seen_names)
        problems += semantics.check_texts(package, doc)
    problems += semantics.check_unique_titles(catalog.datasets)
    return problems


# Where the official v2 JSON profiles disagree with the v2 specification text, the
# official profile is not asked; the catalog profile (or the reader) checks instead:
# - `dialect` may be a path (spec), but the profile wants an object: such references
#   are read and validated against the Table Dialect profile;
# - `fieldsMatch` is a string (spec), but the profile says array (a typo'd `item`):
#   the catalog profile checks it against the spec's five values.
# Fields of an unknown type are skipped as well: check_schema reports them once, with a hint.


def _official_package_problems(
    package: dict[str, Any], doc: Document, unknown_types: list[str]
) -> list[Problem]:
    resources = package.get("resources")
    exemptions = [
        join_pointer("resources", index) + pointer
        for index, resource in enumerate(resources if isinstance(resources, list) else [])
        if isinstance(resource, dict)
        for pointer in _resource_exemptions(resource)
    ]
    return profile_problems(
        profiles.official("datapackage"), package, doc, "profile-datapackage", skip=unknown_types + exemptions
    )


def _resource_exemptions(resource: dict[str, Any]) -> list[str]:
    pointers = ["/dialect"] if isinstance(resource.get("dialect"), str) else []
    schema = resource.get("schema")
    if isinstance(schema, dict):
        pointers += ["/schema" + p for p in _schema_exemptions(schema)]
    return pointers


def _schema_exemptions(schema: dict[str, Any]) -> list[str]:
    return ["/fieldsMatch"] if isinstance(schema.get("fieldsMatch"), str) else []


def _official_schema_problems(
    schema: dict[str, Any], doc: Document, unknown_types: list[str]
) -> list[Problem]:
    return profile_problems(
        profiles.official("tableschema"),
        schema,
        doc,
        "profile-tableschema",
        skip=unknown_types + _schema_exemptions(schema),
    )


def _validate_shared(shared: SharedFile, vocab: semantics.Vocabulary) -> list[Problem]:
    doc = shared.doc
    if shared.kind == "dialect":
        return profile_problems(profiles.official("tabledialect"), shared.data, doc, "profile-tabledialect")
    unknown_types = semantics.schema_unknown_type_pointers(shared.data)
    problems = _official_schema_problems(shared.data, doc, unknown_types)
    problems += profile_problems(
        profiles.own("catalog-datapackage", "schema"), shared.data, doc, "profile-catalog", skip=unknown_types
    )
    problems += semantics.check_schema(shared.data, doc, "", vocab)
    problems += semantics.check_texts(shared.data, doc)
    return problems


def validate_standalone(source: DatasetSource, catalog: Catalog) -> list[Problem]:
    """A descriptor outside any catalog: the official v2 rules and the semantic checks only."""
    unknown_types = semantics.unknown_type_pointers(source.package)
    problems = _official_package_problems(source.package, source.doc, unknown_types)
    vocab = semantics.Vocabulary()
    for shared in catalog.shared.values():
        problems += _validate_shared(shared, vocab)
    problems += semantics.check_resources(source, vocab)
    problems += semantics.check_texts(source.package, source.doc)
    return problems


def descriptor_kind(data: Any) -> str:
    """'package', 'resource' or 'schema', judged from the properties a descriptor has."""
    if isinstance(data, dict) and "resources" not in data:
        if "fields" in data:
            return "schema"
        if "path" in data or "data" in data or "url" in data:
            return "resource"
    return "package"


def validate_schema_document(doc: Document) -> list[Problem]:
    data = normalize_schema(doc.data)
    problems = _official_schema_problems(data, doc, semantics.schema_unknown_type_pointers(data))
    return problems + semantics.check_schema(data, doc, "", semantics.Vocabulary())


def validate_resource_document(doc: Document) -> list[Problem]:
    data = normalize_resource(doc.data)
    schema = data.get("schema")
    skip = _resource_exemptions(data)
    if isinstance(schema, dict):
        skip += ["/schema" + p for p in semantics.schema_unknown_type_pointers(schema)]
    problems = profile_problems(
        profiles.official("dataresource"), data, doc, "profile-datapackage", skip=skip
    )
    paths = data.get("path")
    for index, path in enumerate(paths if isinstance(paths, list) else [paths]):
        found = check_data_path(path, doc.path.parent) if path is not None else None
        if found is not None:
            pointer = "/path" + (f"/{index}" if isinstance(paths, list) else "")
            problems.append(Problem(doc.display, doc.line_of(pointer), found.code, pointer, found.message))
    if isinstance(schema, dict):
        problems += semantics.check_schema(schema, doc, "/schema", semantics.Vocabulary())
    return problems
