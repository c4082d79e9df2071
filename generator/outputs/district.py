"""The district pages (year index, overview, history) and their read-back.

`district_pages()` gives (path, template, variables) like the plugin's `index_pages()`; the plugin
renders them in memory and `verify_page()` reads every `data-d` figure back from the HTML:
each figure the page's `Figures` names is shown once, as its value rounded once, every bar of a
chart has the length of its value, and every chart carries a text alternative. The district's
totals are reconciled first, exactly: Σ of the departments' totals (table 01) = Σ by function
类 = Σ by source (the ledger lines).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from lxml import etree

from generator.compute.brief import Brief
from generator.compute.budget import DepartmentBudget
from generator.core.diagnostics import Issue, Location, issue
from generator.core.display import DisplayRule, money_text
from generator.core.labels import UNIT_NAMES
from generator.core.money import ZERO
from generator.outputs.rendered import IndexPage
from generator.present import district as d
from generator.present.render import IndexView

HISTORY, OVERVIEW = "history", "overview"


def history_url(lang: str, slug: str) -> str:
    return f"{lang}/{HISTORY}/{slug}/"


def overview_url(lang: str, year: int) -> str:
    return f"{lang}/{year}/{OVERVIEW}/"


def navigation(budgets: list[DepartmentBudget], db: DepartmentBudget, lang: str) -> dict:
    """What a department page links to: the years its document is published in ("2024 | 2025") and its history."""
    return {"years": navigation_years(budgets, db), "history_url": history_url(lang, db.slug)}


def navigation_years(budgets: list[DepartmentBudget], db: DepartmentBudget) -> list[int]:
    """The years `db`'s document is published in, in order."""
    return list(_years_by_slug(budgets).get(db.slug, ()))


_YEARS: list = [None, None, {}]  # the last list of budgets (and its length) and its years by slug


def _years_by_slug(budgets: list[DepartmentBudget]) -> dict[str, tuple[int, ...]]:
    """slug -> the sorted years of its documents, computed once per list of budgets (not once per page:
    the list is the build's own, not changed while its pages are made)."""
    if _YEARS[0] is not budgets or _YEARS[1] != len(budgets):
        years: dict[str, list[int]] = defaultdict(list)
        for x in budgets:
            years[x.slug].append(x.year)
        _YEARS[:] = [budgets, len(budgets), {slug: tuple(sorted(ys)) for slug, ys in years.items()}]
    return _YEARS[2]


def district_pages(gen) -> list[IndexPage]:
    """The year indexes, overviews and histories; `gen` is the plugin's BudgetGenerator (its content,
    languages, catalogues and `common` page variables). Their variables are made only when rendered."""
    budgets = [db.brief for db in gen.content.budgets]
    by_year: dict[int, list[Brief]] = defaultdict(list)
    for db in budgets:
        by_year[db.year].append(db)

    def shared(lang: str) -> dict:
        return {"unit": UNIT_NAMES[d.UNIT](lang), "unit_suffix": DisplayRule(d.UNIT).unit_suffix(lang),
                "history_url": history_url, "view": lambda db: IndexView(db, lang, gen.catalogues)}

    def year_index(lang: str, o: str, year: int) -> dict:
        return dict(**gen.common(lang, f"{lang}/{year}/", f"{o}/{year}/"), **shared(lang), year=year,
                    district=d.YearIndex(year, by_year[year]), overview_url=overview_url(lang, year))

    def overview(lang: str, o: str, year: int) -> dict:
        return dict(**gen.common(lang, overview_url(lang, year), overview_url(o, year)), **shared(lang), year=year,
                    district=d.Overview(year, by_year[year], lang))

    def history(lang: str, o: str, slug: str, dbs: list[Brief]) -> dict:
        return dict(**gen.common(lang, history_url(lang, slug), history_url(o, slug)), **shared(lang),
                    district=d.History(slug, dbs, lang))

    pages = []
    for lang in gen.langs:
        o = gen.other[lang]
        for year in sorted(by_year):
            pages.append(IndexPage(f"{lang}/{year}/index.html", "year_index", partial(year_index, lang, o, year), "year", year))
            pages.append(IndexPage(f"{overview_url(lang, year)}index.html", "overview", partial(overview, lang, o, year),
                                   "year", year))
        for slug, dbs in d.documents_by_slug(budgets).items():
            pages.append(IndexPage(f"{history_url(lang, slug)}index.html", "history", partial(history, lang, o, slug, dbs),
                                   "slug", slug=slug))
    return pages


