"""Machine-readable files: the catalog as JSON, and an Atom feed of what changed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from .. import model as m
from ..viewmodel import slug
from .listings import timeline
from .page import StaticFile

ATOM = "http://www.w3.org/2005/Atom"


def render_catalog_json(site: m.Site, site_url: str) -> StaticFile:
    datasets = []
    for d in site.datasets:
        datasets.append(
            {
                "name": d.name,
                "title": d.title,
                "summary": d.summary,
                "url": f"{site_url}{d.url}",
                "descriptor": f"{site_url}{d.url}datapackage.json",
                "released": d.released,
                "presumptiveOrigin": list(d.origins),
                "policyArea": d.policy_area,
                "platform": d.platform,
                "access": [t.id for t in d.tiers],
                "version": d.version,
                "figures": {
                    k: [{"value": f.value, "text": f.text, "source": f.source.id} for f in s.values]
                    for k, s in sorted(d.figures.items())
                },
            }
        )
    body = {"name": f"{site.consortium.short_name} data catalog", "url": site_url, "datasets": datasets}
    return StaticFile("catalog.json", json.dumps(body, ensure_ascii=False, indent=2) + "\n")


def _rfc3339(date: str) -> str:
    parts = [*date.split("-"), "01", "01"][:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def render_atom(site: m.Site, site_url: str) -> StaticFile:
    """Atom 1.0 (RFC 4287). Dates come from the catalog, never from the clock."""
    events = timeline(site)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{site_url}feed.xml" if site_url else "urn:tmrc-catalog:feed"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{site.consortium.short_name} data catalog: what's new"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = (
        _rfc3339(events[0].date) if events else "1970-01-01T00:00:00Z"
    )
    ET.SubElement(feed, f"{{{ATOM}}}link", href=f"{site_url}feed.xml", rel="self")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=f"{site_url}whats-new/", rel="alternate")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = site.consortium.name
    for event in events:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        if event.kind == "release" and event.dataset and event.release:
            d, r = event.dataset, event.release
            entry_id = f"urn:tmrc-catalog:release:{d.name}:{r.version}"
            title = f"{d.title}, version {r.version}"
            summary = r.summary
            link = f"{site_url}{d.url}#releases"
        else:
            assert event.change is not None
            entry_id = f"urn:tmrc-catalog:membership:{event.date}:{slug(event.change.title)}"
            title = f"Membership: {event.change.title}"
            summary = event.change.title
            link = f"{site_url}whats-new/"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = entry_id
        ET.SubElement(entry, f"{{{ATOM}}}title").text = title
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _rfc3339(event.date)
        ET.SubElement(entry, f"{{{ATOM}}}link", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary
    ET.indent(feed)
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
    return StaticFile("feed.xml", text)
