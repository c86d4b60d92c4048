"""`catalog:schemaPatch`: how one resource differs from the shared schema it uses.

Forty-eight datasets share one tweets schema and differ only where they really
differ: a column some files lack, a set hashed in full. The patch says so in the
descriptor instead of copying the schema. Semantics, close to JSON Merge Patch
(RFC 7396) but addressing fields by name:

- a top-level key other than `fields` replaces the schema's value (null removes it);
- `fields` maps a field name to the properties that change; within a field, a
  null value removes that property, an object merges, anything else replaces;
  a null field removes the field (and it leaves primary and unique keys).
"""

from __future__ import annotations

import copy
from typing import Any


def _merge(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge(result.get(key), value)
    return result


def apply_schema_patch(schema: dict[str, Any], patch: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The patched schema, and the field names the patch mentions but the schema lacks."""
    result = copy.deepcopy(schema)
    unknown: list[str] = []
    for key, value in patch.items():
        if key == "fields":
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = copy.deepcopy(value)
    field_patches = patch.get("fields")
    if isinstance(field_patches, dict):
        fields = result.get("fields") if isinstance(result.get("fields"), list) else []
        names = [f.get("name") if isinstance(f, dict) else None for f in fields]
        removed: set[str] = set()
        for name, change in field_patches.items():
            if name not in names:
                unknown.append(name)
                continue
            index = names.index(name)
            if change is None:
                removed.add(name)
            else:
                fields[index] = _merge(fields[index], {k: v for k, v in change.items() if k != "name"})
        result["fields"] = [f for f, n in zip(fields, names, strict=True) if n not in removed]
        if removed:
            for key in ("primaryKey",):
                if isinstance(result.get(key), list):
                    result[key] = [n for n in result[key] if n not in removed] or None
                    if result[key] is None:
                        del result[key]
            if isinstance(result.get("uniqueKeys"), list):
                result["uniqueKeys"] = [
                    k for k in result["uniqueKeys"] if not (isinstance(k, list) and removed & set(k))
                ]
    return result, unknown