def reconcile_district(documents: list[DepartmentBudget]) -> list[Issue]:
    """Each year's Σ of department totals = Σ by function 类 = Σ by source, exactly (E445); no
    department takes the overview's URL (E448). From the documents' briefs."""
    budgets = [db.brief for db in documents]
    found = [issue("E448", db.slug_at, slug=db.slug, url=overview_url("zh", db.year))
             for db in budgets if db.kind == "department" and db.slug == OVERVIEW]
    years = sorted({db.year for db in budgets})
    for year in years:
        depts = d.departments([db for db in budgets if db.year == year])
        total = sum((d.total_of(db) for db in depts), ZERO)
        for what, parts in (("function", d.by_function(depts)), ("source", d.by_source(depts))):
            summed = sum(parts.values(), ZERO)
            if summed != total:
                found.append(issue("E445", Location(depts[0].source_path), year=year, what=what, total=money_text(total),
                                   parts=money_text(summed)))
    return found


@dataclass
class _Read:
    """The `data-d` figures of a page (text), the bars (`data-bar` name and width) and the charts."""

    figures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    bars: list[tuple[int, str, str]] = field(default_factory=list)  # (chart number, figure name, width)
    charts: list[dict] = field(default_factory=list)


# lxml (libxml2), as readback.py: a district index lists every department, html.parser took ~0.1 s a page
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)
_MARKED = etree.XPath("//*[@data-d or @data-bar] | //svg")
_TEXT = etree.XPath("string()")


def read_district_page(html: str) -> _Read:
    page = _Read()
    root = etree.fromstring(html, _PARSER) if html.strip() else None
    if root is None:
        return page
    for el in _MARKED(root):
        if el.tag == "svg":
            page.charts.append({
                "labelled": el.get("aria-labelledby", ""), "role": el.get("role"),
                "ids": {e.get("id") for e in el.iter("title", "desc") if e.get("id")},
                "desc": "".join(_TEXT(e) for e in el.iter("desc")), "values": []})
            continue
        if el.get("data-d") is not None:
            text = _TEXT(el).strip()
            page.figures[el.get("data-d") or ""].append(text)
            if next(el.iterancestors("svg"), None) is not None:
                page.charts[-1]["values"].append(text)
        if el.get("data-bar") is not None:
            page.bars.append((len(page.charts), el.get("data-bar") or "", el.get("width") or ""))
    return page


_NUMBER = re.compile(r"([+\-\u2212]?)(\d{1,3}(?:,\d{3})*(?:\.\d+)?)(%?)")


def parse(text: str) -> Decimal | None:
    """'5,715.29' -> 5715.29, '−3.50' -> -3.5, '+10.43%' -> 10.43, '—' -> None; else InvalidOperation."""
    if text == "—":
        return None
    m = _NUMBER.fullmatch(text)
    if not m:
        raise InvalidOperation(text)
    value = Decimal(m[2].replace(",", ""))
    return -value if m[1] in ("-", d.MINUS) else value


def verify_page(variables: dict, html: str, what: str) -> list[Issue]:
    """Every figure of a district page (its variables hold `district`) read back: shown once, as
    computed; bars and charts (E440–E447). Other pages: nothing to read back."""
    if "district" not in variables:
        return []
    figures: d.Figures = variables["district"].figures
    where = Location(what)
    page = read_district_page(html)
    found = []
    for name, (kind, value) in figures.values.items():
        texts = page.figures.get(name, [])
        if not texts:
            found.append(issue("E443", where, name=name, expected=d.text(kind, value)))
            continue
        if len(texts) > 1:
            found.append(issue("E441", where, name=name))
        try:
            read = parse(texts[0])
        except InvalidOperation:
            found.append(issue("E440", where, name=name, text=texts[0]))
            continue
        want = None if value is None else d.shown(kind, value)
        if read != want:
            found.append(issue("E442", where, name=name, text=texts[0], expected=d.text(kind, value)))
    for name in sorted(set(page.figures) - set(figures.values)):
        found.append(issue("E444", where, name=name))
    for chart, name, width in page.bars:
        value = figures.values.get(name, (None, None))[1]
        top = max((abs(figures.value(n) or ZERO) for c, n, _ in page.bars if c == chart and n in figures.values),
                  default=ZERO)
        want = ZERO if value is None or not top else d.round_half_up(abs(value) * d.CHART_WIDTH / top, 1)
        try:
            ok = Decimal(width.rstrip("%")) == want
        except InvalidOperation:
            ok = False
        if not ok:
            found.append(issue("E447", where, name=name, width=width, expected=f"{want}%"))
    for n, svg in enumerate(page.charts, start=1):  # the text alternative: a title, and every value in the description
        labelled = set(svg["labelled"].split())
        described = all(value in svg["desc"] for value in svg["values"])
        if svg["role"] != "img" or not labelled or not labelled <= svg["ids"] or not described:
            found.append(issue("E446", where, n=n))
    return found

