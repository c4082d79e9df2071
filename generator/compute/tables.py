"""The nine standard tables (部门预算01表–09表) as plain data, computed from the ledger.

Every amount cell has a key, `{table}.{row}.{column}` (e.g. `03.2120199.basic`,
`01.inc.其他收入.amount`). Templates write the key next to the figure, so the
reconciliation can read the tables back from the rendered page and check them again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from generator.compute.ledger import APPROPRIATIONS, Ledger, Line
from generator.core import labels as lb
from generator.core import vocab
from generator.core.frozen import FrozenMap
from generator.core.labels import Label
from generator.core.money import ZERO


@dataclass(frozen=True)
class Column:
    key: str
    label: Label
    group: Label | None = None  # a header spanning consecutive columns with the same group


@dataclass(frozen=True)
class Row:
    key: str
    label: Label
    values: Mapping[str, Decimal | None]  # column key -> exact yuan; None: the cell does not apply
    code: str = ""
    level: int = 0  # 0: a total or a plain row; 1 类, 2 款, 3 项

    def __post_init__(self):
        object.__setattr__(self, "values", FrozenMap(self.values))

    def code_parts(self, depth: int, full: bool = False) -> list[str]:
        """The 类/款/项 columns of a classified row: only its own level filled (the reference
        format), or (`full`) every level of its code: 201 | 03 | 01."""
        parts = [""] * depth
        for level in range(1 if full else self.level, self.level + 1):
            if level:
                start = {1: 0, 2: 3, 3: 5}[level]
                parts[level - 1] = self.code[start:start + (3 if level == 1 else 2)]
        return parts


@dataclass(frozen=True)
class Side:
    """One side (revenue or expenditure) of tables 01 and 04."""

    heading: Label
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: Row

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(self.rows))


@dataclass(frozen=True)
class Table:
    number: str
    layout: str  # "classified" (02, 03, 05-08), "balance" (01, 04) or "single" (09)
    columns: tuple[Column, ...] = ()
    rows: tuple[Row, ...] = ()  # classified: total row first
    code_levels: tuple[str, ...] = ()
    code_label: Label | None = None
    name_label: Label | None = None
    sides: tuple[Side, Side] | None = None
    notes: tuple[Label, ...] = ()  # e.g. the statement of an empty table
    document: str = "department"  # the kind of document it is printed in: its title follows

    def __post_init__(self):
        for name in ("columns", "rows", "notes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def title(self) -> Label:
        return vocab.table(self.number).title_in(self.document)

    def all_rows(self) -> list[tuple[Row, list[Column]]]:
        if self.sides:
            return [(row, side.columns) for side in self.sides for row in (*side.rows, side.total)]
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
    selected = [line for line in ledger.lines if where(line)]

    def values(prefix: str) -> dict[str, Decimal]:
        lines = [line for line in selected if line.function.startswith(prefix)]
        return {key: ledger.sum(test, lines) for key, test in columns.items()}

    rows = [Row("total", lb.TOTAL, values(""))]
    for code in ledger.functions_used(where):
        entry = cat.functional[code]
        rows.append(Row(code, Label(entry.zh, entry.en), values(code), code=code, level={3: 1, 5: 2, 7: 3}[len(code)]))
    return rows


def _money_columns(keys: list[str], group: Label | None) -> list[Column]:
    return [Column(k, lb.COLUMN_LABELS[k], group) for k in keys]


def _kind_tests(ledger: Ledger, where: Callable[[Line], bool]) -> dict[str, Callable[[Line], bool]]:
    """基本支出 and 项目支出 always; 上缴上级支出 and the other kinds only when they have lines."""
    return {k.key: k.test for k in vocab.EXPENDITURE_KINDS
            if not k.typed or any(where(line) and k.test(line) for line in ledger.lines)}


def _function_table(number: str, ledger: Ledger, where: Callable[[Line], bool]) -> Table:
    tests = {"total": lambda line: True, **_kind_tests(ledger, where)}
    return Table(
        number, "classified",
        columns=_money_columns(list(tests), lb.GROUPS[number]),
        rows=_classified_rows(ledger, where, tests),
        code_levels=("类", "款", "项"), code_label=lb.FUNCTION_CODE, name_label=lb.FUNCTION_NAME,
    )


def _shown(ledger: Ledger, source: vocab.IncomeSource) -> bool:
    optional = source.when_used or source.key in ledger.when_used
    return not optional or bool(ledger.by_source(source.key))


def table_02(ledger: Ledger) -> Table:
    tests: dict[str, Callable[[Line], bool]] = {
        "total": lambda line: True,
        vocab.FISCAL: lambda line: line.source in APPROPRIATIONS,
    }
    labels = {"total": lb.COLUMN_LABELS["total"], vocab.FISCAL: vocab.source(vocab.FISCAL).column}
    for source in vocab.other_sources():
        if _shown(ledger, source):
            tests[source.key] = lambda line, s=source.key: line.source == s
            labels[source.key] = source.column
    return Table(
        "02", "classified",
        columns=[Column(k, labels[k], lb.GROUPS["02"]) for k in tests],
        rows=_classified_rows(ledger, lambda line: True, tests),
        code_levels=("类", "款", "项"), code_label=lb.FUNCTION_CODE, name_label=lb.FUNCTION_NAME,
    )


def table_03(ledger: Ledger) -> Table:
    return _function_table("03", ledger, lambda line: True)


def appropriation_table(source: str) -> Callable[[Ledger], Table]:
    """Tables 05–07: one appropriation's spending by function."""
    def build(ledger: Ledger) -> Table:
        return _function_table(vocab.source(source).table, ledger, lambda line: line.source == source)
    return build


