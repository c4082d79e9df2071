"""Read the figures back from a rendered page and reconcile them again.

Templates mark every amount cell `data-cell="key"` and every figure in prose
`data-figure="name"`. Here the rendered HTML is parsed, each displayed figure is compared
with what the ledger says should be displayed, and the identities are run again on the
figures as displayed, so that a template bug cannot publish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lxml import etree

from generator.compute.budget import DepartmentBudget
from generator.core.diagnostics import Issue, Location, issue
from generator.core.display import money_text
from generator.core.labels import Label
from generator.core.money import ZERO
from generator.outputs import glance_check
from generator.present.glance import all_figures
from generator.reconcile.checks import Report, run
from generator.reconcile.report import relation


@dataclass
class Collected:
    """What a page shows: every amount cell by key, keys marked twice, and the figures in prose in order."""

    cells: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)

    def __add__(self, other: Collected) -> Collected:
        """Two parts of one page (a fragment read once, and the rest of the page around it)."""
        both = Collected(dict(self.cells), self.duplicates + other.duplicates, self.figures + other.figures)
        for key, text in other.cells.items():
            if key in both.cells:
                both.duplicates.append(key)
            both.cells[key] = text
        return both


# libxml2's HTML parser (lxml): the text of an element is all text inside it, comments left out.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)
_MARKED = etree.XPath("//*[@data-cell or @data-figure]")


_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?")


def parse_amount(text: str, factor: Decimal) -> Decimal:
    """A displayed amount back in yuan: '' is zero, '4,829.15' in 万元 is 48291500.

    Anything else ('NaN', '1e5', '-3', '5,37.00', '5370万元') raises InvalidOperation.
    """
    text = text.strip()
    if text in ("", "-", "—"):
        return ZERO
    if not _AMOUNT.fullmatch(text):
        raise InvalidOperation(text)
    return Decimal(text.replace(",", "")) * factor


def read_page(html: str) -> Collected:
    """The cells (`data-cell`, an element may carry several keys) and figures (`data-figure`) of a page."""
    found = Collected()
    if not html.strip():
        return found
    root = etree.fromstring(html, _PARSER)
    if root is None:
        return found
    for el in _MARKED(root):
        text = "".join(el.itertext()).strip()
        keys = el.get("data-cell")
        if keys is not None:
            for key in keys.split():
                if key in found.cells:
                    found.duplicates.append(key)
                found.cells[key] = text
        else:
            found.figures.append((el.get("data-figure"), text))
    return found


def read_around(html: str, fragment: str, part: Collected) -> Collected:
    """A page that contains `fragment` (already read: `part`): only the rest of it is parsed."""
    if not fragment or fragment not in html:
        return read_page(html)
    return part + read_page(html.replace(fragment, "", 1))


def verify(db: DepartmentBudget, report: Report, html: str | Collected, lang: str, what: str,
           whole: str | None = None) -> list[Issue]:
    """Issues for every figure of a rendered page (`what` names it; the page, or what was read of it
    with the `whole` page for its charts) that differs from the ledger."""
    where = Location(what)
    page = read_page(html) if isinstance(html, str) else html
    found: list[Issue] = []
    rule = db.display
    rendered: dict[str, Decimal] = {}
    for key, text in page.cells.items():
        try:
            rendered[key] = parse_amount(text, rule.factor_of(key))
        except InvalidOperation:
            found.append(issue("E309", where, key=key, text=text))
    for key in sorted(set(page.duplicates)):
        found.append(issue("E320", where, key=key))

    expected = {k: v for k, v in db.shown.items() if not k.startswith(("project.", "procurement."))}
    for key, value in expected.items():
        if key not in rendered:
            found.append(issue("E321", where, key=key, expected=money_text(value)))
        elif rendered[key] != value:
            found.append(issue("E322", where, key=key, shown=money_text(rendered[key]), expected=money_text(value)))
    for key in sorted(set(rendered) - set(expected)):
        found.append(issue("E323", where, key=key))

    known = all_figures(db)  # the named figures and the shares the at-a-glance block shows
    for name, text in page.figures:
        figure = known.get(name)
        want = figure.show(lang, rule) if figure else None
        if text != want:
            found.append(issue("E324", where, name=name, text=text, expected=want))

    found += glance_check.verify(db, html if isinstance(html, str) else whole or "", lang, what)

    # The identities again, on the figures as displayed; other figures come from the ledger.
    for o in _displayed_mismatches(db, report, rendered, frozenset(expected)):
        displayed = Label(o.comparison.name.zh + "（按页面显示）", o.comparison.name.en + " (as displayed)")
        found.append(issue("E301", where, name=displayed,
                           left=money_text(o.left), right=money_text(o.right), op=relation(o.comparison.at_most),
                           diff=money_text(abs(o.left - o.right))))
    return found


# The last document's identities as displayed: its page and its PDF (and mostly its other language)
# display the same cells, so the identities run once for them.
_LAST: list = [None, None, None, []]


def _displayed_mismatches(db: DepartmentBudget, report: Report, rendered: dict[str, Decimal], expected: frozenset) -> list:
    key = (frozenset(rendered.items()), expected)
    if _LAST[0] is db and _LAST[1] is report and _LAST[2] == key:
        return _LAST[3]
    rule = db.display
    as_displayed = {**{k: v for k, v in db.shown.items() if k not in expected}, **rendered}
    computed = {(o.check.id, o.comparison.key): o for o in report.outcomes}
    found = []
    factors: dict = {}  # a comparison's keys -> the factor they are compared at (many comparisons share them)

    def factor(keys):
        f = factors.get(keys)
        if f is None:
            f = factors[keys] = max((rule.factor_of(k) for k in keys), default=1)
        return f

    for o in run(as_displayed, as_displayed, factor=factor):
        before = computed.get((o.check.id, o.comparison.key))
        same_as_computed = before is not None and (o.left_shown, o.right_shown) == (before.left_shown, before.right_shown)
        if o.status == "mismatch" and not same_as_computed:
            found.append(o)
    _LAST[:] = [db, report, key, found]
    return found
