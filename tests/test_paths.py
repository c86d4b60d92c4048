"""Path safety: the matrix of unsafe references and data paths, each refused by our own check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.paths import check_data_path, resolve_reference


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """catalog/{schemas/s.yaml, datasets/d/, datasets/d/link -> /etc, schemas/out -> outside}."""
    catalog = tmp_path / "catalog"
    (catalog / "schemas").mkdir(parents=True)
    (catalog / "schemas" / "s.yaml").write_text("fields: []\n")
    (catalog / "datasets" / "d").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("fields: []\n")
    os.symlink(outside, catalog / "schemas" / "out")
    os.symlink("/etc", catalog / "datasets" / "d" / "link")
    return catalog


UNSAFE_REFERENCES = {
    "/etc/passwd": "path-absolute",
    "../../../outside/secret.yaml": "path-escapes",
    "../../..": "path-escapes",
    "~/.ssh/id_rsa": "path-absolute",
    "$HOME/x": "path-invalid",
    "%APPDATA%/x": "path-invalid",
    "file:///etc/passwd": "path-scheme",
    "C:\\x": "path-absolute",
    "\\\\host\\share": "path-invalid",
    "data\\..\\..\\x": "path-invalid",
    "data/%2e%2e/x": "path-invalid",
    "a\u0000b": "path-invalid",
    "http://169.254.169.254/latest": "reference-remote",
    "s3://bucket/key": "path-scheme",
    "//evil.example/x.yaml": "path-scheme",
    "../../schemas/out/secret.yaml": "path-symlink",
    "../../schemas/missing.yaml": "reference-missing",
}


@pytest.mark.parametrize("value,code", sorted(UNSAFE_REFERENCES.items()))
def test_unsafe_references_are_refused(tree, value, code):
    path, problem = resolve_reference(value, tree / "datasets" / "d", tree)
    assert path is None
    assert problem is not None and problem.code == code


def test_reference_may_move_within_the_catalog(tree):
    path, problem = resolve_reference("../../schemas/s.yaml", tree / "datasets" / "d", tree)
    assert problem is None and path == (tree / "schemas" / "s.yaml").resolve()


UNSAFE_DATA_PATHS = {
    "/etc/passwd": "path-absolute",
    "../x.csv": "path-escapes",
    "data/../../x": "path-escapes",
    "..": "path-escapes",
    "data/..": "path-escapes",
    "~/.ssh/id_rsa": "path-absolute",
    "$HOME/x": "path-invalid",
    "file:///etc/passwd": "path-scheme",
    "C:\\x": "path-absolute",
    "data\\x.csv": "path-invalid",
    "data/%2e%2e/x": "path-invalid",
    ".hidden/x.csv": "path-invalid",
    "http://169.254.169.254/latest/meta-data": "path-host",
    "http://10.0.0.8/x.csv": "path-host",
    "https://[::1]/x.csv": "path-host",
    "http://localhost:8080/x.csv": "path-host",
    "https://intranet.internal/x.csv": "path-host",
    "https://user:secret@example.org/x.csv": "path-invalid",
    "s3://bucket/key": "path-scheme",
    "javascript:alert(1)": "path-scheme",
    "//evil.example/x.csv": "path-scheme",
    "link/hostname": "path-symlink",
    "": "path-invalid",
}


@pytest.mark.parametrize("value,code", sorted(UNSAFE_DATA_PATHS.items()))
def test_unsafe_data_paths_are_refused(tree, value, code):
    problem = check_data_path(value, tree / "datasets" / "d")
    assert problem is not None and problem.code == code


@pytest.mark.parametrize("value", ["x.csv", "data/2019/x.csv.gz", "https://example.org/data/x.zip"])
def test_safe_data_paths_pass(tree, value):
    assert check_data_path(value, tree / "datasets" / "d") is None


def test_messages_never_repeat_a_data_location(tree):
    secret = "https://10.1.2.3/CANARY-secret.csv"
    problem = check_data_path(secret, tree / "datasets" / "d")
    assert problem is not None and "CANARY" not in problem.message and "10.1.2.3" not in problem.message