def _fixed_rows(ledger: Ledger, number: str) -> list:
    """The rows a table always shows (vocab.TableSpec.fixed_rows: a list of catalogue/tables.yaml)."""
    return getattr(ledger.catalogue, vocab.table(number).fixed_rows)


def _summary_class_rows(ledger: Ledger, columns: dict[str, Callable[[Line], bool]], number: str) -> list[Row]:
    """The fixed 类 rows of tables 01 and 04 (plus any other 类 that has money), numbered 一、二、…"""
    cat = ledger.catalogue
    fixed = [(c.code, Label(c.zh, c.en)) for c in _fixed_rows(ledger, number)] if ledger.fixed_rows else []
    fixed_codes = {code for code, _ in fixed}
    extra = sorted({line.function[:3] for line in ledger.lines} - fixed_codes)
    fixed += [(code, Label(cat.functional[code].zh, cat.functional[code].en)) for code in extra]
    rows = []
    for n, (code, name) in enumerate(fixed, start=1):
        label = Label(f"{lb.cn_number(n)}、{name.zh}", f"{n}. {name.en}")
        under = [line for line in ledger.lines if line.function.startswith(code)]
        values = {key: ledger.sum(test, under) for key, test in columns.items()}
        rows.append(Row(f"exp.{code}", label, values, code=code))
    return rows


def _income_rows(ledger: Ledger) -> list[tuple[str, Label]]:
    """Table 01's revenue rows, numbered 一、二、… with the appropriations as 1. 2. 3. under 财政拨款."""
    rows, top, sub = [], 0, 0
    for source in vocab.SOURCES:
        if not _shown(ledger, source):
            continue
        if source.appropriation:
            sub += 1
            rows.append((source.key, Label(f"{sub}. {source.row.zh}", f"({sub}) {source.row.en}")))
        else:
            top += 1
            rows.append((source.key, Label(f"{lb.cn_number(top)}、{source.row.zh}", f"{top}. {source.row.en}")))
    return rows


