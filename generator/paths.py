"""Path safety: what a descriptor may point at.

Two kinds of paths appear in descriptors:

- references the generator reads (`schema`, `dialect` given as strings): they must
  be relative, stay inside the catalog folder after resolution, and not pass
  through a symbolic link (frictionless' own check is lexical only and follows
  symlinks);
- data locations (`path` of a resource): the generator never opens them, but it
  publishes the public ones, so they must be relative POSIX paths inside the
  dataset folder or http(s) URLs to public hosts. `file:`, `s3:`, link-local and
  private addresses are refused.

Messages never repeat the offending value: a consortium-only location must not
reach a build log.
"""

from __future__ import annotations

import ipaddress
import os.path
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_BAD_CHARS = re.compile(r"[\\\x00-\x1f\x7f]")
_ENCODED_DOT = re.compile(r"%2e|%2f|%5c", re.I)
_LOCAL_HOST_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".lan")


@dataclass(frozen=True)
class PathProblem:
    code: str
    message: str


def _lexical_problem(value: str) -> PathProblem | None:
    """Checks shared by references and data paths (relative forms only)."""
    if not value or not value.strip():
        return PathProblem("path-invalid", "the path is empty")
    if value.startswith(("/", "~")) or _WINDOWS_DRIVE.match(value):
        return PathProblem("path-absolute", "the path is absolute; give it relative to the descriptor")
    if _BAD_CHARS.search(value):
        return PathProblem("path-invalid", "the path contains a backslash or a control character")
    if _ENCODED_DOT.search(value):
        return PathProblem("path-invalid", "the path contains percent-encoded dots or slashes")
    if value.startswith("$") or "${" in value or re.search(r"%[A-Za-z_]+%", value):
        return PathProblem("path-invalid", "the path contains an environment variable")
    return None


def _host_problem(url: str) -> PathProblem | None:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return PathProblem("path-invalid", "the URL cannot be parsed")
    if parts.username or parts.password:
        return PathProblem("path-invalid", "the URL carries a user name or password")
    if "%" in host or "\\" in host:
        return PathProblem("path-invalid", "the URL's host is percent-encoded or has a backslash")
    host = host.rstrip(".")  # 'localhost.' and '10.0.0.1.' are the same hosts without the dot
    if not host:
        return PathProblem("path-invalid", "the URL has no host")
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None
    try:
        if ":" in host:  # an IPv6 literal (urlsplit has taken off the brackets)
            address = ipaddress.ip_address(host)
            address = address.ipv4_mapped or address
        elif host == "localhost" or host.endswith(_LOCAL_HOST_SUFFIXES) or "." not in host:
            return PathProblem("path-host", "the URL points at a local host name")
        else:
            address = _ipv4(host)
    except ValueError:
        return PathProblem("path-invalid", "the URL's host is neither a name nor an address")
    if address is None:
        return None
    if not address.is_global:
        return PathProblem("path-host", "the URL points at a private, local or link-local address")
    return None


_IPV4_PART = re.compile(r"0[x][0-9a-f]*|[0-9]+")


def _ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address a browser reads in `host`, by the WHATWG URL rules: '127.1', '0x7f.0.0.1' and
    '0177.0.0.1' are all 127.0.0.1. None for a host name; ValueError when the host ends in a
    number but is no address (browsers refuse such URLs)."""
    labels = host.split(".")
    if not _IPV4_PART.fullmatch(labels[-1]):
        return None  # a name (IPv6 literals end in ']')
    numbers = []
    for label in labels:
        if not _IPV4_PART.fullmatch(label) or len(labels) > 4:
            raise ValueError(host)
        if label.startswith("0x"):
            numbers.append(int(label[2:] or "0", 16))
        elif len(label) > 1 and label.startswith("0"):
            numbers.append(int(label, 8))  # raises ValueError on 8 or 9, as browsers refuse
        else:
            numbers.append(int(label))
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        raise ValueError(host)
    value = last + sum(n << (8 * (3 - i)) for i, n in enumerate(leading))
    return ipaddress.IPv4Address(value)


def check_data_path(value: str, dataset_dir: Path) -> PathProblem | None:
    """A resource `path`: a relative POSIX path inside the dataset folder, or an http(s) URL."""
    if not isinstance(value, str):
        return PathProblem("path-invalid", "the path must be a string")
    if _SCHEME.match(value) and not _WINDOWS_DRIVE.match(value):
        scheme = value.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            return PathProblem("path-scheme", f"the scheme '{scheme}:' is not allowed; use https")
        return _host_problem(value)
    if value.startswith("//"):
        return PathProblem("path-scheme", "a protocol-relative URL is not allowed; use https")
    problem = _lexical_problem(value)
    if problem:
        return problem
    parts = PurePosixPath(value).parts
    if ".." in parts:
        return PathProblem("path-escapes", "the path goes up with '..'; data paths stay below the descriptor")
    if any(part.startswith(".") for part in parts):
        return PathProblem("path-invalid", "the path names a hidden file or folder")
    return _symlink_problem(dataset_dir, parts)


def resolve_reference(
    value: str, base_dir: Path, catalog_root: Path
) -> tuple[Path | None, PathProblem | None]:
    """A `schema` or `dialect` reference: a local file inside the catalog folder."""
    if _SCHEME.match(value) and not _WINDOWS_DRIVE.match(value):
        scheme = value.split(":", 1)[0].lower()
        if scheme in ("http", "https"):
            return None, PathProblem(
                "reference-remote", "a remote schema or dialect is not read; copy it into catalog/schemas/"
            )
        return None, PathProblem("path-scheme", f"the scheme '{scheme}:' is not allowed")
    if value.startswith("//"):
        return None, PathProblem("path-scheme", "a protocol-relative reference is not allowed")
    problem = _lexical_problem(value)
    if problem:
        return None, problem
    root = catalog_root.resolve()
    target = base_dir.resolve() / value
    # Lexical containment first: '..' may move within the catalog, never out of it.
    normal = Path(os.path.normpath(target))
    if normal != root and root not in normal.parents:
        return None, PathProblem("path-escapes", "the reference leaves the catalog folder")
    relative = normal.relative_to(root).parts
    problem = _symlink_problem(root, relative)
    if problem:
        return None, problem
    if not normal.is_file():
        return None, PathProblem("reference-missing", f"no such file: {value}")
    return normal, None


def _symlink_problem(base: Path, parts: tuple[str, ...]) -> PathProblem | None:
    current = base
    for part in parts:
        current = current / part
        if current.is_symlink():
            return PathProblem("path-symlink", "the path goes through a symbolic link")
        if not current.exists():
            return None
    return None
