"""The catalogue of problems the generator reports, and the Problem record itself.

Every problem has a stable code (documented in docs/maintainers/problems.md; a test
fails when one is not), the file it was found in (relative to the repository or
catalog root), the line, the JSON Pointer of the offending value and a plain message.
Validation collects problems; it never raises for a user mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# code -> one-line explanation. Keep codes stable: maintainers search for them.
CODES: dict[str, str] = {
    # reading files
    "file-missing": "A file the catalog needs (or refers to) does not exist.",
    "file-too-large": "A descriptor or schema file is larger than the size limit.",
    "file-encoding": "A file is not valid UTF-8, or a value holds a control character or lone surrogate.",
    "file-type": "A descriptor file has an extension other than .yaml, .yml or .json.",
    "yaml-syntax": "The YAML text cannot be parsed, or a number or key cannot be read as written.",
    "json-syntax": "The JSON text cannot be parsed, or a number cannot be read as written.",
    "yaml-duplicate-key": "The same key appears twice in one mapping.",
    "json-duplicate-key": "The same key appears twice in one JSON object.",
    "yaml-alias": "YAML anchors and aliases (&a, *a, <<) are not allowed in descriptors.",
    "yaml-tag": "An explicit YAML tag (such as !!python/object) is not allowed.",
    "yaml-multiple-documents": "A descriptor file holds more than one YAML document.",
    "json-constant": "NaN or Infinity appears; JSON descriptors may not use them.",
    "too-deep": "The document nests deeper than the nesting limit.",
    "not-a-mapping": "The top level of a descriptor must be a mapping (object).",
    # the profiles
    "profile-datapackage": "The descriptor breaks the official Data Package v2 profile.",
    "profile-tableschema": "A Table Schema breaks the official Table Schema v2 profile.",
    "profile-tabledialect": "A Table Dialect breaks the official Table Dialect v2 profile.",
    "profile-catalog": "A catalog: property breaks the catalog extension profile.",
    "profile-consortium": "consortium.yaml does not have the expected shape.",
    "profile-membership": "A membership file does not have the expected shape.",
    "field-type-unknown": "A field's type is not one of the Table Schema types.",
    # references and paths
    "reference-missing": "A schema or dialect reference points to a file that does not exist.",
    "reference-remote": "A schema or dialect is given as a URL; the catalog only reads local files.",
    "path-absolute": "A path is absolute; paths must be relative to the descriptor.",
    "path-escapes": "A path leaves the catalog folder (for example through '..').",
    "path-symlink": "A path goes through a symbolic link.",
    "path-scheme": "A path uses a URL scheme other than http or https.",
    "path-host": "A URL points at a local, private or link-local address.",
    "path-invalid": "A path contains characters that are not allowed (backslash, NUL, %2e, ...).",
    # semantics
    "dataset-name-duplicate": "Two datasets have the same name.",
    "dataset-title-duplicate": "Two datasets have the same title; readers could not tell them apart.",
    "dataset-name-folder": "A dataset's name does not match the name of its folder.",
    "resource-name-duplicate": "Two resources of one dataset have the same name.",
    "field-name-duplicate": "Two fields of one schema have the same name.",
    "primary-key-unknown-field": "The primary key names a field the schema does not have.",
    "unique-key-unknown-field": "A unique key names a field the schema does not have.",
    "foreign-key-unknown-field": "A foreign key names a field the schema does not have.",
    "foreign-key-unknown-resource": "A foreign key points at a resource the dataset does not have.",
    "foreign-key-unknown-target": "A foreign key points at a field the target resource lacks.",
    "foreign-key-arity": "A foreign key has a different number of fields on each side.",
    "category-type-mismatch": "A category value does not fit the field's type.",
    "enum-type-mismatch": "An enum value does not fit the field's type.",
    "example-type-mismatch": "A field's example does not fit the field's type.",
    "tier-unknown": "catalog:access names a tier that consortium.yaml does not declare.",
    "handling-unknown": "catalog:sensitivity names a handling that consortium.yaml does not declare.",
    "policy-area-unknown": "catalog:policyArea names an area consortium.yaml does not declare.",
    "platform-unknown": "catalog:platform names a platform consortium.yaml does not declare.",
    "source-unknown": "A figure cites a source tag that consortium.yaml does not declare.",
    "schema-patch-unknown-field": "catalog:schemaPatch changes a field the shared schema lacks.",
    "changelog-version-duplicate": "Two changelog entries have the same version.",
    "changelog-order": "Changelog entries are not in date order (newest first).",
    "text-too-long": "A text property is longer than its limit.",
    "markdown-too-deep": "Markdown nests brackets, lists or quotes deeper than the limit.",
    "url-scheme": "A link uses a scheme other than http, https or mailto.",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the catalog, located as precisely as we can."""

    file: str
    line: int
    code: str
    pointer: str = ""
    message: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:  # a programming error, not a user one
            raise ValueError(f"unknown problem code {self.code!r}")

    def format(self) -> str:
        """The one-line form `path:line: code: message` printed by `tmrc validate`."""
        where = f" (at {self.pointer})" if self.pointer else ""
        return f"{self.file}:{self.line}: {self.code}: {self.message}{where}"


class CatalogError(Exception):
    """Raised when a catalog cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s) in the catalog")

    def format(self) -> str:
        return "\n".join(p.format() for p in self.problems)
