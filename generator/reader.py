"""Read descriptor files (YAML or JSON) safely, and map JSON Pointers back to lines.

YAML goes through libyaml's parser with our own constructor on top, because the
stock loaders are wrong for untrusted descriptors:

- aliases are refused (an alias bomb of 500 bytes expands to gigabytes once
  serialised), and so are explicit tags (`!!python/object`) and merge keys;
- duplicate keys are refused, naming both lines (PyYAML keeps the last one);
- plain scalars follow a narrow YAML 1.2 core reading: `yes`, `on`, `NO` stay
  strings, dates stay strings, numbers with leading zeros stay strings, and a
  float needs a decimal point (so a hex hash like `0e12` is never read as 0.0);
- nesting is bounded.

JSON goes through the standard library with duplicate keys and NaN refused.
Line numbers are not kept for every value (that would cost memory on thousands
of descriptors); `Document.line_of` finds the line of a pointer on demand.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.resolver import BaseResolver

from .limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NUMBER_DIGITS
from .problems import Problem

try:  # libyaml is part of the PyYAML wheels; the pure-Python parser is the fallback
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on the installed wheel
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


_PLAIN = "tag:tmrc:plain"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_STANDARD_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE"}
_FALSES = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+([eE][-+]?[0-9]+)?")


class _Composer(_Parser, BaseResolver):
    """libyaml's composer with every implicit tag replaced by 'plain' or 'str'.

    Resolution happens in `_scalar` instead, by our narrow rules.
    """

    def __init__(self, text: str) -> None:
        _Parser.__init__(self, text)
        BaseResolver.__init__(self)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


def _scalar(value: str) -> Any:
    """Read a plain (unquoted) YAML scalar."""
    if value in _NULLS:
        return None
    if value in _TRUES:
        return True
    if value in _FALSES:
        return False
    if _INT.fullmatch(value):
        return _number(value, int)
    if _FLOAT.fullmatch(value):
        return _number(value, float)
    return value


class _BadNumber(ValueError):
    """A number no output can carry: more digits than MAX_NUMBER_DIGITS, or an infinite float
    (`1e999`, which would otherwise slip past the refusal of Infinity and break the JSON files)."""

    def __init__(self, text: str) -> None:
        self.text = text
        shown = text if len(text) <= 24 else text[:20] + "…"
        super().__init__(
            f"the number {shown} is out of range: at most {MAX_NUMBER_DIGITS} digits, and finite"
        )


def _number(text: str, kind: type[int] | type[float]) -> int | float:
    if kind is int:
        if len(text.lstrip("+-")) > MAX_NUMBER_DIGITS:
            raise _BadNumber(text)
        return int(text)
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(text)
    return value


def _explicit(tag: str, value: str) -> Any:
    """Honour a standard explicit tag such as `!!str 012`."""
    if tag == _STR:
        return value
    return _scalar(value)


@dataclass
class Document:
    """A parsed descriptor file: its data and how to find lines in it."""

    path: Path
    display: str  # the path shown in messages (relative to the repository)
    kind: str  # "yaml" or "json"
    data: Any
    text: str = field(repr=False)
    _lines: dict[str, int] | None = field(default=None, repr=False)

    def line_of(self, pointer: str) -> int:
        """The 1-based line of the value at `pointer`, or of its nearest ancestor.

        The first call maps every pointer of the document to its line, once: a file with
        thousands of problems must not be scanned again for each one.
        """
        if self._lines is None:
            self._lines = _json_lines(self.text) if self.kind == "json" else _yaml_lines(self.text)
        tokens = split_pointer(pointer)
        while tokens:
            line = self._lines.get(join_pointer(*tokens))
            if line is not None:
                return line
            tokens.pop()
        return self._lines.get("", 1)


def _yaml_lines(text: str) -> dict[str, int]:
    try:
        root = _Composer(text).get_single_node()
    except (yaml.YAMLError, RecursionError):
        return {}
    lines: dict[str, int] = {}
    stack: list[tuple[str, Any]] = [("", root)] if root is not None else []
    while stack:
        pointer, node = stack.pop()
        lines.setdefault(pointer, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            stack.extend(
                (pointer + join_pointer(key.value), value)
                for key, value in node.value
                if isinstance(key, yaml.ScalarNode)
            )
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((f"{pointer}/{i}", item) for i, item in enumerate(node.value))
    return lines


def split_pointer(pointer: str) -> list[str]:
    """RFC 6901: '/a~1b/0' -> ['a/b', '0']."""
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


def join_pointer(*tokens: object) -> str:
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


class _Walk:
    """Build plain Python data from a YAML node tree, collecting problems."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def problem(self, node: yaml.Node, code: str, path: tuple[Any, ...], message: str) -> None:
        pointer = join_pointer(*path)  # paths are joined only for a problem: most nodes have none
        self.problems.append(Problem(self.display, node.start_mark.line + 1, code, pointer, message))

    def build(self, node: yaml.Node, path: tuple[Any, ...] = (), depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            self.problem(node, "too-deep", path, f"nesting deeper than {MAX_DEPTH} levels")
            return None
        if id(node) in self.seen:
            self.problem(
                node,
                "yaml-alias",
                path,
                "an alias (*name) repeats an anchored value; write the value out instead",
            )
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                if node.tag == _PLAIN:
                    return _scalar(node.value)
                if node.tag in _STANDARD_SCALAR_TAGS:
                    return _explicit(node.tag, node.value)
            except _BadNumber as exc:
                self.problem(node, "yaml-syntax", path, str(exc))
                return None
            self.problem(node, "yaml-tag", path, f"the tag {node.tag!r} is not allowed")
            return None
        if node.tag not in (_SEQ, _MAP):
            self.problem(node, "yaml-tag", path, f"the tag {node.tag!r} is not allowed")
            return None
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "yaml-syntax", path, "a key must be plain text")
                continue
            key = key_node.value  # keys are always text, as in JSON
            child = (*path, key)
            if key == "<<" and key_node.tag == _PLAIN:
                self.problem(key_node, "yaml-alias", child, "merge keys (<<) are not allowed")
                continue
            if key in result:
                self.problem(
                    key_node,
                    "yaml-duplicate-key",
                    child,
                    f"the key {key!r} appears twice (first on line {first_line[key]})",
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, child, depth + 1)
        return result


