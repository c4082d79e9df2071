"""Exact amounts behind tables printed in 万元: leaves that round to every printed total.

A table in 万元 prints each amount rounded to 0.01万元 (100 元), subtotals included, so the sum
of the printed rows may be 0.01 off the printed subtotal although the document is right. The
draft's lines need amounts in 元 whose every sum rounds to what is printed: each leaf (a function
项's 基本支出 or 项目支出, an economic 款) may move within its own rounding (±50 元) so that each
printed subtotal of tables 03 and 08, and the equality of their 基本支出 totals, hold. A greedy
repair, constraint by constraint, each move kept within every other constraint's room.
"""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

from generator.core.money import UNIT_FACTORS
from generator.importer.printed import PrintedDocument, PrintedTable

ZERO = Decimal(0)
CENT = Decimal("0.01")
Var = tuple[str, str]  # (table, row key, …): ("03", "2010301.basic"), ("08", "30101")


@dataclasses.dataclass
class Constraint:
    terms: dict[Var, int]  # variable -> coefficient (+1 / −1)
    lo: Decimal
    hi: Decimal

    def value(self, x: dict[Var, Decimal]) -> Decimal:
        return sum((c * x[v] for v, c in self.terms.items()), ZERO)


def _range(cell_yuan: Decimal, half: Decimal) -> tuple[Decimal, Decimal]:
    return cell_yuan - half, cell_yuan + half - CENT


def _constraints(doc: PrintedDocument, half: Decimal) -> tuple[dict[Var, Decimal], dict[Var, tuple], list[Constraint]]:
    t03, t08 = doc.tables["03"], doc.tables["08"]
    x: dict[Var, Decimal] = {}
    for row, cols in t03.cells.items():
        if row.isdigit() and len(row) == 7:
            for col in ("basic", "project"):
                x[("03", f"{row}.{col}")] = cols[col].yuan if col in cols else ZERO
    for row, cols in t08.cells.items():
        if row.isdigit() and len(row) == 5 and "total" in cols:
            x[("08", row)] = cols["total"].yuan
    bounds = {v: (value - half if value else ZERO, value + half - CENT if value else ZERO) for v, value in x.items()}
    out = []
    for row, cols in t03.cells.items():
        prefix = "" if row == "total" else row
        for col, cell in cols.items():
            kinds = ("basic", "project") if col == "total" else (col,)
            if col not in ("total", "basic", "project"):
                continue
            terms = {v: 1 for v in x if v[0] == "03" and v[1].startswith(prefix) and v[1].split(".")[1] in kinds}
            out.append(Constraint(terms, *_range(cell.yuan, half)))
    for row, cols in t08.cells.items():
        prefix = "" if row == "total" else row
        for col, cell in cols.items():
            personnel = {"personnel": True, "public": False}.get(col)
            terms = {v: 1 for v in x if v[0] == "08" and v[1].startswith(prefix)
                     and (personnel is None or (v[1][:3] in ("301", "303")) == personnel)}
            out.append(Constraint(terms, *_range(cell.yuan, half)))
    equal = {v: (1 if v[0] == "03" else -1) for v in x if v[0] == "08" or v[1].endswith(".basic")}
    out.append(Constraint(equal, ZERO, ZERO))  # Σ 03 基本支出 = Σ 08: the allocation needs them equal
    return x, bounds, out


def _room(c: Constraint, x: dict[Var, Decimal], sign: int) -> Decimal:
    """How far the constraint's value may move in direction `sign` and stay in range."""
    value = c.value(x)
    return (c.hi - value) if sign > 0 else (value - c.lo)


def repair(x: dict[Var, Decimal], bounds: dict[Var, tuple], constraints: list[Constraint], passes: int = 20) -> bool:
    """Move the variables within their bounds until every constraint holds; False if it cannot."""
    by_var: dict[Var, list[Constraint]] = {}
    for c in constraints:
        for v in c.terms:
            by_var.setdefault(v, []).append(c)
    for _ in range(passes):
        broken = [c for c in constraints if not c.lo <= c.value(x) <= c.hi]
        if not broken:
            return True
        for c in broken:
            value = c.value(x)
            need = (c.lo - value) if value < c.lo else (c.hi - value) if value > c.hi else ZERO
            for v in sorted(c.terms, key=lambda v: -x[v]):
                if need == 0:
                    break
                step = 1 if need * c.terms[v] > 0 else -1  # the variable's direction
                lo, hi = bounds[v]
                room = (hi - x[v]) if step > 0 else (x[v] - lo)
                for other in by_var[v]:
                    if other is not c:
                        room = min(room, max(_room(other, x, step * other.terms[v]), ZERO))
                move = min(room, abs(need))
                if move > 0:
                    x[v] += step * move
                    need -= (step * c.terms[v]) * move
            if need != 0:
                _pair_move(c, need, x, bounds, by_var)
    return all(c.lo <= c.value(x) <= c.hi for c in constraints)


def _pair_move(c: Constraint, need: Decimal, x: dict[Var, Decimal], bounds: dict[Var, tuple],
               by_var: dict[Var, list[Constraint]]) -> None:
    """Move a variable of `c` and, the other way, one outside it (a total that must not change):
    the first such pair, and the largest step of need, need/2, … 0.01 that breaks nothing."""
    def fine(vs: tuple[Var, ...]) -> bool:
        return all(k.lo <= k.value(x) <= k.hi for v in vs for k in by_var[v] if k is not c) and \
            all(bounds[v][0] <= x[v] <= bounds[v][1] for v in vs)

    outside = [w for w in sorted(x) if w not in c.terms]
    for v in sorted(c.terms):
        step = need * c.terms[v]
        for w in outside:
            size = abs(step)
            while size >= CENT:
                delta = size if step > 0 else -size
                x[v] += delta
                x[w] -= delta
                before = fine((v, w))
                if before:
                    return
                x[v] -= delta
                x[w] += delta
                size = (size / 2).quantize(CENT, rounding="ROUND_DOWN")


def exact_leaves(doc: PrintedDocument) -> PrintedDocument:
    """`doc`, with the leaf amounts of tables 02, 03, 05 and 08 in 元 moved within their rounding so
    that every sum rounds as printed (a copy; `doc` itself when its tables are in 元 or cannot be)."""
    if any(t not in doc.tables for t in ("03", "08")) or {doc.tables["03"].unit, doc.tables["08"].unit} == {"元"}:
        return doc
    half = UNIT_FACTORS[doc.tables["03"].unit] / 200
    x, bounds, constraints = _constraints(doc, half)
    # each table's subtotals first, then the equality of the two 基本支出 totals within their rooms
    if not (repair(x, bounds, constraints[:-1]) and repair(x, bounds, constraints)):
        return doc
    fixed = copy.deepcopy(doc)

    def put(table: PrintedTable | None, row: str, col: str, value: Decimal) -> None:
        if table is not None and col in table.cells.get(row, {}):
            table.cells[row] = table.cells[row] | {col: dataclasses.replace(table.cells[row][col], yuan=value)}

    for (number, key), value in x.items():
        if number == "03":
            row, col = key.split(".")
            put(fixed.tables["03"], row, col, value)
            printed = doc.tables["03"].get(row, col)
            for other in ("05", "06", "07"):  # an appropriation table printing the same amount: the same money
                cell = doc.tables[other].get(row, col) if other in doc.tables else None
                if cell is not None and printed is not None and cell.value == printed.value:
                    put(fixed.tables[other], row, col, value)
        else:
            cols = doc.tables["08"].cells[key]
            for col in cols:
                put(fixed.tables["08"], key, col, value)
    return fixed
