"""The MkDocs adapter: a thin plugin around `pipeline.generate`.

Events, in the order MkDocs calls them:
- on_config: generate the catalog pages (or fail with every problem); stage the build;
- on_files: add the generated pages and files, refusing collisions with docs/;
- on_page_content: put our HTML in place of MkDocs' (the Markdown is front matter only);
- on_post_page: add the Content-Security-Policy;
- on_post_build: build the search index, then swap the staged site into place.

The preview server (`tmrc serve`) makes a new plugin for every rebuild, so what must
outlive one build lives in _Preview below: parsed files, and a digest of what each
generated page was built from, so that an edit to one descriptor re-renders one page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import csp, publish
from .catalog import FileCache
from .pipeline import generate
from .problems import CatalogError
from .provenance import read_provenance
from .render import SiteOutput

log = get_plugin_logger(__name__)


class CatalogConfig(base.Config):
    catalog_dir = c.Type(str, default="catalog")
    search_index = c.Type(bool, default=True)
    content_security_policy = c.Type(bool, default=True)


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _nested_toc(entries: Any) -> list[dict[str, Any]]:
    tokens: list[dict[str, Any]] = []
    for entry in entries:
        token = {"level": entry.level, "id": entry.id, "name": entry.title, "children": []}
        if entry.level > 2 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens


def _project_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml: the catalog and the git checkout are found from it."""
    return Path(config.config_file_path).parent if config.config_file_path else Path.cwd()


class _Preview:
    """State of the preview server, kept between its rebuilds (one per process)."""

    active = False  # set when `serve` starts; rebuilds get no on_startup of their own
    files: FileCache = {}  # noqa: RUF012 - shared on purpose, across plugin instances
    built: dict[str, str] = {}  # noqa: RUF012 - src_uri -> input digest of the last build


class _GeneratedFile(File):
    """A generated file that knows whether it changed since the last preview build.

    MkDocs' dirty builds skip a page whose file is not modified; for generated files
    that depends on the page's inputs, which only the generator knows.
    """

    input_digest: str | None = None
    produce: Callable[[], str] | None = None  # content made when the file is written

    def is_modified(self) -> bool:
        if self.input_digest is None:
            return True
        return _Preview.built.get(self.src_uri) != self.input_digest

    def copy_file(self, dirty: bool = False) -> None:
        if self.produce is None:
            super().copy_file(dirty)
            return
        self._content = self.produce()
        try:
            super().copy_file(dirty)
        finally:
            self._content = ""


class CatalogPlugin(BasePlugin[CatalogConfig]):
    def __init__(self) -> None:
        self.command: str | None = None
        self.output = SiteOutput()
        self.final_site_dir: Path | None = None
        self.warnings: _WarningCounter | None = None
        # Set by `tmrc build`, which generates first to print problems in its own format.
        self.preloaded: SiteOutput | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        if command == "serve":
            _Preview.active = True

    def catalog_dir(self, config: MkDocsConfig) -> Path:
        return _project_root(config) / self.config.catalog_dir

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        site_url = config.site_url or ""
        if self.preloaded is not None:
            self.output, self.preloaded = self.preloaded, None
        else:
            try:
                cache = _Preview.files if _Preview.active else None
                self.output = generate(self.catalog_dir(config), site_url, cache)
            except CatalogError as error:
                raise PluginError(
                    f"the catalog has {len(error.problems)} problem(s):\n{error.format()}"
                ) from error
        # The footer names the commit the site was built from.
        config.extra["tmrc_build"] = read_provenance(_project_root(config))
        if self.command == "build":
            # Build into a staging folder; on_post_build swaps it into place.
            self.final_site_dir = Path(config.site_dir)
            config.site_dir = str(publish.staging_dir(self.final_site_dir))
        if config.strict:
            self.warnings = _WarningCounter()
            logging.getLogger("mkdocs").addHandler(self.warnings)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for page in self.output.pages.values():
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(
                    f"docs/{page.src_uri} collides with a page the catalog generates; "
                    "rename or remove the hand-written file"
                )
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = _GeneratedFile.generated(
                config, page.src_uri, content=page.markdown(), inclusion=inclusion
            )
            file.input_digest = page.input_digest
            files.append(file)
        for static in self.output.files.values():
            if files.get_file_from_path(static.path) is not None:
                raise PluginError(f"docs/{static.path} collides with a file the catalog generates")
            generated = _GeneratedFile.generated(config, static.path, content="")
            generated.produce = lambda static=static: static.content
            files.append(generated)
        return files

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # MkDocs reads every page before it writes any. Here the page gets its table of
        # contents and anchors; its HTML is put in only when its template is rendered
        # (on_page_context) and dropped once written (on_post_page).
        generated = self.output.pages.get(page.file.src_uri)
        if generated is None:
            return html
        page.toc = get_toc(_nested_toc(generated.toc))  # type: ignore[arg-type]
        page.present_anchor_ids = set(generated.anchors)
        return ""

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        generated = self.output.pages.get(page.file.src_uri)
        if generated is not None:
            page.content = generated.body
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # The page is written next: drop both copies of its HTML (ours and MkDocs'), so
        # memory does not grow with the number of datasets. Anchors and TOC stay.
        generated = self.output.pages.get(page.file.src_uri)
        if generated is not None:
            generated.release()
            page.content = ""
        return csp.add_policy(output) if self.config.content_security_policy else output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name.endswith(".html") and self.config.content_security_policy:
            return csp.add_policy(output_content)
        return output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            if self.warnings.count:
                raise PluginError(
                    f"{self.warnings.count} warning(s) in strict mode; the previous site was kept"
                )
        site_dir = Path(config.site_dir)
        if _Preview.active:
            _Preview.built = {p.src_uri: p.input_digest for p in self.output.pages.values() if p.input_digest}
        try:
            # A preview rebuild keeps the index of its first build: searching a preview
            # may miss the latest edit, but the page appears in seconds.
            rebuild = _Preview.active and (site_dir / "pagefind").is_dir()
            if self.config.search_index and not rebuild:
                publish.index_search(site_dir)
            if self.final_site_dir is not None:
                publish.swap_into_place(site_dir, self.final_site_dir)
                config.site_dir = str(self.final_site_dir)
        except publish.PublishError as error:
            raise PluginError(f"{error}; the previous site was kept") from error

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.catalog_dir(config)))
        return server
