"""The catalog extension profile builds on the official Data Package v2 profile."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import SHARED, SMALL
from jsonschema import Draft7Validator

from generator import profiles
from generator.catalog import load_catalog

OFFICIAL = Path(profiles.__file__).parent / "official"
# The published v2 profiles as vendored; a change here must be a deliberate update.
DIGESTS = {
    "datapackage.json": "a9ef0fc168b3402ae7aa7d22bbcb798e0db6b639e7ee15ff4aa177463cea7112",
    "dataresource.json": "067d769b44b22178615620d37ac4e9f732cf0459c5540255cbba2480aa91c35a",
    "tabledialect.json": "54e884a84e499b9f63b2f04e8e8aa47f4f2257fdf94a71b9462f40ed19a1d3b3",
    "tableschema.json": "a67779642acc7f51031d2e881166d31ef8dd90cd8a92c9ff8821d7a8821d0490",
}


@pytest.mark.parametrize("name", sorted(DIGESTS))
def test_vendored_official_profiles_are_unchanged(name):
    assert hashlib.sha256((OFFICIAL / name).read_bytes()).hexdigest() == DIGESTS[name]


@pytest.mark.skipif(
    not (SHARED / "standards").is_dir(), reason="the shared standards folder is not beside this checkout"
)
@pytest.mark.parametrize("name", sorted(DIGESTS))
def test_vendored_profiles_match_the_shared_copy(name):
    source = SHARED / "standards" / "datapackage-profiles" / "2.0" / name
    assert (OFFICIAL / name).read_bytes() == source.read_bytes()


def test_extension_profile_includes_the_official_one_by_its_canonical_url():
    extension = profiles.load_profile("catalog-datapackage")
    refs = [part["$ref"] for part in extension["allOf"]]
    assert "https://datapackage.org/profiles/2.0/datapackage.json" in refs
    tableschema = profiles.load_profile("catalog-tableschema")
    assert "https://datapackage.org/profiles/2.0/tableschema.json" in [
        p["$ref"] for p in tableschema["allOf"]
    ]
    # the registry serves the vendored official profile under that URL, without network
    resolved = profiles.registry().contents("https://datapackage.org/profiles/2.0/datapackage.json")
    assert resolved == json.loads((OFFICIAL / "datapackage.json").read_text())


def _full_validator() -> Draft7Validator:
    return profiles.validator(profiles.CATALOG_PACKAGE_ID)


def _alpha() -> dict:
    catalog, problems = load_catalog(SMALL)
    assert problems == []
    package = next(d.package for d in catalog.datasets if d.folder == "alpha")
    # A dialect given as a path is valid per the v2 spec, but the official JSON profile
    # wants an object (the generator exempts it; see validate._resource_exemptions).
    del package["resources"][0]["dialect"]
    return package


def test_full_extension_profile_accepts_a_catalog_descriptor():
    Draft7Validator.check_schema(profiles.load_profile("catalog-datapackage"))
    assert list(_full_validator().iter_errors(_alpha())) == []


def test_full_extension_profile_enforces_official_rules():
    package = _alpha()
    package["resources"] = []  # the official profile requires at least one resource
    errors = list(_full_validator().iter_errors(package))
    assert errors and any("resources" in list(e.absolute_path) or "resources" in e.message for e in errors)
    assert list(profiles.official("datapackage").iter_errors(package))


def test_full_extension_profile_enforces_catalog_rules():
    package = _alpha()
    package["catalog:released"] = "May 2024"
    errors = list(_full_validator().iter_errors(package))
    assert [list(e.absolute_path) for e in errors] == [["catalog:released"]]
    # ...which the official profile alone does not judge
    assert list(profiles.official("datapackage").iter_errors(package)) == []


def test_every_catalog_property_is_described():
    definitions = profiles.load_profile("catalog-datapackage")["definitions"]
    for definition in ("package", "resource", "field"):
        for name, spec in definitions[definition]["properties"].items():
            if name.startswith("catalog:"):
                assert spec.get("description"), f"{definition}.{name} has no description"


def _corpus_documents():
    from conftest import FIXTURES

    from generator.normalize import normalize_package, normalize_resource, normalize_schema
    from generator.reader import read_document
    from generator.validate import descriptor_kind

    corpus = FIXTURES / "conformance"
    for path in sorted(corpus.rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml"):
            continue
        doc, _ = read_document(path, path.name)
        if doc is None or not isinstance(doc.data, dict):
            continue
        kind = descriptor_kind(doc.data)
        if kind == "schema":
            yield path.name, "tableschema", normalize_schema(doc.data)
        elif kind == "resource":
            yield path.name, "dataresource", normalize_resource(doc.data)
        else:
            yield path.name, "datapackage", normalize_package(doc.data)


def test_a_document_the_fast_engine_accepts_has_no_explained_error():
    """The compiled engine decides. It must never accept what python-jsonschema rejects."""
    checked = 0
    for name, profile, data in _corpus_documents():
        if profiles.official(profile).is_valid(data):
            explained = list(profiles.validator(profiles.OFFICIAL_BASE + f"{profile}.json").iter_errors(data))
            assert explained == [], f"{name}: accepted by the fast engine, refused by python-jsonschema"
        checked += 1
    assert checked > 140


def test_every_rejection_is_reported_with_a_location(tmp_path):
    from generator.reader import read_document
    from generator.validate import profile_problems

    for name, profile, data in _corpus_documents():
        if profiles.official(profile).is_valid(data):
            continue
        path = tmp_path / "d.json"
        path.write_text(json.dumps(data))
        doc, _ = read_document(path, "d.json")
        found = profile_problems(profiles.official(profile), data, doc, "profile-datapackage")
        assert found and all(p.line >= 1 and p.message for p in found), name


def test_a_format_only_the_fast_engine_checks_is_still_reported(tmp_path):
    from generator.reader import read_document
    from generator.validate import profile_problems

    package = {"name": "p", "created": "last tuesday", "resources": [{"name": "r", "path": "r.csv"}]}
    path = tmp_path / "d.json"
    path.write_text(json.dumps(package, indent=1))
    doc, _ = read_document(path, "d.json")
    found = profile_problems(profiles.official("datapackage"), package, doc, "profile-datapackage")
    assert [p.pointer for p in found] == ["/created"] and found[0].line == 3


def test_fast_and_explaining_engines_agree_on_catalog_descriptors():
    from conftest import REPO

    catalog, problems = load_catalog(REPO / "catalog")
    assert problems == []
    package = profiles.own("catalog-datapackage", "package")
    broken_variants = [
        {"catalog:releasFolder": "2019_01"},
        {"catalog:released": "2019-13"},
        {"catalog:figures": {"accounts": [{"value": -1, "source": "news"}]}},
        {"catalog:changelog": []},
    ]
    for source in catalog.datasets:
        assert package.is_valid(source.package)
        for change in broken_variants:
            data = {**source.package, **change}
            assert not package.is_valid(data), (source.folder, change)
            assert list(profiles.validator(package.ref).iter_errors(data)), (source.folder, change)
