"""The district pages (issue 13, item 2): the year index with every document's total, change and
share; the district overview by function 类 and by source with its chart; a history page per
document over every year in the content, and the years on each department page. Every figure
is read back from the rendered page (generator/outputs/district.py)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CONTENT, FIXTURES, ROOT, make_content, run_pelican
from test_browser import browser, serve  # noqa: F401 (the browser fixture)
from test_site import page, resolve

from generator.outputs import district as out
from generator.pipeline import load_content
from generator.present import district as d

UNITS = FIXTURES / "units"
LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """The test town's 2024 and 2025 files (the same department two years running) and the
    Anting 2024 budget: two departments in 2024, one in 2025."""
    tmp = tmp_path_factory.mktemp("town")
    files = {"2024/town.yaml": (UNITS / "town-2024.yaml").read_text(encoding="utf-8"),
             "2025/town.yaml": (UNITS / "town-2025.yaml").read_text(encoding="utf-8"),
             "2024/anting-city-operations.yaml": (CONTENT / "budgets/2024/anting-city-operations.yaml").read_text("utf-8")}
    root = make_content(tmp, files)
    content = load_content(root, root=tmp)
    assert not [i for i in content.issues if i.severity == "error"], [i.format("en") for i in content.issues]
    site = tmp / "output"
    result = run_pelican(root, site, "BUDGET_PDF=false", cache=tmp / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    return content, site


def _figures(doc) -> dict[str, str]:
    return {n.attrs["data-d"]: n.text().strip() for n in doc.find_all(data_d=True)}


def _wan(yuan) -> str:
    return f"{Decimal(yuan) / 10000:,.2f}"


@pytest.mark.parametrize("lang", LANGS)
def test_year_index_has_every_department_with_total_change_and_share(town, lang):
    content, site = town
    path = f"{lang}/2024/index.html"
    doc = page(site, path)
    shown = _figures(doc)
    dbs = [db for db in content.budgets if db.year == 2024]
    total = sum(d.total_of(db.brief) for db in dbs)
    assert shown["lead.total"] == shown["sum.total"] == _wan(total)
    for db in dbs:
        key = f"row.{db.slug}"
        assert shown[f"{key}.total"] == _wan(d.total_of(db.brief))
        share = d.round_half_up(d.total_of(db.brief) * 100 / total)
        assert shown[f"{key}.share"] == f"{share:.2f}%"
    # the test town had 115,000 元 in 2024 against 100,000 stated for 2023: +15,000, +15.00%
    assert shown["row.test-town.change"] == "+1.50" and shown["row.test-town.change_pct"] == "+15.00%"
    # without the script the rows are in order of their totals, the largest first
    rows = [tb.find("tr") for tb in doc.find("table").find_all("tbody")]
    totals = [Decimal(r.find_all(data_d=True)[0].text().replace(",", "")) for r in rows]
    assert totals == sorted(totals, reverse=True) and len(rows) == 2
    links = {resolve(path, a.attrs["href"]) for a in doc.find("table").find_all("a")}
    assert f"{lang}/2024/test-town/index.html" in links and f"{lang}/history/test-town/index.html" in links
    assert f"{lang}/2024/overview/index.html" in {resolve(path, a.attrs["href"]) for a in doc.find("main").find_all("a")}


def test_year_index_of_the_example_nests_unit_budgets_under_their_department(site):
    doc = page(site, "zh/2025/index.html")
    (group,) = doc.find("table").find_all("tbody")
    rows = group.find_all("tr")
    assert len(rows) == 2 and "unit-row" in rows[1].classes()
    shown = _figures(doc)
    content = load_content(CONTENT, root=ROOT)
    (dept,) = [db for db in content.budgets if db.year == 2025 and db.kind == "department"]
    (unit,) = [db for db in content.budgets if db.year == 2025 and db.kind == "unit"]
    assert shown["sum.total"] == _wan(d.total_of(dept.brief))  # the unit budget is not added again
    assert shown[f"row.{unit.slug}.share"] == f"{d.round_half_up(d.total_of(unit.brief) * 100 / d.total_of(dept.brief)):.2f}%"
    assert shown["row.putuo-government-office.share"] == "100.00%" == shown["sum.share"]


@pytest.mark.parametrize("lang", LANGS)
def test_overview_sums_every_department_by_function_and_source_with_a_chart(town, lang):
    content, site = town
    doc = page(site, f"{lang}/2024/overview/index.html")
    shown = _figures(doc)
    dbs = [db for db in content.budgets if db.year == 2024]
    by_class: dict[str, Decimal] = {}
    for db in dbs:
        for line in db.ledger.lines:
            by_class[line.function[:3]] = by_class.get(line.function[:3], Decimal(0)) + line.amount
    assert {k.split(".")[1] for k in shown if re.fullmatch(r"function\.\d{3}", k)} == set(by_class)
    for code, amount in by_class.items():
        assert shown[f"function.{code}"] == shown[f"chart.function.{code}"] == _wan(amount)
    sources = sum(Decimal(shown[k].replace(",", "")) for k in shown if re.fullmatch(r"source\.[^.]+", k))
    assert abs(sources - Decimal(shown["total"].replace(",", ""))) < Decimal("0.01") * len(by_class)
    charts = doc.find_all("svg")
    assert len(charts) == 2
    for svg in charts:
        assert svg.attrs["role"] == "img"
        title, desc = (svg.find(id=i) for i in svg.attrs["aria-labelledby"].split())
        assert title.tag == "title" and title.text().strip() and desc.tag == "desc"
        for value in svg.find_all("tspan", data_d=True):  # the description names every bar's value
            assert value.text() in desc.text()
        # each chart is followed by the table it summarises
    assert len(doc.find_all("table")) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_history_page_has_every_year_and_the_change(town, lang):
    content, site = town
    path = f"{lang}/history/test-town/index.html"
    doc = page(site, path)
    shown = _figures(doc)
    assert [th.text() for th in doc.find("thead").find_all("th")][1:] == ["2024", "2025"]
    # town-2025.yaml: total 127,000 against 115,000 in 2024: +12,000 (+10.43%); 一般公共预算 +17,000, 政府性基金 −5,000
    assert (shown["2024.total"], shown["2025.total"]) == ("11.50", "12.70")
    assert (shown["2025.change"], shown["2025.change_pct"]) == ("+1.20", "+10.43%")
    assert (shown["2024.source.政府性基金"], shown["2025.source.政府性基金"]) == ("0.50", "0.00")
    assert shown["2025.function.201"] == "12.70" and shown["2025.function.212"] == "0.00"
    assert shown["chart.2024.total"] == "11.50"
    links = {resolve(path, a.attrs["href"]) for a in doc.find("main").find_all("a")}
    assert {f"{lang}/2024/test-town/index.html", f"{lang}/2025/test-town/index.html"} <= links


@pytest.mark.parametrize("lang", LANGS)
def test_department_pages_link_their_years_and_history(town, lang):
    _, site = town
    for year, other in ((2024, 2025), (2025, 2024)):
        path = f"{lang}/{year}/test-town/index.html"
        nav = page(site, path).find("nav", class_="year-nav")
        targets = {resolve(path, a.attrs["href"]): a for a in nav.find_all("a")}
        assert f"{lang}/{other}/test-town/index.html" in targets
        assert targets[path].attrs.get("aria-current") == "page"
        assert f"{lang}/history/test-town/index.html" in targets
    # one year only: the page names its year and its history
    path = f"{lang}/2024/anting-city-operations/index.html"
    nav = page(site, path).find("nav", class_="year-nav")
    assert [resolve(path, a.attrs["href"]) for a in nav.find_all("a")] == [
        path, f"{lang}/history/anting-city-operations/index.html"]


# ---------------------------------------------------------------- the read-back


@pytest.fixture(scope="module")
def overview(town):
    content, site = town
    html = (site / "zh/2024/overview/index.html").read_text(encoding="utf-8")
    variables = {"district": d.Overview(2024, [db.brief for db in content.budgets if db.year == 2024], "zh")}
    return variables, html


def _codes(found) -> list[str]:
    return [i.code for i in found]


def test_read_back_of_the_built_page_is_clean(overview):
    variables, html = overview
    assert out.verify_page(variables, html, "zh/2024/overview/index.html") == []


def test_read_back_catches_a_wrong_figure(overview):
    variables, html = overview
    wrong = re.sub(r'(<span data-d="function\.212">)([\d,.]+)', lambda m: m[1] + "1" + m[2], html, count=1)
    assert wrong != html
    found = out.verify_page(variables, wrong, "p")
    assert _codes(found) == ["E442"] and "function.212" in found[0].message("en")


def test_read_back_catches_a_missing_a_doubled_and_an_unknown_figure(overview):
    variables, html = overview
    missing = re.sub(r'<span data-d="source\.其他收入">[^<]*</span>', "", html, count=1)
    assert _codes(out.verify_page(variables, missing, "p")) == ["E443"]
    doubled = html.replace("</main>", '<span data-d="total">' + variables["district"].figures.text("total") + "</span></main>")
    assert _codes(out.verify_page(variables, doubled, "p")) == ["E441"]
    unknown = html.replace("</main>", '<span data-d="function.999">1.00</span></main>')
    assert _codes(out.verify_page(variables, unknown, "p")) == ["E444"]
    text = html.replace('<span data-d="total">', '<span data-d="total">about ', 1)
    assert _codes(out.verify_page(variables, text, "p")) == ["E440"]


def test_read_back_catches_a_chart_without_text_alternative_or_a_wrong_bar(overview):
    variables, html = overview
    no_title = re.sub(r"<title id=\"functions-chart-title\">[^<]*</title>", "", html)
    assert _codes(out.verify_page(variables, no_title, "p")) == ["E446"]
    no_role = html.replace('role="img" ', "", 1)
    assert _codes(out.verify_page(variables, no_role, "p")) == ["E446"]
    first = variables["district"].function_bars[0]
    value = variables["district"].figures.text(first.name)
    undescribed = re.sub(r"(<desc id=\"functions-chart-desc\">[^<]*?)" + re.escape(value), r"\1", html, count=1)
    assert undescribed != html
    assert _codes(out.verify_page(variables, undescribed, "p")) == ["E446"]
    bar = re.sub(r'width="75\.0%"', 'width="60.0%"', html, count=1)
    assert bar != html
    assert _codes(out.verify_page(variables, bar, "p")) == ["E447"]


def test_district_totals_are_reconciled(town, monkeypatch):
    content, _ = town
    assert out.reconcile_district(content.budgets) == []
    real = d.by_function
    monkeypatch.setattr(d, "by_function", lambda dbs: {k: v + 1 for k, v in real(dbs).items()})
    found = out.reconcile_district(content.budgets)
    assert _codes(found) == ["E445", "E445"]  # 2024 and 2025
    assert "function" in found[0].message("en")


def test_text_parse_round_trip():
    for kind, value in ((d.AMOUNT, Decimal("57152900")), (d.CHANGE, Decimal("-35000")), (d.CHANGE, Decimal("12000")),
                        (d.SIGNED_PERCENT, Decimal("10.434")), (d.PERCENT, Decimal("0.19"))):
        assert out.parse(d.text(kind, value)) == d.shown(kind, value)
    assert d.text(d.CHANGE, Decimal("-35000")) == "\u22123.50" and out.parse("—") is None


def test_a_department_cannot_take_the_overview_url(tmp_path):
    """{lang}/{year}/overview/ is the district overview: a department slug `overview` is refused (E448)."""
    text = (UNITS / "town-2024.yaml").read_text(encoding="utf-8").replace("slug: test-town", "slug: overview")
    root = make_content(tmp_path, {"2024/town.yaml": text})
    result = run_pelican(root, tmp_path / "output", "BUDGET_PDF=false", cache=tmp_path / "cache")
    assert result.returncode != 0 and "E448" in result.stderr
    line = text.splitlines().index("  slug: overview") + 1
    assert f"budgets/2024/town.yaml:{line}:" in result.stderr
    assert not (tmp_path / "output" / "zh").exists()


def test_the_example_site_has_its_district_pages(site: Path):
    for lang in LANGS:
        for path in ("2024/overview", "2025/overview", "history/anting-city-operations",
                     "history/putuo-government-office", "history/putuo-government-office/benbu"):
            assert (site / lang / path / "index.html").is_file(), (lang, path)


# ---------------------------------------------------------------- sorting, in the browser


@pytest.mark.browser
def test_year_index_sorts_with_the_script_and_stays_whole_without(browser, town):  # noqa: F811
    _, site = town

    def totals(tab) -> list[str]:
        return tab.eval_on_selector_all("table[data-sortable] tbody tr:first-child td:nth-of-type(2)",
                                        "cells => cells.map(c => c.textContent.trim())")

    with serve(site) as base:
        off = browser.new_context(java_script_enabled=False)
        tab = off.new_page()
        tab.goto(base + "en/2024/index.html")
        assert tab.query_selector_all("th button") == []
        assert totals(tab) == ["5,715.29", "11.50"]  # the largest first, as built
        off.close()

        on = browser.new_context()
        tab = on.new_page()
        tab.goto(base + "en/2024/index.html")
        header = tab.locator("th", has_text="Total budget")
        assert header.get_attribute("aria-sort") == "descending"
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "ascending" and totals(tab) == ["11.50", "5,715.29"]
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "descending" and totals(tab) == ["5,715.29", "11.50"]
        name = tab.locator("th", has_text="Department").first
        name.locator("button").click()
        names = tab.eval_on_selector_all("table[data-sortable] tbody th a", "as => as.map(a => a.textContent.trim())")
        assert names == sorted(names) and name.get_attribute("aria-sort") == "ascending"
        assert tab.eval_on_selector("table[data-sortable] tfoot", "f => f === f.parentElement.lastElementChild")
        on.close()
