"""Reading descriptors on several cores gives exactly what reading them one by one gives."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

from generator import parallel
from generator.catalog import load_catalog

CHECK = """
import sys
from pathlib import Path
from generator import parallel
from generator.reader import read_document

root = Path(sys.argv[1])
files = sorted((root / "catalog" / "datasets").glob("*/datapackage.yaml"))
broken = Path(sys.argv[2])
broken.write_text("name: a\\nname: b\\n")
items = [(path, path.name) for path in [*files, broken]]
parallel.PARALLEL_MIN_FILES = 1
used = []
original = parallel.ProcessPoolExecutor
parallel.ProcessPoolExecutor = lambda **kw: used.append(kw) or original(**kw)
together = parallel.read_documents(items)
assert used, "the pool was not used"
alone = [read_document(*item) for item in items]
assert [(d.data if d else None, p) for d, p in together] == [(d.data if d else None, p) for d, p in alone]
assert together[-1][1][0].code == "yaml-duplicate-key"
print("same", len(items))
"""


def test_parallel_reading_matches_sequential_reading(tmp_path):
    # In a fresh interpreter: the pool is (rightly) not used in a process that runs
    # threads, as the test session does once the browser is started.
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(REPO), str(tmp_path / "broken.yaml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("same 49")


def test_catalog_loads_the_same_either_way(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN_FILES", 10**9)
    sequential, problems_a = load_catalog(REPO / "catalog")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_FILES", 1)
    maybe_parallel, problems_b = load_catalog(REPO / "catalog")
    assert problems_a == problems_b == []
    assert [d.package for d in sequential.datasets] == [d.package for d in maybe_parallel.datasets]
