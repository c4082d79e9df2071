"""Hashes of what a cache entry is made of: parts, folders of files, installed libraries."""

from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tree_digest(folder: Path, skip: tuple[Path, ...] = ()) -> str:
    """Every file below `folder` (its path and bytes), but those under `skip` and caches. The walk does not
    go into a skipped folder (a content folder's budgets/: a thousand files), nor into linked folders."""
    h = hashlib.sha256()
    if not folder.is_dir():
        return h.hexdigest()
    skipped = {s.resolve() for s in skip}
    root = folder.resolve()
    found: list[tuple[tuple[str, ...], Path]] = []
    for top, dirs, files in os.walk(folder):
        rel = Path(top).relative_to(folder)
        real_top = root / rel
        dirs[:] = [d for d in dirs if d != "__pycache__" and real_top / d not in skipped]
        for name in files:
            path = Path(top, name)
            real = path.resolve() if path.is_symlink() else real_top / name
            if name.endswith(".pyc") or not path.is_file() or real in skipped or any(s in real.parents for s in skipped):
                continue
            found.append(((*rel.parts, name), path))
    for parts, path in sorted(found, key=lambda item: item[0]):
        h.update("/".join(parts).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def versions(packages: tuple[str, ...]) -> str:
    """The installed versions of `packages`, one a line ("-" for one that is missing)."""
    found = []
    for name in packages:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return "\n".join(found)
