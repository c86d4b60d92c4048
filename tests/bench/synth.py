"""Synthetic catalogs for the benchmark: the shipped catalog, scaled to N datasets.

`make_catalog(N, target)` writes a catalog folder laid out like `catalog/`:
consortium.yaml, membership/ and schemas/ are copied; N = 48 (the shipped size)
copies the 48 real descriptors as they are. Any other N writes N descriptors made
from the real ones as templates, with seeded pseudo-random variation:

- names, titles, entities, descriptions, keywords, caveats, sources: deterministic
  text from a vocabulary of the real descriptions' words plus Zipf-weighted
  pseudo-words (so the search index sees a realistic, growing vocabulary);
- release dates, figures (1-6 kinds, 1-3 reported values each, some with units)
  and a newest-first changelog of 1-3 releases;
- 1-4 resources taken from the template (hashed public files, consortium-only
  unhashed files, plain-text lists), some with `catalog:schemaPatch` variations;
- about a third of the datasets carry one or two tables with their own inline
  schema, drawn from a pool of a few hundred distinct field names (what a
  catalog covering several policy areas would hold), so that field search and
  the field index are realistic.

Dataset i depends only on (seed, i): the 1,000-dataset catalog is the first
1,000 datasets of the 5,000 one. About one descriptor in ten is written as JSON.

Run alone: `python -m tests.bench.synth N TARGET_DIR`.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from generator.wording import MONTHS

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "catalog"
SEED = 20261129

SOURCE_IDS = ("tw-list", "tw-blog", "sio", "news", "third-party")
FIGURE_KINDS = ("tweets", "tweetsFileSize", "usersFileSize", "mediaSize", "mediaArchives")
SIZE_KINDS = ("tweetsFileSize", "usersFileSize", "mediaSize")
COUNTRIES = [
    "Albania",
    "Algeria",
    "Angola",
    "Argentina",
    "Armenia",
    "Azerbaijan",
    "Bahrain",
    "Bangladesh",
    "Belarus",
    "Bolivia",
    "Brazil",
    "Cameroon",
    "Chile",
    "China",
    "Colombia",
    "Cuba",
    "Ecuador",
    "Egypt",
    "Ethiopia",
    "Georgia",
    "Ghana",
    "Guatemala",
    "Honduras",
    "India",
    "Indonesia",
    "Iran",
    "Iraq",
    "Kazakhstan",
    "Kenya",
    "Lebanon",
    "Libya",
    "Malaysia",
    "Mali",
    "Mexico",
    "Morocco",
    "Myanmar",
    "Nicaragua",
    "Nigeria",
    "Pakistan",
    "Peru",
    "Philippines",
    "Qatar",
    "Russia",
    "Rwanda",
    "Serbia",
    "Spain",
    "Sudan",
    "Syria",
    "Tanzania",
    "Thailand",
    "Turkey",
    "Uganda",
    "Ukraine",
    "Venezuela",
    "Vietnam",
    "Yemen",
    "Zimbabwe",
]
ORG_WORDS = [
    "Agency",
    "Bureau",
    "Network",
    "Institute",
    "Media",
    "Group",
    "Centre",
    "Council",
    "Front",
    "Ministry",
    "Collective",
    "Studio",
    "Foundation",
    "Office",
    "Committee",
    "Movement",
    "Party",
    "Union",
    "Initiative",
    "Desk",
]
ORG_ADJ = [
    "Digital",
    "National",
    "Regional",
    "Strategic",
    "Public",
    "Patriotic",
    "Civic",
    "United",
    "Independent",
    "Central",
    "Northern",
    "Southern",
    "Youth",
    "Cultural",
    "Economic",
    "Information",
    "Online",
]

# The pool of extra field names: prefix + stem (+ suffix), a few hundred distinct ones.
FIELD_PREFIXES = [
    "account",
    "post",
    "media",
    "ad",
    "label",
    "report",
    "appeal",
    "review",
    "topic",
    "campaign",
    "device",
    "session",
    "link",
    "community",
    "policy",
    "enforcement",
    "content",
    "image",
    "video",
    "audio",
    "comment",
    "reply",
]
FIELD_STEMS = [
    "id",
    "count",
    "date",
    "time",
    "language",
    "country",
    "url",
    "hash",
    "score",
    "category",
    "type",
    "status",
    "reason",
    "region",
    "source",
    "rank",
    "text",
    "title",
    "flag",
    "duration",
]
FIELD_SUFFIXES = ("", "", "", "_raw", "_normalized", "_first", "_last", "_total")
FIELD_TYPES = {
    "id": ("string", None),
    "count": ("integer", {"minimum": 0}),
    "date": ("date", None),
    "time": ("datetime", None),
    "language": ("string", None),
    "country": ("string", None),
    "url": ("string", None),
    "hash": ("string", {"pattern": "[0-9a-f]{64}"}),
    "score": ("number", {"minimum": 0}),
    "category": ("string", None),
    "type": ("string", None),
    "status": ("string", None),
    "reason": ("string", None),
    "region": ("string", None),
    "source": ("string", None),
    "rank": ("integer", {"minimum": 1}),
    "text": ("string", None),
    "title": ("string", None),
    "flag": ("boolean", None),
    "duration": ("number", {"minimum": 0}),
}
TABLE_KINDS = (
    ("labels", "Labels applied", "misinformation"),
    ("appeals", "Appeals", "platform-manipulation"),
    ("ads", "Advertisements", "platform-manipulation"),
    ("media-items", "Media items", "platform-manipulation"),
    ("reports", "User reports", "misinformation"),
    ("links", "Shared links", "platform-manipulation"),
    ("communities", "Communities", "platform-manipulation"),
    ("sessions", "Sessions", "platform-manipulation"),
)
TWEETS_PATCHABLE = (
    "poll_choices",
    "latitude",
    "longitude",
    "quote_count",
    "hashtags",
    "urls",
    "tweet_client_name",
)


class _NoAliasDumper(yaml.CSafeDumper):
    """The catalog's reader refuses YAML aliases: never write any."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.CSafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # descriptions as block literals, as maintainers write them
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_NoAliasDumper.add_representer(str, _str_representer)


