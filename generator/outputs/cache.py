"""The page cache: rendered and verified pages, kept under the hash of everything they are made of.

A rebuild renders only the pages whose inputs changed; the others are taken from the cache
(`.cache/pages/`, beside the PDF cache) and written as they are. A page's key is the hash of

- the build's version: the generator's code and data files (but NOT_RENDERING), the theme (templates, translations,
  stylesheets, and where it is), the content folder except the budget files (Markdown pages, the catalogue's
  local additions, profiles), Pelican's settings (but where the output goes), the versions of
  Pelican, Jinja2, Markdown and lxml;
- for a document's page and its PDF's HTML: its budget file and, when there is one, the same
  department's file of the year before (the narrative compares with it), its slug and language,
  the years it is published in and its data files' token (what the sizes it shows are made of);
- for an index page: the briefs of the documents it shows (compute/brief.py: their names, totals and
  money by function and source, all an index page is given of them; a year's pages: that year's; a
  history page: its document's of every year; the language index and landing page: all).

So editing one department re-renders its documents' pages and PDFs' HTML, and the indexes only if
what they show of it changed (not for an edit of its prose); a rebuild with nothing changed renders
no page. Only pages that were verified (read back) are stored, and only once the whole build has
verified (a failing build stores nothing). The cache is a cache: a file that cannot be read is
rendered again, one that cannot be written is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

import generator
from generator.core.digests import digest, tree_digest, versions
from generator.core.settings import BudgetSettings, SettingsError
from generator.core.sweep import sweep_due

CACHE_DAYS = 30
_PACKAGES = ("pelican", "jinja2", "markdown", "lxml", "nh3", "babel")
_SKIP_SETTINGS = ("OUTPUT_PATH", "BUDGET_CACHE", "CACHE_PATH")
# code that decides where a built file goes, or reads PDFs, but never what a page says: a change
# to it keeps the cached pages (a redesign of publishing does not re-render a district)
NOT_RENDERING = ("importer", "cli.py", "outputs/publish.py", "outputs/relink.py", "outputs/archive.py")

log = logging.getLogger(__name__)


def settings_digest(settings: dict) -> str:
    """Pelican's settings as far as they are plain values, but where the build is written."""
    plain = {k: v for k, v in settings.items() if k.isupper() and k not in _SKIP_SETTINGS}
    return digest(json.dumps(plain, sort_keys=True, skipkeys=True, default=lambda _: None))


