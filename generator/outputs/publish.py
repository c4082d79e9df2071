"""Publishing a build: output/ is a symlink to the current build, swapped in one atomic step.

    output -> .site/20261201-214926-3fa2c1/      the complete current build
    .site/20261201-215301-9b0e44/                a build in progress (staging)

A build is written into a fresh folder of `.site/` (beside output/); only when it is
complete does `publish()` point output/ at it, by renaming a new symlink over the old one
(rename(2) is atomic), then removes the older builds. A kill at any moment leaves output/
pointing at a complete site, the old or the new; nothing is copied, so a later incremental
build can start from the current one. A failed build removes its staging folder; one that
is killed leaves it behind for the next build to remove.

The first run after the old layout finds output/ as a real folder: it is exchanged with the
new symlink in one step with Linux renameat2(RENAME_EXCHANGE). Where that call is missing
(not Linux, old kernel, a file system without it) the folder is renamed away first and the
symlink put in its place: output/ is missing between the two renames, once.

One build at a time: a build removes every other folder of `.site/`.

A build starts from the published one without copying it: what it writes unchanged is a hard
link of the published file (relink.py, `previous_build()`), and the search index is reused when
no page changed (search.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

STORE = ".site"
AT_FDCWD = -100
RENAME_EXCHANGE = 2


def store(output: Path) -> Path:
    return output.parent / STORE


def _new_id() -> str:
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


@contextlib.contextmanager
def staging(output: Path) -> Iterator[Path]:
    """A fresh, empty build folder; removed again unless the build is published."""
    folder = store(output) / _new_id()
    folder.mkdir(parents=True)
    try:
        yield folder
    except BaseException:
        if current(output) != folder.resolve():  # not once it is published
            shutil.rmtree(folder, ignore_errors=True)
        raise


def current(output: Path) -> Path | None:
    """The build output/ points at (None if it is not one of ours)."""
    if not output.is_symlink():
        return None
    target = (output.parent / os.readlink(output)).resolve()
    return target if target.parent == store(output).resolve() else None


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
    """Point output/ at `build` atomically, then remove every other build."""
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
    prune(output)


def prune(output: Path) -> None:
    """Remove every build but the current one (older builds, staging left by a killed build).
    Best effort: what cannot be removed now is removed by the next build."""
    keep = current(output)
    folder = store(output)
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if keep is not None and entry.resolve() == keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
