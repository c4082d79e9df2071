"""Hashes of what a cache entry is made of: parts, folders of files, installed libraries."""

from __future__ import annotations

import hashlib
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
    """Every file below `folder` (its path and bytes), but those under `skip` and caches."""
    h = hashlib.sha256()
    if not folder.is_dir():
        return h.hexdigest()
    skipped = [s.resolve() for s in skip]
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        real = path.resolve()
        if any(real == s or s in real.parents for s in skipped):
            continue
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
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
