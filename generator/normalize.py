"""Bring v1 and v0 descriptor forms to Data Package v2, in one place.

A v2 consumer must still accept the older forms (the v2 spec makes these MUSTs):
`url` means `path`; `profile: tabular-data-resource` means `type: table`; a single
`role` means `roles: [role]`; a string `primaryKey` or foreign-key `fields` means a
one-element list; an empty foreign-key `resource` means the resource itself; a
`fmt:` prefix on a field format is dropped. Everything else in the generator sees
only the v2 form. The functions never change what the loader returned: they copy
exactly the objects they change (shallow copies), and share the rest.
"""

from __future__ import annotations

from typing import Any


def normalize_package(descriptor: dict[str, Any]) -> dict[str, Any]:
    package = dict(descriptor)
    contributors = package.get("contributors")
    if isinstance(contributors, list):
        package["contributors"] = [_contributor(c) for c in contributors]
    resources = package.get("resources")
    if isinstance(resources, list):
        package["resources"] = [normalize_resource(r) if isinstance(r, dict) else r for r in resources]
    return package


def _contributor(contributor: Any) -> Any:
    if isinstance(contributor, dict) and "role" in contributor and "roles" not in contributor:
        contributor = dict(contributor)
        role = contributor.pop("role")
        contributor["roles"] = [role] if isinstance(role, str) else role
    return contributor


def normalize_resource(resource: dict[str, Any]) -> dict[str, Any]:
    resource = dict(resource)
    if "url" in resource and "path" not in resource:
        resource["path"] = resource.pop("url")
    profile = resource.get("profile")
    if profile == "tabular-data-resource" and "type" not in resource:
        resource["type"] = "table"
    if isinstance(resource.get("schema"), dict):
        resource["schema"] = normalize_schema(resource["schema"])
    if "schema" in resource and "type" not in resource:
        resource["type"] = "table"
    return resource


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def normalize_schema(schema: dict[str, Any]) -> dict[str, Any]:
    schema = dict(schema)
    if "primaryKey" in schema:
        schema["primaryKey"] = _as_list(schema["primaryKey"])
    keys = schema.get("foreignKeys")
    if isinstance(keys, list):
        schema["foreignKeys"] = [_foreign_key(k) if isinstance(k, dict) else k for k in keys]
    fields = schema.get("fields")
    if isinstance(fields, list):
        schema["fields"] = [_field(f) for f in fields]
    return schema


def _foreign_key(key: dict[str, Any]) -> dict[str, Any]:
    key = dict(key)
    key["fields"] = _as_list(key.get("fields"))
    reference = key.get("reference")
    if isinstance(reference, dict):
        reference = dict(reference)
        reference["fields"] = _as_list(reference.get("fields"))
        if reference.get("resource") == "":
            del reference["resource"]
        key["reference"] = reference
    return key


def _field(field: Any) -> Any:
    fmt = field.get("format") if isinstance(field, dict) else None
    if isinstance(fmt, str) and fmt.startswith("fmt:"):
        return {**field, "format": fmt[4:]}
    return field
