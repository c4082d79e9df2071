"""The nine standard tables (部门预算01表–09表) as plain data, computed from the ledger.

Every amount cell has a key, `{table}.{row}.{column}` (e.g. `03.2120199.basic`,
`01.inc.其他收入.amount`). Templates write the key next to the figure, so the
reconciliation can read the tables back from the rendered page and check them again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from . import labels as lb
from .labels import Label
from .ledger import APPROPRIATIONS, Ledger, Line
from .money import ZERO


@dataclass(frozen=True)
class Column:
    key: str
    label: Label
    group: Label | None = None  # a header spanning consecutive columns with the same group


@dataclass(frozen=True)
class Row:
    key: str
    label: Label
    values: dict[str, Decimal | None]  # column key -> exact yuan; None: the cell does not apply
    code: str = ""
    level: int = 0  # 0: a total or a plain row; 1 类, 2 款, 3 项

    def code_parts(self, depth: int) -> list[str]:
        """The 类/款/项 columns of a classified row: only its own level is filled, as printed."""
        parts = [""] * depth
        if self.level:
            start = {1: 0, 2: 3, 3: 5}[self.level]
            parts[self.level - 1] = self.code[start:start + (3 if self.level == 1 else 2)]
        return parts


@dataclass
class Side:
    """One side (revenue or expenditure) of tables 01 and 04."""

    heading: Label
    columns: list[Column]
    rows: list[Row]
    total: Row


@dataclass
class Table:
    number: str
    layout: str  # "classified" (02, 03, 05-08), "balance" (01, 04) or "single" (09)
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # classified: total row first
    code_levels: tuple[str, ...] = ()
    code_label: Label | None = None
    name_label: Label | None = None
    sides: tuple[Side, Side] | None = None
    notes: list[Label] = field(default_factory=list)  # e.g. the statement of an empty table

    @property
    def title(self) -> Label:
        return lb.TABLE_TITLES[self.number]

    def all_rows(self) -> list[tuple[Row, list[Column]]]:
        if self.sides:
            return [(row, side.columns) for side in self.sides for row in side.rows + [side.total]]
        return [(row, self.columns) for row in self.rows]

    def cells(self) -> dict[str, Decimal]:
        out = {}
        for row, columns in self.all_rows():
            for col in columns:
                value = row.values.get(col.key)
                if value is not None:
                    out[f"{self.number}.{row.key}.{col.key}"] = value
        return out

    @property
    def is_empty(self) -> bool:
        return all(v == ZERO for v in self.cells().values())


# ---------------------------------------------------------------- builders


def _classified_rows(ledger: Ledger, where: Callable[[Line], bool], columns: dict[str, Callable[[Line], bool]]) -> list[Row]:
    """Total row, then every 类 ⊃ 款 ⊃ 项 with money under `where`, each summing its own lines."""
    cat = ledger.catalogue

    def values(prefix: str) -> dict[str, Decimal]:
        return {key: ledger.sum(lambda line: where(line) and line.function.startswith(prefix) and test(line))
                for key, test in columns.items()}

    rows = [Row("total", lb.TOTAL, values(""))]
    for code in ledger.functions_used(where):
        entry = cat.functional[code]
        rows.append(Row(code, Label(entry.zh, entry.en), values(code), code=code, level={3: 1, 5: 2, 7: 3}[len(code)]))
    return rows


def _money_columns(keys: list[str], group: Label | None) -> list[Column]:
    return [Column(k, lb.COLUMN_LABELS[k], group) for k in keys]


def _function_table(number: str, ledger: Ledger, where: Callable[[Line], bool]) -> Table:
    tests = {"total": lambda line: True, "basic": lambda line: line.is_basic, "project": lambda line: not line.is_basic}
    return Table(
        number, "classified",
        columns=_money_columns(list(tests), lb.GROUPS[number]),
        rows=_classified_rows(ledger, where, tests),
        code_levels=("类", "款", "项"), code_label=lb.FUNCTION_CODE, name_label=lb.FUNCTION_NAME,
    )


def table_02(ledger: Ledger) -> Table:
    tests: dict[str, Callable[[Line], bool]] = {
        "total": lambda line: True,
        "财政拨款": lambda line: line.source in APPROPRIATIONS,
    }
    for source in ("事业收入", "事业单位经营收入", "上级补助收入", "其他收入", "上年结转"):
        if source != "上年结转" or ledger.by_source(source):
            tests[source] = lambda line, s=source: line.source == s
    return Table(
        "02", "classified",
        columns=_money_columns(list(tests), lb.GROUPS["02"]),
        rows=_classified_rows(ledger, lambda line: True, tests),
        code_levels=("类", "款", "项"), code_label=lb.FUNCTION_CODE, name_label=lb.FUNCTION_NAME,
    )


def table_03(ledger: Ledger) -> Table:
    return _function_table("03", ledger, lambda line: True)


def table_05(ledger: Ledger) -> Table:
    return _function_table("05", ledger, lambda line: line.source == "一般公共预算")


def table_06(ledger: Ledger) -> Table:
    return _function_table("06", ledger, lambda line: line.source == "政府性基金")


def table_07(ledger: Ledger) -> Table:
    return _function_table("07", ledger, lambda line: line.source == "国有资本经营")


def _summary_class_rows(ledger: Ledger, columns: dict[str, Callable[[Line], bool]]) -> list[Row]:
    """The fixed 类 rows of tables 01 and 04 (plus any other 类 that has money), numbered 一、二、…"""
    cat = ledger.catalogue
    fixed = [(c.code, Label(c.zh, c.en)) for c in cat.summary_classes]
    fixed_codes = {code for code, _ in fixed}
    extra = sorted({line.function[:3] for line in ledger.lines} - fixed_codes)
    fixed += [(code, Label(cat.functional[code].zh, cat.functional[code].en)) for code in extra]
    rows = []
    for n, (code, name) in enumerate(fixed, start=1):
        label = Label(f"{lb.cn_number(n)}、{name.zh}", f"{n}. {name.en}")
        values = {key: ledger.sum(lambda line: line.function.startswith(code) and test(line)) for key, test in columns.items()}
        rows.append(Row(f"exp.{code}", label, values, code=code))
    return rows


def table_01(ledger: Ledger) -> Table:
    income = [
        ("财政拨款", lb.L("一、财政拨款收入", "1. Fiscal appropriations")),
        ("一般公共预算", lb.L("1. 一般公共预算资金", "(1) General public budget funds")),
        ("政府性基金", lb.L("2. 政府性基金", "(2) Government funds")),
        ("国有资本经营", lb.L("3. 国有资本经营", "(3) State capital operations")),
        ("事业收入", lb.L("二、事业收入", "2. Public service revenue")),
        ("事业单位经营收入", lb.L("三、事业单位经营收入", "3. Business revenue of public institutions")),
        ("上级补助收入", lb.L("四、上级补助收入", "4. Subsidies from higher-level units")),
        ("其他收入", lb.L("五、其他收入", "5. Other revenue")),
    ]
    if ledger.by_source("上年结转"):
        income.append(("上年结转", lb.L("六、上年结转", "6. Carry-over from last year")))
    amount = [Column("amount", lb.COLUMN_LABELS["amount"])]
    left = Side(
        lb.SIDES["01"][0], amount,
        [Row(f"inc.{src}", label, {"amount": ledger.by_source(src)}) for src, label in income],
        Row("inc.total", lb.INCOME_TOTAL, {"amount": ledger.total}),
    )
    right = Side(
        lb.SIDES["01"][1], amount,
        _summary_class_rows(ledger, {"amount": lambda line: True}),
        Row("exp.total", lb.EXPENDITURE_TOTAL, {"amount": ledger.total}),
    )
    return Table("01", "balance", sides=(left, right))


def table_04(ledger: Ledger) -> Table:
    income = [
        ("一般公共预算", lb.L("一、一般公共预算资金", "1. General public budget funds")),
        ("政府性基金", lb.L("二、政府性基金", "2. Government funds")),
        ("国有资本经营", lb.L("三、国有资本经营收入", "3. State capital operation revenue")),
    ]
    tests: dict[str, Callable[[Line], bool]] = {"total": lambda line: line.source in APPROPRIATIONS}
    for source in APPROPRIATIONS:
        tests[source] = lambda line, s=source: line.source == s
    left = Side(
        lb.SIDES["04"][0], [Column("amount", lb.COLUMN_LABELS["amount"])],
        [Row(f"inc.{src}", label, {"amount": ledger.by_source(src)}) for src, label in income],
        Row("inc.total", lb.INCOME_TOTAL, {"amount": ledger.by_source("财政拨款")}),
    )
    right = Side(
        lb.SIDES["04"][1], _money_columns(list(tests), None),
        _summary_class_rows(ledger, tests),
        Row("exp.total", lb.EXPENDITURE_TOTAL, {k: ledger.sum(t) for k, t in tests.items()}),
    )
    return Table("04", "balance", sides=(left, right))


def table_08(ledger: Ledger) -> Table:
    cat = ledger.catalogue
    lines = [line for line in ledger.lines if line.is_basic and line.source == "一般公共预算"]
    tests = {"total": lambda line: True, "personnel": lambda line: line.is_personnel,
             "public": lambda line: not line.is_personnel}

    def values(prefix: str) -> dict[str, Decimal]:
        return {k: ledger.sum(lambda line: line.economic.startswith(prefix) and t(line), lines) for k, t in tests.items()}

    shown = set(cat.table08_rows) | {line.economic for line in lines}
    rows = [Row("total", lb.TOTAL, values(""))]
    for code in sorted(shown | {c[:3] for c in shown}):
        entry = cat.economic[code]
        rows.append(Row(code, Label(entry.zh, entry.en), values(code), code=code, level=1 if len(code) == 3 else 2))
    return Table(
        "08", "classified",
        columns=_money_columns(list(tests), lb.GROUPS["08"]),
        rows=rows, code_levels=("类", "款"), code_label=lb.ECONOMIC_CODE, name_label=lb.ECONOMIC_NAME,
    )


def table_09(ledger: Ledger) -> Table:
    purchase = ledger.three_public("公务用车购置费")
    operation = ledger.three_public("公务用车运行费")
    outbound = ledger.three_public("因公出国(境)费")
    reception = ledger.three_public("公务接待费")
    values = {
        "total": outbound + reception + purchase + operation,
        "outbound": outbound,
        "reception": reception,
        "vehicle": purchase + operation,
        "vehicle_purchase": purchase,
        "vehicle_operation": operation,
        "operating_costs": ledger.operating_costs,
    }
    columns = [
        Column("total", lb.COLUMN_LABELS["total"]),
        Column("outbound", lb.COLUMN_LABELS["outbound"]),
        Column("reception", lb.COLUMN_LABELS["reception"]),
        Column("vehicle", lb.COLUMN_LABELS["vehicle"], lb.GROUPS["vehicle"]),
        Column("vehicle_purchase", lb.COLUMN_LABELS["vehicle_purchase"], lb.GROUPS["vehicle"]),
        Column("vehicle_operation", lb.COLUMN_LABELS["vehicle_operation"], lb.GROUPS["vehicle"]),
        Column("operating_costs", lb.COLUMN_LABELS["operating_costs"]),
    ]
    return Table("09", "single", columns=columns, rows=[Row("row", lb.TOTAL, values)])


BUILDERS = {
    "01": table_01, "02": table_02, "03": table_03, "04": table_04, "05": table_05,
    "06": table_06, "07": table_07, "08": table_08, "09": table_09,
}


def build_tables(ledger: Ledger) -> dict[str, Table]:
    tables = {number: build(ledger) for number, build in BUILDERS.items()}
    budget = ledger.budget
    name = budget.department.name

    def statement(template: Label) -> Label:
        return Label(template.zh.format(department=name.zh, year=budget.year),
                     template.en.format(department=name.en, year=budget.year))

    for number in ("06", "07"):
        if tables[number].is_empty:
            tables[number].notes.append(statement(lb.EMPTY_TABLE[number]))
    if tables["09"].rows[0].values["total"] == ZERO:
        tables["09"].notes.append(statement(lb.EMPTY_TABLE["09"]))
    if ledger.operating_costs is None:
        tables["09"].notes.append(lb.NO_OPERATING_COSTS)
    return tables
