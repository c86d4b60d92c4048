"""`tmrc validate` on broken catalogs: every problem located (file, line, code), exit 1, no traceback."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import run_tmrc

ALPHA = "datasets/alpha/datapackage.yaml"
BETA = "datasets/beta/datapackage.json"
POSTS = "schemas/posts.schema.yaml"


def edit(catalog: Path, relative: str, old: str, new: str) -> None:
    path = catalog / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(catalog: Path, relative: str, needle: str) -> int:
    for number, line in enumerate((catalog / relative).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {relative}")


def validate(catalog: Path, *extra: str):
    start = time.monotonic()
    result = run_tmrc("validate", str(catalog), *extra)
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.stdout + result.stderr
    return result, elapsed


def problem_lines(result) -> list[tuple[str, int, str]]:
    found = []
    for line in result.stdout.splitlines():
        match = re.match(r"^(.+?):(\d+): ([a-z0-9-]+): ", line)
        assert match, f"not in path:line: code: form: {line!r}"
        found.append((match.group(1), int(match.group(2)), match.group(3)))
    return found


def assert_reported(result, catalog: Path, relative: str, line: int, code: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    expected_file = (catalog / relative).as_posix()
    hits = [(f, n, c) for f, n, c in problem_lines(result) if c == code]
    assert hits, f"no {code} in:\n{result.stdout}"
    assert any(expected_file.endswith(f) or f.endswith(relative) for f, _, _ in hits), hits
    assert any(n == line for _, n, _ in hits), f"expected line {line}: {hits}"


def test_clean_catalog_passes(small_catalog):
    result, _ = validate(small_catalog)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("ok: 2 datasets")


def test_yaml_syntax_error(small_catalog):
    edit(small_catalog, ALPHA, "keywords: [example, spam]", "keywords: [example, spam")
    result, elapsed = validate(small_catalog)
    assert_reported(
        result, small_catalog, ALPHA, line_of(small_catalog, ALPHA, "keywords:") + 1, "yaml-syntax"
    )
    assert elapsed < 10


def test_duplicate_key(small_catalog):
    edit(small_catalog, ALPHA, 'version: "1.1.0"\n', 'version: "1.1.0"\ntitle: Again\n')
    result, _ = validate(small_catalog)
    assert_reported(
        result, small_catalog, ALPHA, line_of(small_catalog, ALPHA, "title: Again"), "yaml-duplicate-key"
    )


def test_misspelled_field_type_in_shared_schema(small_catalog):
    edit(small_catalog, POSTS, "type: datetime", "type: datetme")
    result, _ = validate(small_catalog)
    assert_reported(
        result, small_catalog, POSTS, line_of(small_catalog, POSTS, "type: datetme"), "field-type-unknown"
    )
    assert "did you mean 'datetime'" in result.stdout
    # the official profile's unhelpful oneOf error for the same field is not repeated
    assert "profile-tableschema" not in result.stdout


def test_misspelled_field_type_inline_json(small_catalog):
    edit(small_catalog, BETA, '{"name": "handle", "type": "string"}', '{"name": "handle", "type": "strng"}')
    result, _ = validate(small_catalog)
    assert_reported(
        result, small_catalog, BETA, line_of(small_catalog, BETA, '"strng"'), "field-type-unknown"
    )


def test_schema_path_traversal(small_catalog):
    edit(
        small_catalog,
        ALPHA,
        "schema: ../../schemas/posts.schema.yaml",
        "schema: ../../../../../etc/passwd.yaml",
    )
    result, _ = validate(small_catalog)
    assert_reported(result, small_catalog, ALPHA, line_of(small_catalog, ALPHA, "etc/passwd"), "path-escapes")


def test_data_path_traversal(small_catalog):
    edit(small_catalog, ALPHA, "path: alpha_posts.csv", "path: ../beta/../../x.csv")
    result, _ = validate(small_catalog)
    assert_reported(result, small_catalog, ALPHA, line_of(small_catalog, ALPHA, "../beta"), "path-escapes")


def test_absolute_path(small_catalog):
    edit(small_catalog, ALPHA, "path: alpha_posts.csv", "path: /srv/data/alpha_posts.csv")
    result, _ = validate(small_catalog)
    assert_reported(result, small_catalog, ALPHA, line_of(small_catalog, ALPHA, "/srv/data"), "path-absolute")


def test_unknown_tier(small_catalog):
    edit(small_catalog, ALPHA, "catalog:access: members", "catalog:access: vip")
    result, _ = validate(small_catalog)
    assert_reported(
        result, small_catalog, ALPHA, line_of(small_catalog, ALPHA, "catalog:access: vip"), "tier-unknown"
    )


def test_missing_schema_file(small_catalog):
    (small_catalog / POSTS).unlink()
    result, _ = validate(small_catalog)
    assert_reported(
        result,
        small_catalog,
        ALPHA,
        line_of(small_catalog, ALPHA, "schema: ../../schemas/posts.schema.yaml"),
        "reference-missing",
    )


def test_alias_bomb(small_catalog):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = small_catalog / ALPHA
    path.write_text(
        path.read_text()
        + "\n".join(f"x{line}" for line in lines).replace("x", "bomb_", 1).replace("\nx", "\nbomb_")
        + "\n"
    )
    result, elapsed = validate(small_catalog)
    assert result.returncode == 1
    assert "yaml-alias" in result.stdout
    assert elapsed < 10


def test_every_problem_is_reported_at_once(small_catalog):
    edit(small_catalog, ALPHA, "catalog:access: members", "catalog:access: vip")
    edit(small_catalog, ALPHA, "path: alpha_posts.csv", "path: /abs.csv")
    edit(small_catalog, POSTS, "type: integer", "type: int")
    edit(small_catalog, BETA, '"fields": "account_id"}}', '"fields": "nope"}}')
    result, _ = validate(small_catalog)
    found = {code for _, _, code in problem_lines(result)}
    assert {"tier-unknown", "path-absolute", "field-type-unknown", "foreign-key-unknown-target"} <= found


def test_semantic_checks(small_catalog):
    edit(small_catalog, BETA, '"primaryKey": "account_id"', '"primaryKey": "acount_id"')
    edit(
        small_catalog,
        BETA,
        '{"value": 2, "label": "organisation"}',
        '{"value": "two", "label": "organisation"}',
    )
    edit(small_catalog, BETA, '"example": "2020-01-31"', '"example": "31/01/2020"')
    edit(small_catalog, BETA, '"resource": "accounts"', '"resource": "acounts"')
    result, _ = validate(small_catalog)
    found = {code for _, _, code in problem_lines(result)}
    assert {
        "primary-key-unknown-field",
        "category-type-mismatch",
        "example-type-mismatch",
        "foreign-key-unknown-resource",
    } <= found


def test_name_must_match_folder_and_be_unique_ignoring_case(small_catalog):
    (small_catalog / "datasets" / "ALPHA").mkdir()
    text = (small_catalog / ALPHA).read_text().replace("name: alpha", "name: ALPHA", 1)
    (small_catalog / "datasets" / "ALPHA" / "datapackage.yaml").write_text(text)
    result, _ = validate(small_catalog)
    found = {code for _, _, code in problem_lines(result)}
    assert "dataset-name-duplicate" in found


def test_unknown_catalog_property_and_unquoted_version(small_catalog):
    edit(small_catalog, ALPHA, "catalog:releaseFolder:", "catalog:releasFolder:")
    edit(small_catalog, ALPHA, 'version: "1.1.0"', "version: 1.1")
    result, _ = validate(small_catalog)
    assert_reported(
        result, small_catalog, ALPHA, line_of(small_catalog, ALPHA, "catalog:releasFolder"), "profile-catalog"
    )
    assert (
        "unknown catalog property 'catalog:releasFolder'; did you mean 'catalog:releaseFolder'?"
        in result.stdout
    )
    assert "put the value in quotes" in result.stdout


def test_consortium_default_tier_must_exist(small_catalog):
    edit(small_catalog, "consortium.yaml", "default: members", "default: nobody")
    result, _ = validate(small_catalog)
    assert_reported(
        result,
        small_catalog,
        "consortium.yaml",
        line_of(small_catalog, "consortium.yaml", "default: nobody"),
        "tier-unknown",
    )


def test_markdown_bounds(small_catalog):
    edit(small_catalog, ALPHA, "  A network of *example* accounts.", "  " + "[" * 5000 + "x" + "]" * 5000)
    result, elapsed = validate(small_catalog)
    assert "markdown-too-deep" in result.stdout and elapsed < 10


def test_missing_catalog_folder(tmp_path):
    result, _ = validate(tmp_path / "nope")
    assert result.returncode == 1 and "file-missing" in result.stdout


def test_github_annotations(small_catalog):
    edit(small_catalog, ALPHA, "catalog:access: members", "catalog:access: vip")
    result, _ = validate(small_catalog, "--format", "github")
    assert result.returncode == 1
    line = line_of(small_catalog, ALPHA, "catalog:access: vip")
    assert re.search(
        rf"^::error file=.*alpha/datapackage\.yaml,line={line},title=tier-unknown::", result.stdout, re.M
    )


@pytest.mark.parametrize("path", ["consortium.yaml", "membership/faq.yaml"])
def test_vocabulary_files_are_validated(small_catalog, path):
    (small_catalog / path).write_text("surprise: true\n")
    result, _ = validate(small_catalog)
    assert result.returncode == 1
    assert any(f.endswith(path) for f, _, _ in problem_lines(result))


def test_titles_must_be_unique(small_catalog):
    edit(small_catalog, BETA, '"title": "Beta network (March 2024)"', '"title": "Alpha network  (May 2024)"')
    result, _ = validate(small_catalog)
    assert_reported(
        result, small_catalog, BETA, line_of(small_catalog, BETA, '"title"'), "dataset-title-duplicate"
    )


def test_homepage_must_be_a_uri(small_catalog):
    edit(
        small_catalog,
        BETA,
        '"title": "Beta network (March 2024)",',
        '"title": "Beta network (March 2024)", "homepage": "https://example.org/ <script>alert(1)</script>",',
    )
    result, _ = validate(small_catalog)
    assert_reported(
        result, small_catalog, BETA, line_of(small_catalog, BETA, '"homepage"'), "profile-datapackage"
    )
