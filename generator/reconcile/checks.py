"""The identities of the standard disclosure, as small checks over keyed figures.

A check reads figures by key (`03.2120199.basic`, `form.lianqin.this_year` …) and yields
comparisons: two sums of keys that must be equal (or one at most the other). The same checks
run on the computed tables (exact yuan) and on the tables read back from the rendered page
(displayed values), so neither a computation bug nor a template bug can publish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from generator.core import vocab
from generator.core.diagnostics import Issue
from generator.core.labels import COLUMN_LABELS, Label
from generator.core.money import ZERO, round_half_up

L = Label


@dataclass(frozen=True)
class Comparison:
    name: Label
    left: tuple[str, ...]
    right: tuple[str, ...]
    at_most: bool = False  # left <= right instead of left == right
    family: str = ""  # the identity this comparison instantiates, e.g. "03.row=basic+project"

    @property
    def key(self) -> str:
        """Its stable identity, whatever the language: the family and the figure it checks, the
        side that is one figure (e.g. `03.row=basic+project:03.2120199.total`); unique (tested)."""
        side = self.right if len(self.left) != 1 and len(self.right) == 1 else self.left
        return f"{self.family}:{'+'.join(side)}"


@dataclass(frozen=True)
class Check:
    id: str
    title: Label
    compare: Callable[[Cells], Iterator[Comparison]]


class Cells:
    """Keyed amounts with helpers to list what a table holds."""

    def __init__(self, values: Mapping[str, Decimal]):
        self.values = dict(values)
        self._columns: dict[str, list[str]] = {}  # "table.row" -> its columns, in order of appearance
        for key in self.values:
            head, dot, col = key.rpartition(".")
            if dot:  # a key with no dot is in no table
                self._columns.setdefault(head, []).append(col)

    def get(self, key: str) -> Decimal:
        return self.values.get(key, ZERO)

    def sum(self, keys: Iterable[str]) -> Decimal:
        return sum((self.values.get(k, ZERO) for k in keys), ZERO)

    def rows(self, table: str, prefix: str = "") -> list[str]:
        """Row keys of a table, in order of first appearance."""
        seen: dict[str, None] = {}
        for head in self._columns:
            if head == table or head.startswith(table + "."):
                row = head[len(table) + 1:]
                if row.startswith(prefix):
                    seen[row] = None
        return list(seen)

    def columns(self, table: str, row: str) -> list[str]:
        return list(self._columns.get(f"{table}.{row}", ()))


def _column(col: str) -> Label | None:
    if col in COLUMN_LABELS:
        return COLUMN_LABELS[col]
    return next((s.column for s in vocab.SOURCES if s.key == col), None)


def _zh(col: str) -> str:
    """A column's name in a check's Chinese name (合计, 基本支出, 一般公共预算 …)."""
    label = _column(col)
    return label.zh if label else col


def _en(col: str) -> str:
    label = _column(col)
    return label.en.lower() if label else col


def _cell(table: str, row: str, col: str) -> str:
    return f"{table}.{row}.{col}"


# ---------------------------------------------------------------- the checks
#
# Each comparison belongs to a family (its first argument): the same identity on different
# rows, columns or projects. Families are stable names; tests break each one on purpose.

APPROPRIATION_TABLES = tuple((s.key, s.table) for s in vocab.SOURCES if s.appropriation)  # (source, its table)


def C(family: str, zh: str, en: str, left: Iterable[str], right: Iterable[str], at_most: bool = False) -> Comparison:
    return Comparison(L(zh, en), tuple(left), tuple(right), at_most, family)


def balance_01(f: Cells) -> Iterator[Comparison]:
    yield C("01.balance", "01表 收入总计 = 支出总计", "Table 01: total revenue = total expenditure",
            ("01.inc.total.amount",), ("01.exp.total.amount",))
    parts = [r for r in f.rows("01", "inc.") if r != "inc.total" and r[4:] not in vocab.appropriations()]
    yield C("01.revenue-sum", "01表 收入总计 = 各项收入之和", "Table 01: total revenue = sum of revenue rows",
            ("01.inc.total.amount",), (f"01.{r}.amount" for r in parts))
    yield C("01.appropriations-sum", "01表 财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营",
            "Table 01: fiscal appropriations = general public budget + government funds + state capital",
            ("01.inc.财政拨款.amount",), (f"01.inc.{c}.amount" for c, _ in APPROPRIATION_TABLES))
    classes = [r for r in f.rows("01", "exp.") if r != "exp.total"]
    yield C("01.expenditure-sum", "01表 支出总计 = 各类支出之和", "Table 01: total expenditure = sum of the classes",
            ("01.exp.total.amount",), (f"01.{r}.amount" for r in classes))


def _classes(f: Cells, summary: str, *tables: str) -> list[str]:
    """类 codes shown by summary table 01 or 04, or with a row in any of `tables`."""
    codes = {r[4:] for r in f.rows(summary, "exp.") if r != "exp.total"}
    for table in tables:
        codes |= {r for r in f.rows(table) if len(r) == 3 and r.isdigit()}
    return sorted(codes)


def classes_agree(f: Cells) -> Iterator[Comparison]:
    for code in _classes(f, "01", "02", "03"):
        for other in ("02", "03"):
            yield C(f"01.class=={other}", f"01表 {code} 类 = {other}表 {code} 类合计", f"Table 01 class {code} = table {other} class {code}",
                    (f"01.exp.{code}.amount",), (_cell(other, code, "total"),))
    for code in _classes(f, "04", "02", "05", "06", "07"):
        row = f"exp.{code}"
        for col, table in APPROPRIATION_TABLES:
            yield C(f"04.class=={table}", f"04表 {code} 类{_zh(col)} = {table}表 {code} 类合计",
                    f"Table 04 class {code} {_en(col)} = table {table} class {code}", (_cell("04", row, col),), (_cell(table, code, "total"),))
        yield C("04.class==02", f"04表 {code} 类合计 = 02表 {code} 类财政拨款收入", f"Table 04 class {code} = table 02 class {code} appropriations",
                (_cell("04", row, "total"),), (_cell("02", code, "财政拨款"),))
    # Table 01's revenue by source is table 02's 合计 row; its totals are those of 02 and 03.
    for col in f.columns("02", "total"):
        if col != "total":
            yield C("01.source==02", f"01表 {_zh(col)}收入 = 02表合计行{_zh(col)}", f"Table 01 {_en(col)} revenue = table 02 total row, {_en(col)}",
                    (f"01.inc.{col}.amount",), (_cell("02", "total", col),))
    yield C("01.revenue==02", "01表 收入总计 = 02表合计", "Table 01 total revenue = table 02 total",
            ("01.inc.total.amount",), ("02.total.total",))
    yield C("01.expenditure==03", "01表 支出总计 = 03表合计", "Table 01 total expenditure = table 03 total",
            ("01.exp.total.amount",), ("03.total.total",))


def row_sums(f: Cells) -> Iterator[Comparison]:
    for table in ("03", "05", "06", "07"):
        for row in f.rows(table):
            kinds = [c for c in f.columns(table, row) if c != "total"]  # 上缴上级支出 … are columns too when used
            zh = " + ".join(_zh(c) for c in kinds) if kinds != ["basic", "project"] else "基本支出 + 项目支出"
            en = " + ".join(_en(c) for c in kinds) if kinds != ["basic", "project"] else "basic + project"
            yield C(f"{table}.row=basic+project", f"{table}表 {row} 合计 = {zh}", f"Table {table} {row}: total = {en}",
                    (_cell(table, row, "total"),), (_cell(table, row, c) for c in kinds))
    for row in f.rows("02"):
        sources = [c for c in f.columns("02", row) if c != "total"]
        yield C("02.row=sources", f"02表 {row} 合计 = 各收入来源之和", f"Table 02 {row}: total = sum of sources",
                (_cell("02", row, "total"),), (_cell("02", row, c) for c in sources))
    for row in f.rows("08"):
        yield C("08.row=personnel+public", f"08表 {row} 合计 = 人员经费 + 公用经费", f"Table 08 {row}: total = personnel + operations",
                (_cell("08", row, "total"),), (_cell("08", row, "personnel"), _cell("08", row, "public")))
    for row in f.rows("04", "exp."):
        yield C("04.row=budgets", f"04表 {row[4:]} 合计 = 一般公共预算 + 政府性基金 + 国有资本经营",
                f"Table 04 {row[4:]}: total = sum of the three budgets",
                (_cell("04", row, "total"),), (_cell("04", row, c) for c, _ in APPROPRIATION_TABLES))


def hierarchy(f: Cells) -> Iterator[Comparison]:
    """合计 = Σ类 and 类 = Σ款 = Σ项, in every classified table and column; 04's 支出总计 = Σ类."""
    for table in ("02", "03", "05", "06", "07", "08"):
        rows = [r for r in f.rows(table) if r != "total"]
        top = [r for r in rows if len(r) == 3]
        leaf = 5 if table == "08" else 7  # money sits on 项 (functional) or 款 (economic) rows
        children = {parent: [r for r in rows if r.startswith(parent) and len(r) == len(parent) + 2] for parent in rows}
        for col in f.columns(table, "total"):
            yield C(f"{table}.total=classes", f"{table}表 合计 = 各类之和（{_zh(col)}）", f"Table {table}: total = sum of classes ({_en(col)})",
                    (_cell(table, "total", col),), (_cell(table, r, col) for r in top))
            for parent in rows:
                if len(parent) < leaf:  # also when no sub-code is shown at all: a row dropped by a template
                    yield C(f"{table}.parent=children", f"{table}表 {parent} = 下级科目之和（{_zh(col)}）",
                            f"Table {table}: {parent} = sum of its sub-codes ({_en(col)})",
                            (_cell(table, parent, col),), (_cell(table, r, col) for r in children[parent]))
    classes = [r for r in f.rows("04", "exp.") if r != "exp.total"]
    for col in f.columns("04", "exp.total"):
        yield C("04.total=classes", f"04表 支出总计 = 各类之和（{_zh(col)}）", f"Table 04: total expenditure = sum of classes ({_en(col)})",
                (_cell("04", "exp.total", col),), (_cell("04", r, col) for r in classes))


