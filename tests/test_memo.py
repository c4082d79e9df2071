"""The compute cache (issue 12, generator/memo.py): a warm `budget check` or build reads no unchanged
budget file again, and always gives what an uncached run gives, issue for issue.

Files are counted by the calls of `generator.memo.read_file` (every file the cache does not serve is read).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, FIXTURES, make_content, run_pelican, seed_text

from generator import memo
from generator.cli import main
from generator.pipeline import load_content

TOWN_2024 = (FIXTURES / "units" / "town-2024.yaml").read_text(encoding="utf-8")
TOWN_2025 = (FIXTURES / "units" / "town-2025.yaml").read_text(encoding="utf-8")
TYPED = 'last_year:\n  functions: {"2010301": 91000}\n'  # 90,000 in town-2024.yaml: E306


def town_2025(block: str = TYPED) -> str:
    return TOWN_2025.replace("\nbasic:\n", "\n" + block + "basic:\n", 1)


def same(content):
    return [(i.code, i.location, i.format("en"), i.format("zh"), repr(i.params)) for i in content.issues]


@pytest.fixture()
def reads(monkeypatch):
    """The display paths of the files read (not served by the cache)."""
    seen: list[str] = []
    real = memo.read_file

    def spy(path, shown=None):
        seen.append(Path(path).name if shown is None else shown)
        return real(path, shown)

    monkeypatch.setattr(memo, "read_file", spy)
    return seen


@pytest.fixture()
def content(tmp_path):
    return make_content(tmp_path, {"2024/town.yaml": TOWN_2024, "2025/town.yaml": town_2025(),
                                   "2024/seed.yaml": seed_text()})


def check(content: Path, cache: Path, keep: bool = False, **kw):
    """The cached run, asserted equal to the uncached one."""
    found = load_content(content, root=content, keep=keep, cache=cache, **kw)
    plain = load_content(content, root=content, keep=keep, **kw)
    assert same(found) == same(plain)
    assert [(db.slug, db.year) for db in found.budgets] == [(db.slug, db.year) for db in plain.budgets]
    assert sorted(found.reports) == sorted(plain.reports)
    return found


def test_a_warm_check_reads_no_unchanged_file_and_an_edit_reads_only_that_file(content, tmp_path, reads):
    cache = tmp_path / "cache"
    cold = load_content(content, root=content, keep=False, cache=cache)
    assert "E306" in [i.code for i in cold.issues]
    assert len(reads) == 3
    reads.clear()
    warm = load_content(content, root=content, keep=False, cache=cache)
    assert reads == [] and same(warm) == same(cold)
    seed = content / "budgets" / "2024" / "seed.yaml"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    check(content, cache)
    assert reads == ["budgets/2024/seed.yaml"]


def test_editing_last_years_file_recomputes_next_years(content, tmp_path, reads):
    cache = tmp_path / "cache"
    check(content, cache)
    town = content / "budgets" / "2024" / "town.yaml"
    town.write_text(TOWN_2024 + "\n# a comment: last year's figures unchanged\n", encoding="utf-8")
    reads.clear()
    check(content, cache)
    assert reads == ["budgets/2024/town.yaml"]  # its figures did not change: 2025 is not recomputed
    town.unlink()  # 2025 has no last year's file now: its typed figures stand alone (E306 gone)
    reads.clear()
    found = check(content, cache)
    assert reads == ["budgets/2025/town.yaml"] and "E306" not in [i.code for i in found.issues]
    town.write_text(TOWN_2024, encoding="utf-8")
    reads.clear()
    found = check(content, cache)  # the 2024 entry is still cached; 2025 is recomputed against it
    assert reads == ["budgets/2025/town.yaml"] and "E306" in [i.code for i in found.issues]


@pytest.mark.parametrize("change", ["catalogue", "profile", "code", "default profile"])
def test_a_catalogue_profile_or_code_change_recomputes_every_file(content, tmp_path, reads, monkeypatch, change):
    cache = tmp_path / "cache"
    check(content, cache)
    kw = {}
    if change == "catalogue":
        (content / "catalogue").mkdir()
        (content / "catalogue" / "2024.yaml").write_text("functional:\n  - {code: '2019999', name: x}\n  - 3\n",
                                                        encoding="utf-8")
    elif change == "profile":
        (content / "profiles").mkdir()
        (content / "profiles" / "other.yaml").write_text("name: other\n", encoding="utf-8")
    elif change == "code":
        monkeypatch.setattr(memo, "_code", ["another version"])
    else:
        kw = {"profile": "shanghai-putuo"}
    reads.clear()
    check(content, cache, **kw)
    assert len(reads) == 3


@pytest.mark.parametrize("keep", [False, True])
def test_warm_issues_are_the_cold_ones_on_broken_content(tmp_path, reads, keep):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "hostile" / "content", content)
    budgets = sorted((content / "budgets").rglob("*.yaml"))
    shutil.copy(budgets[0], budgets[0].with_name("again.yaml"))  # E204, found afresh on a warm run
    cache = tmp_path / "cache"
    cold = check(content, cache, keep=keep)
    assert any(i.severity == "error" for i in cold.issues) and any(i.severity == "warning" for i in cold.issues)
    assert "E204" in [i.code for i in cold.issues]
    reads.clear()
    warm = check(content, cache, keep=keep)
    assert same(warm) == same(cold)
    assert len(reads) <= 1  # an unreadable file has no entry; any other is served


@pytest.mark.parametrize("keep", [False, True])
def test_a_corrupt_entry_is_recomputed(content, tmp_path, reads, keep):
    cache = tmp_path / "cache"
    check(content, cache, keep=keep)
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert entries
    for n, path in enumerate(entries):
        path.write_bytes(b"" if n % 2 else b"\x80\x05garbage")
    reads.clear()
    check(content, cache, keep=keep)
    assert len(reads) == 3
    reads.clear()
    check(content, cache, keep=keep)
    assert reads == []


def test_a_cache_that_cannot_be_written_is_skipped(content, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    check(content, blocked / "compute")
    check(content, blocked / "compute", keep=True)


def test_budget_check_uses_the_build_cache_folder_unless_no_cache(content, capsys):
    assert main(["check", "--content", str(content), "--no-cache", "--json"]) == 1
    plain = capsys.readouterr().out
    assert not (content.parent / ".cache").exists()
    assert main(["check", "--content", str(content), "--json"]) == 1
    assert capsys.readouterr().out == plain
    assert list((content.parent / ".cache" / "compute").rglob("*.check"))
    assert main(["check", "--content", str(content), "--json"]) == 1
    assert capsys.readouterr().out == plain


def test_a_build_with_a_warm_cache_writes_the_same_site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    cache = tmp_path / "cache"
    sites = []
    for n in range(2):
        out = tmp_path / f"out{n}"
        result = run_pelican(content, out, "BUDGET_PDF=false", cache=cache)
        assert result.returncode == 0, result.stdout + result.stderr
        sites.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.html"))})
        if n == 0:
            shutil.rmtree(cache / "pages")  # the pages are rendered again, from the cached computation
    assert list((cache / "compute").rglob("*.build"))
    assert sites[0] == sites[1] and sites[0]


def test_other_versions_entries_are_pruned(content, tmp_path):
    import os
    import time

    from generator.core.sweep import STAMP

    cache = tmp_path / "cache"
    check(content, cache)
    (here,) = [p for p in cache.iterdir()]
    old = time.time() - 40 * 86400
    others = []
    for n in range(6):
        other = cache / f"other{n}"
        (other / "ab").mkdir(parents=True)
        (other / "ab" / "x.check").write_bytes(b"")
        os.utime(other, (old, old) if n == 0 else (old + 86400 * (30 + n),) * 2)
        others.append(other)
    stale = here / "ab" / "stale.check"
    stale.parent.mkdir(exist_ok=True)
    stale.write_bytes(b"")
    os.utime(stale, (old, old))
    check(content, cache)
    assert stale.exists()  # this version's entries: swept once a day, and the first check swept them today
    os.utime(here / STAMP, (old, old))
    check(content, cache)
    kept = sorted(p.name for p in cache.iterdir())
    assert kept == sorted([here.name, "other5", "other4", "other3"])  # the last 3 used; 40 days old: gone
    assert not stale.exists() and list(here.rglob("*.check"))


def test_a_lazy_build_defers_unchanged_documents_until_they_are_read(content, tmp_path, reads):
    cache = tmp_path / "cache"
    cold = check(content, cache, keep=True)
    reads.clear()
    lazy = load_content(content, root=content, keep=True, cache=cache, lazy=True)
    assert reads == [] and same(lazy) == same(cold)
    assert all(isinstance(db, memo.Deferred) and not db.loaded for db in lazy.budgets)
    for db, full in zip(lazy.budgets, cold.budgets, strict=True):
        assert (db.slug, db.year, db.kind, db.department_slug, db.source_path, db.file_stem) == \
            (full.slug, full.year, full.kind, full.department_slug, full.source_path, full.file_stem)
        assert db.brief == full.brief  # what the index pages read, without loading
        assert not db.loaded
    db = lazy.budgets[0]
    assert db.tables["01"].cells() == cold.budgets[0].tables["01"].cells()  # anything else: loaded now
    assert db.loaded and lazy.report(db).issues == cold.report(cold.budgets[0]).issues


def test_a_lazy_build_computes_a_changed_file_and_defers_the_rest(content, tmp_path):
    cache = tmp_path / "cache"
    check(content, cache, keep=True)
    seed = content / "budgets" / "2024" / "seed.yaml"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    lazy = load_content(content, root=content, keep=True, cache=cache, lazy=True)
    assert all(isinstance(db, memo.Deferred) for db in lazy.budgets)  # stored, so let go of once used
    in_memory = {db.slug for db in lazy.budgets if db._entry.value is not None}
    assert in_memory == {db.slug for db in lazy.budgets if db.source_path.endswith("seed.yaml")} != set()
    assert not any(db.loaded for db in lazy.budgets)  # nothing read from the cache
    plain = load_content(content, root=content, keep=True)
    assert same(lazy) == same(plain)
    db = next(db for db in lazy.budgets if db.slug in in_memory)
    db.release()
    assert db._entry.value is None and db.tables and db.loaded  # read again from the cache


def test_an_entry_keeps_of_a_document_exactly_what_next_years_file_reads(content):
    from generator.compute import last_year
    from generator.core.digests import digest

    for db in load_content(content, root=content, keep=True).budgets:
        slug, year, values, figures = memo.Previous.kept(db)
        kept = memo.Previous(year, values, figures)
        assert (slug, year) == (db.slug, db.year)
        assert last_year.computed(kept) == last_year.computed(db)
        assert figures == digest(str(year), repr(sorted(last_year.computed(kept).items())))
        assert len(values) < len(db.figures) / 2  # not every figure: only what last_year.computed reads
