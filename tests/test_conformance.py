"""Every descriptor of frictionless-py's test corpus: accepted, or refused with located problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, SHARED

from generator.pipeline import check_descriptor_file
from generator.problems import CODES

CORPUS = FIXTURES / "conformance"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".json", ".yaml", ".yml"))


def test_corpus_is_present():
    assert len(FILES) > 150


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_descriptor_is_accepted_or_refused_with_located_problems(path: Path):
    problems = check_descriptor_file(path, CORPUS)  # must not raise
    for problem in problems:
        assert problem.code in CODES
        assert problem.line >= 1
        assert problem.file.endswith(path.name) or "conformance" in problem.file
        assert problem.message


@pytest.mark.parametrize(
    "name,code",
    [
        ("invalid.json", "json-syntax"),
        ("schema-invalid-pk-string.json", "primary-key-unknown-field"),
        ("schema-invalid-fk-string.json", "foreign-key-unknown-field"),
        ("schema-invalid-fk-array-wrong-number.json", "foreign-key-arity"),
        ("schema-invalid-multiple-errors.json", "field-type-unknown"),
        ("multiple-errors.package.json", "resource-name-duplicate"),
        ("package-with-pipeline.json", "path-scheme"),
        ("bad.schema.yaml", "profile-tableschema"),
    ],
)
def test_known_defects_are_refused_for_the_right_reason(name, code):
    problems = check_descriptor_file(CORPUS / name, CORPUS)
    assert code in {p.code for p in problems}, [p.format() for p in problems]


@pytest.mark.parametrize(
    "name",
    [
        "datapackage.json",
        "country.package.yaml",
        "detailed.package.json",
        "package-with-dereferencing.json",
        "schema-valid-full.json",
        "resource.yaml",
        "multipart.package.json",
    ],
)
def test_valid_descriptors_are_accepted(name):
    assert check_descriptor_file(CORPUS / name, CORPUS) == []


@pytest.mark.skipif(
    not (SHARED / "conformance").is_dir(), reason="the shared corpus is not beside this checkout"
)
def test_vendored_corpus_matches_the_shared_one():
    source = SHARED / "conformance" / "frictionless-py-data"
    for path in FILES:
        assert path.read_bytes() == (source / path.relative_to(CORPUS)).read_bytes(), path


@pytest.mark.parametrize(
    "text,pointer",
    [
        ('{"fields": [{"name": "a", "type": "strng"}]}', "/fields/0"),
        (
            '{"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "a", "type": "strng"}]}}',
            "/schema/fields/0",
        ),
        (
            '{"resources": [{"name": "a", "path": "a.csv",'
            ' "schema": {"fields": [{"name": "a", "type": "strng"}]}}]}',
            "/resources/0/schema/fields/0",
        ),
    ],
    ids=["schema", "resource", "package"],
)
def test_an_unknown_field_type_is_reported_once_with_a_hint(tmp_path, text, pointer):
    path = tmp_path / "descriptor.json"
    path.write_text(text)
    problems = check_descriptor_file(path, tmp_path)
    assert [(p.code, p.pointer) for p in problems] == [("field-type-unknown", pointer + "/type")], [
        p.format() for p in problems
    ]
    assert "did you mean 'string'?" in problems[0].message
