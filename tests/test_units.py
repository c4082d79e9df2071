"""Format 2 on synthetic budgets (issue 10): a department of several units of mixed kinds, a unit's
own 单位预算, every income and expenditure kind, a project on two function codes, 绩效 without forms,
and the validation of the units form.

The fixtures are in tests/fixtures/units/; every expected figure is worked out by hand in the
fixture's header comment and again where it is asserted.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, make_content

from generator import catalogue
from generator.compute import last_year
from generator.compute.budget import compute
from generator.core import labels as lb
from generator.core.money import ZERO
from generator.load.documents import documents
from generator.load.source import read_file
from generator.load.validate import parse
from generator.pipeline import load_content

UNITS = FIXTURES / "units"
STREET = (UNITS / "street.yaml").read_text(encoding="utf-8")
ALL_KINDS = (UNITS / "all-kinds.yaml").read_text(encoding="utf-8")
D = Decimal


# ---------------------------------------------------------------- helpers


def edit(old: str, new: str, text: str) -> tuple[str, int]:
    """`text` with its one occurrence of `old` replaced by `new`, and the line where it was."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new), text[:text.index(old)].count("\n") + 1


def load(tmp_path: Path, text: str, name: str = "2025/budget.yaml"):
    return load_content(make_content(tmp_path, {name: text}))


def codes(content) -> list[tuple[str, int | None]]:
    return [(i.code, i.location.line) for i in content.issues]


def by_slug(content) -> dict:
    return {db.slug: db for db in content.budgets}


def cells(db) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for table in db.tables.values():
        out.update(table.cells())
    return out


@pytest.fixture(scope="module")
def street(tmp_path_factory):
    content = load(tmp_path_factory.mktemp("street"), STREET)
    assert content.issues == [], [i.format("en") for i in content.issues]
    return by_slug(content)


@pytest.fixture(scope="module")
def every_unit(tmp_path_factory) -> list:
    """All four unit documents of the street computed (load_content keeps only the published two),
    straight from the stages, so the test sums them independently of generator.reconcile.units."""
    root = make_content(tmp_path_factory.mktemp("street-units"), {"2025/budget.yaml": STREET})
    src, found = read_file(root / "budgets" / "2025" / "budget.yaml")
    assert src is not None and not found
    cat = catalogue.load(2025, root)
    budget, found = parse(src, cat)
    assert budget is not None and not found
    _, units = documents(budget)
    out = []
    for doc in units:
        figures, missing = last_year.figures_for(doc.last_year, None)
        assert not missing
        out.append(compute(src, doc, cat, figures))
    return out


# ---------------------------------------------------------------- 1. a department of four units


def test_the_street_publishes_the_department_and_two_unit_budgets(street):
    assert sorted(street) == ["test-street", "test-street/fuwu", "test-street/shiwu"]
    assert [street[s].kind for s in sorted(street)] == ["department", "unit", "unit"]


def test_operating_costs_are_the_public_costs_of_the_xingzheng_and_cangong_units_only(street):
    dept = street["test-street"]
    # 公用经费 of all units: 20,000 + 8,000 + 6,000 + 4,000 = 38,000 (table 08) …
    assert dept.tables["08"].cells()["08.total.public"] == D(38000)
    # … 机关运行经费: 20,000 (jiguan, 行政) + 8,000 (shiwu, 参公) = 28,000; not fuwu's or wenhua's (事业)
    assert dept.figures["operating_costs"].value == D(28000)
    assert dept.tables["09"].cells()["09.row.operating_costs"] == D(28000)


def test_a_shiye_unit_budget_has_no_operating_costs(street):
    fuwu = street["test-street/fuwu"]
    assert "operating_costs" not in fuwu.figures
    assert "09.row.operating_costs" not in fuwu.tables["09"].cells()
    text = fuwu.paragraphs["operating_costs"][0]("zh")
    assert "未安排机关运行经费" in text and "{{operating_costs}}" not in text


def test_the_cangong_unit_budget_has_its_own_operating_costs(street):
    shiwu = street["test-street/shiwu"]
    assert shiwu.figures["operating_costs"].value == D(8000)  # its 30201 公用经费
    assert shiwu.tables["09"].cells()["09.row.operating_costs"] == D(8000)
    assert "{{operating_costs}}" in shiwu.paragraphs["operating_costs"][0]("zh")