class PageCache:
    """Rendered pages by key; counts what this build rendered and what it took from the cache."""

    def __init__(self, folder: Path, version: str):
        self.folder = folder
        self._folder = os.fspath(folder)
        self.version = version
        # what this build stored, by key: its staged file (written at once, so that a district's pages are
        # not all held in memory; renamed into place by commit()), or the text itself where it could not be
        self.pending: dict[str, Path | str | bytes] = {}
        self.used: set[str] = set()
        self.rendered = {"pages": 0, "pdf_html": 0}
        self.reused = 0
        self.read = 0  # cached pages whose text was read (the rest were linked from the published build)
        self.own: set[str] = set()  # what this build stored
        self.renders: list[str] = []  # what this build rendered, in order
        self.hashes: dict[str, str] = {}  # budget files' sha256 (hex), by absolute path

    @classmethod
    def of(cls, folder: Path, theme: str, content: Path, budgets: Path, settings: dict,
           hashes: dict[str, str] | None = None) -> PageCache:
        """`hashes`: the budget files' hashes as the compute cache read them (pipeline.Content.hashes)."""
        code = Path(generator.__file__).resolve().parent
        # the theme's place too: the PDF's HTML links its stylesheets by absolute file: URL
        rendering = tree_digest(code, skip=tuple(code / name for name in NOT_RENDERING))
        version = digest(rendering, str(Path(theme).resolve()), tree_digest(Path(theme)),
                         tree_digest(content, skip=(budgets,)),
                         settings_digest(settings), versions(_PACKAGES))
        cache = cls(folder, version)
        cache.hashes.update(hashes or {})
        return cache

    def file(self, path: Path) -> str:
        """The hash of a budget file (read once per build: `hashes`, by absolute path, may hold it already)."""
        where = str(path.absolute())
        if where not in self.hashes:
            try:
                self.hashes[where] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self.hashes[where] = f"unreadable {time.time()}"  # never a hit
        return self.hashes[where]

    def key(self, *parts: str) -> str:
        return digest(self.version, *parts)

    def _path(self, key: str, suffix: str = ".html") -> str:
        # a string, not a Path: a rebuild at district scale looks up ~7,500 entries, and pathlib costs more than the lookup
        return os.path.join(self._folder, key[:2], key + suffix)

    def get(self, key: str) -> str | None:
        path = self._path(key)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError):
            return None
        self.used.add(key)
        self.reused += 1
        with contextlib.suppress(OSError):
            os.utime(path)  # in use: not pruned
        return text

    def has(self, key: str) -> bool:
        """Whether a page is in the cache (counted as taken from it; its text: `text()`, when it is written)."""
        path = self._path(key)
        try:
            os.utime(path)  # in use: not pruned
        except OSError:
            return False
        self.used.add(key)
        self.reused += 1
        return True

    def text(self, key: str) -> str:
        """A page `has()` found or this build stored; an OSError if it has gone since (the build stops: a
        file-system fault)."""
        staged = self.pending.get(key)
        if isinstance(staged, str):
            return staged
        if key not in self.own:
            self.read += 1  # a cached page, not one this build rendered
        with open(staged if isinstance(staged, Path) else self._path(key), encoding="utf-8") as f:
            return f.read()

    def source(self, key: str) -> Path | str:
        """Where a page `has()` found or this build stored is now (its staged or stored file), or its text:
        for a reader that links the file (the search index, search.py)."""
        staged = self.pending.get(key)
        if isinstance(staged, str):
            return staged
        return staged if isinstance(staged, Path) else Path(self._path(key))

    def get_bytes(self, key: str) -> bytes | None:
        """Stored bytes (not a page: not counted), e.g. a document's data files (opendata.py)."""
        staged = self.pending.get(key)
        if isinstance(staged, bytes):
            return staged
        path = staged if isinstance(staged, Path) else self._path(key, ".bin")
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        self.used.add(key)
        if staged is None:
            with contextlib.suppress(OSError):
                os.utime(path)
        return data

    def put_bytes(self, key: str, data: bytes) -> None:
        """Bytes to store with the pages (not counted as a rendered page)."""
        self._stage(key, data)

    def put(self, key: str, text: str, kind: str = "pages", what: str = "") -> None:
        """A page just rendered (`what`: its output path); stored for good by commit() once the whole build
        has verified (until then under a temporary name: `text()` reads it back)."""
        self.rendered[kind] += 1
        self.renders.append(what)
        self._stage(key, text)

    def _stage(self, key: str, content: str | bytes) -> None:
        self.used.add(key)
        self.own.add(key)
        path = Path(self._path(key, ".bin" if isinstance(content, bytes) else ".html"))
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                tmp.write_bytes(content)
            else:
                tmp.write_text(content, encoding="utf-8")
        except OSError as exc:  # a cache that cannot be written: kept in memory for this build, not stored
            log.info("page cache: %s not stored (%s)", path, exc)
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            self.pending[key] = content
            return
        self.pending[key] = tmp

    def commit(self) -> None:
        """Store what this build rendered (it has verified)."""
        for staged in self.pending.values():
            if isinstance(staged, Path):
                try:
                    staged.replace(staged.with_name(staged.name.rsplit(".", 2)[0]))
                except OSError as exc:
                    log.info("page cache: %s not stored (%s)", staged, exc)
        self.pending = {k: v for k, v in self.pending.items() if not isinstance(v, Path)}  # what stays in memory
        self._prune()

    def discard(self) -> None:
        """A build that failed stores nothing."""
        for staged in self.pending.values():
            if isinstance(staged, Path):
                with contextlib.suppress(OSError):
                    staged.unlink()
        self.pending.clear()

    def _prune(self, days: int = CACHE_DAYS) -> None:
        if not sweep_due(self.folder):
            return
        cutoff = time.time() - days * 86400
        with contextlib.suppress(OSError):
            for path in [*self.folder.glob("*/*.html"), *self.folder.glob("*/*.bin")]:
                if path.stem not in self.used and path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
            for path in self.folder.glob("*/*.tmp"):  # staged by a build that was killed
                if path.stat().st_mtime < time.time() - 86400:
                    path.unlink(missing_ok=True)

    def report(self, pdfs: int, loaded: list[str] | None = None) -> dict:
        """What this build rendered, logged and kept in `last-build.json` (the benchmark reads it); `loaded`:
        the documents of unchanged files it had to read from the compute cache (`year/slug`)."""
        stats = {**self.rendered, "pdfs": pdfs, "from_cache": self.reused, "rendered": self.renders,
                 "pages_read": self.read, "loaded": loaded or []}
        log.info("rendered %(pages)d pages, %(pdf_html)d PDF HTML, %(pdfs)d PDFs; %(from_cache)d pages from the cache",
                 stats)
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / "last-build.json").write_text(json.dumps(stats), encoding="utf-8")
        return stats


class TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept in the build cache (a template is compiled once, not on every build;
    Jinja checks each against its source). A cache that cannot be read or written is skipped."""

    @classmethod
    def attach(cls, env, settings) -> None:
        with contextlib.suppress(SettingsError):  # reported when the build starts
            env.bytecode_cache = cls(str(BudgetSettings.of(settings).cache_dir(settings["PATH"]) / "templates"))

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass
