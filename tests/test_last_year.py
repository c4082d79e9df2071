"""Last year by item (format 2): figures from last year's file of the same department, typed
values reconciled with it (E306), typed values alone when there is no file, E240 when neither;
and `budget new-year` on the seed, filled with this year's amounts, changes nothing.

Fixtures: tests/fixtures/units/town-2024.yaml and town-2025.yaml (figures by hand in their headers).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal

from conftest import FIXTURES, ROOT, make_content, seed_text

from generator.load.newyear import draft
from generator.pipeline import load_content

TOWN_2024 = (FIXTURES / "units" / "town-2024.yaml").read_text(encoding="utf-8")
TOWN_2025 = (FIXTURES / "units" / "town-2025.yaml").read_text(encoding="utf-8")
D = Decimal
BOTH = {"2024/town.yaml": TOWN_2024, "2025/town.yaml": TOWN_2025}


def with_last_year(text: str, block: str) -> tuple[str, int]:
    """`text` with a `last_year:` block before `basic:`, and the line where the block starts."""
    assert text.count("\nbasic:\n") == 1
    line = text[:text.index("\nbasic:\n")].count("\n") + 2
    return text.replace("\nbasic:\n", "\n" + block + "basic:\n"), line


def this_year(content):
    (db,) = [d for d in content.budgets if d.year == 2025]
    return db


def test_last_year_comes_from_last_years_file(tmp_path):
    content = load_content(make_content(tmp_path, BOTH))
    assert content.issues == [], [i.format("en") for i in content.issues]
    f = {k: v.value for k, v in this_year(content).figures.items()}
    # town-2024.yaml: 90,000 basic + 20,000 huiyi + 5,000 jianshe (政府性基金) = 115,000
    assert f["last_year.total"] == D(115000) and f["change.total"] == D(12000)  # 127,000 − 115,000
    assert f["last_year.function.2010301"] == D(90000) and f["change.function.2010301"] == D(12000)  # 102,000 − 90,000
    assert f["last_year.function.201"] == D(110000) and f["change.function.201"] == D(17000)
    assert f["last_year.function.2120803"] == D(5000) and f["change.function.2120803"] == D(5000)  # none this year
    assert f["last_year.source.一般公共预算"] == D(110000) and f["change.source.一般公共预算"] == D(17000)
    assert f["last_year.source.政府性基金"] == D(5000) and f["change.source.政府性基金"] == D(5000)
    assert f["last_year.source.财政拨款"] == D(115000)
    assert f["last_year.three_public.reception"] == D(2000) and f["change.three_public.reception"] == D(500)
    assert f["last_year.three_public.total"] == D(2000)
    assert f["last_year.operating_costs"] == D(10000) and f["change.operating_costs"] == D(2000)  # 12,000 − 10,000
    assert f["change.operating_costs.pct"] == D(20)


def test_a_typed_function_that_differs_from_last_years_file_is_e306_at_its_line(tmp_path):
    text, line = with_last_year(TOWN_2025, 'last_year:\n  functions: {"2010301": 91000}\n')
    content = load_content(make_content(tmp_path, {**BOTH, "2025/town.yaml": text}))
    assert [(i.code, i.location.line) for i in content.issues] == [("E306", line + 1)], \
        [i.format("en") for i in content.issues]
    assert "90,000" in content.issues[0].format("en")
    # the figures are still last year's file's
    assert this_year(content).figures["last_year.function.2010301"].value == D(90000)


def test_typed_values_that_agree_with_last_years_file_are_clean(tmp_path):
    block = ('last_year:\n  total: 115000\n  sources: {一般公共预算: 110000, 政府性基金: 5000}\n'
             '  functions: {"2010301": 90000, "201": 110000}\n  operating_costs: 10000\n'
             '  three_public: {outbound: 0, reception: 2000, vehicle_purchase: 0, vehicle_operation: 0}\n')
    text, _ = with_last_year(TOWN_2025, block)
    content = load_content(make_content(tmp_path, {**BOTH, "2025/town.yaml": text}))
    assert content.issues == [], [i.format("en") for i in content.issues]


def test_without_last_years_file_the_typed_values_are_used(tmp_path):
    block = ('last_year:\n  total: 100000\n  sources: {一般公共预算: 100000}\n  functions: {"2010301": 80000}\n'
             '  operating_costs: 9000\n'
             '  three_public: {outbound: 0, reception: 1000, vehicle_purchase: 0, vehicle_operation: 0}\n')
    text, _ = with_last_year(TOWN_2025, block)
    content = load_content(make_content(tmp_path, {"2025/town.yaml": text}))
    assert content.issues == [], [i.format("en") for i in content.issues]
    f = {k: v.value for k, v in this_year(content).figures.items()}
    assert (f["last_year.total"], f["change.total"]) == (D(100000), D(27000))  # 127,000 − 100,000
    assert (f["last_year.function.2010301"], f["change.function.2010301"]) == (D(80000), D(22000))
    assert (f["last_year.source.一般公共预算"], f["change.source.一般公共预算"]) == (D(100000), D(27000))
    assert (f["last_year.operating_costs"], f["change.operating_costs"]) == (D(9000), D(3000))
    assert (f["last_year.three_public.total"], f["change.three_public.total"]) == (D(1000), D(500))
    assert "last_year.function.2010302" not in f  # not typed: no comparison


def test_neither_last_years_file_nor_total_is_e240_without_a_traceback(tmp_path):
    content_dir = make_content(tmp_path, {"2025/town.yaml": TOWN_2025})
    content = load_content(content_dir)
    assert [i.code for i in content.issues] == ["E240"], [i.format("en") for i in content.issues]
    assert "last_year.total" in content.issues[0].format("en")
    assert content.budgets == []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "generator.cli", "check", "--content", str(content_dir)],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert run.returncode == 1 and "E240" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr


# ---------------------------------------------------------------- budget new-year


FILL = re.compile(r"(?P<key>[\w\u4e00-\u9fff]+): null(?P<rest>[}\s]*#\s*(?P<year>\d{4}): (?P<value>[\d.]+))")


def fill_nulls(text: str) -> str:
    """Every `amount: null  # 2024: 372900` of a new-year draft with this year's amount again."""
    return FILL.sub(lambda m: f"{m['key']}: {m['value']}{m['rest']}", text)


