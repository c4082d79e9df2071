"""Which data files the site has, and where their bytes come from: each document's files made
(opendata.document_files) or kept in the page cache, its downloads block, the site's own files.

A document's files are made of its budget file and its department's file of the year before (last
year's figures, the reconciliation) under the build's version (the generator's code, the catalogues,
profiles): with a DataCache they are kept in the page cache (cache.py) under the hash of those, beside
their listing (names and sizes) and their part of the site's data package; a rebuild with the document
unchanged reads the listing only, and the files themselves only if they must be written (relink.py
links the published build's copies by their token otherwise).
"""

from __future__ import annotations

import contextlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.catalogue import Catalogue
from generator.compute.budget import DepartmentBudget
from generator.deferred import real
from generator.outputs import datadict as dd
from generator.outputs import opendata, packages
from generator.outputs.cache import PageCache
from generator.outputs.opendata import catalogue_rows, csv_text, dumps, folder, size
from generator.reconcile.checks import Report


@dataclass(frozen=True)
class Download:
    """One file of the downloads block: its spec (the dictionary entry), path below the site, size in bytes."""

    spec: dd.FileSpec
    path: str
    size: int
    parts: tuple[tuple[str, str], ...] = ()  # the tables: (number, path) of each CSV


def pack(files: dict[str, str | bytes]) -> bytes:
    """A document's files in one blob (zlib, fast): a JSON line of (name, "t" text or "b" bytes, length), then the bytes."""
    parts = [(name, "t", content.encode("utf-8")) if isinstance(content, str) else (name, "b", content)
             for name, content in files.items()]
    head = json.dumps([[name, kind, len(data)] for name, kind, data in parts]).encode() + b"\n"
    return zlib.compress(head + b"".join(data for _, _, data in parts), 1)


def unpack(blob: bytes) -> dict[str, str | bytes] | None:
    """The files of pack(); None if the blob is not one (a damaged cache file: generated again)."""
    try:
        blob = zlib.decompress(blob)
        end = blob.index(b"\n")
        at, files = end + 1, {}
        for name, kind, length in json.loads(blob[:end]):
            data = blob[at:at + length]
            at += length
            files[name] = data.decode("utf-8") if kind == "t" else data
        return files if at == len(blob) else None
    except (zlib.error, ValueError, TypeError, UnicodeDecodeError):
        return None


class DocumentData:
    """One document's data files: their names and sizes now, their bytes when they are written (a cached
    document's are read from the cache only if the published build does not already have them: relink.py).
    `token`: what the files are made of (the DataCache key), None without a cache."""

    def __init__(self, listing: dict[str, Any], load: Callable[[], dict[str, str | bytes]], token: str | None = None):
        self.listing, self._load, self.token = listing, load, token
        self._files: dict[str, str | bytes] | None = None

    @classmethod
    def made(cls, db: DepartmentBudget, files: dict[str, str | bytes], token: str | None = None) -> DocumentData:
        doc = cls(listing(db, files), lambda: files, token)
        doc._files = files
        return doc

    def site(self) -> str:
        """The document's part of the site's data package (packages.site_package_text)."""
        return self.listing["site"]

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.listing["sizes"]]

    def size(self, name: str) -> int:
        return dict(self.listing["sizes"])[name]

    def files(self) -> dict[str, str | bytes]:
        if self._files is None:
            self._files = self._load()
        return self._files

    def file(self, name: str) -> str | bytes:
        return self.files()[name]

    def release(self) -> None:
        """Let go of the bytes (read again if asked for)."""
        self._files = None


_LISTED = {"sizes", "tables", "site", "schemas"}


def listing(db: DepartmentBudget, files: dict[str, str | bytes]) -> dict[str, Any]:
    """What the pages and the site's files need of a document's files: their names and sizes, its tables,
    its part of the site's data package and the shared schemas that part uses."""
    return {"sizes": [[name, size(content)] for name, content in files.items()], "tables": list(db.tables),
            "site": site_fragment(db), "schemas": packages.site_schemas(db, list(db.tables))}


def listing_bytes(listed: dict[str, Any]) -> bytes:
    """A listing as the cache keeps it: its JSON but the site's part, a newline, then that part as it is
    (compact JSON, one line), so that reading 1,500 listings does not parse 1,500 escaped copies of it."""
    head = {k: v for k, v in listed.items() if k != "site"}
    return json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n" + listed["site"].encode("utf-8")


def read_listing(blob: bytes) -> dict[str, Any] | None:
    """A listing the cache kept (None: damaged or not whole, so made again)."""
    head, newline, site = blob.partition(b"\n")
    try:
        found = json.loads(head)
        if not newline or not isinstance(found, dict) or found.keys() != _LISTED - {"site"}:
            return None
        found["site"] = site.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return found


def site_fragment(db: DepartmentBudget) -> str:
    """The document's CSVs as resources of the site's data package, as compact JSON (packages.site_package_text)."""
    return dumps(packages.site_resources(db, list(db.tables)), compact=True).rstrip("\n")