def _read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    try:
        size = path.stat().st_size
    except OSError:
        return None, [Problem(display, 1, "file-missing", "", "the file does not exist")]
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                display,
                1,
                "file-too-large",
                "",
                f"the file has {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
            )
        ]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(display, line, "file-encoding", "", "the file is not valid UTF-8")]
    return text, []


def read_document(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read one YAML or JSON file. Returns the document, or None and the problems."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        return None, [
            Problem(display, 1, "file-type", "", "descriptor files must end in .yaml, .yml or .json")
        ]
    text, problems = _read_text(path, display)
    if text is None:
        return None, problems
    if suffix == ".json":
        doc, problems = _read_json(path, display, text)
    else:
        doc, problems = _read_yaml(path, display, text)
    if doc is not None and _may_hold_controls(text):
        problems = _control_characters(doc)
        if problems:
            return None, problems
    return doc, problems


# C0 and C1 controls (but tab, line feed, carriage return), the two non-characters U+FFFE and
# U+FFFF, and lone surrogates. Both parsers refuse them written raw; written as escapes
# ("\x1b" in YAML, "\u001b" in JSON) they would load, and then break what carries text on:
# an Atom feed is no longer XML, a page's front matter no longer YAML (the title is lost), a
# lone surrogate cannot be written as UTF-8 at all, and an escape sequence reaches a terminal.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Keys are names: no line break or tab either. A key is printed as part of a problem's pointer,
# and a line break there would start a new line of the log (in CI, perhaps an `::error::`).
_KEY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")
_MAX_REPORTED = 20


def _may_hold_controls(text: str) -> bool:
    """Whether walking the data for control characters is needed at all.

    They can only arrive written as escapes (a backslash in the text), or raw where a
    parser lets them through (JSON takes U+007F-U+009F and non-characters raw). A text
    with neither is settled without walking its values.
    """
    return "\\" in text or "\u2028" in text or "\u2029" in text or _CONTROL.search(text) is not None


def _control_characters(doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    stack: list[tuple[str, Any]] = [("", doc.data)]
    while stack and len(problems) < _MAX_REPORTED:
        pointer, value = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                if _KEY_CONTROL.search(key):
                    # the pointer would carry the character into the log: name the parent instead
                    problems.append(_control_problem(doc, pointer, key, "a key"))
                else:
                    stack.append((pointer + join_pointer(key), child))
        elif isinstance(value, list):
            stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(value))
        elif isinstance(value, str) and _CONTROL.search(value):
            problems.append(_control_problem(doc, pointer, value, "the text"))
    return problems


def _control_problem(doc: Document, pointer: str, text: str, what: str) -> Problem:
    found = _KEY_CONTROL.search(text) if what == "a key" else _CONTROL.search(text)
    assert found is not None
    code_point = f"U+{ord(found.group()):04X}"
    return Problem(
        doc.display,
        doc.line_of(pointer),
        "file-encoding",
        pointer,
        f"{what} holds {code_point}, a control character or non-character; "
        "descriptors hold printable text only",
    )