def appropriations(f: Cells) -> Iterator[Comparison]:
    for row in f.rows("02"):
        yield C("02.appropriations=05+06+07", f"02表 {row} 财政拨款收入 = 05 + 06 + 07表", f"Table 02 {row}: appropriations = tables 05 + 06 + 07",
                (_cell("02", row, "财政拨款"),), (_cell(t, row, "total") for _, t in APPROPRIATION_TABLES))
    for col, table in APPROPRIATION_TABLES:
        yield C("04.column==table", f"04表 支出总计（{_zh(col)}）= {table}表合计", f"Table 04 total ({_en(col)}) = table {table} total",
                (_cell("04", "exp.total", col),), (_cell(table, "total", "total"),))
        yield C("04.revenue==expenditure", f"04表 {_zh(col)}收入 = 支出", f"Table 04 {_en(col)}: revenue = expenditure",
                (_cell("04", f"inc.{col}", "amount"),), (_cell("04", "exp.total", col),))
        yield C("04.revenue==01", f"04表 {_zh(col)}收入 = 01表", f"Table 04 {_en(col)} revenue = table 01",
                (_cell("04", f"inc.{col}", "amount"),), (_cell("01", f"inc.{col}", "amount"),))
    yield C("04.balance", "04表 收入总计 = 支出总计", "Table 04: total revenue = total expenditure",
            ("04.inc.total.amount",), ("04.exp.total.total",))
    yield C("04.revenue-sum", "04表 收入总计 = 各项收入之和", "Table 04: total revenue = sum of revenue rows",
            ("04.inc.total.amount",), (f"04.inc.{c}.amount" for c, _ in APPROPRIATION_TABLES))
    # 05 is the general-public-budget part of 03: on every row, 03's total is 05 + 06 + 07 plus
    # the revenue that is no appropriation (02's other columns); basic and project can only be
    # bounded, since 02 does not split the other revenue into basic and project.
    others = [c for c in f.columns("02", "total") if c not in ("total", "财政拨款")]
    for row in f.rows("03"):
        yield C("05.part-of-03", f"05表 {row} + 06表 + 07表 + 02表非财政拨款收入 = 03表 {row}",
                f"Table 05 {row} + tables 06, 07 + table 02's other revenue = table 03 {row}",
                (_cell("05", row, "total"), _cell("06", row, "total"), _cell("07", row, "total"), *(_cell("02", row, c) for c in others)),
                (_cell("03", row, "total"),))
    for row in f.rows("05"):
        for col in ("total", "basic", "project"):
            yield C("05<=03", f"05表 {row} ≤ 03表（{_zh(col)}）", f"Table 05 {row} ≤ table 03 ({_en(col)})",
                    (_cell("05", row, col),), (_cell("03", row, col),), at_most=True)


