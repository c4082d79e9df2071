"""`budget import FILE.pdf -o content/budgets/YEAR/slug.yaml [--profile P] [--force]` (cli.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.core.diagnostics import ERROR
from generator.importer.run import import_pdf


def run_import(path: Path, out: Path, profile: str | None, force: bool, lang: str) -> int:
    """Write the draft and print the import report; exit 1 (and write nothing) on a problem."""
    imported, found = import_pdf(path, out, profile, force)
    for i in found:
        print(i.format(lang), file=sys.stderr)
    if imported is None or any(i.severity == ERROR for i in found):
        return 1
    print(("已写入预算草稿 " if lang == "zh" else "wrote the draft ") + str(out))
    for line in imported.report(lang):
        print(line)
    return 0
