"""Bounds on untrusted input: each turns a crafted file into a located error, or a text into
plain text, and never into a hang or a crash.

Every bound in generator/limits.py, and the YAML alias refusal (which has no number), has a
test here that fails when the bound is removed. Where the bound is a number, the test shows it
itself: the same input, with the limit lifted (monkeypatched to 10**9), is accepted, so the
refusal comes from that bound and not from some other check. Each bound was also disabled once
by hand (its check replaced by `if False:` in the generator) and this file run; what then
failed:

- MAX_FILE_BYTES (reader._read_text): test_file_size_is_checked_before_parsing and
  test_oversized_files_are_located_through_the_cli failed;
- MAX_DEPTH, YAML (reader._Walk.build): test_nesting_depth_is_bounded[.yaml] failed;
  MAX_DEPTH, JSON (reader._json_depth): test_nesting_depth_is_bounded[.json] failed;
- MAX_NUMBER_DIGITS and the finite-float check (reader._number): test_numbers_are_bounded
  failed for both formats (21 and 5,000 digits: accepted, then a crash in int(); 1e999: inf);
- the alias refusal (reader._Walk.build, `id(node) in self.seen`): test_alias_bomb_is_refused
  failed: the child expanding 9**9 strings gave no result within its time and memory limits;
- MAX_DESCRIPTION_CHARS (semantics.check_texts): test_text_length_is_bounded_in_every_property
  failed (a 20,001-character `version` has no other limit);
- the profiles' maxLength (the "text" definition of catalog-datapackage.json):
  test_profile_limits_through_the_cli[title] and test_profile_limits_are_the_limits_in_limits_py
  failed (a 1,001-character title is refused by the profile only);
- MAX_MARKDOWN_NESTING (semantics.check_texts): all nine markdown-too-deep cases of
  test_pathological_markdown_is_refused failed;
- MAX_RENDER_SECONDS (richtext._convert called as plain `_MD.convert`):
  test_quadratic_markdown_renders_within_the_budget[code-spans] and
  test_a_text_over_the_budget_is_shown_as_plain_text failed. (`setext` and `rules` take 3 s
  and 1.5 s unbounded: they are there to show the budget holds for them, not to catch its removal.)
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SMALL, build, run_tmrc
from htmlscan import findings

from generator import limits, reader, richtext, semantics
from generator.limits import (
    MAX_DEPTH,
    MAX_DESCRIPTION_CHARS,
    MAX_FILE_BYTES,
    MAX_MARKDOWN_NESTING,
    MAX_NUMBER_DIGITS,
    MAX_RENDER_SECONDS,
    MAX_SHORT_TEXT_CHARS,
)
from generator.profiles import load_profile
from generator.reader import read_document

HUGE = 10**9


def bounded(fn: Callable[..., Any], *args: Any, seconds: float = 10.0, memory: int = 1 << 30) -> Any:
    """Run `fn(*args)` in a forked child with a time limit and a memory cap (on top of what the
    test process already uses); fail, rather than hang or swap, if it needs more."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        with open("/proc/self/status", encoding="ascii") as status:
            used = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
        resource.setrlimit(resource.RLIMIT_AS, (used + memory, used + memory))
        try:
            send.send(("ok", fn(*args)))
        except BaseException as error:  # MemoryError, RecursionError: all are failures
            send.send(("raised", repr(error)[:500]))

    process = context.Process(target=child)
    process.start()
    try:
        if not receive.poll(seconds):
            raise AssertionError(f"no result within {seconds} s: the bound did not hold")
        status, value = receive.recv()
    finally:
        process.kill()
        process.join()
    assert status == "ok", value
    return value


def read(path: Path) -> tuple[Any, list[Any]]:
    return read_document(path, path.name)


def codes(problems: list[Any]) -> list[str]:
    return [p.code for p in problems]


# --- descriptor files: size, depth, aliases ------------------------------------------


