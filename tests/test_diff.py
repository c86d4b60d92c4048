"""`tmrc diff`: two versions of the shipped IRA descriptor, compared as a maintainer would.

The old version is the shipped descriptor as it would have looked with the poll
column removed from its tweets file; the new one changes it in every way the
changelog cares about. The output is compared with tests/golden/diff/ira.txt
(`pytest tests/test_diff.py --update-golden` rewrites it; review the diff).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, run_tmrc

from generator.diff import compare, format_changes
from generator.pipeline import check_catalog
from generator.reader import read_document
from generator.versions import load_side

GOLDEN = REPO / "tests" / "golden" / "diff" / "ira.txt"
SHIPPED = REPO / "catalog" / "datasets" / "ira" / "datapackage.yaml"
DESCRIPTOR = Path("datasets") / "ira" / "datapackage.yaml"
SECRETS = ("unhashed/2018_10/ira", "unhashed/secret", "ira_tweets_csv_unhashed")


def edit(text: str, old: str, new: str) -> str:
    """Replace exactly one occurrence, so a change to the shipped file fails loudly here."""
    assert text.count(old) == 1, f"the shipped descriptor no longer contains {old!r} once"
    return text.replace(old, new)


def old_version() -> str:
    # The earlier release's tweets file had no poll column: the patch removes it.
    return edit(
        SHIPPED.read_text(encoding="utf-8"),
        "    schema: ../../schemas/tweets.schema.yaml\n  - name: media-list",
        "    schema: ../../schemas/tweets.schema.yaml\n"
        "    catalog:schemaPatch:\n      fields:\n        poll_choices: null\n"
        "  - name: media-list",
    )


def new_version() -> str:
    text = SHIPPED.read_text(encoding="utf-8")
    text = edit(text, 'version: "1.0.0"\nkeywords: [', 'version: "1.1.0"\nkeywords: [troll farm, ')
    text = edit(
        text,
        "  study operations the platform had already disclosed.",
        "  study operations the platform had already disclosed, and a second tweets file.",
    )
    text = edit(
        text,
        "catalog:changelog:\n",
        'catalog:changelog:\n  - version: "1.1.0"\n    date: "2019-02-01"\n'
        "    summary: A second tweets file and the poll column.\n",
    )
    # a figure changes
    text = edit(text, "{value: 9007377, source: third-party", "{value: 9100000, source: third-party")
    # a field comes back through the patch, another is retyped and constrained
    text = edit(
        text,
        "    schema: ../../schemas/tweets.schema.yaml\n  - name: media-list",
        "    schema: ../../schemas/tweets.schema.yaml\n"
        "    catalog:schemaPatch:\n      fields:\n"
        "        poll_choices:\n          catalog:presence: maybe-absent\n"
        "        like_count:\n          constraints: {minimum: 1}\n"
        "  - name: media-list",
    )
    # handling changes on a consortium-only file, whose location also moves
    text = edit(
        text,
        "    path: unhashed/2018_10/ira/ira_tweets_csv_unhashed.csv.gz\n",
        "    path: unhashed/2018_10/ira/ira_tweets_csv_unhashed_v2.csv.gz\n"
        "    catalog:schemaPatch:\n      fields:\n"
        "        userid:\n          catalog:sensitivity: {handling: public}\n",
    )
    # a public file moves, and gets a new description
    text = edit(
        text, "    path: ira_media_file_list_hashed.txt", "    path: media/ira_media_file_list_hashed.txt"
    )
    text = edit(
        text,
        "    description: Field descriptions for the files of the October 2018 release.",
        "    description: Field descriptions for the files of the October 2018 and February 2019 releases.",
    )
    # two files are added: one public, one for members only
    return edit(
        text,
        "  - name: readme\n",
        "  - name: tweets-2\n    title: Tweets, part 2 (hashed)\n    path: ira_tweets_2_csv_hashed.zip\n"
        "    format: csv\n    schema: ../../schemas/tweets.schema.yaml\n"
        "  - name: tweets-2-unhashed\n    title: Tweets, part 2 (unhashed)\n"
        "    path: unhashed/secret/ira_tweets_2.csv.gz\n    catalog:access: consortium\n"
        "    schema: ../../schemas/tweets.schema.yaml\n"
        "  - name: readme\n",
    )


def make_catalog(root: Path, descriptor: str) -> Path:
    """A full copy of the shipped catalog with the IRA descriptor replaced."""
    shutil.copytree(REPO / "catalog", root)
    (root / DESCRIPTOR).write_text(descriptor, encoding="utf-8")
    return root / DESCRIPTOR


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    return make_catalog(tmp_path / "old", old_version()), make_catalog(tmp_path / "new", new_version())


def test_both_versions_are_valid_catalog_content(versions):
    for path in versions:
        _, problems = check_catalog(path.parents[2])
        assert problems == [], "\n".join(p.format() for p in problems)


def test_golden_diff(versions, tmp_path, update_golden):
    old, new = versions
    result = run_tmrc("diff", str(old), str(new), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    if update_golden:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(result.stdout, encoding="utf-8")
        pytest.skip("golden file rewritten")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_every_kind_of_change_is_named(versions):
    """What the golden file must hold, stated independently of it."""
    old, new = (load_side(str(p))[0] for p in versions)
    assert old is not None and new is not None
    text = "\n".join(compare(old, new))
    for expected in (
        "Version: 1.0.0 → 1.1.0.",
        "Description changed.",
        'Keywords added: "troll farm".',
        "Changelog entry added: 1.1.0 (2019-02-01): A second tweets file and the poll column.",
        'Figure "Tweets": 9,007,377 (third-party: counted by Luigi Gubello)',
        "→ 9,100,000 (third-party: counted by Luigi Gubello)",
        'Resource added: tweets-2 ("Tweets, part 2 (hashed)"), access tier public.',
        'Resource added: tweets-2-unhashed ("Tweets, part 2 (unhashed)"), access tier consortium.',
        'Resource media-list: path: "ira_media_file_list_hashed.txt" → "media/ira_media_file_list_hashed.txt".',
        "Resource readme: description changed.",
        "Resource tweets: field poll_choices added (string).",
        "Resource tweets: field like_count constraints changed: minimum 0 → 1.",
        "Resource tweets-unhashed: field userid handling: hashed → public.",
        "Resource tweets-unhashed: location or file details changed (not shown: the file is not public).",
    ):
        assert expected in text


def test_consortium_only_locations_never_appear(versions, tmp_path):
    old, new = versions
    for output_format in ("text", "yaml"):
        result = run_tmrc("diff", str(old), str(new), "--format", output_format, cwd=tmp_path)
        assert result.returncode == 0
        for secret in SECRETS:
            assert secret not in result.stdout + result.stderr


def test_yaml_output_pastes_into_a_changelog_entry(versions, tmp_path):
    old, new = versions
    result = run_tmrc("diff", str(old), str(new), "--format", "yaml", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("changes:\n")
    block = "".join("    " + line + "\n" for line in result.stdout.splitlines())
    text = new.read_text(encoding="utf-8")
    new.write_text(
        edit(
            text,
            "    summary: A second tweets file and the poll column.\n",
            f"    summary: A second tweets file and the poll column.\n{block}",
        ),
        encoding="utf-8",
    )
    _, problems = check_catalog(new.parents[2])
    assert problems == [], "\n".join(p.format() for p in problems)
    doc, _ = read_document(new, "new")
    changes = doc.data["catalog:changelog"][0]["changes"]
    assert changes == [line[2:] for line in GOLDEN.read_text(encoding="utf-8").splitlines()]


def test_same_descriptor_prints_no_changes(versions, tmp_path):
    result = run_tmrc("diff", str(versions[0]), str(versions[0]), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "no changes\n")
    assert format_changes([], "yaml") == "changes: []\n"


def test_v1_forms_are_read_as_their_v2_equivalents(tmp_path):
    # `url` is the v1 spelling of `path`: the same descriptor in both forms has no changes.
    new = make_catalog(tmp_path / "new", SHIPPED.read_text(encoding="utf-8"))
    old = make_catalog(
        tmp_path / "old",
        edit(
            SHIPPED.read_text(encoding="utf-8"),
            "    path: ira_users_csv_hashed.zip",
            "    url: ira_users_csv_hashed.zip",
        ),
    )
    sides = [load_side(str(p))[0] for p in (old, new)]
    assert sides[0] is not None and sides[1] is not None
    assert compare(sides[0], sides[1]) == []


def test_unreadable_input_exits_1_with_located_problems(versions, tmp_path):
    old, new = versions
    old.write_text(old.read_text(encoding="utf-8") + "name: again\n", encoding="utf-8")
    result = run_tmrc("diff", str(old), str(new), cwd=tmp_path)
    assert result.returncode == 1
    assert "datapackage.yaml:" in result.stdout and "yaml-duplicate-key" in result.stdout
    # a schema reference that leads nowhere cannot be compared either
    (new.parents[2] / "schemas" / "users.schema.yaml").unlink()
    result = run_tmrc("diff", str(new), str(new), cwd=tmp_path)
    assert result.returncode == 1 and "reference-missing" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("diff",),
        ("diff", "a.yaml"),
        ("diff", "HEAD:a.yaml", "b.yaml"),  # not inside a git repository
        ("diff", "a.yaml", "b.yaml", "--catalog", "nowhere"),
        ("diff", "a.yaml", "b.yaml", "--format", "html"),
    ],
)
def test_usage_errors_exit_2(args, tmp_path):
    result = run_tmrc(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


# --- git revisions --------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository whose first commit holds the old version, and the second the new one."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet")
    make_catalog(repo / "catalog", old_version())
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "old")
    (repo / "catalog" / DESCRIPTOR).write_text(new_version(), encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "new")
    return repo


def test_git_revisions_give_the_same_diff_as_files(repository):
    path = "catalog/datasets/ira/datapackage.yaml"
    result = run_tmrc("diff", f"HEAD~1:{path}", f"HEAD:{path}", cwd=repository)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    # PATH is relative to the current folder, like a file path
    result = run_tmrc(
        "diff", "HEAD~1:ira/datapackage.yaml", "ira/datapackage.yaml", cwd=repository / "catalog" / "datasets"
    )
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_a_revision_reads_the_shared_schema_of_that_revision(repository):
    schema = repository / "catalog" / "schemas" / "users.schema.yaml"
    schema.write_text(
        edit(schema.read_text(encoding="utf-8"), "title: Users file\n", "title: Accounts file\n"),
        encoding="utf-8",
    )
    path = "catalog/datasets/ira/datapackage.yaml"
    result = run_tmrc("diff", f"HEAD:{path}", path, cwd=repository)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout == '- Resources users, users-unhashed: schema title: "Users file" → "Accounts file".\n'
    )
    # between two revisions the working tree's schema plays no part
    result = run_tmrc("diff", f"HEAD:{path}", f"HEAD:{path}", cwd=repository)
    assert result.stdout == "no changes\n"


def test_git_problems_are_reported_not_raised(repository):
    path = "catalog/datasets/ira/datapackage.yaml"
    missing = run_tmrc("diff", "HEAD:catalog/datasets/gone/datapackage.yaml", path, cwd=repository)
    assert missing.returncode == 1 and "file-missing" in missing.stdout
    assert missing.stdout.startswith("HEAD:catalog/datasets/gone/datapackage.yaml:1:")
    for bad in ("HEAD~9", "-p"):
        result = run_tmrc("diff", f"{bad}:{path}", path, cwd=repository)
        assert result.returncode == 2 and "Traceback" not in result.stderr


def test_yaml_output_reads_back_whatever_the_sentence_holds(tmp_path):
    sentences = ['It\'s a "quoted" title: yes.', "Line\nbreak.", "# not a comment", "ü → ø"]
    path = tmp_path / "changes.yaml"
    path.write_text(format_changes(sentences, "yaml"), encoding="utf-8")
    doc, problems = read_document(path, "changes.yaml")
    assert problems == [] and doc is not None
    assert doc.data == {"changes": sentences}


def test_catalog_option_names_where_schemas_and_tiers_come_from(versions, tmp_path):
    catalog = versions[1].parents[2]
    (catalog / "datasets" / "ira" / "old.yaml").write_text(old_version(), encoding="utf-8")
    result = run_tmrc(
        "diff", "datasets/ira/old.yaml", "datasets/ira/datapackage.yaml", "--catalog", ".", cwd=catalog
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_without_a_consortium_nothing_counts_as_public(tmp_path):
    # A descriptor outside any catalog: its tiers cannot be judged, so no location is shown.
    for name, path in (("old", "posts_2024.csv"), ("new", "posts_2025.csv")):
        (tmp_path / f"{name}.yaml").write_text(
            f"name: x\nresources:\n  - name: posts\n    path: {path}\n    catalog:access: public\n",
            encoding="utf-8",
        )
    result = run_tmrc("diff", "old.yaml", "new.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "posts_202" not in result.stdout
    assert "location or file details changed" in result.stdout
