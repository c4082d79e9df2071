"""File-system faults (read-only, permission denied, disk full …) as one clear line, never a traceback.

`fault_issue(exc, what)` names what could not be written, where, and what to do (the plugin
logs it and stops the build, tasks.py prints it); `guard_writes(pelican)` turns any such fault
while Pelican builds into that line.
"""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path
from typing import Any

from pelican import signals

from generator.core.diagnostics import Issue, Location, issue
from generator.core.labels import Label
from generator.core.settings import BudgetSettings
from generator.outputs.buildlog import BuildFailed, report

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


class _CopyFaults(logging.Filter):
    """Pelican's theme copy logs a failed copy as a warning and goes on: collect those faults
    (the build must fail), let the other records through as before."""

    def __init__(self, shown_from: int):
        super().__init__()
        self.shown_from = shown_from
        self.faults: list[OSError] = []

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if args and isinstance(args[-1], OSError):  # "A problem occurred copying file %s to %s; %s"
            self.faults.append(args[-1])
            return False
        if str(record.msg).startswith("Cannot copy") and len(args) == 2:  # a file where the folder goes
            self.faults.append(OSError(errno.ENOTDIR, "Not a directory", args[1]))
            return False
        return record.levelno >= self.shown_from


def guard_writes(pelican: Any, budget: BudgetSettings) -> None:
    """Any file-system fault while Pelican builds (our writes, Pelican's writer, its theme copy,
    the PDF cache) stops the build with one line instead of Pelican's traceback."""
    run, settings = pelican.run, pelican.settings

    def what(exc: OSError) -> str:
        path = Path(os.fsdecode(exc.filename)).absolute() if exc.filename is not None else None
        cache = budget.cache_dir(settings["PATH"]).absolute()
        return "cache" if path is not None and (path == cache or cache in path.parents) else "site"

    def guarded_run() -> None:
        logger = logging.getLogger("pelican.utils")
        level, shown_from = logger.level, logger.getEffectiveLevel()
        copies = _CopyFaults(shown_from)
        logger.setLevel(min(shown_from, logging.WARNING))  # `pelican -q` would drop the warnings unseen
        logger.addFilter(copies)

        def copied(sender: object) -> None:  # the theme copy is the last write, before Pelican says "Done"
            if copies.faults:
                raise copies.faults[0]

        signals.finalized.connect(copied, weak=False)
        try:
            run()
        except OSError as exc:
            fault = fault_issue(exc, what(exc), settings["OUTPUT_PATH"])
            report([fault], budget.messages_lang, count=False)
            raise BuildFailed(fault.format(budget.messages_lang)) from exc
        finally:
            signals.finalized.disconnect(copied)
            logger.removeFilter(copies)
            logger.setLevel(level)

    pelican.run = guarded_run
