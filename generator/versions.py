"""Two versions of a dataset descriptor, read for `tmrc diff`: a file, or a file in a git revision.

Both are read the way the catalog reads them: the strict loader, v1 forms
normalised, shared schemas dereferenced and `catalog:schemaPatch` applied. For a
git revision, the descriptor, its schemas and consortium.yaml are taken from that
revision and read with the same loader from a temporary folder.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from .catalog import display_path, load_package_file, resource_schema
from .problems import Problem
from .reader import read_document
from .semantics import Vocabulary


class DiffUsageError(Exception):
    """The arguments cannot work: no git, not a repository, a revision that looks like an option."""


@dataclass
class Side:
    """One version of a descriptor, read and dereferenced."""

    label: str
    package: dict[str, Any]
    schemas: dict[str, dict[str, Any] | None]  # resource name -> the schema it really has
    vocabulary: Vocabulary

    def tier(self, resource: dict[str, Any]) -> str:
        tier = resource.get("catalog:access") or self.package.get("catalog:access")
        if isinstance(tier, str) and (tier in self.vocabulary.tiers or not self.vocabulary.tiers):
            return tier
        return self.vocabulary.default_tier or "not set"

    def is_public(self, resource: dict[str, Any]) -> bool:
        return self.tier(resource) in self.vocabulary.public_tiers


def load_side(
    spec: str, catalog: Path | None = None, cwd: Path | None = None
) -> tuple[Side | None, list[Problem]]:
    """Read `spec` (a file, or REV:PATH). Returns the side, or None and the problems met."""
    cwd = cwd or Path.cwd()
    path = cwd / spec
    if ":" in spec and not path.exists():
        rev, _, relative = spec.partition(":")
        if rev and relative:
            return _load_revision(rev, relative, catalog, cwd, spec)
    root = catalog or _catalog_root(path.parent) or path.parent
    return _load(path, root, spec, {})


def _catalog_root(start: Path) -> Path | None:
    for folder in (start.absolute(), *start.absolute().parents):
        if (folder / "consortium.yaml").is_file():
            return folder
    return None


def _load(path: Path, root: Path, label: str, labels: dict[str, str]) -> tuple[Side | None, list[Problem]]:
    """Load a descriptor inside `root`; `labels` renames files in messages (for git revisions)."""
    source, _, problems = load_package_file(path, root)
    vocabulary = Vocabulary()
    consortium = root / "consortium.yaml"
    if consortium.is_file():
        doc, more = read_document(consortium, display_path(consortium, root))
        problems += more
        if doc is not None and isinstance(doc.data, dict):
            vocabulary = Vocabulary.from_consortium(doc.data)
    problems = [replace(p, file=labels.get(p.file, p.file)) for p in problems]
    if source is None or problems:
        return None, sorted(set(problems))
    package = source.package
    resources = package.get("resources") if isinstance(package.get("resources"), list) else []
    schemas = {
        resource_key(resource, index): resource_schema(source, index)
        for index, resource in enumerate(resources)
        if isinstance(resource, dict)
    }
    return Side(label, package, schemas, vocabulary), []


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)
    except FileNotFoundError as error:
        raise DiffUsageError("git is not installed; compare two files instead") from error
    except subprocess.TimeoutExpired as error:
        raise DiffUsageError(f"git {args[0]} did not finish within a minute") from error


def _load_revision(
    rev: str, relative: str, catalog: Path | None, cwd: Path, label: str
) -> tuple[Side | None, list[Problem]]:
    if rev.startswith("-"):
        raise DiffUsageError(f"{label}: a revision may not start with '-'")
    found = _git(["rev-parse", "--show-toplevel"], cwd)
    if found.returncode != 0:
        raise DiffUsageError(f"{label}: {cwd} is not inside a git repository")
    top = Path(found.stdout.decode().strip())
    if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top).returncode != 0:
        raise DiffUsageError(f"{label}: {rev!r} is not a revision of the repository {top}")
    here = Path(os.path.realpath(cwd))
    try:
        repo_path = PurePosixPath(Path(os.path.normpath(here / relative)).relative_to(top).as_posix())
        catalog_rel = (
            PurePosixPath(Path(os.path.realpath(catalog)).relative_to(top).as_posix()) if catalog else None
        )
    except ValueError as error:
        raise DiffUsageError(f"{label}: the path is outside the repository {top}") from error

    def show(path: PurePosixPath) -> bytes | None:
        result = _git(["show", "--no-textconv", f"{rev}:{path.as_posix()}"], top)
        return result.stdout if result.returncode == 0 else None

    text = show(repo_path)
    if text is None:
        return None, [Problem(label, 1, "file-missing", "", f"the revision {rev} has no file {repo_path}")]
    if catalog_rel is None:
        catalog_rel = next(
            (d for d in repo_path.parents if show(d / "consortium.yaml") is not None), repo_path.parent
        )
    with tempfile.TemporaryDirectory(prefix="tmrc-diff-") as tmp:
        # Rebuild the files the descriptor needs, as they were in the revision, and
        # read them with the same loader as the working tree.
        root = Path(tmp) / catalog_rel
        labels: dict[str, str] = {}

        def put(path: PurePosixPath, content: bytes) -> Path:
            target = Path(tmp) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            labels[display_path(target, root)] = f"{rev}:{path.as_posix()}"
            return target

        descriptor = put(repo_path, text)
        consortium = show(catalog_rel / "consortium.yaml")
        if consortium is not None:
            put(catalog_rel / "consortium.yaml", consortium)
        for reference in _references(descriptor):
            # Only plain relative paths that stay inside the catalog are fetched; the
            # loader reports every other reference as it would for a working tree.
            target = PurePosixPath(os.path.normpath((repo_path.parent / reference).as_posix()))
            outside = target.parts[:1] == ("..",) or catalog_rel not in target.parents
            if "://" in reference or reference.startswith("/") or outside:
                continue
            content = show(target)
            if content is not None:
                put(target, content)
        return _load(descriptor, root, label, labels)


def _references(descriptor: Path) -> list[str]:
    doc, _ = read_document(descriptor, descriptor.name)
    data = doc.data if doc is not None else None
    resources = data.get("resources") if isinstance(data, dict) else None
    found = []
    for resource in resources if isinstance(resources, list) else []:
        for prop in ("schema", "dialect"):
            value = resource.get(prop) if isinstance(resource, dict) else None
            if isinstance(value, str) and value:
                found.append(value)
    return found


def resource_key(resource: dict[str, Any], index: int) -> str:
    name = resource.get("name")
    return name if isinstance(name, str) else f"#{index + 1}"
