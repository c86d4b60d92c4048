"""Maintainer reference pages generated from the generator's own definitions.

The descriptor reference is read from the JSON Schema profiles and the problem
list from the problem catalogue, so neither can drift from what the code does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import profiles
from ..problems import CODES
from ..richtext import markdown_html
from .page import Page, make_page


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    required: bool
    description: Markup
    values: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: Markup
    properties: tuple[Property, ...]


def _resolve(spec: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    ref = spec.get("$ref", "")
    if ref.startswith("#/definitions/"):
        target = dict(definitions[ref.split("/")[-1]])
        target.update({k: v for k, v in spec.items() if k != "$ref"})
        return target
    return spec


def _type(spec: dict[str, Any], definitions: dict[str, Any]) -> str:
    spec = _resolve(spec, definitions)
    if spec.get("title"):
        return spec["title"]
    if "enum" in spec:
        return "one of the values below"
    if "oneOf" in spec:
        return " or ".join(_type(s, definitions) for s in spec["oneOf"])
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}), definitions)}"
    if kind == "object" and spec.get("properties"):
        return "object (" + ", ".join(f"`{k}`" for k in spec["properties"]) + ")"
    names = {"string": "text", "number": "number", "boolean": "true or false", "null": "null"}
    kinds = [kind] if isinstance(kind, str) else kind
    return " or ".join(names.get(k, k) for k in kinds)


def _properties(
    schema: dict[str, Any], definitions: dict[str, Any], only_catalog: bool
) -> tuple[Property, ...]:
    required = set(schema.get("required", []))
    result = []
    for name, spec in schema.get("properties", {}).items():
        if only_catalog and not name.startswith("catalog:"):
            continue
        resolved = _resolve(spec, definitions)
        values = tuple(str(v) for v in resolved.get("enum", []))
        description = markdown_html(spec.get("description") or resolved.get("description", ""))
        result.append(Property(name, _type(spec, definitions), name in required, description, values))
    return tuple(result)


def descriptor_sections() -> list[Section]:
    catalog = profiles.load_profile("catalog-datapackage")
    definitions = catalog["definitions"]
    figure = definitions["figure"]
    changelog_entry = definitions["package"]["properties"]["catalog:changelog"]["items"]
    sensitivity = definitions["field"]["properties"]["catalog:sensitivity"]
    consortium = profiles.load_profile("consortium")
    return [
        Section(
            "package",
            "Dataset (package) properties",
            markdown_html("Set at the top level of `datapackage.yaml`."),
            _properties(definitions["package"], definitions, True),
        ),
        Section(
            "figure",
            "A reported figure",
            markdown_html("Each entry of a `catalog:figures` list."),
            _properties(figure, definitions, False),
        ),
        Section(
            "changelog",
            "A changelog entry",
            markdown_html("Each entry of `catalog:changelog`, newest first."),
            _properties(changelog_entry, definitions, False),
        ),
        Section(
            "resource",
            "Resource properties",
            markdown_html("Set on an entry of `resources`."),
            _properties(definitions["resource"], definitions, True),
        ),
        Section(
            "field",
            "Field properties",
            markdown_html("Set on a field of a Table Schema (shared or inline)."),
            _properties(definitions["field"], definitions, True),
        ),
        Section(
            "sensitivity",
            "catalog:sensitivity",
            markdown_html("How a field's value is handled in the public files."),
            _properties(sensitivity, definitions, False),
        ),
        Section(
            "consortium",
            "consortium.yaml",
            markdown_html(consortium["description"]),
            _properties(consortium, consortium.get("definitions", {}), False),
        ),
    ]


def render_reference() -> list[Page]:
    return [
        make_page(
            "maintainers/descriptor-reference.md",
            "Descriptor reference",
            "Every catalog: property a descriptor may use, generated from the extension profile.",
            "reference.html.j2",
            sections=descriptor_sections(),
        ),
        make_page(
            "maintainers/problems.md",
            "Problem codes",
            "Every problem tmrc validate can report, with what it means.",
            "problems.html.j2",
            codes=sorted(CODES.items()),
        ),
    ]
