"""Named figures, the placeholders that put them into prose, and the claims typed in prose.

Every amount, share, change and count a budget publishes has a name here (`total`,
`income.其他收入`, `share.basic`, `project.lianqin.一般公共预算`, `table.03.2120199.basic` …).
Prose refers to them as `{{name}}`; a figure typed as a literal number is a *claim*, checked
against all of them. `{{literal: 5%}}` marks text that only looks like a budget figure.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from generator.compute.ledger import APPROPRIATIONS, Ledger, project_amount, project_sources
from generator.compute.tables import Table
from generator.core import vocab
from generator.core.display import DisplayRule
from generator.core.money import MILLION, UNIT_FACTORS, ZERO, prose_amount, prose_percent, round_half_up
from generator.core.numerals import NUMERAL
from generator.core.numerals import parse as parse_numeral
from generator.core.placeholders import LITERAL, PLACEHOLDER, STRAY, Segment, split  # noqa: F401 (re-exported)
from generator.load.documents import Document

AMOUNT, PERCENT, COUNT = "amount", "percent", "count"
SOURCES = vocab.source_keys()


@dataclass(frozen=True)
class Figure:
    kind: str
    value: Decimal | None  # amounts in yuan; percentages exact (rounded only when shown)

    def show(self, lang: str, unit: str | DisplayRule) -> str:
        """As prose prints it: in `unit` (ungrouped), or as a display rule says (its prose unit and grouping)."""
        if self.kind == AMOUNT:
            if isinstance(unit, DisplayRule):
                return unit.prose_text(self.value, lang)
            return prose_amount(self.value, unit, lang)
        if self.kind == PERCENT:
            return prose_percent(None if self.value is None else round_half_up(self.value))
        return str(self.value)


def _exact_share(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == ZERO else part * 100 / whole


THREE_PUBLIC_KEYS = ("total", "outbound", "reception", "vehicle", "vehicle_purchase", "vehicle_operation")


def has_targets(project) -> bool:
    """绩效目标 set: as declared, or (not declared) when the project has a form."""
    return project.performance if project.performance is not None else project.form is not None


@dataclass(frozen=True)
class LastYearFigures:
    """Last year's amounts this year's are compared with ("total", "source.事业收入",
    "function.2010301", "three_public.outbound", "operating_costs"), each in yuan."""

    values: dict[str, Decimal]


def _compare(f: dict[str, Figure], last_year: LastYearFigures, now: dict[str, Decimal]) -> None:
    """last_year.X, change.X and change.X.pct for every X known this year and last year. A code
    or source with money last year only is compared with 0 this year."""
    keys = set(now) | {k for k in last_year.values if k.startswith(("source.", "function."))}
    for key in sorted(keys):
        if key not in last_year.values:
            continue
        before, after = last_year.values[key], now.get(key, ZERO)
        f[f"last_year.{key}"] = Figure(AMOUNT, before)
        f[f"change.{key}"] = Figure(AMOUNT, abs(after - before))
        f[f"change.{key}.pct"] = Figure(PERCENT, _exact_share(abs(after - before), before))


def build_figures(ledger: Ledger, tables: dict[str, Table], last_year: LastYearFigures) -> dict[str, Figure]:
    b: Document = ledger.budget
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
    for kind in vocab.EXPENDITURE_KINDS:  # basic, project, upper …
        amount(kind.key, ledger.sum(kind.test))
        share(f"share.{kind.key}", ledger.sum(kind.test), total)
        for source in APPROPRIATIONS:
            amount(f"{source}.{kind.key}", ledger.sum(lambda line, t=kind.test: line.source == source and t(line)))
    project = ledger.sum(lambda line: line.kind == "project")
    amount("basic.personnel", ledger.sum(lambda line: line.is_basic and line.is_personnel))
    amount("basic.public", ledger.sum(lambda line: line.is_basic and not line.is_personnel))

    for code in ledger.functions_used():
        under = [line for line in ledger.lines if line.function.startswith(code)]
        amount(f"function.{code}", ledger.sum(lines=under))
        amount(f"function.{code}.basic", ledger.sum(lambda line: line.is_basic, under))
        amount(f"function.{code}.project", ledger.sum(lambda line: line.kind == "project", under))
        amount(f"function.{code}.财政拨款", ledger.sum(lambda line: line.source in APPROPRIATIONS, under))  # the three together
        for source in sorted({line.source for line in under}):
            amount(f"function.{code}.{source}", ledger.sum(lambda line: line.source == source, under))
            amount(f"function.{code}.{source}.basic", ledger.sum(lambda line: line.source == source and line.is_basic, under))
            amount(f"function.{code}.{source}.project",
                   ledger.sum(lambda line: line.source == source and line.kind == "project", under))
    general_basic = [line for line in ledger.lines if line.is_basic and line.source == "一般公共预算"]
    for code in sorted({line.economic[:n] for line in general_basic for n in (3, 5)}):
        amount(f"economic.{code}", ledger.sum(lambda line: line.economic.startswith(code), general_basic))

    for p in b.projects:
        this_year = project_amount(p)
        amount(f"project.{p.id}", this_year)
        for source, value in project_sources(p).items():
            amount(f"project.{p.id}.{source}", value)
        if p.form:
            amount(f"project.{p.id}.total_budget", p.form.total_budget)
            amount(f"project.{p.id}.sub_items", sum((s.amount for s in p.form.sub_items), ZERO))
            if p.form.last_year_budget is not None:
                amount(f"project.{p.id}.last_year_budget", p.form.last_year_budget)
            if p.form.last_year_executed is not None:
                amount(f"project.{p.id}.last_year_executed", p.form.last_year_executed)
    f["projects.count"] = Figure(COUNT, Decimal(sum(p.count for p in b.projects)))
    kinds = b.unit_kinds  # the units the document covers, merged ones included: 行政单位1家，事业单位1家
    f["units.count"] = Figure(COUNT, Decimal(sum(kinds.values())))
    for kind in vocab.UNIT_KINDS_KEYS:
        f[f"units.{kind}"] = Figure(COUNT, Decimal(kinds.get(kind, 0)))
    with_targets = [p for p in b.projects if has_targets(p)]
    performance = sum((project_amount(p) for p in with_targets), ZERO)
    f["performance.count"] = Figure(COUNT, Decimal(sum(p.count for p in with_targets)))
    amount("performance.amount", performance)
    share("performance.share", performance, project)

    amount("procurement.total", sum((i.amount for i in b.procurement), ZERO))
    for category in ("货物", "工程", "服务"):
        amount(f"procurement.{category}", sum((i.amount for i in b.procurement if i.category == category), ZERO))
    amount("procurement.sme", sum((i.reserved_sme for i in b.procurement), ZERO))
    amount("procurement.micro", sum((i.reserved_micro for i in b.procurement), ZERO))

    three = tables["09"].rows[0].values
    for key in THREE_PUBLIC_KEYS:
        amount(f"three_public.{key}", three[key])
    if ledger.operating_costs is not None:
        amount("operating_costs", ledger.operating_costs)
    _compare(f, last_year, {"total": total, **{f"source.{s}": ledger.by_source(s) for s in SOURCES},
                            **{f"function.{c}": f[f"function.{c}"].value for c in ledger.functions_used()},
                            **{f"three_public.{k}": three[k] for k in THREE_PUBLIC_KEYS},
                            **({"operating_costs": ledger.operating_costs} if ledger.operating_costs is not None else {})})

    for table in tables.values():
        for key, value in table.cells().items():
            amount(f"table.{key}", value)
    return f


def expand(text: str, lang: str, unit: str | DisplayRule, figures: dict[str, Figure]) -> str:
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
#
# A claim is a number with a money unit (万元, 元, RMB … million …), a percentage or a count of
# projects typed in prose. Numbers that are not figures are left alone: years (2024年), dates,
# document numbers (〔2020〕17号), durations (24 小时), and bounds and thresholds
# (价值50万元以上, ≥90%, worth RMB 0.5 million or more), which state a limit, not an amount, and
# rates (3元/平方米, RMB 3 per square metre).

# A number starts at a digit that does not continue another number ("1234,567万元" is no claim
# of 234,567万元); thousands are grouped with ",", the decimals follow ".".
NUMBER = r"(?<!\d)(?<!\d[.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_EMPHASIS = r"(?:\*{1,3}|_{1,3})?"  # Markdown emphasis between a number and its unit: **5370**万元
MONEY_ZH = re.compile(NUMBER + _EMPHASIS + r"\s*(亿元|千万元|百万元|万元|千元|元)")
MONEY_EN = re.compile(
    r"(?:(?<![A-Za-z])(?:RMB|CNY)|[¥￥])\s*" + NUMBER + _EMPHASIS
    + r"(?:\s*(million|billion|thousand|mn|bn|m|k)\b)?"
    + r"|" + NUMBER + _EMPHASIS + r"\s*(million|billion|ten thousand|thousand)?\s*yuan(?![A-Za-z])",
    re.I,
)
PERCENT_RE = re.compile(NUMBER + _EMPHASIS + r"\s*(?:[%％]|per\s?cent\b|percent\b)|百分之\s*" + NUMBER, re.I)
COUNT_RE = re.compile(
    r"(?<!第)(?<!\d)(?<!\d[.,])(\d+)\s*个项目(?!组|点|部|经理|库|区|负责人|单位|子)"
    + r"|项目(?:数|个数|总数)?(?:为|共|有|共有)?\s*(\d+)\s*个(?![\u4e00-\u9fff])"
    + r"|(?<![\d.,])\b(\d{1,3})\s+projects?\b"
    + r"(?![-\s]+(?:managers?|teams?|sites?|officers?|leaders?|offices?|staff|units?|areas?)\b)",
    re.I,
)
# Chinese numerals: 五千七百一十五万元, 一千二百三十四点五六万元, 百分之十二, 三个项目. Not after 第
# (ordinals), 数/几/上/成 (数十万元, 上千万元: no amount), or inside another numeral.
_CN_BEFORE = r"(?<![第数几上成每零〇一二两三四五六七八九十百千万亿点])"
MONEY_CN = re.compile(_CN_BEFORE + "(" + NUMERAL + ")" + _EMPHASIS + r"\s*(亿元|万元|元)(?![化素论次])")
PERCENT_CN = re.compile(_CN_BEFORE + "(" + NUMERAL + r")\s*[%％]|百分之\s*(" + NUMERAL + ")")
# 一个项目 is "a project" far more often than a count of one: only two and more are read.
COUNT_CN = re.compile(
    _CN_BEFORE + "(" + NUMERAL + r")\s*[个项]项目(?!组|点|部|经理|库|区|负责人|单位|子)"
    + r"|项目(?:数|个数|总数)?(?:为|共|有|共有)?\s*(" + NUMERAL + r")\s*[个项](?![\u4e00-\u9fff])"
)
SCALE = {"亿元": Decimal(10) ** 8, "千万元": Decimal(10) ** 7, "百万元": Decimal(10) ** 6, "万元": UNIT_FACTORS["万元"],
         "千元": Decimal(1000), "元": Decimal(1), "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "m": Decimal(10) ** 6,
         "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "thousand": Decimal(1000), "k": Decimal(1000),
         "ten thousand": Decimal(10) ** 4,
         None: Decimal(1), "": Decimal(1)}

# A limit, not an amount: "价值50万元以上", "≥90%", "不超过5%", "RMB 1 million or more".
# A bare < or > is a bound ("> 5%"); the end of an HTML tag ("<b>5%") is not.
_BOUND_BEFORE = re.compile(
    r"(?:[≥≤＞＜]|(?<![\w\"'/=-])[<>]|不低于|不少于|不超过|不高于|不大于|不小于|至少|最多|最高|最低|高于|低于|超过"
    r"|单价(?:在|为|达)?"  # a unit price is a threshold of the procurement rules, not an amount
    r"|\b(?:at least|at most|no less than|no more than|not less than|not more than|up to|more than|less than"
    r"|over|under|above|below|exceeding))\s*$",
    re.I,
)
# "100万元（含）以上", "100万元(不含)以下", "RMB 1 million (inclusive) or more" are limits too.
_BOUND_AFTER = re.compile(
    r"^\s*(?:[(（]\s*不?含\s*[)）])?\s*(?:及|或)?以[上下内]"
    r"|^\s*(?:\((?:inclusive|exclusive)\)\s*)?(?:or|and)\s+(?:more|above|over|less|below|under)\b", re.I)
# A rate, not an amount: "3元/平方米", "5元每吨", "RMB 3 per square metre".
_RATE_AFTER = re.compile(r"^\s*(?:/|／|每|per\b)", re.I)
# "in RMB 10,000" / "unit: RMB 10,000": the display unit, not an amount.
_UNIT_BEFORE = re.compile(r"(?:\bunits?(?:\s+of)?\s*[:：]?|\bin)\s*$", re.I)
# An approximation is checked at the precision written ("约5715万元"), an exact figure at the
# precision the site publishes (0.01万元, 0.01元, 0.01%).
_APPROXIMATE = re.compile(r"(?:约|大约|近|逾|将近|接近|\b(?:about|approximately|around|nearly|almost|some|roughly))\s*$", re.I)


@dataclass(frozen=True)
class Claim:
    kind: str
    written: str
    number: Decimal  # as written, in `scale`
    scale: Decimal
    offset: int
    digits: str = ""  # the number as typed, e.g. "5,715.29"
    approximate: bool = False
    english: bool = False  # written "RMB …", "… yuan", "¥…"

    @property
    def places(self) -> int:
        """Decimals written."""
        return len(self.digits.split(".")[1]) if "." in self.digits else 0

    @property
    def precision(self) -> int:
        """Decimals (in the claim's unit) at which a figure must equal the claim: the precision
        the site itself prints (money.py), so that a figure copied from the site passes.

        Chinese amounts are published to 0.01 of the display unit: 0.01万元 (100 元) or 0.01元. A
        figure typed in a large unit must equal the figure to 100 元 (5715.29万元; trailing zeros
        may be left out: 5370万元 is 5370.00万元); one typed in 元 or 千元 to the cent. English
        prose prints RMB 10,000 steps from a million up (RMB 57.15 million), and whole hundreds
        below it (RMB 35,700, a 万元 figure): an English claim in millions or billions must equal the
        figure to RMB 10,000 (RMB 57.1529 million, written finer, to the digits written); one in
        yuan below a million written in whole hundreds to RMB 100; other yuan to the cent.
        Percentages to 0.01%. An approximation only to the digits written.
        """
        if self.kind == COUNT:
            return 0
        if self.approximate:
            return self.places
        if self.kind == PERCENT:
            return max(self.places, 2)
        if self.english and self.scale >= MILLION:
            return max(self.places, -(Decimal(10000) / self.scale).adjusted())
        if self.english and self.scale == 1 and "." not in self.digits and self.digits.endswith("00") \
                and self.number < MILLION:
            return -2
        quantum = Decimal(100) if self.scale >= Decimal(10) ** 4 else Decimal("0.01")
        return max(self.places, -(quantum / self.scale).adjusted())


def _is_bound(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 20):start], text[end:end + 24]
    return bool(_BOUND_BEFORE.search(before) or _BOUND_AFTER.search(after))


def find_claims(text: str) -> list[Claim]:
    """Every amount, percentage and project count typed in `text` (bounds and thresholds excepted)."""
    return list(_claims(text))


@functools.lru_cache(maxsize=4096)
def _claims(text: str) -> tuple[Claim, ...]:
    """find_claims, read once per text: a text is read for its placeholders' labels and for its
    literal claims, and each document of a file checks the same prose."""
    claims = []

    def add(kind: str, m: re.Match, digits: str, scale: Decimal, english: bool = False) -> None:
        if _is_bound(text, m.start(), m.end()):
            return
        before = text[max(0, m.start() - 16):m.start()]
        if kind == AMOUNT and scale == 1 and digits == "10,000" and _UNIT_BEFORE.search(before):
            return
        if kind == AMOUNT and _RATE_AFTER.search(text[m.end():m.end() + 8]):
            return
        claims.append(Claim(kind, m.group(0).strip(), Decimal(digits.replace(",", "")), scale, m.start(), digits,
                            approximate=kind != COUNT and bool(_APPROXIMATE.search(before)), english=english))

    for m in MONEY_ZH.finditer(text):
        add(AMOUNT, m, m.group(1), SCALE[m.group(2)])
    for m in MONEY_EN.finditer(text):
        digits, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        add(AMOUNT, m, digits, SCALE[(unit or "").lower() or None], english=True)
    for m in PERCENT_RE.finditer(text):
        add(PERCENT, m, m.group(1) or m.group(2), Decimal(1))
    for m in COUNT_RE.finditer(text):
        add(COUNT, m, next(g for g in m.groups() if g), Decimal(1))
    for m in MONEY_CN.finditer(text):
        numeral, unit = m.group(1), m.group(2)
        value = parse_numeral(numeral)
        if value is None:
            continue
        scale = SCALE[unit]
        if unit == "元" and numeral[-1] in "万亿":  # 五千七百一十五万元 is 5715万元
            scale = SCALE[numeral[-1] + "元"]
            value /= scale
        add(AMOUNT, m, _digits(value), scale)
    for m in PERCENT_CN.finditer(text):
        value = parse_numeral(m.group(1) or m.group(2))
        if value is not None:
            add(PERCENT, m, _digits(value), Decimal(1))
    for m in COUNT_CN.finditer(text):
        value = parse_numeral(m.group(1) or m.group(2))
        if value is not None and value == value.to_integral_value() and value > 1:
            add(COUNT, m, _digits(value), Decimal(1))
    return tuple(sorted(claims, key=lambda c: c.offset))


def _digits(value: Decimal) -> str:
    """A Chinese numeral's value written in digits: 1234.56, 5715 (so `places` counts its decimals)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def matches(claim: Claim, figures: dict[str, Figure]) -> bool:
    """Does any computed figure, rounded half-up to the claim's precision, equal the claim?"""
    places = claim.precision
    for figure in figures.values():
        if figure.kind != claim.kind or figure.value is None:
            continue
        value = figure.value / claim.scale if claim.kind == AMOUNT else figure.value
        if round_half_up(value, places) == claim.number:
            return True
    return False


def matching(claim: Claim, figures: dict[str, Figure]) -> str | None:
    """The name of a figure the claim equals (named figures before table cells), or None."""
    places = claim.precision
    found = [name for name, figure in figures.items() if figure.kind == claim.kind and figure.value is not None
             and round_half_up(figure.value / claim.scale if claim.kind == AMOUNT else figure.value, places) == claim.number]
    return min(found, key=lambda name: (name.startswith("table."), len(name), name)) if found else None


def closest(claim: Claim, figures: dict[str, Figure]) -> str | None:
    """The name of the computed figure nearest to a claim that matches none (named figures before table cells)."""
    best = None
    for name, figure in figures.items():
        if figure.kind != claim.kind or figure.value is None:
            continue
        value = figure.value / claim.scale if claim.kind == AMOUNT else figure.value
        rank = (abs(value - claim.number), name.startswith("table."), len(name), name)
        if best is None or rank < best:
            best = rank
    return best[-1] if best else None
