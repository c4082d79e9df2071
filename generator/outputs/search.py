"""Full-text search (issue 13, item 3): Pagefind indexes the written site, in every language.

After Pelican has written the site (its `finalized` signal, so `pelican content` gets it too),
`index()` runs Pagefind's extended build (the PyPI package `pagefind[extended]`, whose binary
segments Chinese) over the output folder: it reads every page that marks its content
`data-pagefind-body` (the department and unit budget pages), splits the index by each page's
<html lang>, and writes the index and its UI files into `pagefind/` of the site. Nothing is
fetched from elsewhere, when building or when searching.

Each language has a search page, {lang}/search/ (`pages()`), which loads Pagefind's bundled UI
from the site itself; the header's search box is a plain GET form to it (`?q=`), so the search
starts from any page. A failure of Pagefind stops the build (E449); BUDGET_SEARCH = False
builds without search.

A build whose HTML pages are all the published build's (the same paths, every one a hard link
of the published file: relink.py) does not run Pagefind: it links the published pagefind/ into
itself. The stamp in the cache folder (`search.json`: the build, Pagefind's version and command
line, the digest of the page paths) says what the last index was made from.

A district's index is made in parts (shards), so that an edit re-indexes one part, not the whole
site: each document page belongs to the part of its department (a hash of the slug, so a
department's pages of every year and language, and its units', are in one part); each part is
indexed by its own Pagefind run over hard links of its pages (`pagefind/` the first, with the UI,
`pagefind/s01/` … the others), and the search page merges them in the browser (Pagefind's
`mergeIndex`). A part whose pages are all the published build's is linked, not indexed again. The
number of parts is a power of two, one per about SHARD_PAGES document pages (BUDGET_SEARCH_SHARDS
sets it): a small site has one, indexed as a whole as above.

The parts whose pages changed (their tokens are not the published build's) begin as soon as the
document pages are made (`start()`, over links of the pages' files in the page cache), so Pagefind
runs while the index pages, the data files and the writing go on; `index()` waits for them.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.core.diagnostics import Location, issue
from generator.core.settings import BudgetSettings
from generator.outputs import publish
from generator.outputs.buildlog import stop
from generator.outputs.search_parts import (
    BUNDLE,
    TIMEOUT,
    Started,
    bundle,
    department_part,
    link_tree,
    run_batches,
    shard_command,
    shard_count,
    shard_of,
    steady,
    trees,
)
from generator.present.render import department_url

__all__ = ["BUNDLE", "Early", "abandon", "in_parts", "bundle", "shard_count", "shard_of", "steady", "index", "pages", "register"]

STAMP = "search.json"  # in the cache folder: what the last build's index was made from
_STARTED: dict[str, Started] = {}  # the parts start() began, by build folder, for index() to wait for

log = logging.getLogger(__name__)


def search_url(lang: str) -> str:
    return f"{lang}/search/"


def pages(gen) -> list[tuple[str, str, dict]]:
    """(path, template, variables) of each language's search page; none without search. `bundles`: the
    other parts of the index the page merges (they are in the page, so its cache key)."""
    if not gen.budget.search:
        return []
    count = shard_count(len(gen.content.budgets) * len(gen.langs), gen.budget.search_shards)
    merged = [bundle(i) for i in range(1, count)]
    return [(f"{search_url(lang)}index.html", "search", {**gen.common(lang, search_url(lang), search_url(gen.other[lang])),
                                                         "bundles": merged}) for lang in gen.langs]


def command(site: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE, "--silent"]


def index(pelican) -> None:
    """Pelican's `finalized`: index the site just written (BUDGET_SEARCH), or stop the build."""
    budget = BudgetSettings.of(pelican.settings)
    if not budget.search:
        return
    site = Path(pelican.settings["OUTPUT_PATH"])
    real = site.resolve()
    early = _STARTED.pop(str(real), None)
    pages = html_pages(site)
    documents = [p for p in pages if shard_of(p, 1) is not None]
    count = shard_count(len(documents), budget.search_shards)
    if early is not None and count == 1:  # begun in parts, but the site has one: not used
        early.wait()
        early = None
    if early is None:
        shutil.rmtree(site / BUNDLE, ignore_errors=True)  # a build in place (`pelican content`) leaves no stale index
    previous = publish.previous_build(real)
    stamps = budget.cache_dir(pelican.settings["PATH"]) / STAMP if "PATH" in pelican.settings else None
    started = time.perf_counter()
    if count == 1:
        stamp = {"pagefind": _version(), "command": command(Path("SITE"))[1:], "pages": _paths_digest(pages)}
        if previous is not None and stamps is not None and reuse(site, previous, pages, {**stamp, "build": str(previous)},
                                                                 stamps):
            log.info("search: the index of %s reused (no page changed)", previous)
        else:
            if stamps is not None:
                with contextlib.suppress(OSError):
                    stamps.unlink()
            run_pagefind(site, budget)
            log.info("search: %d pages indexed in %.1f s", len(pages), time.perf_counter() - started)
    else:
        stamp = index_shards(site, previous, documents, count, budget, stamps, early)
    if stamps is None:
        return
    with contextlib.suppress(OSError):  # a cache that cannot be written: the next build indexes again
        stamps.parent.mkdir(parents=True, exist_ok=True)
        tmp = stamps.with_name(f"{STAMP}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({**stamp, "build": str(real)}), encoding="utf-8")
        tmp.replace(stamps)


def plan(previous: Path | None, documents: list[str], count: int,
         stamps: Path | None) -> tuple[dict[int, list[str]], dict[str, Any], set[int]]:
    """Each part's pages, the stamp of what each part is made from, and the parts the published build's
    index has made from the same pages by the same Pagefind (linked, if their pages are the published ones)."""
    parts: dict[int, list[str]] = {i: [] for i in range(count)}
    for page in documents:
        parts[shard_of(page, count) or 0].append(page)
    stamp: dict[str, Any] = {"pagefind": _version(), "command": shard_command(Path("SITE"), Path("OUT"))[1:], "count": count,
             "shards": {str(i): _paths_digest(found) for i, found in parts.items()}}
    try:
        before = json.loads(stamps.read_text(encoding="utf-8")) if stamps is not None and previous is not None else {}
    except (OSError, ValueError):
        before = {}
    same = previous is not None and all(before.get(k) == stamp[k] for k in ("pagefind", "command", "count")) \
        and before.get("build") == str(previous)
    return parts, stamp, {i for i in parts if same and before.get("shards", {}).get(str(i)) == stamp["shards"][str(i)]}


def index_shards(site: Path, previous: Path | None, documents: list[str], count: int, budget: BudgetSettings,
                 stamps: Path | None, started: Started | None = None) -> dict:
    """Each part of the index: linked from the published build if its pages are the same, else indexed
    (two Pagefind runs at a time; those `start()` began, waited for); the stamp of what each part was made from."""
    parts, stamp, same = plan(previous, documents, count, stamps)
    problems: list[str] = []
    if started is not None:
        problems = started.wait()
        if started.documents != documents:  # begun on other pages than the site has: indexed again, all of it
            shutil.rmtree(site / BUNDLE, ignore_errors=True)
            problems, started = [], None
    early = set(started.parts) if started is not None else set()
    todo = [i for i, found in parts.items()
            if i not in early and not (i in same and previous is not None and link_shard(site, previous, i, found))]
    began = time.perf_counter()
    if problems:
        stop([issue("E449", Location(str(site)), problem=problems[0])], budget.messages_lang)
    if todo:
        run_shards(site, {i: parts[i] for i in todo}, budget)
    log.info("search: %d of %d parts indexed (%d pages; %d begun early) in %.1f s", len(todo) + len(early), count,
             sum(len(parts[i]) for i in [*todo, *early]), len(early), time.perf_counter() - began)
    return {**stamp, "indexed": sorted({*todo, *early}), "begun early": sorted(early)}  # these two for the record only


class Early:
    """The parts of the index begun while the build goes on. As soon as a part's document pages are rendered
    (or found in the page cache), and if they are not the published build's (by token, relink.py), Pagefind
    begins on it over links of the pages' files in the page cache (`ready`), while the other documents, the
    index pages, the data files and the writing are made. `index()` waits for them; it indexes again
    whatever this guessed wrong (a page it did not know of)."""

    def __init__(self, gen, documents: list[str]):
        self.gen, self.documents = gen, sorted(documents)
        self.site = Path(gen.output_path).resolve()
        self.count = shard_count(len(documents), gen.budget.search_shards)
        previous = publish.previous_build(self.site)
        self.published = (publish.read_manifest(publish.manifest_path(previous), previous)
                          if previous is not None else None) or {}
        self.parts, _, self.same = plan(previous, self.documents, self.count,
                                        gen.budget.cache_dir(gen.settings["PATH"]) / STAMP)
        self.waiting = set(self.parts)  # not yet looked at
        self.started: Started | None = None

    @classmethod
    def of(cls, gen, documents: list[str] | None = None) -> Early | None:
        """For the document pages of `gen`'s content (or `documents`); None without search, or for a site
        whose index is made whole (one part)."""
        if not gen.budget.search:
            return None
        if documents is None:
            documents = [f"{department_url(lang, db.year, db.slug)}index.html"
                         for db in gen.content.budgets for lang in gen.langs]
        early = cls(gen, documents)
        return early if early.count > 1 else None

    def ready(self, shard: int) -> None:
        """Part `shard`'s pages are made: Pagefind begun on it, unless it is linked at the end (index())."""
        self.waiting.discard(shard)
        found = self.parts[shard]
        tokens = {p: self.gen.outputs.get(p, (None, None, None))[2] for p in found}
        if shard in self.same and all(self.published.get(p, [None])[:1] == [tokens[p]] for p in found):
            return
        if self.started is None:
            shutil.rmtree(self.site / BUNDLE, ignore_errors=True)
            tmp = Path(tempfile.mkdtemp(prefix=".search-", dir=self.site.parent))
            self.started = _STARTED[str(self.site)] = Started(self.documents, self.site, tmp)
        self.started.add(shard, found, self._source)

    def close(self) -> None:
        """Every document page made: the parts not yet looked at (those no document fell into)."""
        for shard in sorted(self.waiting):
            self.ready(shard)

    def _source(self, page: str) -> Path | str:
        text, _, token = self.gen.outputs[page]
        if token is not None:
            return self.gen.pages.source(token)
        return text() if callable(text) else text


def abandon() -> None:
    """A build stopped (`pelican -r` goes on to the next): the parts it began are not waited for."""
    while _STARTED:
        _STARTED.popitem()[1].cancel()


def in_parts(early: Early | None, budgets: list) -> list[tuple[int, list[tuple[int, Any]]]]:
    """The documents (with their place in `budgets`) by part of the index, the parts of files computed in
    this build first (deferred.Deferred), so that the part an edit changed is begun while the other
    documents are made; one part without `early`."""
    if early is None:
        return [(0, list(enumerate(budgets)))]
    parts: dict[int, list[tuple[int, Any]]] = {}
    for n, db in enumerate(budgets):
        parts.setdefault(department_part(db.slug.split("/")[0], early.count), []).append((n, db))
    fresh = {part for part, dbs in parts.items() if any(getattr(db, "computed_now", True) for _, db in dbs)}
    return sorted(parts.items(), key=lambda item: (item[0] not in fresh, item[0]))


def link_shard(site: Path, previous: Path, shard: int, found: list[str]) -> bool:
    """The published build's part `shard` linked into `site`, if its pages are the published ones."""
    old = previous / bundle(shard)
    try:
        if not (old / "pagefind-entry.json").is_file():
            return False
        if not all(os.path.samestat(os.stat(site / p), os.stat(previous / p)) for p in found):
            return False
        link_tree(old, site / bundle(shard), skip=r"s\d\d" if shard == 0 else None)  # not the other parts in it
    except (OSError, ValueError):
        shutil.rmtree(site / bundle(shard), ignore_errors=True)
        return False
    return True


def run_shards(site: Path, parts: dict[int, list[str]], budget: BudgetSettings) -> None:
    """Pagefind over each part (a tree of hard links of its pages beside the build), two at a time; a
    failure stops the build (E449)."""
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site.resolve().parent) as tmp:
        problems = run_batches(trees(Path(tmp), parts, lambda page: site / page, site), site)
    if problems:
        stop([issue("E449", Location(str(site)), problem=problems[0])], budget.messages_lang)