def basic_economic(f: Cells) -> Iterator[Comparison]:
    yield C("05.basic==08", "05表 基本支出合计 = 08表合计", "Table 05 basic total = table 08 total", ("05.total.basic",), ("08.total.total",))


def three_public(f: Cells) -> Iterator[Comparison]:
    yield C("09.total=parts", "09表 合计 = 因公出国(境)费 + 公务接待费 + 公务用车购置及运行费", "Table 09: total = overseas + reception + vehicles",
            ("09.row.total",), ("09.row.outbound", "09.row.reception", "09.row.vehicle"))
    yield C("09.vehicle=purchase+operation", "09表 公务用车购置及运行费 = 购置费 + 运行费", "Table 09: vehicles = purchase + operation",
            ("09.row.vehicle",), ("09.row.vehicle_purchase", "09.row.vehicle_operation"))
    if "09.row.operating_costs" in f.values:
        # ≤, not =: 机关运行经费 counts the 行政 and 参公 units only; 08 also holds the 公用经费 of 事业 units
        yield C("09.operating_costs<=08", "09表 机关运行经费 ≤ 08表公用经费合计", "Table 09 agency operating costs ≤ table 08 operations total",
                ("09.row.operating_costs",), ("08.total.public",), at_most=True)


def projects(f: Cells) -> Iterator[Comparison]:
    ids = sorted({k.split(".")[1] for k in f.values if k.startswith("form.")})
    every = [k for k in f.values if k.startswith("project.") and k.count(".") == 1]
    if every:
        yield C("projects==03", "各项目当年预算之和 = 03表项目支出合计", "Sum of project budgets = table 03 project total",
                every, ("03.total.project",))
    if ids:
        yield C("forms<=project", "绩效目标申报项目的当年预算之和 ≤ 项目支出", "Projects with performance forms ≤ project expenditure",
                (f"form.{i}.this_year" for i in ids), ("03.total.project",), at_most=True)
    for i in ids:
        yield C("form.this_year==project", f"项目 {i}：申报表项目当年预算 = 项目支出", f"Project {i}: form's budget this year = its spending",
                (f"form.{i}.this_year",), (f"project.{i}",))
        yield C("form.sub_items==basis", f"项目 {i}：子项目之和 = 所分解的预算", f"Project {i}: sub-items = the budget they break down",
                (k for k in f.values if k.startswith(f"form.{i}.sub.")), (f"form.{i}.sub_basis",))
        yield C("form.this_year<=total", f"项目 {i}：当年预算 ≤ 项目总预算", f"Project {i}: this year ≤ total budget",
                (f"form.{i}.this_year",), (f"form.{i}.total_budget",), at_most=True)


