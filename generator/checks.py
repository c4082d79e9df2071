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

from .labels import Label
from .money import ZERO

L = Label


@dataclass(frozen=True)
class Comparison:
    name: Label
    left: tuple[str, ...]
    right: tuple[str, ...]
    at_most: bool = False  # left <= right instead of left == right


@dataclass(frozen=True)
class Check:
    id: str
    title: Label
    compare: Callable[[Cells], Iterator[Comparison]]


class Cells:
    """Keyed amounts with helpers to list what a table holds."""

    def __init__(self, values: Mapping[str, Decimal]):
        self.values = dict(values)

    def get(self, key: str) -> Decimal:
        return self.values.get(key, ZERO)

    def sum(self, keys: Iterable[str]) -> Decimal:
        return sum((self.get(k) for k in keys), ZERO)

    def rows(self, table: str, prefix: str = "") -> list[str]:
        """Row keys of a table, in order of first appearance."""
        seen: dict[str, None] = {}
        for key in self.values:
            if key.startswith(table + "."):
                row = key[len(table) + 1:key.rindex(".")]
                if row.startswith(prefix):
                    seen[row] = None
        return list(seen)

    def columns(self, table: str, row: str) -> list[str]:
        head = f"{table}.{row}."
        return [k[len(head):] for k in self.values if k.startswith(head) and "." not in k[len(head):]]


def _cell(table: str, row: str, col: str) -> str:
    return f"{table}.{row}.{col}"


# ---------------------------------------------------------------- the checks


def balance_01(f: Cells) -> Iterator[Comparison]:
    yield Comparison(L("01表 收入总计 = 支出总计", "Table 01: total revenue = total expenditure"),
                     ("01.inc.total.amount",), ("01.exp.total.amount",))
    parts = [r for r in f.rows("01", "inc.") if r not in ("inc.total", "inc.一般公共预算", "inc.政府性基金", "inc.国有资本经营")]
    yield Comparison(L("01表 收入总计 = 各项收入之和", "Table 01: total revenue = sum of revenue rows"),
                     ("01.inc.total.amount",), tuple(f"01.{r}.amount" for r in parts))
    yield Comparison(L("01表 财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营",
                       "Table 01: fiscal appropriations = general public budget + government funds + state capital"),
                     ("01.inc.财政拨款.amount",),
                     ("01.inc.一般公共预算.amount", "01.inc.政府性基金.amount", "01.inc.国有资本经营.amount"))
    classes = [r for r in f.rows("01", "exp.") if r != "exp.total"]
    yield Comparison(L("01表 支出总计 = 各类支出之和", "Table 01: total expenditure = sum of the classes"),
                     ("01.exp.total.amount",), tuple(f"01.{r}.amount" for r in classes))


def classes_agree(f: Cells) -> Iterator[Comparison]:
    for row in f.rows("01", "exp."):
        if row == "exp.total":
            continue
        code = row[4:]
        for other in ("02", "03"):
            yield Comparison(L(f"01表 {code} 类 = {other}表 {code} 类合计", f"Table 01 class {code} = table {other} class {code}"),
                             (f"01.{row}.amount",), (_cell(other, code, "total"),))
    for row in f.rows("04", "exp."):
        if row == "exp.total":
            continue
        code = row[4:]
        for col, table in (("一般公共预算", "05"), ("政府性基金", "06"), ("国有资本经营", "07")):
            yield Comparison(L(f"04表 {code} 类{col} = {table}表 {code} 类合计", f"Table 04 class {code} {col} = table {table} class {code}"),
                             (_cell("04", row, col),), (_cell(table, code, "total"),))
        yield Comparison(L(f"04表 {code} 类合计 = 02表 {code} 类财政拨款收入", f"Table 04 class {code} = table 02 class {code} appropriations"),
                         (_cell("04", row, "total"),), (_cell("02", code, "财政拨款"),))