def html_pages(site: Path) -> list[str]:
    """The HTML files Pagefind reads (every one but its own), relative to the site, sorted."""
    found = []
    top = os.path.join(os.fspath(site), "")
    for folder, subdirs, files in os.walk(top):
        rel = folder[len(top):]  # "" for the site itself; string slicing, not relpath: ~7,700 folders at N=1,000
        if rel == BUNDLE:
            subdirs[:] = []
            continue
        prefix = f"{rel}/" if rel else ""
        found += [prefix + f for f in files if f.endswith(".html")]
    return sorted(found)


def _paths_digest(pages: list[str]) -> str:
    return hashlib.sha256("\n".join(pages).encode()).hexdigest()


def _version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "-"


def reuse(site: Path, previous: Path, pages: list[str], stamp: dict, stamps: Path) -> bool:
    """Link the previous build's index into `site` if it was made from the same pages (the same
    paths, each a hard link of the previous file) by the same Pagefind; False: index again."""
    try:
        before = json.loads(stamps.read_text(encoding="utf-8"))
        if before != stamp or not (previous / BUNDLE / "pagefind-ui.js").is_file():
            return False
        if not all(os.path.samestat(os.stat(site / p), os.stat(previous / p)) for p in pages):
            return False
        link_tree(previous / BUNDLE, site / BUNDLE)
    except (OSError, ValueError):
        shutil.rmtree(site / BUNDLE, ignore_errors=True)
        return False
    return True


