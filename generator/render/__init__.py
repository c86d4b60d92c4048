"""Render the whole site from the view model: pages and machine-readable files.

Pure: no file system, no clock. The same view model gives the same bytes.
"""

from __future__ import annotations

from .. import model as m
from .browser import render_browser
from .dataset import SectionCache, render_dataset
from .fields import render_fields
from .listings import render_home, render_whats_new
from .machine import render_atom, render_catalog_json
from .membership import render_membership
from .page import Page, SiteOutput, StaticFile, templates_fingerprint
from .reference import render_reference

__all__ = ["Page", "SiteOutput", "StaticFile", "render_site"]


def render_site(site: m.Site, site_url: str) -> SiteOutput:
    """Every generated page and file. `site_url` ends with '/' (or is empty)."""
    output = SiteOutput()
    for item in render_home(site):
        output.add(item)
    output.add(render_browser(site))
    for item in render_fields(site):
        output.add(item)
    output.add(render_whats_new(site))
    for item in render_membership(site):
        output.add(item)
    sections = SectionCache()
    # What every dataset page shares: the consortium, the address and the templates.
    inputs = "|".join((site.consortium_digest, site_url, templates_fingerprint()))
    for dataset in site.datasets:
        for item in render_dataset(dataset, site.consortium, site_url, sections, inputs):
            output.add(item)
    for item in render_reference():
        output.add(item)
    output.add(render_catalog_json(site, site_url))
    output.add(render_atom(site, site_url))
    return output
