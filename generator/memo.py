"""The compute cache: what load → validate → compute → reconcile made of a budget file, kept under
the hash of everything it is made of, so an unchanged file is not read, parsed or computed again.

`load_content(..., cache=folder)` (`budget check`, the build) runs `cached_load()`. An entry's key is
the hash of

- the file's bytes and the path it is shown under (issues name it);
- the version: the generator's computing code and data files (built-in catalogue editions, profiles,
  phrasebooks; not outputs/, present/, importer/, cli.py), the versions of the libraries that parse
  and validate (pydantic, PyYAML, …), the content's local catalogue (content/catalogue/) and profiles
  (content/profiles/), the phrasebooks given, the default profile.

Last year's figures a file reads (the same department's documents of year - 1) are known only once
last year's files are done: an entry keeps the hash of the figures it was computed with, and a
mismatch recomputes the file (so editing last year's file recomputes this year's E306 and narrative).

Two kinds of entry, both under `<cache>/<version>/<key[:2]>/`:

- `<key>.check`: the file's issues (in order), its (slug, year) for E204, and each document's
  last-year figures for next year's file: all `budget check` needs;
- `<key>.build`: the computed `DepartmentBudget`s and their `Report`s (the build, `keep=True`).

The build loads lazily (`lazy=True`): an unchanged file's documents are `Deferred`, with their identity
and their brief (compute/brief.py, kept in the `.check` entry: what the index pages and the district's
totals read), and the `.build` entry is unpickled only when something reads more of them (a page that is
rendered again). So a rebuild after one edit loads that department's documents, not the district's.
What does not belong to one file is worked out every time: duplicates (E204), the local catalogue's
own issues (once per catalogue file), pages; so a warm run's issues equal a cold run's exactly.

Pickle is acceptable here: the cache folder is the build's own (`BUDGET_CACHE`, default
`.cache/` beside the content), written only by this code, as trusted as the code itself (whoever can
write there can write the generator's code too). An entry that cannot be read, does not unpickle or
is of another format is recomputed silently; a folder that cannot be written is skipped; writes are
atomic (tmp + os.replace); entries unused for CACHE_DAYS days are pruned, and the folders of other
versions but the KEEP_VERSIONS last used (a build's entries are ~0.7 MB a file: old code versions'
would pile up).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import os
import pickle
import shutil
import time
from collections import namedtuple
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import generator
from generator import catalogue as catalogue_module
from generator.compute import last_year
from generator.compute.brief import Brief
from generator.compute.phrasebook import phrasebooks as default_phrasebooks
from generator.core.diagnostics import ERROR, Issue, issue, sort_key
from generator.core.digests import digest, tree_digest, versions
from generator.core.settings import BudgetSettings
from generator.core.sweep import sweep_due
from generator.deferred import BuildEntry, Deferred
from generator.load.documents import documents, published
from generator.load.profile import load_profile
from generator.load.source import read_file
from generator.load.validate import check_meaning, parse
from generator.reconcile.report import reconcile
from generator.reconcile.units import units_issues

FORMAT = "memo-4"
CACHE_DAYS = 30
KEEP_VERSIONS = 3  # other versions' folders kept (a branch switched back and forth), the most recent first
_PACKAGES = ("pydantic", "pydantic-core", "pyyaml", "ruamel.yaml", "babel", "markdown", "nh3")
_KINDS = (".check", ".build")

log = logging.getLogger(__name__)
_code: list[str] = []  # the generator's code digest, once per process


# What never runs while a file is computed: pages, outputs, the importer, the command line. A change
# there leaves the compute cache valid (tests/test_stages.py checks that the computing code imports none).
NOT_COMPUTING = ("outputs", "present", "importer", "cli.py")


def code_version() -> str:
    """The computing code and its data files (catalogue editions, profiles, phrasebooks), and the
    libraries' versions."""
    if not _code:
        package = Path(generator.__file__).resolve().parent
        _code.append(digest(FORMAT, tree_digest(package, skip=tuple(package / name for name in NOT_COMPUTING)),
                            versions(_PACKAGES)))
    return _code[0]


def version(content: Path, phrasebooks, profile: str) -> str:
    books = {lang: (book.data, book.defaults) for lang, book in (phrasebooks or default_phrasebooks()).items()}
    return digest(code_version(), tree_digest(content / "catalogue"), tree_digest(content / "profiles"),
                  json.dumps(books, sort_keys=True, ensure_ascii=False, default=str), profile)


