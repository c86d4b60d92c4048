"""Supply-chain gate: audit the pinned dependencies for known vulnerabilities, and fail closed.

Run by .ci/run before the tests: `.venv/bin/python .ci/audit.py [pip-audit options]`.

pip-audit prints "No known vulnerabilities found" and exits 0 when it could not look a package
up at all (the service unreachable, or a mirror that lacks PyPI's per-version JSON API): every
package is then merely "skipped". So this gate

1. first audits a canary pin that is known to be vulnerable (jinja2 3.1.2: CVE-2024-22195 and
   others). Unless the service reports it, the service is not answering and the gate fails;
2. then audits requirements/site.lock and requirements/test.lock with --require-hashes (the
   pins are exact) and --strict (a package that cannot be looked up is an error, not a skip).
   Any known vulnerability fails the gate.

Exit codes: 0 clean; 1 a vulnerability (or a package that could not be audited); 2 the
vulnerability service cannot be trusted (unreachable or not answering).
Options after the script name go to pip-audit, e.g. `-s osv` or `--osv-url URL`; `--lock PATH`
(repeatable) audits other files than the two lock files.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANARY = "jinja2==3.1.2"
LOCKS = (ROOT / "requirements" / "site.lock", ROOT / "requirements" / "test.lock")


def pip_audit(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


def canary_ids(extra: list[str], folder: Path) -> tuple[list[str], str]:
    requirements = folder / "canary.txt"
    requirements.write_text(CANARY + "\n", encoding="utf-8")
    report = folder / "canary.json"
    result = pip_audit(
        "-r", str(requirements), "--disable-pip", "--no-deps", "--format", "json", "-o", str(report), *extra
    )
    try:
        dependencies = json.loads(report.read_text(encoding="utf-8"))["dependencies"]
    except (OSError, ValueError, KeyError, TypeError):
        return [], result.stderr
    skipped = [d["skip_reason"] for d in dependencies if d.get("skip_reason")]
    return [v["id"] for d in dependencies for v in d.get("vulns") or []], "\n".join(skipped) or result.stderr


def main(argv: list[str]) -> int:
    locks: list[Path] = []
    extra: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--lock":
            locks.append(Path(next(args)))
        else:
            extra.append(arg)
    with tempfile.TemporaryDirectory() as folder:
        ids, errors = canary_ids(extra, Path(folder))
    if not ids:
        print(
            f"audit: the vulnerability service did not report the known-vulnerable canary {CANARY}: "
            "it is unreachable or not answering, so no audit result can be trusted. pip-audit said:",
            file=sys.stderr,
        )
        print("\n".join(errors.strip().splitlines()[-5:]) or "(nothing)", file=sys.stderr)
        return 2
    print(f"audit: the service reports the canary {CANARY} ({', '.join(sorted(ids)[:3])}, ...)")
    failed = False
    for lock in locks or LOCKS:
        result = pip_audit("-r", str(lock), "--require-hashes", "--disable-pip", "--strict", *extra)
        said = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
        print(f"audit: {lock.name}:", *said[-12:], sep="\n  ")
        failed = failed or result.returncode != 0
    if failed:
        print("audit: a pinned dependency has a known vulnerability or could not be audited", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
