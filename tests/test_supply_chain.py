"""The supply-chain gate (.ci/audit.py, run by .ci/run before the tests) fails closed.

The real audit needs the network (PyPI's or OSV's advisory API), so CI runs it as its own step;
these tests run offline against a local stand-in for the OSV API (`--osv-url`) that knows two
real advisories. They show that the gate
- fails on a known-vulnerable pin (PyYAML 5.3, CVE-2020-14343);
- fails, with a clear message, when the service is unreachable or answers nothing (pip-audit
  alone would print "No known vulnerabilities found" and exit 0);
- passes the project's own lock files when the service answers (every pin can be audited:
  exact versions with hashes, nothing skipped).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import REPO

AUDIT = REPO / ".ci" / "audit.py"


def _advisory(vuln_id: str, alias: str, package: str, fixed: str, summary: str) -> dict[str, object]:
    return {
        "id": vuln_id,
        "aliases": [alias],
        "summary": summary,
        "affected": [
            {
                "package": {"name": package, "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
            }
        ],
    }


ADVISORIES = {
    ("jinja2", "3.1.2"): [
        _advisory(
            "GHSA-h5c8-rqwp-cp95", "CVE-2024-22195", "jinja2", "3.1.3", "xmlattr allows attribute injection"
        )
    ],
    ("pyyaml", "5.3"): [
        _advisory(
            "GHSA-8q59-q68h-6hv4", "CVE-2020-14343", "pyyaml", "5.4", "arbitrary code execution in full_load"
        )
    ],
}


@contextmanager
def osv(database: dict[tuple[str, str], list[dict[str, object]]]) -> Iterator[str]:
    """A local stand-in for https://api.osv.dev/v1/query."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            vulns = database.get((query["package"]["name"], query["version"]))
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()
        server.server_close()


def audit(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    options = ["-s", "osv", "--osv-url", url, "--cache-dir", str(tmp_path / "cache"), "--timeout", "10"]
    return subprocess.run(
        [sys.executable, str(AUDIT), *options, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_known_vulnerable_pin_fails_the_gate(tmp_path):
    lock = tmp_path / "vulnerable.lock"
    lock.write_text("pyyaml==5.3 \\\n    --hash=sha256:" + "0" * 64 + "\n", encoding="utf-8")
    with osv(ADVISORIES) as url:
        result = audit(tmp_path, url, "--lock", str(lock))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CVE-2020-14343" in result.stdout or "GHSA-8q59-q68h-6hv4" in result.stdout
    assert "has a known vulnerability" in result.stderr


def test_the_pinned_dependencies_pass_when_the_service_answers(tmp_path):
    with osv(ADVISORIES) as url:
        result = audit(tmp_path, url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CVE-2024-22195" in result.stdout or "GHSA-h5c8-rqwp-cp95" in result.stdout  # the canary
    assert result.stdout.count("No known vulnerabilities found") == 2  # site.lock and test.lock


def test_an_unreachable_service_fails_clearly(tmp_path):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = audit(tmp_path, f"http://127.0.0.1:{port}/v1/query")
    assert result.returncode == 2
    assert "unreachable or not answering" in result.stderr


def test_a_service_that_reports_nothing_fails_clearly(tmp_path):
    # what this sandbox's PyPI mirror does: no per-version API, so every package is "skipped"
    with osv({}) as url:
        result = audit(tmp_path, url)
    assert result.returncode == 2
    assert "did not report the known-vulnerable canary" in result.stderr
