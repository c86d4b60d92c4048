"""Property tests (Hypothesis): whatever a descriptor holds, the loader and the validator give a
result or located problems, never an exception and never a hang.

Three generators: arbitrary JSON-like structures (written as JSON and as YAML), a valid
descriptor with arbitrary text in its known text properties (which, when it validates, is also
rendered and must pass the HTML oracle), and arbitrary YAML-looking text.

Runs are reproducible: `derandomize=True` fixes the examples (the same on every machine and in
CI), and no example database is written. Each example has a deadline of a few seconds (generous:
the machine is shared) and a hard timer that turns a hang into a failure.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import signal
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SMALL
from htmlscan import DANGEROUS_ELEMENTS, elements, findings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pipeline import check_catalog
from generator.problems import CODES, Problem
from generator.reader import read_document
from generator.render import render_site
from generator.viewmodel import build_site

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
HANG_SECONDS = 20


class Hang(Exception):
    pass


@contextlib.contextmanager
def no_hang(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Fail an example that runs longer than `seconds` (the renderer's own timer nests inside)."""

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"no result within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_located(problems: list[Problem], file: str | None = None) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.code in CODES
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert problem.file and (file is None or problem.file.endswith(file)), problem
        assert problem.pointer == "" or problem.pointer.startswith("/"), problem
        # one problem, one line of output: nothing in a message can start a new log line
        assert "\n" not in problem.format() and "\r" not in problem.format(), problem


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Path:
    """The small catalog with an extra dataset folder the tests write into."""
    root = tmp_path_factory.mktemp("fuzz") / "catalog"
    shutil.copytree(SMALL, root)
    (root / "datasets" / "fuzz").mkdir()
    return root


def write_descriptor(catalog: Path, data: Any, suffix: str) -> str:
    folder = catalog / "datasets" / "fuzz"
    for old in folder.iterdir():
        old.unlink()
    path = folder / f"datapackage{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return f"datasets/fuzz/{path.name}"


# --- 1. arbitrary JSON-like structures --------------------------------------------------

KNOWN_KEYS = [
    "name",
    "title",
    "description",
    "resources",
    "path",
    "schema",
    "fields",
    "type",
    "format",
    "constraints",
    "enum",
    "pattern",
    "primaryKey",
    "foreignKeys",
    "reference",
    "dialect",
    "licenses",
    "sources",
    "contributors",
    "keywords",
    "homepage",
    "url",
    "profile",
    "catalog:access",
    "catalog:changelog",
    "catalog:figures",
    "catalog:schemaPatch",
    "catalog:sensitivity",
    "missingValues",
    "categories",
    "example",
]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
json_like = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)
descriptors = st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=8), json_like, max_size=8)


def _resources_listed(data: Any) -> bool:
    # A top-level `resources` that is a number or a boolean crashes generator/validate.py (a file
    # this work does not own): test_resources_of_the_wrong_type_are_located pins that case, and
    # the generators leave it out so they keep looking for other ones.
    return not (isinstance(data, dict) and isinstance(data.get("resources"), bool | int | float))


@settings(FUZZ, max_examples=150)
@given(data=(descriptors | json_like).filter(_resources_listed), suffix=st.sampled_from([".json", ".yaml"]))
def test_any_structure_gives_located_problems(catalog, data, suffix):
    file = write_descriptor(catalog, data, suffix)
    with no_hang():
        _, problems = check_catalog(catalog)
    assert_located(problems)
    assert all(p.file.endswith(file) for p in problems), [p for p in problems if not p.file.endswith(file)]


@pytest.mark.parametrize("value", [True, 7])
def test_resources_of_the_wrong_type_are_located(catalog, value):
    file = write_descriptor(catalog, {"name": "fuzz", "resources": value}, ".json")
    _, problems = check_catalog(catalog)
    assert_located(problems)
    assert any(p.file.endswith(file) and p.pointer == "/resources" for p in problems)


# --- 2. arbitrary text in known properties of a valid descriptor -----------------------

texts = st.text(max_size=60) | st.text(alphabet="[]()<>*_`!#&;:/\\\"'{}%-=> \n\tjavascript", max_size=60)
TEXT_PROPERTIES = [
    ("title",),
    ("description",),
    ("keywords", 0),
    ("homepage",),
    ("contributors", 0, "title"),
    ("licenses", 0, "title"),
    ("sources", 0, "title"),
    ("catalog:entity",),
    ("catalog:caveats", 0),
    ("catalog:changelog", 0, "summary"),
    ("resources", 0, "title"),
    ("resources", 0, "description"),
    ("resources", 0, "schema", "title"),
    ("resources", 0, "schema", "fields", 0, "name"),
    ("resources", 0, "schema", "fields", 0, "title"),
    ("resources", 0, "schema", "fields", 0, "description"),
    ("resources", 0, "schema", "fields", 0, "example"),
    ("resources", 0, "schema", "fields", 0, "constraints", "enum", 0),
    ("resources", 0, "schema", "fields", 0, "catalog:sensitivity", "condition"),
    ("resources", 1, "title"),
]


