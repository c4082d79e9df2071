"""Unchanged outputs as hard links (issue 12): a rebuild writes only the files whose bytes changed.

Every build is a fresh folder of `.site/` (publish.py). A file the build writes whose bytes are
the same as the same path of the published build (`previous`) becomes a hard link of that file
instead of a new copy; a PDF is a hard link of its file in the PDF cache (`.cache/pdf/<hash>.pdf`).
The comparison reads the previous file only when the sizes agree.

A file written with a token (what it is made of: a page-cache key, a data file's key and name) is
recorded in the build's manifest (`published.json` in the page cache: the build folder, and each
file's token and size). The next build links a file whose token the manifest of the published
build gives, at the same size, without making or reading its bytes at all: the same token, the same
bytes (the caches are keyed so). A manifest of another build than the published one is not used.

Every write goes to a new inode (a new name, or a temporary file renamed over the old one): a
file shared with the published build or the cache is never changed in place, whatever happens.
Any OSError while linking (no previous build, another file system, EXDEV, EPERM, EMLINK) falls
back to writing the bytes.

Pelican's writer stays in charge of the text files: `LinkingWriter` (Pelican's `get_writer`
signal) keeps its checks, its log line and its content_written signal, and changes only where
the bytes go (`_open_w`). The theme's static files, which Pelican copies (64 KB), are made
links of the published ones once copied (`relink_static`); the search index: search.py.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from pelican.writers import FileOverwriteFailedError, Writer, logger

from generator.outputs import publish

MANIFEST = "published.json"


class Relinker:
    """Writes into one build folder, linking what the previous build already has."""

    def __init__(self, build: Path, previous: Path | None, manifest: Path | None = None):
        self.build = Path(os.path.abspath(build))
        self.previous = previous
        self.manifest = manifest  # where the manifest of the published build is, and this build's goes
        self.linked = 0
        self.written = 0
        self.tokens: dict[str, list] = {}  # this build's files written with a token: name -> [token, size or None]
        self._before: dict | None = None

    @classmethod
    def of(cls, build: str | os.PathLike, manifest: Path | None = None) -> Relinker:
        build = Path(build)
        return cls(build, publish.previous_build(build), manifest)

    def _published(self) -> dict[str, list]:
        """The published build's files by name: [token, size] (empty: no manifest of that build)."""
        if self._before is None:
            self._before = {}
            if self.previous is not None and self.manifest is not None:
                with contextlib.suppress(OSError, ValueError, TypeError):
                    found = json.loads(self.manifest.read_text(encoding="utf-8"))
                    if found.get("build") == str(self.previous) and isinstance(found.get("files"), dict):
                        self._before = found["files"]
        return self._before

    def reuse(self, name: str, token: str) -> bool:
        """`name` (below the build) as a link of the published build's file made of the same `token`.
        (Plain string paths: a district rebuild links tens of thousands of files this way.)"""
        entry = self._published().get(name)
        if self.previous is None or not isinstance(entry, list) or entry[:1] != [token]:
            return False
        old, path = os.path.join(self.previous, name), os.path.join(self.build, name)
        try:
            if os.stat(old).st_size != entry[1]:
                return False
            try:
                os.link(old, path)
            except FileNotFoundError:  # its folder is not made yet
                os.makedirs(os.path.dirname(path), exist_ok=True)
                os.link(old, path)
        except FileExistsError:
            if not self.link(Path(old), Path(path)):
                return False
        except OSError:
            return False
        else:
            self.linked += 1
        self.tokens[name] = [token, entry[1]]
        return True

    def made(self, name: str, token: str, size: int | None = None) -> None:
        """`name` was just written from `token` (`size`: its bytes, if known), for this build's manifest."""
        self.tokens[name] = [token, size]

    def save(self) -> None:
        """This build's manifest, for the next build (a build that is not published: never used)."""
        if self.manifest is None:
            return
        files = {}
        for name, (token, size) in self.tokens.items():
            with contextlib.suppress(OSError):
                files[name] = [token, size if size is not None else os.stat(os.path.join(self.build, name)).st_size]
        tmp = self.manifest.with_name(f"{self.manifest.name}.{os.getpid()}.tmp")
        try:
            self.manifest.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({"build": str(self.build.resolve()), "files": files}), encoding="utf-8")
            tmp.replace(self.manifest)
        except OSError:  # a cache that cannot be written: the next build compares bytes instead
            with contextlib.suppress(OSError):
                tmp.unlink()

    def same_as_before(self, path: Path, data: bytes) -> Path | None:
        """The previous build's file at the same place, if its bytes are `data`."""
        if self.previous is None:
            return None
        try:
            old = self.previous / Path(os.path.abspath(path)).relative_to(self.build)
            if old.stat().st_size != len(data):
                return None
            with open(old, "rb") as f:
                return old if f.read(len(data) + 1) == data else None
        except (OSError, ValueError):
            return None

    def write(self, path: str | os.PathLike, data: bytes) -> None:
        """`data` into `path` (a new inode), or a link of the previous build's identical file."""
        path = Path(path)
        old = self.same_as_before(path, data)
        if old is not None and self.link(old, path):
            return
        self.written += 1
        try:
            with open(path, "xb") as f:  # a fresh build: the name is new
                f.write(data)
            return
        except FileExistsError:
            pass
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise

    def link(self, source: Path, path: Path) -> bool:
        """`path` as a hard link of `source`; False (nothing changed) where that cannot be done."""
        try:
            os.link(source, path)
        except FileExistsError:
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            try:
                os.link(source, tmp)
                os.replace(tmp, path)
            except OSError:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                return False
        except OSError:
            return False
        self.linked += 1
        return True

    def copy(self, source: Path, path: str | os.PathLike) -> None:
        """A file that is already on disk (a PDF from the cache): linked, or its bytes written."""
        path = Path(path)
        if not self.link(source, path):
            self.write(path, source.read_bytes())


