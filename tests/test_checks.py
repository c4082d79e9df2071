"""Every identity of the reconciliation, broken on purpose.

Each case changes one or two keyed figures of the shipped budget (as a computation or
template bug would) and asserts that the named comparison fails and that the pipeline
reports it as E301 with a bilingual message naming the identity and both values. A few
cases break the rendered page instead and go through `generator.outputs.readback.verify`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, make_content, seed_text

from generator.core.diagnostics import ERROR, WARNING
from generator.core.labels import Label
from generator.core.money import ZERO, grouped
from generator.outputs import readback
from generator.outputs.readback import verify
from generator.pipeline import load_content
from generator.reconcile.checks import CHECKS, run
from generator.reconcile.report import outcome_issues

WAN = Decimal(10000)  # one 万元: a change the tables display exactly
Mutation = Callable[[dict], None]


def add(key: str, amount: Decimal = WAN) -> Mutation:
    def mutate(values: dict) -> None:
        values[key] = values.get(key, ZERO) + amount
    return mutate


def put(key: str, value: Callable[[dict], Decimal]) -> Mutation:
    def mutate(values: dict) -> None:
        values[key] = value(values)
    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(values: dict) -> None:
        for m in mutations:
            m(values)
    return mutate


# (check, family, the comparison's English name, how to break it)
BREAKS: list[tuple[str, str, str, Mutation]] = [
    # R01 table 01 balances
    ("R01", "01.balance", "Table 01: total revenue = total expenditure", add("01.inc.total.amount")),
    ("R01", "01.revenue-sum", "Table 01: total revenue = sum of revenue rows", add("01.inc.其他收入.amount")),
    ("R01", "01.appropriations-sum",
     "Table 01: fiscal appropriations = general public budget + government funds + state capital", add("01.inc.一般公共预算.amount")),
    ("R01", "01.expenditure-sum", "Table 01: total expenditure = sum of the classes", add("01.exp.212.amount")),
    # R02 tables 01 and 04 against 02, 03, 05-07
    ("R02", "01.class==02", "Table 01 class 208 = table 02 class 208", add("02.208.total")),
    ("R02", "01.class==03", "Table 01 class 208 = table 03 class 208", add("03.208.total")),
    # a class that table 01 does not show at all (a template dropping a row) still counts
    ("R02", "01.class==02", "Table 01 class 230 = table 02 class 230", both(add("02.230.total"), add("03.230.total"))),
    ("R02", "04.class==05", "Table 04 class 212 general public budget = table 05 class 212", add("04.exp.212.一般公共预算")),
    ("R02", "04.class==06", "Table 04 class 212 government fund budget = table 06 class 212", add("04.exp.212.政府性基金")),
    ("R02", "04.class==07", "Table 04 class 212 state capital operation budget = table 07 class 212", add("04.exp.212.国有资本经营")),
    ("R02", "04.class==02", "Table 04 class 212 = table 02 class 212 appropriations", add("04.exp.212.total")),
    # the seed's own misprint: 02's 合计 row prints 5715.29 under 其他收入
    ("R02", "01.source==02", "Table 01 other revenue revenue = table 02 total row, other revenue",
     put("02.total.其他收入", lambda v: Decimal(57152900))),
    ("R02", "01.revenue==02", "Table 01 total revenue = table 02 total", add("02.total.total")),
    ("R02", "01.expenditure==03", "Table 01 total expenditure = table 03 total", add("03.total.total")),
    # R03 every row total = its columns
    ("R03", "03.row=basic+project", "Table 03 2120199: total = basic + project", add("03.2120199.basic")),
    ("R03", "05.row=basic+project", "Table 05 212: total = basic + project", add("05.212.project")),
    ("R03", "06.row=basic+project", "Table 06 total: total = basic + project", add("06.total.basic")),
    ("R03", "07.row=basic+project", "Table 07 total: total = basic + project", add("07.total.project")),
    ("R03", "02.row=sources", "Table 02 2120199: total = sum of sources", add("02.2120199.其他收入")),
    ("R03", "08.row=personnel+public", "Table 08 30101: total = personnel + operations", add("08.30101.public")),
    ("R03", "04.row=budgets", "Table 04 212: total = sum of the three budgets", add("04.exp.212.国有资本经营")),
    # R04 total = Σ classes, class = Σ 款 = Σ 项
    ("R04", "02.total=classes", "Table 02: total = sum of classes (fiscal appropriations)", put("02.total.财政拨款", lambda v: Decimal(57152900))),
    ("R04", "02.parent=children", "Table 02: 21201 = sum of its sub-codes (other revenue)", add("02.21201.其他收入")),
    ("R04", "03.total=classes", "Table 03: total = sum of classes (basic expenditure)", add("03.total.basic")),
    ("R04", "03.parent=children", "Table 03: 212 = sum of its sub-codes (project expenditure)", add("03.21203.project")),
    ("R04", "05.total=classes", "Table 05: total = sum of classes (total)", add("05.total.total")),
    ("R04", "05.parent=children", "Table 05: 21011 = sum of its sub-codes (basic expenditure)", add("05.2101102.basic")),
    ("R04", "06.total=classes", "Table 06: total = sum of classes (total)", add("06.total.total")),
    ("R04", "06.parent=children", "Table 06: 212 = sum of its sub-codes (total)",
     both(add("06.212.total"), add("06.21201.total", 2 * WAN))),
    ("R04", "07.total=classes", "Table 07: total = sum of classes (project expenditure)", add("07.total.project")),
    ("R04", "07.parent=children", "Table 07: 21201 = sum of its sub-codes (basic expenditure)",
     both(add("07.21201.basic"), add("07.2120199.basic", 3 * WAN))),
    ("R04", "08.total=classes", "Table 08: total = sum of classes (personnel)", add("08.total.personnel")),
    ("R04", "08.parent=children", "Table 08: 302 = sum of its sub-codes (operations)", add("08.30201.public")),
    ("R04", "04.total=classes", "Table 04: total expenditure = sum of classes (general public budget)", add("04.exp.total.一般公共预算")),
    # R05 appropriations across 02-07
    ("R05", "02.appropriations=05+06+07", "Table 02 2120199: appropriations = tables 05 + 06 + 07", add("02.2120199.财政拨款")),
    ("R05", "04.column==table", "Table 04 total (government fund budget) = table 06 total", add("04.exp.total.政府性基金")),
    ("R05", "04.revenue==expenditure", "Table 04 state capital operation budget: revenue = expenditure", add("04.inc.国有资本经营.amount")),
    ("R05", "04.revenue==01", "Table 04 general public budget revenue = table 01", add("01.inc.一般公共预算.amount")),
    ("R05", "04.balance", "Table 04: total revenue = total expenditure", add("04.exp.total.total")),
    ("R05", "04.revenue-sum", "Table 04: total revenue = sum of revenue rows", add("04.inc.total.amount")),
    ("R05", "05.part-of-03", "Table 05 2120199 + tables 06, 07 + table 02's other revenue = table 03 2120199",
     add("05.2120199.total")),
    ("R05", "05<=03", "Table 05 2120399 ≤ table 03 (project expenditure)", add("05.2120399.project")),
    # R06 basic expenditure = economic classification
    ("R06", "05.basic==08", "Table 05 basic total = table 08 total", add("08.total.total")),
    # R07 three public expenses and operating costs
    ("R07", "09.total=parts", "Table 09: total = overseas + reception + vehicles", add("09.row.total")),
    ("R07", "09.vehicle=purchase+operation", "Table 09: vehicles = purchase + operation", add("09.row.vehicle_purchase")),
    ("R07", "09.operating_costs<=08", "Table 09 agency operating costs ≤ table 08 operations total",
     put("09.row.operating_costs", lambda v: v["08.total.public"] + WAN)),
    # R08 projects, performance forms, sub-items
    ("R08", "projects==03", "Sum of project budgets = table 03 project total", add("project.lianqin")),
    ("R08", "forms<=project", "Projects with performance forms ≤ project expenditure", add("form.lianqin.this_year")),
    ("R08", "form.this_year==project", "Project dengbao: form's budget this year = its spending", add("form.dengbao.this_year", Decimal(1))),
    ("R08", "form.sub_items==basis", "Project lianqin: sub-items = the budget they break down", add("form.lianqin.sub.0", Decimal(100))),
    ("R08", "form.this_year<=total", "Project anfang: this year ≤ total budget", put("form.anfang.total_budget", lambda v: Decimal(1))),
    # R09 procurement
    ("R09", "procurement.parts", "Procurement: goods + works + services = total", add("procurement.服务")),
    ("R09", "procurement.sme<=total", "Reserved for SMEs ≤ procurement total",
     put("procurement.sme", lambda v: v["procurement.total"] + WAN)),
    ("R09", "procurement.micro<=sme", "Reserved for micro enterprises ≤ reserved for SMEs",
     put("procurement.micro", lambda v: v["procurement.sme"] + WAN)),
    ("R09", "procurement<=expenditure", "Procurement total ≤ total expenditure",
     put("procurement.total", lambda v: v["03.total.total"] + WAN)),
    ("R09", "procurement.project<=budget", "Project richang: its procurement ≤ its budget this year",
     put("project.richang.procurement", lambda v: v["project.richang"] + WAN)),
    # R10 revenue = expenditure on every functional row
    ("R10", "02==03", "Table 02 2120399 revenue = table 03 2120399 expenditure", add("02.2120399.total")),
]


def _broken(seed, mutate: Mutation):
    exact, shown = dict(seed.checked), dict(seed.shown)
    mutate(exact)
    mutate(shown)
    return {o.comparison.name.en: o for o in run(exact, shown)}


def _money_both(value: Decimal) -> tuple[str, str]:
    return f"{grouped(value)}元", f"RMB {grouped(value)}"


@pytest.mark.parametrize("check_id, family, name, mutate", BREAKS, ids=[f"{c}:{n}" for c, _, n, _ in BREAKS])
def test_breaking_an_identity_is_reported(seed, seed_report, check_id, family, name, mutate):
    before = {o.comparison.name.en: o for o in seed_report.outcomes}
    if name in before:  # the shipped content satisfies it
        assert before[name].status == "ok"
    after = _broken(seed, mutate)
    assert name in after, f"no comparison named {name!r}; names: {sorted(after)[:20]}"
    o = after[name]
    assert (o.check.id, o.comparison.family) == (check_id, family)
    assert o.status == "mismatch", (o.left, o.right)

    issues = [i for i in outcome_issues(seed, list(after.values())) if name in i.message("en")]
    assert [i.code for i in issues] == ["E301"]
    (reported,) = issues
    assert reported.severity == ERROR
    zh, en = reported.message("zh"), reported.message("en")
    assert zh.startswith("核对不符：" + o.comparison.name.zh + "：")
    assert en.startswith("does not reconcile: " + name + ": ")
    for value in (o.left, o.right):
        assert _money_both(value)[0] in zh and _money_both(value)[1] in en
    assert (">" if o.comparison.at_most else "≠") in en
    assert _money_both(abs(o.left - o.right))[1] in en
    assert not re.search(r"[\u4e00-\u9fff]", en.replace(o.comparison.name.en, "")), en


def test_every_check_and_every_family_is_broken_by_a_test(seed):
    """Adding an identity without a test that breaks it fails here."""
    assert {c.id for c in CHECKS} == {c for c, _, _, _ in BREAKS}
    # run once over every key any case adds, so that conditional families appear too
    everything = dict(seed.checked)
    for _, _, _, mutate in BREAKS:
        mutate(everything)
    families = {o.comparison.family for o in run(everything, everything)}
    assert "" not in families
    assert families == {f for _, f, _, _ in BREAKS}


def test_shipped_content_reconciles(seed, seed_report):
    assert seed_report.outcomes and all(o.status == "ok" for o in seed_report.outcomes)
    assert not outcome_issues(seed, seed_report.outcomes)


def test_every_comparison_has_a_unique_key_in_no_language(seed_report):
    keys = [o.comparison.key for o in seed_report.outcomes]
    assert len(set(keys)) == len(keys) > 500
    for o in seed_report.outcomes:
        family, figures = o.comparison.key.split(":", 1)
        assert family == o.comparison.family and set(figures.split("+")) <= set(o.comparison.left + o.comparison.right)


def test_the_form_location_of_a_sub_item_mismatch(seed):
    after = _broken(seed, add("form.lianqin.sub.0", Decimal(100)))
    (issue,) = [i for i in outcome_issues(seed, list(after.values())) if "lianqin: sub-items" in i.message("en")]
    lines = (ROOT / seed.source.path).read_text(encoding="utf-8").splitlines()
    project = lines.index("  - id: lianqin") + 1
    next_project = next(n for n in range(project, len(lines)) if lines[n].startswith("  - id: ")) + 1
    assert project < issue.location.line < next_project
    assert lines[issue.location.line - 1].strip().startswith("sub_items:")


def test_a_displayed_difference_alone_is_a_rounding_warning(seed):
    exact, shown = dict(seed.checked), dict(seed.shown)
    shown["02.2120199.其他收入"] += Decimal(100)  # what a reader adds up differs by 0.01万元
    after = {o.comparison.name.en: o for o in run(exact, shown)}
    o = after["Table 02 2120199: total = sum of sources"]
    assert o.status == "rounding"
    (issue,) = [i for i in outcome_issues(seed, [o])]
    assert issue.code == "W302" and issue.severity == WARNING
    assert "四舍五入尾差" in issue.message("zh") and "rounding difference" in issue.message("en")
    # the values as readers see them, at the display unit's step, in the prose's English wording
    assert "RMB 48.2915 million and RMB 48.2916 million differ by RMB 100" in issue.message("en")
    assert "4,829.15万元" in issue.message("zh") and "0.01万元" in issue.message("zh")


# ---------------------------------------------------------------- severity through the CLI


def _content_with(tmp_path: Path, *replacements: tuple[str, str], append: str = "") -> Path:
    text = seed_text()
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return make_content(tmp_path, {"2024/anting-city-operations.yaml": text + append})


ROUNDING = (("{function: 2120199, economic: 30101, amount: 372900}", "{function: 2120199, economic: 30101, amount: 372950}"),
            ("{function: 2120199, economic: 30102, amount: 42300}", "{function: 2120199, economic: 30102, amount: 42350}"))


def _cli(content: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m generator.cli check`, as a clerk runs it."""
    return subprocess.run([sys.executable, "-m", "generator.cli", "check", "--content", str(content), *args],
                          capture_output=True, text=True, cwd=content.parent, timeout=300)