def test_new_year_filled_with_this_years_amounts_changes_nothing(tmp_path):
    d = draft(seed_text())
    assert (d.year, d.slug) == (2025, "anting-city-operations")
    filled = fill_nulls(d.text)
    left = [line for line in filled.splitlines() if re.search(r":\s*null\b", line) and not line.lstrip().startswith("#")]
    # what new-year leaves to fill that has no amount this year: the forms' last_year_executed (optional)
    assert left and all("last_year_executed: null" in line for line in left), left
    content = load_content(make_content(tmp_path, {"2024/seed.yaml": seed_text(), "2025/seed.yaml": filled}))
    assert content.issues == [], [i.format("en") for i in content.issues]
    db = this_year(content)
    assert db.figures["change.total"].value == 0
    assert db.figures["last_year.total"].value == db.figures["total"].value
    assert all(v.value == 0 for k, v in db.figures.items() if k.startswith("change.") and not k.endswith(".pct"))


def test_new_year_on_the_units_form_with_aliases(tmp_path):
    """Putuo's unit budget aliases the department's `last_year: &last_year` and `reasons: &reasons`:
    new-year removes both, the aliases included, and the filled draft changes nothing either."""
    text = (ROOT / "content" / "budgets" / "2025" / "putuo-government-office.yaml").read_text(encoding="utf-8")
    filled = fill_nulls(draft(text).text)
    assert "*last_year" not in filled and "*reasons" not in filled and "*purposes" in filled
    content = load_content(make_content(tmp_path, {"2025/putuo.yaml": text, "2026/putuo.yaml": filled}))
    assert content.issues == [], [i.format("en") for i in content.issues]
    new = [db for db in content.budgets if db.year == 2026]
    assert sorted(db.slug for db in new) == ["putuo-government-office", "putuo-government-office/benbu"]
    assert all(db.figures["change.total"].value == 0 for db in new)