def procurement(f: Cells) -> Iterator[Comparison]:
    yield C("procurement.parts", "政府采购 货物 + 工程 + 服务 = 总额", "Procurement: goods + works + services = total",
            ("procurement.total",), ("procurement.货物", "procurement.工程", "procurement.服务"))
    yield C("procurement.sme<=total", "面向中小企业预留 ≤ 政府采购总额", "Reserved for SMEs ≤ procurement total",
            ("procurement.sme",), ("procurement.total",), at_most=True)
    yield C("procurement.micro<=sme", "面向小微企业预留 ≤ 面向中小企业预留", "Reserved for micro enterprises ≤ reserved for SMEs",
            ("procurement.micro",), ("procurement.sme",), at_most=True)
    yield C("procurement<=expenditure", "政府采购总额 ≤ 支出总计", "Procurement total ≤ total expenditure",
            ("procurement.total",), ("03.total.total",), at_most=True)
    for key in sorted(k for k in f.values if k.startswith("project.") and k.endswith(".procurement")):
        i = key.split(".")[1]
        yield C("procurement.project<=budget", f"项目 {i}：政府采购 ≤ 项目当年预算", f"Project {i}: its procurement ≤ its budget this year",
                (key,), (f"project.{i}",), at_most=True)


def income_by_function(f: Cells) -> Iterator[Comparison]:
    """Revenue is planned spending: on every functional row table 02's 合计 is table 03's."""
    for row in sorted(set(f.rows("02")) | set(f.rows("03")), key=lambda r: (r != "total", r)):
        yield C("02==03", f"02表 {row} 收入合计 = 03表 {row} 支出合计", f"Table 02 {row} revenue = table 03 {row} expenditure",
                (_cell("02", row, "total"),), (_cell("03", row, "total"),))


