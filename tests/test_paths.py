"""Path safety: the matrix of unsafe references and data paths, each refused by our own check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.paths import check_data_path, resolve_reference


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """catalog/{schemas/s.yaml, datasets/d/, datasets/d/link -> /etc, schemas/out -> outside}."""
    catalog = tmp_path / "catalog"
    (catalog / "schemas").mkdir(parents=True)
    (catalog / "schemas" / "s.yaml").write_text("fields: []\n")
    (catalog / "datasets" / "d").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("fields: []\n")
    os.symlink(outside, catalog / "schemas" / "out")
    os.symlink("/etc", catalog / "datasets" / "d" / "link")
    return catalog


UNSAFE_REFERENCES = {
    "/etc/passwd": "path-absolute",
    "../../../outside/secret.yaml": "path-escapes",
    "../../..": "path-escapes",
    "~/.ssh/id_rsa": "path-absolute",
    "$HOME/x": "path-invalid",
    "%APPDATA%/x": "path-invalid",
    "file:///etc/passwd": "path-scheme",
    "C:\\x": "path-absolute",
    "\\\\host\\share": "path-invalid",
    "data\\..\\..\\x": "path-invalid",
    "data/%2e%2e/x": "path-invalid",
    "a\u0000b": "path-invalid",
    "http://169.254.169.254/latest": "reference-remote",
    "s3://bucket/key": "path-scheme",
    "//evil.example/x.yaml": "path-scheme",
    "../../schemas/out/secret.yaml": "path-symlink",
    "../../schemas/missing.yaml": "reference-missing",
}


@pytest.mark.parametrize("value,code", sorted(UNSAFE_REFERENCES.items()))
def test_unsafe_references_are_refused(tree, value, code):
    path, problem = resolve_reference(value, tree / "datasets" / "d", tree)
    assert path is None
    assert problem is not None and problem.code == code


def test_reference_may_move_within_the_catalog(tree):
    path, problem = resolve_reference("../../schemas/s.yaml", tree / "datasets" / "d", tree)
    assert problem is None and path == (tree / "schemas" / "s.yaml").resolve()


UNSAFE_DATA_PATHS = {
    "/etc/passwd": "path-absolute",
    "../x.csv": "path-escapes",
    "data/../../x": "path-escapes",
    "..": "path-escapes",
    "data/..": "path-escapes",
    "~/.ssh/id_rsa": "path-absolute",
    "$HOME/x": "path-invalid",
    "file:///etc/passwd": "path-scheme",
    "C:\\x": "path-absolute",
    "data\\x.csv": "path-invalid",
    "data/%2e%2e/x": "path-invalid",
    ".hidden/x.csv": "path-invalid",
    "http://169.254.169.254/latest/meta-data": "path-host",
    "http://10.0.0.8/x.csv": "path-host",
    "https://[::1]/x.csv": "path-host",
    "http://localhost:8080/x.csv": "path-host",
    "https://intranet.internal/x.csv": "path-host",
    "https://user:secret@example.org/x.csv": "path-invalid",
    "s3://bucket/key": "path-scheme",
    "javascript:alert(1)": "path-scheme",
    "//evil.example/x.csv": "path-scheme",
    "link/hostname": "path-symlink",
    "": "path-invalid",
}


@pytest.mark.parametrize("value,code", sorted(UNSAFE_DATA_PATHS.items()))
def test_unsafe_data_paths_are_refused(tree, value, code):
    problem = check_data_path(value, tree / "datasets" / "d")
    assert problem is not None and problem.code == code


@pytest.mark.parametrize("value", ["x.csv", "data/2019/x.csv.gz", "https://example.org/data/x.zip"])
def test_safe_data_paths_pass(tree, value):
    assert check_data_path(value, tree / "datasets" / "d") is None


def test_messages_never_repeat_a_data_location(tree):
    secret = "https://10.1.2.3/CANARY-secret.csv"
    problem = check_data_path(secret, tree / "datasets" / "d")
    assert problem is not None and "CANARY" not in problem.message and "10.1.2.3" not in problem.message


# --- through the real command line -----------------------------------------------------
# The same refusals, end to end: `tmrc validate` on a catalog whose descriptor points at
# unsafe places prints each as `file:line: code: message (at pointer)` and exits 1.

CLI_CASES = {
    "schema-absolute": ("schema", "/etc/passwd", "path-absolute"),
    "schema-escapes": ("schema", "../../../outside/secret.schema.yaml", "path-escapes"),
    "schema-symlinked-folder": ("schema", "../../schemas/out/secret.schema.yaml", "path-symlink"),
    "schema-symlinked-file": ("schema", "../../schemas/linked.schema.yaml", "path-symlink"),
    "schema-file-url": ("schema", "file:///etc/passwd", "path-scheme"),
    "schema-s3": ("schema", "s3://bucket/schema.json", "path-scheme"),
    "schema-link-local": ("schema", "http://169.254.169.254/latest/meta-data", "reference-remote"),
    "schema-protocol-relative": ("schema", "//evil.example/s.yaml", "path-scheme"),
    "dialect-absolute": ("dialect", "/etc/passwd", "path-absolute"),
    "dialect-escapes": ("dialect", "../../../outside/secret.schema.yaml", "path-escapes"),
    "path-absolute": ("path", "/etc/passwd", "path-absolute"),
    "path-escapes": ("path", "../../../outside/x.csv", "path-escapes"),
    "path-symlink": ("path", "link/hostname", "path-symlink"),
    "path-file-url": ("path", "file:///etc/passwd", "path-scheme"),
    "path-s3": ("path", "s3://bucket/key.csv", "path-scheme"),
    "path-gopher": ("path", "gopher://example.org/x", "path-scheme"),
    "path-javascript": ("path", "javascript:alert(1)", "path-scheme"),
    "path-link-local": ("path", "http://169.254.169.254/latest/meta-data", "path-host"),
    "path-link-local-v6": ("path", "http://[fe80::1]/x.csv", "path-host"),
    "path-private-10": ("path", "http://10.0.0.8/x.csv", "path-host"),
    "path-private-192": ("path", "https://192.168.1.10/x.csv", "path-host"),
    "path-loopback-short": ("path", "http://127.1/x.csv", "path-host"),
    "path-loopback-hex": ("path", "http://0x7f.0.0.1/x.csv", "path-host"),
    "path-loopback-octal": ("path", "http://0177.0.0.1/x.csv", "path-host"),
    "path-localhost-dot": ("path", "http://localhost./x.csv", "path-host"),
    "path-private-dot": ("path", "http://10.0.0.8./x.csv", "path-host"),
    "path-metadata-name": ("path", "http://metadata.google.internal/x", "path-host"),
    "path-encoded-host": ("path", "http://10.0.0.8%2f/x.csv", "path-invalid"),
}


@pytest.fixture(scope="module")
def cli_validation(tmp_path_factory) -> tuple[dict[str, tuple[int, int]], str]:
    import shutil

    import yaml
    from conftest import SMALL, run_tmrc

    base = tmp_path_factory.mktemp("cli-paths")
    catalog = base / "catalog"
    shutil.copytree(SMALL, catalog)
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.schema.yaml").write_text("fields: []\n")
    (outside / "datapackage.yaml").write_text("name: evil\n")
    os.symlink(outside, catalog / "schemas" / "out")
    os.symlink(outside / "secret.schema.yaml", catalog / "schemas" / "linked.schema.yaml")
    os.symlink("/etc", catalog / "datasets" / "alpha" / "link")
    os.symlink(outside, catalog / "datasets" / "evil")  # a dataset folder that is a link
    alpha = catalog / "datasets" / "alpha" / "datapackage.yaml"
    package = yaml.safe_load(alpha.read_text(encoding="utf-8"))
    first = len(package["resources"])
    for name, (prop, value, _) in CLI_CASES.items():
        resource = {"name": name, "path": "ok.csv", prop: value}
        package["resources"].append(resource)
    alpha.write_text(yaml.safe_dump(package, sort_keys=False), encoding="utf-8")
    lines = alpha.read_text(encoding="utf-8").splitlines()
    where = {}
    for index, (name, (prop, _, _)) in enumerate(CLI_CASES.items()):
        start = lines.index(f"- name: {name}")
        line = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith(f"{prop}:")) + 1
        where[name] = (first + index, line)
    result = run_tmrc("validate", str(catalog))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    return where, result.stdout


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_unsafe_paths_are_refused_by_the_cli_with_a_location(cli_validation, name):
    where, output = cli_validation
    prop, _, code = CLI_CASES[name]
    index, line = where[name]
    expected = f"datasets/alpha/datapackage.yaml:{line}: {code}: "
    found = [entry for entry in output.splitlines() if f"(at /resources/{index}/{prop})" in entry]
    assert any(entry.split("catalog/", 1)[-1].startswith(expected) for entry in found), (expected, found)


def test_a_symlinked_dataset_folder_is_refused_by_the_cli(cli_validation):
    _, output = cli_validation
    assert "datasets/evil:1: path-symlink: " in output


# --- no network, ever ------------------------------------------------------------------
# Validation and the build read local files only: a hook in every Python process refuses and
# records any connection or name lookup; where Linux allows, the commands also run in a network
# namespace of their own (`unshare -rn`: no interface but a down loopback) under strace, which
# sees the search indexer (a Rust binary) and git too.

_NO_NETWORK = """
import os, socket