def test_rounding_differences_are_warnings_that_only_strict_makes_fatal(tmp_path):
    # 37.295 + 4.235 万元: each shows rounded up (37.30 + 4.24) but their sum 41.53 does not
    content = _content_with(tmp_path, *ROUNDING)
    result = load_content(content, root=tmp_path)
    assert sorted(i.message("en").split(": displayed")[0] for i in result.issues) == [
        "rounding difference: Table 08: 301 = sum of its sub-codes (personnel)",
        "rounding difference: Table 08: 301 = sum of its sub-codes (total)",
    ]
    assert {i.code for i in result.issues} == {"W302"}
    assert not result.failed() and result.failed(strict=True)
    plain = _cli(content, "--lang", "en")
    assert plain.returncode == 0, plain.stderr
    assert "W302 rounding difference" in plain.stderr and "0 error(s), 2 warning(s)." in plain.stderr
    strict = _cli(content, "--strict")
    assert strict.returncode == 1
    assert "W302 四舍五入尾差" in strict.stderr and "共 0 个错误，2 个警告。" in strict.stderr


def test_errors_stop_the_check(tmp_path):
    content = _content_with(tmp_path, append="\ndeclared:\n  total: 57152800\n")
    result = _cli(content)
    assert result.returncode == 1
    assert "E304" in result.stderr and "共 1 个错误，0 个警告。" in result.stderr


