"""`tmrc`: the command line. It parses arguments and turns outcomes into messages and exit codes.

Every command is documented in docs/maintainers/cli.md (a test checks it).
Exit codes: 0 success, 1 the catalog or site has problems, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .problems import CatalogError, Problem

DEFAULT_CATALOG = "catalog"
DEFAULT_CONFIG = "mkdocs.yml"


def _print_problems(problems: Sequence[Problem], output_format: str) -> None:
    for problem in problems:
        if output_format == "github":
            # GitHub Actions workflow commands annotate the pull request's changed lines.
            message = f"{problem.code}: {problem.message}"
            if problem.pointer:
                message += f" (at {problem.pointer})"
            message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            file = problem.file.replace(",", "%2C").replace(":", "%3A")
            print(f"::error file={file},line={problem.line},title={problem.code}::{message}")
        else:
            print(problem.format())


def cmd_validate(args: argparse.Namespace) -> int:
    from .pipeline import check_catalog

    catalog, problems = check_catalog(Path(args.catalog))
    if problems:
        _print_problems(problems, args.format)
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    resources = sum(len(d.package.get("resources") or []) for d in catalog.datasets)
    print(
        f"ok: {len(catalog.datasets)} datasets, {resources} resources, "
        f"{len(catalog.shared)} shared schema(s); no problems."
    )
    return 0


def _source_date_epoch(config_file: Path) -> None:
    """Reproducible builds: take dates from the last commit, never from the clock."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=config_file.parent,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return
    if result.returncode == 0 and result.stdout.strip().isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = result.stdout.strip()


def _load_config(args: argparse.Namespace, **overrides: object):
    from mkdocs.config import load_config

    config_file = Path(args.config_file)
    if not config_file.is_file():
        raise SystemExit(_usage_error(f"no MkDocs configuration at {config_file}"))
    os.environ["TMRC_CATALOG"] = str(Path(args.catalog).absolute())
    _source_date_epoch(config_file)
    return load_config(str(config_file), **overrides)


def _usage_error(message: str) -> int:
    print(f"tmrc: {message}", file=sys.stderr)
    return 2


def _setup_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, BuildError, ConfigurationError

    from .pipeline import generate

    _setup_logging(args.quiet)
    overrides: dict[str, object] = {"strict": True}
    if args.site_dir:
        overrides["site_dir"] = str(Path(args.site_dir).absolute())
    try:
        config = _load_config(args, **overrides)
    except ConfigurationError as error:
        print(f"tmrc: the MkDocs configuration is invalid: {error}", file=sys.stderr)
        return 1
    plugin = config.plugins.get("tmrc")
    if plugin is None:
        return _usage_error(f"{args.config_file} does not enable the tmrc plugin")
    try:
        # Generate here so that problems print in the same form as `tmrc validate`.
        plugin.preloaded = generate(Path(args.catalog), config.site_url or "")
    except CatalogError as error:
        _print_problems(error.problems, "text")
        print(f"{len(error.problems)} problem(s) found; nothing was built.", file=sys.stderr)
        return 1
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except (Abort, BuildError) as error:
        print(f"tmrc: the build failed: {error}", file=sys.stderr)
        return 1
    finally:
        config.plugins.on_shutdown()
    print(f"built {len(plugin.output.pages)} generated pages into {config.site_dir}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    _setup_logging(False)
    config_file = Path(args.config_file)
    if not config_file.is_file():
        return _usage_error(f"no MkDocs configuration at {config_file}")
    os.environ["TMRC_CATALOG"] = str(Path(args.catalog).absolute())
    _source_date_epoch(config_file)
    try:
        # Dirty rebuilds: only pages whose inputs changed are rendered again.
        serve(str(config_file), dev_addr=args.dev_addr, livereload=True, build_type="dirty", strict=False)
    except KeyboardInterrupt:
        return 0
    except Exception as error:  # MkDocs reports its own problems; keep the exit clean
        print(f"tmrc: serve stopped: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, create_dataset, summary_lines

    try:
        made = create_dataset(Path(args.catalog), args.name, [Path(p) for p in args.csv_files])
    except ScaffoldError as error:
        _print_problems(error.problems, "text")
        print(f"tmrc: {error}", file=sys.stderr)
        return 1
    for line in summary_lines(made):
        print(line)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff_descriptors, format_changes
    from .versions import DiffUsageError

    catalog = Path(args.catalog) if args.catalog else None
    if catalog is not None and not (catalog / "consortium.yaml").is_file():
        return _usage_error(f"{catalog} is not a catalog folder (it has no consortium.yaml)")
    try:
        changes, problems = diff_descriptors(args.old, args.new, catalog)
    except DiffUsageError as error:
        return _usage_error(str(error))
    if changes is None:
        _print_problems(problems, "text")
        print(f"{len(problems)} problem(s) found; nothing was compared.", file=sys.stderr)
        return 1
    sys.stdout.write(format_changes(changes, args.format))
    return 0


def _site_options(command: argparse.ArgumentParser) -> None:
    """The options every command that builds the site shares, spelled once."""
    command.add_argument("--catalog", default=DEFAULT_CATALOG, help="the catalog folder (default: catalog)")
    command.add_argument("--config-file", default=DEFAULT_CONFIG, help="the MkDocs configuration")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tmrc", description="Build and check the TMRC data catalog.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a catalog folder and print every problem")
    validate.add_argument(
        "catalog", nargs="?", default=DEFAULT_CATALOG, help="the catalog folder (default: catalog)"
    )
    validate.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text: path:line: code: message; github: Actions annotations",
    )
    validate.set_defaults(func=cmd_validate)

    build = commands.add_parser("build", help="build the whole site (strict), replacing it only on success")
    _site_options(build)
    build.add_argument("--site-dir", help="where to write the site (default: site_dir of mkdocs.yml)")
    build.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")
    build.set_defaults(func=cmd_build)

    serve = commands.add_parser("serve", help="preview the site; rebuilds when the catalog or docs change")
    _site_options(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve.set_defaults(func=cmd_serve)

    new = commands.add_parser("new", help="start a dataset: datasets/NAME/datapackage.yaml, valid as written")
    new.add_argument("name", metavar="NAME", help="the dataset's name, also its folder's name")
    new.add_argument(
        "--from",
        dest="csv_files",
        metavar="FILE.csv",
        nargs="+",
        action="extend",
        default=[],
        help="CSV files of the dataset: one resource each, columns inferred, shared schemas reused",
    )
    new.add_argument("--catalog", default=DEFAULT_CATALOG, help="the catalog folder (default: catalog)")
    new.set_defaults(func=cmd_new)

    diff = commands.add_parser("diff", help="list what changed between two versions of a descriptor")
    diff.add_argument(
        "old", metavar="OLD", help="a descriptor file, or REV:PATH for the file in a git revision"
    )
    diff.add_argument(
        "new", metavar="NEW", help="a descriptor file, or REV:PATH for the file in a git revision"
    )
    diff.add_argument(
        "--catalog", help="the catalog folder (default: the nearest folder above with a consortium.yaml)"
    )
    diff.add_argument(
        "--format",
        choices=("text", "yaml"),
        default="text",
        help="text: one change per line; yaml: a changes: list for catalog:changelog",
    )
    diff.set_defaults(func=cmd_diff)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
