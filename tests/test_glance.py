"""At a glance, the reconciliation in plain words and the page metadata (issue 13, items 1, 5, 6).

The block's figures are compared with sums over the ledger made here, not with the block's own
model; the read-back is shown to stop a page with one wrong chart number, whichever part of the
chart it is in.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, make_content, run_pelican, seed_text
from test_site import parse, squash

from generator.compute.ledger import project_amount
from generator.core import vocab
from generator.core.money import ZERO, round_half_up
from generator.outputs.readback import verify
from generator.present.charts import BAR_MAX

LANGS = ("zh", "en")
PAGES = [("anting-city-operations", 2024), ("putuo-government-office", 2025), ("putuo-government-office/benbu", 2025)]


def _db(content, slug: str, year: int):
    return next(d for d in content.budgets if d.slug == slug and d.year == year)


def _html(site: Path, lang: str, slug: str, year: int) -> str:
    return (site / lang / str(year) / slug / "index.html").read_text(encoding="utf-8")


def _shown(db, lang: str, value: Decimal) -> str:
    return db.display.prose_text(value, lang)


def _pct(part: Decimal, whole: Decimal) -> str:
    return f"{round_half_up(part * 100 / whole):.2f}%"


def _bars(doc, chart: str) -> list[tuple[str, Decimal, str]]:
    svg = doc.find("svg", **{"data-chart": chart})
    assert svg is not None, chart
    return [(r.attrs["data-bar"], Decimal(r.attrs["width"]), "") for r in svg.find_all("rect") if "data-bar" in r.attrs]


def _figure_texts(node) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for n in node.find_all(None):
        if "data-figure" in n.attrs:
            out.setdefault(n.attrs["data-figure"], set()).add(n.text().strip())
    return out


def _expected_bars(ledger) -> dict[str, dict[str, Decimal]]:
    """What each chart must show, summed over the ledger's lines here."""
    sources = {f"income.{s}": ledger.sum(lambda line, s=s: line.source == s) for s in vocab.typed_sources()}
    kinds = {k.key: ledger.sum(k.test) for k in vocab.EXPENDITURE_KINDS}
    classes: dict[str, Decimal] = {}
    for line in ledger.lines:
        classes[f"function.{line.function[:3]}"] = classes.get(f"function.{line.function[:3]}", ZERO) + line.amount
    projects = sorted(((f"project.{p.id}", project_amount(p)) for p in ledger.budget.projects), key=lambda kv: (-kv[1], kv[0]))
    return {"sources": {k: v for k, v in sources.items() if v}, "kinds": {k: v for k, v in kinds.items() if v},
            "functions": {k: v for k, v in sorted(classes.items(), key=lambda kv: -kv[1]) if v},
            "projects": {k: v for k, v in projects[:5] if v}}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug, year", PAGES)
def test_the_block_shows_the_ledger(site, content, lang, slug, year):
    db = _db(content, slug, year)
    ledger = db.ledger
    doc = parse(_html(site, lang, slug, year))
    block = doc.find("section", id="glance")
    assert block is not None
    figures = _figure_texts(block)
    total = ledger.sum()
    assert figures["total"] == {_shown(db, lang, total)}
    # the change from last year, with its direction
    before = db.figures["last_year.total"].value
    change = block.find("p", **{"data-change": "total"})
    assert change.attrs["data-direction"] == ("up" if total > before else "down")
    assert figures["change.total"] == {_shown(db, lang, abs(total - before))}
    assert figures["change.total.pct"] == {_pct(abs(total - before), before)}
    assert figures["last_year.total"] == {_shown(db, lang, before)}
    # every chart: its bars, their order, their lengths, and the figures printed beside them
    for chart, want in _expected_bars(ledger).items():
        bars = _bars(doc, chart)
        assert [name for name, _, _ in bars] == list(want), chart
        largest = max(want.values())
        for name, width, _ in bars:
            assert abs(width - BAR_MAX * want[name] / largest) <= Decimal("0.005"), (chart, name)
            assert figures[name] == {_shown(db, lang, want[name])}, name
    for name, value in _expected_bars(ledger)["sources"].items():
        assert figures[f"share.income.{name.split('.', 1)[1]}"] == {_pct(value, total)}
    for name, value in _expected_bars(ledger)["functions"].items():
        assert figures[f"share.{name}"] == {_pct(value, total)}
    # 三公 and 机关运行经费 this year and last year
    three = _bars(doc, "three_public")
    names = [name for name, _, _ in three]
    assert names[:2] == ["three_public.total", "last_year.three_public.total"]
    assert figures["three_public.total"] == {_shown(db, lang, sum((t.amount for t in db.budget.three_public), ZERO))}
    if ledger.operating_costs is not None:
        assert "operating_costs" in names
        assert figures["operating_costs"] == {_shown(db, lang, ledger.operating_costs)}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug, year", PAGES)