def _field_pool() -> list[str]:
    pool = []
    for prefix in FIELD_PREFIXES:
        for stem in FIELD_STEMS:
            pool.append(f"{prefix}_{stem}")
    rng = random.Random(SEED)
    extra = set()
    while len(extra) < 120:
        extra.add(f"{rng.choice(FIELD_PREFIXES)}_{rng.choice(FIELD_STEMS)}{rng.choice(FIELD_SUFFIXES[3:])}")
    return sorted(set(pool) | extra)


class Text:
    """Deterministic text: real catalog words mixed with Zipf-weighted pseudo-words."""

    def __init__(self, real_words: list[str]) -> None:
        rng = random.Random(SEED + 1)
        syllables = [a + b for a in "bcdfghklmnprstvz" for b in "aeiou"] + ["an", "el", "or", "is", "um"]
        pseudo: set[str] = set()
        while len(pseudo) < 4000:
            pseudo.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
        self.pseudo = sorted(pseudo)
        rng.shuffle(self.pseudo)
        self.pseudo_cumulative = list(itertools.accumulate(1.0 / (k + 1) for k in range(len(self.pseudo))))
        self.real = sorted(set(real_words))

    def word(self, rng: random.Random) -> str:
        if rng.random() < 0.7:
            return rng.choice(self.real)
        return rng.choices(self.pseudo, cum_weights=self.pseudo_cumulative)[0]

    def sentence(self, rng: random.Random, low: int = 8, high: int = 20) -> str:
        words = [self.word(rng) for _ in range(rng.randint(low, high))]
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self, rng: random.Random, sentences: tuple[int, int] = (2, 5)) -> str:
        return " ".join(self.sentence(rng) for _ in range(rng.randint(*sentences)))


def _real_words(templates: list[dict[str, Any]]) -> list[str]:
    words = []
    for t in templates:
        text = " ".join([t.get("description", ""), *(t.get("catalog:caveats") or [])])
        words += [w.lower() for w in re.findall(r"[A-Za-z][a-z]{2,}", text)]
    return words


