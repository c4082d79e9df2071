"""The bilingual classification catalogue (政府收支分类科目) and the tables' fixed rows.

functional.csv: 支出功能分类 类 (3 digits) / 款 (5) / 项 (7).
economic.csv:   部门预算支出经济分类 类 (3) / 款 (5).
Both carry the official Chinese name, an English name and where the English comes from
(SOURCES.md). tables.yaml holds the rows tables 01, 04 and 08 always show.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from generator.core.vocab import PERSONNEL_CLASSES  # noqa: F401  (re-exported: the ledger reads it here)

HERE = Path(__file__).parent
LEVELS = {3: "类", 5: "款", 7: "项"}


@dataclass(frozen=True)
class Entry:
    code: str
    level: str
    zh: str
    en: str
    en_source: str  # an ID defined in SOURCES.md, or "project" for our own translation

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class SummaryClass:
    code: str
    zh: str
    en: str


class Catalogue:
    def __init__(self, functional: dict[str, Entry], economic: dict[str, Entry], tables: dict):
        self.functional = functional
        self.economic = economic
        self.summary_classes = [
            SummaryClass(row["code"], row.get("zh") or functional[row["code"]].zh, row.get("en") or functional[row["code"]].en)
            for row in tables["summary_classes"]
        ]
        self.table08_rows: list[str] = list(tables["table08_rows"])

    @staticmethod
    def lineage(code: str) -> list[str]:
        """'2120199' -> ['212', '21201', '2120199']."""
        return [code[:n] for n in (3, 5, 7) if n <= len(code)]

    def nearest(self, code: str, table: dict[str, Entry], level: int) -> list[str]:
        """Known codes of the same length that are most like `code`: siblings first."""
        same_level = [c for c in table if len(c) == level]
        for prefix_len in range(level - 2, 2, -2):
            siblings = [c for c in same_level if c.startswith(code[:prefix_len])]
            if siblings:
                close = difflib.get_close_matches(code, siblings, n=3, cutoff=0)
                return close
        return difflib.get_close_matches(code, same_level, n=3, cutoff=0.5)



def _read_csv(path: Path) -> dict[str, Entry]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["code"]: Entry(r["code"], r["level"], r["name_zh"], r["name_en"], r["name_en_source"])
        for r in rows
    }


@cache
def load() -> Catalogue:
    tables = yaml.safe_load((HERE / "tables.yaml").read_text(encoding="utf-8"))
    return Catalogue(_read_csv(HERE / "functional.csv"), _read_csv(HERE / "economic.csv"), tables)
