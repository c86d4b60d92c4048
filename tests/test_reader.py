"""Reading descriptors: YAML hazards refused with lines, JSON duplicates, pointer -> line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.limits import MAX_DEPTH, MAX_FILE_BYTES
from generator.reader import join_pointer, read_document, split_pointer


def read(tmp_path: Path, text: str, name: str = "d.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, name)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_plain_scalars_keep_identifiers_and_dates_as_text(tmp_path):
    doc, problems = read(
        tmp_path,
        """
a: 012345
b: NO
c: on
d: 12:30:00
e: 2024-01-02
f: 0e12
g: 1e3
h: 1.10
i: 42
j: -7
k: true
l: null
m: ~
n: 3.5e2
""",
    )
    assert problems == []
    assert doc.data == {
        "a": "012345",
        "b": "NO",
        "c": "on",
        "d": "12:30:00",
        "e": "2024-01-02",
        "f": "0e12",
        "g": "1e3",
        "h": 1.1,
        "i": 42,
        "j": -7,
        "k": True,
        "l": None,
        "m": None,
        "n": 350.0,
    }


def test_explicit_str_tag_is_honoured(tmp_path):
    doc, problems = read(tmp_path, "a: !!str 12\nb: '12'\n")
    assert problems == [] and doc.data == {"a": "12", "b": "12"}


def test_duplicate_keys_name_both_lines(tmp_path):
    doc, problems = read(tmp_path, "name: a\ntitle: x\nname: b\n")
    assert doc is None
    assert codes(problems) == ["yaml-duplicate-key"]
    assert problems[0].line == 3 and "line 1" in problems[0].message
    assert problems[0].pointer == "/name"


def test_duplicate_key_inside_nested_schema(tmp_path):
    text = "resources:\n  - name: r\n    schema:\n      fields:\n        - name: a\n          type: string\n          type: integer\n"
    _, problems = read(tmp_path, text)
    assert codes(problems) == ["yaml-duplicate-key"]
    assert problems[0].line == 7
    assert problems[0].pointer == "/resources/0/schema/fields/0/type"


def test_aliases_and_merge_keys_are_refused(tmp_path):
    _, problems = read(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert codes(problems) == ["yaml-alias"]
    assert problems[0].pointer == "/b"
    _, problems = read(tmp_path, "base: {a: 1}\nother:\n  <<: {b: 2}\n")
    assert codes(problems) == ["yaml-alias"]


def test_alias_bomb_is_refused_fast_and_small(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.monotonic()
    doc, problems = read(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - start < 1.0
    assert doc is None and "yaml-alias" in codes(problems)


def test_python_tags_are_refused(tmp_path):
    _, problems = read(tmp_path, "a: !!python/object/apply:os.system ['true']\n")
    assert codes(problems) == ["yaml-tag"]
    _, problems = read(tmp_path, "a: !custom x\n")
    assert codes(problems) == ["yaml-tag"]


def test_syntax_error_has_a_line(tmp_path):
    _, problems = read(tmp_path, "name: a\nresources: [1, 2\ntitle: x\n")
    assert codes(problems) == ["yaml-syntax"]
    assert problems[0].line >= 2


def test_multiple_documents_refused(tmp_path):
    _, problems = read(tmp_path, "a: 1\n---\nb: 2\n")
    assert codes(problems) == ["yaml-multiple-documents"]


def test_depth_is_bounded(tmp_path):
    deep = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    _, problems = read(tmp_path, deep)
    assert codes(problems) == ["too-deep"]
    very_deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    start = time.monotonic()
    _, problems = read(tmp_path, very_deep)
    assert codes(problems) == ["too-deep"] and time.monotonic() - start < 2


def test_json_depth_is_bounded(tmp_path):
    _, problems = read(tmp_path, '{"a": ' + "[" * 5000 + "]" * 5000 + "}", name="d.json")
    assert codes(problems) == ["too-deep"]


def test_size_is_checked_before_parsing(tmp_path):
    _, problems = read(tmp_path, "a: '" + "x" * (MAX_FILE_BYTES + 1) + "'\n")
    assert codes(problems) == ["file-too-large"]


def test_invalid_utf8(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_bytes(b"a: 1\nb: \xff\xfe\n")
    _, problems = read_document(path, "d.yaml")
    assert codes(problems) == ["file-encoding"] and problems[0].line == 2


def test_wrong_extension(tmp_path):
    _, problems = read(tmp_path, "a: 1", name="d.txt")
    assert codes(problems) == ["file-type"]


def test_json_duplicate_key_is_located(tmp_path):
    text = '{\n  "name": "a",\n  "resources": [\n    {"name": "r", "name": "s"}\n  ]\n}\n'
    _, problems = read(tmp_path, text, name="d.json")
    assert codes(problems) == ["json-duplicate-key"]
    assert problems[0].line == 4 and problems[0].pointer == "/resources/0/name"


def test_json_nan_refused(tmp_path):
    _, problems = read(tmp_path, '{"a": NaN}', name="d.json")
    assert codes(problems) == ["json-constant"]


def test_json_syntax_error_line(tmp_path):
    _, problems = read(tmp_path, '{\n  "a": 1,\n  "b": \n}\n', name="d.json")
    assert codes(problems) == ["json-syntax"] and problems[0].line == 4


@pytest.mark.parametrize("name", ["d.yaml", "d.json"])
def test_line_of_pointer(tmp_path, name):
    if name.endswith(".json"):
        text = '{\n  "name": "a",\n  "resources": [\n    {\n      "name": "r",\n      "path": "x/y"\n    }\n  ]\n}\n'
    else:
        text = "name: a\nresources:\n  -\n    name: r\n    path: x/y\n"
    doc, problems = read(tmp_path, text, name=name)
    assert problems == []
    expected = 6 if name.endswith(".json") else 5
    assert doc.line_of("/resources/0/path") == expected
    # an unknown leaf falls back to its nearest existing ancestor
    assert doc.line_of("/resources/0/missing") == 4
    assert doc.line_of("") == 1


def test_pointer_escaping_round_trips():
    assert split_pointer(join_pointer("a/b", "c~d", 0)) == ["a/b", "c~d", "0"]


@pytest.mark.parametrize(
    "name,text",
    [
        ("d.json", '{"title": "a\\u001b[31mred"}'),  # an escape sequence, written as an escape
        ("d.json", '{"title": "a\x85b"}'),  # a C1 control, raw (JSON lets it through)
        ("d.json", '{"title": "a\\ud800b"}'),  # a lone surrogate
        ("d.yaml", 'title: "a\\eb"\n'),  # YAML's \e escape
        ("d.yaml", 'title: "a\\x07b"\n'),
    ],
)
def test_control_characters_are_refused_however_written(tmp_path, name, text):
    doc, problems = read(tmp_path, text, name=name)
    assert doc is None and codes(problems) == ["file-encoding"]
    assert problems[0].pointer == "/title"