def test_every_chart_has_a_text_alternative_and_its_table(site, content, lang, slug, year):
    doc = parse(_html(site, lang, slug, year))
    charts = doc.find("section", id="glance").find_all("figure")
    assert len(charts) >= 4
    for fig in charts:
        svg = fig.find("svg")
        assert svg.attrs["role"] == "img"
        ids = svg.attrs["aria-labelledby"].split()
        title, desc = svg.find("title"), svg.find("desc")
        assert [title.attrs["id"], desc.attrs["id"]] == ids
        assert squash(title.text()) and squash(desc.text())
        assert fig.find("figcaption").text().strip() == title.text().strip()
        bars = [r.attrs["data-bar"] for r in svg.find_all("rect") if "data-bar" in r.attrs]
        # the desc reads out every bar's figures, the table beside the chart has a row for each
        printed = [t.text() for t in svg.find_all("tspan") if "data-figure" in t.attrs]
        assert printed and all(p in desc.text() for p in printed)
        table = fig.find("details").find("table")
        rows = table.find("tbody").find_all("tr")
        assert len(rows) == len(bars)
        assert [r.find("span").attrs["data-figure"] for r in rows] == bars


@pytest.fixture(scope="module")
def page_and_db(site, content):
    db = _db(content, "anting-city-operations", 2024)
    return _html(site, "zh", "anting-city-operations", 2024), db, content.report(db)


def _codes(issues) -> list[str]:
    return sorted({i.code for i in issues})


def test_the_rendered_page_reads_back_clean(page_and_db):
    html, db, report = page_and_db
    assert verify(db, report, html, "zh", "page") == []


@pytest.mark.parametrize("plant, code", [
    # a bar a little too long
    (lambda h: re.sub(r'width="[\d.]+"( height="12" rx="2" data-bar="income\.其他收入")', r'width="99.99"\1', h,
                      count=1), "E430"),
    # a figure beside a bar
    (lambda h: h.replace('<tspan data-figure="income.其他收入">345.29万元', '<tspan data-figure="income.其他收入">354.29万元',
                         1), "E324"),
    # a figure in the chart's text alternative
    (lambda h: re.sub(r"(<desc[^>]*>[^<]*?)345\.29万元", r"\g<1>354.29万元", h, count=1), "E434"),
    # the text alternative taken away
    (lambda h: re.sub(r'<desc id="chart-sources-desc">[^<]*</desc>', "", h, count=1), "E431"),
    # a bar left out
    (lambda h: re.sub(r'<rect [^>]*data-bar="income\.其他收入"/>', "", h, count=1), "E433"),
    # the change going the wrong way
    (lambda h: h.replace('data-change="total" data-direction="up"', 'data-change="total" data-direction="down"', 1), "E435"),
    # the total in the page's description
    (lambda h: h.replace('合计5,715.29万元', '合计5,751.29万元', 1), "E436"),
])
def test_the_read_back_catches_a_wrong_chart_number(page_and_db, plant, code):
    html, db, report = page_and_db
    planted = plant(html)
    assert planted != html, code
    assert code in _codes(verify(db, report, planted, "zh", "page"))


def test_a_wrong_bar_stops_the_build(tmp_path, monkeypatch):
    """A chart drawn from a wrong number never publishes: the build stops with E430."""
    from generator.present import charts

    content = make_content(tmp_path, {"2024/anting-city-operations.yaml": seed_text()})
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(  # the renderer draws the first bar of every chart 10% short
        "import re\n"
        "from generator.present import charts\n"
        "_figure = charts.figure\n"
        "def figure(g, chart, values):\n"
        "    out = str(_figure(g, chart, values))\n"
        "    short = lambda m: 'width=\"%.2f\"%s' % (float(m[1]) * 0.9, m[2])\n"
        "    return type(_figure(g, chart, values))(re.sub(r'width=\"([0-9.]+)\"( height=\"12\")', short, out, count=1))\n"
        "charts.figure = figure\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", f"{shim}:{ROOT}")
    result = run_pelican(content, tmp_path / "out", "BUDGET_PDF=false", cache=tmp_path / "cache")
    assert result.returncode != 0
    assert "E430" in result.stdout + result.stderr
    assert not (tmp_path / "out" / "zh" / "2024").exists()
    assert charts.figure.__module__ == "generator.present.charts"  # this process is untouched


# ---------------------------------------------------------------- metadata


