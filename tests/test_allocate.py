"""The allocation of 基本支出 from its marginals (generator/importer/allocate.py): exact, deterministic,
consistent with every marginal, and respecting the pairing rules where they can be."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.importer.allocate import AllocationError, allocate_basic, kind_of, transport

CENT = Decimal("0.01")
amounts = st.integers(min_value=1, max_value=10**9).map(lambda n: Decimal(n) * CENT)


def split_total(total: Decimal, parts: list[int]) -> list[Decimal]:
    """`total` in cents cut at the given relative weights (exact, the last part takes the rest)."""
    weights = sum(parts)
    out = [(total * p / weights).quantize(CENT, rounding="ROUND_DOWN") for p in parts[:-1]]
    return [*out, total - sum(out, Decimal(0))]


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=8), st.lists(st.integers(1, 100), min_size=1, max_size=8))
def test_transport_meets_both_marginals_exactly(rows_list, weights):
    rows = {f"r{i:02}": v for i, v in enumerate(rows_list)}
    total = sum(rows.values(), Decimal(0))
    cols = {f"c{i:02}": v for i, v in enumerate(split_total(total, weights)) if v > 0}
    cells = transport(rows, cols)
    assert all(v > 0 and v == v.quantize(CENT) for v in cells.values())
    for r, v in rows.items():
        assert sum((x for (rr, _), x in cells.items() if rr == r), Decimal(0)) == v
    for c, v in cols.items():
        assert sum((x for (_, cc), x in cells.items() if cc == c), Decimal(0)) == v
    assert transport(dict(reversed(list(rows.items()))), cols) == cells  # deterministic, whatever the order given


def test_unequal_totals_are_refused():
    with pytest.raises(AllocationError):
        transport({"a": Decimal("1.00")}, {"b": Decimal("1.01")})


def test_equal_amounts_and_pairings_first():
    functions = {"2010301": Decimal("500.00"), "2080505": Decimal("300.00"), "2101101": Decimal("200.00")}
    economics = {"30101": Decimal("500.00"), "30108": Decimal("300.00"), "30110": Decimal("200.00")}
    rules = {"30108": ("20805",), "30110": ("21011",)}
    cells = allocate_basic(functions, economics, rules)
    assert {(c.row, c.column): c.amount for c in cells} == {
        ("2010301", "30101"): Decimal("500.00"), ("2080505", "30108"): Decimal("300.00"),
        ("2101101", "30110"): Decimal("200.00")}
    assert all(c.determined for c in cells)


def test_a_paired_code_is_not_given_to_another_function_with_the_same_amount():
    # 30110 (medical insurance) must go under 21011 even though 2010301 has exactly its amount
    functions = {"2010301": Decimal("100.00"), "2101101": Decimal("60.00"), "2101102": Decimal("40.00")}
    economics = {"30110": Decimal("100.00"), "30101": Decimal("100.00")}
    cells = allocate_basic(functions, economics, {"30110": ("21011",)})
    assert {(c.row, c.column) for c in cells} == {("2010301", "30101"), ("2101101", "30110"), ("2101102", "30110")}
    assert {(c.row, c.column) for c in cells if c.determined} == {("2010301", "30101")}


def test_the_unit_split_of_each_class_is_kept():
    """A 单位预算's table 01: each function 类's 人员经费 and 公用经费."""
    functions = {"2010301": Decimal("1000.00"), "2080501": Decimal("400.00")}
    economics = {"30101": Decimal("900.00"), "30302": Decimal("300.00"), "30201": Decimal("200.00")}
    split = {"201": {"personnel": Decimal("850.00"), "public": Decimal("150.00")},
             "208": {"personnel": Decimal("350.00"), "public": Decimal("50.00")}}
    cells = allocate_basic(functions, economics, {}, split)
    for c, parts in split.items():
        for kind, amount in parts.items():
            assert sum((x.amount for x in cells if x.row.startswith(c) and kind_of(x.column) == kind), Decimal(0)) == amount
    for e, v in economics.items():
        assert sum((x.amount for x in cells if x.column == e), Decimal(0)) == v


def test_names_that_share_a_word_are_paired_before_the_corner_rule():
    """2080501 行政单位离退休 takes 30302 退休费, 2210203 购房补贴 takes 30102 津贴补贴 (code order would not)."""
    functions = {"2080501": Decimal("350.00"), "2210203": Decimal("150.00")}
    economics = {"30102": Decimal("200.00"), "30302": Decimal("300.00")}
    names = {"2080501": "行政单位离退休", "2210203": "购房补贴", "30102": "津贴补贴", "30302": "退休费"}
    assert {(c.row, c.column): c.amount for c in allocate_basic(functions, economics, {}, names=names)} == {
        ("2080501", "30302"): Decimal("300.00"), ("2210203", "30102"): Decimal("150.00"),
        ("2080501", "30102"): Decimal("50.00")}
    # without names: the north-west corner on the codes in order
    assert ("2210203", "30102") not in {(c.row, c.column) for c in allocate_basic(functions, economics, {})}
