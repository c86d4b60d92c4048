"""`tmrc diff OLD NEW`: what changed between two versions of a dataset descriptor, in plain words.

Each side is a descriptor file, or `REV:PATH` for the file as it was in a git
revision (PATH relative to the current folder, as for a file). Both sides are
read the way the catalog reads them: the strict loader, v1 forms normalised,
shared schemas dereferenced (for a revision, the schema as it was in that
revision) and `catalog:schemaPatch` applied. A field added through a patch and a
field added to the shared schema are both "a field added".

The result is one sentence per change, in a fixed order (dataset, changelog,
figures, resources, fields), to paste into a `catalog:changelog` entry.

Leak rule: a resource's path, URL, hash and size are printed only when the
resource is public on both sides, each side judged by its own consortium.yaml.
Without a consortium.yaml, nothing counts as public.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import wording
from .problems import Problem
from .versions import Side, load_side, resource_key
from .viewmodel import FIGURE_LABELS

_LOCATION = ("path", "data", "hash", "bytes")  # never shown for a file that is not public
_RESOURCE_HANDLED = {"name", "title", "description", "schema", "catalog:schemaPatch", "catalog:access"}
_PACKAGE_HANDLED = {
    "title",
    "description",
    "version",
    "keywords",
    "catalog:access",
    "catalog:figures",
    "catalog:changelog",
    "resources",
}
_FIELD_HANDLED = {
    "name",
    "type",
    "format",
    "title",
    "description",
    "constraints",
    "catalog:sensitivity",
    "catalog:presence",
    "catalog:asOf",
}


# --- words --------------------------------------------------------------------------


def _show(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return wording.number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list) and all(_is_scalar(v) for v in value):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return "a new value"


def _word(value: Any) -> str:
    """An id or version, shown bare."""
    return "not set" if value is None else str(value)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _list_change(label: str, old: Any, new: Any) -> list[str]:
    """Added and removed items of two lists of plain values."""
    old_items = old if isinstance(old, list) else [] if old is None else [old]
    new_items = new if isinstance(new, list) else [] if new is None else [new]
    added = [v for v in new_items if v not in old_items]
    removed = [v for v in old_items if v not in new_items]
    lines = []
    if added:
        lines.append(f"{label} added: {', '.join(_show(v) for v in added)}")
    if removed:
        lines.append(f"{label} removed: {', '.join(_show(v) for v in removed)}")
    if not lines and old_items != new_items:
        lines.append(f"{label}: order changed")
    return lines


def _value_change(label: str, old: Any, new: Any, show_values: bool = True) -> list[str]:
    if old == new:
        return []
    both_lists = isinstance(old, list | None) and isinstance(new, list | None)
    if both_lists and all(_is_scalar(v) for v in (old or []) + (new or [])) and show_values:
        return _list_change(label, old, new)
    if old is None:
        return [f"{label} added" + (f": {_show(new)}" if show_values and _is_scalar(new) else "")]
    if new is None:
        return [f"{label} removed"]
    if show_values and _is_scalar(old) and _is_scalar(new):
        return [f"{label}: {_show(old)} → {_show(new)}"]
    return [f"{label} changed"]


def _text_change(label: str, old: Any, new: Any) -> list[str]:
    """Long texts (descriptions) are named, not quoted."""
    if old == new:
        return []
    return [f"{label} " + ("added" if old is None else "removed" if new is None else "changed")]


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# --- comparing ----------------------------------------------------------------------


def compare(old: Side, new: Side) -> list[str]:
    """Every change from `old` to `new`, one sentence each, in a stable order."""
    lines = _package_changes(old, new)
    lines += _changelog_changes(old.package.get("catalog:changelog"), new.package.get("catalog:changelog"))
    lines += _figure_changes(old.package.get("catalog:figures"), new.package.get("catalog:figures"))
    lines += _resource_changes(old, new)
    return [_sentence(line) for line in lines]


def _package_changes(old: Side, new: Side) -> list[str]:
    a, b = old.package, new.package
    lines = _value_change("Title", a.get("title"), b.get("title"))
    lines += _text_change("Description", a.get("description"), b.get("description"))
    if a.get("version") != b.get("version"):
        lines.append(f"Version: {_word(a.get('version'))} → {_word(b.get('version'))}")
    lines += _list_change("Keywords", a.get("keywords"), b.get("keywords"))
    if a.get("catalog:access") != b.get("catalog:access"):
        lines.append(
            f"Access tier of the dataset: {_word(a.get('catalog:access'))} → {_word(b.get('catalog:access'))}"
        )
    for key in sorted((set(a) | set(b)) - _PACKAGE_HANDLED):
        lines += _value_change(key, a.get(key), b.get(key))
    return lines


def _changelog_changes(old: Any, new: Any) -> list[str]:
    def entries(value: Any) -> dict[str, dict[str, Any]]:
        items = value if isinstance(value, list) else []
        return {str(e.get("version")): e for e in items if isinstance(e, dict)}

    before, after = entries(old), entries(new)
    lines = []
    for version, entry in after.items():
        if version not in before:
            summary = entry.get("summary")
            lines.append(
                f"Changelog entry added: {version} ({_word(entry.get('date'))})"
                + (f": {summary}" if isinstance(summary, str) else "")
            )
        elif entry != before[version]:
            keys = sorted(
                k for k in set(entry) | set(before[version]) if entry.get(k) != before[version].get(k)
            )
            lines.append(f"Changelog entry {version} changed ({', '.join(keys)})")
    lines += [f"Changelog entry removed: {version}" for version in before if version not in after]
    return lines


def _figures_text(values: Any) -> str:
    parts = []
    for figure in values if isinstance(values, list) else []:
        if not isinstance(figure, dict) or not isinstance(figure.get("value"), int | float):
            continue
        text = wording.figure_text(figure["value"], figure.get("unit"), figure.get("qualifier"))
        origin = str(figure.get("source", "no source"))
        if figure.get("note"):
            origin += f": {figure['note']}"
        parts.append(f"{text} ({origin})")
    return "; ".join(parts) or "no value"


def _figure_changes(old: Any, new: Any) -> list[str]:
    before, after = _mapping(old), _mapping(new)
    kinds = [k for k in FIGURE_LABELS if k in before or k in after]
    kinds += sorted((set(before) | set(after)) - set(FIGURE_LABELS))
    lines = []
    for kind in kinds:
        label = f'Figure "{FIGURE_LABELS.get(kind, kind)}"'
        if before.get(kind) == after.get(kind):
            continue
        if kind not in before:
            lines.append(f"{label} added: {_figures_text(after[kind])}")
        elif kind not in after:
            lines.append(f"{label} removed: it was {_figures_text(before[kind])}")
        else:
            lines.append(f"{label}: {_figures_text(before[kind])} → {_figures_text(after[kind])}")
    return lines


def _resources(side: Side) -> dict[str, dict[str, Any]]:
    items = side.package.get("resources")
    return {
        resource_key(r, i): r
        for i, r in enumerate(items if isinstance(items, list) else [])
        if isinstance(r, dict)
    }


def _resource_changes(old: Side, new: Side) -> list[str]:
    before, after = _resources(old), _resources(new)
    lines = []
    for name, resource in after.items():
        if name not in before:
            title = f' ("{resource["title"]}")' if isinstance(resource.get("title"), str) else ""
            lines.append(f"Resource added: {name}{title}, access tier {new.tier(resource)}")
    for name, resource in before.items():
        if name not in after:
            title = f' ("{resource["title"]}")' if isinstance(resource.get("title"), str) else ""
            lines.append(f"Resource removed: {name}{title}")
    field_lines: dict[str, list[str]] = {}
    for name, resource in after.items():
        if name not in before:
            continue
        a, public = before[name], old.is_public(before[name]) and new.is_public(resource)
        prefix = f"Resource {name}: "
        if old.tier(a) != new.tier(resource):
            lines.append(f"{prefix}access tier {old.tier(a)} → {new.tier(resource)}")
        lines += [prefix + line for line in _value_change("title", a.get("title"), resource.get("title"))]
        lines += [
            prefix + line
            for line in _text_change("description", a.get("description"), resource.get("description"))
        ]
        lines += _location_changes(prefix, a, resource, public)
        if isinstance(a.get("schema"), str) or isinstance(resource.get("schema"), str):
            lines += [
                prefix + line
                for line in _value_change(
                    "schema", _schema_label(a.get("schema")), _schema_label(resource.get("schema"))
                )
            ]
        for key in sorted((set(a) | set(resource)) - _RESOURCE_HANDLED - set(_LOCATION)):
            lines += [prefix + line for line in _value_change(key, a.get(key), resource.get(key), public)]
        for phrase in _schema_changes(old.schemas.get(name), new.schemas.get(name)):
            field_lines.setdefault(phrase, []).append(name)
    # One line per change, naming every resource it applies to: a shared schema that
    # changed affects its hashed and unhashed files alike.
    for phrase, names in field_lines.items():
        lines.append(f"{'Resource' if len(names) == 1 else 'Resources'} {', '.join(names)}: {phrase}")
    return lines


def _schema_label(schema: Any) -> str | None:
    if schema is None or isinstance(schema, str):
        return schema
    return "an inline schema"


def _location_changes(prefix: str, old: dict[str, Any], new: dict[str, Any], public: bool) -> list[str]:
    changed = [key for key in _LOCATION if old.get(key) != new.get(key)]
    if not changed:
        return []
    if not public:
        return [f"{prefix}location or file details changed (not shown: the file is not public)"]
    lines = []
    for key in changed:
        if key == "bytes":
            lines.append(f"{prefix}size {_show(old.get(key))} → {_show(new.get(key))} bytes")
        elif key == "data":
            lines.append(f"{prefix}inline data changed")
        else:
            lines += [prefix + line for line in _value_change(key, old.get(key), new.get(key))]
    return lines


def _fields(schema: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    items = _mapping(schema).get("fields")
    fields = items if isinstance(items, list) else []
    return {f["name"]: f for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)}


def _schema_changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    if old == new:
        return []
    if old is None or new is None:
        return ["table schema " + ("added" if old is None else "removed")]
    before, after = _fields(old), _fields(new)
    phrases = []
    for name, fld in after.items():
        if name not in before:
            phrases.append(f"field {name} added ({wording.field_type(fld)})")
    phrases += [f"field {name} removed" for name in before if name not in after]
    for name, fld in after.items():
        if name in before:
            phrases += [f"field {name} {change}" for change in _field_changes(before[name], fld)]
    common_before = [n for n in before if n in after]
    common_after = [n for n in after if n in before]
    if common_before != common_after:
        phrases.append("field order changed")
    for key in sorted((set(old) | set(new)) - {"fields"}):
        if key == "description":
            phrases += _text_change("schema description", old.get(key), new.get(key))
        else:
            phrases += _value_change(f"schema {key}", old.get(key), new.get(key))
    return phrases


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    changes = []
    if wording.field_type(old) != wording.field_type(new):
        changes.append(f"retyped: {wording.field_type(old)} → {wording.field_type(new)}")
    if old.get("title") != new.get("title"):
        changes.append(f"retitled: {_show(old.get('title'))} → {_show(new.get('title'))}")
    if old.get("description") != new.get("description"):
        changes.append("re-described")
    constraints = _constraint_changes(_mapping(old.get("constraints")), _mapping(new.get("constraints")))
    if constraints:
        changes.append(f"constraints changed: {'; '.join(constraints)}")
    handling = _handling_changes(
        _mapping(old.get("catalog:sensitivity")), _mapping(new.get("catalog:sensitivity"))
    )
    if handling:
        changes.append("; ".join(handling))
    for key, label in (("catalog:presence", "presence"), ("catalog:asOf", "as of")):
        if old.get(key) != new.get(key):
            changes.append(f"{label}: {_word(old.get(key))} → {_word(new.get(key))}")
    others = sorted(k for k in (set(old) | set(new)) - _FIELD_HANDLED if old.get(k) != new.get(k))
    if others:
        changes.append(f"{', '.join(others)} changed")
    return changes


def _constraint_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [
        f"{key} {_show(old.get(key))} → {_show(new.get(key))}"
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    ]


def _handling_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    changes = []
    if old.get("handling") != new.get("handling"):
        changes.append(f"handling: {_word(old.get('handling'))} → {_word(new.get('handling'))}")
    if old.get("condition") != new.get("condition"):
        changes.append(f"handling condition: {_show(old.get('condition'))} → {_show(new.get('condition'))}")
    changes += _text_change("handling note", old.get("note"), new.get("note"))
    return changes


# --- output -------------------------------------------------------------------------


def format_changes(lines: list[str], output_format: str = "text") -> str:
    """Text: one '- sentence' per line. YAML: a `changes:` list for a catalog:changelog entry."""
    if output_format == "yaml":
        if not lines:
            return "changes: []\n"
        return "changes:\n" + "".join(f"  - {_yaml_string(line)}\n" for line in lines)
    if not lines:
        return "no changes\n"
    return "".join(f"- {line}\n" for line in lines)


def _yaml_string(text: str) -> str:
    """Single-quoted (readable: only ' is doubled) unless the text needs escapes."""
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def diff_descriptors(
    old_spec: str, new_spec: str, catalog: Path | None = None, cwd: Path | None = None
) -> tuple[list[str] | None, list[Problem]]:
    """The changes from OLD to NEW, or None and every problem that kept a side from being read."""
    old, old_problems = load_side(old_spec, catalog, cwd)
    new, new_problems = load_side(new_spec, catalog, cwd)
    if old is None or new is None:
        return None, old_problems + new_problems
    return compare(old, new), []