@pytest.mark.parametrize("lang", LANGS)
def test_pages_have_a_description_sharing_tags_and_the_favicon(site, content, lang):
    db = _db(content, "putuo-government-office", 2025)
    for path in (f"{lang}/index.html", f"{lang}/2025/index.html", f"{lang}/2025/putuo-government-office/index.html",
                 f"{lang}/about/index.html"):
        head = parse((site / path).read_text(encoding="utf-8")).find("head")
        metas = {m.attrs.get("name") or m.attrs.get("property"): m.attrs.get("content") for m in head.find_all("meta")}
        for key in ("description", "og:title", "og:description", "og:type", "og:locale", "twitter:card"):
            assert metas.get(key), (path, key)
        assert metas["og:description"] == metas["description"]
        assert metas["og:title"] == head.find("title").text()
        assert metas["og:locale"] == {"zh": "zh_CN", "en": "en_US"}[lang]
        assert "og:url" not in metas  # SITEURL is relative here
        icon = head.find("link", rel="icon")
        assert icon.attrs["type"] == "image/svg+xml" and not icon.attrs["href"].startswith(("http:", "https:", "//"))
    assert (site / "theme" / "favicon.svg").read_text(encoding="utf-8").startswith("<svg")
    head = parse((site / lang / "2025" / "putuo-government-office" / "index.html").read_text(encoding="utf-8")).find("head")
    description = head.find("meta", name="description").attrs["content"]
    assert _shown(db, lang, db.ledger.sum()) in description
    total, before = db.ledger.sum(), db.figures["last_year.total"].value
    assert _shown(db, lang, abs(total - before)) in description and _pct(abs(total - before), before) in description


def test_metadata_is_escaped(tmp_path):
    """A department name with quotes and markup stays text in every attribute."""
    hostile = 'X" onload="alert(1)<script>alert(2)</script>'
    text = seed_text().replace("    zh: 上海市嘉定区安亭镇城市运行管理中心\n", f"    zh: 上海{hostile}\n", 1)
    assert hostile in text
    content = make_content(tmp_path, {"2024/anting-city-operations.yaml": text})
    out = tmp_path / "out"
    result = run_pelican(content, out, "BUDGET_PDF=false", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (out / "zh" / "2024" / "anting-city-operations" / "index.html").read_text(encoding="utf-8")
    head_html = html[:html.index("</head>")]
    assert "<script" not in head_html and 'onload="' not in head_html
    head = parse(head_html)
    for key in ("description", "twitter:description"):
        assert hostile in head.find("meta", name=key).attrs["content"]
    assert hostile in head.find("meta", property="og:title").attrs["content"]


# ---------------------------------------------------------------- the reconciliation in plain words

_KEYS = re.compile(r"\b\d{2}表|\b(?:project|form|procurement|inc|exp)\.|\.(?:total|amount|basic|project)\b"
                   r"|total 合计|[A-Za-z]+\.\d")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug, year", PAGES)
def test_the_reconciliation_speaks_plain_words(site, content, lang, slug, year):
    db = _db(content, slug, year)
    report = content.report(db)
    doc = parse(_html(site, lang, slug, year))
    section = doc.find("section", id="reconciliation")
    statement = squash(section.find("p").text())
    assert str(len(report.outcomes)) in statement
    items = section.find("details").find_all("li")
    assert len(items) == len(report.outcomes)
    assert {i.attrs["class"] for i in items} == {"ok"}
    ids = {p.id for p in db.budget.projects}
    for item in items:
        what = squash(item.find("span").text())
        assert not _KEYS.search(what), what
        assert not any(re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", what) for i in ids), what
        amounts = squash(item.find("span", **{"class": "check-amounts"}).text())
        left, right = re.split(r" [=≤] ", amounts)
        if lang == "zh":  # one unit per row
            assert re.fullmatch(r"[\d,]+\.\d\d(万元|元)", left) and re.fullmatch(r"[\d,]+\.\d\d(万元|元)", right), amounts
            assert left[-2:] == right[-2:] or (left.endswith("万元") == right.endswith("万元")), amounts
        else:
            assert left.startswith("RMB ") and right.startswith("RMB "), amounts
    # the JSON keeps the keys
    data = (site / "data" / str(year) / db.slug / "reconciliation.json").read_text(encoding="utf-8")
    assert '"keys"' in data


def test_one_unit_when_the_sides_are_printed_in_different_units(content):
    """Projects (in yuan) against table 03 (in 万元): both amounts in 万元, the table's unit."""
    from generator.present.render import View

    db = _db(content, "anting-city-operations", 2024)
    report = content.report(db)
    view = View(db, "zh", report)
    o = next(o for o in report.outcomes if o.comparison.family == "projects==03")
    item = view.plain.item(o)
    assert item.left.endswith("万元") and item.right.endswith("万元")
    assert item.left == f"{round_half_up(o.left_shown / 10000):,.2f}万元"
    assert "lianqin" not in item.text and "项目 " not in item.text
    assert CONTENT.is_dir()


def test_og_url_only_with_an_absolute_site_url(tmp_path):
    content = make_content(tmp_path, {"2024/anting-city-operations.yaml": seed_text()})
    out = tmp_path / "out"
    result = run_pelican(content, out, "BUDGET_PDF=false", 'SITEURL="https://budget.example.gov.cn/jd"', "RELATIVE_URLS=false",
                         cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    head = parse((out / "en" / "2024" / "anting-city-operations" / "index.html").read_text(encoding="utf-8")).find("head")
    url = head.find("meta", property="og:url")
    assert url.attrs["content"] == "https://budget.example.gov.cn/jd/en/2024/anting-city-operations/"
    assert head.find("link", rel="icon").attrs["href"] == "https://budget.example.gov.cn/jd/theme/favicon.svg"
