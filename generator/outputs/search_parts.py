"""The search index in parts (search.py): a part's tree of pages, the Pagefind runs over the parts
(two at a time, in a thread of their own when begun early), and what every part shares: where it
goes below the site, which part a page belongs to, how many parts a site has."""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from generator.outputs.district import OVERVIEW

BUNDLE = "pagefind"  # the index and UI, below the output folder
TIMEOUT = 600
SHARD_PAGES = 150  # document pages a part of the index has, about
MAX_SHARDS = 64
_DOCUMENT = re.compile(r"^[^/]+/\d{4}/([^/]+)/")  # {lang}/{year}/{department}/…: a document's page
_LIVE: set[subprocess.Popen] = set()  # Pagefind runs not finished: killed if the build stops before them


@atexit.register
def _kill_live() -> None:
    for proc in list(_LIVE):
        proc.kill()


def shard_count(pages: int, setting: int | None = None) -> int:
    """How many parts the index of `pages` document pages is made in: a power of two."""
    if setting:
        return setting
    count = 1
    while count < MAX_SHARDS and pages > count * SHARD_PAGES:
        count *= 2
    return count


def shard_of(page: str, count: int) -> int | None:
    """The part a page belongs to (None: not a document page, so not indexed)."""
    found = _DOCUMENT.match(page)
    if found is None or found[1] == OVERVIEW:  # the district overview: not a document (E448 keeps the name)
        return None
    return department_part(found[1], count)


def department_part(department: str, count: int) -> int:
    """The part of a department's pages (every year, language and unit of it): a hash of its slug."""
    return int.from_bytes(hashlib.sha256(department.encode()).digest()[:4], "big") % count


def bundle(shard: int) -> str:
    """A part's folder below the site."""
    return BUNDLE if shard == 0 else f"{BUNDLE}/s{shard:02d}"


class Started:
    """The parts of the index begun early (search.Early): each part is added as soon as its pages are made,
    and indexed by Pagefind in one of two threads of their own (two runs at a time) while the build goes on."""

    def __init__(self, documents: list[str], site: Path, tmp: Path):
        self.documents, self.site, self.tmp = documents, site, tmp
        self.parts: dict[int, list[str]] = {}
        self.problems: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        self.cancelled = False
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(2)]
        for thread in self._threads:
            thread.start()

    def add(self, shard: int, found: list[str], source: Callable[[str], Path | str]) -> None:
        """Part `shard` (its pages `found`, their files or text from `source`) to be indexed."""
        self.parts[shard] = found
        self._queue.put(trees(self.tmp, {shard: found}, source, self.site)[0])

    def _work(self) -> None:
        while (run := self._queue.get()) is not None:
            if self.cancelled:
                continue
            try:
                problems = run_batches([run], self.site)
            except Exception as exc:  # noqa: BLE001 — reported by wait(), in the build's own thread
                problems = [f"{type(exc).__name__}: {exc}"]
            self.problems += problems  # one list, appended to under the GIL

    def wait(self) -> list[str]:
        """Every part added, indexed (its trees removed); what went wrong (empty: nothing)."""
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return self.problems

    def cancel(self) -> None:
        """The build stopped: the parts not begun are dropped, the runs going on killed, the trees removed."""
        self.cancelled = True
        _kill_live()
        self.wait()


def shard_command(tree: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(tree), "--output-path", str(out), "--silent"]


def trees(tmp: Path, parts: dict[int, list[str]], source: Callable[[str], Path | str], site: Path) -> list:
    """Each part's tree of its pages below `tmp` (each a hard link of `source(page)`'s file, or its text), and
    the Pagefind command that indexes it into the site."""
    runs = []
    for shard, found in sorted(parts.items()):
        tree = tmp / f"s{shard:02d}"
        for page in found:
            (tree / page).parent.mkdir(parents=True, exist_ok=True)
            made = source(page)
            if isinstance(made, str):
                (tree / page).write_text(made, encoding="utf-8")
                continue
            try:
                os.link(made, tree / page)
            except OSError:  # another file system
                shutil.copyfile(made, tree / page)
        if not found:  # a part no department fell into: an empty index, so the page can merge it
            (tree / "index.html").parent.mkdir(parents=True, exist_ok=True)
            (tree / "index.html").write_text("<html lang=\"zh\"><body data-pagefind-body></body></html>")
        runs.append((shard, shard_command(tree, site.resolve() / bundle(shard))))
    return runs


def run_batches(runs: list, site: Path) -> list[str]:
    """The Pagefind runs, two at a time; what went wrong (empty: nothing)."""
    problems: list[str] = []
    for first in range(0, len(runs), 2):
        batch = [(shard, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
                 for shard, cmd in runs[first:first + 2]]
        _LIVE.update(proc for _, proc in batch)
        for shard, proc in batch:
            try:
                out, _ = proc.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired as exc:
                proc.kill()
                problems.append(str(exc))
                continue
            finally:
                _LIVE.discard(proc)
            entry = site / bundle(shard) / "pagefind-entry.json"
            if proc.returncode != 0 or not entry.is_file():
                problems.append((out or "").strip()[-2000:] or f"exit {proc.returncode}")
                continue
            try:
                steady(entry)
            except ValueError as exc:
                problems.append(f"{entry}: {exc}")
    return problems


def link_tree(source: Path, target: Path, skip: str | None = None) -> None:
    """Every file below `source` hard-linked (or copied) to the same place below `target`; `skip`: the
    folders right below `source` whose names match it are left out."""
    for folder, subdirs, files in os.walk(source):
        if skip is not None and Path(folder) == source:
            subdirs[:] = [d for d in subdirs if not re.fullmatch(skip, d)]
        into = target / os.path.relpath(folder, source)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(os.path.join(folder, name), into / name)
            except OSError:
                shutil.copy2(os.path.join(folder, name), into / name)


def steady(entry: Path) -> None:
    """Pagefind lists the languages of its entry file in any order: sorted, so that a build's bytes are
    the same every time (tests/fixtures/outputs.json)."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
