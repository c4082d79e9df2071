"""The search index in parts (issue 12, search.py): each department's pages in one part, an edit
re-indexes only its part, the browser searches every part. Counted by inodes and stamps, not timing."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOT, run_pelican
from test_browser import browser  # noqa: F401 (the browser fixture)
from test_subpath import PREFIX, serve_under

from generator.outputs import publish, search

sys.path.insert(0, str(ROOT / "benchmarks"))
from district import edit_one, make_district  # noqa: E402

SHARDS = 4


def test_the_number_of_parts_grows_with_the_site_in_powers_of_two():
    assert [search.shard_count(n) for n in (0, 8, 150, 151, 300, 301, 3000, 10**6)] == [1, 1, 1, 2, 2, 4, 32, 64]
    assert search.shard_count(10, 8) == 8  # BUDGET_SEARCH_SHARDS


def test_a_departments_pages_of_every_year_and_language_are_in_one_part():
    pages = ["zh/2024/town/index.html", "en/2025/town/index.html", "zh/2025/town/school/index.html"]
    assert len({search.shard_of(p, 16) for p in pages}) == 1
    assert search.shard_of("zh/2024/index.html", 16) is None  # a year index: not a document
    assert search.shard_of("zh/2024/overview/index.html", 16) is None
    assert search.shard_of("zh/history/town/index.html", 16) is None
    assert {search.shard_of(f"zh/2024/d{i}/index.html", 4) for i in range(40)} == {0, 1, 2, 3}


def build(content: Path, out: Path, cache: Path) -> Path:
    with publish.staging(out) as folder:
        result = run_pelican(content, folder, "BUDGET_PDF=false", f"BUDGET_SEARCH_SHARDS={SHARDS}", cache=cache)
        assert result.returncode == 0, result.stdout + result.stderr
        publish.publish(out, folder)
    return folder


def entries(site: Path) -> dict[str, int]:
    """Each part's entry file and its inode (a new inode: indexed again)."""
    return {search.bundle(i): (site / search.bundle(i) / "pagefind-entry.json").stat().st_ino for i in range(SHARDS)}


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shards")
    content, out, cache = tmp / "content", tmp / "site" / "output", tmp / "cache"
    files = make_district(content, 8)
    first = build(content, out, cache)
    seen = {"first": entries(first)}
    again = build(content, out, cache)
    seen["again"] = entries(again)
    edited_file = files[3]
    edit_one(edited_file)
    edited = build(content, out, cache)
    seen["edited"] = entries(edited)
    seen["stamp"] = json.loads((cache / search.STAMP).read_text(encoding="utf-8"))
    slug = next(line.split(": ")[1] for line in edited_file.read_text(encoding="utf-8").splitlines()
                if line.startswith("  slug: "))
    cold = build(content, tmp / "cold" / "output", tmp / "cold-cache")
    return {"site": edited, "seen": seen, "slug": slug, "tmp": tmp, "cold": cold}


def test_every_document_page_is_in_exactly_one_part(district):
    site = district["site"]
    documents = [p for p in search.html_pages(site) if search.shard_of(p, 1) is not None]
    assert documents
    counted = 0
    for i in range(SHARDS):
        entry = json.loads((site / search.bundle(i) / "pagefind-entry.json").read_text(encoding="utf-8"))
        counted += sum(lang["page_count"] for lang in entry["languages"].values())
    assert counted == len(documents) + sum(
        1 for i in range(SHARDS) if not any(search.shard_of(p, SHARDS) == i for p in documents))  # an empty part: one blank page
    assert (site / search.BUNDLE / "pagefind-ui.js").is_file()
    page = (site / "zh" / "search" / "index.html").read_text(encoding="utf-8")
    assert all(f"{search.bundle(i)}/" in page for i in range(1, SHARDS))  # the search page merges the parts


def test_a_rebuild_with_nothing_changed_indexes_no_part(district):
    seen = district["seen"]
    assert seen["again"] == seen["first"]  # every part linked from the published build


