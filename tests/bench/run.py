"""`make bench`: build-time, memory, size and search-payload benchmark of the catalog site.

    .venv/bin/python -m tests.bench.run [--sizes 48,1000,5000] [--repeat 3] [--out FILE] [--quick]

For each size N (48 = the shipped catalog, copied; other sizes are synthetic, see
synth.py) it measures, as reference/performance.md does (whole-process runs,
median of --repeat):

- `tmrc build --catalog X --site-dir Y`: wall time, peak memory of the Python
  process and, separately, of the Pagefind indexer it starts; generate()'s and
  Pagefind's seconds inside that build (buildwrap.py);
- `tmrc validate X` alone;
- site size, mean and median dataset page size;
- bytes a cold headless Chromium downloads for a first search (search_probe.py);
- the yardstick: `mkdocs build` of a plain Material project with N pages of the
  same visible length, kept out of a small nav, default search (baseline.py).

Then, once: how long `tmrc serve` takes to show an edit to one descriptor
(serve_probe.py), and pyinstrument profiles of `tmrc build` and `tmrc validate`
(profile_run.py; skipped when pyinstrument is not installed).

The code measured is a snapshot taken at the start (generator/, mkdocs.yml, docs/,
catalog/ of the working tree, or of --ref), so edits made while a long run goes on do not
mix into it. Scratch files go to bench-out/ (git-ignored) and are removed at the
end (--keep keeps them); results, logs of failures and profiles stay in
bench-out/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from . import baseline, search_probe, serve_probe, synth
from .measure import median, run_measured, tree_bytes, uptime, visible_text

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PROBE_QUERY = "account_creation_date"
SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default when TMRC_SITE_URL is unset

# The targets of issue 7.
TARGET_GROWTH = 5.5  # build time at 5,000 / at 1,000
TARGET_BASELINE_RATIO = 1.3  # our build at 5,000 / plain mkdocs build at 5,000
TARGET_PYTHON_PEAK_MB = 1024
TARGET_GENERATOR_SHARE = 0.10
TARGET_SEARCH_KB = 300
TARGET_VALIDATE_SHARE = 0.10


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- set-up ---------------------------------------------------------------------------


def snapshot(target: Path, ref: str | None) -> Path:
    """Copy the code, site configuration and shipped catalog that the run measures."""
    target.mkdir(parents=True)
    if ref:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", ref, "generator", "mkdocs.yml", "docs", "catalog"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    else:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(REPO / "generator", target / "generator", ignore=ignore)
        shutil.copytree(REPO / "docs", target / "docs", ignore=ignore)
        shutil.copytree(REPO / "catalog", target / "catalog", ignore=ignore)
        shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target / "generator")], check=False)
    return target


def keep_out_of_nav(config: Path, patterns: list[str]) -> None:
    """--not-in-nav: add MkDocs `not_in_nav` patterns to the snapshot's mkdocs.yml (never the repo's)."""
    text = config.read_text(encoding="utf-8")
    if "\nnot_in_nav:" in text:
        raise SystemExit("the snapshot's mkdocs.yml already sets not_in_nav; --not-in-nav would replace it")
    block = "\n".join(f"  {p}" for p in patterns)
    config.write_text(text.rstrip("\n") + f"\n\nnot_in_nav: |\n{block}\n", encoding="utf-8")


def resolve(ref: str) -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short=10", ref], cwd=REPO, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or ref


def source_date_epoch() -> str:
    result = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=REPO, capture_output=True, text=True, check=False
    )
    value = result.stdout.strip()
    return value if result.returncode == 0 and value.isdigit() else "1714521600"


def environment(src: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("TMRC_CATALOG", "TMRC_SITE_URL", "PYTHONPATH"):
        env.pop(name, None)
    env["PYTHONPATH"] = str(src)
    env["SOURCE_DATE_EPOCH"] = source_date_epoch()
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["DISABLE_MKDOCS_2_WARNING"] = "true"
    return env


def machine() -> dict[str, str]:
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(package: str) -> str:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as get

        try:
            return get(package)
        except PackageNotFoundError:
            return "not installed"

    commit = subprocess.run(
        ["git", "rev-parse", "--short=10", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "os": platform.platform(),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
        "pagefind": version("pagefind_bin"),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


# --- one size -------------------------------------------------------------------------


class Failure(RuntimeError):
    pass


def _check(run: Any, what: str, logfile: Path) -> None:
    if run.returncode != 0:
        tail = "\n".join((run.stderr or run.stdout).strip().splitlines()[-15:])
        raise Failure(f"{what} failed (exit {run.returncode}); log: {logfile}.err\n{tail}")


def _clear_site(site: Path) -> None:
    for path in (site, site.with_name(site.name + ".partial"), site.with_name(site.name + ".previous")):
        if path.exists():
            shutil.rmtree(path)


def validate_once(n: int, i: int, catalog: Path, ctx: dict[str, Any]) -> dict[str, Any]:
    logfile = ctx["logs"] / f"validate-{n}-{i}"
    load = os.getloadavg()[0]
    run = run_measured(
        [sys.executable, "-m", "generator.cli", "validate", str(catalog)],
        cwd=ctx["src"],
        env=ctx["env"],
        log=logfile,
    )
    _check(run, f"tmrc validate of the {n}-dataset catalog", logfile)
    log(f"  validate {n}: {run.wall:.1f} s, {run.maxrss_mb:.0f} MB, load {load:.2f} ({run.stdout.strip()})")
    return {"wall": run.wall, "maxrss_mb": run.maxrss_mb, "load_before": load}


def build_once(n: int, i: int, catalog: Path, site: Path, ctx: dict[str, Any]) -> dict[str, Any]:
    _clear_site(site)
    logfile = ctx["logs"] / f"build-{n}-{i}"
    result_file = ctx["logs"] / f"build-{n}-{i}.json"
    load = os.getloadavg()[0]
    command = [sys.executable, str(HERE / "buildwrap.py"), str(result_file), "build"]
    run = run_measured(
        [*command, "--catalog", str(catalog), "--site-dir", str(site)],
        cwd=ctx["src"],
        env=ctx["env"],
        log=logfile,
    )
    _check(run, f"tmrc build of the {n}-dataset catalog", logfile)
    parts = json.loads(result_file.read_text())
    log(
        f"  build {n}: {run.wall:.1f} s (generate {parts.get('generate', 0):.1f} s, "
        f"pagefind {parts.get('index', 0):.1f} s), python {parts['python_maxrss_mb']:.0f} MB, "
        f"indexer {parts.get('index_maxrss_mb', 0):.0f} MB, load {load:.2f}"
    )
    return {"wall": run.wall, "maxrss_mb": run.maxrss_mb, "load_before": load, **parts}


def baseline_once(n: int, i: int, folder: Path, ctx: dict[str, Any]) -> dict[str, Any]:
    _clear_site(folder / "site")
    logfile = ctx["logs"] / f"baseline-{n}-{i}"
    load = os.getloadavg()[0]
    run = run_measured(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=folder, env=ctx["env"], log=logfile
    )
    _check(run, f"mkdocs build of the {n}-page baseline", logfile)
    log(f"  baseline {n}: {run.wall:.1f} s, {run.maxrss_mb:.0f} MB, load {load:.2f}")
    return {"wall": run.wall, "maxrss_mb": run.maxrss_mb, "load_before": load}


def _summary(runs: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, Any]:
    summary: dict[str, Any] = {k: median([r.get(k, float("nan")) for r in runs]) for k in keys}
    summary["walls"] = [r["wall"] for r in runs]
    summary["loads"] = [r["load_before"] for r in runs]
    summary["runs"] = runs
    return summary


def site_metrics(site: Path, catalog: Path) -> dict[str, Any]:
    total, files = tree_bytes(site)
    pagefind_bytes, _ = tree_bytes(site / "pagefind")
    names = sorted(p.name for p in (catalog / "datasets").iterdir() if p.is_dir())
    sizes = [(site / "datasets" / name / "index.html").stat().st_size for name in names]
    sample = names[:: max(1, len(names) // 200)]  # visible text: every page up to 200, a spread beyond
    lengths = [
        len(visible_text((site / "datasets" / name / "index.html").read_text(encoding="utf-8")))
        for name in sample
    ]
    largest = max(
        (p for p in site.rglob("*.html") if "pagefind" not in p.parts), key=lambda p: p.stat().st_size
    )
    return {
        "bytes": total,
        "files": files,
        "pagefind_bytes": pagefind_bytes,
        "page_mean": statistics.fmean(sizes),
        "page_median": statistics.median(sizes),
        "page_max": max(sizes),
        "largest_html": [largest.relative_to(site).as_posix(), largest.stat().st_size],
        "visible_chars_mean": statistics.fmean(lengths),
    }


def baseline_metrics(folder: Path) -> dict[str, Any]:
    pages = sorted((folder / "site" / "datasets").glob("*/index.html"))
    sample = pages[:: max(1, len(pages) // 200)]
    chars = statistics.fmean(len(visible_text(p.read_text(encoding="utf-8"))) for p in sample)
    size, _ = tree_bytes(folder / "site")
    return {"visible_chars_mean": chars, "site_bytes": size}


def rare_field(catalog: Path) -> str | None:
    """A field name of the inline schemas that few datasets have: a second, selective probe."""
    import yaml

    counts: Counter[str] = Counter()
    for path in sorted(catalog.glob("datasets/*/datapackage.*")):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=yaml.CSafeLoader)
        names = set()
        for resource in data.get("resources") or []:
            if isinstance(resource.get("schema"), dict):
                names.update(f["name"] for f in resource["schema"].get("fields") or [])
        counts.update(names)
    if not counts:
        return None
    ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return ordered[len(ordered) // 10][0]


def measure_stages(n: int, catalog: Path, ctx: dict[str, Any]) -> dict[str, Any]:
    result_file = ctx["logs"] / f"stages-{n}.json"
    logfile = ctx["logs"] / f"stages-{n}"
    run = run_measured(
        [sys.executable, str(HERE / "genstages.py"), str(result_file), str(catalog), SITE_URL],
        cwd=ctx["src"],
        env=ctx["env"],
        log=logfile,
    )
    _check(run, f"generate() of the {n}-dataset catalog", logfile)
    stages = json.loads(result_file.read_text())
    log(
        "  generator alone: "
        + ", ".join(
            f"{k} {v:.2f} s"
            for k, v in stages.items()
            if isinstance(v, float) and k not in ("import", "maxrss_mb")
        )
    )
    return stages


def measure_size(n: int, args: argparse.Namespace, ctx: dict[str, Any]) -> dict[str, Any]:
    """Every measurement at one size. The repeats interleave validate, build and baseline,
    so that the three see the same machine load and the ratios stay comparable."""
    repeat = args.repeat_large if n >= 5000 and args.repeat_large else args.repeat
    work: Path = ctx["work"]
    catalog = work / f"catalog-{n}"
    site = work / f"site-{n}"
    base = work / f"baseline-{n}"
    log(f"N = {n}: writing the catalog")
    synth.make_catalog(n, catalog, ctx["src"] / "catalog")
    result: dict[str, Any] = {"n": n, "repeat": repeat, "catalog": synth.catalog_stats(catalog)}
    log(f"  {result['catalog']}")
    validates, builds, baselines = [], [], []
    baseline_info: dict[str, Any] = {}
    for i in range(repeat):
        validates.append(validate_once(n, i, catalog, ctx))
        builds.append(build_once(n, i, catalog, site, ctx))
        if i == 0:  # the output is the same every time: look at it once
            result["site"] = site_metrics(site, catalog)
            if not args.no_browser:
                queries = [PROBE_QUERY]
                rare = rare_field(catalog)
                if rare:
                    queries.append(rare)
                probes = search_probe.probe(site, queries)
                result["search"] = [p.__dict__ for p in probes]
                for p in probes:
                    log(
                        f"  search {p.query!r}: {p.results} results, {p.bytes / 1000:.1f} KB in {p.requests} files"
                    )
            baseline.make_project(n, int(result["site"]["visible_chars_mean"]), base)
        _clear_site(site)
        baselines.append(baseline_once(n, i, base, ctx))
        if i == 0:
            baseline_info = baseline_metrics(base)
    result["validate"] = _summary(validates, ("wall", "maxrss_mb"))
    result["build"] = _summary(
        builds, ("wall", "maxrss_mb", "python_maxrss_mb", "index_maxrss_mb", "generate", "index")
    )
    result["baseline"] = {**_summary(baselines, ("wall", "maxrss_mb")), **baseline_info}
    # Ours / baseline per pair of neighbouring runs, then the median: robust to load drift.
    result["ratio"] = median([b["wall"] / bl["wall"] for b, bl in zip(builds, baselines, strict=True)])
    shutil.rmtree(base)
    result["stages"] = measure_stages(n, catalog, ctx)
    if n == ctx["serve_size"] and not args.no_serve:
        log(f"  tmrc serve at {n}: start, edit one title, wait for it")
        probe = serve_probe.probe(catalog, cwd=ctx["src"], env=ctx["env"], log=ctx["logs"] / f"serve-{n}.log")
        result["serve"] = probe.__dict__
        log(f"  serve: first page after {probe.startup:.1f} s, edit visible after {probe.edit_visible:.1f} s")
    if n == ctx["profile_size"] and not args.no_profile:
        result["profile"] = profile(n, catalog, ctx)
    shutil.rmtree(catalog)
    return result


def profile(n: int, catalog: Path, ctx: dict[str, Any]) -> dict[str, Any]:
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        log("  pyinstrument is not installed (.venv/bin/pip install pyinstrument): no profile")
        return {"skipped": "pyinstrument not installed"}
    out: dict[str, Any] = {}
    site = ctx["work"] / f"profile-site-{n}"
    for command, extra in (("build", ["--catalog", str(catalog), "--site-dir", str(site)]), ("validate", [])):
        prefix = ctx["results"] / f"profile-{command}-{n}"
        logfile = ctx["logs"] / f"profile-{command}-{n}"
        argv = [command, *extra] if extra else [command, str(catalog)]
        log(f"  pyinstrument: tmrc {command} at {n}")
        run = run_measured(
            [sys.executable, str(HERE / "profile_run.py"), str(prefix), *argv],
            cwd=ctx["src"],
            env=ctx["env"],
            log=logfile,
        )
        _check(run, f"profiled tmrc {command}", logfile)
        data = json.loads(prefix.with_suffix(".json").read_text())
        out[command] = {"wall": data["wall"], "file": str(prefix.with_suffix(".txt"))}
        out[command]["summary"] = summarise(command, data)
    _clear_site(site)
    return out


# Where the time goes: (label, function, file suffix, phase), summed cumulative seconds.
# phase None counts every caller; "generate" or "mkdocs" only calls below generate()
# (or check_catalog()) or below MkDocs' build() (see profile_run.PHASES).
BUILD_PARTS = (
    ("generate(): load + validate + view model + render", "generate", "generator/pipeline.py", None),
    ("· load_catalog (read YAML/JSON, resolve schemas)", "load_catalog", "generator/catalog.py", None),
    ("· validate_catalog (profiles + semantics)", "validate_catalog", "generator/validate.py", None),
    ("·· profile_problems (jsonschema)", "profile_problems", "generator/validate.py", None),
    ("· build_site (view model)", "build_site", "generator/viewmodel.py", None),
    ("·· markdown_html (descriptor Markdown → safe HTML)", "markdown_html", "generator/richtext.py", None),
    ("·· public_descriptor (deep copies)", "public_descriptor", "generator/viewmodel.py", None),
    ("· render_site (Jinja2 → HTML strings)", "render_site", "generator/render/__init__.py", None),
    ("·· Jinja2 Template.render in the generator", "render", "jinja2/environment.py", "generate"),
    ("MkDocs load_config", "load_config", "mkdocs/config/base.py", None),
    ("MkDocs build() total", "build", "mkdocs/commands/build.py", None),
    ("· on_config (plugin)", "on_config", "generator/mkdocs_plugin.py", None),
    ("· on_files (plugin: add generated pages)", "on_files", "generator/mkdocs_plugin.py", None),
    ("· get_files (scan docs/)", "get_files", "mkdocs/structure/files.py", None),
    ("· get_navigation", "get_navigation", "mkdocs/structure/nav.py", None),
    ("· _populate_page (read source, Markdown → HTML)", "_populate_page", "mkdocs/commands/build.py", None),
    ("·· Markdown.convert inside MkDocs", "convert", "markdown/core.py", "mkdocs"),
    ("·· on_page_content (plugin: swap in our HTML)", "on_page_content", "generator/mkdocs_plugin.py", None),
    ("· _build_page (Material template, CSP, write)", "_build_page", "mkdocs/commands/build.py", None),
    ("·· Jinja2 Template.render inside MkDocs", "render", "jinja2/environment.py", "mkdocs"),
    ("·· on_post_page (plugin: CSP meta)", "on_post_page", "generator/mkdocs_plugin.py", None),
    ("·· write_file", "write_file", "mkdocs/utils/__init__.py", None),
    ("· theme templates (404, sitemap)", "_build_theme_template", "mkdocs/commands/build.py", None),
    ("· copy static files / theme assets", "copy_static_files", "mkdocs/structure/files.py", None),
    ("· on_post_build (plugin: Pagefind + swap)", "on_post_build", "generator/mkdocs_plugin.py", None),
    ("·· index_search (Pagefind subprocess)", "index_search", "generator/publish.py", None),
    ("·· swap_into_place", "swap_into_place", "generator/publish.py", None),
)
VALIDATE_PARTS = (
    ("check_catalog", "check_catalog", "generator/pipeline.py", None),
    ("· load_catalog", "load_catalog", "generator/catalog.py", None),
    ("·· read_document (parse YAML/JSON)", "read_document", "generator/reader.py", None),
    ("· validate_catalog", "validate_catalog", "generator/validate.py", None),
    ("·· profile_problems (jsonschema iter_errors)", "profile_problems", "generator/validate.py", None),
    ("··· jsonschema iter_errors", "iter_errors", "jsonschema/validators.py", None),
    ("·· semantics.check_dataset", "check_dataset", "generator/semantics.py", None),
    ("·· semantics.check_texts", "check_texts", "generator/semantics.py", None),
    ("·· semantics.check_unique_titles", "check_unique_titles", "generator/semantics.py", None),
    ("·· Document.line_of (re-parse for line numbers)", "line_of", "generator/reader.py", None),
)


def _lookup(
    functions: dict[str, dict[str, Any]], name: str, file_suffix: str, phase: str | None
) -> float | None:
    found = [
        v["cumulative"] if phase is None else v["by_phase"].get(phase, 0.0)
        for k, v in functions.items()
        if k.startswith(name + " (") and k.split(" (", 1)[1].rsplit(":", 1)[0].endswith(file_suffix)
    ]
    return sum(found) if found else None


def summarise(command: str, data: dict[str, Any]) -> dict[str, Any]:
    functions = data["functions"]
    parts = BUILD_PARTS if command == "build" else VALIDATE_PARTS
    named = [(label, _lookup(functions, name, suffix, phase)) for label, name, suffix, phase in parts]
    top = sorted(functions.items(), key=lambda kv: -kv[1]["cumulative"])
    selfish = sorted(functions.items(), key=lambda kv: -kv[1]["self"])
    return {
        "parts": named,
        "top_cumulative": [(k, v["cumulative"]) for k, v in top[:40]],
        "top_self": [(k, v["self"]) for k, v in selfish[:25]],
    }


# --- report ---------------------------------------------------------------------------


def _fmt_s(value: float | None) -> str:
    if value is None or value != value:
        return "n/a"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _mb(value: float) -> str:
    return f"{value:,.0f} MB"


def report(results: list[dict[str, Any]], meta: dict[str, Any]) -> tuple[str, list[tuple[str, str, str]]]:
    lines = []
    lines.append(
        "| N | build wall | peak RSS: Python build / Pagefind | per dataset | generate() (share) "
        "| Pagefind | site size (files) | dataset page mean / median | first search | validate "
        "| baseline `mkdocs build` | ours / baseline |"
    )
    lines.append("| ---: " * 12 + "|")
    for r in results:
        b, s, v, base = r["build"], r["site"], r["validate"], r["baseline"]
        search = next((p for p in r.get("search", []) if p["query"] == PROBE_QUERY), None)
        search_text = f"{search['bytes'] / 1000:.0f} KB ({search['results']} hits)" if search else "n/a"
        lines.append(
            f"| {r['n']:,} | {_fmt_s(b['wall'])} | {_mb(b['python_maxrss_mb'])} / {_mb(b['index_maxrss_mb'])} "
            f"| {b['wall'] / r['n'] * 1000:.1f} ms | {_fmt_s(b['generate'])} ({b['generate'] / b['wall']:.0%}) "
            f"| {_fmt_s(b['index'])} | {s['bytes'] / 1e6:,.1f} MB ({s['files']:,}) "
            f"| {s['page_mean'] / 1000:.1f} / {s['page_median'] / 1000:.1f} KB | {search_text} "
            f"| {_fmt_s(v['wall'])} | {_fmt_s(base['wall'])} | {r['ratio']:.2f}× |"
        )
    by_n = {r["n"]: r for r in results}
    largest = results[-1]
    targets: list[tuple[str, str, str]] = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("**met**" if ok else "**not met**")

    if 1000 in by_n and 5000 in by_n:
        growth = by_n[5000]["build"]["wall"] / by_n[1000]["build"]["wall"]
        growth_text = f"t(5,000) / t(1,000) = {growth:.2f} (linear would be 5.00)"
        targets.append(("growth t5000/t1000 ≤ 5.5", growth_text, verdict(growth <= TARGET_GROWTH)))
    elif len(results) >= 2:
        a, b = results[-2], results[-1]
        growth = b["build"]["wall"] / a["build"]["wall"]
        growth_text = f"t({b['n']:,}) / t({a['n']:,}) = {growth:.2f} (linear would be {b['n'] / a['n']:.2f})"
        targets.append(("growth t5000/t1000 ≤ 5.5", growth_text + "; needs sizes 1000 and 5000", "n/a"))
    else:
        growth_text = "n/a"
    at = by_n.get(5000, largest)
    label = "" if at["n"] == 5000 else f" (measured at {at['n']:,}, not 5,000)"
    ratio = at["ratio"]
    targets.append(
        (
            "our build at 5,000 ≤ 1.3 × baseline",
            f"{_fmt_s(at['build']['wall'])} vs {_fmt_s(at['baseline']['wall'])}: {ratio:.2f}×{label}",
            verdict(ratio <= TARGET_BASELINE_RATIO),
        )
    )
    peak = max(r["build"]["python_maxrss_mb"] for r in results)
    index_peak = max(r["build"]["index_maxrss_mb"] for r in results)
    targets.append(
        (
            "Python build peak memory < 1 GB (Pagefind separately)",
            f"{_mb(peak)} at most (Pagefind: {_mb(index_peak)} at most)",
            verdict(peak < TARGET_PYTHON_PEAK_MB),
        )
    )
    share = at["build"]["generate"] / at["build"]["wall"]
    targets.append(
        (
            "generator share ≤ 10 % of total",
            f"{_fmt_s(at['build']['generate'])} of {_fmt_s(at['build']['wall'])} = {share:.0%}{label}",
            verdict(share <= TARGET_GENERATOR_SHARE),
        )
    )
    search = next((p for p in at.get("search", []) if p["query"] == PROBE_QUERY), None)
    if search:
        ok = search["bytes"] / 1000 <= TARGET_SEARCH_KB and bool(search["dataset_hit"])
        hit = f"finds `{search['dataset_hit']}`" if search["dataset_hit"] else "finds NO dataset page"
        targets.append(
            (
                "first-search download ≤ 300 KB at 5,000, and it finds a field",
                f"{search['bytes'] / 1000:.0f} KB for `{PROBE_QUERY}` ({search['results']} hits; {hit}){label}",
                verdict(ok),
            )
        )
    else:
        targets.append(("first-search download ≤ 300 KB at 5,000", "not measured (--no-browser)", "n/a"))
    vshare = at["validate"]["wall"] / at["build"]["wall"]
    targets.append(
        (
            "validate of 5,000 ≤ 10 % of the build's time",
            f"{_fmt_s(at['validate']['wall'])} / {_fmt_s(at['build']['wall'])} = {vshare:.0%}{label}",
            verdict(vshare <= TARGET_VALIDATE_SHARE),
        )
    )
    out = ["## Results", "", *lines, "", f"Growth: {growth_text}.", "", "## Targets (issue 7)", ""]
    out += ["| target | measured | verdict |", "| --- | --- | --- |"]
    out += [f"| {t} | {m} | {v} |" for t, m, v in targets]
    out += ["", "## Details", ""]
    out += _details(results, meta)
    return "\n".join(out) + "\n", targets


def _details(results: list[dict[str, Any]], meta: dict[str, Any]) -> list[str]:
    repeats = ", ".join(f"{r['n']:,}: {r['repeat']}" for r in results)
    out = [
        f"- Run: {meta['started']} to {meta['finished']} ({meta['duration'] / 60:.1f} min); "
        f"runs per measurement: {repeats} (median of the runs).",
        f"- Machine: {meta['machine']['nproc']} CPUs ({meta['machine']['cpu']}), "
        f"{meta['machine']['memory']} RAM, Python {meta['machine']['python']}, "
        f"MkDocs {meta['machine']['mkdocs']}, Material {meta['machine']['mkdocs-material']}, "
        f"Pagefind {meta['machine']['pagefind']}; code: {meta['code']}.",
        f"- Load before: `{meta['uptime_before']}`",
        f"- Load after: `{meta['uptime_after']}`",
        "",
        "Every run, in order, with the 1-minute load average when it started:",
        "",
        "| N | validate runs: s (load) | build runs: s (load) | baseline runs: s (load) "
        "| ours / baseline per pair |",
        "| ---: | --- | --- | --- | --- |",
    ]

    def runs(part: dict[str, Any]) -> str:
        return ", ".join(
            f"{w:.1f} ({load:.1f})" for w, load in zip(part["walls"], part["loads"], strict=True)
        )

    for r in results:
        pairs = [b / bl for b, bl in zip(r["build"]["walls"], r["baseline"]["walls"], strict=True)]
        out.append(
            f"| {r['n']:,} | {runs(r['validate'])} | {runs(r['build'])} | {runs(r['baseline'])} "
            f"| {', '.join(f'{x:.2f}' for x in pairs)} |"
        )
    out += [
        "",
        "| N | datasets / resources / inline schemas / distinct field names "
        "| visible text per dataset page: ours / baseline (chars) "
        "| Pagefind bundle | largest HTML page | whole-process peak RSS: build / validate / baseline |",
        "| ---: | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        c, s = r["catalog"], r["site"]
        out.append(
            f"| {r['n']:,} | {c['datasets']:,} / {c['resources']:,} / {c['inline_schemas']:,} / "
            f"{c['field_names']:,} "
            f"| {s['visible_chars_mean']:,.0f} / {r['baseline']['visible_chars_mean']:,.0f} "
            f"| {s['pagefind_bytes'] / 1e6:.1f} MB | `{s['largest_html'][0]}` {s['largest_html'][1] / 1000:,.0f} KB "
            f"| {_mb(r['build']['maxrss_mb'])} / {_mb(r['validate']['maxrss_mb'])} / {_mb(r['baseline']['maxrss_mb'])} |"
        )
    out += [
        "",
        "Scaling, in milliseconds per dataset (medians; the last row divides the largest size by the one before):",
        "",
        "| N | build | generate() in the build | Pagefind | rest of the build (MkDocs) | validate | baseline |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def per(r: dict[str, Any]) -> list[float]:
        b = r["build"]
        rest = b["wall"] - b["generate"] - b["index"]
        values = [b["wall"], b["generate"], b["index"], rest, r["validate"]["wall"], r["baseline"]["wall"]]
        return [v / r["n"] * 1000 for v in values]

    for r in results:
        out.append(f"| {r['n']:,} | " + " | ".join(f"{v:.1f}" for v in per(r)) + " |")
    if len(results) >= 2:
        a, b = results[-2], results[-1]
        growth = [y / x if x else float("nan") for x, y in zip(per(a), per(b), strict=True)]
        out.append(
            f"| per-dataset {b['n']:,} / {a['n']:,} | " + " | ".join(f"{g:.2f}×" for g in growth) + " |"
        )
    out += ["", "The generator alone (its stages, one fresh process each size; sum = generate()):", ""]
    out += ["| N | generate() | load | validate | view model | render | peak RSS |", "| ---: " * 7 + "|"]
    for r in results:
        st = r["stages"]
        out.append(
            f"| {r['n']:,} | {_fmt_s(st.get('generate'))} | {_fmt_s(st.get('load'))} "
            f"| {_fmt_s(st.get('validate'))} | {_fmt_s(st.get('viewmodel'))} | {_fmt_s(st.get('render'))} "
            f"| {_mb(st.get('maxrss_mb', 0))} |"
        )
    out += ["", "Search probes (cold browser, bytes of /pagefind/ responses):", ""]
    out += [
        "| N | query | hits | KB | files | first dataset hit |",
        "| ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        for p in r.get("search", []):
            out.append(
                f"| {r['n']:,} | `{p['query']}` | {p['results']:,} | {p['bytes'] / 1000:.1f} "
                f"| {p['requests']} | `{p['dataset_hit'] or 'none'}` |"
            )
    for r in results:
        if "serve" in r:
            sv = r["serve"]
            out += [
                "",
                f"Incremental preview (`tmrc serve`, {r['n']:,} datasets): the first page is served "
                f"{sv['startup']:.1f} s after start (a full build); a title edit in one descriptor "
                f"(`{sv['dataset']}`) is visible after **{sv['edit_visible']:.1f} s**.",
            ]
    for r in results:
        prof = r.get("profile")
        if not prof or "skipped" in prof:
            continue
        for command in ("build", "validate"):
            p = prof[command]
            out += [
                "",
                f"Profile of `tmrc {command}` at {r['n']:,} (pyinstrument, {p['wall']:.1f} s under the "
                f"profiler against {_fmt_s(r[command]['wall'])} without; shares are the useful part; "
                f"full tree: `{p['file']}`):",
                "",
                "| where | cumulative s | share |",
                "| --- | ---: | ---: |",
            ]
            for label, seconds in p["summary"]["parts"]:
                if seconds is not None:
                    out.append(f"| {label} | {seconds:.2f} | {seconds / p['wall']:.0%} |")
            out += ["", "Top functions by self time:", "", "| function | self s |", "| --- | ---: |"]
            for name, seconds in p["summary"]["top_self"][:15]:
                out.append(f"| `{name}` | {seconds:.2f} |")
    return out


# --- main -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="48,1000,5000", help="comma-separated dataset counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is kept")
    parser.add_argument(
        "--repeat-large", type=int, default=0, help="runs at sizes ≥ 5,000 (default: --repeat)"
    )
    parser.add_argument("--out", type=Path, help="also write the report (Markdown) to this file")
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 48,200; repeat 1")
    parser.add_argument("--ref", help="measure this git commit instead of the working tree")
    parser.add_argument(
        "--not-in-nav",
        action="append",
        metavar="PATTERN",
        help="a workaround, reported in the output: keep generated pages matching PATTERN "
        "(e.g. '/fields/*/') out of the nav in the snapshot's mkdocs.yml, for code under test "
        "that forgets to, so that its strict build does not stop on the 'not in nav' warning",
    )
    parser.add_argument("--workdir", type=Path, default=REPO / "bench-out", help="scratch and results folder")
    parser.add_argument("--keep", action="store_true", help="keep the generated catalogs and sites")
    parser.add_argument("--serve-size", type=int, help="size for the tmrc serve probe (default: 1000)")
    parser.add_argument("--profile-size", type=int, help="size for the profiles (default: 1000)")
    parser.add_argument("--no-serve", action="store_true", help="skip the tmrc serve probe")
    parser.add_argument("--no-profile", action="store_true", help="skip the pyinstrument profiles")
    parser.add_argument("--no-browser", action="store_true", help="skip the search-payload probe")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = "48,200", 1
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    default_probe = 1000 if 1000 in sizes else max(sizes)
    started = dt.datetime.now(dt.UTC)
    stamp = started.strftime("%Y%m%dT%H%M%S")
    work = args.workdir / f"work-{stamp}"
    results_dir = args.workdir / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    logs = work / "logs"
    logs.mkdir(parents=True)
    src = snapshot(work / "src", args.ref)
    if args.not_in_nav:
        keep_out_of_nav(src / "mkdocs.yml", args.not_in_nav)
    ctx = {
        "work": work,
        "src": src,
        "env": environment(src),
        "logs": logs,
        "results": results_dir,
        "serve_size": args.serve_size or default_probe,
        "profile_size": args.profile_size or default_probe,
    }
    meta: dict[str, Any] = {
        "started": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "code": (
            f"git {args.ref} = {resolve(args.ref)}" if args.ref else f"working tree at {machine()['commit']}"
        )
        + (
            f"; workaround: not_in_nav {args.not_in_nav} added to the snapshot's mkdocs.yml"
            if args.not_in_nav
            else ""
        ),
        "uptime_before": uptime(),
        "argv": sys.argv,
    }
    log(f"sizes {sizes}, repeat {args.repeat}; scratch in {work}; {meta['uptime_before']}")
    results = []
    ok = False
    try:
        for n in sizes:
            results.append(measure_size(n, args, ctx))
            (results_dir / "results.json").write_text(
                json.dumps({"meta": meta, "results": results}, indent=1)
            )
        ok = True
    except Failure as error:
        log(str(error))
        shutil.copytree(logs, results_dir / "failed-logs", dirs_exist_ok=True)
    finally:
        if ok and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif not ok:
            log(f"scratch kept for inspection: {work}")
    if not ok:
        return 1
    finished = dt.datetime.now(dt.UTC)
    meta.update(
        finished=finished.strftime("%Y-%m-%d %H:%M UTC"),
        duration=(finished - started).total_seconds(),
        uptime_after=uptime(),
    )
    text, _targets = report(results, meta)
    (results_dir / "results.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    (results_dir / "results.md").write_text(text, encoding="utf-8")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