def run_pagefind(site: Path, budget: BudgetSettings) -> None:
    """Pagefind over the written site; a failure stops the build (E449)."""
    try:
        done = subprocess.run(command(site), capture_output=True, text=True, timeout=TIMEOUT)
        problem = "" if done.returncode == 0 else (done.stderr or done.stdout).strip()[-2000:] or f"exit {done.returncode}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        problem = str(exc)
    if not problem and not (site / BUNDLE / "pagefind-ui.js").is_file():
        problem = f"{site / BUNDLE / 'pagefind-ui.js'} was not written"
    if problem:
        stop([issue("E449", Location(str(site)), problem=problem)], budget.messages_lang)
    entry = site / BUNDLE / "pagefind-entry.json"
    try:
        steady(entry)
    except ValueError as exc:  # Pagefind says it succeeded but left a broken file: a full disk does that
        if os.statvfs(site).f_bavail == 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(entry)) from exc
        stop([issue("E449", Location(str(site)), problem=f"{entry}: {exc}")], budget.messages_lang)


def expose(generator) -> None:
    """Pelican's `generator_init`: every template (ours, the Markdown pages') knows whether the site has search."""
    generator.env.globals["SEARCH"] = BudgetSettings.of(generator.settings).search


def register(signals) -> None:
    signals.generator_init.connect(expose)
    signals.finalized.connect(index)
