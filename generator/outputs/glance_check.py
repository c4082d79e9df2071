"""Read the at-a-glance charts back from a rendered page.

The figures printed in the block are `data-figure` spans, checked by readback.verify like every
figure in prose. Here the rest of each chart is checked against the model built again from the
ledger (present/glance.py): which bars a chart has, each bar's length, the text alternative
(<title> and <desc>, the desc reading out the figures), the direction of every change
(增加 / 减少), and the figures of the page's <meta name="description">. A chart that says
something the ledger does not stops the build.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

from generator.compute.budget import DepartmentBudget
from generator.core.diagnostics import Issue, Location, issue
from generator.present.charts import bar_width
from generator.present.glance import Glance, bar_values, change, text_in

_NUMBER = re.compile(r"\d[\d,.]*\s*(?:%|万元|元|million|yuan)|RMB\s*\d")  # an amount or a share


class _Chart:
    def __init__(self, id: str, attrs: dict):
        self.id = id
        self.attrs = attrs
        self.bars: list[tuple[str, str]] = []  # (figure name, width)
        self.title = ""
        self.desc = ""


class _Charts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.charts: list[_Chart] = []
        self.changes: list[tuple[str, str]] = []  # (key, direction)
        self.description: str | None = None  # <meta name="description">
        self._in: _Chart | None = None
        self._part: str | None = None  # "title" / "desc" while inside one

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "svg" and "data-chart" in a:
            self._in = _Chart(a["data-chart"], a)
            self.charts.append(self._in)
        elif self._in is not None and tag in ("title", "desc"):
            self._part = tag
        elif self._in is not None and tag == "rect" and "data-bar" in a:
            self._in.bars.append((a["data-bar"], a.get("width", "")))
        if tag == "meta" and a.get("name") == "description":
            self.description = a.get("content", "")
        if "data-change" in a:
            self.changes.append((a["data-change"], a.get("data-direction", "")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "svg":
            self._in = None
        if tag in ("title", "desc"):
            self._part = None

    def handle_data(self, data):
        if self._in is not None and self._part:
            setattr(self._in, self._part, getattr(self._in, self._part) + data)


# The parts of a page the charts' check reads: each chart's <svg> and the tags that carry a change
# or the description. Parsing only these (the rest of the page is only tags and text around them)
# reads the same as parsing the whole page, at a fraction of the cost.
_PIECES = re.compile(r"<svg\b[^<>]*\bdata-chart\b.*?</svg\s*>|<[a-zA-Z][^<>]*\b(?:data-change|description)\b[^<>]*>", re.S)


def read_charts(html: str) -> _Charts:
    parser = _Charts()
    parser.feed("\n".join(m.group(0) for m in _PIECES.finditer(html)))
    parser.close()
    return parser


def _in_order(figures: list[str], text: str) -> bool:
    """Does `text` say each of `figures` (as displayed), in this order, and no other amount or percentage?
    (Its words are the page language's, from the catalogue: only the figures are compared.)"""
    at = 0
    for shown in figures:
        found = text.find(shown, at)
        if found < 0:
            return False
        at = found + len(shown)
    rest = text
    for shown in figures:
        rest = rest.replace(shown, " ", 1)
    return not _NUMBER.search(rest)


def verify(db: DepartmentBudget, html: str, lang: str, what: str) -> list[Issue]:
    """Issues for every chart of the page (`what`) that differs from the ledger (none if it has no charts)."""
    page = read_charts(html)
    if not page.charts and not page.changes:
        return []
    where = Location(what)
    found: list[Issue] = []
    g = Glance(db, lang)
    expected = {c.id: c for c in g.charts()}
    values = bar_values(db)
    for chart in page.charts:
        title, desc = chart.title.strip(), chart.desc.strip()
        labelled = chart.attrs.get("role") == "img" and (title or chart.attrs.get("aria-label", "").strip())
        if not labelled or not desc:
            found.append(issue("E431", where, chart=chart.id))
        want = expected.get(chart.id)
        if want is None:
            found.append(issue("E432", where, chart=chart.id))
            continue
        names = [name for name, _ in chart.bars]
        if names != [b.name for b in want.bars]:
            found.append(issue("E433", where, chart=chart.id, shown=", ".join(names),
                               expected=", ".join(b.name for b in want.bars)))
            continue
        largest = max((values.get(b.name, Decimal(0)) for b in want.bars), default=Decimal(0))
        for name, width in chart.bars:
            should = bar_width(values.get(name, Decimal(0)), largest)
            if width != should:
                found.append(issue("E430", where, chart=chart.id, name=name, shown=width, expected=should))
        if desc and not _in_order(g.summary_figures(want), desc):
            found.append(issue("E434", where, chart=chart.id, shown=desc, expected=g.summary(want)))
    if page.description is not None:
        if not _in_order(g.description_figures(), page.description):
            found.append(issue("E436", where, shown=page.description, expected=g.description(text_in(db.budget.name, lang))))
    for key, direction in page.changes:
        c = change(db, key)
        should = c.direction if c is not None else "(none)"
        if direction != should:
            found.append(issue("E435", where, name=key, shown=direction, expected=should))
    return found