def test_file_size_is_checked_before_parsing(tmp_path, monkeypatch):
    # One byte over the limit, and not valid YAML either: only the size is reported, so the
    # parser never saw the file.
    path = tmp_path / "d.yaml"
    path.write_text("[" * (MAX_FILE_BYTES + 1), encoding="utf-8")
    doc, problems = bounded(read, path, seconds=5)
    assert doc is None
    assert [(p.code, p.line) for p in problems] == [("file-too-large", 1)]
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", HUGE)
    _, problems = bounded(read, path, seconds=10)
    assert "file-too-large" not in codes(problems)


def test_oversized_files_are_located_through_the_cli(small_catalog):
    beta = small_catalog / "datasets" / "beta" / "datapackage.json"
    beta.write_text(beta.read_text(encoding="utf-8") + " " * MAX_FILE_BYTES, encoding="utf-8")
    schema = small_catalog / "schemas" / "posts.schema.yaml"  # shared, read through alpha
    schema.write_text(schema.read_text(encoding="utf-8") + "#" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    result = run_tmrc("validate", str(small_catalog))
    assert result.returncode == 1
    assert "datasets/beta/datapackage.json:1: file-too-large:" in result.stdout
    assert "schemas/posts.schema.yaml:1: file-too-large:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def _nested(depth: int, suffix: str) -> str:
    if suffix == ".json":
        return '{"a": ' * depth + "1" + "}" * depth
    return "".join("  " * level + "a:\n" for level in range(depth)) + "  " * depth + "b: 1\n"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_nesting_depth_is_bounded(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"d{suffix}"
    path.write_text(_nested(MAX_DEPTH + 2, suffix), encoding="utf-8")
    _, problems = read(path)
    assert codes(problems) == ["too-deep"]
    assert problems[0].line >= 1
    if suffix == ".yaml":  # located at the first level past the limit
        assert problems[0].line == MAX_DEPTH + 2 and problems[0].pointer == "/a" * (MAX_DEPTH + 1)
    monkeypatch.setattr(reader, "MAX_DEPTH", HUGE)
    doc, problems = read(path)
    assert problems == [] and doc is not None


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_nesting_far_past_any_parser_limit_is_a_located_error(tmp_path, suffix):
    # 100,000 levels: past libyaml's own limit and Python's recursion limit alike
    path = tmp_path / f"d{suffix}"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    start = time.monotonic()
    doc, problems = bounded(read, path, seconds=10)
    assert doc is None and codes(problems) == ["too-deep"] and problems[0].line >= 1
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_numbers_are_bounded(tmp_path, monkeypatch, suffix):
    code = "yaml-syntax" if suffix == ".yaml" else "json-syntax"
    path = tmp_path / f"d{suffix}"

    def write(number: str) -> None:
        text = f"a:\n  - 1\n  - {number}\n" if suffix == ".yaml" else f'{{"a": [\n 1,\n {number}\n]}}'
        path.write_text(text, encoding="utf-8")

    too_long = "9" * (MAX_NUMBER_DIGITS + 1)
    for number in (too_long, "9" * 5000, "1.0e999", "-1.5e400"):  # 5,000 digits: past Python's own limit
        write(number)
        doc, problems = read(path)
        assert doc is None and [(p.code, p.line) for p in problems] == [(code, 3)], number
    monkeypatch.setattr(reader, "MAX_NUMBER_DIGITS", HUGE)
    write(too_long)
    doc, problems = read(path)
    assert problems == [] and doc.data == {"a": [1, int(too_long)]}


def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        previous, current = chr(96 + i), chr(97 + i)
        lines.append(f"{current}: &{current} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused(tmp_path):
    # 500 bytes that expand to 9**9 strings: refused in well under a second, within 256 MB.
    # With the alias check removed the child exceeds its memory cap (or the time limit).
    path = tmp_path / "bomb.yaml"
    path.write_text(_alias_bomb(), encoding="utf-8")
    assert path.stat().st_size < 600
    start = time.monotonic()
    doc, problems = bounded(read, path, seconds=5, memory=256 << 20)
    assert time.monotonic() - start < 2
    assert doc is None and set(codes(problems)) == {"yaml-alias"}
    # located at the first alias, by pointer (the line is that of the anchored value it repeats)
    assert problems[0].pointer == "/b/0" and problems[0].line in (1, 2)


def _locate(path: Path, pointers: list[str]) -> list[int]:
    doc, _ = read(path)
    return [doc.line_of(p) for p in pointers]


def test_locating_thousands_of_problems_stays_linear(tmp_path):
    """A file with thousands of problems: each one is located without rereading the file (it
    used to be: 10,000 problems in a 0.8 MB JSON descriptor took longer than ten minutes, and
    this test more than five)."""
    fields = [{"name": f"f{i}", "type": "strng"} for i in range(4000)]
    pointers = [f"/resources/0/schema/fields/{i}/type" for i in range(len(fields))]
    for suffix in (".json", ".yaml"):
        path = tmp_path / f"d{suffix}"
        data = {"resources": [{"name": "r", "schema": {"fields": fields}}]}
        text = json.dumps(data, indent=1) if suffix == ".json" else yaml.safe_dump(data)
        path.write_text(text, encoding="utf-8")
        lines = bounded(_locate, path, pointers, seconds=10)
        assert lines == sorted(lines) and len(set(lines)) == len(lines) and lines[0] > 1


# --- text: length --------------------------------------------------------------------


def _descriptor(tmp_path: Path, **properties: Any) -> Any:
    path = tmp_path / "datapackage.yaml"
    data = {"name": "x", "title": "X", **properties, "resources": [{"name": "r", "path": "r.csv"}]}
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=HUGE), encoding="utf-8")
    doc, problems = read(path)
    assert problems == []
    return doc


def test_text_length_is_bounded_in_every_property(tmp_path, monkeypatch):
    # `version` has no length in any profile: only the generator's own bound refuses it
    doc = _descriptor(tmp_path, version="v" * (MAX_DESCRIPTION_CHARS + 1))
    problems = semantics.check_texts(doc.data, doc)
    assert [(p.code, p.pointer, p.line) for p in problems] == [("text-too-long", "/version", 3)]
    monkeypatch.setattr(semantics, "MAX_DESCRIPTION_CHARS", HUGE)
    assert semantics.check_texts(doc.data, doc) == []


def test_profile_limits_are_the_limits_in_limits_py():
    """The profiles carry the text limits as JSON numbers; they must be the ones limits.py names
    (and the maintainers' reference, generated from the profiles, shows)."""
    for name in ("catalog-datapackage", "consortium", "membership"):
        definitions = load_profile(name)["definitions"]
        assert definitions["markdown"]["maxLength"] == MAX_DESCRIPTION_CHARS, name
        assert definitions["text"]["maxLength"] == MAX_SHORT_TEXT_CHARS, name


@pytest.mark.parametrize(
    "prop,value",
    [("title", "t" * (MAX_SHORT_TEXT_CHARS + 1)), ("description", "d" * (MAX_DESCRIPTION_CHARS + 1))],
    ids=["title", "description"],
)
def test_profile_limits_through_the_cli(small_catalog, prop, value):
    alpha = small_catalog / "datasets" / "alpha" / "datapackage.yaml"
    package = yaml.safe_load(alpha.read_text(encoding="utf-8"))
    package[prop] = value
    alpha.write_text(yaml.safe_dump(package, sort_keys=False, width=HUGE), encoding="utf-8")
    line = next(i for i, text in enumerate(alpha.read_text().splitlines(), 1) if text.startswith(f"{prop}:"))
    result = run_tmrc("validate", str(small_catalog))
    assert result.returncode == 1
    assert f"datasets/alpha/datapackage.yaml:{line}: text-too-long:" in result.stdout
    assert f"(at /{prop})" in result.stdout


# --- text: Markdown structure --------------------------------------------------------

PATHOLOGICAL = {
    "brackets": ("[" * 5000 + "x" + "]" * 5000, "markdown-too-deep"),
    "open-brackets": ("[" * MAX_DESCRIPTION_CHARS, "markdown-too-deep"),
    "links": ("[" * 3000 + "x](javascript:alert(1))" + "]" * 2999, "markdown-too-deep"),
    "parentheses": ("(" * 5000 + ")" * 5000, "markdown-too-deep"),
    "link-openers": ("[](" * 6000, "markdown-too-deep"),
    "deep-list": ("\n".join("  " * i + "- x" for i in range(120)), "markdown-too-deep"),
    "deep-list-long": ("\n".join("  " * i + "- x" for i in range(400)), "text-too-long"),
    "numbered-list": ("\n".join("   " * i + "1. x" for i in range(100)), "markdown-too-deep"),
    "quotes": ("> " * 5000 + "x", "markdown-too-deep"),
    "quote-lines": ("\n".join(">" * i + " x" for i in range(1, 100)), "markdown-too-deep"),
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_markdown_is_refused(tmp_path, monkeypatch, name):
    text, code = PATHOLOGICAL[name]
    doc = _descriptor(tmp_path, description=text)
    start = time.monotonic()
    problems = bounded(semantics.check_texts, doc.data, doc, seconds=5)
    assert time.monotonic() - start < 2
    assert [(p.code, p.pointer, p.line) for p in problems] == [(code, "/description", 3)]
    if code == "markdown-too-deep":
        monkeypatch.setattr(semantics, "MAX_MARKDOWN_NESTING", HUGE)
        assert semantics.check_texts(doc.data, doc) == []


def test_nesting_at_the_limit_is_accepted_and_renders_fast(tmp_path):
    unit = "[" * MAX_MARKDOWN_NESTING + "x" + "]" * MAX_MARKDOWN_NESTING + " "
    text = (unit * (MAX_DESCRIPTION_CHARS // len(unit)))[:MAX_DESCRIPTION_CHARS]
    doc = _descriptor(tmp_path, description=text)
    assert semantics.check_texts(doc.data, doc) == []
    start = time.monotonic()
    richtext.markdown_html(text)
    assert time.monotonic() - start < 1


# Within the length and nesting bounds, Python-Markdown is still quadratic on some shapes:
# 20,000 characters take (unbounded, on the CI machine) about 6 s, 3 s and 1.5 s.
QUADRATIC = {
    "code-spans": ("``a`" * MAX_DESCRIPTION_CHARS)[:MAX_DESCRIPTION_CHARS],
    "setext": ("a\n=\n" * MAX_DESCRIPTION_CHARS)[:MAX_DESCRIPTION_CHARS],
    "rules": ("---\n" * MAX_DESCRIPTION_CHARS)[:MAX_DESCRIPTION_CHARS],
}


def _render_uncached(text: str) -> str:
    render = getattr(richtext.markdown_html, "__wrapped__", richtext.markdown_html)
    return str(render(text))


@pytest.mark.parametrize("name", sorted(QUADRATIC))
def test_quadratic_markdown_renders_within_the_budget(name):
    text = QUADRATIC[name]
    assert semantics.markdown_nesting(text) <= MAX_MARKDOWN_NESTING  # the validator accepts it
    start = time.monotonic()
    output = _render_uncached(text)
    assert time.monotonic() - start < MAX_RENDER_SECONDS + 1
    assert findings(output) == []


def test_a_text_over_the_budget_is_shown_as_plain_text(monkeypatch):
    monkeypatch.setattr(richtext, "MAX_RENDER_SECONDS", 0.05)
    text = QUADRATIC["code-spans"] + " *x*"
    start = time.monotonic()
    output = _render_uncached(text)
    assert time.monotonic() - start < 1
    assert output.startswith("<p>``a```a") and "<em>" not in output
    # the renderer is usable afterwards, and renders normally again
    assert _render_uncached("*fine*") == "<p><em>fine</em></p>"
    assert limits.MAX_RENDER_SECONDS >= 1  # the real budget leaves real texts (milliseconds) alone


def test_a_pathological_description_does_not_stall_the_build(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(SMALL, catalog)
    alpha = catalog / "datasets" / "alpha" / "datapackage.yaml"
    package = yaml.safe_load(alpha.read_text(encoding="utf-8"))
    package["description"] = QUADRATIC["code-spans"]
    package["resources"][0]["description"] = QUADRATIC["setext"]
    alpha.write_text(yaml.safe_dump(package, sort_keys=False), encoding="utf-8")
    start = time.monotonic()
    result = build(catalog, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert time.monotonic() - start < 60
    page = (tmp_path / "site" / "datasets" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "``a```a```a" in page
