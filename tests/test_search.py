"""Search (issue 13, item 3): Pagefind indexes the written site in both languages; each language
has a search page with Pagefind's bundled UI served from the site; every page's header has a
search box. The browser test queries the built index in headless Chromium, under a sub-path."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import urlopen

import pytest
from conftest import CONTENT, run_pelican
from test_browser import browser, example_site  # noqa: F401, F811 (fixtures)
from test_sanitise import CSP, SEARCH_CSP, Elements
from test_subpath import PREFIX, serve_under

from generator.outputs import search
from generator.outputs.buildlog import BuildFailed


def _csp(html: str) -> str:
    (meta,) = [a for t, a in Elements(html).tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    return meta["content"]


def test_the_site_has_an_index_per_language(site: Path):
    bundle = site / search.BUNDLE
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    languages = {p.name.split("_")[0].removeprefix("pagefind.") for p in bundle.glob("pagefind.*.pf_meta")}
    assert languages == {"zh-cn", "en"}


def test_only_the_budget_pages_are_indexed_and_every_page_can_search(site: Path):
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(search.BUNDLE + "/"):
            continue
        html = path.read_text(encoding="utf-8")
        tags = Elements(html).tags
        indexed = [a for t, a in tags if "data-pagefind-body" in a]
        is_budget = rel.count("/") >= 3 and rel.split("/")[1].isdigit() and "/overview/" not in rel
        assert (len(indexed) == 1) == is_budget, rel
        if is_budget:  # the reconciliation's long list restates the tables: out of the index
            ignored = [a for t, a in tags if "data-pagefind-ignore" in a]
            assert [a.get("class") for a in ignored] == ["check-all"], rel
        forms = [a for t, a in tags if t == "form"]
        if rel != "index.html":  # the landing page has no language of its own
            assert len(forms) == 1 and forms[0]["role"] == "search", rel
            assert forms[0]["action"].endswith(f"{rel.split('/')[0]}/search/"), rel
        assert _csp(html) == (SEARCH_CSP if rel.endswith("search/index.html") else CSP), rel
    for lang in ("zh", "en"):
        html = (site / lang / "search" / "index.html").read_text(encoding="utf-8")
        srcs = [a.get("src") or a.get("href") for t, a in Elements(html).tags if t in ("script", "link")]
        assert "../../pagefind/pagefind-ui.js" in srcs and "../../pagefind/pagefind-ui.css" in srcs


def test_without_search_nothing_of_it_is_built(tmp_path):
    out = tmp_path / "output"
    result = run_pelican(CONTENT, out, "BUDGET_PDF=false", "BUDGET_SEARCH=false", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert not (out / search.BUNDLE).exists() and not (out / "zh" / "search").exists()
    assert "<form" not in (out / "zh" / "2024" / "index.html").read_text(encoding="utf-8")


def test_a_failing_indexer_stops_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "command", lambda site: [sys.executable, "-c", "import sys; sys.exit('index broke')"])
    stopped = []

    def stop(issues, lang):
        stopped.extend(issues)
        raise BuildFailed("stopped")

    monkeypatch.setattr(search, "stop", stop)

    class Pelican:
        settings = {"OUTPUT_PATH": str(tmp_path), "BUDGET_MESSAGES_LANG": "en"}

    with pytest.raises(BuildFailed):
        search.index(Pelican())
    (found,) = stopped
    assert found.code == "E449" and "index broke" in found.message("en") and "BUDGET_SEARCH=false" in found.message("en")


# ---------------------------------------------------------------- in the browser


@pytest.mark.browser
@pytest.mark.parametrize("lang, word, page", [
    ("zh", "联勤", "zh/2024/anting-city-operations/"),  # a project: 联勤队伍组建
    ("en", "patrol", "en/2024/anting-city-operations/"),  # procurement: Patrol Equipment and Consumables
    ("zh", "普陀", "zh/2025/putuo-government-office/"),
])
def test_search_finds_a_project_in_the_browser_under_a_sub_path(browser, example_site, lang, word, page):  # noqa: F811
    problems: list[str] = []
    with serve_under(example_site) as base:
        context = browser.new_context()
        tab = context.new_page()
        tab.on("console", lambda m: m.type == "error" and "favicon" not in m.text and "404" not in m.text
               and problems.append(m.text))
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.goto(f"{base}{PREFIX}{lang}/search/?q={quote(word)}", wait_until="load")
        tab.wait_for_selector(".pagefind-ui__result-link", timeout=20000)
        links = [a.get_attribute("href") for a in tab.query_selector_all(".pagefind-ui__result-link")]
        assert f"{PREFIX}{page}" in links, links
        for link in links:  # every result is a page of the site, under the sub-path
            assert urlsplit(link).path.startswith(PREFIX), link
            with urlopen(base + link.split("#")[0], timeout=30) as response:
                assert response.status == 200
        # the header's box on any page leads to the same results
        tab.goto(f"{base}{PREFIX}{page}", wait_until="load")
        tab.fill("#site-q", word)
        tab.press("#site-q", "Enter")
        tab.wait_for_selector(".pagefind-ui__result-link", timeout=20000)
        assert urlsplit(tab.url).path == f"{PREFIX}{lang}/search/"
        context.close()
    assert not problems, problems


def _one_page_site(tmp_path):
    """A written site of one document page, in two parts of the index, and a generator that made it."""
    from generator.core.settings import BudgetSettings

    site, page = tmp_path / "site", "zh/2024/town/index.html"
    (site / page).parent.mkdir(parents=True)
    (site / page).write_text('<html lang="zh"><body data-pagefind-body>镇</body></html>', encoding="utf-8")
    settings = {"OUTPUT_PATH": str(site), "BUDGET_MESSAGES_LANG": "en", "BUDGET_SEARCH_SHARDS": 2,
                "PATH": str(tmp_path / "content")}

    class Generator:
        budget = BudgetSettings.of(settings)
        output_path = str(site)
        outputs = {page: ((site / page).read_text(encoding="utf-8"), None, None)}

    Generator.settings = settings
    return site, page, settings, Generator


def test_a_part_begun_early_that_fails_stops_the_build_when_it_is_waited_for(tmp_path, monkeypatch):
    """search.Early runs Pagefind beside the build; its failure is E449 where index() waits for it."""
    from generator.outputs import search_parts

    monkeypatch.setattr(search_parts, "shard_command",
                        lambda tree, out: [sys.executable, "-c", "import sys; sys.exit('part broke')"])
    stopped = []

    def stop(issues, lang):
        stopped.extend(issues)
        raise BuildFailed("stopped")

    monkeypatch.setattr(search, "stop", stop)
    site, page, settings, Generator = _one_page_site(tmp_path)
    search.Early.of(Generator(), [page]).close()
    assert str(site.resolve()) in search._STARTED  # begun

    class Pelican:
        pass

    Pelican.settings = settings
    with pytest.raises(BuildFailed):
        search.index(Pelican())
    (found,) = stopped
    assert found.code == "E449" and "part broke" in found.message("en")
    assert not list(tmp_path.glob(".search-*")) and not list(site.parent.glob(".search-*"))  # its trees are gone


def test_a_build_that_stops_after_a_part_has_begun_kills_its_pagefind_run(tmp_path, monkeypatch):
    """`pelican -r` goes on after a failed build: the parts it began are not left running into a thrown-away folder."""
    import time

    from generator.outputs import plugin, search_parts

    monkeypatch.setattr(search_parts, "shard_command",
                        lambda tree, out: [sys.executable, "-c", "import time; time.sleep(60)"])
    site, page, settings, Generator = _one_page_site(tmp_path)

    class Pelican:
        def run(self):
            search.Early.of(Generator(), [page]).close()
            while not search_parts._LIVE:  # Pagefind (here: a sleep) running
                time.sleep(0.05)
            raise BuildFailed("a problem found after the part began")

    pelican = Pelican()
    pelican.settings = settings
    plugin.wait_after_failure(pelican)
    began = time.monotonic()
    with pytest.raises(BuildFailed):
        pelican.run()
    assert time.monotonic() - began < 30 and not search_parts._LIVE and not search._STARTED
    assert not list(site.parent.glob(".search-*"))  # its trees are gone
