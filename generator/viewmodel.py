"""Build the view model from a validated catalog.

This is where access tiers are applied: a resource outside the public tiers
gets no paths and no hash in the model, and is left out of the public copy of
its descriptor, so no renderer can publish its location by mistake.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from . import model as m
from . import wording
from .catalog import Catalog, DatasetSource, SharedFile, resource_schema
from .richtext import first_paragraph, markdown_html

FIGURE_LABELS = {
    "accounts": "Accounts",
    "tweets": "Tweets",
    "tweetsFileSize": "Tweets file (zipped, hashed)",
    "usersFileSize": "Users file (hashed)",
    "mediaSize": "Media",
    "mediaArchives": "Media archives",
}
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.I)


def slug(text: str) -> str:
    """A stable, HTML-id-safe token: letters, digits, '_', '.', '-'."""
    token = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")
    return token or "x"


def _link(title: Any, url: Any) -> m.Link:
    url = url if isinstance(url, str) and _SAFE_LINK.match(url.strip()) else ""
    return m.Link(title=str(title or url or ""), url=url.strip())


def _pairs(values: Any) -> tuple[tuple[str, str], ...]:
    """categories / missingValues: strings or {value, label} objects -> (value, label)."""
    result = []
    for value in values if isinstance(values, list) else []:
        if isinstance(value, dict):
            result.append((str(value.get("value", "")), str(value.get("label", ""))))
        else:
            result.append((str(value), ""))
    return tuple(result)


def build_consortium(data: dict[str, Any]) -> m.Consortium:
    access = data["access"]
    tiers = tuple(
        m.Tier(
            id=t["id"],
            title=t["title"],
            public=t["public"],
            summary=t["summary"],
            how_to_access=markdown_html(t["howToAccess"]),
        )
        for t in access["tiers"]
    )
    by_id = {t.id: t for t in tiers}
    sources = {
        s["id"]: m.Source(
            id=s["id"],
            title=s["title"],
            description=s.get("description", ""),
            official=bool(s.get("official")),
        )
        for s in data["sources"]
    }
    contact = data.get("contact") or {}
    application = data.get("application") or {}
    return m.Consortium(
        name=data["name"],
        short_name=data["shortName"],
        summary=data["summary"],
        purpose=markdown_html(data.get("purpose")),
        contact_email=contact.get("email") or "",
        contact_url=_link("", contact.get("url")).url,
        form_url=_link("", application.get("formUrl")).url,
        opened_text=wording.partial_date(application.get("opened")),
        tiers=tiers,
        default_tier=by_id[access["default"]],
        handling=tuple(m.Handling(h["id"], h["title"], h["description"]) for h in data["handling"]),
        policy_areas=tuple(
            m.PolicyArea(p["id"], p["title"], p["status"], p["description"]) for p in data["policyAreas"]
        ),
        platforms={p["id"]: p["title"] for p in data["platforms"]},
        sources=sources,
        statements=tuple(
            m.Statement(
                s.get("measure", ""),
                s["label"],
                s["value"],
                wording.partial_date(s["date"]),
                sources[s["source"]],
            )
            for s in data.get("statements") or []
        ),
    )


def _figures(package: dict[str, Any], consortium: m.Consortium) -> dict[str, m.FigureSet]:
    result = {}
    for kind, values in (package.get("catalog:figures") or {}).items():
        figures = []
        for value in values:
            unit = value.get("unit")
            figures.append(
                m.Figure(
                    value=float(value["value"]),
                    text=wording.figure_text(value["value"], unit, value.get("qualifier")),
                    source=consortium.sources[value["source"]],
                    note=value.get("note", ""),
                    bytes=wording.to_bytes(value["value"], unit) if unit else None,
                )
            )
        result[kind] = m.FigureSet(kind=kind, label=FIGURE_LABELS.get(kind, kind), values=tuple(figures))
    return result


def _field(
    fld: dict[str, Any], anchor: str, primary: set[str], handling: dict[str, m.Handling], changed: bool
) -> m.Field:
    sensitivity = fld.get("catalog:sensitivity")
    return m.Field(
        name=str(fld.get("name", "")),
        anchor=anchor,
        title=str(fld.get("title", "")),
        type=wording.field_type(fld),
        raw_type=str(fld.get("type") or "any"),
        description=markdown_html(fld.get("description")),
        example=str(fld["example"]) if "example" in fld else "",
        constraints=tuple(wording.constraints(fld)),
        categories=_pairs(fld.get("categories")),
        categories_ordered=fld.get("categoriesOrdered") is True,
        missing_values=_pairs(fld.get("missingValues")),
        sensitivity=m.Sensitivity(
            handling=handling[sensitivity["handling"]],
            condition=sensitivity.get("condition", ""),
            note=sensitivity.get("note", ""),
        )
        if isinstance(sensitivity, dict) and sensitivity.get("handling") in handling
        else None,
        as_of=wording.AS_OF.get(fld.get("catalog:asOf", ""), ""),
        maybe_absent=fld.get("catalog:presence") == "maybe-absent",
        in_primary_key=fld.get("name") in primary,
        changed=changed,
    )


@dataclass
class _Layout:
    """Resources of one dataset that share one effective table schema."""

    key: str  # the first resource's name
    schema: dict[str, Any]
    shared: SharedFile | None
    patched: bool
    content: str  # identifies the schema's content: the shared file, or its serialised form
    resources: list[str] = field(default_factory=list)

    @property
    def signature(self) -> str:
        shared = self.shared.key if self.shared else ""  # named on the page ("shared: ...")
        return f"{self.content}|{shared}|{self.key}|{','.join(self.resources)}|{self.patched}"


def _schema(layout: _Layout, handling: dict[str, m.Handling]) -> m.Schema:
    key, schema = layout.key, layout.schema
    primary = [n for n in schema.get("primaryKey") or [] if isinstance(n, str)]
    original = {}
    if layout.patched and layout.shared is not None:
        original = {f.get("name"): f for f in layout.shared.data.get("fields") or [] if isinstance(f, dict)}
    fields = []
    used: set[str] = set()
    for fld in schema.get("fields") or []:
        anchor = f"field-{slug(key)}-{slug(str(fld.get('name', '')))}"
        while anchor in used:  # v2 tolerates duplicate names; anchors must stay unique
            anchor += "-2"
        used.add(anchor)
        changed = bool(original) and original.get(fld.get("name")) != fld
        fields.append(_field(fld, anchor, set(primary), handling, changed))
    foreign = []
    for fk in schema.get("foreignKeys") or []:
        reference = fk.get("reference") or {}
        target = reference.get("resource") or "this file"
        foreign.append(
            f"{', '.join(fk.get('fields') or [])} → {target}: {', '.join(reference.get('fields') or [])}"
        )
    fields_match = schema.get("fieldsMatch")
    return m.Schema(
        key=key,
        anchor=f"schema-{slug(key)}",
        title=str(schema.get("title") or ""),
        description=markdown_html(schema.get("description")),
        shared_name=layout.shared.short_name if layout.shared else "",
        patched=layout.patched,
        fields=tuple(fields),
        primary_key=tuple(primary),
        unique_keys=tuple(tuple(k) for k in schema.get("uniqueKeys") or [] if isinstance(k, list)),
        foreign_keys=tuple(foreign),
        fields_match=wording.FIELDS_MATCH.get(fields_match, "") if fields_match else "",
        missing_values=_pairs(schema.get("missingValues")),
        resources=tuple(layout.resources),
        signature=layout.signature,
    )


def _tier_of(resource: dict[str, Any], package: dict[str, Any], consortium: m.Consortium) -> m.Tier:
    tiers = {t.id: t for t in consortium.tiers}
    tier_id = resource.get("catalog:access") or package.get("catalog:access")
    return tiers.get(tier_id, consortium.default_tier) if tier_id else consortium.default_tier


def build_dataset(
    source: DatasetSource, consortium: m.Consortium, schemas_seen: dict[str, m.Schema] | None = None
) -> m.Dataset:
    """One dataset's view model. `schemas_seen` shares identical layouts between datasets."""
    schemas_seen = {} if schemas_seen is None else schemas_seen
    package = source.package
    handling = {h.id: h for h in consortium.handling}
    name = package["name"]

    # Group resources by the table layout they really have, so that 'tweets' and
    # 'tweets-unhashed' share one data dictionary instead of repeating 31 fields.
    layouts: dict[str, _Layout] = {}
    schema_anchor: dict[int, str] = {}
    for index, resource in enumerate(package["resources"]):
        schema = resource_schema(source, index)
        if schema is None:
            continue
        # An unpatched shared schema is one object for every resource that uses it.
        shared = source.schemas.get(index)
        if shared is not None and schema is shared.data:
            signature = "shared:" + shared.key
        else:
            signature = json.dumps(schema, sort_keys=True, ensure_ascii=False)
        if signature not in layouts:
            patched = isinstance(resource.get("catalog:schemaPatch"), dict)
            layouts[signature] = _Layout(resource["name"], schema, shared, patched, signature)
        layouts[signature].resources.append(resource["name"])
        schema_anchor[index] = f"schema-{slug(layouts[signature].key)}"
    schemas = []
    for layout in layouts.values():
        if layout.signature not in schemas_seen:
            schemas_seen[layout.signature] = _schema(layout, handling)
        schemas.append(schemas_seen[layout.signature])

    resources = []
    for index, resource in enumerate(package["resources"]):
        tier = _tier_of(resource, package, consortium)
        paths = resource.get("path")
        paths = paths if isinstance(paths, list) else [paths] if isinstance(paths, str) else []
        dialect = resource.get("dialect")
        if not isinstance(dialect, dict):
            shared_dialect = source.dialects.get(index)
            dialect = shared_dialect.data if shared_dialect else {}
        size = resource.get("bytes")
        resources.append(
            m.Resource(
                name=resource["name"],
                anchor=f"file-{slug(resource['name'])}",
                title=str(resource.get("title") or resource["name"]),
                description=markdown_html(resource.get("description")),
                tier=tier,
                paths=tuple(str(p) for p in paths) if tier.public else (),
                hash=str(resource.get("hash", "")) if tier.public else "",
                format=str(resource.get("format", "")),
                mediatype=str(resource.get("mediatype", "")),
                compression=str(resource.get("compression", "")),
                encoding=str(resource.get("encoding", "")),
                size=wording.byte_size(size) if isinstance(size, int) and not isinstance(size, bool) else "",
                dialect=tuple(
                    (str(k), json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)
                    for k, v in sorted(dialect.items())
                    if not k.startswith("$")
                ),
                schema_anchor=schema_anchor.get(index, ""),
                is_table=index in schema_anchor,
            )
        )
    tiers = []
    for resource in resources:
        if resource.tier not in tiers:
            tiers.append(resource.tier)
    if not tiers:
        tiers.append(_tier_of({}, package, consortium))

    contributors = []
    for person in package.get("contributors") or []:
        title = person.get("title") or " ".join(
            p for p in (person.get("givenName"), person.get("familyName")) if p
        )
        roles = person.get("roles") or []
        contributors.append(f"{title} ({', '.join(roles)})" if roles else str(title))

    released = package.get("catalog:released", "")
    return m.Dataset(
        name=name,
        url=f"datasets/{name}/",
        title=str(package.get("title") or name),
        summary=first_paragraph(package.get("description")),
        description=markdown_html(package.get("description")),
        version=str(package.get("version", "")),
        released=released,
        released_text=wording.partial_date(released),
        release_folder=package.get("catalog:releaseFolder", ""),
        origins=tuple(package.get("catalog:presumptiveOrigin") or ()),
        entity=package.get("catalog:entity", ""),
        policy_area=package.get("catalog:policyArea", ""),
        policy_area_title=next(
            (p.title for p in consortium.policy_areas if p.id == package.get("catalog:policyArea")), ""
        ),
        platform=package.get("catalog:platform", ""),
        platform_title=consortium.platforms.get(package.get("catalog:platform", ""), ""),
        figures=_figures(package, consortium),
        keywords=tuple(str(k) for k in package.get("keywords") or ()),
        licenses=tuple(
            _link(lic.get("title") or lic.get("name"), lic.get("path"))
            for lic in package.get("licenses") or []
        ),
        contributors=tuple(contributors),
        sources=tuple(_link(s.get("title"), s.get("path")) for s in package.get("sources") or []),
        homepage=_link(package.get("homepage"), package.get("homepage")) if package.get("homepage") else None,
        tiers=tuple(tiers),
        resources=tuple(resources),
        schemas=tuple(schemas),
        changelog=tuple(
            m.Release(
                version=e["version"],
                date=e["date"],
                date_text=wording.partial_date(e["date"]),
                summary=e["summary"],
                changes=tuple(e.get("changes") or ()),
            )
            for e in package.get("catalog:changelog") or []
        ),
        caveats=tuple(package.get("catalog:caveats") or ()),
        identifier=str(package.get("id", "")),
        created=str(package.get("created", "")),
        public_descriptor=public_descriptor(source, consortium),
        source_digest=_digest(source.doc.text, *(f.doc.text for f in _shared_files(source))),
    )


