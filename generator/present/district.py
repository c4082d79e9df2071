"""What the district pages show: every document of a year side by side, the district's totals by
function 类 and by source, and each document's history over the years in the content.

All amounts are computed here from the documents' briefs (compute/brief.py: table 01's total, the
ledger's lines by function and by source, last year's total) in exact yuan; the pages print them
in one unit, 万元, so that departments of different display units compare. Every figure a page prints is a named value of its
`Figures` (`row.<slug>.total`, `function.212`, `2025.change` …), shown through `Figures.show`
as `<span data-d="name">`, and read back from the rendered page by outputs/district.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup, escape

from generator.compute.brief import Brief
from generator.core import vocab
from generator.core.labels import UNIT_NAMES
from generator.core.money import ZERO, grouped, round_half_up, to_unit

UNIT = "万元"  # the district pages' one unit
AMOUNT, CHANGE, PERCENT, SIGNED_PERCENT = "amount", "change", "percent", "signed_percent"
MINUS = "\u2212"  # a real minus sign on the page; the read-back accepts it


def shown(kind: str, value: Decimal) -> Decimal:
    """What a reader sees of an exact value, as a number: 万元 or percent, rounded half-up once."""
    return to_unit(value, UNIT) if kind in (AMOUNT, CHANGE) else round_half_up(value)


def text(kind: str, value: Decimal | None) -> str:
    """'5,715.29', '+120.00', '−3.50', '12.34%', '+10.43%'; '—' for no value."""
    if value is None:
        return "—"
    number = shown(kind, value)
    body = grouped(abs(number))
    signed = kind in (CHANGE, SIGNED_PERCENT)
    sign = ("+" if number > 0 else MINUS if number < 0 else "") if signed else ("-" if number < 0 else "")
    return f"{sign}{body}{'%' if kind in (PERCENT, SIGNED_PERCENT) else ''}"


@dataclass
class Figures:
    """The named values of one page: name -> (kind, exact value or None)."""

    values: dict[str, tuple[str, Decimal | None]] = field(default_factory=dict)

    def put(self, name: str, kind: str, value: Decimal | None) -> str:
        self.values[name] = (kind, value)
        return name

    def value(self, name: str) -> Decimal | None:
        return self.values[name][1]

    def show(self, name: str, tag: str = "span") -> Markup:
        """The figure as the page prints it, marked for the read-back (`tag` tspan inside an SVG)."""
        return Markup(f'<{tag} data-d="{escape(name)}">{escape(self.text(name))}</{tag}>')

    def text(self, name: str) -> str:
        return text(*self.values[name])

    def sort_value(self, name: str) -> str:
        """The exact value as a sort key for the table script ('' sorts last)."""
        value = self.values[name][1]
        return "" if value is None else f"{value:f}"


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == ZERO else part * 100 / whole


def total_of(db: Brief) -> Decimal:
    """The document's total as table 01 prints it (收入总计), exact yuan."""
    return db.total


def last_year_total(db: Brief) -> Decimal | None:
    return db.last_year_total


def by_function(dbs: list[Brief]) -> dict[str, Decimal]:
    """Σ of the ledger lines by function 类 (the first three digits), in code order."""
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for db in dbs:
        for code, amount in db.functions.items():
            out[code] += amount
    return dict(sorted(out.items()))


def by_source(dbs: list[Brief]) -> dict[str, Decimal]:
    """Σ of the ledger lines by income source, in the order of table 01."""
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for db in dbs:
        for key, amount in db.sources.items():
            out[key] += amount
    order = vocab.source_keys()
    return {k: out[k] for k in sorted(out, key=lambda k: order.index(k) if k in order else len(order))}


def function_name(dbs: list[Brief], code: str, lang: str) -> str:
    for db in dbs:
        names = db.classes.get(code)
        if names is not None:
            return names[0] if lang == "zh" else names[1]
    return code


def source_name(key: str, lang: str) -> str:
    return vocab.source(key).label(lang)


def departments(dbs: list[Brief]) -> list[Brief]:
    """The 部门预算 documents (a 单位预算 is part of its department's total, never added again)."""
    return [db for db in dbs if db.kind == "department"]


@dataclass
class Row:
    db: Brief
    key: str  # the figure names' prefix: row.<slug>
    units: list[Row] = field(default_factory=list)  # a department's own 单位预算 rows


