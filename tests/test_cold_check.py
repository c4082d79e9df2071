"""The cold `budget check`'s lookups (issue 12) answer exactly what the plain scans they replace answer."""

from __future__ import annotations

import fnmatch
from decimal import Decimal

from generator.compute import claim_labels
from generator.compute.figures import AMOUNT, Figure, find_claims
from generator.reconcile.checks import Cells

KEYS = ["01.inc.total.amount", "01.inc.财政拨款.amount", "01.x", "01..x", "nodot", "02.total.total", "02.total.一般公共预算",
        "02.201.total", "02.20101.basic.extra", "03.201.basic", "03.total.total", "010.total.total", "02.201.project"]


def _rows(values, table, prefix=""):
    seen = {}
    for key in values:
        if key.startswith(table + "."):
            row = key[len(table) + 1:key.rindex(".")]
            if row.startswith(prefix):
                seen[row] = None
    return list(seen)


def _columns(values, table, row):
    head = f"{table}.{row}."
    return [k[len(head):] for k in values if k.startswith(head) and "." not in k[len(head):]]


def test_cells_rows_and_columns_are_the_scans_they_index():
    cells = Cells({k: Decimal(1) for k in KEYS})
    for table in ("01", "02", "03", "010", "0", "nodot", ""):
        for prefix in ("", "inc.", "2", "total"):
            assert cells.rows(table, prefix) == _rows(KEYS, table, prefix), (table, prefix)
        for row in ("inc.total", "inc", "total", "201", "20101", "20101.basic", "", "."):
            assert cells.columns(table, row) == _columns(KEYS, table, row), (table, row)


def test_a_pattern_set_selects_what_fnmatch_selects_before_and_after_it_forgets(monkeypatch):
    patterns = ("*.其他收入", "*.其他收入.*", "basic", "basic.*", "project.p1*")
    names = ["income.其他收入", "table.02.total.其他收入", "function.201.其他收入.basic", "basic", "basic.personnel",
             "xbasic", "project.p1", "project.p10.一般公共预算", "project.p2", "其他收入", "share.basic"]
    pairs = [(n, Figure(AMOUNT, Decimal(i))) for i, n in enumerate(names)]
    expected = {n: f for n, f in pairs if any(fnmatch.fnmatchcase(n, p) for p in patterns)}
    glob = claim_labels._Glob(patterns)
    kind = claim_labels._index(dict(pairs)).with_value[AMOUNT]
    assert glob.select(kind) == expected and list(glob.select(kind)) == list(expected)  # remembered: same answer
    monkeypatch.setattr(claim_labels._Glob, "REMEMBERED", 3)
    backwards = claim_labels._index(dict(reversed(pairs))).with_value[AMOUNT]
    assert list(glob.select(backwards)) == list(reversed(expected)) and len(glob.asked) <= len(names)
    assert glob.select(None) == {}


def test_a_selection_is_remembered_for_one_figures_mapping_only():
    one = {"income.其他收入": Figure(AMOUNT, Decimal(5)), "total": Figure(AMOUNT, Decimal(9))}
    other = {"income.其他收入": Figure(AMOUNT, Decimal(7))}
    assert claim_labels._select(one, ["*.其他收入"], AMOUNT) == {"income.其他收入": one["income.其他收入"]}
    assert claim_labels._select(other, ["*.其他收入"], AMOUNT) == {"income.其他收入": other["income.其他收入"]}


def test_claims_read_once_are_handed_out_as_a_new_list():
    text = "财政拨款收入5370万元，占93.96%。"
    first = find_claims(text)
    first.clear()
    assert [c.written for c in find_claims(text)] == ["5370万元", "93.96%"]
