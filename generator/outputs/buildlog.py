"""The build's issues through logging: one plain line each on stderr, as `budget check` prints
them, errors logged as errors and warnings as warnings (so `pelican --fatal warnings` stops on
a budget warning); a build that must stop raises BuildFailed, which Pelican reports without a
traceback (and `pelican -r` goes on watching).
"""

from __future__ import annotations

import logging
import sys
from typing import NoReturn

from generator.cli import summary
from generator.core.diagnostics import ERROR, WARNING, Issue

log = logging.getLogger(__name__)


class BuildFailed(Exception):
    """The build stops: its issues have been logged; the message is their count."""


def report(issues: list[Issue], lang: str, count: bool = True) -> bool:
    """Log every issue (and how many there are): True when `pelican --fatal` asks to stop on one."""
    lines = [(i.severity, i.format(lang)) for i in issues]
    if count and issues:
        lines.append((ERROR if any(i.severity == ERROR for i in issues) else WARNING, summary(issues, lang)))
    fatal = False
    for severity, line in lines:
        try:
            (log.error if severity == ERROR else log.warning)("%s", line)
        except RuntimeError:  # Pelican's --fatal raises once the line is logged: log the others first
            fatal = True
    return fatal


def stop(issues: list[Issue], lang: str) -> NoReturn:
    report(issues, lang)
    raise BuildFailed(summary(issues, lang))


class _Stderr(logging.StreamHandler):
    """The issues as plain lines on stderr, whatever Pelican's log handler (the current
    sys.stderr, so that a test capturing it sees them)."""

    def __init__(self):
        super().__init__()
        self.setFormatter(logging.Formatter("%(message)s"))

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


class _Reported(logging.Filter):
    """Pelican logs the exception that stopped a build with its traceback: a BuildFailed has
    logged its issues already, so no traceback, and no repeat when `pelican` exits (`pelican -r`
    still says it caught it, and goes on watching)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        exc = record.exc_info[1] if record.exc_info else next((a for a in args if isinstance(a, Exception)), None)
        if not isinstance(exc, BuildFailed):
            return True
        record.exc_info = record.exc_text = None
        return record.levelno < logging.CRITICAL


def show_issues() -> None:
    """Budget issues are the build's report: shown as `path:line:col: CODE message` lines even
    under `pelican -q`, each one once per build (not once per process, under `pelican -r`)."""
    if not any(isinstance(h, _Stderr) for h in log.handlers):
        log.addHandler(_Stderr())
        log.propagate = False
        log.setLevel(logging.WARNING)
        getattr(log, "disable_filter", lambda: None)()  # Pelican's logger drops a repeated message
    pelican_log = logging.getLogger("pelican")
    if not any(isinstance(f, _Reported) for f in pelican_log.filters):
        pelican_log.addFilter(_Reported())
