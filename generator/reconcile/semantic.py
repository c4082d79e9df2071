"""Semantic checks: data that is valid and reconciles, but says something that cannot be right.

Each check is a small function that yields Issues at the place to fix; `check()` runs them
all on one computed budget. The identities between tables are in checks.py; these look at
what the tables cannot see (a 三公 spending typed only as a line item, a form's dates, a
reason that contradicts its figure, text that was never filled in).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

import yaml

from generator.catalogue import HERE as CATALOGUE_DIR
from generator.compute.ledger import APPROPRIATIONS
from generator.core import vocab
from generator.core.diagnostics import Issue, issue
from generator.core.labels import Label
from generator.core.money import ZERO, grouped
from generator.load.documents import walk_document
from generator.load.model import walk

if TYPE_CHECKING:
    from generator.compute.budget import DepartmentBudget

# ---------------------------------------------------------------- 三公 typed as line items

# The economic 款 that are 三公 spending, and the three_public kind (table 09 column) of each.
THREE_PUBLIC_CODES = {
    "30212": ("因公出国(境)费", Label("因公出国（境）费", "official travel abroad")),
    "30217": ("公务接待费", Label("公务接待费", "official hospitality")),
    "30231": ("公务用车运行费", Label("公务用车运行费", "official vehicle operation")),
    "31013": ("公务用车购置费", Label("公务用车购置费", "official vehicle purchase")),
}


def _yuan(value: Decimal) -> Label:
    return Label(f"{grouped(value)}元", f"RMB {grouped(value)}")


def three_public_lines(db: DepartmentBudget) -> Iterator[Issue]:
    """E220: basic lines on a 三公 code that three_public does not cover.

    Table 09 is the 财政拨款 三公 (section 六: "三公经费财政拨款预算"), typed in three_public;
    tables 05/08 show the line items. Basic lines on the code paid from appropriations are
    三公 spending, so they cannot exceed that kind's three_public amount. (Projects may carry
    三公 spending that no economic code shows, so three_public may be larger, never smaller.)
    """
    for code, (kind, kind_label) in THREE_PUBLIC_CODES.items():
        rows = [i for i, b in enumerate(db.budget.basic) if b.economic == code and b.source in APPROPRIATIONS]
        basic = sum((db.budget.basic[i].amount for i in rows), ZERO)
        stated = db.ledger.three_public(kind)
        if rows and basic > stated:
            yield issue("E220", db.where(("basic", rows[0], "economic")), code=code,
                        name=Label(db.ledger.catalogue.economic[code].zh, db.ledger.catalogue.economic[code].en),
                        basic=_yuan(basic), kind=kind_label, stated=_yuan(stated))


# ---------------------------------------------------------------- 机关运行经费


def operating_costs(db: DepartmentBudget) -> Iterator[Issue]:
    """W221: a 行政/参公 unit whose 机关运行经费 (一般公共预算 basic 公用经费) is zero.

    A warning, not an error: the published figures still agree with each other (table 09 and
    section 六 both say 0), and a unit whose running costs are borne by another (a shared
    office paid by the supervisor) exists; but it is far more often a 公用经费 line typed
    with the wrong source, or the wrong department.kind.
    """
    if db.ledger.operating_costs == ZERO:
        part = next(p for p in db.budget.parts if vocab.unit_kind(p.kind).operating_costs)
        where = db.where(("units", part.path[1], "kind") if part.path else ("department", "kind"))
        yield issue("W221", where, kind=part.kind)


# ---------------------------------------------------------------- function × economic


@cache
def pairing_rules() -> dict[str, tuple[str, ...]]:
    """economic 款 code -> the functional prefixes it belongs under (catalogue/pairings.yaml)."""
    data = yaml.safe_load((CATALOGUE_DIR / "pairings.yaml").read_text(encoding="utf-8"))
    return {str(code): tuple(str(p) for p in rule["allowed"]) for code, rule in data.items()}


def pairings(db: DepartmentBudget) -> Iterator[Issue]:
    """W222: a basic line whose economic code belongs under other functional codes."""
    cat = db.ledger.catalogue
    rules = pairing_rules()
    for i, line in enumerate(db.budget.basic):
        allowed = rules.get(line.economic)
        if allowed and not line.function.startswith(allowed):
            names = Label(" / ".join(f"{p} {cat.functional[p].zh}" for p in allowed),
                          " / ".join(f"{p} {cat.functional[p].en}" for p in allowed))
            yield issue("W222", db.where(("basic", i, "function")), economic=line.economic,
                        economic_name=Label(cat.economic[line.economic].zh, cat.economic[line.economic].en),
                        function=line.function,
                        function_name=Label(cat.functional[line.function].zh, cat.functional[line.function].en),
                        allowed=names)


# ---------------------------------------------------------------- reasons against the data

# reason field -> (the figure it explains, its name in a message)
REASON_FIGURES = {
    "income": ("total", Label("收入总额", "total revenue")),
    "expenditure": ("total", Label("支出总额", "total expenditure")),
    "three_public": ("three_public.total", Label("“三公”经费", "the three public expenses")),
    "operating_costs": ("operating_costs", Label("机关运行经费", "agency operating costs")),
}
WORDS = {  # (lang, direction) -> words that state that direction
    ("zh", "up"): re.compile("增加|增长|新增|提高|上升|扩大|增幅|增设|加大"),
    ("zh", "down"): re.compile("减少|下降|压减|降低|缩减|减小|核减|削减|降幅"),
    ("en", "up"): re.compile(r"\b(increas\w*|rise|rises|rising|rose|grow\w*|grew|new|more|additional|higher"
                             r"|rais\w*|expan\w*|add\w*)\b", re.I),
    ("en", "down"): re.compile(r"\b(decreas\w*|reduc\w*|lower\w*|cut|cuts|fall\w*|fell|drop\w*|declin\w*|less|fewer)\b", re.I),
}
# A direction stated of the total itself ("收入减少", "expenditure falls"): contradicts even
# when the reason also names parts that move the other way.
SUBJECT_ZH = "(?:收入|支出|总额|预算|经费)(?:总额|总体|总量)?(?:有所|略有|大幅|相应)?"
SUBJECT_EN = r"\b(?:revenue|income|expenditure|spending|budget|total)s?\s+(?:is\s+|are\s+|was\s+|has\s+|have\s+)?"
STATED = {
    ("zh", "up"): re.compile(SUBJECT_ZH + "(?:增加|增长|上升|提高)"),
    ("zh", "down"): re.compile(SUBJECT_ZH + "(?:减少|下降|降低)"),
    ("en", "up"): re.compile(SUBJECT_EN + r"(?:increas|ris|rose|grow|grew)\w*", re.I),
    ("en", "down"): re.compile(SUBJECT_EN + r"(?:decreas|reduc|fall|fell|drop|declin)\w*", re.I),
}
DIRECTION_WORDS = {"up": Label("增加", "rose"), "down": Label("减少", "fell")}


def _opposite(text: str, lang: str, direction: str) -> re.Match | None:
    """Where `text` states the direction opposite to `direction`, if it does."""
    other = "down" if direction == "up" else "up"
    stated = STATED[(lang, other)].search(text)
    if stated:
        return stated
    if WORDS[(lang, direction)].search(text) is None:
        return WORDS[(lang, other)].search(text)
    return None


def reasons(db: DepartmentBudget) -> Iterator[Issue]:
    """W223: a reason that says 减少 where the figure rose, or 增加 where it fell.

    A warning: reading free text is a heuristic (a reason may name decreases of parts, which
    is why a reason with words of both directions passes unless it states the total's
    direction), so it must not block a correct file; `--strict` makes it fatal.
    """
    for field, (key, name) in REASON_FIGURES.items():
        reason = getattr(db.budget.reasons, field)
        if reason is None or key not in db.figures or f"last_year.{key}" not in db.figures:
            continue
        change = db.figures[key].value - db.figures[f"last_year.{key}"].value
        if change == ZERO:
            continue
        direction = "up" if change > 0 else "down"
        for lang in ("zh", "en"):
            text = getattr(reason, lang)
            if text is None:  # a pending translation
                continue
            found = _opposite(text, lang, direction)
            if found:
                path = db.budget.file_path(("reasons", field, lang))
                yield issue("W223", db.source.positions.within(path, text, found.start()),
                            figure=name, direction=DIRECTION_WORDS[direction], word=found.group(0))


# ---------------------------------------------------------------- performance forms


def form_periods(db: DepartmentBudget) -> Iterator[Issue]:
    """E224: a form whose implementation period does not overlap the budget year."""
    first, last = dt.date(db.year, 1, 1), dt.date(db.year, 12, 31)
    for i, p in enumerate(db.budget.projects):
        form = p.form
        if form is None or form.end < form.start:  # an inverted period is E207's
            continue
        if form.end < first or form.start > last:
            at = "end" if form.end < first else "start"
            yield issue("E224", db.where(("projects", i, "form", at)), start=form.start, end=form.end, year=db.year)


# ---------------------------------------------------------------- placeholder text

# Text left to be filled in. XX only as a word of its own (not in "XXL"); … in any length.
PLACEHOLDER = re.compile(
    r"…+|(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])|待填写|待补充|[（(]略[）)]"
    r"|(?<![A-Za-z])(?:TODO|TBD)(?![A-Za-z])|[?？]{3,}"
)
NOT_TEXT = {"slug", "id", "project", "function", "economic"}  # identifiers, not published words


def published_strings(obj: object, here: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string of a budget that a reader sees, with its data path."""
    return walk(obj, str, NOT_TEXT, here)


def placeholders(db: DepartmentBudget) -> Iterator[Issue]:
    """W225: placeholder text (……, XX, 待填写, （略）, TODO …) in anything that publishes."""
    for path, text in walk_document(db.budget, str, NOT_TEXT):
        for found in PLACEHOLDER.finditer(text):
            yield issue("W225", db.source.positions.within(path, text, found.start()), text=found.group(0))


CHECKS = (three_public_lines, operating_costs, pairings, reasons, form_periods, placeholders)


def check(db: DepartmentBudget) -> list[Issue]:
    return [found for run in CHECKS for found in run(db)]
