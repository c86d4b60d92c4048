"""The generator alone, in one process: `generate()` and its stages (a script, run by path).

    python tests/bench/genstages.py RESULT.json CATALOG_DIR SITE_URL

The stages `pipeline.generate(catalog, site_url)` chains, each timed, in a fresh
process (cold: profiles and templates load on first use): load, validate, view
model, render; their sum is generate(). If the pipeline's internals have moved,
the whole generate() call is timed instead. Prints nothing; writes JSON.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main() -> int:
    result_file, catalog, site_url = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    t = time.perf_counter()
    from generator import pipeline

    result: dict[str, float | str] = {"import": time.perf_counter() - t}
    try:  # the stages, as pipeline.generate chains them today
        from generator.catalog import load_catalog
        from generator.render import render_site
        from generator.validate import validate_catalog
        from generator.viewmodel import build_site

        t = time.perf_counter()
        loaded, _ = load_catalog(catalog)
        result["load"] = time.perf_counter() - t
        t = time.perf_counter()
        validate_catalog(loaded)
        result["validate"] = time.perf_counter() - t
        t = time.perf_counter()
        site = build_site(loaded)
        result["viewmodel"] = time.perf_counter() - t
        t = time.perf_counter()
        output = render_site(site, site_url)
        result["render"] = time.perf_counter() - t
        result["generate"] = sum(float(result[k]) for k in ("load", "validate", "viewmodel", "render"))
    except Exception as error:  # the pipeline's internals moved: time the whole call instead
        result["stages_error"] = f"{type(error).__name__}: {error}"
        t = time.perf_counter()
        output = pipeline.generate(catalog, site_url)
        result["generate"] = time.perf_counter() - t
    result["pages"] = len(output.pages)
    result["files"] = len(output.files)
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(result_file).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
