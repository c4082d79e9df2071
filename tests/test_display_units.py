"""Issue 11 item 3: a unit per table, grouped prose amounts, one English wording.

A district profile (SPEC11: `units.tables`, `units.table_units`, `units.prose`,
`numbers.prose_grouping`) may print every table in 元 but table 09 in 万元, and figures in prose
in 万元 grouped. Stand-in profile here; the loader is the integrator's."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import jinja2
import pytest
from conftest import ROOT

from generator.compute.budget import DepartmentBudget
from generator.compute.figures import AMOUNT, Figure, find_claims, matches
from generator.core.display import DisplayRule
from generator.core.frozen import FrozenMap
from generator.core.labels import Label
from generator.core.money import prose_amount, side_amount
from generator.load.profile import Numbers, Units, load_profile
from generator.outputs.readback import parse_amount, read_page, verify
from generator.present.render import View
from generator.reconcile.checks import run
from generator.reconcile.report import outcome_issues, reconcile

PUTUO = load_profile("shanghai-jiading")[0].model_copy(update={  # the reference format with Putuo's units
    "units": Units(tables="元", table_units={"09": "万元"}, prose="万元"), "numbers": Numbers(prose_grouping=True)})
RULE = DisplayRule.of("万元", PUTUO)


def test_the_rule_of_a_profile_gives_each_table_its_unit():
    assert DisplayRule("元", {"09": "万元"}, "万元", True) == RULE
    assert (RULE.unit_of("03"), RULE.unit_of("09"), RULE.unit_of(None), RULE.prose) == ("元", "万元", "元", "万元")
    assert RULE.factor_of("09.row.total") == 10000 and RULE.factor_of("03.total.total") == 1
    assert RULE.factor_of("form.a.this_year") == 1 and RULE.factor_of("project.a") == 1
    assert RULE.shown("09.row.total", Decimal("123456.78")) == Decimal("123500.00")  # 12.35万元
    assert RULE.shown("03.total.total", Decimal("123456.785")) == Decimal("123456.79")
    assert RULE.cell(Decimal("123456.78"), "09") == "12.35" and RULE.cell(Decimal("123456.78"), "03") == "123,456.78"
    assert (RULE.unit_label("en", "09"), RULE.unit_label("en", "03"), RULE.unit_label("zh", "01")) == ("RMB 10,000", "RMB", "元")
    # without a profile: the display unit, exactly as before
    assert DisplayRule.of("万元") == DisplayRule("万元")
    assert DisplayRule("万元").unit_of("09") == "万元" and DisplayRule("万元").prose == "万元"


def test_sides_are_in_their_tables_unit():
    assert RULE.side_text(Decimal("91016775.35"), ("03.total.total",)) == Label("91,016,775.35元", "RMB 91,016,775.35")
    assert RULE.side_text(Decimal("1234500"), ("09.row.total",)) == Label("123.45万元", "RMB 1.2345 million")
    # a side over tables in different units is in yuan, the finer unit
    assert RULE.side(Decimal("1234500"), ("09.row.total", "03.total.total"), "zh") == "1,234,500.00 元"
    assert RULE.side(Decimal("35700"), ("09.row.total",), "en") == "RMB 35,700"


@pytest.mark.parametrize("yuan, unit, zh_grouped, zh, en", [
    ("189767600", "万元", "18,976.76万元", "18976.76万元", "RMB 189.77 million"),
    ("91016775.35", "万元", "9,101.68万元", "9101.68万元", "RMB 91.02 million"),
    ("91016775.35", "元", "91,016,775.35元", "91016775.35元", "RMB 91.02 million"),
    ("35712.34", "万元", "3.57万元", "3.57万元", "RMB 35,700"),
    ("35712.34", "元", "35,712.34元", "35712.34元", "RMB 35,712.34"),
    ("999999", "万元", "100.00万元", "100.00万元", "RMB 1.00 million"),
    ("0", "万元", "0.00万元", "0.00万元", "RMB 0"),
])
def test_prose_amounts_in_both_languages(yuan, unit, zh_grouped, zh, en):
    value = Decimal(yuan)
    assert prose_amount(value, unit, "zh", grouping=True) == zh_grouped
    assert prose_amount(value, unit, "zh") == zh
    assert prose_amount(value, unit, "en") == prose_amount(value, unit, "en", grouping=True) == en
    assert DisplayRule(unit, prose_grouping=True).prose_text(value, "zh") == zh_grouped
    assert Figure(AMOUNT, value).show("en", DisplayRule("元", prose_unit=unit)) == en


def test_sides_keep_the_step_of_their_unit():
    assert side_amount(Decimal("52951000"), "万元") == "RMB 52.9510 million"
    assert side_amount(Decimal("100"), "万元") == "RMB 100"
    assert side_amount(Decimal("52951000.01"), "元") == "RMB 52,951,000.01"


FIGURES = {"total": Figure(AMOUNT, Decimal("189767600")), "other": Figure(AMOUNT, Decimal("35712.34")),
           "yuan": Figure(AMOUNT, Decimal("2754321.50"))}


@pytest.mark.parametrize("text, ok", [
    ("RMB 189.77 million", True), ("RMB 189.7676 million", True), ("189.77 million yuan", True),
    ("RMB 35,700", True), ("RMB 35,712.34", True), ("RMB 2,754,321.50", True), ("RMB 2.75 million", True),
    ("RMB 189.78 million", False), ("RMB 189.7677 million", False), ("RMB 189.8 million", False),
    ("RMB 35,800", False), ("RMB 35,710", False), ("RMB 2,754,300", False),
    ("RMB 0.04 million", True), ("RMB 0.03 million", False),  # not how the site writes it, but right to RMB 10,000
    ("18,976.76万元", True), ("18976.8万元", False),  # Chinese: still to 100 元
])
def test_english_claims_at_the_precision_the_site_prints(text, ok):
    (claim,) = find_claims(text)
    assert matches(claim, FIGURES) is ok


def test_the_site_s_own_english_figures_pass_as_claims(seed):
    """Every amount figure as the English page prints it is a claim that matches it."""
    for rule in (seed.display, RULE):
        for name, figure in seed.figures.items():
            if figure.kind != AMOUNT or name.startswith("table."):
                continue
            (claim,) = find_claims(figure.show("en", rule))
            assert matches(claim, {name: figure}), (name, figure.show("en", rule))


# ---------------------------------------------------------------- the page and its read-back

def _profiled(db: DepartmentBudget, profile) -> DepartmentBudget:
    """The seed as if its file named `profile` (as compute would make it)."""
    if "profile" in {f.name for f in dataclasses.fields(db)}:
        db = dataclasses.replace(db, profile=profile)
    else:  # before the integrator's `profile` field lands
        cls = type("Profiled", (DepartmentBudget,), {"profile": profile})
        db = cls(**{f.name: getattr(db, f.name) for f in dataclasses.fields(db)})
    rule = db.display
    return dataclasses.replace(db, shown=FrozenMap({k: rule.shown(k, v) for k, v in db.checked.items()}))


def _tables_html(view: View) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "themes" / "budget" / "templates"),
                             extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    page = env.from_string('{% import "partials/tables.html" as tables with context %}'
                           '{% for n in v.table_numbers %}{{ tables.budget_table(v, v.table(n)) }}{% endfor %}')
    return page.render(v=view)


@pytest.fixture(scope="module")
def putuo_like(seed):
    db = _profiled(seed, PUTUO)
    return db, reconcile(db)


def test_each_table_prints_in_its_unit_and_reads_back(putuo_like, seed):
    db, report = putuo_like
    for lang in ("zh", "en"):
        html = _tables_html(View(db, lang, report))
        page = read_page(html)
        assert page.cells["09.row.total"] == db.display.cell(db.checked["09.row.total"], "09")
        total = db.checked["03.total.total"]
        assert page.cells["03.total.total"] == f"{total:,.2f}"  # in 元, to the cent
        assert parse_amount(page.cells["09.row.total"], db.display.factor_of("09.row.total")) == db.shown["09.row.total"]
        # the read-back finds every table cell as displayed (forms and prose are elsewhere on the page)
        found = [i for i in verify(db, report, html, lang, "page") if not (i.code == "E321" and "form." in i.message("en"))]
        assert found == []
        # and a page under the old rule (everything in 万元) does not read back as this one
        old = _tables_html(View(seed, lang, report))
        assert any(i.code == "E322" for i in verify(db, report, old, lang, "page"))
    zh = _tables_html(View(db, "zh", report))
    assert zh.count("单位: 万元") + zh.count("单位：万元") == 1  # table 09's caption only


def test_captions_name_their_table_s_unit(putuo_like):
    db, report = putuo_like
    view = View(db, "en", report)
    assert view.unit_label_of("09") == "RMB 10,000" and view.unit_label_of(db.tables["03"]) == "RMB"
    html = _tables_html(view)
    t09 = html[html.index('id="table-09"'):]
    t09 = t09[:t09.index("</caption>")]
    assert "RMB 10,000" in t09
    t03 = html[html.index('id="table-03"'):]
    assert "RMB 10,000" not in t03[:t03.index("</caption>")]


def test_prose_is_grouped_in_the_prose_unit(putuo_like, seed):
    db, report = putuo_like
    total = db.figures["total"].value
    zh = View(db, "zh", report).prose(Label("收入总计{{total}}。", "Total {{total}}."), inline=True)
    en = View(db, "en", report).prose(Label("收入总计{{total}}。", "Total {{total}}."), inline=True)
    assert prose_amount(total, "万元", "zh", grouping=True) in zh and "," in prose_amount(total, "万元", "zh", True)
    assert prose_amount(total, "万元", "en") in en and "million" in en
    # the read-back of a figure in prose expects the same text
    html = f'<p><span data-figure="total">{prose_amount(total, "万元", "zh", True)}</span></p>'
    assert not [i for i in verify(db, report, html, "zh", "page") if i.code == "E324"]
    # the seed (no profile): ungrouped, as before
    assert "5,715.29万元" in View(seed, "zh", report).prose(Label("{{total}}", "{{total}}"), inline=True)


def test_rounding_warnings_are_judged_per_table_unit(putuo_like, seed):
    """The same exact figures: a rounding difference in 万元 (table 02) is none in 元; table 09 stays in 万元."""
    db, _ = putuo_like
    exact = dict(seed.checked)
    exact.update({"02.2120199.财政拨款": Decimal("44838650"), "02.2120199.其他收入": Decimal("3452850"),  # = 48291500
                  "09.row.outbound": Decimal("5040"), "09.row.reception": Decimal("5040"), "09.row.vehicle": Decimal(0),
                  "09.row.vehicle_purchase": Decimal(0), "09.row.vehicle_operation": Decimal(0),
                  "09.row.total": Decimal("10080")})
    names = ("Table 02 2120199: total = sum of sources", "Table 09: total = overseas + reception + vehicles")

    def statuses(rule):
        outcomes = {o.comparison.name.en: o for o in run(exact, {k: rule.shown(k, v) for k, v in exact.items()})}
        return tuple(outcomes[n].status for n in names), outcomes

    assert statuses(DisplayRule("万元"))[0] == ("rounding", "rounding")
    got, outcomes = statuses(db.display)
    assert got == ("ok", "rounding")
    (w302,) = outcome_issues(db, [outcomes[names[1]]])
    assert w302.code == "W302"
    assert "1.01万元" in w302.message("zh") and "1.00万元" in w302.message("zh")
    assert "RMB 10,100" in w302.message("en") and "RMB 10,000" in w302.message("en")
