"""Read many descriptor files on every core.

Parsing YAML is the largest cost of reading a big catalog (libyaml's composer, about
a millisecond a descriptor), and it runs under the GIL. With hundreds of files,
worker processes share the work; results come back in the order of the files, so
output and problem lists do not depend on the number of cores.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .problems import Problem
from .reader import Document, read_document

# Below this, starting workers costs more than it saves.
PARALLEL_MIN_FILES = 200


def _read(item: tuple[Path, str]) -> tuple[Document | None, list[Problem]]:
    return read_document(*item)


def read_documents(items: list[tuple[Path, str]]) -> list[tuple[Document | None, list[Problem]]]:
    """read_document for each (path, display), in order; in parallel when it pays."""
    cores = os.cpu_count() or 1
    parallel = (
        len(items) >= PARALLEL_MIN_FILES
        and cores > 1
        and "fork" in multiprocessing.get_all_start_methods()
        # forking a process that runs threads (the preview server does) is not safe
        and threading.active_count() == 1
    )
    if not parallel:
        return [_read(item) for item in items]
    workers = min(cores, 4)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_read, items, chunksize=max(8, len(items) // (workers * 8))))