_Figure = namedtuple("_Figure", "value")  # a figure as last_year.computed reads it


class Previous:
    """What next year's file reads of a computed document (`last_year.computed`, `.year`), without the rest,
    and its digest, which a next year's entry was computed with (kept: not worked out again every build)."""

    def __init__(self, year: int, values: dict, digest: str):
        self.year = year
        self.digest = digest
        self._values = values
        self._figures: dict[str, _Figure] | None = None

    @property
    def figures(self) -> dict[str, _Figure]:  # made when read: a district loads thousands, reads a few
        if self._figures is None:
            self._figures = {k: _Figure(v) for k, v in self._values.items()}
        return self._figures

    @staticmethod
    def kept(db) -> tuple[str, int, dict, str]:
        """What an entry keeps of a computed document for next year's file: (slug, year, values, digest)."""
        f = db.figures
        names = [k for k in f if k in ("total", "operating_costs") or k.startswith(("income.", "three_public."))
                 or (k.startswith("function.") and k.count(".") == 1)]
        return db.slug, db.year, {k: f[k].value for k in names}, _figures_digest(db)


def _figures_digest(previous) -> str:
    if previous is None:
        return "-"
    if isinstance(previous, Previous):
        return previous.digest
    return digest(str(previous.year), repr(sorted(last_year.computed(previous).items())))


@dataclass
class Entry:
    """One budget file's result (the `.check` entry)."""

    read: list[Issue]  # read_file's issues
    key: tuple | None  # (slug, year) as written, or None; None for `read` too when the file is unreadable
    readable: bool
    slug_at: object = None  # where E204 points
    found: list[Issue] = field(default_factory=list)  # parse, meaning and profile issues, in order
    eligible: bool = False  # parsed without errors: computed unless a duplicate
    year: int | None = None  # the validated year (compute order)
    docs: list[str] = field(default_factory=list)  # the slugs of its documents (department first)
    department: str = ""  # the department's slug
    # once computed:
    computed: bool = False
    depends: str = ""  # the hash of last year's figures it was computed with
    issues: list[Issue] = field(default_factory=list)  # E240 or the reconciliations' issues, in order
    ok: bool = False  # every document computed
    previous: list[tuple[str, int, dict, str]] = field(default_factory=list)  # Previous.kept of each document
    kept: list[Brief] = field(default_factory=list)  # the brief of each published document, in order


class Store:
    def __init__(self, folder: Path | None, version: str):
        self.folder = folder
        self.version = version
        self.used: set[Path] = set()
        self.hashes: dict[str, str] = {}  # each file's sha256 (hex), by its absolute path, as read
        self.hits = self.misses = 0
        self.freezes = gc.get_freeze_count() == 0  # never unfreeze what someone else froze
        self.frozen = False

    def key(self, path: Path, shown: str) -> str | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        self.hashes[str(path.absolute())] = sha = hashlib.sha256(data).hexdigest()  # the page keys' too (cache.py)
        return digest(self.version, shown, bytes.fromhex(sha))

    @property
    def here(self) -> Path:
        """This version's folder: another version's entries can never be hits, so they go together."""
        assert self.folder is not None
        return self.folder / self.version[:16]

    def _path(self, key: str, kind: str) -> Path:
        return self.here / key[:2] / f"{key}{kind}"

    def get(self, key: str | None, kind: str):
        if key is None or self.folder is None:
            return None
        path = self._path(key, kind)
        try:
            data = path.read_bytes()
            collecting = gc.isenabled()
            gc.disable()  # many small objects, all kept: collecting them while loading only costs time
            try:
                found = pickle.loads(data)
                if kind == ".build" and self.freezes:
                    self.frozen = True
                    gc.freeze()  # kept for the whole build: not scanned again by every collection (unfrozen at the end)
            finally:
                if collecting:
                    gc.enable()
            if not (isinstance(found, tuple) and len(found) == 2 and found[0] == (FORMAT, key)):
                return None
        except Exception:  # noqa: BLE001 — unreadable, truncated or foreign: a miss
            return None
        self.used.add(path)
        with contextlib.suppress(OSError):
            os.utime(path)  # in use: not pruned
        return found[1]

    def has(self, key: str | None, kind: str) -> bool:
        return key is not None and self.folder is not None and self._path(key, kind).is_file()

    def put(self, key: str | None, kind: str, value) -> bool:
        """Store an entry; False if it could not be (no cache, or one that cannot be written)."""
        if key is None or self.folder is None:
            return False
        path = self._path(key, kind)
        self.used.add(path)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as f:
                pickle.dump(((FORMAT, key), value), f, protocol=5)
            os.replace(tmp, path)
        except Exception as exc:  # noqa: BLE001 — a cache that cannot be written makes the next run slower, no worse
            log.info("compute cache: %s not stored (%s)", path, exc)
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            return False
        return True

    def prune(self, days: int = CACHE_DAYS) -> None:
        if self.folder is None:
            return
        cutoff = time.time() - days * 86400
        with contextlib.suppress(OSError):
            if self.here.is_dir():
                os.utime(self.here)  # in use
            others = sorted((p for p in self.folder.iterdir() if p.is_dir() and p != self.here),
                            key=lambda p: p.stat().st_mtime, reverse=True)
            for n, other in enumerate(others):  # other versions: the last KEEP_VERSIONS used, for 30 days
                if n >= KEEP_VERSIONS or other.stat().st_mtime < cutoff:
                    shutil.rmtree(other, ignore_errors=True)
            if not sweep_due(self.here):  # this version's own entries: at most once a day
                return
            for path in self.here.glob("*/*"):
                if path not in self.used and (path.suffix in _KINDS or path.suffix == ".tmp") \
                        and path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)


