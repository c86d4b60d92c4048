"""The pipeline, as one call: load -> validate -> view model -> render.

Both edges (the CLI and the MkDocs plugin) go through here, so `tmrc build` and
a plain `mkdocs build` produce the same site.
"""

from __future__ import annotations

from pathlib import Path

from .catalog import Catalog, load_catalog
from .problems import CatalogError, Problem
from .render import SiteOutput, render_site
from .validate import validate_catalog
from .viewmodel import build_site


def check_catalog(catalog_dir: Path) -> tuple[Catalog, list[Problem]]:
    """Load and validate; every problem found, none raised."""
    catalog, problems = load_catalog(catalog_dir)
    problems += validate_catalog(catalog)
    return catalog, sorted(set(problems))


def generate(catalog_dir: Path, site_url: str = "") -> SiteOutput:
    """The generated part of the site, or CatalogError with every problem."""
    catalog, problems = check_catalog(catalog_dir)
    if problems:
        raise CatalogError(problems)
    return render_site(build_site(catalog), site_url)
