"""Pelican's run guarded: any file-system fault while it builds (our writes, Pelican's writer, its
theme copy, the PDF cache) stops the build with one line (faults.py) instead of Pelican's traceback."""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path
from typing import Any

from pelican import signals

from generator.core.settings import BudgetSettings
from generator.outputs.buildlog import BuildFailed, report
from generator.outputs.faults import fault_issue


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
