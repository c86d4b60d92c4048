"""Process measurement: wall time and peak memory of one child process, site sizes, text lengths."""

from __future__ import annotations

import html
import os
import re
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    wall: float  # seconds, whole process (start to exit)
    maxrss_mb: float  # peak resident set of the process and the children it waited for
    returncode: int
    stdout: str
    stderr: str


def run_measured(
    command: list[str], *, cwd: Path, env: dict[str, str], log: Path, timeout: float = 7200
) -> Run:
    """Run one command; wall clock from the parent, peak RSS from wait4() for exactly that child.

    The same figures as `/usr/bin/time -v` (Elapsed, Maximum resident set size), without
    parsing its output. Output goes to files so that a chatty build cannot block on a pipe.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall=wall,
        maxrss_mb=usage.ru_maxrss / 1024,  # Linux reports kilobytes
        returncode=process.returncode,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
    )


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def tree_bytes(folder: Path) -> tuple[int, int]:
    """Bytes (sum of file sizes) and number of files under folder."""
    total = count = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            total += os.lstat(os.path.join(root, name)).st_size
            count += 1
    return total, count


_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_INVISIBLE = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def visible_text(page_html: str) -> str:
    """The text a reader sees in the page's content article (no nav, no scripts)."""
    match = _ARTICLE.search(page_html)
    body = match.group(1) if match else page_html
    body = _INVISIBLE.sub(" ", body)
    body = _TAG.sub(" ", body)
    return _SPACE.sub(" ", html.unescape(body)).strip()


def loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return f"load average: {loadavg()}"
