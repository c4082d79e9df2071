"""A department against its units: every table cell of the 部门预算 is the sum of the same cell
in its units' 单位预算 (E325)."""

from __future__ import annotations

from decimal import Decimal

from generator.compute.budget import DepartmentBudget
from generator.core.diagnostics import Issue, issue
from generator.core.display import money_text
from generator.core.money import ZERO


def units_issues(department: DepartmentBudget, units: list[DepartmentBudget]) -> list[Issue]:
    if len(units) < 1:
        return []
    found = []
    for number, table in department.tables.items():
        cells = table.cells()
        sums: dict[str, Decimal] = {}
        for unit in units:
            for key, value in unit.tables[number].cells().items():
                sums[key] = sums.get(key, ZERO) + value
        for key in sorted(set(cells) | {k for k, v in sums.items() if v}):
            if key not in cells and not _same_column(key, cells):
                continue  # a column only unit budgets print (table 01's 人员经费 …)
            if cells.get(key, ZERO) != sums.get(key, ZERO):
                found.append(issue("E325", department.where(("units",), key=True), key=key,
                                   department=money_text(cells.get(key, ZERO)), units=money_text(sums.get(key, ZERO))))
    return found


def _same_column(key: str, cells: dict) -> bool:
    """Does the department's table print this cell's column at all?"""
    number, column = key.split(".")[0], key.rsplit(".", 1)[1]
    return any(k.startswith(number + ".") and k.rsplit(".", 1)[1] == column for k in cells)
