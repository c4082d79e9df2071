"""Every printed table cell against the same cell computed from line items, at the printed precision."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from generator.compute.budget import DepartmentBudget
from generator.core.money import to_unit
from generator.importer.printed import PrintedDocument

ZERO = Decimal(0)


@dataclass(frozen=True)
class Mismatch:
    key: str  # "03.201.basic"
    printed: Decimal | None  # in the table's unit; None: blank
    computed: Decimal | None  # in the same unit; None: no such cell
    unit: str
    page: int | None

    def __str__(self) -> str:
        where = f" (page {self.page})" if self.page else ""
        printed = "blank" if self.printed is None else f"{self.printed}"
        computed = "no such cell" if self.computed is None else f"{self.computed}"
        return f"{self.key}{where}: printed {printed}, the line items give {computed} {self.unit}"


@dataclass
class Comparison:
    matched: int = 0
    total: int = 0  # printed cells, and computed cells with money that the document leaves blank
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.mismatches and self.matched == self.total

    def __str__(self) -> str:
        return f"{self.matched}/{self.total} table cells reproduced"


def compare(doc: PrintedDocument, db: DepartmentBudget) -> Comparison:
    """Each printed cell equals the computed one rounded to its table's unit; each computed cell
    of a printed table that has money is printed (a blank cell is zero)."""
    out = Comparison()
    for number, table in sorted(doc.tables.items()):
        computed = db.tables[number].cells() if number in db.tables else {}
        for row, columns in table.cells.items():
            for column, cell in columns.items():
                key = f"{number}.{row}.{column}"
                out.total += 1
                value = computed.get(key)
                shown = to_unit(value, table.unit) if value is not None else None
                if shown == cell.value:
                    out.matched += 1
                else:
                    out.mismatches.append(Mismatch(key, cell.value, shown, table.unit, cell.page))
        for key, value in computed.items():
            row, column = key.split(".", 1)[1].rsplit(".", 1)  # a row key may hold dots (inc.财政拨款)
            if table.get(row, column) is None and to_unit(value, table.unit) != ZERO:
                out.total += 1
                out.mismatches.append(Mismatch(key, None, to_unit(value, table.unit), table.unit,
                                               table.pages[0] if table.pages else None))
    return out
