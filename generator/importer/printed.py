"""What a published budget PDF says, as read (generator/importer/reader.py): plain data.

A `PrintedDocument` holds the metadata, the nine tables and the narrative of one 部门预算 or
单位预算 PDF. Table cells use the keys of the computed tables (generator/compute/tables.py):
`{table}.{row}.{column}`, e.g. `03.2010301.basic`, `01.inc.财政拨款.amount`, `08.30101.personnel`,
`09.row.outbound`, so a printed table compares cell for cell with `db.tables[n].cells()`.

Amounts are kept as printed (`value`, in the table's printed unit, 元 or 万元) and in 元 (`yuan`).
A blank printed cell is not a `Cell` (it reads as zero, or as "not applicable").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

UNIT_FACTORS = {"元": Decimal(1), "万元": Decimal(10000)}
TABLE_NUMBERS = ("01", "02", "03", "04", "05", "06", "07", "08", "09")


@dataclass(frozen=True)
class Cell:
    value: Decimal  # as printed, in the table's unit
    yuan: Decimal  # the same in 元
    page: int  # 1-based page number of the PDF
    text: str = ""  # the printed text, e.g. "91,016,775.35"


@dataclass
class PrintedTable:
    number: str  # "01".."09"
    title: str = ""  # as printed, e.g. "2025年部门财务收支预算总表"
    unit: str = "元"  # "元" or "万元"
    pages: list[int] = field(default_factory=list)
    empty_note: str | None = None  # "注：…故本表为空表。", "无…" when the table says it is empty
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)  # row key -> column key -> Cell
    row_names: dict[str, str] = field(default_factory=dict)  # row key -> the printed name
    row_pages: dict[str, int] = field(default_factory=dict)  # row key -> page where the row is printed
    columns: dict[str, str] = field(default_factory=dict)  # column key -> the printed header
    notes: list[str] = field(default_factory=list)  # every 注 line under the table
    total_at: str | None = None  # "top" / "bottom": where the 合计 row stands (classified tables)
    full_codes: bool | None = None  # every row prints all its 类/款/项 codes (201 | 03 | 01), not only its own level
    unread: list[tuple[int, str]] = field(default_factory=list)  # (page, text) of rows with money that have no key

    def flat(self, yuan: bool = True) -> dict[str, Decimal]:
        """`{table}.{row}.{column}` -> amount (in 元, or as printed)."""
        return {f"{self.number}.{row}.{col}": (cell.yuan if yuan else cell.value)
                for row, cols in self.cells.items() for col, cell in cols.items()}

    def get(self, row: str, column: str) -> Cell | None:
        return self.cells.get(row, {}).get(column)

    def amount(self, row: str, column: str) -> Decimal:
        """The printed amount in the table's unit; a blank cell is zero."""
        cell = self.get(row, column)
        return cell.value if cell else Decimal(0)

    @property
    def is_empty(self) -> bool:
        return all(c.value == 0 for cols in self.cells.values() for c in cols.values())


@dataclass(frozen=True)
class Section:
    number: str  # "一".."八"
    heading: str  # as printed, e.g. "部门预算编制说明" (without the number)
    text: str  # the section's text, page breaks removed
    page: int  # page of the heading


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    text: str

    @property
    def flat(self) -> str:
        """The text without line breaks and spaces (a sentence wrapped over lines reads whole)."""
        return "".join(self.text.split())


@dataclass
class PrintedDocument:
    path: str
    year: int | None = None
    kind: str | None = None  # "department" (部门预算) or "unit" (单位预算)
    name: str = ""  # the department / unit the budget is of: 预算单位, or the tables' 编制部门/编报单位, or 预算主管部门
    supervisor: str = ""  # the 预算主管部门 (部门预算) or 预算单位 (单位预算) as printed on the cover
    unit_kind: str | None = None  # "行政" / "参公" / "事业" when the text says it
    profile: str | None = None  # "shanghai-jiading" / "shanghai-putuo"; None when unsure
    prose_unit: str = "万元"  # the unit of amounts in the narrative
    tables: dict[str, PrintedTable] = field(default_factory=dict)  # "01".."09"
    sections: list[Section] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    def cells(self, yuan: bool = True) -> dict[str, Decimal]:
        """Every printed cell of the nine tables, `{table}.{row}.{column}` -> amount."""
        out: dict[str, Decimal] = {}
        for table in self.tables.values():
            out.update(table.flat(yuan))
        return out

    def section(self, number: str) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)

    def page_of(self, text: str) -> int | None:
        """The first page whose text (line breaks and spaces removed) contains `text`."""
        wanted = "".join(text.split())
        return next((p.number for p in self.pages if wanted in p.flat), None)
