"""Documents of unchanged budget files in a build, read from the compute cache only when used
(generator.memo, `cached_load(lazy=True)`)."""

from __future__ import annotations

import errno
from typing import Any

from generator.compute.brief import Brief


class Deferred:
    """A document of an unchanged file in a lazy build (`cached_load(lazy=True)`): its identity now
    (slug, year, kind, its department's slug, its file), the rest unpickled from the `.build` entry the
    first time anything else of it is read. So a rebuild reads only the documents whose pages it makes."""

    def __init__(self, entry: BuildEntry, brief: Brief):
        self._entry = entry
        entry.documents_of.add(brief.slug)
        self.brief = brief
        self.slug, self.year, self.kind = brief.slug, brief.year, brief.kind
        self.department_slug, self.source_path, self.file_stem = brief.department_slug, brief.source_path, brief.file_stem

    @property
    def loaded(self) -> bool:
        """Whether it was read from the cache in this build (a file just computed: not until let go)."""
        return self._entry.reads > 0

    @property
    def computed_now(self) -> bool:
        """Whether its file was computed in this build (not read from the cache), and is still in memory."""
        return self._entry.value is not None and self._entry.reads == 0

    def full(self):
        """The computed DepartmentBudget."""
        return self._entry.documents()[self.slug][0]

    def report(self):
        return self._entry.documents()[self.slug][1]

    def release(self) -> None:
        """Let go of the document (and its file's other documents): read from the cache again if needed."""
        self._entry.release(self.slug)

    def __getattr__(self, name: str):  # only what the instance lacks: everything but the identity
        if name.startswith("__") or name == "_entry":
            raise AttributeError(name)
        return getattr(self.full(), name)

    def __repr__(self) -> str:
        return f"Deferred({self.slug!r}, {self.year})"


class BuildEntry:
    """One file's `.build` entry, read once for all its documents (`value`: just computed, if it was)."""

    def __init__(self, store: Any, key: str, value: dict | None = None):
        self.store, self.key = store, key
        self.value: dict | None = value
        self.reads = 0
        self.documents_of: set[str] = set()  # the slugs of its documents
        self._done: set[str] = set()

    def release(self, slug: str) -> None:
        """`slug`'s document is done with: the file's documents are let go once all of them are."""
        self._done.add(slug)
        if self._done >= self.documents_of:
            self.value = None
            self._done.clear()

    def documents(self) -> dict:
        if self.value is None:
            found = self.store.get(self.key, ".build")
            if found is None:  # removed or damaged since the build began: a fault of the cache (guard.guard_writes)
                raise FileNotFoundError(errno.ENOENT, "a compute cache entry went missing during the build",
                                        str(self.store._path(self.key, ".build")))
            _, kept = found
            self.value = {db.slug: (db, report) for db, report in kept}
            self.reads += 1
        return self.value


def real(db: Any) -> Any:
    """The computed document itself (a deferred one read now): what is rendered, not a proxy to it."""
    return db.full() if isinstance(db, Deferred) else db
