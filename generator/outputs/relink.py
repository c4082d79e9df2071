"""Unchanged outputs as hard links (issue 12): a rebuild writes only the files whose bytes changed.

A build's folder is the spare (the build published before the current one) trimmed to the files
its manifest names, or a new one (publish.py). A file the build writes whose bytes are the same as
the same path of the published build (`previous`) becomes a hard link of that file instead of a
new copy; a PDF is a hard link of its file in the PDF cache (`.cache/pdf/<hash>.pdf`). The
comparison reads the previous file only when the sizes agree.

A file written with a token (what it is made of: a page-cache key, a data file's key and name) is
recorded in the build's manifest (`.site/<build>.json`: the build folder, and each file's token and
size). The next build keeps a file the spare already holds from the same token, and links one the
published build's manifest gives from the same token, at the same size, without making or reading
its bytes at all: the same token, the same bytes (the caches are keyed so). What the spare held
that this build did not make again is removed when the build's manifest is saved (`save()`).

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
import functools
import json
import os
import re
from pathlib import Path

from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer, logger

from generator.outputs import publish

_PLAIN = re.compile(r"(?:[\w-][\w.-]*/)*[\w-][\w.-]*")  # a relative name none of whose parts is "", "." or ".."


@functools.lru_cache(maxsize=8)
def _base(output_path: str) -> str:
    return sanitised_join(output_path, "")


def joined(output_path: str, name: str) -> str:
    """Pelican's `sanitised_join(output_path, name)`, without its two abspath calls for a plain relative
    name (a district build joins 30,000 of them); any other name goes through it (and its check)."""
    return f"{_base(output_path)}/{name}" if _PLAIN.fullmatch(name) else sanitised_join(output_path, name)


class Relinker:
    """Writes into one build folder, linking what the previous build already has."""

    def __init__(self, build: Path, previous: Path | None, manifests: bool = False):
        self.build = Path(os.path.abspath(build))
        self.previous = previous
        self.manifests = manifests  # the build is in `.site/`: it has a manifest, and so may the published one
        self.linked = 0
        self.written = 0
        self.kept = 0  # files the spare already held from the same token
        self.tokens: dict[str, list] = {}  # this build's files written with a token: name -> [token, size or None]
        self.made_here: set[str] = set()  # the names this build wrote without a token
        self._before: dict | None = None
        self._held: dict | None = None

    @classmethod
    def of(cls, build: str | os.PathLike) -> Relinker:
        build = Path(build)
        return cls(build, publish.previous_build(build), build.resolve().parent.name == publish.STORE)

    def _published(self) -> dict[str, list]:
        """The published build's files by name: [token, size] (empty: no manifest of that build)."""
        if self._before is None:
            self._before = {}
            if self.previous is not None and self.manifests:
                self._before = publish.read_manifest(publish.manifest_path(self.previous), self.previous) or {}
        return self._before

    def _kept(self) -> dict[str, list]:
        """What the folder held when the build started (the spare's files by name), empty for a new folder."""
        if self._held is None:
            self._held = (publish.read_manifest(publish.kept_path(self.build)) or {}) if self.manifests else {}
        return self._held

    def reuse(self, name: str, token: str) -> bool:
        """`name` (below the build) as the spare's file made of the same `token`, kept where it is, or a
        link of the published build's. (Plain string paths: a district rebuild passes tens of thousands.)"""
        held = self._kept().get(name)
        if isinstance(held, list) and held[:1] == [token]:
            self.kept += 1
            self.tokens[name] = held
            return True
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
        """Remove what the spare held that this build did not make again; then this build's manifest,
        for the next build (a build that is not published: never used)."""
        if not self.manifests:
            return
        self._remove_stale()
        files = {}
        for name, (token, size) in self.tokens.items():
            with contextlib.suppress(OSError):
                files[name] = [token, size if size is not None else os.stat(os.path.join(self.build, name)).st_size]
        manifest = publish.manifest_path(self.build)
        tmp = manifest.with_name(f"{manifest.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps({"build": str(self.build.resolve()), "files": files}), encoding="utf-8")
            tmp.replace(manifest)
        except OSError:  # a manifest that cannot be written: the next build compares bytes instead
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _remove_stale(self) -> None:
        folders = set()
        for name in self._kept().keys() - self.tokens.keys() - self.made_here:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(self.build, name))
            folders.add(os.path.dirname(name))
        for folder in sorted(folders, key=len, reverse=True):  # the deepest first; the build itself stays
            while folder:
                try:
                    os.rmdir(os.path.join(self.build, folder))
                except OSError:  # not empty (or gone)
                    break
                folder = os.path.dirname(folder)

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
        self._made(path)
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
            with contextlib.suppress(OSError):
                if os.path.samefile(source, path):  # already it (rename(2) would do nothing, leaving tmp)
                    self.linked += 1
                    return True
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
        self._made(path)
        if not self.link(source, path):
            self.write(path, source.read_bytes())

    def _made(self, path: Path) -> None:
        if self.manifests:
            with contextlib.suppress(ValueError):
                self.made_here.add(Path(os.path.abspath(path)).relative_to(self.build).as_posix())


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
        self.relinker = Relinker.of(output_path)

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
