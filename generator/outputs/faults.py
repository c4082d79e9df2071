"""File-system faults (read-only, permission denied, disk full …) as one clear line, never a traceback.

`fault_issue(exc, what)` names what could not be written, where, and what to do (the plugin
logs it and stops the build, tasks.py prints it). Imported by tasks.py: nothing heavy here.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from generator.core.diagnostics import Issue, Location, issue
from generator.core.labels import Label

WHAT = {
    "site": Label("网站", "the site"),
    "cache": Label("PDF 缓存", "the PDF cache"),
}
FIX = {
    "site": Label("或改在其他位置生成：invoke build --output 目录", "Or build elsewhere: invoke build --output DIR"),
    "cache": Label("或换一个缓存文件夹：invoke build --cache 目录，或不生成 PDF：--no-pdf",
                   "Or use another cache folder: invoke build --cache DIR, or skip the PDFs: --no-pdf"),
}
CODES = {
    errno.EROFS: "E501",
    errno.EACCES: "E502", errno.EPERM: "E502",
    errno.ENOSPC: "E503", errno.EDQUOT: "E503",
    errno.EFBIG: "E504",
    errno.ENOTDIR: "E505", errno.EISDIR: "E505", errno.EEXIST: "E505", errno.ENOTEMPTY: "E505",
    errno.EBUSY: "E507", errno.EXDEV: "E507",
}


def _shown(path: str | bytes | os.PathLike[str]) -> str:
    path = os.fsdecode(path)
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


def fault_issue(exc: OSError, what: str, fallback: Path | str | None = None) -> Issue:
    """The issue for a failed write: `what` is "site" or "cache"; `fallback` is the place named
    when the error does not say which file (a write that fails on close)."""
    path = exc.filename if exc.filename is not None else fallback
    where = Location(_shown(path) if path is not None else "?")
    code = CODES.get(exc.errno, "E506") if exc.errno is not None else "E506"
    problem = exc.strerror or type(exc).__name__
    return issue(code, where, what=WHAT[what], fix=FIX[what], problem=Label(problem, problem))
