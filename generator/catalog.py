"""Load a catalog folder: consortium.yaml, membership files, shared schemas, datasets.

Loading reads files and follows references; it does not judge content (that is
`validate`). Every shared schema is read once, however many datasets use it.
Problems found while reading (syntax, unsafe paths, missing references) are
collected and returned with whatever could be loaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .normalize import normalize_package, normalize_schema
from .parallel import read_documents
from .paths import resolve_reference
from .problems import Problem
from .reader import Document, join_pointer, read_document
from .schemapatch import apply_schema_patch

DESCRIPTOR_NAMES = ("datapackage.yaml", "datapackage.yml", "datapackage.json")
MEMBERSHIP_FILES = ("eligibility", "apply", "faq", "changes")


@dataclass
class SharedFile:
    """A schema or dialect file referenced by path; read once, used by many resources."""

    path: Path
    doc: Document
    data: dict[str, Any]
    key: str  # the path inside the catalog folder, e.g. "schemas/tweets.schema.yaml"
    kind: str  # "schema" or "dialect"

    @property
    def short_name(self) -> str:
        name = Path(self.key).name
        for suffix in (".schema.yaml", ".schema.yml", ".schema.json", ".yaml", ".yml", ".json"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return name


@dataclass
class DatasetSource:
    """One dataset folder as read: its descriptor and the files it references."""

    folder: str
    doc: Document
    package: dict[str, Any]  # normalised to v2; schema and dialect references still strings
    schemas: dict[int, SharedFile] = field(default_factory=dict)  # resource index -> schema file
    dialects: dict[int, SharedFile] = field(default_factory=dict)
    # resource index -> its effective schema: patching copies the shared schema, so once is enough
    effective: dict[int, dict[str, Any] | None] = field(default_factory=dict, repr=False)


@dataclass
class Catalog:
    root: Path
    consortium: Document | None = None
    membership: dict[str, Document] = field(default_factory=dict)
    datasets: list[DatasetSource] = field(default_factory=list)
    shared: dict[Path, SharedFile] = field(default_factory=dict)

    @property
    def consortium_data(self) -> dict[str, Any]:
        data = self.consortium.data if self.consortium else None
        return data if isinstance(data, dict) else {}


def display_path(path: Path, root: Path) -> str:
    """A path for messages: relative to the working directory when inside it, else to the catalog."""
    absolute = path.absolute()
    for base in (Path.cwd(), root.absolute().parent):
        try:
            return absolute.relative_to(base).as_posix()
        except ValueError:
            continue
    return os.path.relpath(absolute, root.absolute().parent)


# Parsed files by (path, modification time, size): lets a long-lived process (the
# preview server) parse again only the files that changed since the last build.
FileCache = dict[tuple[str, int, int], tuple[Document | None, list[Problem]]]


class _Loader:
    def __init__(self, root: Path, cache: FileCache | None = None) -> None:
        self.root = root
        self.catalog = Catalog(root=root)
        self.problems: list[Problem] = []
        self.cache = cache
        self.prefetched: dict[Path, tuple[Document | None, list[Problem]]] = {}

    def display(self, path: Path) -> str:
        return display_path(path, self.root)

    def read(self, path: Path) -> Document | None:
        doc, problems = self._read_cached(path)
        self.problems.extend(problems)
        if doc is not None and not isinstance(doc.data, dict):
            self.problems.append(
                Problem(doc.display, 1, "not-a-mapping", "", "the file must hold a mapping of properties")
            )
            return None
        return doc

    def _read_cached(self, path: Path) -> tuple[Document | None, list[Problem]]:
        if path in self.prefetched:
            return self.prefetched.pop(path)
        if self.cache is None:
            return read_document(path, self.display(path))
        try:
            stat = path.stat()
        except OSError:
            return read_document(path, self.display(path))
        key = (str(path.absolute()), stat.st_mtime_ns, stat.st_size)
        if key not in self.cache:
            self.cache[key] = read_document(path, self.display(path))
        return self.cache[key]

    def load(self) -> Catalog:
        if not self.root.is_dir():
            self.problems.append(
                Problem(self.display(self.root), 1, "file-missing", "", "the catalog folder does not exist")
            )
            return self.catalog
        consortium = self.root / "consortium.yaml"
        self.catalog.consortium = self.read(consortium)
        for name in MEMBERSHIP_FILES:
            path = self.root / "membership" / f"{name}.yaml"
            doc = self.read(path)
            if doc is not None:
                self.catalog.membership[name] = doc
        self.load_datasets()
        return self.catalog

    def load_datasets(self) -> None:
        datasets_dir = self.root / "datasets"
        if not datasets_dir.is_dir():
            self.problems.append(
                Problem(
                    self.display(datasets_dir), 1, "file-missing", "", "the catalog has no datasets/ folder"
                )
            )
            return
        descriptors: list[tuple[Path, Path]] = []
        for folder in sorted(p for p in datasets_dir.iterdir() if p.is_dir()):
            if folder.is_symlink():
                self.problems.append(
                    Problem(
                        self.display(folder),
                        1,
                        "path-symlink",
                        "",
                        "a dataset folder may not be a symbolic link",
                    )
                )
                continue
            found = [folder / n for n in DESCRIPTOR_NAMES if (folder / n).is_file()]
            if not found:
                self.problems.append(
                    Problem(
                        self.display(folder),
                        1,
                        "file-missing",
                        "",
                        "the folder has no datapackage.yaml or datapackage.json",
                    )
                )
                continue
            if len(found) > 1:
                self.problems.append(
                    Problem(
                        self.display(found[1]),
                        1,
                        "file-type",
                        "",
                        "a dataset folder holds exactly one descriptor",
                    )
                )
                continue
            if found[0].is_symlink():
                self.problems.append(
                    Problem(
                        self.display(found[0]),
                        1,
                        "path-symlink",
                        "",
                        "a descriptor may not be a symbolic link",
                    )
                )
                continue
            descriptors.append((folder, found[0]))
        self.prefetch([path for _, path in descriptors])
        for folder, path in descriptors:
            doc = self.read(path)
            if doc is not None:
                self.catalog.datasets.append(self.load_dataset(folder, doc))

    def prefetch(self, paths: list[Path]) -> None:
        """Parse many files at once (on every core); `read` then finds them parsed."""
        if self.cache is not None:  # the preview server: it parses only what changed
            return
        results = read_documents([(path, self.display(path)) for path in paths])
        self.prefetched = dict(zip(paths, results, strict=True))

    def load_dataset(self, folder: Path, doc: Document) -> DatasetSource:
        source = DatasetSource(folder=folder.name, doc=doc, package=normalize_package(doc.data))
        resources = source.package.get("resources")
        if not isinstance(resources, list):
            return source
        for index, resource in enumerate(resources):
            if not isinstance(resource, dict):
                continue
            for prop, target in (("schema", source.schemas), ("dialect", source.dialects)):
                reference = resource.get(prop)
                if isinstance(reference, str):
                    shared = self.shared(reference, folder, doc, join_pointer("resources", index, prop))
                    if shared is not None:
                        target[index] = shared
        return source

    def shared(self, reference: str, folder: Path, doc: Document, pointer: str) -> SharedFile | None:
        path, problem = resolve_reference(reference, folder, self.root)
        if problem is not None:
            self.problems.append(
                Problem(doc.display, doc.line_of(pointer), problem.code, pointer, problem.message)
            )
            return None
        assert path is not None
        if path in self.catalog.shared:
            return self.catalog.shared[path]
        shared_doc = self.read(path)
        if shared_doc is None:
            return None
        key = path.relative_to(self.root.resolve()).as_posix()
        kind = "schema" if pointer.endswith("/schema") else "dialect"
        data = normalize_schema(shared_doc.data) if kind == "schema" else shared_doc.data
        shared = SharedFile(path=path, doc=shared_doc, data=data, key=key, kind=kind)
        self.catalog.shared[path] = shared
        return shared


def load_catalog(root: Path, cache: FileCache | None = None) -> tuple[Catalog, list[Problem]]:
    """Read a catalog folder. Returns what could be read and the problems met.

    With a `cache` (kept by the caller between builds), unchanged files are not parsed again.
    """
    loader = _Loader(root, cache)
    catalog = loader.load()
    return catalog, loader.problems


def resource_schema(source: DatasetSource, index: int) -> dict[str, Any] | None:
    """The schema a resource really has: inline, or shared with its catalog:schemaPatch applied.

    Computed once per resource; callers must not change the result.
    """
    if index not in source.effective:
        source.effective[index] = _effective_schema(source, index)
    return source.effective[index]


def _effective_schema(source: DatasetSource, index: int) -> dict[str, Any] | None:
    resource = source.package["resources"][index]
    schema = resource.get("schema")
    if isinstance(schema, dict):
        return schema
    shared = source.schemas.get(index)
    if shared is None or not isinstance(shared.data, dict):
        return None
    patch = resource.get("catalog:schemaPatch")
    if isinstance(patch, dict):
        return apply_schema_patch(shared.data, patch)[0]
    return shared.data


def load_package_file(
    path: Path, root: Path, already_read: tuple[Document | None, list[Problem]] | None = None
) -> tuple[DatasetSource | None, Catalog, list[Problem]]:
    """Read one standalone package descriptor; references may reach anywhere inside `root`.

    `already_read` is what read_document returned for `path`, when the caller has it.
    """
    loader = _Loader(root)
    if already_read is not None:
        loader.prefetched[path] = already_read
    doc = loader.read(path)
    source = loader.load_dataset(path.parent, doc) if doc is not None else None
    return source, loader.catalog, loader.problems
