"""The budget at a glance: the few figures a citizen looks for first, and the charts that show them.

Everything here is a named figure of the computed budget (compute/figures.py), or a share made
from two of them (`extra_figures`: a function class's or a project's share of the total), shown
with the page's display rule. The read-back (outputs/glance_check.py) builds the same model again
and compares every chart bar, every summary and every figure on the rendered page with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.compute.budget import DepartmentBudget
from generator.compute.figures import AMOUNT, PERCENT, Figure
from generator.compute.ledger import project_amount
from generator.core import labels as lb
from generator.core import vocab
from generator.core.labels import Label
from generator.core.money import ZERO

L = Label
TOP_PROJECTS = 5  # the largest projects shown

TITLE = L("预算概览", "At a glance")
TOTAL = L("{year}年预算总额", "Total budget {year}")
UP = L("比上年增加", "Up on last year by")
DOWN = L("比上年减少", "Down on last year by")
SAME = L("与上年持平", "The same as last year")
NO_LAST_YEAR = L("无上年可比数", "No figure for last year to compare with")
LAST_YEAR = L("上年", "Last year")
THIS_YEAR = L("本年", "This year")
CHANGE = L("增减", "Change")
ITEM = L("项目", "Item")
AMOUNT_LABEL = L("金额", "Amount")
SHARE = L("占比", "Share")
TABLE = L("查看数据表", "Show the table")
CHART_TITLES = {
    "sources": L("钱从哪里来：收入来源", "Where the money comes from"),
    "kinds": L("钱怎么花：基本支出与项目支出", "How it is spent: running costs and projects"),
    "functions": L("钱花在哪里：按功能分类", "What it is spent on: by function"),
    "projects": L("金额最大的项目", "The largest projects"),
    "three_public": L("\u201c三公\u201d经费和机关运行经费与上年比较",
                      "\u201cThree public expenses\u201d and agency operating costs against last year"),
}
PROJECTS_NOTE = L("共{count}个项目，此处列出金额最大的{shown}个。", "{count} projects; the {shown} largest are shown.")
THREE_PUBLIC = L("\u201c三公\u201d经费", "\u201cThree public expenses\u201d")
LIST_SEP = L("；", "; ")
COMMA = L("，", ", ")
COLON = L("：", ": ")
NOTED = L("{label}（{note}）", "{label} ({note})")
WITH_SHARE = L("{amount}（{share}）", "{amount} ({share})")
LAST_YEAR_WAS = L("（上年 ", "(last year ")
CLOSE = L("）", ")")
SUMMARY = L("{title}：{items}。", "{title}: {items}.")
DESCRIPTION = {
    "department": L("{department}{year}年部门预算：合计{total}", "{department}, {year} department budget: total {total}"),
    "unit": L("{department}{year}年单位预算：合计{total}", "{department}, {year} unit budget: total {total}"),
}
DESCRIPTION_CHANGE = {"up": L("，比上年增加{amount}（{percent}）", ", up {amount} ({percent}) on last year"),
                      "down": L("，比上年减少{amount}（{percent}）", ", down {amount} ({percent}) on last year"),
                      "same": L("，与上年持平", ", the same as last year")}
DESCRIPTION_LARGEST = L("；最大的支出功能为{function}{amount}。", "; the largest function is {function}, {amount}.")
DESCRIPTION_END = L("。", ".")


@dataclass(frozen=True)
class Bar:
    name: str  # the amount's figure name (the bar's length)
    label: str  # what the bar is, in the page's language
    share: str | None = None  # the figure name of its percentage, if shown
    note: str = ""  # a second word after the label (本年 / 上年)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    bars: tuple[Bar, ...]
    note: str = ""


@dataclass(frozen=True)
class Change:
    """A figure against last year: `direction` up, down or same; names of the change figures."""

    key: str  # "total", "three_public.total", "operating_costs"
    direction: str
    amount: str  # figure name: change.<key>
    percent: str  # figure name: change.<key>.pct


def text_in(label, lang: str) -> str:
    """A label or an authored text in `lang` as View.t has it without catalogues (read-back, tests)."""
    if isinstance(label, Label):
        return label[lang] if lang in label else label("en")
    text = getattr(label, lang, None)
    return text if text is not None else label.en


def extra_figures(db: DepartmentBudget) -> dict[str, Figure]:
    """Shares the block shows that the narrative has no name for: share.function.<类>, share.project.<id>."""
    total = db.figures["total"].value or ZERO
    out: dict[str, Figure] = {}

    def share(part: Decimal | None) -> Decimal | None:
        return None if total == ZERO or part is None else part * 100 / total

    for code in _classes(db):
        out[f"share.function.{code}"] = Figure(PERCENT, share(db.figures[f"function.{code}"].value))
    for p in db.budget.projects:
        out[f"share.project.{p.id}"] = Figure(PERCENT, share(project_amount(p)))
    return out


def all_figures(db: DepartmentBudget) -> dict[str, Figure]:
    return {**db.figures, **extra_figures(db)}


def _classes(db: DepartmentBudget) -> list[str]:
    return [c for c in db.ledger.functions_used() if len(c) == 3 and (db.figures[f"function.{c}"].value or ZERO) != ZERO]


def _value(figures: dict[str, Figure], name: str) -> Decimal:
    figure = figures.get(name)
    return figure.value if figure is not None and figure.value is not None else ZERO


def change(db: DepartmentBudget, key: str) -> Change | None:
    """`key` against last year, when last year has it."""
    before = db.figures.get(f"last_year.{key}")
    now = db.figures.get(key)
    if before is None or before.value is None or now is None or now.value is None:
        return None
    direction = "up" if now.value > before.value else "down" if now.value < before.value else "same"
    return Change(key, direction, f"change.{key}", f"change.{key}.pct")


class Glance:
    """The block of one page, in one language."""

    def __init__(self, db: DepartmentBudget, lang: str, t=None):
        self.db = db
        self.lang = lang
        self.t = t or (lambda label: text_in(label, lang))
        self.figures = all_figures(db)
        self.rule = db.display

    def text(self, name: str, **slots) -> str:
        """One of this module's labels (TITLE, TOTAL …) in the page's language, its {slots} filled."""
        label = globals()[name]
        return self.t(label).format(**slots) if slots else self.t(label)

    def show(self, name: str) -> str:
        return self.figures[name].show(self.lang, self.rule)

    @property
    def total_change(self) -> Change | None:
        return change(self.db, "total")

    def direction_word(self, c: Change) -> str:
        return self.t({"up": UP, "down": DOWN, "same": SAME}[c.direction])

    def description(self, department: str) -> str:
        """The page's <meta name="description">: the total, the change, the largest function."""
        text = self.t(DESCRIPTION[self.db.kind]).format(department=department, year=self.db.year, total=self.show("total"))
        c = self.total_change
        if c is not None:
            text += self.t(DESCRIPTION_CHANGE[c.direction]).format(amount=self.show(c.amount), percent=self.show(c.percent))
        functions = self.functions().bars
        if functions:
            top = functions[0]
            return text + self.t(DESCRIPTION_LARGEST).format(function=top.label, amount=self.show(top.name))
        return text + self.t(DESCRIPTION_END)

    def description_figures(self) -> list[str]:
        """The figures the description says, in order."""
        out = [self.show("total")]
        c = self.total_change
        if c is not None and c.direction != "same":
            out += [self.show(c.amount), self.show(c.percent)]
        functions = self.functions().bars
        return out + ([self.show(functions[0].name)] if functions else [])

    # ---- the charts
    def charts(self) -> list[Chart]:
        charts = [self.sources(), self.kinds(), self.functions(), self.projects(), self.three_public()]
        return [c for c in charts if c.bars]

    def sources(self) -> Chart:
        bars = [Bar(f"income.{s.key}", self.t(s.label), f"share.income.{s.key}") for s in vocab.SOURCES
                if s.typed and _value(self.figures, f"income.{s.key}") != ZERO]
        return Chart("sources", self.t(CHART_TITLES["sources"]), tuple(bars))

    def kinds(self) -> Chart:
        bars = [Bar(k.key, self.t(k.label), f"share.{k.key}") for k in vocab.EXPENDITURE_KINDS
                if _value(self.figures, k.key) != ZERO]
        return Chart("kinds", self.t(CHART_TITLES["kinds"]), tuple(bars))

    def functions(self) -> Chart:
        cat = self.db.ledger.catalogue.functional
        bars = [Bar(f"function.{c}", self.t(L(cat[c].zh, cat[c].en)) if c in cat else c, f"share.function.{c}")
                for c in _classes(self.db)]
        bars.sort(key=lambda b: -_value(self.figures, b.name))
        return Chart("functions", self.t(CHART_TITLES["functions"]), tuple(bars))

    def projects(self) -> Chart:
        projects = sorted((p for p in self.db.budget.projects if project_amount(p) != ZERO),
                          key=lambda p: (-project_amount(p), p.id))
        shown = projects[:TOP_PROJECTS]
        bars = [Bar(f"project.{p.id}", self.t(p.name), f"share.project.{p.id}") for p in shown]
        # "{count}" stays: charts.py puts the count there as a figure span, read back like the others
        note = self.t(PROJECTS_NOTE).format(count="{count}", shown=len(shown)) if len(projects) > len(shown) else ""
        return Chart("projects", self.t(CHART_TITLES["projects"]), tuple(bars), note)

    def three_public(self) -> Chart:
        """三公 and 机关运行经费, this year beside last year (when known)."""
        bars = []
        rows = [("three_public.total", THREE_PUBLIC)]
        if "operating_costs" in self.figures:
            rows.append(("operating_costs", lb.COLUMN_LABELS["operating_costs"]))
        for key, label in rows:
            bars.append(Bar(key, self.t(label), note=self.t(THIS_YEAR)))
            if f"last_year.{key}" in self.figures:
                bars.append(Bar(f"last_year.{key}", self.t(label), note=self.t(LAST_YEAR)))
        return Chart("three_public", self.t(CHART_TITLES["three_public"]), tuple(bars))

    def changes(self, chart: Chart) -> list[Change]:
        """The changes the 三公 chart's table states."""
        if chart.id != "three_public":
            return []
        keys = [b.name for b in chart.bars if not b.name.startswith("last_year.")]
        return [c for c in (change(self.db, k) for k in keys) if c is not None]

    # ---- text alternatives
    def summary(self, chart: Chart) -> str:
        """The chart in one sentence: every bar's label and figures, as its table has them."""
        parts = []
        for bar in chart.bars:
            label = self.text("NOTED", label=bar.label, note=bar.note) if bar.note else bar.label
            amount = self.show(bar.name)
            if bar.share:
                amount = self.text("WITH_SHARE", amount=amount, share=self.show(bar.share))
            parts.append(f"{label} {amount}")
        return self.text("SUMMARY", title=chart.title, items=self.text("LIST_SEP").join(parts))

    def summary_figures(self, chart: Chart) -> list[str]:
        """The figures the summary reads out, in order (what the read-back looks for in a <desc>)."""
        return [self.show(n) for bar in chart.bars for n in (bar.name, bar.share) if n]


def bar_values(db: DepartmentBudget) -> dict[str, Decimal]:
    """The exact value of every figure a bar can show (for the read-back of bar lengths)."""
    return {name: f.value for name, f in all_figures(db).items() if f.kind == AMOUNT and f.value is not None}
