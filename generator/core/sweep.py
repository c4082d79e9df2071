"""When a cache folder is swept: entries unused for 30 days are removed at most once a day.

A sweep visits every entry (tens of thousands in a district); doing it on every build cost a
rebuild of one edited department more than a second at N=1,000.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

DAY = 86400
STAMP = ".swept"


def sweep_due(folder: Path) -> bool:
    """Whether `folder`'s daily sweep is due (marked done at once: a sweep that fails is not retried today)."""
    stamp = folder / STAMP
    with contextlib.suppress(OSError):
        if time.time() - stamp.stat().st_mtime < DAY:
            return False
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return True
