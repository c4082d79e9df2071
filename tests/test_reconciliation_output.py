"""What citizens see of the reconciliation: reconciliation.json in each document's data folder and
the page's own reconciliation section (themes/budget/templates/partials/reconciliation.html)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from generator.reconcile.checks import CHECKS

SLUG = "anting-city-operations"
LANGS = ("zh", "en")


def _json(site, lang: str) -> dict:
    return json.loads((site / "data" / "2024" / SLUG / "reconciliation.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
def test_the_json_lists_every_identity_with_both_sides(seed_report, site, seed, lang):
    data = _json(site, lang)
    assert (data["year"], data["department"], data["unit"], data["all_agree"]) == (2024, SLUG, "元", True)
    outcomes = data["outcomes"]
    assert len(outcomes) == len(seed_report.outcomes) > 500
    assert [(o["check"], o["key"], o["family"], o["name"]["zh"], o["name"]["en"]) for o in outcomes] == [
        (o.check.id, o.comparison.key, o.comparison.family, o.comparison.name.zh, o.comparison.name.en)
        for o in seed_report.outcomes]
    assert [c.id for c in CHECKS] == list(dict.fromkeys(o["check"] for o in outcomes))
    for o, computed in zip(outcomes, seed_report.outcomes):
        assert o["status"] == "ok", o
        assert o["relation"] == ("<=" if computed.comparison.at_most else "=")
        for side, keys, exact, shown in (("left", computed.comparison.left, computed.left, computed.left_shown),
                                         ("right", computed.comparison.right, computed.right, computed.right_shown)):
            assert o[side]["keys"] == list(keys)
            assert Decimal(o[side]["value"]) == exact and Decimal(o[side]["shown"]) == shown
        left, right = Decimal(o["left"]["value"]), Decimal(o["right"]["value"])
        assert left <= right if o["relation"] == "<=" else left == right
        left, right = Decimal(o["left"]["shown"]), Decimal(o["right"]["shown"])
        assert left <= right if o["relation"] == "<=" else left == right


def test_the_json_shows_the_key_figures(site):
    by_name = {o["name"]["en"]: o for o in _json(site, "en")["outcomes"]}
    balance = by_name["Table 01: total revenue = total expenditure"]
    assert (balance["left"]["value"], balance["right"]["value"]) == ("57152900", "57152900")
    subs = by_name["Project yiwangtongguan: sub-items = the budget they break down"]
    assert subs["left"]["keys"] == ["form.yiwangtongguan.sub.0", "form.yiwangtongguan.sub.1"]
    assert (subs["left"]["value"], subs["right"]["value"]) == ("2754000", "2754000")  # its total budget
    performance = by_name["Projects with performance forms ≤ project expenditure"]
    assert (performance["relation"], performance["left"]["value"],
            performance["right"]["value"]) == ("<=", "52951000", "52951000")


@pytest.mark.parametrize("lang, count, agrees", [("zh", r"(\d+) 项", "相符"), ("en", r"(\d+) checks", "holds")])
def test_the_page_shows_the_same_reconciliation(seed_report, site, seed, lang, count, agrees):
    """The page's section (partials/reconciliation.html, in plain words: tests/test_glance.py): one
    statement, then every identity, grouped by check, each with both amounts and its result."""
    from test_site import parse, squash

    html = (site / lang / "2024" / SLUG / "index.html").read_text(encoding="utf-8")
    section = parse(html).find("section", id="reconciliation")
    data = _json(site, lang)["outcomes"]
    items = section.find("details").find_all("li")
    assert len(items) == len(data) == len(seed_report.outcomes)
    assert {i.attrs["class"] for i in items} == {"ok"}
    assert str(len(data)) in squash(section.find("p").text())
    # one group per check, in order, each announcing its number of comparisons
    groups = section.find("details").find_all("section")
    assert len(groups) == len(CHECKS)
    announced = [int(re.search(count, squash(g.find("h3").text())).group(1)) for g in groups]
    assert announced == [sum(1 for o in data if o["check"] == c.id) for c in CHECKS]
    assert [len(g.find_all("li")) for g in groups] == announced
    # every item names its identity, both amounts and the result
    for item, o in zip(items, data):
        spans = item.find_all("span")
        assert squash(spans[0].text()) and squash(spans[2].text()) == agrees
        relation = " ≤ " if o["relation"] == "<=" else " = "
        assert relation in spans[0].text() and relation in spans[1].text()
