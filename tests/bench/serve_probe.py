"""Incremental preview: how long `tmrc serve` takes to show an edit to one descriptor.

Starts `tmrc serve --catalog X --dev-addr 127.0.0.1:PORT` (MkDocs live reload),
waits until it serves, changes one descriptor's title, and polls that dataset's
page until the new title appears. The server is stopped with Ctrl-C (SIGINT to
its own process group, which holds only it and the indexer it may be running).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass
class ServeProbe:
    startup: float  # seconds until the first page is served (the initial full build)
    edit_visible: float  # seconds from the file write until the page shows the new title
    dataset: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return None


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    for sig, grace in ((signal.SIGINT, 30), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def probe(catalog: Path, *, cwd: Path, env: dict[str, str], log: Path, timeout: float = 1200) -> ServeProbe:
    folders = sorted(p for p in (catalog / "datasets").iterdir() if p.is_dir())
    folder = folders[len(folders) // 2]
    descriptor = next(folder / n for n in ("datapackage.yaml", "datapackage.json") if (folder / n).is_file())
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "generator.cli", "serve", "--catalog", str(catalog)]
    command += ["--dev-addr", f"127.0.0.1:{port}"]
    original = descriptor.read_text(encoding="utf-8")
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            page_url = f"{base}datasets/{folder.name}/"
            while _get(page_url) is None:
                if process.poll() is not None:
                    raise RuntimeError(f"tmrc serve exited with {process.returncode}; see {log}")
                if time.perf_counter() - start > timeout:
                    raise TimeoutError("tmrc serve did not start")
                time.sleep(0.25)
            startup = time.perf_counter() - start
            time.sleep(2)  # let the watcher settle after the first build
            marker = f"Edited title {int(time.time())}"
            if descriptor.suffix == ".json":
                edited = re.sub(r'("title": ")', rf"\g<1>{marker} ", original, count=1)
            else:
                edited = re.sub(r"^title: ", f"title: {marker} ", original, count=1, flags=re.M)
            assert edited != original
            descriptor.write_text(edited, encoding="utf-8")
            edited_at = time.perf_counter()
            while True:
                text = _get(page_url)
                if text is not None and marker in text:
                    break
                if process.poll() is not None:
                    raise RuntimeError(f"tmrc serve exited with {process.returncode}; see {log}")
                if time.perf_counter() - edited_at > timeout:
                    raise TimeoutError("the edit never appeared")
                time.sleep(0.1)
            visible = time.perf_counter() - edited_at
        finally:
            descriptor.write_text(original, encoding="utf-8")
            _stop(process)
    return ServeProbe(startup=startup, edit_visible=visible, dataset=folder.name)
