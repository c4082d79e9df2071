"""The bilingual classification catalogue (政府收支分类科目), one per edition year, and the tables' fixed rows.

functional.csv: 支出功能分类 类 (3 digits) / 款 (5) / 项 (7).
economic.csv:   部门预算支出经济分类 类 (3) / 款 (5).
Both carry the official Chinese name, an English name, where the English comes from (`name_en_source`),
where the Chinese name was checked (`source`: IDs of SOURCES.md, or `unverified`) and the editions the
row belongs to (`since`/`until`, blank: open; editions.yaml lists the editions). tables.yaml holds the
rows tables 01, 04 and 08 always show.

`load(year, content)` is the catalogue in force for a budget year: the latest edition <= year (the
first edition for earlier years), plus the content's local additions `content/catalogue/<year>.yaml`
(local.py), whose problems are in `Catalogue.issues` (loading never raises).
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from generator.core.diagnostics import Issue
from generator.core.labels import Label
from generator.core.vocab import PERSONNEL_CLASSES  # noqa: F401  (re-exported: the ledger reads it here)

HERE = Path(__file__).parent
LEVELS = {3: "类", 5: "款", 7: "项"}
KINDS = ("functional", "economic")
LEVEL_DIGITS = {"functional": (3, 5, 7), "economic": (3, 5)}
UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Entry:
    code: str
    level: str
    zh: str
    en: str
    en_source: str  # an ID defined in SOURCES.md, or "project" for our own translation
    source: str = UNVERIFIED  # where the Chinese name was checked: SOURCES.md IDs (';'), or "unverified"
    local: bool = False  # added by the content (content/catalogue/<year>.yaml), not in the edition

    @property
    def verified(self) -> bool:
        """The Chinese name was checked against a source defined in SOURCES.md (never a local row)."""
        return not self.local and self.source != UNVERIFIED

    @property
    def official_en(self) -> bool:
        return not self.local and self.en_source != "project"

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class SummaryClass:
    code: str
    zh: str
    en: str


def _editions() -> dict[int, dict[str, str]]:
    data = yaml.safe_load((HERE / "editions.yaml").read_text(encoding="utf-8"))
    return {int(year): names for year, names in sorted(data.items())}


EDITIONS = _editions()


def edition_for(year: int | None) -> int:
    """The edition a budget of `year` uses: the latest one <= year; the first for earlier years; None: the latest."""
    if year is None:
        return max(EDITIONS)
    earlier = [e for e in EDITIONS if e <= year]
    return max(earlier) if earlier else min(EDITIONS)


def local_file(content: Path | None, year: int) -> Path:
    return (content if content is not None else Path("content")) / "catalogue" / f"{year}.yaml"


class Catalogue:
    def __init__(self, functional: dict[str, Entry], economic: dict[str, Entry], tables: dict,
                 edition: int | None = None, year: int | None = None, issues: list[Issue] | None = None,
                 local_path: str | None = None):
        self.functional = functional
        self.economic = economic
        self.edition: int = edition if edition is not None else max(EDITIONS)
        self.year: int = year if year is not None else self.edition
        self.issues: list[Issue] = list(issues or [])  # problems of the local additions file
        self.local_path = local_path or f"content/catalogue/{self.year}.yaml"
        self.summary_classes = [
            SummaryClass(row["code"], row.get("zh") or functional[row["code"]].zh, row.get("en") or functional[row["code"]].en)
            for row in tables["summary_classes"]
        ]
        self.table08_rows: list[str] = list(tables["table08_rows"])

    def table(self, kind: str) -> dict[str, Entry]:
        return self.functional if kind == "functional" else self.economic

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

    # ---------------------------------------------------------------- advice for an unknown code

    def elsewhere(self, code: str, kind: str) -> list[tuple[int, Entry]]:
        """The other editions that have `code`, with its entry there."""
        return [(e, entry) for e in EDITIONS if e != self.edition
                and (entry := _edition_tables(e)[KINDS.index(kind)].get(code)) is not None]

    def by_name(self, texts: list[str], kind: str, level: int) -> list[Entry]:
        """Codes of `level` whose (distinctive) Chinese name is in, or close to, one of `texts`."""
        rows = [e for c, e in self.table(kind).items() if len(c) == level]
        counts: dict[str, int] = {}
        for e in rows:
            counts[e.zh] = counts.get(e.zh, 0) + 1
        scored: dict[str, tuple[float, Entry]] = {}
        for text in texts:
            for e in rows:
                if counts[e.zh] > 1 or len(e.zh) < 2:
                    continue  # 行政运行, 事业运行 … name no purpose of their own
                core = e.zh.removesuffix("支出")
                score = 1.0 + len(core) / 100 if core in text else difflib.SequenceMatcher(None, e.zh, text).ratio()
                if score >= 0.6 and score > scored.get(e.code, (0.0, e))[0]:
                    scored[e.code] = (score, e)
        return [e for _, e in sorted(scored.values(), key=lambda s: (-s[0], s[1].code))[:3]]

    def advice(self, code: str, kind: str, texts: list[str]) -> dict[str, Label]:
        """The tails of an E201/E202 message: `hint` (neighbouring codes, with their names), `elsewhere`
        (other editions), `by_name` (codes named like the lines' texts) and `add` (how to add a local code)."""
        table, level = self.table(kind), len(code)
        near = [table[c] for c in self.nearest(code, table, level)]
        hint = Label("", "")
        if near:
            hint = Label("；是否想写 " + " / ".join(f"{e.code!r}（{e.zh}）" for e in near) + "？（相邻科目用途各不相同，请核对）",
                         "; did you mean " + " / ".join(f"{e.code!r} ({e.en})" for e in near)
                         + "? (neighbouring codes have other purposes: check before using one)")
        other = self.elsewhere(code, kind)
        elsewhere = Label("".join(f"；{code} 在 {e} 年版中为“{entry.zh}”" for e, entry in other),
                          "".join(f"; {code} is in the {e} edition as '{entry.en}' ({entry.zh})" for e, entry in other))
        named = [e for e in self.by_name(texts, kind, level) if e not in near]
        by_name = Label("", "")
        if named:
            by_name = Label("；名称相近的科目：" + " / ".join(f"{e.code!r}（{e.zh}）" for e in named),
                            "; codes named like the lines: " + " / ".join(f"{e.code!r} ({e.en})" for e in named))
        row = f"{kind}: [{{code: '{code}', zh: …, en: …, source: …}}]"
        add = Label(f"；如该科目确已列入本年科目（例如年中新增），请在 {self.local_path} 中添加本地科目：{row}"
                    f"（zh 为官方中文名称，source 为科目的出处）",
                    f"; if the code is real (e.g. added during the year), add it as a local code in {self.local_path}: {row}"
                    f" (zh: the official Chinese name; source: where the code is published)")
        return {"hint": hint, "elsewhere": elsewhere, "by_name": by_name, "add": add}


# ---------------------------------------------------------------- reading the editions


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with (HERE / name).open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def _in_edition(row: dict[str, str], edition: int) -> bool:
    since, until = row.get("since") or "", row.get("until") or ""
    return (not since or int(since) <= edition) and (not until or edition <= int(until))


@cache
def _edition_tables(edition: int) -> tuple[dict[str, Entry], dict[str, Entry]]:
    tables = []
    for kind in KINDS:
        table: dict[str, Entry] = {}
        for r in _rows(f"{kind}.csv"):
            if _in_edition(r, edition):
                if r["code"] in table:
                    raise ValueError(f"{kind}.csv: {r['code']} twice in the {edition} edition")
                table[r["code"]] = Entry(r["code"], r["level"], r["name_zh"], r["name_en"], r["name_en_source"],
                                         r.get("source") or UNVERIFIED)
        tables.append(table)
    return tables[0], tables[1]


@cache
def _tables_yaml() -> dict:
    return yaml.safe_load((HERE / "tables.yaml").read_text(encoding="utf-8"))


@cache
def _load(edition: int, year: int, local: str | None, mtime: int | None) -> Catalogue:
    from generator.catalogue.local import load_local

    functional, economic = (dict(t) for t in _edition_tables(edition))
    issues: list[Issue] = []
    shown = None
    if local is not None:
        path = Path(local)
        shown = _shown(path)
        if mtime is not None:
            rows, issues = load_local(path, shown, functional, economic)
            functional.update(rows["functional"])
            economic.update(rows["economic"])
            functional, economic = _sorted(functional), _sorted(economic)
    return Catalogue(functional, economic, _tables_yaml(), edition=edition, year=year, issues=issues, local_path=shown)


def _sorted(table: dict[str, Entry]) -> dict[str, Entry]:
    return dict(sorted(table.items()))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load(year: int | None = None, content: Path | None = None) -> Catalogue:
    """The catalogue in force for a budget of `year` (None: the latest edition), with the local additions
    of `content` (content/catalogue/<year>.yaml) when `content` is given. Cached per (year, content, the
    local file's modification time)."""
    edition = edition_for(year)
    shown_year = year if year is not None else edition
    if content is None:
        return _load(edition, shown_year, None, None)
    path = local_file(content, shown_year)
    try:
        mtime: int | None = path.stat().st_mtime_ns
    except OSError:
        mtime = None
    return _load(edition, shown_year, str(path), mtime)