def test_the_merged_unit_counts_as_its_hosts(street, every_unit):
    dept = street["test-street"]
    assert dept.document.unit_kinds == {"行政": 1, "参公": 1, "事业": 3}  # fuwu, wenhua and the merged station
    wenhua = next(u for u in every_unit if u.slug == "test-street/wenhua")
    assert wenhua.figures["total"].value == D(34000)  # the station has no lines of its own


def test_every_department_cell_is_the_sum_of_its_units(street, every_unit):
    dept = cells(street["test-street"])
    assert [u.slug.split("/")[1] for u in every_unit] == ["jiguan", "shiwu", "fuwu", "wenhua"]
    sums: dict[str, Decimal] = {}
    for unit in every_unit:
        for key, value in cells(unit).items():
            sums[key] = sums.get(key, ZERO) + value
    assert {k: v for k, v in dept.items() if v != sums.get(k, ZERO)} == {}
    # what the units print and the department does not: table 01's split of the expenditure side,
    # and no other cell with money
    extra = {k for k, v in sums.items() if k not in dept and v}
    assert extra and all(k.startswith("01.exp.") and k.rsplit(".", 1)[1] in ("personnel", "public", "project") for k in extra)
    # the sums by hand
    assert dept["03.total.total"] == D(276000)  # 130,000 + 58,000 + 54,000 + 34,000
    assert dept["02.total.其他收入"] == D(3000)  # fuwu-xiangmu's 2010399 line
    assert dept["09.row.operating_costs"] == D(20000) + D(8000)


def test_the_unit_budget_prints_the_unit_titles_and_says_unit_budget(street):
    fuwu, dept = street["test-street/fuwu"], street["test-street"]
    for number, table in fuwu.tables.items():
        assert table.title == lb.UNIT_TABLE_TITLES[number]
        assert dept.tables[number].title == lb.TABLE_TITLES[number]
    assert fuwu.tables["01"].title.zh == "预算单位财务收支预算总表"
    assert dept.tables["01"].title.zh == "部门财务收支预算总表"
    for key in ("income", "expenditure", "general_public"):
        assert "单位预算" in fuwu.paragraphs[key][0]("zh") and "部门预算" not in fuwu.paragraphs[key][0]("zh")
        assert "部门预算" in dept.paragraphs[key][0]("zh") and "单位预算" not in dept.paragraphs[key][0]("zh")
    assert fuwu.paragraphs["income"][0]("zh").startswith("2025年，测试街道社区服务中心单位预算收入总额为{{total}}")


# ---------------------------------------------------------------- 2. every source and every kind


@pytest.fixture(scope="module")
def all_kinds(tmp_path_factory):
    content = load(tmp_path_factory.mktemp("all-kinds"), ALL_KINDS)
    assert content.issues == [], [i.format("en") for i in content.issues]
    (db,) = content.budgets
    return db


SOURCES = {  # tests/fixtures/units/all-kinds.yaml, by hand
    "一般公共预算": 140000,  # basic 100,000 + project 30,000 + 上缴上级 4,000 + 对附属单位补助 6,000
    "政府性基金": 12000, "国有资本经营": 9000, "事业收入": 20000,
    "事业单位经营收入": 7000,  # the default source of 事业单位经营支出
    "上级补助收入": 5000, "附属单位上缴收入": 3000, "其他收入": 2000, "上年结转": 1000,
}


def test_table_01_has_a_row_for_every_source(all_kinds):
    t01 = all_kinds.tables["01"].cells()
    for source, amount in SOURCES.items():
        assert t01[f"01.inc.{source}.amount"] == D(amount), source
    assert t01["01.inc.财政拨款.amount"] == D(140000 + 12000 + 9000)
    assert t01["01.inc.total.amount"] == t01["01.exp.total.amount"] == D(199000)


def test_table_02_has_a_column_for_every_source(all_kinds):
    t02 = all_kinds.tables["02"]
    assert [c.key for c in t02.columns] == ["total", "财政拨款", "事业收入", "事业单位经营收入", "上级补助收入",
                                              "附属单位上缴收入", "其他收入", "上年结转"]
    row = {c: all_kinds.tables["02"].cells()[f"02.2010350.{c}"] for c in ("total", "财政拨款", "事业单位经营收入", "上年结转")}
    # 2010350: basic 131,000 + 上缴上级 4,000 + 对附属单位补助 6,000 + 事业单位经营 7,000 = 148,000;
    # appropriations 100,000 + 4,000 + 6,000 = 110,000
    assert row == {"total": D(148000), "财政拨款": D(110000), "事业单位经营收入": D(7000), "上年结转": D(1000)}


