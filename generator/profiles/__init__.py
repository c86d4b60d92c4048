"""JSON Schema profiles: the official Data Package v2 ones (vendored) and the catalog's own.

The official profiles are registered under their canonical URLs, so our extension
profiles can `$ref` them exactly as a published profile would, without any network.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

HERE = Path(__file__).parent
OFFICIAL_BASE = "https://datapackage.org/profiles/2.0/"
OFFICIAL = ("datapackage", "dataresource", "tableschema", "tabledialect")
CATALOG_PACKAGE_ID = "urn:tmrc-catalog:profile:datapackage:1"
OWN = ("catalog-datapackage", "catalog-tableschema", "consortium", "membership")


@cache
def load_profile(name: str) -> dict[str, Any]:
    folder = HERE / "official" if name in OFFICIAL else HERE
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    resources = [
        (OFFICIAL_BASE + f"{name}.json", Resource.from_contents(load_profile(name), DRAFT7))
        for name in OFFICIAL
    ]
    for name in OWN:
        contents = load_profile(name)
        resources.append((contents["$id"], Resource.from_contents(contents, DRAFT7)))
    return Registry().with_resources(resources)


@cache
def validator(ref: str) -> Draft7Validator:
    """A compiled validator for a profile (or a definition inside one), by URI reference."""
    return Draft7Validator({"$ref": ref}, registry=registry(), format_checker=FormatChecker())


def official(name: str) -> Draft7Validator:
    return validator(OFFICIAL_BASE + f"{name}.json")


def own(name: str, definition: str | None = None) -> Draft7Validator:
    uri = load_profile(name)["$id"]
    return validator(uri + (f"#/definitions/{definition}" if definition else ""))


@cache
def field_types() -> tuple[str, ...]:
    """The field types the official Table Schema profile knows, in its order."""
    branches = load_profile("tableschema")["properties"]["fields"]["items"]["oneOf"]
    return tuple(t for b in branches for t in b["properties"]["type"].get("enum", []))
