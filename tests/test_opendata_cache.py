"""The open data through the page cache (issue 12): a rebuild with a document unchanged reads its
data files back instead of generating them; an edited budget file regenerates only the documents
made of it (its own, and next year's of the same department, which compares with it).

Generation is counted by wrapping the generators (document_files, workbook), not by timing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.outputs import datafiles as df
from generator.outputs import opendata as od
from generator.outputs.cache import PageCache


@pytest.fixture()
def calls(monkeypatch) -> Counter:
    """How often each generator ran, by name, and for which documents."""
    counted: Counter = Counter()
    files, book, site = od.document_files, od.workbook, od.packages.site_package

    def document_files(db, report):
        counted["document_files"] += 1
        counted[(db.year, db.slug)] += 1
        return files(db, report)

    def workbook(*args):
        counted["workbook"] += 1
        return book(*args)

    def site_package(*args):
        counted["site_package"] += 1
        return site(*args)

    monkeypatch.setattr(od, "document_files", document_files)
    monkeypatch.setattr(od.packages, "site_package", site_package)
    monkeypatch.setattr(od, "workbook", workbook)
    return counted


def sources(edited: dict[tuple[str, int], str] | None = None):
    """A stand-in for the build's hash of a department's budget file of a year."""
    edited = edited or {}
    return lambda db, year: edited.get((db.document.department.slug, year), f"{db.document.department.slug} {year}")


def build(content, folder: Path, source=None, version: str = "v1") -> tuple[df.OpenData, df.DataCache]:
    pages = PageCache(folder, version)
    cache = df.DataCache(pages, source or sources())
    data = df.OpenData(content.budgets, content.report, cache)
    pages.commit()
    return data, cache


def test_a_rebuild_with_nothing_changed_generates_no_data_file(content, tmp_path, calls):
    plain = df.OpenData(content.budgets, content.report)  # without the cache
    assert calls["workbook"] == len(content.budgets)
    calls.clear()
    first, cache = build(content, tmp_path)
    assert calls["document_files"] == calls["workbook"] == cache.generated == len(content.budgets)
    calls.clear()
    again, cache = build(content, tmp_path)
    assert calls["document_files"] == calls["workbook"] == cache.generated == calls["site_package"] == 0
    assert cache.hits == len(content.budgets)
    assert again.files == first.files == plain.files  # the same bytes, text as text and the workbook as bytes
    assert list(again.files) == list(plain.files)  # in the same order
    assert again.downloads == first.downloads == plain.downloads  # the sizes the downloads block lists


def test_an_edited_budget_file_regenerates_only_the_documents_made_of_it(content, tmp_path, calls):
    first, _ = build(content, tmp_path)
    db = next(d for d in content.budgets if d.kind == "department" and any(
        u.document.department.slug == d.document.department.slug and u.year == d.year and u.kind == "unit"
        for u in content.budgets))
    department = db.document.department.slug
    calls.clear()
    edited, cache = build(content, tmp_path, sources({(department, db.year): "edited"}))
    expected = {(d.year, d.slug) for d in content.budgets
                if d.document.department.slug == department and d.year in (db.year, db.year + 1)}
    assert {k for k in calls if isinstance(k, tuple)} == expected
    assert len(expected) > 1  # the department's document and its unit's (and next year's, if there is one)
    assert cache.generated == calls["workbook"] == len(expected)
    assert cache.hits == len(content.budgets) - len(expected)
    assert calls["site_package"] == 1  # data/datapackage.json lists every document's CSVs
    assert edited.files == first.files  # the content did not change, only its hash


def test_a_new_version_of_the_build_generates_everything_again(content, tmp_path, calls):
    build(content, tmp_path)
    calls.clear()
    _, cache = build(content, tmp_path, version="v2")  # the generator's code, the catalogues, the settings
    assert cache.generated == calls["workbook"] == len(content.budgets)


def test_nothing_is_stored_before_the_build_has_verified(content, tmp_path, calls):
    pages = PageCache(tmp_path, "v1")
    df.OpenData(content.budgets, content.report, df.DataCache(pages, sources()))  # no commit(): a failing build
    assert not list(tmp_path.rglob("*.bin"))
    calls.clear()
    _, cache = build(content, tmp_path)
    assert cache.generated == len(content.budgets)


def test_a_damaged_cache_file_is_generated_again(content, tmp_path, calls):
    first, cache = build(content, tmp_path)
    before = first.files
    blobs = [p for p in tmp_path.rglob("*.bin") if not p.name.endswith(".list.bin")]
    assert len(blobs) == len(content.budgets) + 1  # and data/datapackage.json; beside each blob its listing
    assert len(list(tmp_path.rglob("*.list.bin"))) == len(content.budgets)
    stored = [Path(cache.pages._path(cache.key(db), ".bin")) for db in content.budgets[:2]]
    stored[0].write_bytes(stored[0].read_bytes()[:100])  # cut short
    stored[1].write_bytes(b"not a blob")
    calls.clear()
    again, cache = build(content, tmp_path)
    assert cache.generated == calls["workbook"] == 0  # the listings are whole: nothing read yet
    assert again.files == before  # read when written: the damaged ones generated again
    assert cache.generated == calls["workbook"] == 2
    listed = Path(cache.pages._path(f"{cache.key(content.budgets[0])}.list", ".bin"))
    listed.write_bytes(b'{"sizes": []}')  # JSON, but not a whole listing
    calls.clear()
    third, cache = build(content, tmp_path)
    assert cache.hits == len(content.budgets) - 1 and third.files == before  # that listing made again


def test_a_document_not_written_is_never_read(content, tmp_path, calls):
    build(content, tmp_path)
    calls.clear()
    again, cache = build(content, tmp_path)
    for _, doc in again.documents.values():
        assert doc._files is None  # the downloads' sizes came from the listing
    assert again.downloads and cache.hits == len(content.budgets) and calls["document_files"] == 0


def test_pack_keeps_text_and_bytes_apart():
    files = {"a.csv": "\ufeffcode,名称\r\n", "b.xlsx": b"PK\x03\x04\n\x00", "c.json": "", "d.bin": b""}
    assert df.unpack(df.pack(files)) == files
    assert [type(v) for v in df.unpack(df.pack(files)).values()] == [str, bytes, str, bytes]
    assert df.unpack(b"") is None and df.unpack(df.pack(files)[:-3]) is None


def test_a_csv_row_with_a_key_the_dictionary_lacks_is_an_error():
    row = {f.name: "" for f in od.dd.CATALOGUE.fields}
    assert od.csv_text(od.dd.CATALOGUE, [row]).startswith("\ufeff" + ",".join(od.dd.CATALOGUE.header) + "\r\n")
    with pytest.raises(ValueError, match="not in the data dictionary"):
        od.csv_text(od.dd.CATALOGUE, [{**row, "typo": "x"}])


def test_the_site_package_made_from_each_documents_part_is_the_whole_package_encoded(content):
    years = sorted({db.year for db in content.budgets})
    ordered = sorted(content.budgets, key=lambda db: (db.year, db.slug))
    whole = od.packages.site_package([od.packages.site_resources(db, list(db.tables)) for db in ordered], years)
    assert od.packages.site_package_text([df.site_fragment(db) for db in ordered], years) == od.dumps(whole, compact=True)
    assert od.packages.site_package_text([], []) == od.dumps(od.packages.site_package([], []), compact=True)


def test_a_listing_is_kept_as_its_head_and_the_site_part_as_it_is():
    from generator.outputs.datafiles import listing_bytes, read_listing

    listed = {"sizes": [["table-01.csv", 10]], "tables": ["01"], "schemas": [], "site": '[{"name":"a\\nb"}]'}
    blob = listing_bytes(listed)
    assert blob.count(b"\n") == 1 and blob.endswith(b'[{"name":"a\\nb"}]')  # the part unescaped, on one line
    assert read_listing(blob) == listed
    assert read_listing(blob.split(b"\n")[0]) is None  # cut after the head: made again
    assert read_listing(b'{"sizes": []}\n[]') is None  # not whole