CHECKS: list[Check] = [
    Check("R01", L("01表收支平衡", "Table 01 balances"), balance_01),
    Check("R02", L("01、04表与02、03、05–07表一致", "Tables 01 and 04 agree with tables 02, 03, 05–07"), classes_agree),
    Check("R03", L("每行合计 = 分列之和", "Every row total = its columns"), row_sums),
    Check("R04", L("合计 = Σ类，类 = Σ款 = Σ项", "Total = Σ classes, class = Σ categories = Σ items"), hierarchy),
    Check("R05", L("财政拨款在02–07表之间一致", "Appropriations agree across tables 02–07"), appropriations),
    Check("R06", L("基本支出与经济分类一致", "Basic expenditure agrees with the economic classification"), basic_economic),
    Check("R07", L("“三公”经费与机关运行经费", "\u201cThree public expenses\u201d and operating costs"), three_public),
    Check("R08", L("项目、绩效目标与子项目", "Projects, performance forms and sub-items"), projects),
    Check("R09", L("政府采购", "Government procurement"), procurement),
    Check("R10", L("02表收入与03表支出逐行一致", "Table 02 revenue = table 03 expenditure, row by row"), income_by_function),
]


# ---------------------------------------------------------------- running them


@dataclass(frozen=True)
class Outcome:
    check: Check
    comparison: Comparison
    left: Decimal  # exact
    right: Decimal
    left_shown: Decimal  # what readers see: the sum of the displayed figures
    right_shown: Decimal
    status: str  # "ok", "rounding" (exact values agree, displayed ones differ) or "mismatch"

    def as_dict(self) -> dict:
        c = self.comparison
        return {
            "check": self.check.id,
            "key": c.key,
            "family": c.family,
            "name": {"zh": c.name.zh, "en": c.name.en},
            "relation": "<=" if c.at_most else "=",
            "left": {"keys": list(c.left), "value": str(self.left), "shown": str(self.left_shown)},
            "right": {"keys": list(c.right), "value": str(self.right), "shown": str(self.right_shown)},
            "status": self.status,
        }


def _holds(left: Decimal, right: Decimal, at_most: bool) -> bool:
    return left <= right if at_most else left == right


def run(exact: Mapping[str, Decimal], shown: Mapping[str, Decimal], factor=None) -> list[Outcome]:
    """Evaluate every check on exact yuan and on the displayed figures (also in yuan). `factor(keys)`:
    yuan per displayed unit of a side; two sides shown in different units (09 in 万元, 08 in 元)
    are compared at the coarser one, the only precision a reader can compare them at."""
    f, g = Cells(exact), Cells(shown)
    outcomes = []
    for check in CHECKS:
        for c in check.compare(f):
            left, right = f.sum(c.left), f.sum(c.right)
            left_shown, right_shown = g.sum(c.left), g.sum(c.right)
            sides = (factor(c.left), factor(c.right)) if factor is not None else (1, 1)
            if sides[0] != sides[1]:
                q = max(sides)
                left_shown, right_shown = round_half_up(left_shown / q) * q, round_half_up(right_shown / q) * q
            if not _holds(left, right, c.at_most):
                status = "mismatch"
            elif not _holds(left_shown, right_shown, c.at_most):
                status = "rounding"
            else:
                status = "ok"
            outcomes.append(Outcome(check, c, left, right, left_shown, right_shown, status))
    return outcomes


@dataclass(frozen=True)
class Report:
    """What the reconciliation found for one budget: its issues and every identity's outcome."""

    issues: tuple[Issue, ...]
    outcomes: tuple[Outcome, ...]

    @property
    def all_agree(self) -> bool:
        return all(o.status != "mismatch" for o in self.outcomes)

    @property
    def rounded_tables(self) -> frozenset[str]:
        """Numbers of the tables a displayed total differs from its displayed rows in."""
        return frozenset(key.split(".")[0] for o in self.outcomes if o.status == "rounding"
                         for key in o.comparison.left + o.comparison.right)
