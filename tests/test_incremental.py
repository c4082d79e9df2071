"""Incremental builds (issue 12): the page cache renders only what an edit changed.

Renders are counted by the build itself (`.cache/pages/last-build.json`: every page and PDF
HTML it rendered, by output path), not by timing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, run_pelican

from generator.outputs.readback import read_around, read_page

INDEXES = {"index.html", "pages", "zh/index.html", "en/index.html"}


def renders(cache: Path) -> list[str]:
    return json.loads((cache / "pages" / "last-build.json").read_text(encoding="utf-8"))["rendered"]


def digests(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture()
def district(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    return content


def build(content: Path, out: Path, cache: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)  # a fresh output folder each time, as `invoke build` publishes one
    result = run_pelican(content, out, "BUDGET_PDF=false", cache=cache)
    assert result.returncode == 0, result.stdout + result.stderr
    return digests(out)


def test_a_rebuild_with_nothing_changed_renders_nothing(district, tmp_path):
    cache = tmp_path / "cache"
    first = build(district, tmp_path / "out", cache)
    cold = renders(cache)
    assert "zh/2024/anting-city-operations/index.html" in cold and "en/2025/index.html" in cold and "pages" in cold
    again = build(district, tmp_path / "out", cache)
    assert renders(cache) == []
    assert again == first  # the same site, byte for byte, from the cache
    assert any((cache / "templates").iterdir())  # and its templates compiled once, kept beside the pages


def test_an_edit_of_prose_renders_its_pages_and_no_index(district, tmp_path):
    cache = tmp_path / "cache"
    first = build(district, tmp_path / "out", cache)
    seed = district / "budgets" / "2024" / "anting-city-operations.yaml"
    text = seed.read_text(encoding="utf-8")
    at = text.index("  zh: |\n", text.index("\nfunctions:")) + len("  zh: |\n")
    seed.write_text(text[:at] + "    本段为测试所加。\n\n" + text[at:], encoding="utf-8")
    edited = build(district, tmp_path / "out", cache)
    # the index pages show the documents' briefs (names, totals, money by function and source), which prose
    # does not change; the data page prints the data package's size, so it is rendered if that changed
    data = [page for page in ("zh/data/index.html", "en/data/index.html") if edited[page] != first[page]]
    assert sorted(renders(cache)) == sorted(["zh/2024/anting-city-operations/index.html",
                                             "en/2024/anting-city-operations/index.html", *data])
    assert "本段为测试所加。" in edited["zh/2024/anting-city-operations/index.html"].decode()
    # the site from the cache is the site built from scratch
    assert edited == build(district, tmp_path / "fresh", tmp_path / "fresh-cache")


def test_an_edit_the_indexes_show_renders_the_indexes_that_list_it(district, tmp_path):
    cache = tmp_path / "cache"
    build(district, tmp_path / "out", cache)
    seed = district / "budgets" / "2024" / "anting-city-operations.yaml"
    text = seed.read_text(encoding="utf-8")
    name = "    en: City Operation Management Centre of Anting Town, Jiading District, Shanghai\n"
    assert name in text
    seed.write_text(text.replace(name, "    en: Anting Town City Operation Management Centre\n", 1), encoding="utf-8")
    edited = build(district, tmp_path / "out", cache)
    assert sorted(renders(cache)) == sorted([
        *[f"{lang}/{page}" for lang in ("zh", "en") for page in (
            "2024/anting-city-operations/index.html",  # its pages
            "index.html", "2024/index.html", "2024/overview/index.html", "data/index.html",  # what lists it
            "history/anting-city-operations/index.html")],  # its history
        "index.html",
    ])  # not the 2025 pages (their briefs are the same), the search pages or the Markdown pages
    assert "Anting Town City Operation Management Centre" in edited["en/2024/index.html"].decode()
    # rendering the indexes that list every document loads no other document: they read its brief
    assert json.loads((cache / "pages" / "last-build.json").read_text(encoding="utf-8"))["loaded"] == []
    assert edited == build(district, tmp_path / "fresh", tmp_path / "fresh-cache")


def test_a_theme_change_renders_everything_again(district, tmp_path):
    cache = tmp_path / "cache"
    build(district, tmp_path / "out", cache)
    pages = district / "pages" / "about.md"
    pages.write_text(pages.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build(district, tmp_path / "out", cache)
    assert {"zh/2025/putuo-government-office/index.html", "pages", "index.html"} <= set(renders(cache))


def test_a_fragment_read_once_reads_like_the_whole_page():
    body = '<td data-cell="01.a.amount">1.00</td><span data-figure="total">5</span>'
    page = f'<html><body><p data-figure="x">2</p>{body}<td data-cell="01.a.amount 01.b.amount">3</td></body></html>'
    whole, around = read_page(page), read_around(page, body, read_page(body))
    assert sorted(around.cells.items()) == sorted(whole.cells.items())
    assert sorted(around.figures) == sorted(whole.figures) and around.duplicates == whole.duplicates == ["01.a.amount"]


def test_a_template_is_compiled_once_and_again_when_it_changes(tmp_path):
    from jinja2 import Environment, FileSystemLoader

    from generator.outputs.cache import TemplateCache

    (tmp_path / "theme").mkdir()
    page = tmp_path / "theme" / "page.html"
    page.write_text("{{ 1 + 1 }}", encoding="utf-8")

    def environment(cache: Path) -> Environment:
        return Environment(loader=FileSystemLoader(tmp_path / "theme"), bytecode_cache=TemplateCache(str(cache)))

    assert environment(tmp_path / "cache").get_template("page.html").render() == "2"
    cached = environment(tmp_path / "cache")
    cached.compile = lambda *args, **kwargs: pytest.fail("compiled again")  # type: ignore[method-assign]
    assert cached.get_template("page.html").render() == "2"
    page.write_text("{{ 2 + 2 }}", encoding="utf-8")
    assert environment(tmp_path / "cache").get_template("page.html").render() == "4"
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    assert environment(tmp_path / "a-file").get_template("page.html").render() == "4"  # a cache it cannot use is skipped


def test_the_page_cache_is_swept_of_old_entries_at_most_once_a_day(tmp_path):
    import os
    import time

    from generator.core.sweep import STAMP
    from generator.outputs.cache import PageCache

    def old_entry(name: str) -> Path:
        path = tmp_path / "pages" / "ab" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<p>old</p>", encoding="utf-8")
        os.utime(path, (time.time() - 40 * 86400,) * 2)
        return path

    first = old_entry("first.html")
    PageCache(tmp_path / "pages", "v")._prune()
    assert not first.exists()  # unused for 40 days: removed
    second = old_entry("second.html")
    PageCache(tmp_path / "pages", "v")._prune()
    assert second.exists()  # swept today already: the next build does not visit every entry again
    os.utime(tmp_path / "pages" / STAMP, (time.time() - 2 * 86400,) * 2)
    PageCache(tmp_path / "pages", "v")._prune()
    assert not second.exists()


def test_the_page_cache_key_leaves_out_only_the_code_that_cannot_change_a_page(tmp_path, monkeypatch):
    """Publishing, linking, archiving and the importer decide where files go or read PDFs: a change to
    them keeps the cached pages; a change anywhere else in the generator renders them again."""
    import generator
    from generator.outputs import cache

    code = tmp_path / "generator"
    shutil.copytree(Path(generator.__file__).parent, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(generator, "__file__", str(code / "__init__.py"))
    theme, content = Path(CONTENT).parent / "themes" / "budget", tmp_path / "content"
    content.mkdir()

    def version() -> str:
        return cache.PageCache.of(tmp_path / "pages", str(theme), content, content / "budgets", {}).version

    before = version()
    for name in cache.NOT_RENDERING:
        path = code / name
        assert path.exists(), name
        target = path if path.is_file() else next(path.glob("*.py"))
        target.write_text(target.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert version() == before
    render = code / "present" / "render.py"
    render.write_text(render.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert version() != before


def test_a_budget_file_is_hashed_once_per_build(tmp_path):
    """The page keys use the hashes the compute cache read the files with (pipeline.Content.hashes)."""
    from generator.outputs.cache import PageCache

    seed = tmp_path / "budget.yaml"
    seed.write_text("year: 2024\n", encoding="utf-8")
    known = PageCache.of(tmp_path / "pages", str(tmp_path), tmp_path, tmp_path, {}, {str(seed.absolute()): "read before"})
    assert known.file(seed) == "read before"  # not read again
    fresh = PageCache.of(tmp_path / "pages", str(tmp_path), tmp_path, tmp_path, {})
    assert fresh.file(seed) == hashlib.sha256(b"year: 2024\n").hexdigest()
