"""Profile one `tmrc` command with pyinstrument (a script, run by path).

    python tests/bench/profile_run.py OUT_PREFIX build --catalog X --site-dir Y -q

Writes OUT_PREFIX.txt (pyinstrument's call tree) and OUT_PREFIX.json: per function,
the cumulative seconds (counted once per stack, so recursion does not double count),
the self seconds, and the cumulative seconds below generate() and below MkDocs' build().
pyinstrument is a developer tool: `.venv/bin/pip install pyinstrument`.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path


def _short(path: str | None) -> str:
    """A readable location: inside site-packages, the generator, or the standard library."""
    if not path:
        return ""
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1]
    parts = Path(path).parts
    if "generator" in parts:
        return "/".join(parts[parts.index("generator") :])
    match = re.search(r"/lib/python3\.\d+/(.*)", path)
    return match.group(1) if match else path


# Frames below these functions belong to a phase: the generator's or MkDocs' own.
PHASES = {
    ("generate", "generator/pipeline.py"): "generate",
    ("check_catalog", "generator/pipeline.py"): "generate",
    ("build", "mkdocs/commands/build.py"): "mkdocs",
}


def aggregate(root) -> dict[str, dict]:
    """Per function: cumulative seconds (once per stack), self seconds, cumulative by phase."""
    totals: dict[str, dict] = {}
    stack = [(root, frozenset(), "other")]
    while stack:
        frame, above, phase = stack.pop()
        if frame.is_synthetic:
            continue
        where = _short(frame.file_path)
        key = f"{frame.function} ({where}:{frame.line_no})"
        phase = PHASES.get((frame.function, where), phase)
        entry = totals.setdefault(key, {"cumulative": 0.0, "self": 0.0, "by_phase": {}})
        if key not in above:
            entry["cumulative"] += frame.time
            entry["by_phase"][phase] = entry["by_phase"].get(phase, 0.0) + frame.time
        entry["self"] += frame.total_self_time
        for child in frame.children:
            stack.append((child, above | {key}, phase))
    return totals


def main() -> int:
    from pyinstrument import Profiler

    prefix, argv = Path(sys.argv[1]), sys.argv[2:]
    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    profiler.start()
    from generator import cli

    code = cli.main(argv)
    profiler.stop()
    wall = time.perf_counter() - started
    prefix.with_suffix(".txt").write_text(
        profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8"
    )
    root = profiler.last_session.root_frame(trim_stem=False)
    totals = aggregate(root) if root is not None else {}
    prefix.with_suffix(".json").write_text(
        json.dumps({"returncode": code, "wall": wall, "functions": totals}, indent=1), encoding="utf-8"
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