def test_table_03_has_a_column_for_every_kind_used(all_kinds, street):
    t03 = all_kinds.tables["03"]
    assert [c.key for c in t03.columns] == ["total", "basic", "project", "upper", "subsidiary", "business"]
    got = {c.key: all_kinds.tables["03"].cells()[f"03.total.{c.key}"] for c in t03.columns}
    assert got == {"total": D(199000), "basic": D(131000), "project": D(51000), "upper": D(4000),
                   "subsidiary": D(6000), "business": D(7000)}
    # a budget without other_spending shows 基本支出 and 项目支出 only
    assert [c.key for c in street["test-street"].tables["03"].columns] == ["total", "basic", "project"]


def test_tables_05_06_07_split_the_appropriations(all_kinds):
    t05, t06, t07 = (all_kinds.tables[n].cells() for n in ("05", "06", "07"))
    assert t05["05.total.total"] == D(140000)
    assert (t05["05.total.basic"], t05["05.total.project"], t05["05.total.upper"], t05["05.total.subsidiary"]) == \
           (D(100000), D(30000), D(4000), D(6000))
    assert "05.total.business" not in t05  # 事业单位经营支出 is funded by 事业单位经营收入 here
    assert t06["06.2120803.project"] == t06["06.total.total"] == D(12000)
    assert t07["07.2010399.project"] == t07["07.total.total"] == D(9000)


def test_the_expenditure_paragraph_lists_the_five_kinds(all_kinds, seed):
    text = all_kinds.paragraphs["expenditure"][0]("zh")
    kinds = ["基本支出{{basic}}", "项目支出{{project}}", "上缴上级支出{{upper}}", "对附属单位补助支出{{subsidiary}}",
             "事业单位经营支出{{business}}"]
    assert [text.index(k) for k in kinds] == sorted(text.index(k) for k in kinds)
    assert [all_kinds.figures[k].value for k in ("basic", "project", "upper", "subsidiary", "business")] == \
           [D(131000), D(51000), D(4000), D(6000), D(7000)]
    # in the seed the three other kinds are zero, and still listed (as the published documents do)
    seed_text = seed.paragraphs["expenditure"][0]("zh")
    assert all(k in seed_text for k in kinds)
    assert [seed.figures[k].value for k in ("upper", "subsidiary", "business")] == [ZERO] * 3


# ---------------------------------------------------------------- 3. a project on two function codes


def test_a_project_on_two_codes_is_in_both_rows(street):
    fuwu = cells(street["test-street/fuwu"])
    assert fuwu["03.2010350.project"] == D(5000) and fuwu["03.2010399.project"] == D(3000)
    assert fuwu["05.2010350.project"] == D(5000)
    assert "05.2010399.project" not in fuwu  # its 2010399 line is 其他收入: no 一般公共预算 row
    assert fuwu["02.2010399.其他收入"] == D(3000)
    assert street["test-street/fuwu"].checked["project.fuwu-xiangmu"] == D(8000)
    assert street["test-street"].figures["project"].value == D(10000 + 8000)


LINES = "        lines:\n          - {function: 2010350, amount: 5000}\n"


@pytest.mark.parametrize("old, new", [
    (LINES, "        function: 2010350\n        funding: {一般公共预算: 5000}\n" + LINES),  # both ways
    (LINES + "          - {function: 2010399, source: 其他收入, amount: 3000}\n", ""),  # neither
])
def test_e236_when_a_project_gives_both_function_and_lines_or_neither(tmp_path, old, new):
    text, _ = edit(old, new, STREET)
    line = text[:text.index("      - id: fuwu-xiangmu")].count("\n") + 1
    content = load(tmp_path, text)
    assert ("E236", line) in codes(content), [i.format("en") for i in content.issues]
    assert content.budgets == []


# ---------------------------------------------------------------- 4. 绩效 without forms


def test_performance_counts_the_entries_with_targets(street):
    dept = street["test-street"]
    assert dept.figures["performance.count"].value == D(3)  # fuwu-xiangmu, count 3
    assert dept.figures["performance.amount"].value == D(8000)  # not jiedao-shiwu's 10,000
    assert street["test-street/shiwu"].figures["performance.count"].value == ZERO