def test_the_shipped_content_checks_clean():
    result = _cli(ROOT / "content", "--strict")
    assert result.returncode == 0 and result.stderr.strip() == "检查通过：没有发现问题。"


# ---------------------------------------------------------------- the rendered page


@pytest.fixture(scope="module")
def pages(site) -> dict[str, str]:
    folder = site / "{lang}" / "2024" / "anting-city-operations" / "index.html"
    return {lang: Path(str(folder).format(lang=lang)).read_text(encoding="utf-8") for lang in ("zh", "en")}


def _cell(html: str, key: str) -> re.Match:
    m = re.search(r'(<td[^>]*data-cell="[^"]*\b' + re.escape(key) + r'\b[^"]*"[^>]*>)([^<]*)(</td>)', html)
    assert m, key
    return m


def _set_cell(html: str, key: str, text: str) -> str:
    m = _cell(html, key)
    return html[:m.start(2)] + text + html[m.end(2):]


def _codes(issues) -> list[str]:
    return sorted(i.code for i in issues)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rendered_page_reads_back_clean(seed, seed_report, pages, lang):
    assert verify(seed, seed_report, pages[lang], lang, "page") == []


def test_an_altered_table_cell_is_reported(seed, seed_report, pages):
    html = _set_cell(pages["zh"], "01.exp.212.amount", "5,614.36")
    issues = verify(seed, seed_report, html, "zh", "zh/2024/anting-city-operations/index.html")
    e322 = [i for i in issues if i.code == "E322"]
    assert len(e322) == 1 and "01.exp.212.amount" in e322[0].message("en")
    assert "RMB 56,143,600.00" in e322[0].message("en") and "RMB 56,143,500.00" in e322[0].message("en")
    broken = {i.message("en") for i in issues if i.code == "E301"}
    for name in ("Table 01 class 212 = table 02 class 212", "Table 01 class 212 = table 03 class 212",
                 "Table 01: total expenditure = sum of the classes"):
        assert any(m.startswith(f"does not reconcile: {name} (as displayed): ") for m in broken), name
    assert all(str(i.location) == "zh/2024/anting-city-operations/index.html" for i in issues)


