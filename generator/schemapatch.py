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

from typing import Any


def _merge(target: Any, patch: Any) -> Any:
    """JSON Merge Patch: new dicts along the patched path, everything else shared."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge(result.get(key), value)
    return result


def apply_schema_patch(schema: dict[str, Any], patch: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The patched schema, and the field names the patch mentions but the schema lacks.

    The result shares every value the patch does not change with `schema` and `patch`
    (they are read, never modified): patching a 31-field schema copies one field.
    """
    result = dict(schema)
    unknown: list[str] = []
    for key, value in patch.items():
        if key == "fields":
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    field_patches = patch.get("fields")
    if isinstance(field_patches, dict):
        fields = list(result["fields"]) if isinstance(result.get("fields"), list) else []
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
            if isinstance(result.get("primaryKey"), list):
                kept = [n for n in result["primaryKey"] if n not in removed]
                if kept:
                    result["primaryKey"] = kept
                else:
                    del result["primaryKey"]
            if isinstance(result.get("uniqueKeys"), list):
                result["uniqueKeys"] = [
                    k for k in result["uniqueKeys"] if not (isinstance(k, list) and removed & set(k))
                ]
    return result, unknown