def base_package() -> dict[str, Any]:
    return {
        "name": "fuzz",
        "title": "Fuzz",
        "description": "Fuzz.",
        "keywords": ["k"],
        "homepage": "https://example.org/",
        "contributors": [{"title": "C", "roles": ["publisher"]}],
        "licenses": [{"name": "CC-BY-4.0", "title": "L"}],
        "sources": [{"title": "S", "path": "https://example.org/s"}],
        "catalog:access": "open",
        "catalog:entity": "E",
        "catalog:caveats": ["c"],
        "catalog:changelog": [{"version": "1", "date": "2024-01", "summary": "s"}],
        "resources": [
            {
                "name": "r",
                "title": "R",
                "description": "D",
                "path": "r.csv",
                "schema": {
                    "title": "T",
                    "fields": [
                        {
                            "name": "f",
                            "title": "F",
                            "description": "D",
                            "type": "string",
                            "example": "e",
                            "constraints": {"enum": ["e"]},
                            "catalog:sensitivity": {"handling": "hashed", "condition": "c"},
                        }
                    ],
                },
            },
            {"name": "secret", "title": "Secret", "path": "secret.csv", "catalog:access": "members"},
        ],
    }


def put(data: Any, where: tuple[Any, ...], value: str) -> None:
    for step in where[:-1]:
        data = data[step]
    if where[-1] == "homepage":
        value = "https://example.org/" + value
    data[where[-1]] = value


_BASELINE: dict[str, set[str]] = {}


def dangerous_tags(markup: str) -> set[str]:
    return {tag for tag, _ in elements(markup) if tag in DANGEROUS_ELEMENTS}


def baseline(catalog: Path) -> dict[str, set[str]]:
    """Element kinds the pages have with the benign base package (the theme's own forms,
    inputs and data scripts): fuzzed text may add none."""
    if not _BASELINE:
        write_descriptor(catalog, base_package(), ".json")
        loaded, problems = check_catalog(catalog)
        assert problems == []
        for uri, page in render_site(build_site(loaded), "https://catalog.example/").pages.items():
            _BASELINE[uri] = dangerous_tags(page.body)
    return _BASELINE


@settings(FUZZ, max_examples=150)
@given(
    values=st.lists(st.tuples(st.sampled_from(TEXT_PROPERTIES), texts), min_size=1, max_size=6),
    suffix=st.sampled_from([".json", ".yaml"]),
)
def test_any_text_gives_located_problems_or_inert_pages(catalog, values, suffix):
    allowed = baseline(catalog)
    package = base_package()
    for where, value in values:
        put(package, where, value)
    file = write_descriptor(catalog, package, suffix)
    with no_hang():
        loaded, problems = check_catalog(catalog)
        assert_located(problems, None)
        if problems:
            assert all(p.file.endswith(file) for p in problems)
            return
        output = render_site(build_site(loaded), "https://catalog.example/")
    for uri, page in output.pages.items():
        assert findings(page.body, allowed_elements=DANGEROUS_ELEMENTS) == [], uri
        assert dangerous_tags(page.body) <= allowed.get(uri, set()), uri
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.body, re.S):
            json.loads(block)
    for static in output.files.values():
        if static.path.endswith(".json"):
            json.loads(static.content)


# --- 3. arbitrary YAML and JSON text --------------------------------------------------

YAML_PIECES = [
    "a",
    "0",
    "1.5",
    " ",
    "  ",
    "\n",
    "\t",
    ":",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    '"',
    "#",
    "|",
    ">",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "!!python/object/apply:os.system ",
    "!x ",
    "? ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "\\x1b",
    "\\ud800",
    "\ufeff",
    "\x85",
    "\u2028",
    "null",
    "yes",
    "2024-01-02",
    "0e12",
    "012",
]
yaml_texts = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=3), max_size=40).map("".join)
json_texts = st.lists(
    st.sampled_from(
        ['{"a": ', "[", "]", "}", ",", '"x"', '"\\ud800"', '"\\u001b"', "NaN", "1e999", "-0", ":", " "]
    )
    | st.text(max_size=3),
    max_size=40,
).map("".join)


def check_reading(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with no_hang():
        doc, problems = read_document(path, path.name)
    if doc is None:
        assert problems, "refused without a reason"
        assert_located(problems, path.name)
        return
    assert problems == []
    json.dumps(doc.data, allow_nan=False)  # plain data: no dates, sets, NaN or custom objects
    stack: list[tuple[str, Any]] = [("", doc.data)]
    while stack:  # every value can be located
        pointer, value = stack.pop()
        assert doc.line_of(pointer) >= 1
        if isinstance(value, dict):
            stack += [(f"{pointer}/{k.replace('~', '~0').replace('/', '~1')}", v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(f"{pointer}/{i}", v) for i, v in enumerate(value)]


@settings(FUZZ, max_examples=300)
@given(text=yaml_texts)
def test_any_yaml_text_reads_to_data_or_a_located_problem(tmp_path_factory, text):
    check_reading(tmp_path_factory.getbasetemp() / "fuzz.yaml", text)


@settings(FUZZ, max_examples=200)
@given(text=json_texts)
def test_any_json_text_reads_to_data_or_a_located_problem(tmp_path_factory, text):
    check_reading(tmp_path_factory.getbasetemp() / "fuzz.json", text)