_log = os.environ["TMRC_NETWORK_LOG"]
with open(_log, "a") as f:
    f.write("hook loaded\\n")


def _refuse(what, target):
    with open(_log, "a") as f:
        f.write(f"{what} {target!r}\\n")
    raise OSError(f"the test refuses network access ({what} {target!r})")


def _guard(name):
    original = getattr(socket.socket, name)

    def guarded(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _refuse(name, address)
        return original(self, address, *args)

    setattr(socket.socket, name, guarded)


for _name in ("connect", "connect_ex", "sendto"):
    _guard(_name)
socket.getaddrinfo = lambda host, *a, **k: _refuse("getaddrinfo", host)
socket.gethostbyname = lambda host: _refuse("gethostbyname", host)
"""


def _isolation_prefix(trace: Path) -> list[str]:
    import shutil
    import subprocess

    prefix: list[str] = []
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], check=False).returncode == 0:
        prefix = ["unshare", "-rn"]
    if shutil.which("strace"):
        probe = subprocess.run([*prefix, "strace", "-qq", "-o", os.devnull, "true"], check=False)
        if probe.returncode == 0:
            prefix += [
                "strace",
                "-f",
                "-qq",
                "-e",
                "trace=socket,connect",
                "-e",
                "signal=none",
                "-o",
                str(trace),
            ]
    return prefix


def test_validate_and_build_open_no_network_connection(tmp_path):
    import shutil
    import subprocess
    import sys

    from conftest import REPO, SMALL, tmrc_env

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_NO_NETWORK, encoding="utf-8")
    log = tmp_path / "network.log"
    catalog = tmp_path / "catalog"
    shutil.copytree(SMALL, catalog)
    env = tmrc_env() | {"PYTHONPATH": str(hook), "TMRC_NETWORK_LOG": str(log)}
    runs = {
        # a catalog that points at remote places: refused, never fetched
        "validate": ["validate", str(catalog)],
        "build": ["build", "--catalog", str(SMALL), "--site-dir", str(tmp_path / "site")],
    }
    alpha = catalog / "datasets" / "alpha" / "datapackage.yaml"
    alpha.write_text(
        alpha.read_text(encoding="utf-8").replace(
            "schema: ../../schemas/posts.schema.yaml\n    dialect",
            "schema: https://example.org/posts.schema.json\n    dialect",
        )
        + "homepage: https://example.org/\n",
        encoding="utf-8",
    )
    # first, the two oracles must see a connection when there is one
    probe = "import socket; socket.socket().connect_ex(('192.0.2.1', 80))"
    trace = tmp_path / "probe.strace"
    subprocess.run([*_isolation_prefix(trace), sys.executable, "-c", probe], env=env, check=False, timeout=60)
    assert "connect_ex ('192.0.2.1', 80)" in log.read_text(encoding="utf-8")
    if trace.exists():
        assert "AF_INET" in trace.read_text(encoding="utf-8")
    log.write_text("", encoding="utf-8")
    traces = []
    for name, args in runs.items():
        trace = tmp_path / f"{name}.strace"
        command = [*_isolation_prefix(trace), sys.executable, "-m", "generator.cli", *args]
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == (1 if name == "validate" else 0), result.stdout + result.stderr
        if name == "validate":
            assert "reference-remote" in result.stdout
        if trace.exists():
            traces.append(trace.read_text(encoding="utf-8"))
    recorded = log.read_text(encoding="utf-8").splitlines()
    assert recorded.count("hook loaded") >= 2, "the network hook did not load"
    assert [line for line in recorded if line != "hook loaded"] == []
    for trace in traces:
        inet = [line for line in trace.splitlines() if "AF_INET" in line or "AF_NETLINK" in line]
        assert inet == [], inet
