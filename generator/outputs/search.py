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
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.core.diagnostics import Location, issue
from generator.core.settings import BudgetSettings
from generator.outputs.buildlog import stop

BUNDLE = "pagefind"  # the index and UI, below the output folder
TIMEOUT = 600


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