class DataCache:
    """Each document's files in the page cache, under the hash of the build's version (PageCache.key) and
    of its budget files (`source(db, year)`: the hash of the department's file of that year, "" if none);
    beside them, their listing (names, sizes), so a document whose files are not written is never read."""

    def __init__(self, pages: PageCache, source: Callable[[DepartmentBudget, int], str]):
        self.pages, self.source = pages, source
        self.hits = self.generated = 0

    def key(self, db: DepartmentBudget) -> str:
        return self.pages.key("data", str(db.year), db.slug, db.kind, self.source(db, db.year), self.source(db, db.year - 1))

    def document(self, db: DepartmentBudget, report: Callable[[], Report]) -> DocumentData:
        key = self.key(db)
        listed = self.pages.get_bytes(f"{key}.list")
        found = read_listing(listed) if listed is not None else None
        if found is not None:
            self.hits += 1
            return DocumentData(found, partial(self.files, db, report), key)
        files = self.files(db, report)
        made = DocumentData.made(db, files, key)
        self.pages.put_bytes(f"{key}.list", listing_bytes(made.listing))
        # not kept in memory: read back from the cache's staged copy when written
        return DocumentData(made.listing, partial(self.files, db, report), key)

    def files(self, db: DepartmentBudget, report: Callable[[], Report]) -> dict[str, str | bytes]:
        key = self.key(db)
        blob = self.pages.get_bytes(key)
        files = unpack(blob) if blob is not None else None
        if files is not None:
            return files
        files = opendata.document_files(real(db), report())
        self.generated += 1
        self.pages.put_bytes(key, pack(files))  # stored with the pages, once the build has verified
        return files

    def text(self, parts: list[str], make: Callable[[], str]) -> str:
        """A file of the whole site made of what `parts` name (e.g. every document's key): from the cache or made."""
        key = self.pages.key("data site", *parts)
        blob = self.pages.get_bytes(key)
        if blob is not None:
            with contextlib.suppress(UnicodeDecodeError):
                return blob.decode("utf-8")
        text = make()
        self.pages.put_bytes(key, text.encode("utf-8"))
        return text


class OpenData:
    """Every data file of the site: each document's (`documents`: its folder and DocumentData) and the
    site's own (`site_files`: path below the output folder -> content), and each document's downloads.
    `catalogue_of(year)`: the catalogue in force for a year (default: a document's own)."""

    def __init__(self, budgets: list[DepartmentBudget], report, cache: DataCache | None = None,
                 catalogue_of: Callable[[int], Catalogue] | None = None):
        self.site_files: dict[str, str | bytes] = {}
        self.documents: dict[tuple[int, str], tuple[str, DocumentData]] = {}
        self.downloads: dict[tuple[int, str], list[Download]] = {}
        self.report, self.cache, self.catalogue_of = report, cache, catalogue_of
        self._catalogues: dict[int, Catalogue] = {}
        if budgets:
            for db in budgets:
                self.add(db)
            self.finish()

    def add(self, db: DepartmentBudget) -> None:
        """A document's files (made, or their listing from the cache) and its downloads."""
        base = folder(db)
        if self.cache is not None:
            doc = self.cache.document(db, partial(self.report, db))
        else:
            doc = DocumentData.made(db, opendata.document_files(real(db), self.report(db)))
        self.documents[(db.year, db.slug)] = (base, doc)
        self.downloads[(db.year, db.slug)] = self._downloads(base, doc)
        if db.year not in self._catalogues:
            self._catalogues[db.year] = self.catalogue_of(db.year) if self.catalogue_of is not None else db.ledger.catalogue

    def finish(self) -> None:
        """The site's own files, once every document is added: the catalogues, the schema, the site package."""
        for year, cat in sorted(self._catalogues.items()):
            for kind in ("functional", "economic"):
                self.site_files[f"data/catalogue/{year}/{kind}.csv"] = csv_text(dd.CATALOGUE, catalogue_rows(cat, kind))
        self.site_files["data/schema/data.schema.json"] = dumps(packages.data_schema())
        shared = {name: (year, number, keys) for _, doc in self.documents.values()
                  for name, year, number, keys in doc.listing["schemas"]}
        for name, (year, number, keys) in sorted(shared.items()):  # the Table Schemas of the site package's CSVs
            self.site_files[f"data/{name}"] = dumps(packages.site_schema(year, number, keys))
        years = sorted(self._catalogues)
        ordered = [self.documents[k][1] for k in sorted(self.documents)]

        def site() -> str:
            return packages.site_package_text([doc.site() for doc in ordered], years)

        # every document's CSVs: made again when one of them changed
        self.site_files["data/datapackage.json"] = site() if self.cache is None else self.cache.text(
            ["datapackage.json", *map(str, years), *sorted(str(doc.token) for doc in ordered)], site)

    @property
    def files(self) -> dict[str, str | bytes]:
        """Every file with its content (each document's read now)."""
        out: dict[str, str | bytes] = {}
        for base, doc in self.documents.values():
            out.update((base + name, content) for name, content in doc.files().items())
        return {**out, **self.site_files}

    @staticmethod
    def _downloads(base: str, doc: DocumentData) -> list[Download]:
        tables = sum(doc.size(n) for n in doc.names if n.startswith("table-"))
        out = [Download(dd.WORKBOOK, base + dd.WORKBOOK.path, doc.size(dd.WORKBOOK.path)),
               Download(dd.LINE_ITEMS, base + dd.LINE_ITEMS.path, doc.size(dd.LINE_ITEMS.path)),
               Download(dd.TABLES, base + "table-01.csv", tables,
                        tuple((n, f"{base}table-{n}.csv") for n in doc.listing["tables"])),
               Download(dd.DATA_JSON, base + dd.DATA_JSON.path, doc.size(dd.DATA_JSON.path)),
               Download(dd.RECONCILIATION_JSON, base + dd.RECONCILIATION_JSON.path, doc.size(dd.RECONCILIATION_JSON.path)),
               Download(dd.PACKAGE, base + dd.PACKAGE.path, doc.size(dd.PACKAGE.path))]
        return out

    def of(self, db: DepartmentBudget) -> list[Download]:
        return self.downloads[(db.year, db.slug)]
