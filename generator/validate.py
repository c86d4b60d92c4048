"""Validate a loaded catalog: the official profiles, the catalog profiles, then semantics.

Every check appends Problems; nothing here raises for a user mistake. Shared
schema files are validated once each, and their problems are reported against
the schema file, not against every dataset that uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from . import profiles, semantics
from .catalog import Catalog, SharedFile
from .problems import Problem
from .reader import Document, join_pointer


def _message(error: ValidationError) -> str:
    if (
        error.validator == "type"
        and isinstance(error.instance, int | float | bool)
        and (error.validator_value == "string" or "string" in (error.validator_value or []))
    ):
        return f"{error.message}; in YAML, put the value in quotes"
    if error.validator == "required":
        return error.message
    if error.validator == "propertyNames":
        return f"unknown catalog property {error.instance!r}"
    message = error.message
    return message if len(message) <= 300 else message[:297] + "..."


def _specific(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the sub-error that best explains what is wrong."""
    while error.context:
        best = best_match(error.context)
        if best is None:
            break
        error = best
    return error


def profile_problems(
    validator: Any, data: Any, doc: Document, code: str, base: str = "", skip: Iterable[str] = ()
) -> list[Problem]:
    skipped = tuple(skip)
    problems = []
    for error in validator.iter_errors(data):
        error = _specific(error)
        pointer = base + join_pointer(*error.absolute_path)
        if any(pointer == s or pointer.startswith(s + "/") for s in skipped):
            continue
        this_code = "text-too-long" if error.validator == "maxLength" else code
        problems.append(Problem(doc.display, doc.line_of(pointer), this_code, pointer, _message(error)))
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
        problems += profile_problems(
            profiles.official("datapackage"), package, doc, "profile-datapackage", skip=unknown_types
        )
        problems += profile_problems(
            profiles.own("catalog-datapackage", "package"),
            package,
            doc,
            "profile-catalog",
            skip=unknown_types,
        )
        problems += semantics.check_dataset(dataset, vocab, seen_names)
        problems += semantics.check_texts(package, doc)
    return problems


def _validate_shared(shared: SharedFile, vocab: semantics.Vocabulary) -> list[Problem]:
    doc = shared.doc
    if shared.kind == "dialect":
        return profile_problems(profiles.official("tabledialect"), shared.data, doc, "profile-tabledialect")
    unknown_types = semantics.unknown_type_pointers({"resources": [{"schema": shared.data}]})
    unknown_types = [p.replace("/resources/0/schema", "", 1) for p in unknown_types]
    problems = profile_problems(
        profiles.official("tableschema"), shared.data, doc, "profile-tableschema", skip=unknown_types
    )
    problems += profile_problems(
        profiles.own("catalog-datapackage", "schema"), shared.data, doc, "profile-catalog", skip=unknown_types
    )
    problems += semantics.check_schema(shared.data, doc, "", vocab)
    problems += semantics.check_texts(shared.data, doc)
    return problems
