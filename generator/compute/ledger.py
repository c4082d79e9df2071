"""The ledger: every amount of a document as one flat list of spending lines, and sums over it.

A spending line is one 基本支出 line, one function code × funding source of one project, or
one `other_spending:` line; each knows its unit. Every figure the site publishes is a sum over
these lines (income by source included: what a department receives from a source is what it
plans to spend from it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from generator.catalogue import PERSONNEL_CLASSES, Catalogue
from generator.core import vocab
from generator.core.money import ZERO
from generator.load.documents import Document, amount_of
from generator.load.model import Project

APPROPRIATIONS = vocab.appropriations()  # together: 财政拨款


@dataclass(frozen=True)
class Line:
    function: str  # 项 code, 7 digits
    source: str
    amount: Decimal
    economic: str | None = None  # 款 code for 基本支出; None otherwise
    project: str | None = None  # project id for 项目支出
    kind: str = "basic"  # a vocab.EXPENDITURE_KINDS key: basic, project, upper, subsidiary, business
    unit: str = ""  # the unit's slug

    @property
    def is_basic(self) -> bool:
        return self.kind == "basic"

    @property
    def is_personnel(self) -> bool:
        return self.economic is not None and self.economic[:3] in PERSONNEL_CLASSES


def project_amount(project: Project) -> Decimal:
    return amount_of(project)


def project_lines(project: Project) -> list[tuple[str, str, Decimal]]:
    """(function, source, amount) of a project, whichever way it is written."""
    if project.lines:
        return [(line.function, line.source, line.amount) for line in project.lines]
    return [(project.function or "", source, amount) for source, amount in (project.funding or {}).items()]


def project_functions(project: Project) -> list[str]:
    return sorted({function for function, _, _ in project_lines(project)})


def project_sources(project: Project) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for _, source, amount in project_lines(project):
        out[source] = out.get(source, ZERO) + amount
    return out


def _unit_lines(part) -> list[Line]:
    items, unit = part.items, part.slug
    lines = [Line(b.function, b.source, b.amount, economic=b.economic, unit=unit) for b in items.basic]
    lines += [Line(function, source, amount, project=p.id, kind="project", unit=unit)
              for p in items.projects for function, source, amount in project_lines(p)]
    for o in items.other_spending:
        kind = vocab.other_spending_kind(o.kind)
        lines.append(Line(o.function, o.source or kind.default_source, o.amount, kind=kind.key, unit=unit))
    return lines


class Ledger:
    def __init__(self, budget: Document, catalogue: Catalogue, fixed_rows: bool = True, when_used: tuple[str, ...] = ()):
        self.budget = budget
        self.catalogue = catalogue
        self.fixed_rows = fixed_rows  # the tables show their fixed rows (the district format says)
        self.when_used = when_used  # sources shown only when they have money, besides vocab's when_used ones
        self.lines: list[Line] = [line for part in budget.parts for line in _unit_lines(part)]
        self.unit_kinds = {part.slug: part.kind for part in budget.parts}

    def sum(self, where: Callable[[Line], bool] = lambda line: True, lines: Iterable[Line] | None = None) -> Decimal:
        return sum((line.amount for line in (self.lines if lines is None else lines) if where(line)), ZERO)

    # ---- the few sums many places need
    @property
    def total(self) -> Decimal:
        return self.sum()

    def by_source(self, source: str) -> Decimal:
        if source == vocab.FISCAL:
            return self.sum(lambda line: line.source in APPROPRIATIONS)
        return self.sum(lambda line: line.source == source)

    def functions_used(self, where: Callable[[Line], bool] = lambda line: True) -> list[str]:
        """All 类, 款 and 项 codes with lines matching `where`, in code order."""
        codes = set()
        for line in self.lines:
            if where(line):
                codes.update(self.catalogue.lineage(line.function))
        return sorted(codes)

    def project(self, project_id: str) -> Project:
        return next(p for p in self.budget.projects if p.id == project_id)

    def has_operating_costs(self, unit: str) -> bool:
        return vocab.unit_kind(self.unit_kinds[unit]).operating_costs

    @property
    def operating_costs(self) -> Decimal | None:
        """机关运行经费: 一般公共预算 基本支出 公用经费 of the 行政 and 参公 units (None: the document has none)."""
        if not any(self.has_operating_costs(unit) for unit in self.unit_kinds):
            return None
        return self.sum(lambda line: line.is_basic and line.source == "一般公共预算" and not line.is_personnel
                        and self.has_operating_costs(line.unit))

    def three_public(self, kind: str) -> Decimal:
        return sum((t.amount for t in self.budget.three_public if t.kind == kind), ZERO)
