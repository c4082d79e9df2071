"""The ledger: every amount of a budget as one flat list of spending lines, and sums over it.

A spending line is one 基本支出 line, or one funding source of one project. Every figure
the site publishes is a sum over these lines (income by source included: what a
department receives from a source is what it plans to spend from it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from generator.catalogue import PERSONNEL_CLASSES, Catalogue
from generator.core import vocab
from generator.core.money import ZERO
from generator.load.model import Budget, Project

APPROPRIATIONS = vocab.appropriations()  # together: 财政拨款


@dataclass(frozen=True)
class Line:
    function: str  # 项 code, 7 digits
    source: str
    amount: Decimal
    economic: str | None = None  # 款 code for 基本支出; None for projects
    project: str | None = None  # project id for 项目支出

    @property
    def is_basic(self) -> bool:
        return self.project is None

    @property
    def is_personnel(self) -> bool:
        return self.economic is not None and self.economic[:3] in PERSONNEL_CLASSES


def project_amount(project: Project) -> Decimal:
    return sum(project.funding.values(), ZERO)


class Ledger:
    def __init__(self, budget: Budget, catalogue: Catalogue):
        self.budget = budget
        self.catalogue = catalogue
        self.lines: list[Line] = [
            Line(b.function, b.source, b.amount, economic=b.economic) for b in budget.basic
        ] + [
            Line(p.function, source, amount, project=p.id)
            for p in budget.projects
            for source, amount in p.funding.items()
        ]

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

    @property
    def operating_costs(self) -> Decimal | None:
        """机关运行经费: 一般公共预算 基本支出 公用经费, for 行政 and 参公 units only."""
        if not vocab.unit_kind(self.budget.department.kind).operating_costs:
            return None
        return self.sum(lambda line: line.is_basic and line.source == "一般公共预算" and not line.is_personnel)

    def three_public(self, kind: str) -> Decimal:
        return sum((t.amount for t in self.budget.three_public if t.kind == kind), ZERO)