PERFORMANCE = "narrative:\n  performance: {{zh: 本部门编报绩效目标的项目{n}个，涉及项目预算资金{amount}元。, " \
              "en: Performance targets were set for {n} projects with project funds of {amount} yuan.}}\n"


def _with_performance(n: int, amount: int) -> tuple[str, int]:
    return edit("units:\n", PERFORMANCE.format(n=n, amount=amount) + "units:\n", STREET)


def test_a_true_performance_paragraph_is_clean(tmp_path):
    text, _ = _with_performance(3, 8000)
    assert load(tmp_path, text).issues == []


@pytest.mark.parametrize("n, amount", [(7, 8000), (3, 9000)])
def test_a_wrong_count_or_amount_in_the_performance_paragraph_is_e303(tmp_path, n, amount):
    text, line = _with_performance(n, amount)
    found = codes(load(tmp_path, text))
    assert found == [("E303", line + 1), ("E303", line + 1)], found  # the zh and the en text


def test_w242_when_projects_exist_and_none_has_targets(tmp_path):
    text, _ = edit("        count: 3\n        performance: true\n", "        count: 3\n", STREET)
    line = text.index("    projects:\n")
    content = load(tmp_path, text)
    assert codes(content) == [("W242", text[:line].count("\n") + 1)]


# ---------------------------------------------------------------- 6. validation of the units form


def _only(tmp_path, text: str, code: str, line: int) -> None:
    content = load(tmp_path, text)
    assert codes(content) == [(code, line)], [i.format("en") for i in content.issues]


def test_e233_line_items_at_the_top_level_with_units(tmp_path):
    text, line = edit("units:\n", "basic:\n  - {function: 2010301, economic: 30101, amount: 1}\nunits:\n", STREET)
    _only(tmp_path, text, "E233", line)


def test_e234_no_department_kind_without_units(tmp_path):
    text, _ = edit("  kind: 事业\n", "", ALL_KINDS)
    _only(tmp_path, text, "E234", text[:text.index("department:")].count("\n") + 1)


def test_e243_department_kind_with_units(tmp_path):
    text, line = edit("  supervisor: {zh: 测试区人民政府, en: Test District Government}\n",
                      "  supervisor: {zh: 测试区人民政府, en: Test District Government}\n  kind: 行政\n", STREET)
    _only(tmp_path, text, "E243", line + 1)


def test_e235_duplicate_unit_slug(tmp_path):
    text, line = edit("  - slug: wenhua\n", "  - slug: fuwu\n", STREET)
    _only(tmp_path, text, "E235", line)


def test_e237_key_of_a_grouped_project_needs_name_and_budget_note(tmp_path):
    key = ("        key:\n          overview: {zh: 概述。, en: Overview.}\n          basis: {zh: 依据。, en: Basis.}\n"
           "          implementer: {zh: 本中心。, en: The centre.}\n          plan: {zh: 方案。, en: Plan.}\n"
           "          goal: {zh: 目标。, en: Goal.}\n")
    text, line = edit("        count: 3\n", "        count: 3\n" + key, STREET)
    _only(tmp_path, text, "E237", line + 1)
    named = text.replace("          goal: {zh: 目标。, en: Goal.}\n",
                         "          goal: {zh: 目标。, en: Goal.}\n          name: {zh: 某项目, en: A project}\n"
                         "          budget_note: {zh: 按进度拨付。, en: Paid as the work proceeds.}\n")
    assert load(tmp_path / "named", named).issues == []


def test_e241_procurement_of_another_units_project(tmp_path):
    item = ("    procurement:\n      - {name: {zh: 服务, en: Services}, category: 服务, amount: 1000, "
            "project: jiedao-shiwu}\n")
    text, line = edit("    budget:\n      functions: {zh: 服务中心的职能。",
                      item + "    budget:\n      functions: {zh: 服务中心的职能。", STREET)
    _only(tmp_path, text, "E241", line + 1)


def test_w242_points_at_the_first_unit_with_projects(tmp_path):
    text, _ = edit("        count: 3\n        performance: true\n", "        count: 3\n", STREET)
    text, _ = edit("    projects:\n      - id: jiedao-shiwu\n        name: {zh: 街道事务, en: Street affairs}\n"
                   "        function: 2010302\n        funding: {一般公共预算: 10000}\n", "", text)  # jiguan has none now
    line = text[:text.index("    projects:\n      - id: fuwu-xiangmu")].count("\n") + 1
    assert codes(load(tmp_path, text)) == [("W242", line)]