def table_01(ledger: Ledger) -> Table:
    income = _income_rows(ledger)
    amount = [Column("amount", lb.COLUMN_LABELS["amount"])]
    left = Side(
        lb.SIDES["01"][0], amount,
        [Row(f"inc.{src}", label, {"amount": ledger.by_source(src)}) for src, label in income],
        Row("inc.total", lb.INCOME_TOTAL, {"amount": ledger.total}),
    )
    # A 单位预算 splits each 类 into 基本支出 (人员经费, 公用经费) and 项目支出 (and any other kind used).
    spending: dict[str, Callable[[Line], bool]] = {"amount": lambda line: True}
    columns = amount
    if ledger.budget.kind == "unit":
        basic_group = lb.COLUMN_LABELS["basic"]
        spending |= {"personnel": lambda line: line.is_basic and line.is_personnel,
                     "public": lambda line: line.is_basic and not line.is_personnel}
        spending |= {k: t for k, t in _kind_tests(ledger, lambda line: True).items() if k != "basic"}
        columns = [Column("amount", lb.COLUMN_LABELS["amount"]),
                   *(Column(k, lb.COLUMN_LABELS[k], basic_group if k in ("personnel", "public") else None)
                     for k in spending if k != "amount")]
    right = Side(
        lb.SIDES["01"][1], columns,
        _summary_class_rows(ledger, spending, "01"),
        Row("exp.total", lb.EXPENDITURE_TOTAL, {k: ledger.sum(t) for k, t in spending.items()}),
    )
    return Table("01", "balance", sides=(left, right))


def table_04(ledger: Ledger) -> Table:
    rows = [vocab.source(s).row_04 or vocab.source(s).row for s in APPROPRIATIONS]
    income = [(s, Label(f"{lb.cn_number(n)}、{row.zh}", f"{n}. {row.en}"))
              for n, (s, row) in enumerate(zip(APPROPRIATIONS, rows, strict=True), 1)]
    tests: dict[str, Callable[[Line], bool]] = {"total": lambda line: line.source in APPROPRIATIONS}
    for source in APPROPRIATIONS:
        tests[source] = lambda line, s=source: line.source == s
    left = Side(
        lb.SIDES["04"][0], [Column("amount", lb.COLUMN_LABELS["amount"])],
        [Row(f"inc.{src}", label, {"amount": ledger.by_source(src)}) for src, label in income],
        Row("inc.total", lb.INCOME_TOTAL, {"amount": ledger.by_source(vocab.FISCAL)}),
    )
    right = Side(
        lb.SIDES["04"][1], [Column(k, lb.COLUMN_LABELS["total"] if k == "total" else vocab.source(k).column) for k in tests],
        _summary_class_rows(ledger, tests, "04"),
        Row("exp.total", lb.EXPENDITURE_TOTAL, {k: ledger.sum(t) for k, t in tests.items()}),
    )
    return Table("04", "balance", sides=(left, right))


def table_08(ledger: Ledger) -> Table:
    cat = ledger.catalogue
    lines = [line for line in ledger.lines if line.is_basic and line.source == "一般公共预算"]
    tests = {"total": lambda line: True, **{k.key: k.test for k in vocab.BASIC_KINDS}}

    def values(prefix: str) -> dict[str, Decimal]:
        under = [line for line in lines if line.economic.startswith(prefix)]
        return {k: ledger.sum(t, under) for k, t in tests.items()}

    shown = (set(_fixed_rows(ledger, "08")) if ledger.fixed_rows else set()) | {line.economic for line in lines}
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


BUILDERS: dict[str, Callable[[Ledger], Table]] = {
    "01": table_01, "02": table_02, "03": table_03, "04": table_04, "08": table_08, "09": table_09,
    **{vocab.source(s).table: appropriation_table(s) for s in APPROPRIATIONS},
}


def build_tables(ledger: Ledger) -> dict[str, Table]:
    budget = ledger.budget
    tables = {spec.number: replace((spec.build or BUILDERS[spec.number])(ledger), document=budget.kind) for spec in vocab.TABLES}
    name = budget.name

    def statement(template: Label) -> Label:
        return template.format(department_zh=name.zh, department_en=name.english, year=budget.year)

    def note(number: str, text: Label) -> None:
        tables[number] = replace(tables[number], notes=(*tables[number].notes, text))

    for number in ("06", "07"):
        if tables[number].is_empty:
            note(number, statement(lb.EMPTY_TABLE[number]))
    if tables["09"].rows[0].values["total"] == ZERO:
        note("09", statement(lb.EMPTY_TABLE["09"]))
    if ledger.operating_costs is None:
        note("09", lb.NO_OPERATING_COSTS)
    return tables