def test_an_edit_indexes_only_its_departments_part(district):
    seen = district["seen"]
    shard = search.shard_of(f"zh/2024/{district['slug']}/index.html", SHARDS)
    changed = {name for name in seen["edited"] if seen["edited"][name] != seen["again"][name]}
    assert changed == {search.bundle(shard)}
    # begun as soon as the document pages were made (search.Early), from their files in the page cache
    assert seen["stamp"]["begun early"] == [shard] and seen["stamp"]["indexed"] == [shard]


def test_an_index_made_in_parts_and_begun_early_is_the_index_of_a_build_from_nothing(district):
    def index(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / search.BUNDLE).rglob("*") if p.is_file()}

    edited, cold = index(district["site"]), index(district["cold"])
    assert edited.keys() == cold.keys() and [name for name in edited if edited[name] != cold[name]] == []


@pytest.mark.browser
def test_the_browser_finds_pages_of_every_part(browser, district):  # noqa: F811
    site = district["site"]
    served = district["tmp"] / "served"
    shutil.copytree(site, served, symlinks=False)
    parts = {search.shard_of(p, SHARDS) for p in search.html_pages(served)
             if p.startswith("zh/") and "anting" in p and search.shard_of(p, 1) is not None}  # the pages with the word
    assert len(parts) > 1
    problems: list[str] = []
    with serve_under(served) as base:
        context = browser.new_context()
        tab = context.new_page()
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.goto(f"{base}{PREFIX}zh/search/?q={quote('联勤')}", wait_until="load")  # a project of every anting copy
        tab.wait_for_selector(".pagefind-ui__result-link", timeout=20000)
        tab.wait_for_timeout(1500)
        more = tab.query_selector(".pagefind-ui__button")
        while more is not None:  # "load more results" until all are shown
            more.click()
            tab.wait_for_timeout(500)
            more = tab.query_selector(".pagefind-ui__button")
        links = [a.get_attribute("href") for a in tab.query_selector_all(".pagefind-ui__result-link")]
        context.close()
    found = {search.shard_of(link[len(PREFIX):].split("#")[0] + "index.html", SHARDS) for link in links}
    assert found == parts, links
    assert not problems, problems


def test_parts_begun_early_are_the_parts_pagefind_makes_from_the_written_site(district, tmp_path):
    """search.Early links the pages' files in the page cache; run_shards() links the written pages."""
    from generator.core.settings import BudgetSettings

    site = tmp_path / "site"
    shutil.copytree(district["cold"], site, ignore=shutil.ignore_patterns(search.BUNDLE))
    documents = [p for p in search.html_pages(site) if search.shard_of(p, 1) is not None]
    parts, _, _ = search.plan(None, documents, SHARDS, None)
    search.run_shards(site, parts, BudgetSettings())
    late = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / search.BUNDLE).rglob("*") if p.is_file()}
    early = {p.relative_to(district["cold"]).as_posix(): p.read_bytes()
             for p in (district["cold"] / search.BUNDLE).rglob("*") if p.is_file()}
    assert early.keys() == late.keys() and [name for name in late if late[name] != early[name]] == []


def test_the_parts_of_files_computed_in_this_build_are_made_first():
    """plugin.document_pages makes the documents part by part (search.in_parts), the part an edit changed first,
    so that its Pagefind run begins while the other documents are made (search.Early.ready)."""
    class Doc:
        def __init__(self, slug: str, fresh: bool):
            self.slug, self.year, self.computed_now = slug, 2024, fresh

    class Early:
        count = 4

    docs = [Doc(f"dept-{i}", i == 7) for i in range(20)]
    parts = search.in_parts(Early(), docs)
    assert [db.slug for _, db in parts[0][1]].count("dept-7") == 1  # the edited document's part first
    assert [p for p, _ in parts[1:]] == sorted(p for p, _ in parts[1:])  # then the others, in order
    assert sorted(n for _, dbs in parts for n, _ in dbs) == list(range(20))  # every document once, with its place
    assert all(search.shard_of(f"zh/2024/{db.slug}/index.html", 4) == p for p, dbs in parts for _, db in dbs)
    assert search.in_parts(None, docs) == [(0, list(enumerate(docs)))]
