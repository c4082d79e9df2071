"""The vocabularies of the disclosure, each defined once: income sources, expenditure kinds,
unit kinds and the standard tables.

The model's literals (model.py), the ledger, the figures, the table rows and columns with
their Chinese numbering, the claim labels and the templates all derive from these lists.
Adding a source or a table is a `register_*` call here (or from a plugin loaded before
`generator`) plus its labels and, for a table, its builder and template.

The registries are read when the modules that derive from them are imported: register
before `generator.load.model` is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.core import labels as lb
from generator.core.labels import Label

L = Label


# ---------------------------------------------------------------- income sources


@dataclass(frozen=True)
class IncomeSource:
    key: str  # as typed in a budget file (`source:`, `funding:`) and in figure names (income.其他收入)
    label: Label  # its name in prose and messages
    column: Label | None  # its column in table 02 (04 for an appropriation); None: no column of its own
    row: Label  # its row in table 01, without the number (一、 / 1.)
    appropriation: bool = False  # one of the three 财政拨款 appropriations
    typed: bool = True  # a line can carry it (财政拨款 is only the sum of the appropriations)
    when_used: bool = False  # tables 01 and 02 show it only when it has money
    table: str | None = None  # an appropriation's own function table (05, 06, 07)
    row_04: Label | None = None  # an appropriation's row in table 04, if not `row`
    words: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # (zh, en) words that name it in prose


FISCAL = "财政拨款"  # the sum of the appropriations

SOURCES: list[IncomeSource] = [
    IncomeSource(FISCAL, lb.SOURCE_LABELS["财政拨款"], lb.COLUMN_LABELS["财政拨款"], L("财政拨款收入", "Fiscal appropriations"),
                 typed=False, words=(("财政拨款收入", "财政拨款"), ("fiscal appropriations", "fiscal appropriation"))),
    IncomeSource("一般公共预算", lb.SOURCE_LABELS["一般公共预算"], lb.COLUMN_LABELS["一般公共预算"],
                 L("一般公共预算资金", "General public budget funds"), appropriation=True, table="05",
                 words=(("一般公共预算",), ("general public budget",))),
    IncomeSource("政府性基金", lb.SOURCE_LABELS["政府性基金"], lb.COLUMN_LABELS["政府性基金"],
                 L("政府性基金", "Government funds"), appropriation=True, table="06",
                 words=(("政府性基金",), ("government fund",))),
    IncomeSource("国有资本经营", lb.SOURCE_LABELS["国有资本经营"], lb.COLUMN_LABELS["国有资本经营"],
                 L("国有资本经营", "State capital operations"), appropriation=True, table="07",
                 row_04=L("国有资本经营收入", "State capital operation revenue"),
                 words=(("国有资本经营",), ("state capital operation",))),
    IncomeSource("事业收入", lb.SOURCE_LABELS["事业收入"], lb.COLUMN_LABELS["事业收入"], L("事业收入", "Public service revenue"),
                 words=(("事业收入",), ("public service revenue",))),
    IncomeSource("事业单位经营收入", lb.SOURCE_LABELS["事业单位经营收入"], lb.COLUMN_LABELS["事业单位经营收入"],
                 L("事业单位经营收入", "Business revenue of public institutions"),
                 words=(("事业单位经营收入",), ("business revenue",))),
    IncomeSource("上级补助收入", lb.SOURCE_LABELS["上级补助收入"], lb.COLUMN_LABELS["上级补助收入"],
                 L("上级补助收入", "Subsidies from higher-level units"),
                 words=(("上级补助收入",), ("subsidies from higher-level units",))),
    IncomeSource("附属单位上缴收入", lb.SOURCE_LABELS["附属单位上缴收入"], lb.COLUMN_LABELS["附属单位上缴收入"],
                 L("附属单位上缴收入", "Remittances from subordinate units"), when_used=True,
                 words=(("附属单位上缴收入",), ("remittances from subordinate units",))),
    IncomeSource("其他收入", lb.SOURCE_LABELS["其他收入"], lb.COLUMN_LABELS["其他收入"], L("其他收入", "Other revenue"),
                 words=(("其他收入",), ("other revenue", "other income"))),
    IncomeSource("上年结转", lb.SOURCE_LABELS["上年结转"], lb.COLUMN_LABELS["上年结转"],
                 L("上年结转", "Carry-over from last year"),
                 when_used=True, words=(("上年结转",), ("carry-over",))),
]


def register_source(source: IncomeSource, before: str | None = None) -> None:
    """Add a source (before another one, or last); its row and column follow that order."""
    keys = [s.key for s in SOURCES]
    if source.key in keys:
        raise ValueError(f"income source {source.key!r} is already registered")
    SOURCES.insert(keys.index(before) if before else len(SOURCES), source)


def source(key: str) -> IncomeSource:
    return next(s for s in SOURCES if s.key == key)


def source_keys() -> tuple[str, ...]:
    """Every source a figure is named after, 财政拨款 included, in the order of table 01."""
    return tuple(s.key for s in SOURCES)


def typed_sources() -> tuple[str, ...]:
    """The sources a line can carry: the model's `Source` literal."""
    return tuple(s.key for s in SOURCES if s.typed)


def appropriations() -> tuple[str, ...]:
    """一般公共预算, 政府性基金, 国有资本经营: together 财政拨款."""
    return tuple(s.key for s in SOURCES if s.appropriation)


def other_sources() -> tuple[IncomeSource, ...]:
    """The typed sources that are no appropriation: table 02's columns after 财政拨款."""
    return tuple(s for s in SOURCES if s.typed and not s.appropriation)