def cached_load(content: Path, root: Path | None, files: list[Path], phrasebooks, profile: str | None, keep: bool,
                folder: Path | None, lazy: bool = False):
    """`pipeline.load_content` with the compute cache in `folder`: the same Content, issue for issue.

    `lazy` (the build): an unchanged file's documents are `Deferred`, read from the cache only when used."""
    from generator.pipeline import Content, _at_profile, _compute, _department_year, _once, display_path

    default = profile or BudgetSettings().profile
    store = Store(folder, version(content, phrasebooks, default))
    if lazy:  # documents are let go and read again: never frozen (a frozen cycle is never collected)
        store.freezes = False

    def prepare(path: Path, shown: str):
        """Read, parse, validate one file: its Entry (before compute) and what compute needs."""
        src, read = read_file(path, shown)
        if src is None:
            return Entry(read, None, False), None
        key = _department_year(src)
        entry = Entry(read, key, True, src.positions.at(("department", "slug")))
        cat = catalogue_module.load(key[1] if key else None, content)
        budget, found = parse(src, cat)
        entry.found += found
        if budget is None:
            return entry, None
        found = check_meaning(budget, src, cat)
        district, problems = load_profile(budget.profile or default, (content / "profiles",))
        found += [_at_profile(i, src) for i in problems]
        entry.found += found
        entry.eligible = not any(i.severity == ERROR for i in found)
        entry.year = budget.year
        department, units = documents(budget)
        entry.docs = [d.slug for d in (department, *units)]
        entry.department = budget.department.slug
        return entry, (src, budget, cat, district)

    issues: list[Issue] = []
    catalogue_issues: dict = {}
    seen: dict[tuple, str] = {}
    todo: list[list] = []  # [entry, key, path, shown, prepared or None]
    for path in files:
        shown = display_path(path, root)
        key = store.key(path, shown)
        entry = store.get(key, ".check")
        prepared = None
        fresh = not isinstance(entry, Entry)
        if fresh:
            store.misses += 1
            entry, prepared = prepare(path, shown)
        else:
            store.hits += 1
        entry_key = key
        issues += entry.read
        if not entry.readable:
            if fresh:
                store.put(entry_key, ".check", entry)
            continue
        duplicate = entry.key in seen
        if duplicate:
            issues.append(issue("E204", entry.slug_at, slug=entry.key[0], year=entry.key[1], other=seen[entry.key]))
        elif entry.key is not None:
            seen[entry.key] = shown
        cat = catalogue_module.load(entry.key[1] if entry.key else None, content)
        catalogue_issues.setdefault(cat.local_path, cat.issues)
        issues += entry.found
        if not duplicate and entry.eligible:
            todo.append([entry, entry_key, path, shown, prepared])
        elif fresh:
            store.put(entry_key, ".check", entry)
    issues += [i for found in catalogue_issues.values() for i in found]

    budgets: list[Any] = []  # DepartmentBudget, or Deferred (lazy)
    reports: dict[tuple[str, int], Any] = {}
    computed: dict[tuple[str, int], Any] = {}  # DepartmentBudget, or Previous (check: its figures only)
    wanted = {(t[0].department, t[0].year) for t in todo}  # what a next year's file may read
    todo.sort(key=lambda t: t[0].year)
    for n in range(len(todo)):
        entry, key, path, shown, prepared = todo[n]
        if not keep:
            todo[n] = None  # type: ignore[call-overload]
            for old in [k for k, db in computed.items() if db.year < entry.year - 1]:
                del computed[old]
        depends = digest(*(_figures_digest(computed.get((slug, entry.year - 1))) for slug in entry.docs))
        hit = entry.computed and entry.depends == depends and prepared is None
        deferred = hit and keep and entry.ok and lazy and store.has(key, ".build")
        full: Any = store.get(key, ".build") if hit and keep and entry.ok and not deferred else None
        hit = hit and (not keep or not entry.ok or deferred or full is not None)
        if hit:
            issues += entry.issues
            if not entry.ok:
                continue
            if deferred:
                build = BuildEntry(store, key)
                for slug, year, values, figures_digest in entry.previous:
                    computed[(slug, year)] = Previous(year, values, figures_digest)
                for brief in entry.kept:
                    doc = Deferred(build, brief)
                    reports[(doc.slug, doc.year)] = doc
                    budgets.append(doc)
            elif keep:
                dbs, kept = full
                for db in dbs:
                    computed[(db.slug, db.year)] = db
                for db, report in kept:
                    reports[(db.slug, db.year)] = report
                    budgets.append(db)
            else:
                for slug, year, values, figures_digest in entry.previous:
                    computed[(slug, year)] = Previous(year, values, figures_digest)
        else:
            if prepared is None:  # a cached file whose last year changed (or never computed): read it again
                _, prepared = prepare(path, shown)  # the same bytes (the key): the same issues as cached
                if prepared is None:  # changed under our feet: left for the next run
                    continue
            src, budget, cat, district = prepared
            found: list[Issue] = []
            department, units = documents(budget)
            dbs = [_compute(doc, src, cat, district, computed, phrasebooks, found) for doc in (department, *units)]
            entry.computed, entry.depends, entry.ok, entry.previous = True, depends, False, []
            if any(db is None for db in dbs):
                entry.issues = found
                issues += found
                store.put(key, ".check", entry)
                continue
            dept_db, unit_dbs = dbs[0], dbs[1:]
            cross = units_issues(dept_db, unit_dbs)
            kept = []
            for db in dbs:
                computed[(db.slug, db.year)] = db
                if db is dept_db or published(budget, db.document):
                    report = reconcile(db, computed.get((db.slug, db.year - 1)), extra=cross if db is dept_db else [])
                    found += report.issues
                    kept.append((db, report))
                    if keep:
                        reports[(db.slug, db.year)] = report
                        budgets.append(db)
            entry.issues, entry.ok = found, True
            entry.previous = [Previous.kept(db) for db in dbs]
            entry.kept = [db.brief for db, _ in kept]
            issues += found
            store.put(key, ".check", entry)
            if keep and store.put(key, ".build", (dbs, kept)) and lazy:  # stored: let go of it once it is used
                build = BuildEntry(store, key, {db.slug: (db, report) for db, report in kept})
                budgets[len(budgets) - len(kept):] = deferred_docs = [Deferred(build, db.brief) for db, _ in kept]
                for doc in deferred_docs:
                    reports[(doc.slug, doc.year)] = doc
                for slug, year, values, figures_digest in entry.previous:  # what next year's file reads of them
                    computed[(slug, year)] = Previous(year, values, figures_digest)
        if not keep and (entry.department, entry.year + 1) not in wanted:
            for slug in entry.docs:
                computed.pop((slug, entry.year), None)
    if store.frozen:
        gc.unfreeze()
    store.prune()
    log.info("compute cache: %d files from the cache, %d read", store.hits, store.misses)
    budgets.sort(key=lambda db: (-db.year, db.slug))
    return Content(budgets, sorted(_once(issues), key=sort_key), reports, store.hashes)
