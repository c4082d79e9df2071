"""`invoke publish`: the built site as one dated archive, ready to upload into an office's CMS.

    dist/budget-site-20261202-101500-3fa2c1.zip     the build output/ points at (.site/<build-id>/)

The archive holds every file of output/ (the symlink followed) at its path relative to the site,
in sorted order, without folder entries, each stamped with the build's time (the build id's
date and time) and mode 0644: the same build always gives the same bytes. An output/ that is a
plain folder (a `pelican content` build) is named by its newest file's date and a digest of its
files instead. The archive is written beside its final name and renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import zipfile
from pathlib import Path

NAME = "budget-site-{stamp}.zip"
_BUILD_ID = re.compile(r"(\d{8})-(\d{6})-[0-9a-f]+")


def files(site: Path) -> list[Path]:
    return sorted((p for p in site.rglob("*") if p.is_file()), key=lambda p: p.relative_to(site).as_posix())


def stamp_of(output: Path, found: list[Path]) -> tuple[str, tuple[int, int, int, int, int, int]]:
    """The archive's name part and its files' time: the build id, or the newest file and a digest."""
    m = _BUILD_ID.fullmatch(output.resolve().name)
    if m:
        t = time.strptime(m[1] + m[2], "%Y%m%d%H%M%S")
        return m[0], (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)
    newest = max((p.stat().st_mtime for p in found), default=0.0)
    t = time.gmtime(max(newest, 315532800))  # zip times start in 1980
    digest = hashlib.sha256()
    for p in found:
        digest.update(p.relative_to(output).as_posix().encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return (f"{time.strftime('%Y%m%d-%H%M%S', t)}-{digest.hexdigest()[:6]}",
            (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec))


def archive(output: Path, dist: Path) -> Path:
    """Write the archive of `output` into `dist`; its path. FileNotFoundError: no site at `output`."""
    site = output.resolve()
    if not (site / "index.html").is_file():
        raise FileNotFoundError(os.fspath(site / "index.html"))
    found = files(site)
    stamp, when = stamp_of(output, found)
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / NAME.format(stamp=stamp)
    partial = target.with_name(f".{target.name}.partial")
    with zipfile.ZipFile(partial, "w") as z:
        for path in found:
            info = zipfile.ZipInfo(path.relative_to(site).as_posix(), date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode below is read
            info.external_attr = 0o100644 << 16
            z.writestr(info, path.read_bytes(), compresslevel=9)
    os.replace(partial, target)
    return target
