"""PDFs over several machines, and progress on long builds.

`invoke build --shard i/n` (BUDGET_SHARD="i/n") renders only the i-th of n parts of the PDFs
into the PDF cache, a folder of files named by the hash of their inputs (pdf.py), so the caches
of n machines merge by copying them into one folder. The parts are deterministic: a PDF's part is
the hash of its output path modulo n, whatever the other PDFs. `invoke build --assemble`
(BUDGET_ASSEMBLE=true) then builds the site with every PDF from the merged cache and renders
none: a PDF missing from it (a shard that did not run, a cache not restored) is E410.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from typing import TextIO, TypeVar

from generator.core.diagnostics import Issue, Location, issue


def parse(shard: str) -> tuple[int, int]:
    i, n = (int(x) for x in shard.split("/"))
    return i, n


T = TypeVar("T")


def part_of(name: str, n: int) -> int:
    """The part (1 … n) a PDF's output path falls in: by its hash, so that a department added or
    removed moves no other PDF to another shard (whose CI cache would not have it)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % n + 1


def select(named: list[tuple[str, T]], shard: str) -> list[tuple[str, T]]:
    """The i-th of n parts of (output path, job) pairs, in the order of their paths."""
    i, n = parse(shard)
    return [pair for pair in sorted(named, key=lambda p: p[0]) if part_of(pair[0], n) == i]


def missing(names: list[str], cache: str) -> list[Issue]:
    """E410 for PDFs an assembly did not find in the cache."""
    if not names:
        return []
    return [issue("E410", Location("PDF"), count=len(names), example=sorted(names)[0], cache=cache)]


class Progress:
    """`PDF 12/300 (4%), ETA 5 min 10 s` on a terminal, overwritten in place; nothing in CI or a log."""

    def __init__(self, total: int, stream: TextIO | None = None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.shown = total > 1 and self.stream.isatty() and not os.environ.get("CI")

    def step(self) -> None:
        self.done += 1
        if not self.shown:
            return
        elapsed = time.monotonic() - self.start
        left = elapsed / self.done * (self.total - self.done)
        eta = f"{int(left // 60)} min {int(left % 60)} s" if left >= 60 else f"{left:.0f} s"
        end = "\n" if self.done == self.total else ""
        self.stream.write(f"\rPDF {self.done}/{self.total} ({100 * self.done // self.total}%), ETA {eta}   {end}")
        self.stream.flush()
