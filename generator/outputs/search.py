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
import time
from importlib import metadata
from pathlib import Path

from generator.core.diagnostics import Location, issue
from generator.core.settings import BudgetSettings
from generator.outputs import publish
from generator.outputs.buildlog import stop

BUNDLE = "pagefind"  # the index and UI, below the output folder
TIMEOUT = 600
STAMP = "search.json"  # in the cache folder: what the last build's index was made from

log = logging.getLogger(__name__)


def search_url(lang: str) -> str:
    return f"{lang}/search/"


def pages(gen) -> list[tuple[str, str, dict]]:
    """(path, template, variables) of each language's search page; none without search."""
    if not gen.budget.search:
        return []
    return [(f"{search_url(lang)}index.html", "search", gen.common(lang, search_url(lang), search_url(gen.other[lang])))
            for lang in gen.langs]


def command(site: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE, "--silent"]


def index(pelican) -> None:
    """Pelican's `finalized`: index the site just written (BUDGET_SEARCH), or stop the build."""
    budget = BudgetSettings.of(pelican.settings)
    if not budget.search:
        return
    site = Path(pelican.settings["OUTPUT_PATH"])
    shutil.rmtree(site / BUNDLE, ignore_errors=True)  # a build in place (`pelican content`) leaves no stale index
    real = site.resolve()
    pages = html_pages(site)
    stamp = {"pagefind": _version(), "command": command(Path("SITE"))[1:], "pages": _paths_digest(pages)}
    previous = publish.previous_build(real)
    stamps = budget.cache_dir(pelican.settings["PATH"]) / STAMP if "PATH" in pelican.settings else None
    started = time.perf_counter()
    if previous is not None and stamps is not None and reuse(site, previous, pages, {**stamp, "build": str(previous)},
                                                             stamps):
        log.info("search: the index of %s reused (no page changed)", previous)
    else:
        if stamps is not None:
            with contextlib.suppress(OSError):
                stamps.unlink()
        run_pagefind(site, budget)
        log.info("search: %d pages indexed in %.1f s", len(pages), time.perf_counter() - started)
    if stamps is None:
        return
    with contextlib.suppress(OSError):  # a cache that cannot be written: the next build indexes again
        stamps.parent.mkdir(parents=True, exist_ok=True)
        tmp = stamps.with_name(f"{STAMP}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({**stamp, "build": str(real)}), encoding="utf-8")
        tmp.replace(stamps)


def html_pages(site: Path) -> list[str]:
    """The HTML files Pagefind reads (every one but its own), relative to the site, sorted."""
    found = []
    for folder, subdirs, files in os.walk(site):
        rel = os.path.relpath(folder, site)
        if rel == BUNDLE:
            subdirs[:] = []
            continue
        found += [os.path.normpath(os.path.join(rel, f)) for f in files if f.endswith(".html")]
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
        for folder, _, files in os.walk(previous / BUNDLE):
            target = site / os.path.relpath(folder, previous)
            target.mkdir(parents=True, exist_ok=True)
            for name in files:
                try:
                    os.link(os.path.join(folder, name), target / name)
                except OSError:
                    shutil.copy2(os.path.join(folder, name), target / name)
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


def steady(entry: Path) -> None:
    """Pagefind lists the languages of its entry file in any order: sorted, so that a build's bytes are
    the same every time (tests/fixtures/outputs.json)."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def expose(generator) -> None:
    """Pelican's `generator_init`: every template (ours, the Markdown pages') knows whether the site has search."""
    generator.env.globals["SEARCH"] = BudgetSettings.of(generator.settings).search


def register(signals) -> None:
    signals.generator_init.connect(expose)
    signals.finalized.connect(index)
