"""Read the figures back from a rendered page and reconcile them again.

Templates mark every amount cell `data-cell="key"` and every figure in prose
`data-figure="name"`. Here the rendered HTML is parsed, each displayed figure is compared
with what the ledger says should be displayed, and the identities are run again on the
figures as displayed, so that a template bug cannot publish.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

from generator.compute.budget import DepartmentBudget
from generator.core.diagnostics import Issue, Location, issue
from generator.core.display import money_text
from generator.core.labels import Label
from generator.core.money import ZERO
from generator.outputs import glance_check
from generator.present.glance import all_figures
from generator.reconcile.checks import Report, run
from generator.reconcile.report import relation


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: dict[str, str] = {}
        self.duplicates: list[str] = []
        self.figures: list[tuple[str, str]] = []
        self._open: list[tuple[str, str, list[str], int]] = []  # (kind, keys, text parts, depth)
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        self._depth += 1
        a = dict(attrs)
        if "data-cell" in a:
            self._open.append(("cell", a["data-cell"], [], self._depth))
        elif "data-figure" in a:
            self._open.append(("figure", a["data-figure"], [], self._depth))

    def handle_endtag(self, tag):
        if self._open and self._open[-1][3] == self._depth:
            kind, keys, parts, _ = self._open.pop()
            text = "".join(parts).strip()
            if kind == "cell":
                for key in keys.split():
                    if key in self.cells:
                        self.duplicates.append(key)
                    self.cells[key] = text
            else:
                self.figures.append((keys, text))
        self._depth -= 1

    def handle_data(self, data):
        for _, _, parts, _ in self._open:
            parts.append(data)


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


def read_page(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def verify(db: DepartmentBudget, report: Report, html: str, lang: str, what: str) -> list[Issue]:
    """Issues for every figure of a rendered page (`what` names it) that differs from the ledger."""
    where = Location(what)
    page = read_page(html)
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

    found += glance_check.verify(db, html, lang, what)

    # The identities again, on the figures as displayed; other figures come from the ledger.
    as_displayed = {**{k: v for k, v in db.shown.items() if k not in expected}, **rendered}
    computed = {(o.check.id, o.comparison.key): o for o in report.outcomes}
    for o in run(as_displayed, as_displayed, factor=lambda keys: max((rule.factor_of(k) for k in keys), default=1)):
        before = computed.get((o.check.id, o.comparison.key))
        same_as_computed = before is not None and (o.left_shown, o.right_shown) == (before.left_shown, before.right_shown)
        if o.status == "mismatch" and not same_as_computed:
            displayed = Label(o.comparison.name.zh + "（按页面显示）", o.comparison.name.en + " (as displayed)")
            found.append(issue("E301", where, name=displayed,
                               left=money_text(o.left), right=money_text(o.right), op=relation(o.comparison.at_most),
                               diff=money_text(abs(o.left - o.right))))
    return found
