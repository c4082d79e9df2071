"""Named figures, the placeholders that put them into prose, and the claims typed in prose.

Every amount, share, change and count a budget publishes has a name here (`total`,
`income.其他收入`, `share.basic`, `project.lianqin.一般公共预算`, `table.03.2120199.basic` …).
Prose refers to them as `{{name}}`; a figure typed as a literal number is a *claim*, checked
against all of them. `{{literal: 5%}}` marks text that only looks like a budget figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .ledger import APPROPRIATIONS, Ledger, project_amount
from .model import Budget
from .money import ZERO, UNIT_FACTORS, percent, prose_amount, prose_percent, round_half_up
from .tables import Table

AMOUNT, PERCENT, COUNT = "amount", "percent", "count"
SOURCES = ("财政拨款",) + APPROPRIATIONS + ("事业收入", "事业单位经营收入", "上级补助收入", "其他收入", "上年结转")


@dataclass(frozen=True)
class Figure:
    kind: str
    value: Decimal | None  # amounts in yuan; percentages exact (rounded only when shown)

    def show(self, lang: str, unit: str) -> str:
        if self.kind == AMOUNT:
            return prose_amount(self.value, unit, lang)
        if self.kind == PERCENT:
            return prose_percent(None if self.value is None else round_half_up(self.value))
        return str(self.value)


def _exact_share(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == ZERO else part * 100 / whole


def build_figures(ledger: Ledger, tables: dict[str, Table], last_year_total: Decimal) -> dict[str, Figure]:
    b: Budget = ledger.budget
    f: dict[str, Figure] = {}

    def amount(key: str, value: Decimal) -> None:
        f[key] = Figure(AMOUNT, value)

    def share(key: str, part: Decimal, whole: Decimal) -> None:
        f[key] = Figure(PERCENT, _exact_share(part, whole))

    total = ledger.total
    amount("total", total)
    for source in SOURCES:
        amount(f"income.{source}", ledger.by_source(source))
        share(f"share.income.{source}", ledger.by_source(source), total)
    basic = ledger.sum(lambda line: line.is_basic)
    project = total - basic
    amount("basic", basic)
    amount("project", project)
    amount("basic.personnel", ledger.sum(lambda line: line.is_basic and line.is_personnel))
    amount("basic.public", ledger.sum(lambda line: line.is_basic and not line.is_personnel))
    share("share.basic", basic, total)
    share("share.project", project, total)
    for source in APPROPRIATIONS:
        amount(f"{source}.basic", ledger.sum(lambda line: line.source == source and line.is_basic))
        amount(f"{source}.project", ledger.sum(lambda line: line.source == source and not line.is_basic))

    for code in ledger.functions_used():
        under = [line for line in ledger.lines if line.function.startswith(code)]
        amount(f"function.{code}", ledger.sum(lines=under))
        amount(f"function.{code}.basic", ledger.sum(lambda line: line.is_basic, under))
        amount(f"function.{code}.project", ledger.sum(lambda line: not line.is_basic, under))
        for source in {line.source for line in under}:
            amount(f"function.{code}.{source}", ledger.sum(lambda line: line.source == source, under))
            amount(f"function.{code}.{source}.basic", ledger.sum(lambda line: line.source == source and line.is_basic, under))
            amount(f"function.{code}.{source}.project",
                   ledger.sum(lambda line: line.source == source and not line.is_basic, under))
    general_basic = [line for line in ledger.lines if line.is_basic and line.source == "一般公共预算"]
    for code in sorted({line.economic[:n] for line in general_basic for n in (3, 5)}):
        amount(f"economic.{code}", ledger.sum(lambda line: line.economic.startswith(code), general_basic))

    for p in b.projects:
        this_year = project_amount(p)
        amount(f"project.{p.id}", this_year)
        for source, value in p.funding.items():
            amount(f"project.{p.id}.{source}", value)
        if p.form:
            amount(f"project.{p.id}.total_budget", p.form.total_budget)
            amount(f"project.{p.id}.sub_items", sum((s.amount for s in p.form.sub_items), ZERO))
            if p.form.last_year_budget is not None:
                amount(f"project.{p.id}.last_year_budget", p.form.last_year_budget)
            if p.form.last_year_executed is not None:
                amount(f"project.{p.id}.last_year_executed", p.form.last_year_executed)
    f["projects.count"] = Figure(COUNT, Decimal(len(b.projects)))
    with_form = [p for p in b.projects if p.form]
    performance = sum((project_amount(p) for p in with_form), ZERO)
    f["performance.count"] = Figure(COUNT, Decimal(len(with_form)))
    amount("performance.amount", performance)
    share("performance.share", performance, project)

    amount("procurement.total", sum((i.amount for i in b.procurement), ZERO))
    for category in ("货物", "工程", "服务"):
        amount(f"procurement.{category}", sum((i.amount for i in b.procurement if i.category == category), ZERO))
    amount("procurement.sme", sum((i.reserved_sme for i in b.procurement), ZERO))
    amount("procurement.micro", sum((i.reserved_micro for i in b.procurement), ZERO))

    three = tables["09"].rows[0].values
    last = b.last_year.three_public
    last_three = {
        "total": last.outbound + last.reception + last.vehicle_purchase + last.vehicle_operation,
        "outbound": last.outbound,
        "reception": last.reception,
        "vehicle": last.vehicle_purchase + last.vehicle_operation,
        "vehicle_purchase": last.vehicle_purchase,
        "vehicle_operation": last.vehicle_operation,
    }
    for key, value in last_three.items():
        amount(f"three_public.{key}", three[key])
        amount(f"last_year.three_public.{key}", value)
        amount(f"change.three_public.{key}", abs(three[key] - value))
    if ledger.operating_costs is not None:
        amount("operating_costs", ledger.operating_costs)
        if b.last_year.operating_costs is not None:
            amount("last_year.operating_costs", b.last_year.operating_costs)
            amount("change.operating_costs", abs(ledger.operating_costs - b.last_year.operating_costs))
            share("change.operating_costs.pct", abs(ledger.operating_costs - b.last_year.operating_costs),
                  b.last_year.operating_costs)

    amount("last_year.total", last_year_total)
    amount("change.total", abs(total - last_year_total))
    share("change.total.pct", abs(total - last_year_total), last_year_total)

    for table in tables.values():
        for key, value in table.cells().items():
            amount(f"table.{key}", value)
    return f


# ---------------------------------------------------------------- placeholders

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
LITERAL = re.compile(r"^\s*literal\s*:\s*(.*?)\s*$", re.S)


@dataclass(frozen=True)
class Segment:
    text: str
    offset: int  # where the segment starts in the authored text
    checked: bool  # typed by the author (claims are checked) or produced by a placeholder


def split(text: str) -> list[tuple[str, int, str]]:
    """[(kind, offset, content)]: kind is 'text', 'figure', 'literal' or 'broken'."""
    parts = []
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        if m.start() > pos:
            parts.append(("text", pos, text[pos:m.start()]))
        inner = m.group(1)
        lit = LITERAL.match(inner)
        if lit:
            parts.append(("literal", m.start(), lit.group(1)))
        elif re.fullmatch(r"\s*[^\s{}]+\s*", inner):
            parts.append(("figure", m.start(), inner.strip()))
        else:
            parts.append(("broken", m.start(), m.group(0)))
        pos = m.end()
    rest = text[pos:]
    if "{{" in rest or "}}" in rest:
        cut = rest.find("{{") if "{{" in rest else rest.find("}}")
        parts.append(("text", pos, rest[:cut]))
        parts.append(("broken", pos + cut, rest[cut:cut + 30]))
    elif rest:
        parts.append(("text", pos, rest))
    return parts


def expand(text: str, lang: str, unit: str, figures: dict[str, Figure]) -> str:
    """Text with every placeholder replaced. Unknown names were reported by `check_prose`."""
    out = []
    for kind, _, content in split(text):
        if kind == "figure":
            figure = figures.get(content)
            out.append(figure.show(lang, unit) if figure else f"{{{{{content}}}}}")
        else:
            out.append(content)
    return "".join(out)


# ---------------------------------------------------------------- claims in prose

NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
MONEY_ZH = re.compile(NUMBER + r"\s*(亿元|万元|元)")
MONEY_EN = re.compile(r"(?:RMB|CNY|¥)\s*" + NUMBER + r"(?:\s*(million|billion))?|" + NUMBER + r"\s*(million|billion)?\s*yuan", re.I)
PERCENT_RE = re.compile(NUMBER + r"\s*[%％]")
COUNT_RE = re.compile(r"(\d+)\s*个项目|项目\s*(\d+)\s*个|\b(\d{1,3})\s+projects?\b", re.I)
SCALE = {"亿元": Decimal(10) ** 8, "万元": UNIT_FACTORS["万元"], "元": Decimal(1),
         "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9, None: Decimal(1), "": Decimal(1)}


@dataclass(frozen=True)
class Claim:
    kind: str
    written: str
    number: Decimal  # as written, in `scale`
    scale: Decimal
    offset: int

    @property
    def places(self) -> int:
        digits = re.search(NUMBER, self.written).group(1)
        return len(digits.split(".")[1]) if "." in digits else 0


def find_claims(text: str) -> list[Claim]:
    claims = []
    for m in MONEY_ZH.finditer(text):
        claims.append(Claim(AMOUNT, m.group(0), Decimal(m.group(1).replace(",", "")), SCALE[m.group(2)], m.start()))
    for m in MONEY_EN.finditer(text):
        number, scale = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        claims.append(Claim(AMOUNT, m.group(0).strip(), Decimal(number.replace(",", "")), SCALE[(scale or "").lower() or None], m.start()))
    for m in PERCENT_RE.finditer(text):
        claims.append(Claim(PERCENT, m.group(0), Decimal(m.group(1).replace(",", "")), Decimal(1), m.start()))
    for m in COUNT_RE.finditer(text):
        number = next(g for g in m.groups() if g)
        claims.append(Claim(COUNT, m.group(0), Decimal(number), Decimal(1), m.start()))
    return claims


def matches(claim: Claim, figures: dict[str, Figure]) -> bool:
    """Does any computed figure, rounded half-up to the precision written, equal the claim?"""
    places = claim.places
    for figure in figures.values():
        if figure.kind != claim.kind or figure.value is None:
            continue
        value = figure.value / claim.scale if claim.kind == AMOUNT else figure.value
        if round_half_up(value, places) == claim.number:
            return True
    return False