def test_a_dropped_row_is_reported(seed, seed_report, pages):
    html = pages["en"]
    m = _cell(html, "03.2101102.total")
    start, end = html.rindex("<tr", 0, m.start()), html.index("</tr>", m.end()) + len("</tr>")
    html = html[:start] + html[end:]
    issues = verify(seed, seed_report, html, "en", "page")
    missing = sorted(i.message("en") for i in issues if i.code == "E321")
    assert [m.split(" is missing")[0].split(": ")[-1] for m in missing] == [
        "03.2101102.basic", "03.2101102.project", "03.2101102.total"]
    assert any("Table 03: 21011 = sum of its sub-codes (total) (as displayed)" in i.message("en")
               for i in issues if i.code == "E301")


def test_an_altered_form_sub_item_is_reported(seed, seed_report, pages):
    html = _set_cell(pages["zh"], "form.lianqin.sub.0", "22134500")
    issues = verify(seed, seed_report, html, "zh", "page")
    assert _codes(issues) == ["E301", "E322"]
    (e301,) = [i for i in issues if i.code == "E301"]
    assert e301.message("zh").startswith("核对不符：项目 lianqin：子项目之和 = 所分解的预算（按页面显示）：37,151,700.00元 ≠ 37,151,600.00元")


def test_a_cell_that_is_no_amount_is_reported_without_a_traceback(seed, seed_report, pages):
    for text in ("NaN", "1e5", "-10.00", "5370万元", "5,37.00"):
        issues = verify(seed, seed_report, _set_cell(pages["zh"], "03.total.total", text), "zh", "page")
        assert any(i.code == "E309" and f"03.total.total shows {text!r}, not an amount" in i.message("en") for i in issues), text