class YearIndex:
    """{lang}/{year}/index.html: every document of the year with its total, change and share."""

    def __init__(self, year: int, dbs: list[Brief]):
        self.year = year
        self.figures = f = Figures()
        depts = departments(dbs)
        self.total = sum((total_of(db) for db in depts), ZERO)
        before = [last_year_total(db) for db in depts]
        last = sum((b for b in before if b is not None), ZERO) if depts and None not in before else None
        for where in ("lead", "sum"):  # the sentence above the table and its 合计 row
            f.put(f"{where}.total", AMOUNT, self.total)
            f.put(f"{where}.change", CHANGE, None if last is None else self.total - last)
            f.put(f"{where}.change_pct", SIGNED_PERCENT, None if last is None else _share(self.total - last, last))
        f.put("sum.share", PERCENT, _share(self.total, self.total))
        self.has_change = last is not None
        rows = {}
        for db in sorted(depts, key=lambda d: (-total_of(d), d.slug)):  # the largest first, without a script
            rows[db.slug] = self._row(db)
        for db in dbs:
            if db.kind == "unit" and db.slug.split("/")[0] in rows:
                rows[db.slug.split("/")[0]].units.append(self._row(db))
        self.rows = list(rows.values())

    def _row(self, db: Brief) -> Row:
        f, key = self.figures, f"row.{db.slug}"
        total, before = total_of(db), last_year_total(db)
        f.put(f"{key}.total", AMOUNT, total)
        f.put(f"{key}.change", CHANGE, None if before is None else total - before)
        f.put(f"{key}.change_pct", SIGNED_PERCENT, None if before is None else _share(total - before, before))
        f.put(f"{key}.share", PERCENT, _share(total, self.total))
        return Row(db, key)


@dataclass(frozen=True)
class Bar:
    label: str
    name: str  # the figure shown at the bar's end
    width: Decimal  # of CHART_WIDTH


CHART_WIDTH = Decimal(75)  # the longest bar, in percent of the chart's width (the rest: its value)


def bars(figures: Figures, items: list[tuple[str, str]]) -> list[Bar]:
    """Bars for (label, figure name) in the order given, the longest at the full width."""
    top = max((abs(figures.value(n) or ZERO) for _, n in items), default=ZERO)
    return [Bar(label, n, ZERO if not top else round_half_up(abs(figures.value(n) or ZERO) * CHART_WIDTH / top, 1))
            for label, n in items]


class Overview:
    """{lang}/{year}/overview/: the district's spending by function 类 and by source, all departments."""

    def __init__(self, year: int, dbs: list[Brief], lang: str):
        self.year = year
        self.figures = f = Figures()
        depts = departments(dbs)
        self.total = sum((total_of(db) for db in depts), ZERO)
        f.put("total", AMOUNT, self.total)
        self.count = len(depts)
        self.functions = [(code, function_name(depts, code, lang), f.put(f"function.{code}", AMOUNT, v),
                           f.put(f"function.{code}.share", PERCENT, _share(v, self.total)))
                          for code, v in by_function(depts).items()]
        self.sources = [(key, source_name(key, lang), f.put(f"source.{key}", AMOUNT, v),
                         f.put(f"source.{key}.share", PERCENT, _share(v, self.total)))
                        for key, v in by_source(depts).items()]
        for _, _, name, _ in self.functions + self.sources:
            f.put(f"chart.{name}", AMOUNT, f.value(name))
        self.function_bars = bars(f, [(f"{code} {label}", f"chart.{name}") for code, label, name, _ in self.functions])
        self.source_bars = bars(f, [(label, f"chart.{name}") for _, label, name, _ in self.sources])
        self.unit = UNIT_NAMES[UNIT](lang)


class History:
    """{lang}/history/<slug>/: one document over every year in the content."""

    def __init__(self, slug: str, dbs: list[Brief], lang: str):
        self.slug = slug
        self.dbs = sorted(dbs, key=lambda d: d.year)
        self.latest = self.dbs[-1]
        self.figures = f = Figures()
        self.years = [db.year for db in self.dbs]
        previous: dict[int, Brief] = {db.year + 1: db for db in self.dbs}
        for db in self.dbs:
            total = total_of(db)
            before = total_of(previous[db.year]) if db.year in previous else last_year_total(db)
            f.put(f"{db.year}.total", AMOUNT, total)
            f.put(f"{db.year}.change", CHANGE, None if before is None else total - before)
            f.put(f"{db.year}.change_pct", SIGNED_PERCENT, None if before is None else _share(total - before, before))
            f.put(f"chart.{db.year}.total", AMOUNT, total)
            for code, v in by_function([db]).items():
                f.put(f"{db.year}.function.{code}", AMOUNT, v)
            for key, v in by_source([db]).items():
                f.put(f"{db.year}.source.{key}", AMOUNT, v)
        codes = sorted({k.split(".")[2] for k in f.values if ".function." in k})
        sources = {k.split(".", 2)[2] for k in f.values if ".source." in k}
        order = vocab.source_keys()
        self.functions = [(code, function_name(self.dbs, code, lang)) for code in codes]
        self.sources = [(key, source_name(key, lang)) for key in sorted(sources, key=order.index)]
        for y in self.years:  # a row a year has no money in shows an explicit 0
            for code in codes:
                f.values.setdefault(f"{y}.function.{code}", (AMOUNT, ZERO))
            for key in sources:
                f.values.setdefault(f"{y}.source.{key}", (AMOUNT, ZERO))
        self.bars = bars(f, [(str(y), f"chart.{y}.total") for y in self.years])
        self.unit = UNIT_NAMES[UNIT](lang)


def documents_by_slug(dbs: list[Brief]) -> dict[str, list[Brief]]:
    out: dict[str, list[Brief]] = defaultdict(list)
    for db in dbs:
        out[db.slug].append(db)
    return {slug: sorted(found, key=lambda d: d.year) for slug, found in sorted(out.items())}
