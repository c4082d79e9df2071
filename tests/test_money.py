"""The rounding policy (generator/core/money.py) and exact money.

- amounts are yuan with at most two decimals, summed exactly (Decimal, never float);
- every displayed figure is rounded half-up, once, from its exact value;
- a displayed total that differs from the sum of the displayed rows it covers is reported as
  W302 (a warning: the exact values agree), which fails `invoke check --strict` only.
"""

from __future__ import annotations

import decimal
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, make_content, seed_text

from generator.core.money import table_cell, to_unit
from generator.pipeline import load_content

SEED = seed_text()
INVOKE = Path(sys.executable).parent / "invoke"

# Three personnel lines of table 08 (all 301 工资福利支出) set to 3,333,333.33 元 each: each row
# shows 333.33万元, while 301 shows its exact 11,247,799.99 元 = 1124.78万元 and the rows it
# covers add up, as displayed, to 1124.77万元.
THIRDS = {"amount: 372900}": "amount: 3333333.33}", "amount: 42300}": "amount: 3333333.33}",
          "amount: 2165000}": "amount: 3333333.33}"}


def replaced(text: str, changes: dict[str, str]) -> str:
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


# ---------------------------------------------------------------- one rounding, half-up


@pytest.mark.parametrize("yuan, shown", [
    ("50", "0.01"),        # 0.005万元: half-up (half-even would give 0.00)
    ("250", "0.03"),       # 0.025万元: half-up (half-even would give 0.02)
    ("49.99", "0.00"),
    ("10044.50", "1.00"),  # 1.00445万元 rounded once; rounding digit by digit would give 1.01
    ("57152900", "5715.29"),
    ("33694700.86", "3369.47"),
])
def test_wan_yuan_is_rounded_half_up_once_from_the_exact_value(yuan, shown):
    assert to_unit(Decimal(yuan), "万元") == Decimal(shown)


def test_yuan_display_keeps_the_cents():
    assert to_unit(Decimal("33694700.86"), "元") == Decimal("33694700.86")
    assert to_unit(Decimal("0.5"), "元") == Decimal("0.50")


def test_table_cells_are_blank_for_zero_and_grouped():
    assert table_cell(Decimal("0"), "万元") == ""
    assert table_cell(None, "万元") == ""
    assert table_cell(Decimal("57152900"), "万元") == "5,715.29"
    assert table_cell(Decimal("49"), "万元") == "0.00"  # money too small to show is not hidden


# ---------------------------------------------------------------- a rounding difference


@pytest.fixture(scope="module")
def thirds(tmp_path_factory) -> Path:
    return make_content(tmp_path_factory.mktemp("thirds"), {"2024/thirds.yaml": replaced(SEED, THIRDS)})


def test_displayed_total_is_rounded_from_its_exact_value_not_re_added(thirds):
    (db,) = load_content(thirds).budgets
    cells = db.tables["08"].cells()
    rows = [f"08.{code}.total" for code in
            ("30101", "30102", "30107", "30108", "30109", "30110", "30112", "30113", "30199")]
    assert cells["08.301.total"] == Decimal("11247799.99")  # exact
    assert to_unit(cells["08.301.total"], "万元") == Decimal("1124.78")
    assert sum(to_unit(cells[r], "万元") for r in rows) == Decimal("1124.77")
    assert [to_unit(cells[r], "万元") for r in rows[:3]] == [Decimal("333.33")] * 3


def test_rounding_difference_is_a_warning_w302(thirds):
    result = load_content(thirds)
    assert result.issues, "the rounding difference was not reported"
    assert {i.code for i in result.issues} == {"W302"}
    assert all(i.severity == "warning" for i in result.issues)
    assert any("301" in i.message("en") and "Table 08" in i.message("en") for i in result.issues)
    assert any("尾差" in i.message("zh") for i in result.issues)
    assert not result.failed()
    assert result.failed(strict=True)


def test_a_table_with_a_rounding_difference_carries_the_note(thirds):
    from generator.core.labels import ROUNDING_NOTE
    from generator.present.render import View

    result = load_content(thirds)
    (db,) = result.budgets
    view = View(db, "zh", result.report(db))
    assert ROUNDING_NOTE in view.notes(db.tables["08"])
    assert ROUNDING_NOTE not in db.tables["08"].notes  # the note is the report's, not the computed table's
    assert "尾差" in ROUNDING_NOTE.zh and "rounded" in ROUNDING_NOTE.en
    assert ROUNDING_NOTE not in view.notes(db.tables["02"])  # only where a displayed total differs


def test_the_shipped_content_has_no_rounding_difference(content):
    assert not [i for i in content.issues if i.code == "W302"]


def run_invoke(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(INVOKE), "-r", str(ROOT), "check", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_invoke_check_passes_a_rounding_difference_unless_strict(thirds):
    cwd = thirds.parent  # invoke check reads content/ where it runs
    plain = run_invoke(cwd, "--lang", "en")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    # reported at the display unit, which is what makes a displayed total round
    assert re.search(r"thirds\.yaml:\d+:\d+: W302 rounding difference", plain.stdout + plain.stderr)
    assert "0 error(s)" in plain.stdout + plain.stderr
    strict = run_invoke(cwd, "--strict", "--lang", "en")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "W302" in strict.stdout + strict.stderr
    assert "Traceback" not in plain.stdout + plain.stderr + strict.stdout + strict.stderr


# ---------------------------------------------------------------- never float


def test_amounts_sum_exactly(tmp_path):
    """20399.6 + 0.1 + 0.2 is 20399.9 exactly (in float it is 20399.899999999998)."""
    assert 20399.6 + 0.1 + 0.2 != 20399.9  # what float would do
    split = "  - {function: 2120199, economic: 30205, amount: 20399.6}\n" \
            "  - {function: 2120199, economic: 30205, amount: 0.1}\n" \
            "  - {function: 2120199, economic: 30205, amount: 0.2}"
    text = replaced(SEED, {"  - {function: 2120199, economic: 30205, amount: 20400}": split})
    result = load_content(make_content(tmp_path, {"2024/split.yaml": text}))
    assert {i.code for i in result.issues} == {"W215"}  # "typed twice?", nothing else
    (db,) = result.budgets
    amounts = [line.amount for line in db.budget.basic if line.economic == "30205"]
    assert amounts == [Decimal("20399.6"), Decimal("0.1"), Decimal("0.2")]
    assert db.tables["08"].cells()["08.30205.total"] == Decimal("20399.9")
    assert db.ledger.total == Decimal("57152899.9")
    assert db.tables["03"].cells()["03.total.total"] == Decimal("57152899.9")
    assert db.tables["01"].cells()["01.inc.total.amount"] == Decimal("57152899.9")


def test_the_pipeline_never_mixes_float_into_money(tmp_path):
    """With FloatOperation trapped, any Decimal made from a float raises; none is."""
    with decimal.localcontext() as ctx:
        ctx.traps[decimal.FloatOperation] = True
        result = load_content(make_content(tmp_path, {"2024/budget.yaml": SEED}))
    assert result.issues == []
    (db,) = result.budgets
    for table in db.tables.values():
        for key, value in table.cells().items():
            assert type(value) is Decimal, key
    assert all(type(v) is Decimal for v in db.checked.values())
    assert all(type(v) is Decimal for v in db.shown.values())


def test_no_module_converts_money_to_float():
    offenders = [f"{path.name}:{n}" for path in sorted((ROOT / "generator").glob("*.py"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if re.search(r"\bfloat\(", line)]
    assert offenders == []