def test_an_altered_figure_in_the_text_is_reported(seed, seed_report, pages):
    html = pages["zh"].replace('data-figure="total">5,715.29万元<', 'data-figure="total">5,715.30万元<', 1)
    assert html != pages["zh"]
    (issue,) = verify(seed, seed_report, html, "zh", "page")
    assert issue.code == "E324" and "{{total}}" in issue.message("en") and "'5,715.30万元'" in issue.message("en")


def test_the_read_back_matches_the_computation_by_key_not_by_name(seed, seed_report, pages, monkeypatch):
    """A displayed mismatch the computation already had (a rounding) is not reported again; the two
    runs are matched by each comparison's key, so comparisons renamed in between still match."""
    html = _set_cell(pages["zh"], "01.exp.212.amount", "5,614.36")
    as_displayed = []

    def spy(exact, shown, **kw):
        outcomes = run(exact, shown, **kw)
        as_displayed.extend(outcomes)
        return outcomes

    monkeypatch.setattr(readback, "run", spy)
    assert "E301" in _codes(verify(seed, seed_report, html, "zh", "page"))
    renamed = [replace(o, comparison=replace(o.comparison, name=Label("改名", "renamed"))) for o in as_displayed]
    assert _codes(verify(seed, replace(seed_report, outcomes=tuple(renamed)), html, "zh", "page")) == ["E322"]
