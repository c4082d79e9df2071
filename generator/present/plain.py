"""The reconciliation in plain words, for citizens: what was compared, in table and row names.

An identity of the reconciliation (reconcile/checks.py) compares two sums of keyed amounts
("03.2120199.total", "project.lianqin", "form.anfang.sub.0"). The page never shows those keys:
each side is described by the names a reader finds in the document — the table's title, the
row's code and name, the column, the project — and both amounts of a comparison are shown in
one unit (the coarser of the two sides', the precision they are compared at). reconciliation.json
keeps the keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from generator.core import labels as lb
from generator.core import vocab
from generator.core.labels import Label
from generator.core.money import UNIT_FACTORS, grouped, side_amount
from generator.reconcile.checks import Outcome

L = Label
MANY = 4  # a side of more figures than this is described by its count

TITLE = L("数据核对", "Reconciliation")
STATEMENT = L(
    "本页的每一个数字都由预算明细计算得出。发布前，表格之间、表格与文字之间的 {n} 项对应关系已在本页上逐项核对，全部相符。",
    "Every figure on this page is computed from the budget's line items. Before publication, {n} relations between "
    "the tables, and between the tables and the text, were checked one by one on this page: all of them hold.",
)
STATEMENT_FAILED = L(
    "本页的每一个数字都由预算明细计算得出。发布前，表格之间、表格与文字之间的 {n} 项对应关系已在本页上逐项核对，"
    "其中 {failed} 项不符。",
    "Every figure on this page is computed from the budget's line items. Before publication, {n} relations between "
    "the tables, and between the tables and the text, were checked one by one on this page: {failed} of them do not hold.",
)
ROUNDING = L("其中 {n} 项的合计与分项显示值之和因四舍五入相差尾数，精确数相符。",
             "In {n} of them a displayed total differs from the sum of its displayed parts by rounding only; the exact "
             "figures agree.")
SHOW_ALL = L("查看全部 {n} 项核对", "Show all {n} checks")
COUNT = L("{n} 项", "{n} checks")
RESULT = {"ok": L("相符", "holds"), "rounding": L("相符（显示值有四舍五入尾差）", "holds (displayed values differ by rounding)"),
          "mismatch": L("不符", "does not hold")}
SUM_OF_ROWS = L("{n} 行之和", "the sum of {n} rows")
SUM_OF = L("{n} 项之和", "the sum of {n} figures")
SUM_IN = L("{tables}中 {n} 个数之和", "the sum of {n} figures in {tables}")
TABLE_SEP = L("、", ", ")
NOTHING = L("无", "nothing")
ALL_PROJECTS = L("全部 {n} 个项目的当年预算之和", "the budgets of all {n} projects this year")
FORMS = L("{n} 张绩效目标申报表的当年预算之和", "this year's budgets on the {n} performance forms")
SUB_ITEMS = L("“{project}”的 {n} 个子项目之和", "the {n} sub-items of \u201c{project}\u201d")
QUOTED = L("《{title}》", "\u201c{title}\u201d")
IN_TABLE = L("{table}{what}", "{table}: {what}")
ROW_COL = L("{row}·{col}", "{row}, {col}")
FORM_PARTS = {
    "this_year": L("“{project}”绩效目标申报表·当年预算", "\u201c{project}\u201d performance form: budget this year"),
    "total_budget": L("“{project}”绩效目标申报表·项目总预算", "\u201c{project}\u201d performance form: total budget"),
    "sub_basis": L("“{project}”绩效目标申报表·子项目所分解的预算",
                   "\u201c{project}\u201d performance form: the budget its sub-items break down"),
}
SUB_ITEM = L("“{project}”子项目“{name}”", "\u201c{project}\u201d sub-item \u201c{name}\u201d")
PROJECT = L("项目“{project}”当年预算", "project \u201c{project}\u201d, this year")
PROJECT_PROCUREMENT = L("项目“{project}”的政府采购", "government procurement of project \u201c{project}\u201d")
PROCUREMENT = {
    "total": L("政府采购预算总额", "government procurement, total"),
    "货物": L("政府采购·货物", "government procurement: goods"),
    "工程": L("政府采购·工程", "government procurement: works"),
    "服务": L("政府采购·服务", "government procurement: services"),
    "sme": L("面向中小企业预留", "reserved for small and medium enterprises"),
    "micro": L("面向小微企业预留", "reserved for micro and small enterprises"),
}
GROUPS = {  # the checks of reconcile/checks.py, in words ({t01} … the tables' titles as printed)
    "R01": L("{t01}：收入与支出平衡", "{t01}: revenue equals expenditure"),
    "R02": L("{t01}、{t04}与各分表一致", "{t01} and {t04} agree with the detailed tables"),
    "R03": L("每一行的合计等于各列之和", "On every row, the total equals its columns"),
    "R04": L("合计等于各类之和，类、款等于下级科目之和",
             "Totals equal their classes; each class and category equals its sub-codes"),
    "R05": L("财政拨款在各表之间一致", "Fiscal appropriations agree across the tables"),
    "R06": L("基本支出与{t08}一致", "Basic expenditure agrees with {t08}"),
    "R07": L("{t09}", "{t09}"),
    "R08": L("项目、绩效目标申报表与子项目", "Projects, performance forms and sub-items"),
    "R09": L("政府采购", "Government procurement"),
    "R10": L("{t02}的收入与{t03}的支出逐行一致", "Revenue in {t02} equals expenditure in {t03}, row by row"),
}
RELATION = {"=": " = ", "<=": " ≤ "}
ABSENT = L("{what}（本表未列此行，即为0）", "{what} (no row in the table: 0)")


def _source_column(key: str) -> Label | None:
    return next((s.column for s in vocab.SOURCES if s.key == key), None)


@dataclass(frozen=True)
class Item:
    """One identity in words: what is compared, the two amounts in one unit, the result."""

    text: str
    left: str
    right: str
    relation: str
    status: str


class Plain:
    def __init__(self, view):
        self.v = view
        self.t = view.t
        self.cells: dict[str, tuple[str, str, Label | None, Label | None, str]] = {}  # key -> (table, row key, row, col, code)
        for number, table in view.db.tables.items():
            for row, columns in table.all_rows():
                single_column = len(columns) == 1
                for col in columns:
                    row_label = None if table.layout == "single" else row.label
                    self.cells[f"{number}.{row.key}.{col.key}"] = (number, row.key, row_label,
                                                                  None if single_column else col.label,
                                                                  row.code if table.layout == "classified" else "")
        self.projects = {p.id: p for p in view.b.projects}
        self._said: dict[tuple, str] = {}  # (what, key) -> its words: the same cells recur across the checks

    def _memo(self, what: str, key: object, make) -> str:
        said = self._said.get((what, key))
        if said is None:
            said = self._said[(what, key)] = make()
        return said

    # ---- names
    def table_name(self, number: str) -> str:
        return self._memo("table", number, lambda: self._table_name(number))

    def _table_name(self, number: str) -> str:
        return self.v.fmt(QUOTED, title=self.t(self.v.table_title(number)))

    def _row(self, row: Label | None, code: str) -> str:
        if row is None:
            return ""
        name = self.t(row)
        return f"{code} {name}" if code else name

    def _cell_text(self, key: str, with_table: bool = True) -> str:
        return self._memo("cell", (key, with_table), lambda: self._words_of_cell(key, with_table))

    def _words_of_cell(self, key: str, with_table: bool) -> str:
        number, _, row, col, code = self.cells[key]
        parts = [p for p in (self._row(row, code), self.t(col) if col is not None else "") if p]
        if len(parts) == 2 and parts[0] == parts[1]:  # 合计 · 合计
            parts = parts[:1]
        what = self.v.fmt(ROW_COL, row=parts[0], col=parts[1]) if len(parts) == 2 else (parts[0] if parts else "")
        return self.v.fmt(IN_TABLE, table=self.table_name(number), what=what) if with_table else what

    def _project(self, pid: str) -> str:
        p = self.projects.get(pid)
        return self.t(p.name) if p is not None else pid

    def _absent(self, key: str) -> str | None:
        """A cell the table does not print (a row of no money): its names from the catalogue, and 0."""
        number, _, rest = key.partition(".")
        if number not in self.v.db.tables or "." not in rest:
            return None
        row, col = rest.rsplit(".", 1)
        table = self.v.db.tables[number]
        code = row.split(".")[-1]
        cat = self.v.db.ledger.catalogue
        entry = (cat.economic if number == "08" else cat.functional).get(code)
        if entry is not None:
            row_text = self._row(L(entry.zh, entry.en), code if table.layout == "classified" else "")
        else:
            row_text = self.t(lb.TOTAL) if code == "total" else code
        col_label = None if table.layout == "balance" and col == "amount" else lb.COLUMN_LABELS.get(col) or _source_column(col)
        what = self.v.fmt(ROW_COL, row=row_text, col=self.t(col_label)) if col_label is not None else row_text
        return self.v.fmt(IN_TABLE, table=self.table_name(number), what=self.v.fmt(ABSENT, what=what))

    def name(self, key: str) -> str:
        """One keyed amount in words."""
        return self._memo("name", key, lambda: self._name(key))

    def _name(self, key: str) -> str:
        if key in self.cells:
            return self._cell_text(key)
        absent = self._absent(key)
        if absent is not None:
            return absent
        head, _, rest = key.partition(".")
        if head == "project":
            pid, _, tail = rest.partition(".")
            return self.v.fmt(PROJECT_PROCUREMENT if tail == "procurement" else PROJECT, project=self._project(pid))
        if head == "form":
            pid, _, tail = rest.partition(".")
            if tail.startswith("sub."):
                p = self.projects.get(pid)
                n = int(tail[4:])
                sub = p.form.sub_items[n].name if p is not None and p.form else tail
                return self.v.fmt(SUB_ITEM, project=self._project(pid), name=self.t(sub))
            return self.v.fmt(FORM_PARTS[tail], project=self._project(pid))
        if head == "procurement":
            return self.t(PROCUREMENT[rest])
        return self.t(lb.ITEM)  # not reached: every key the checks read is one of the above

    def side(self, keys: tuple[str, ...]) -> str:
        """A sum of keyed amounts in words."""
        return self._memo("side", keys, lambda: self._side(keys))

    def _side(self, keys: tuple[str, ...]) -> str:
        if not keys:
            return self.t(NOTHING)
        if len(keys) == 1:
            return self.name(keys[0])
        if all(k.startswith("project.") and k.count(".") == 1 for k in keys):
            return self.v.fmt(ALL_PROJECTS, n=len(keys))
        if all(k.startswith("form.") and k.endswith(".this_year") for k in keys):
            return self.v.fmt(FORMS, n=len(keys))
        if all(k.startswith("form.") and ".sub." in k for k in keys):
            return self.v.fmt(SUB_ITEMS, project=self._project(keys[0].split(".")[1]), n=len(keys))
        cells = [self.cells.get(k) for k in keys]
        if all(cells) and len({c[0] for c in cells if c}) == 1:
            number = cells[0][0]  # type: ignore[index]
            if len(keys) > MANY:
                return self.v.fmt(IN_TABLE, table=self.table_name(number), what=self.v.fmt(SUM_OF_ROWS, n=len(keys)))
            return self.v.fmt(IN_TABLE, table=self.table_name(number),
                              what=" + ".join(self._cell_text(k, with_table=False) for k in keys))
        if len(keys) > MANY:
            return self._by_row(keys)
        return " + ".join(self.name(k) for k in keys)

    def _by_row(self, keys: tuple[str, ...]) -> str:
        """Many figures of several tables: one part per table row, its columns listed (05 合计 + 06 合计 +
        02 事业收入 + 其他收入 …); the count of figures where that is still too long."""
        rows: dict[tuple[str, str], list[str]] = {}
        for k in keys:
            cell = self.cells.get(k)
            rows.setdefault((cell[0], cell[1]) if cell else (k, ""), []).append(k)
        if len(rows) > MANY:
            numbers = sorted({c[0] for c in (self.cells.get(k) for k in keys) if c})
            tables = self.t(TABLE_SEP).join(self.table_name(n) for n in numbers)
            return self.v.fmt(SUM_IN if numbers else SUM_OF, n=len(keys), tables=tables)
        parts = []
        for (number, _), members in rows.items():
            cell = self.cells.get(members[0])
            if cell is None or len(members) == 1:
                parts.append(self.name(members[0]))
                continue
            _, _, row, _, code = cell
            columns = " + ".join(self.t(self.cells[k][3]) for k in members if self.cells[k][3] is not None)
            what = self.v.fmt(ROW_COL, row=self._row(row, code), col=columns) if row is not None else columns
            parts.append(self.v.fmt(IN_TABLE, table=self.table_name(number), what=what))
        return " + ".join(parts)

    # ---- amounts, one unit per comparison
    def amounts(self, o: Outcome) -> tuple[str, str]:
        keys = o.comparison.left + o.comparison.right
        rule = self.v.display
        if rule.all_in_yuan(keys):
            unit = "元"
        else:
            units = {rule.unit_of_key(k) for k in keys}
            unit = max(units, key=lambda u: UNIT_FACTORS[u])  # the coarser: what they are compared at
        return self._amount(o.left_shown, unit), self._amount(o.right_shown, unit)

    def _amount(self, value: Decimal, unit: str) -> str:
        if self.v.lang == "zh":  # the number and the unit, as the tables print them (display.DisplayRule.side)
            return f"{grouped(value / UNIT_FACTORS[unit])}{unit}"
        return side_amount(value, unit) if unit == "万元" else f"RMB {grouped(value)}"

    # ---- the section
    def item(self, o: Outcome) -> Item:
        c = o.comparison
        relation = "<=" if c.at_most else "="
        left, right = self.amounts(o)
        return Item(f"{self.side(c.left)}{RELATION[relation]}{self.side(c.right)}", left, right, RELATION[relation], o.status)

    def group_title(self, check_id: str, fallback: Label) -> str:
        label = GROUPS.get(check_id)
        if label is None:
            return self.t(fallback)
        titles = {f"t{n}": self.table_name(n) for n in self.v.table_numbers}
        return self.t(label).format(**titles)

    def groups(self) -> list[dict]:
        return [{"title": self.group_title(g["check"].id, g["check"].title), "ok": g["ok"],
                 "items": [self.item(o) for o in g["outcomes"]]} for g in self.v.reconciliation]

    def statement(self) -> str:
        outcomes = self.v.report.outcomes
        failed = sum(1 for o in outcomes if o.status == "mismatch")
        text = self.v.fmt(STATEMENT_FAILED, n=len(outcomes), failed=failed) if failed else self.v.fmt(STATEMENT, n=len(outcomes))
        rounding = self.v.rounding_count
        return text + (self.v.fmt(ROUNDING, n=rounding) if rounding else "")

    def result(self, status: str) -> str:
        return self.t(RESULT[status])

    def items_html(self, items: list[Item]) -> Markup:
        """The <li> of every identity of a group, as partials/reconciliation.html printed them one by one
        (the same bytes; a page has hundreds, and a template loop costs several times this)."""
        results = {status: escape(self.result(status)) for status in RESULT}
        return Markup("".join(
            f'        <li class="{escape(i.status)}"><span class="check-what">{escape(i.text)}</span>\n'
            f'          <span class="check-amounts">{escape(i.left)}{escape(i.relation)}{escape(i.right)}</span>\n'
            f'          <span class="check-result">{results[i.status]}</span></li>'
            for i in items))

    def text(self, name: str, **slots) -> str:
        label = globals()[name]
        return self.v.fmt(label, **slots) if slots else self.t(label)