def _read_yaml(path: Path, display: str, text: str) -> tuple[Document | None, list[Problem]]:
    try:
        node = _Composer(text).get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        if "expected a single document" in str(exc):
            return None, [
                Problem(
                    display,
                    line,
                    "yaml-multiple-documents",
                    "",
                    "the file holds more than one YAML document (---)",
                )
            ]
        what = exc.problem or "invalid YAML"
        if "nesting depth" in what or "maximum nesting" in str(exc):
            return None, [Problem(display, line, "too-deep", "", "the YAML nests too deeply")]
        return None, [Problem(display, line, "yaml-syntax", "", f"{what}".strip())]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, "yaml-syntax", "", str(exc).splitlines()[0])]
    except RecursionError:
        return None, [Problem(display, 1, "too-deep", "", "the YAML nests too deeply")]
    if node is None:
        return Document(path, display, "yaml", None, text), []
    walk = _Walk(display)
    data = walk.build(node)
    if walk.problems:
        return None, walk.problems
    return Document(path, display, "yaml", data, text), []


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise _BadConstant(name)


class _BadConstant(ValueError):
    pass


def _read_json(path: Path, display: str, text: str) -> tuple[Document | None, list[Problem]]:
    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
            parse_int=lambda s: _number(s, int),
            parse_float=lambda s: _number(s, float),
        )
    except _DuplicateKey as exc:
        line, pointer = _json_duplicate(text, str(exc))
        return None, [
            Problem(
                display,
                line,
                "json-duplicate-key",
                pointer,
                f"the key {str(exc)!r} appears twice in one object",
            )
        ]
    except _BadConstant as exc:
        return None, [Problem(display, 1, "json-constant", "", f"{exc} is not valid in JSON")]
    except _BadNumber as exc:
        line = _line_at(_line_starts(text), max(text.find(exc.text), 0))
        return None, [Problem(display, line, "json-syntax", "", str(exc))]
    except json.JSONDecodeError as exc:
        return None, [Problem(display, exc.lineno, "json-syntax", "", exc.msg)]
    except RecursionError:
        return None, [Problem(display, 1, "too-deep", "", "the JSON nests too deeply")]
    depth_problem = _json_depth(data, display)
    if depth_problem:
        return None, [depth_problem]
    return Document(path, display, "json", data, text), []


def _json_depth(data: Any, display: str) -> Problem | None:
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return Problem(display, 1, "too-deep", "", f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None


# --- locating values in JSON text -------------------------------------------------
# Only used when a problem must be reported, so a small pure-Python scanner will do.

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<punct>[{}\[\]:,])|(?P<atom>[^\s{}\[\]:,"]+))', re.S
)


def _json_tokens(text: str) -> Iterator[tuple[str, str, int]]:
    pos = 0
    while True:
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            return
        pos = match.end()
        kind = match.lastgroup or "atom"
        yield kind, match.group(kind), match.start(kind)


def _json_positions(text: str) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Offsets of every value by pointer, and the duplicate keys met on the way."""
    positions: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    tokens = _json_tokens(text)

    def value(pointer: str, token: tuple[str, str, int]) -> None:
        _, raw, offset = token
        positions.setdefault(pointer, offset)
        if raw == "{":
            seen: set[str] = set()
            for key_token in tokens:
                if key_token[1] == "}":
                    return
                if key_token[1] == ",":
                    continue
                key = json.loads(key_token[1]) if key_token[0] == "str" else key_token[1]
                child = pointer + join_pointer(key)
                if key in seen:
                    duplicates.append((child, key_token[2]))
                seen.add(key)
                next(tokens, None)  # the colon
                nxt = next(tokens, None)
                if nxt is None:
                    return
                positions.setdefault(child, key_token[2])
                value(child, nxt)
        elif raw == "[":
            index = 0
            for item in tokens:
                if item[1] == "]":
                    return
                if item[1] == ",":
                    index += 1
                    continue
                value(f"{pointer}/{index}", item)

    first = next(tokens, None)
    if first is not None:
        with contextlib.suppress(ValueError, RecursionError):
            value("", first)
    return positions, duplicates


def _line_starts(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch == "\n"]


def _line_at(newlines: list[int], offset: int) -> int:
    return bisect_right(newlines, offset - 1) + 1 if offset else 1


def _json_lines(text: str) -> dict[str, int]:
    positions, _ = _json_positions(text)
    newlines = _line_starts(text)
    return {pointer: _line_at(newlines, offset) for pointer, offset in positions.items()}


def _json_duplicate(text: str, key: str) -> tuple[int, str]:
    _, duplicates = _json_positions(text)
    for pointer, offset in duplicates:
        if split_pointer(pointer)[-1] == key:
            return _line_at(_line_starts(text), offset), pointer
    return 1, ""
