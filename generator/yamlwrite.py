"""Block-style YAML with comments, for descriptors that people will read and edit.

`tmrc new` writes a descriptor whose every decision left to the maintainer is a
comment beside the value. PyYAML cannot write comments, so this small writer does;
its output is read back through the strict loader before it is kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .reader import join_pointer


@dataclass
class Notes:
    """YAML comments by JSON Pointer: lines above a value, at its end, or after it."""

    above: dict[str, list[str]] = field(default_factory=dict)
    trailing: dict[str, str] = field(default_factory=dict)
    after: dict[str, list[str]] = field(default_factory=dict)


_PLAIN_KEY = re.compile(r"^[A-Za-z$][A-Za-z0-9_$:.-]*$")
_PLAIN_TEXT = re.compile(r"^[A-Za-z][A-Za-z0-9 ._/-]*$")
# Words another YAML reader (YAML 1.1) would turn into booleans or null.
_AMBIGUOUS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _key(key: str) -> str:
    return key if _PLAIN_KEY.fullmatch(key) and not key.endswith(":") else json.dumps(key, ensure_ascii=False)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN_TEXT.fullmatch(text) and text.lower() not in _AMBIGUOUS and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def comment(lines: Sequence[str], indent: int) -> list[str]:
    return [" " * indent + ("# " + line if line else "#") for line in lines]


def to_yaml(data: Any, notes: Notes) -> str:
    """Block-style YAML for plain data, with the comments of `notes` in place."""
    out: list[str] = []

    def line(text: str, pointer: str) -> str:
        trailing = notes.trailing.get(pointer)
        return f"{text}   # {trailing}" if trailing else text

    def mapping(value: dict[str, Any], pointer: str, indent: int, first_prefix: str | None = None) -> None:
        for position, (key, child) in enumerate(value.items()):
            child_pointer = pointer + join_pointer(key)
            lead = first_prefix if first_prefix is not None and position == 0 else " " * indent
            if child_pointer in notes.above:
                if lead.strip():  # a list item's first key: comment above the dash
                    out.extend(comment(notes.above[child_pointer], indent - 2))
                else:
                    out.extend(comment(notes.above[child_pointer], indent))
            head = f"{lead}{_key(key)}:"
            if isinstance(child, dict) and child:
                out.append(line(head, child_pointer))
                mapping(child, child_pointer, indent + 2)
            elif isinstance(child, list) and child:
                out.append(line(head, child_pointer))
                sequence(child, child_pointer, indent + 2)
            else:
                empty = "{}" if isinstance(child, dict) else "[]" if isinstance(child, list) else None
                out.append(line(f"{head} {empty or _scalar(child)}", child_pointer))
            if child_pointer in notes.after:
                out.extend(comment(notes.after[child_pointer], indent))

    def sequence(value: list[Any], pointer: str, indent: int) -> None:
        for index, item in enumerate(value):
            item_pointer = f"{pointer}/{index}"
            if isinstance(item, dict) and item:
                mapping(item, item_pointer, indent + 2, first_prefix=" " * indent + "- ")
            elif isinstance(item, list) and item:
                out.append(" " * indent + "-")
                sequence(item, item_pointer, indent + 2)
            else:
                out.append(line(" " * indent + "- " + _scalar(item), item_pointer))

    if not isinstance(data, dict):
        raise TypeError("a descriptor is a mapping")
    mapping(data, "", 0)
    return "\n".join(out) + "\n"
