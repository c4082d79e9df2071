"""The display rule lives in one place (generator/core/display.py): which amounts readers see in
yuan, rounding to the display unit, the unit's name. Everything that shows or reads back an
amount asks it."""

from __future__ import annotations

from decimal import Decimal

from generator.core import display
from generator.core.display import DisplayRule, money_text
from generator.outputs.readback import verify
from generator.present.render import View

WAN, YUAN = DisplayRule("万元"), DisplayRule("元")


def test_forms_and_projects_are_in_yuan_the_rest_in_the_display_unit():
    assert WAN.shown("form.lianqin.this_year", Decimal("37151600")) == Decimal("37151600")
    assert WAN.shown("project.lianqin", Decimal("37151649")) == Decimal("37151649")
    assert WAN.shown("03.total.total", Decimal("57152899.9")) == Decimal("57152900.00")
    assert YUAN.shown("03.total.total", Decimal("1.005")) == Decimal("1.01")
    assert WAN.factor_of("form.x.sub.0") == 1 and WAN.factor_of("01.inc.total.amount") == 10000


def test_the_unit_texts():
    assert (WAN.unit_label("zh"), WAN.unit_label("en"), WAN.unit_suffix("en")) == ("万元", "RMB 10,000", "(RMB 10,000)")
    assert (YUAN.unit_label("zh"), YUAN.unit_suffix("zh"), YUAN.unit_suffix("en")) == ("元", "元", "(RMB)")
    assert WAN.cell(Decimal(0)) == "" and WAN.cell(Decimal("57152900")) == "5,715.29"
    assert WAN.side(Decimal("37151600"), ("form.a.this_year",), "en") == "37151600 yuan"
    assert WAN.side(Decimal("57152900"), ("03.total.total",), "zh") == "5,715.29 万元"
    assert WAN.side_text(Decimal("57152900"), ("03.total.total",)).en == "RMB 57.1529 million"  # like the prose (issue 11)
    assert WAN.side_text(Decimal("2754000"), ("form.a.this_year",)) == money_text(Decimal("2754000"))


def test_page_read_back_and_messages_all_follow_the_rule(seed, seed_report, monkeypatch, site):
    """Change the rule (forms no longer in yuan): the page, the computed 'shown' figures and the
    read-back all follow, so they disagree with a page rendered under the old rule."""
    html = (site / "zh" / "2024" / "anting-city-operations" / "index.html").read_text(encoding="utf-8")
    assert verify(seed, seed_report, html, "zh", "page") == []
    monkeypatch.setattr(display, "IN_YUAN", ("project.",))
    view = View(seed, "zh", seed_report)
    assert view.shown(Decimal("37151600"), ("form.a.this_year",)) == "3,715.16 万元"
    found = [i for i in verify(seed, seed_report, html, "zh", "page") if i.code == "E322"]
    assert found and all("form." in i.message("en") for i in found)  # only the amounts the rule moved
    assert any("form.lianqin.this_year shows" in i.message("en") for i in found)
