"""Line items from marginals: a deterministic allocation of 基本支出 consistent with every printed total.

A published budget prints 基本支出 twice, as marginals: by function 项 (tables 03/05) and by
economic 款 (table 08); a 单位预算's table 01 also splits each function 类 into 人员经费 and
公用经费. Any table of line items function × economic whose row and column sums are those
marginals reproduces all three tables. This module chooses one, exactly in Decimal cents and the
same on every run:

1. a function and an economic 款 with the same amount are paired (the usual case of a 项 that
   carries one 款: 2080505 = 30108), unless the 款 belongs under other functions;
2. an economic 款 that belongs under particular functions (catalogue/pairings.yaml: 30108 under
   20805 …) goes to those functions next, so the draft has no W222;
3. a function and a 款 whose catalogue names share a word (行政单位离退休 / 退休费);
4. the rest by the north-west corner rule on the codes in order.

With the 单位预算's split, the allocation runs in two steps: each kind's 款 to the 类 (the
split's totals), then within each 类 its functions to what it received.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from generator.core import vocab

ZERO = Decimal(0)
Prefer = Callable[[str, str], bool]


class AllocationError(ValueError):
    """The marginals do not have the same total: no allocation reproduces both."""

    def __init__(self, what: str, rows: Decimal, columns: Decimal):
        super().__init__(f"{what}: {rows} ≠ {columns}")
        self.what, self.rows, self.columns = what, rows, columns


@dataclass(frozen=True)
class Cell:
    row: str
    column: str
    amount: Decimal
    determined: bool  # the only cell of its row and of its column: printed as such, not chosen


def transport(rows: Mapping[str, Decimal], columns: Mapping[str, Decimal], prefer: Prefer | None = None,
              what: str = "allocation", restricted: Callable[[str], bool] = lambda c: False,
              score: Callable[[str, str], int] | None = None) -> dict[tuple[str, str], Decimal]:
    """Non-negative cells whose row sums are `rows` and column sums `columns` (equal totals);
    `prefer(row, column)`: the pairs to fill first; `restricted(column)`: a column only its
    preferred rows should take."""
    if sum(rows.values(), ZERO) != sum(columns.values(), ZERO):
        raise AllocationError(what, sum(rows.values(), ZERO), sum(columns.values(), ZERO))
    left = {k: v for k, v in sorted(rows.items()) if v > 0}
    need = {k: v for k, v in sorted(columns.items()) if v > 0}
    out: dict[tuple[str, str], Decimal] = {}

    def give(r: str, c: str, amount: Decimal) -> None:
        if amount <= 0:
            return
        out[(r, c)] = out.get((r, c), ZERO) + amount
        left[r] -= amount
        need[c] -= amount

    for r in left:  # 1. equal amounts, where the 款's pairing rule allows the function
        for c in need:
            if left[r] > 0 and left[r] == need[c] and (prefer is None or prefer(r, c) or not restricted(c)):
                give(r, c, left[r])
    if prefer is not None:  # 2. the pairings
        for c in need:
            for r in left:
                if need[c] > 0 and left[r] > 0 and prefer(r, c):
                    give(r, c, min(left[r], need[c]))
    if score is not None:  # 3. names that share words (2080501 行政单位离退休 and 30302 退休费)
        pairs = sorted(((score(r, c), r, c) for r in left for c in need if not restricted(c)), key=lambda t: (-t[0], t[1], t[2]))
        for points, r, c in pairs:
            if points > 0 and left[r] > 0 and need[c] > 0:
                give(r, c, min(left[r], need[c]))
    rs, cs = [r for r in left if left[r] > 0], [c for c in need if need[c] > 0]
    i = j = 0
    while i < len(rs) and j < len(cs):  # 4. the north-west corner
        r, c = rs[i], cs[j]
        give(r, c, min(left[r], need[c]))
        if left[r] == 0:
            i += 1
        if need[c] == 0:
            j += 1
    return out


def pairing_prefer(rules: Mapping[str, tuple[str, ...]]) -> Prefer:
    """(function or 类 code, economic 款) -> whether the 款 belongs under it (either code a prefix of the other)."""
    def prefer(function: str, economic: str) -> bool:
        allowed = rules.get(economic, ())
        return any(function.startswith(p) or p.startswith(function) for p in allowed)
    return prefer


def kind_of(economic: str) -> str:
    """人员经费 (personnel) or 公用经费 (public) of an economic code."""
    return "personnel" if economic[:3] in vocab.PERSONNEL_CLASSES else "public"


# words too common in the catalogue's names to say two codes belong together
GENERIC = frozenset({"支出", "其他", "单位", "经费", "基本", "缴费", "事业", "行政", "机关", "费用", "补助"})


def shared_words(a: str, b: str) -> int:
    """How many two-character words two names share: 离退休 and 退休费 share 退休."""
    def words(text: str) -> set[str]:
        return {text[i:i + 2] for i in range(len(text) - 1)} - GENERIC
    return len(words(a) & words(b))


def allocate_basic(functions: Mapping[str, Decimal], economics: Mapping[str, Decimal],
                   rules: Mapping[str, tuple[str, ...]],
                   split: Mapping[str, Mapping[str, Decimal]] | None = None,
                   names: Mapping[str, str] | None = None) -> list[Cell]:
    """基本支出 lines function 项 × economic 款 from the two marginals (and, for a 单位预算, the
    split of each function 类 into personnel / public). Raises AllocationError when they disagree."""
    prefer = pairing_prefer(rules)

    def restricted(economic: str) -> bool:
        return economic in rules

    def score(function: str, economic: str) -> int:  # a 类 scores as its best function
        if not names:
            return 0
        within = [f for f in functions if f.startswith(function)] or [function]
        return max(shared_words(names.get(f, ""), names.get(economic, "")) for f in within)

    cells: dict[tuple[str, str], Decimal] = {}
    if split:
        received: dict[str, dict[str, Decimal]] = {c: {} for c in split}  # 类 -> the 款 it gets
        for kind in ("personnel", "public"):
            classes = {c: parts.get(kind, ZERO) for c, parts in split.items()}
            columns = {e: v for e, v in economics.items() if kind_of(e) == kind}
            by_class = transport(classes, columns, prefer, what=f"01 {kind} / 08 {kind}", restricted=restricted, score=score)
            for (c, e), v in by_class.items():
                received[c][e] = received[c].get(e, ZERO) + v
        for c, columns in received.items():
            rows = {f: v for f, v in functions.items() if f.startswith(c)}
            cells |= transport(rows, columns, prefer, what=f"{c}: 03/05 基本支出 / 01 人员经费 + 公用经费",
                               restricted=restricted, score=score)
    else:
        cells = transport(functions, economics, prefer, what="03/05 基本支出 / 08", restricted=restricted, score=score)
    row_count: dict[str, int] = {}
    col_count: dict[str, int] = {}
    for f, e in cells:
        row_count[f] = row_count.get(f, 0) + 1
        col_count[e] = col_count.get(e, 0) + 1
    return [Cell(f, e, v, row_count[f] == 1 and col_count[e] == 1) for (f, e), v in sorted(cells.items()) if v > 0]



def split_public(cells: list[Cell], amount: Decimal) -> tuple[list[Cell], list[Cell]]:
    """The cells cut in two: the first part holds `amount` of 公用经费 (a 行政 unit's, whose
    机关运行经费 table 09 prints) and every 人员经费 cell; the second the rest of 公用经费 (a
    事业 unit's). In code order; one cell may be cut."""
    first: list[Cell] = []
    second: list[Cell] = []
    left = amount
    for c in cells:
        if kind_of(c.column) == "personnel":
            first.append(c)
        elif left >= c.amount:
            first.append(c)
            left -= c.amount
        elif left > 0:
            first.append(Cell(c.row, c.column, left, False))
            second.append(Cell(c.row, c.column, c.amount - left, False))
            left = ZERO
        else:
            second.append(c)
    if left > 0:
        raise AllocationError("机关运行经费 / 公用经费", amount, amount - left)
    return first, second
