"""Publishing a build: output/ is a symlink to the current build, swapped in one atomic step.

    output -> .site/20261201-214926-3fa2c1/      the complete current build
    .site/20261201-214926-3fa2c1.json            its manifest (relink.py): the files it made by token
    .site/20261201-211002-77d1aa/ (+ .json)      the build published before it: the spare
    .site/20261201-215301-9b0e44/                a build in progress (staging)

A build is written into a folder of `.site/` beside output/; only when it is complete does
`publish()` point output/ at it, by renaming a new symlink over the old one (rename(2) is
atomic). A kill at any moment leaves output/ pointing at a complete site, the old or the new.

Two builds are kept, double-buffered: the published one and the one published before it (the
spare). A build does not start from an empty folder but from the spare, renamed to the new
build's name and trimmed (`trim()`) to the files its manifest names; the build
then rewrites only what differs (relink.py), removes what it no longer makes, and is published.
At a thousand department-years that saves making ~7,500 folders, linking ~35,000 files and
removing a whole build each time. The spare is never the published build, so nothing a reader
can see changes before the swap; a file the spare shares with the published build (a hard
link) is never changed in place, only replaced. A spare without its manifest (a build killed
while it was being updated) is not trusted: it is removed, and the build starts empty.

A failed build removes its folder; one that is killed leaves it behind for the next build to
remove. The first run after the old layout finds output/ as a real folder: it is exchanged
with the new symlink in one step with Linux renameat2(RENAME_EXCHANGE). Where that call is
missing (not Linux, old kernel, a file system without it) the folder is renamed away first and
the symlink put in its place: output/ is missing between the two renames, once.

One build at a time: publishing removes every folder of `.site/` but the two it keeps and those
that other outputs in the same folder show.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

STORE = ".site"
Files = dict[str, list[Any]]  # a manifest's files: name -> [token, size]
AT_FDCWD = -100
RENAME_EXCHANGE = 2


def store(output: Path) -> Path:
    return output.parent / STORE


def _new_id() -> str:
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


@contextlib.contextmanager
def staging(output: Path) -> Iterator[Path]:
    """The build's folder (the spare, trimmed, or a new one); removed again unless it is published."""
    folder = store(output) / _new_id()
    folder.parent.mkdir(parents=True, exist_ok=True)
    if not _from_spare(output, folder):
        folder.mkdir()
    try:
        yield folder
    except BaseException:
        if current(output) != folder.resolve():  # not once it is published
            shutil.rmtree(folder, ignore_errors=True)
            for made in (kept_path(folder), manifest_path(folder)):
                with contextlib.suppress(OSError):
                    made.unlink()
        raise


def manifest_path(build: Path) -> Path:
    """Where a build's manifest is: beside it in `.site/` (relink.py writes it)."""
    return build.parent / f"{build.name}.json"


def kept_path(build: Path) -> Path:
    """What a build started from the spare holds when it starts: the spare's manifest, moved."""
    return build.parent / f"{build.name}.before.json"