class _Sink:
    """What Pelican's writer writes a page into: the text, written (or linked) on close."""

    def __init__(self, relinker: Relinker, path: str, encoding: str):
        self.relinker, self.path, self.encoding = relinker, path, encoding
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.relinker.write(self.path, "".join(self.parts).encode(self.encoding))


class LinkingWriter(Writer):
    """Pelican's writer, whose files go through a Relinker."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.relinker = Relinker.of(output_path, manifest_path(settings or {}))

    def _open_w(self, filename, encoding, override=False):
        """Pelican's checks (a file written twice, `override`), as in pelican.writers.Writer._open_w."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if override:
                logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already written to it '
                                               "previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _Sink(self.relinker, filename, encoding)


def manifest_path(settings: dict) -> Path | None:
    """The manifest's place: the page cache of the build's cache folder (BUDGET_CACHE)."""
    if "PATH" not in settings:
        return None
    from generator.core.settings import BudgetSettings

    try:
        return BudgetSettings.of(settings).cache_dir(settings["PATH"]) / "pages" / MANIFEST
    except Exception:  # noqa: BLE001 — settings the build refuses anyway (plugin.start): no manifest
        return None


def get_writer(pelican):
    return LinkingWriter


def relink_static(pelican) -> None:
    """Pelican's `finalized`: each theme file it copied, if the published build has the same
    bytes there, becomes a link of that file (renamed over the copy: nothing changes in place)."""
    relinker = Relinker.of(pelican.settings["OUTPUT_PATH"])
    if relinker.previous is None:
        return
    for folder, _, files in os.walk(relinker.build / pelican.settings.get("THEME_STATIC_DIR", "theme")):
        for name in files:
            path = Path(folder) / name
            with contextlib.suppress(OSError):
                old = relinker.same_as_before(path, path.read_bytes())
                if old is not None and not os.path.samefile(old, path):
                    relinker.link(old, path)


def register(signals) -> None:
    signals.get_writer.connect(get_writer)  # unchanged files as hard links of the published build
    signals.finalized.connect(relink_static)
