"""Unchanged outputs as hard links (issue 12): a rebuild writes only the files whose bytes changed.

Every build is a fresh folder of `.site/` (publish.py). A file the build writes whose bytes are
the same as the same path of the published build (`previous`) becomes a hard link of that file
instead of a new copy; a PDF is a hard link of its file in the PDF cache (`.cache/pdf/<hash>.pdf`).
The comparison reads the previous file only when the sizes agree (no manifest to go stale).

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
import os
from pathlib import Path

from pelican.writers import FileOverwriteFailedError, Writer, logger

from generator.outputs import publish


class Relinker:
    """Writes into one build folder, linking what the previous build already has."""

    def __init__(self, build: Path, previous: Path | None):
        self.build = Path(os.path.abspath(build))
        self.previous = previous
        self.linked = 0
        self.written = 0

    @classmethod
    def of(cls, build: str | os.PathLike) -> Relinker:
        build = Path(build)
        return cls(build, publish.previous_build(build))

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
