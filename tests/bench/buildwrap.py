"""`tmrc build`, run in this process with timers around its parts (a script, run by path).

    python tests/bench/buildwrap.py RESULT.json build --catalog X --site-dir Y -q

It is the real command line (`generator.cli.main`), with two module attributes
wrapped so the harness can split one real build into its parts:

- `generator.pipeline.generate` (load + validate + view model + render to strings),
- `generator.publish.index_search` (the Pagefind indexer, a child process).

Peak memory is read with getrusage: RUSAGE_SELF is the Python process alone,
RUSAGE_CHILDREN the largest child it waited for, i.e. the Pagefind binary (the
only other children are a few short `git` calls).
"""

from __future__ import annotations

import json
import resource
import sys
import time


def main() -> int:
    result_file, argv = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    from generator import cli, pipeline, publish

    imported = time.perf_counter()
    timings: dict[str, float] = {"import": imported - started}

    original_generate = pipeline.generate
    original_index = publish.index_search

    def generate(*args, **kwargs):
        t = time.perf_counter()
        try:
            return original_generate(*args, **kwargs)
        finally:
            timings["generate"] = timings.get("generate", 0.0) + time.perf_counter() - t

    def index_search(*args, **kwargs):
        t = time.perf_counter()
        try:
            return original_index(*args, **kwargs)
        finally:
            timings["index"] = timings.get("index", 0.0) + time.perf_counter() - t
            timings["index_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    pipeline.generate = generate
    publish.index_search = index_search
    code = cli.main(argv)
    timings["total_in_process"] = time.perf_counter() - started
    timings["python_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    with open(result_file, "w", encoding="utf-8") as out:
        json.dump({"returncode": code, **timings}, out, indent=2)
    return code


if __name__ == "__main__":
    sys.exit(main())