def read_manifest(path: Path, build: Path | None = None) -> Files | None:
    """A manifest's files, name -> [token, size] (None: missing, damaged, or of another build than `build`)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or not isinstance(found.get("files"), dict):
        return None
    if build is not None and found.get("build") != str(build):
        return None
    files: Files = found["files"]
    return files


def _from_spare(output: Path, folder: Path) -> bool:
    """Make `folder` out of the spare: renamed and trimmed to its manifest; what is left is `kept_path(folder)`.
    False (and the spare removed) where there is none or it cannot be used."""
    published = live(output)
    for entry in sorted(store(output).iterdir(), reverse=True):  # the newest first
        if entry.is_symlink() or not entry.is_dir() or entry.resolve() in published:
            continue
        files = read_manifest(manifest_path(entry), entry.resolve())
        if files is None:
            continue
        try:
            os.rename(entry, folder)
            manifest_path(entry).unlink()
            held = trim(folder, files)
            kept_path(folder).write_text(json.dumps({"files": held}), encoding="utf-8")
        except OSError:
            shutil.rmtree(folder if folder.exists() else entry, ignore_errors=True)
            return False
        return True
    return False


def trim(folder: Path, files: Files) -> Files:
    """Remove every file below `folder` that `files` does not name, and the folders left empty; the files
    that are left, as `files` names them. (Names only, no stat: a file is only ever put at its name whole,
    by a rename, so a named file is the one its manifest describes; at 35,000 files this walk is 0.1 s.)"""
    held: Files = {}

    def walk(path: str, prefix: str) -> bool:  # True: the folder is empty now
        left = 0
        with os.scandir(path) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if walk(entry.path, name + "/"):
                        os.rmdir(entry.path)
                    else:
                        left += 1
                    continue
                want = files.get(name)
                if isinstance(want, list) and len(want) == 2 and not entry.is_symlink():
                    left += 1
                    held[name] = want
                else:
                    os.unlink(entry.path)
        return left == 0

    walk(str(folder), "")
    return held


def current(output: Path) -> Path | None:
    """The build output/ points at (None if it is not one of ours)."""
    if not output.is_symlink():
        return None
    target = (output.parent / os.readlink(output)).resolve()
    return target if target.parent == store(output).resolve() else None


def live(output: Path) -> set[Path]:
    """The builds of `.site/` that a symlink beside it shows: output/'s, and those of other outputs in
    the same folder (`--output site/preview` beside `site/output`), never removed or reused."""
    found = set()
    with contextlib.suppress(OSError), os.scandir(output.parent) as entries:
        for entry in entries:
            if entry.is_symlink() and (target := current(Path(entry.path))) is not None:
                found.add(target)
    return found


def previous_build(build: Path) -> Path | None:
    """The published build a build in `.site/` starts from: the target of the symlink beside
    `.site/` that points into it, if that is not `build` itself (None: no previous build)."""
    build = build.resolve()
    folder = build.parent
    if folder.name != STORE:
        return None
    try:
        with os.scandir(folder.parent) as entries:
            for entry in entries:
                if entry.is_symlink():
                    target = current(Path(entry.path))
                    if target is not None and target != build and target.is_dir():
                        return target
    except OSError:
        return None
    return None


@functools.lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    return getattr(ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True), "renameat2", None)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the call is not available."""
    fn = _renameat2()
    if fn is None:
        return False
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):  # no such call, or the file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(b))


def publish(output: Path, build: Path) -> None:
    """Point output/ at `build` atomically, then remove every other build but the one it replaces
    (the next build's spare)."""
    spare = current(output)
    link = store(output) / f"{build.name}.link"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(os.path.relpath(build, output.parent), link)
    try:
        if output.is_symlink() or not output.exists():
            os.replace(link, output)
        elif output.is_dir():  # the old layout: a real folder
            if not _exchange(link, output):
                previous = store(output) / f"{build.name}.previous"
                os.rename(output, previous)
                try:
                    os.replace(link, output)
                except BaseException:
                    os.rename(previous, output)
                    raise
            # after an exchange `link` is the old folder, removed with the other builds
        else:
            raise OSError(errno.ENOTDIR, "not a folder or a symlink", str(output))
    except BaseException:
        if link.is_symlink():
            link.unlink()
        raise
    prune(output, spare)


def prune(output: Path, spare: Path | None = None) -> None:
    """Remove every build but the current one and the spare, if it has its manifest (older builds,
    staging left by a killed build, the manifests of builds that are gone).
    Best effort: what cannot be removed now is removed by the next build."""
    keep = live(output) | ({spare} if spare is not None and manifest_path(spare).is_file() else set())
    folder = store(output)
    if not folder.is_dir():
        return
    names = {p.name for p in keep} | {manifest_path(p).name for p in keep}
    for entry in folder.iterdir():
        if entry.name in names and (entry.resolve() in keep or not entry.is_dir()):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
