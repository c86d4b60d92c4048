"""The pipeline, as one call: load -> validate -> view model -> render.

Both edges (the CLI and the MkDocs plugin) go through here, so `tmrc build` and
a plain `mkdocs build` produce the same site.
"""

from __future__ import annotations

from pathlib import Path

from .catalog import Catalog, FileCache, display_path, load_catalog, load_package_file
from .problems import CatalogError, Problem
from .reader import read_document
from .render import SiteOutput, render_site
from .validate import (
    descriptor_kind,
    validate_catalog,
    validate_resource_document,
    validate_schema_document,
    validate_standalone,
)
from .viewmodel import build_site


def check_catalog(catalog_dir: Path, cache: FileCache | None = None) -> tuple[Catalog, list[Problem]]:
    """Load and validate; every problem found, none raised."""
    catalog, problems = load_catalog(catalog_dir, cache)
    problems += validate_catalog(catalog)
    return catalog, sorted(set(problems))


def generate(catalog_dir: Path, site_url: str = "", cache: FileCache | None = None) -> SiteOutput:
    """The generated part of the site, or CatalogError with every problem."""
    catalog, problems = check_catalog(catalog_dir, cache)
    if problems:
        raise CatalogError(problems)
    return render_site(build_site(catalog), site_url)


def check_descriptor_file(path: Path, root: Path) -> list[Problem]:
    """Check one standalone descriptor (package, resource or schema) against the official v2 rules."""
    read = read_document(path, display_path(path, root))
    doc, problems = read
    if doc is None:
        return problems
    kind = descriptor_kind(doc.data)
    if kind == "schema":
        return sorted(set(validate_schema_document(doc)))
    if kind == "resource":
        return sorted(set(validate_resource_document(doc)))
    source, catalog, problems = load_package_file(path, root, read)
    if source is not None:
        problems += validate_standalone(source, catalog)
    return sorted(set(problems))
