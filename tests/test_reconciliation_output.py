"""What citizens see of the reconciliation: reconciliation.json in each document's data folder and
the page's own reconciliation section (themes/budget/templates/partials/document.html)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html.parser import HTMLParser

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


class _Section(HTMLParser):
    """The rows and group headings of <section id="reconciliation">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0 inside the section
        self.rows: list[str] = []  # the class of every <tr> in a tbody
        self.cells: list[list[str]] = []
        self.summaries: list[str] = []
        self._in_summary = self._in_tbody = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and a.get("id") == "reconciliation":
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "section":
            self.depth += 1
        if tag in ("summary", "h3"):
            self._in_summary, self._text = True, []
        elif tag == "tbody":
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody:
            self.rows.append(a.get("class", ""))
            self.cells.append([])
        elif tag in ("td", "th") and self._in_tbody:
            self._text = []

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "section":
            self.depth -= 1
        elif tag in ("summary", "h3") and self._in_summary:
            self.summaries.append(" ".join("".join(self._text).split()))
            self._in_summary = False
        elif tag == "tbody":
            self._in_tbody = False
        elif tag in ("td", "th") and self._in_tbody:
            self.cells[-1].append("".join(self._text).strip())

    def handle_data(self, data):
        if self.depth:
            self._text.append(data)


@pytest.mark.parametrize("lang, count, agrees", [("zh", r"共 (\d+) 项", "相符"), ("en", r"(\d+) comparisons", "agrees")])
def test_the_page_shows_the_same_reconciliation(seed_report, site, seed, lang, count, agrees):
    html = (site / lang / "2024" / SLUG / "index.html").read_text(encoding="utf-8")
    section = _Section()
    section.feed(html)
    data = _json(site, lang)["outcomes"]
    assert len(section.rows) == len(data) == len(seed_report.outcomes)
    assert set(section.rows) == {"ok"}
    # one group per check, in order, each announcing its number of comparisons
    assert [s.split()[1] for s in section.summaries] == [c.id for c in CHECKS]
    announced = [int(re.search(count, s).group(1)) for s in section.summaries]
    assert announced == [sum(1 for o in data if o["check"] == c.id) for c in CHECKS]
    assert sum(announced) == len(data)
    # every row names its identity, both sides and the result
    name = "zh" if lang == "zh" else "en"
    assert [cells[0] for cells in section.cells] == [o["name"][name] for o in data]
    assert {cells[3] for cells in section.cells} == {agrees}
    assert all(cells[1] and cells[2] for cells in section.cells)