def row_sums(f: Cells) -> Iterator[Comparison]:
    for table in ("03", "05", "06", "07"):
        for row in f.rows(table):
            yield Comparison(L(f"{table}表 {row} 合计 = 基本支出 + 项目支出", f"Table {table} {row}: total = basic + project"),
                             (_cell(table, row, "total"),), (_cell(table, row, "basic"), _cell(table, row, "project")))
    for row in f.rows("02"):
        sources = [c for c in f.columns("02", row) if c != "total"]
        yield Comparison(L(f"02表 {row} 合计 = 各收入来源之和", f"Table 02 {row}: total = sum of sources"),
                         (_cell("02", row, "total"),), tuple(_cell("02", row, c) for c in sources))
    for row in f.rows("08"):
        yield Comparison(L(f"08表 {row} 合计 = 人员经费 + 公用经费", f"Table 08 {row}: total = personnel + operations"),
                         (_cell("08", row, "total"),), (_cell("08", row, "personnel"), _cell("08", row, "public")))
    for row in f.rows("04", "exp."):
        yield Comparison(L(f"04表 {row[4:]} 合计 = 一般公共预算 + 政府性基金 + 国有资本经营", f"Table 04 {row[4:]}: total = sum of the three budgets"),
                         (_cell("04", row, "total"),),
                         tuple(_cell("04", row, c) for c in ("一般公共预算", "政府性基金", "国有资本经营")))


def hierarchy(f: Cells) -> Iterator[Comparison]:
    """类 = Σ款 = Σ项, and 合计 = Σ类, in every classified table and column."""
    for table in ("02", "03", "05", "06", "07", "08"):
        rows = [r for r in f.rows(table) if r != "total"]
        columns = f.columns(table, "total")
        for col in columns:
            top = [r for r in rows if len(r) == 3]
            yield Comparison(L(f"{table}表 合计 = 各类之和（{col}）", f"Table {table}: total = sum of classes ({col})"),
                             (_cell(table, "total", col),), tuple(_cell(table, r, col) for r in top))
            for parent in rows:
                children = [r for r in rows if r.startswith(parent) and len(r) == len(parent) + 2]
                if children:
                    yield Comparison(L(f"{table}表 {parent} = 下级科目之和（{col}）", f"Table {table}: {parent} = sum of its sub-codes ({col})"),
                                     (_cell(table, parent, col),), tuple(_cell(table, r, col) for r in children))


def appropriations(f: Cells) -> Iterator[Comparison]:
    for row in f.rows("02"):
        yield Comparison(L(f"02表 {row} 财政拨款收入 = 05 + 06 + 07表", f"Table 02 {row}: appropriations = tables 05 + 06 + 07"),
                         (_cell("02", row, "财政拨款"),), tuple(_cell(t, row, "total") for t in ("05", "06", "07")))
    for col, table in (("一般公共预算", "05"), ("政府性基金", "06"), ("国有资本经营", "07")):
        yield Comparison(L(f"04表 支出总计（{col}）= {table}表合计", f"Table 04 total ({col}) = table {table} total"),
                         (_cell("04", "exp.total", col),), (_cell(table, "total", "total"),))
        yield Comparison(L(f"04表 {col}收入 = 支出", f"Table 04 {col}: revenue = expenditure"),
                         (_cell("04", f"inc.{col}", "amount"),), (_cell("04", "exp.total", col),))
        yield Comparison(L(f"04表 {col}收入 = 01表", f"Table 04 {col} revenue = table 01"),
                         (_cell("04", f"inc.{col}", "amount"),), (_cell("01", f"inc.{col}", "amount"),))
    yield Comparison(L("04表 收入总计 = 支出总计", "Table 04: total revenue = total expenditure"),
                     ("04.inc.total.amount",), ("04.exp.total.total",))
    for row in f.rows("05"):
        for col in ("total", "basic", "project"):
            yield Comparison(L(f"05表 {row} ≤ 03表（{col}）", f"Table 05 {row} ≤ table 03 ({col})"),
                             (_cell("05", row, col),), (_cell("03", row, col),), at_most=True)


def basic_economic(f: Cells) -> Iterator[Comparison]:
    yield Comparison(L("05表 基本支出合计 = 08表合计", "Table 05 basic total = table 08 total"),
                     ("05.total.basic",), ("08.total.total",))


def three_public(f: Cells) -> Iterator[Comparison]:
    yield Comparison(L("09表 合计 = 因公出国(境)费 + 公务接待费 + 公务用车购置及运行费", "Table 09: total = overseas + reception + vehicles"),
                     ("09.row.total",), ("09.row.outbound", "09.row.reception", "09.row.vehicle"))
    yield Comparison(L("09表 公务用车购置及运行费 = 购置费 + 运行费", "Table 09: vehicles = purchase + operation"),
                     ("09.row.vehicle",), ("09.row.vehicle_purchase", "09.row.vehicle_operation"))
    if "09.row.operating_costs" in f.values:
        yield Comparison(L("09表 机关运行经费 = 08表公用经费合计", "Table 09 agency operating costs = table 08 operations total"),
                         ("09.row.operating_costs",), ("08.total.public",))