# ---------------------------------------------------------------- expenditure and unit kinds


@dataclass(frozen=True)
class Kind:
    key: str  # the column key in the tables (03.total.basic, 08.total.personnel)
    label: Label
    test: Callable  # ledger Line -> bool: is the line of this kind
    typed: str | None = None  # its `kind:` in `other_spending:`; None: basic or project lines
    default_source: str = "一般公共预算"


EXPENDITURE_KINDS = (  # columns of tables 03, 05–07 and the expenditure paragraph of 四
    Kind("basic", lb.COLUMN_LABELS["basic"], lambda line: line.kind == "basic"),
    Kind("project", lb.COLUMN_LABELS["project"], lambda line: line.kind == "project"),
    # `other_spending:` lines: shown in the tables only when used, always in the paragraph (as printed)
    Kind("upper", lb.COLUMN_LABELS["upper"], lambda line: line.kind == "upper", typed="上缴上级支出"),
    Kind("subsidiary", lb.COLUMN_LABELS["subsidiary"], lambda line: line.kind == "subsidiary", typed="对附属单位补助支出"),
    Kind("business", lb.COLUMN_LABELS["business"], lambda line: line.kind == "business", typed="事业单位经营支出",
         default_source="事业单位经营收入"),
)
BASIC_KINDS = (  # 人员经费 / 公用经费 of 基本支出: table 08
    Kind("personnel", lb.COLUMN_LABELS["personnel"], lambda line: line.is_personnel),
    Kind("public", lb.COLUMN_LABELS["public"], lambda line: not line.is_personnel),
)
PERSONNEL_CLASSES = ("301", "303")  # 人员经费 are these economic 类; every other 类 of 基本支出 is 公用经费


@dataclass(frozen=True)
class UnitKind:
    key: str  # as typed in `department.kind`
    label: Label
    operating_costs: bool  # has 机关运行经费 (tables 09, section 六)


UNIT_KINDS = (
    UnitKind("行政", L("行政单位", "Administrative unit"), True),
    UnitKind("参公", L("参照公务员法管理的事业单位", "Public institution managed as civil service"), True),
    UnitKind("事业", L("事业单位", "Public institution"), False),
    UnitKind("企业", L("企业", "Enterprise"), False),
)


# ---------------------------------------------------------------- documents


@dataclass(frozen=True)
class DocumentKind:
    key: str  # "department" (部门预算) or "unit" (单位预算)
    label: Label
    table_titles: dict
    table_number: Label
    sections: list
    section_4_parts: list  # the headings of 四's paragraphs


DOCUMENT_KINDS = {
    "department": DocumentKind("department", L("部门预算", "Department budget"), lb.TABLE_TITLES, lb.TABLE_NUMBER, lb.SECTIONS,
                                lb.SECTION_4_PARTS),
    "unit": DocumentKind("unit", L("单位预算", "Unit budget"), lb.UNIT_TABLE_TITLES, lb.UNIT_TABLE_NUMBER, lb.UNIT_SECTIONS,
                          lb.UNIT_SECTION_4_PARTS),
}


UNIT_KINDS_KEYS = tuple(k.key for k in UNIT_KINDS)


def other_spending_kinds() -> tuple[Kind, ...]:
    """The expenditure kinds typed as `other_spending:` lines (上缴上级支出 …)."""
    return tuple(k for k in EXPENDITURE_KINDS if k.typed)


def other_spending_kind(typed: str) -> Kind:
    return next(k for k in EXPENDITURE_KINDS if k.typed == typed)


def unit_kind(key: str) -> UnitKind:
    return next(k for k in UNIT_KINDS if k.key == key)


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class TableSpec:
    number: str  # "01" … : the key prefix of its cells, its anchor, its CSV file
    title: Label  # in a 部门预算
    landscape: bool = False  # printed on a landscape page
    build: Callable | None = None  # Ledger -> Table; None: tables.BUILDERS[number]
    template: str | None = None  # a template with a `table(v, table)` macro; None: the layout's own markup
    fixed_rows: str | None = None  # the catalogue/tables.yaml list of the rows it always shows
    unit_title: Label | None = None  # in a 单位预算; None: the standard unit title (or `title`)

    def title_in(self, document: str) -> Label:
        if document == "unit":
            return self.unit_title or lb.UNIT_TABLE_TITLES.get(self.number, self.title)
        return self.title


TABLES: list[TableSpec] = [
    TableSpec("01", lb.TABLE_TITLES["01"], fixed_rows="summary_classes"),
    TableSpec("02", lb.TABLE_TITLES["02"], landscape=True),
    TableSpec("03", lb.TABLE_TITLES["03"]),
    TableSpec("04", lb.TABLE_TITLES["04"], landscape=True, fixed_rows="summary_classes"),
    TableSpec("05", lb.TABLE_TITLES["05"]),
    TableSpec("06", lb.TABLE_TITLES["06"]),
    TableSpec("07", lb.TABLE_TITLES["07"]),
    TableSpec("08", lb.TABLE_TITLES["08"], fixed_rows="table08_rows"),
    TableSpec("09", lb.TABLE_TITLES["09"]),
]


def register_table(spec: TableSpec) -> None:
    if spec.number in table_numbers():
        raise ValueError(f"table {spec.number!r} is already registered")
    if spec.build is None:
        raise ValueError(f"table {spec.number!r} needs a builder")
    TABLES.append(spec)


def table(number: str) -> TableSpec:
    return next(t for t in TABLES if t.number == number)


def table_numbers() -> tuple[str, ...]:
    return tuple(t.number for t in TABLES)