def _digest(*texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _shared_files(source: DatasetSource) -> list[SharedFile]:
    files = {f.key: f for f in (*source.schemas.values(), *source.dialects.values())}
    return [files[key] for key in sorted(files)]


def public_descriptor(source: DatasetSource, consortium: m.Consortium) -> dict[str, Any]:
    """The descriptor as published: schemas inlined, non-public resources without locations.

    Copies are shallow where nothing is changed: schemas and dialects are shared with the
    loaded catalog and only ever serialised.
    """
    package = dict(source.package)
    package["resources"] = [dict(r) for r in source.package.get("resources") or []]
    public, restricted = [], []
    for index, resource in enumerate(package["resources"]):
        schema = resource_schema(source, index)
        resource.pop("catalog:schemaPatch", None)
        if schema is not None:
            resource["schema"] = schema
        dialect = source.dialects.get(index)
        if dialect is not None:
            resource["dialect"] = dialect.data
        tier = _tier_of(resource, package, consortium)
        resource["catalog:access"] = tier.id
        if tier.public:
            public.append(resource)
        else:
            for secret in ("path", "url", "hash", "data", "bytes", "sources"):
                resource.pop(secret, None)
            restricted.append(resource)
    package["resources"] = public
    if restricted:
        package["catalog:restrictedResources"] = restricted
    return package


def build_membership(catalog: Catalog) -> m.Membership:
    docs = catalog.membership
    eligibility = docs["eligibility"].data
    apply = docs["apply"].data

    def items(values: Any) -> tuple[m.Item, ...]:
        return tuple(
            m.Item(
                title=v["title"],
                description=markdown_html(v.get("description")),
                extra=markdown_html(v.get("why")),
            )
            for v in values or []
        )

    return m.Membership(
        summary=markdown_html(eligibility["summary"]),
        eligible=items(eligibility["eligible"]),
        requirements=items(eligibility["requirements"]),
        success=markdown_html(eligibility.get("success")),
        ineligible=items(eligibility["ineligible"]),
        benefits=items(eligibility["benefits"]),
        commitments=items(eligibility["commitments"]),
        unknowns=tuple(eligibility.get("unknowns") or ()),
        apply_summary=markdown_html(apply["summary"]),
        prepare=items(apply["prepare"]),
        steps=items(apply["steps"]),
        after_submitting=markdown_html(apply["afterSubmitting"]),
        timeline=markdown_html(apply["timeline"]),
        questions=tuple(
            m.Question(q["id"], q["question"], markdown_html(q["answer"]))
            for q in docs["faq"].data["questions"]
        ),
        changes=tuple(
            m.MembershipChange(
                c["date"], wording.partial_date(c["date"]), c["title"], markdown_html(c["description"])
            )
            for c in docs["changes"].data["changes"]
        ),
    )


def build_site(catalog: Catalog) -> m.Site:
    consortium = build_consortium(catalog.consortium_data)
    schemas_seen: dict[str, m.Schema] = {}
    datasets = [build_dataset(source, consortium, schemas_seen) for source in catalog.datasets]
    # Newest first; names break ties so the order never depends on the file system.
    datasets.sort(key=lambda d: d.name)
    datasets.sort(key=lambda d: d.released, reverse=True)
    consortium_text = catalog.consortium.text if catalog.consortium else ""
    return m.Site(
        consortium=consortium,
        membership=build_membership(catalog),
        datasets=tuple(datasets),
        consortium_digest=_digest(consortium_text),
    )