def projects(f: Cells) -> Iterator[Comparison]:
    ids = sorted({k.split(".")[1] for k in f.values if k.startswith("form.")})
    every = tuple(k for k in f.values if k.startswith("project.") and k.count(".") == 1)
    if every:
        yield Comparison(L("各项目当年预算之和 = 03表项目支出合计", "Sum of project budgets = table 03 project total"),
                         every, ("03.total.project",))
    if ids:
        yield Comparison(L("绩效目标申报项目的当年预算之和 ≤ 项目支出", "Projects with performance forms ≤ project expenditure"),
                         tuple(f"form.{i}.this_year" for i in ids), ("03.total.project",), at_most=True)
    for i in ids:
        yield Comparison(L(f"项目 {i}：申报表项目当年预算 = 项目支出", f"Project {i}: form's budget this year = its spending"),
                         (f"form.{i}.this_year",), (f"project.{i}",))
        subs = tuple(k for k in f.values if k.startswith(f"form.{i}.sub."))
        basis = f"form.{i}.sub_basis"
        yield Comparison(L(f"项目 {i}：子项目之和 = 所分解的预算", f"Project {i}: sub-items = the budget they break down"),
                         subs, (basis,))
        yield Comparison(L(f"项目 {i}：当年预算 ≤ 项目总预算", f"Project {i}: this year ≤ total budget"),
                         (f"form.{i}.this_year",), (f"form.{i}.total_budget",), at_most=True)


def procurement(f: Cells) -> Iterator[Comparison]:
    yield Comparison(L("政府采购 货物 + 工程 + 服务 = 总额", "Procurement: goods + works + services = total"),
                     ("procurement.total",), ("procurement.货物", "procurement.工程", "procurement.服务"))
    yield Comparison(L("面向中小企业预留 ≤ 政府采购总额", "Reserved for SMEs ≤ procurement total"),
                     ("procurement.sme",), ("procurement.total",), at_most=True)
    yield Comparison(L("面向小微企业预留 ≤ 面向中小企业预留", "Reserved for micro enterprises ≤ reserved for SMEs"),
                     ("procurement.micro",), ("procurement.sme",), at_most=True)


CHECKS: list[Check] = [
    Check("R01", L("01表收支平衡", "Table 01 balances"), balance_01),
    Check("R02", L("01、04表各类与02、03、05–07表一致", "Classes of tables 01 and 04 agree with tables 02, 03, 05–07"), classes_agree),
    Check("R03", L("每行合计 = 分列之和", "Every row total = its columns"), row_sums),
    Check("R04", L("类 = Σ款 = Σ项", "Class = Σ categories = Σ items"), hierarchy),
    Check("R05", L("财政拨款在02、04、05–07表之间一致", "Appropriations agree across tables 02, 04, 05–07"), appropriations),
    Check("R06", L("基本支出与经济分类一致", "Basic expenditure agrees with the economic classification"), basic_economic),
    Check("R07", L("“三公”经费与机关运行经费", "\u201cThree public expenses\u201d and operating costs"), three_public),
    Check("R08", L("项目、绩效目标与子项目", "Projects, performance forms and sub-items"), projects),
    Check("R09", L("政府采购", "Government procurement"), procurement),
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
            "name": {"zh": c.name.zh, "en": c.name.en},
            "relation": "<=" if c.at_most else "=",
            "left": {"keys": list(c.left), "value": str(self.left), "shown": str(self.left_shown)},
            "right": {"keys": list(c.right), "value": str(self.right), "shown": str(self.right_shown)},
            "status": self.status,
        }


def _holds(left: Decimal, right: Decimal, at_most: bool) -> bool:
    return left <= right if at_most else left == right


def run(exact: Mapping[str, Decimal], shown: Mapping[str, Decimal]) -> list[Outcome]:
    """Evaluate every check on exact yuan and on the displayed figures (also in yuan)."""
    f, g = Cells(exact), Cells(shown)
    outcomes = []
    for check in CHECKS:
        for c in check.compare(f):
            left, right = f.sum(c.left), f.sum(c.right)
            left_shown, right_shown = g.sum(c.left), g.sum(c.right)
            if not _holds(left, right, c.at_most):
                status = "mismatch"
            elif not _holds(left_shown, right_shown, c.at_most):
                status = "rounding"
            else:
                status = "ok"
            outcomes.append(Outcome(check, c, left, right, left_shown, right_shown, status))
    return outcomes
