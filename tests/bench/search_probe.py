"""What a browser downloads for a first search: Pagefind's JS API in headless Chromium.

Method of reference/performance.md §1 and §4: a cold browser context opens the
site's home page, then runs `(await import('/pagefind/pagefind.js')).search(q)`
and `.data()` on the top 5 results; the bytes of every response under /pagefind/
are summed (Pagefind stores its index and fragments gzip-compressed, so bytes on
disk are bytes on the wire). Afterwards, outside the byte count, the URLs of the
top 20 results are read to check the search finds a dataset page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser import CHROMIUM_ARGS, chromium_path, serve

_SEARCH = """async ([module, query]) => {
  const pagefind = await import(module);
  const search = await pagefind.search(query);
  const top = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
  return {count: search.results.length, urls: top.map((d) => d.url)};
}"""

_MORE_URLS = """async ([module, query]) => {
  const pagefind = await import(module);
  const search = await pagefind.search(query);
  const more = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  return more.map((d) => d.url);
}"""


@dataclass
class SearchProbe:
    query: str
    results: int
    bytes: int  # sum of response bodies under /pagefind/
    requests: int
    top_urls: list[str]
    dataset_hit: str  # the first result URL that is a dataset page, '' if none in the top 20
    by_file: dict[str, int] = field(default_factory=dict)


def probe(site: Path, queries: list[str]) -> list[SearchProbe]:
    from playwright.sync_api import sync_playwright

    results = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            for query in queries:
                context = browser.new_context()  # cold cache for every query
                page = context.new_page()
                sizes: dict[str, int] = {}

                def on_response(response, sizes=sizes):
                    path = urlsplit(response.url).path
                    if "/pagefind/" not in path:
                        return
                    length = response.headers.get("content-length")
                    try:
                        size = int(length) if length is not None else len(response.body())
                    except Exception:  # a body that cannot be read (redirect, aborted)
                        size = 0
                    sizes[path] = sizes.get(path, 0) + size

                page.on("response", on_response)
                page.goto(base, wait_until="load")
                module = base + "pagefind/pagefind.js"
                found = page.evaluate(_SEARCH, [module, query])
                page.wait_for_timeout(500)  # late requests of the same search, if any
                counted = dict(sizes)
                urls = page.evaluate(_MORE_URLS, [module, query])
                hit = next((u for u in urls if "/datasets/" in u and u.rstrip("/") != "/datasets"), "")
                results.append(
                    SearchProbe(
                        query=query,
                        results=int(found["count"]),
                        bytes=sum(counted.values()),
                        requests=len(counted),
                        top_urls=list(found["urls"]),
                        dataset_hit=hit,
                        by_file=counted,
                    )
                )
                context.close()
        finally:
            browser.close()
    return results