def _load_templates(shipped: Path) -> list[dict[str, Any]]:
    templates = []
    for path in sorted(shipped.glob("datasets/*/datapackage.yaml")):
        templates.append(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    return templates


def _figures(rng: random.Random) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    kinds = ["accounts", *rng.sample(FIGURE_KINDS, rng.randint(0, len(FIGURE_KINDS)))]
    for kind in sorted(kinds, key=lambda k: ("accounts", *FIGURE_KINDS).index(k)):
        values = []
        for _ in range(rng.choices((1, 2, 3), weights=(6, 3, 1))[0]):
            value: dict[str, Any]
            if kind in SIZE_KINDS:
                value = {"value": round(rng.uniform(0.1, 900), 1), "unit": rng.choice(("MB", "GB", "GB"))}
            elif kind == "accounts":
                value = {"value": int(rng.lognormvariate(6, 1.6)) + 1}
            elif kind == "tweets":
                value = {"value": int(rng.lognormvariate(11, 2)) + 1}
            else:
                value = {"value": rng.randint(1, 400)}
            value["source"] = rng.choice(SOURCE_IDS)
            if rng.random() < 0.5:
                value["note"] = rng.choice(
                    ("announced at release", "on the archive listing", "counted by a third party")
                )
            if rng.random() < 0.1:
                value["qualifier"] = rng.choice(("about", "more-than", "nearly", "at-least"))
            values.append(value)
        figures[kind] = values
    return figures


def _schema_patch(rng: random.Random) -> dict[str, Any]:
    kind = rng.random()
    fields: dict[str, Any] = {}
    if kind < 0.5:
        fields["poll_choices"] = {"catalog:presence": "maybe-absent"}
    elif kind < 0.7:
        for name in rng.sample(TWEETS_PATCHABLE, rng.randint(1, 3)):
            fields[name] = None  # the column is not in this set's files
    elif kind < 0.85:
        fields["userid"] = {
            "catalog:sensitivity": {
                "handling": "hashed",
                "condition": "every account in this set, whatever its follower count",
            }
        }
    else:
        fields[rng.choice(TWEETS_PATCHABLE)] = {
            "description": "In this set, the column is empty for most rows.",
            "catalog:presence": "maybe-absent",
        }
    return {"fields": fields}


def _inline_table(rng: random.Random, text: Text, pool: list[str], name: str) -> dict[str, Any]:
    fields = []
    count = rng.choices((5, 10, 15, 25, 40), weights=(3, 4, 3, 2, 1))[0]
    for field_name in rng.sample(pool, count):
        stem = next((s for s in FIELD_STEMS if field_name.split("_")[1].startswith(s)), "text")
        ftype, constraints = FIELD_TYPES.get(stem, ("string", None))
        fld: dict[str, Any] = {
            "name": field_name,
            "title": field_name.replace("_", " ").capitalize(),
            "type": ftype,
            "description": text.sentence(rng, 6, 16),
        }
        if constraints and rng.random() < 0.6:
            fld["constraints"] = dict(constraints)
        if ftype == "string" and stem in ("category", "type", "status") and rng.random() < 0.5:
            fld["categories"] = sorted({text.word(rng) for _ in range(rng.randint(2, 6))})
        handling = rng.choices(("public", "hashed", "withheld", "hashed-mentions"), weights=(8, 3, 1, 1))[0]
        fld["catalog:sensitivity"] = {"handling": handling}
        if handling == "hashed" and rng.random() < 0.5:
            fld["catalog:sensitivity"]["condition"] = "accounts with fewer than 5,000 followers at suspension"
        if rng.random() < 0.15:
            fld["catalog:asOf"] = rng.choice(("suspension", "release"))
        fields.append(fld)
    schema: dict[str, Any] = {
        "title": f"{name.replace('-', ' ').capitalize()} file",
        "description": text.paragraph(rng, (1, 2)),
        "missingValues": [""],
        "fields": fields,
    }
    if rng.random() < 0.5:
        schema["primaryKey"] = [fields[0]["name"]]
    return schema


def _resources(
    rng: random.Random, template: dict[str, Any], text: Text, pool: list[str], name: str
) -> list[dict[str, Any]]:
    """1-4 resources: from the template's files, plus (for some) a table with its own schema."""
    candidates = [dict(r) for r in template["resources"]]
    inline_tables = rng.choices((0, 1, 2), weights=(14, 5, 2))[0]
    count = rng.choices((1, 2, 3, 4), weights=(1, 2, 3, 4))[0]
    inline_tables = min(inline_tables, count)
    picked = sorted(rng.sample(range(len(candidates)), count - inline_tables))
    resources = []
    for index in picked:
        resource = candidates[index]
        resource.pop("catalog:schemaPatch", None)
        old_prefix = str(template["name"])
        for key in ("path",):
            if isinstance(resource.get(key), str):
                resource[key] = resource[key].replace(old_prefix, name)
        if isinstance(resource.get("schema"), str) and "tweets" in resource["schema"] and rng.random() < 0.4:
            resource["catalog:schemaPatch"] = _schema_patch(rng)
        if rng.random() < 0.3:
            resource["description"] = text.sentence(rng)
        if rng.random() < 0.2:
            resource["bytes"] = rng.randint(10_000, 9_000_000_000)
        resources.append(resource)
    kinds = rng.sample(TABLE_KINDS, inline_tables)
    for table, title, _area in kinds:
        tier = rng.choice(("public", "consortium"))
        resource = {
            "name": table,
            "title": title + (" (unhashed)" if tier == "consortium" else " (hashed)"),
            "description": text.sentence(rng),
            "path": f"{name}_{table.replace('-', '_')}.csv"
            if tier == "public"
            else f"unhashed/{name}/{table}.csv.gz",
            "format": "csv",
            "mediatype": "text/csv",
            "schema": _inline_table(rng, text, pool, table),
        }
        if tier == "consortium":
            resource["catalog:access"] = "consortium"
        resources.append(resource)
    return resources


def make_descriptor(i: int, templates: list[dict[str, Any]], text: Text, pool: list[str]) -> dict[str, Any]:
    rng = random.Random(f"{SEED}:{i}")
    template = templates[i % len(templates)]
    country = rng.choice(COUNTRIES)
    year = rng.randint(2018, 2024)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    released = f"{year:04d}-{month:02d}-{day:02d}"
    org = f"{rng.choice(ORG_ADJ)} {text.word(rng).capitalize()} {rng.choice(ORG_WORDS)}"
    name = f"{country.lower()}_{year:04d}{month:02d}_{i:05d}"
    entity = f"{country} – {org}"
    policy_area = "misinformation" if rng.random() < 0.15 else "platform-manipulation"
    description = "\n\n".join(text.paragraph(rng) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.2:
        description += f"\n\nSee also the **{org}** entry and the `{name}` files."
    descriptor: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": name,
        "title": f"{entity} ({MONTHS[month - 1]} {year}, set {i:05d})",
        "description": description + "\n",
        "version": "1.0.0",
        "keywords": ["information operations", country, *sorted({text.word(rng) for _ in range(3)})],
        "contributors": [{"title": "Twitter", "roles": ["publisher"]}],
        "sources": [
            {
                "title": f"{text.sentence(rng, 4, 9)[:-1]}",
                "path": f"https://example.org/{text.word(rng)}/{name}/{k}",
            }
            for k in range(rng.randint(0, 4))
        ]
        or list(template.get("sources") or [])[:1],
        "catalog:access": "public",
        "catalog:released": released,
        "catalog:releaseFolder": f"{year:04d}_{month:02d}",
        "catalog:presumptiveOrigin": [country],
        "catalog:entity": entity,
        "catalog:policyArea": policy_area,
        "catalog:platform": "twitter",
        "catalog:figures": _figures(rng),
    }
    releases = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
    changelog = []
    for k in range(releases, 0, -1):
        date = f"{min(year + k - 1, 2025):04d}-{month:02d}-{day:02d}"
        changelog.append(
            {
                "version": f"1.{k - 1}.0",
                "date": date,
                "summary": "First public release." if k == 1 else text.sentence(rng, 6, 12),
            }
        )
    descriptor["version"] = changelog[0]["version"]
    descriptor["catalog:changelog"] = changelog
    caveats = [text.sentence(rng, 10, 24) for _ in range(rng.randint(0, 3))]
    if caveats:
        descriptor["catalog:caveats"] = caveats
    descriptor["resources"] = _resources(rng, template, text, pool, name)
    return descriptor


def _copy_common(shipped: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(shipped / "consortium.yaml", target / "consortium.yaml")
    shutil.copytree(shipped / "membership", target / "membership", dirs_exist_ok=True)
    shutil.copytree(shipped / "schemas", target / "schemas", dirs_exist_ok=True)


def make_catalog(n: int, target: Path, shipped: Path = SHIPPED) -> Path:
    """Write a catalog of n datasets into target (which must not exist yet).

    `shipped` is the catalog to copy and take templates from (default: catalog/).
    """
    if target.exists():
        raise FileExistsError(target)
    if n == 48:
        shutil.copytree(shipped, target)
        return target
    _copy_common(shipped, target)
    templates = _load_templates(shipped)
    text = Text(_real_words(templates))
    pool = _field_pool()
    datasets = target / "datasets"
    for i in range(n):
        descriptor = make_descriptor(i, templates, text, pool)
        folder = datasets / descriptor["name"]
        folder.mkdir(parents=True)
        if i % 10 == 7:
            (folder / "datapackage.json").write_text(
                json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        else:
            (folder / "datapackage.yaml").write_text(
                yaml.dump(descriptor, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=88),
                encoding="utf-8",
            )
    return target


def catalog_stats(catalog: Path) -> dict[str, int]:
    """Counts that show the variation: datasets, resources, inline schemas, distinct field names."""
    datasets = resources = inline = 0
    names: set[str] = set()
    for path in sorted(catalog.glob("datasets/*/datapackage.*")):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=yaml.CSafeLoader)
        datasets += 1
        for resource in data.get("resources") or []:
            resources += 1
            schema = resource.get("schema")
            if isinstance(schema, dict):
                inline += 1
                names.update(f["name"] for f in schema.get("fields") or [])
    for path in sorted(catalog.glob("schemas/*.yaml")):
        names.update(
            f["name"] for f in yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["fields"]
        )
    return {"datasets": datasets, "resources": resources, "inline_schemas": inline, "field_names": len(names)}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m tests.bench.synth N TARGET_DIR")
    out = make_catalog(int(sys.argv[1]), Path(sys.argv[2]))
    print(out, catalog_stats(out))
