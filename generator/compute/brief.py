"""A document's brief: what the index pages and the district's totals read of it, and nothing else.

The year indexes, overviews, histories, the language index and the data page list every document
of the site. A rebuild after one budget file changed renders them again, and if it had to load
every document for that, it would cost as much as a full build at district scale. So each
document leaves a `Brief` (a few hundred bytes: its names, its display rule, its total, last
year's total, its money by function 类 and by source), which the compute cache keeps beside the
file's entry (generator.memo); a document that is not loaded (deferred.Deferred) still has its brief.

`DepartmentBudget.brief` makes one from the computed document; every index page reads briefs only,
so the same pages come out whether the documents were loaded or not.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from generator.core.diagnostics import Location
from generator.core.display import DisplayRule
from generator.core.money import ZERO

if TYPE_CHECKING:
    from generator.compute.budget import DepartmentBudget


@dataclass(frozen=True)
class Department:
    """What a view reads of the department (`View.supervisor`)."""

    slug: str
    name: Any  # Text
    supervisor: Any  # Text or None


@dataclass(frozen=True)
class Names:
    """What a view reads of the document (`View.b`): its printed name and department."""

    name: Any  # Text
    department: Department
    kind: str
    year: int


@dataclass(frozen=True)
class Brief:
    slug: str
    year: int
    kind: str  # "department" or "unit"
    department_slug: str
    source_path: str  # the budget file, as issues name it
    slug_at: Location  # where the department's slug is written (E448)
    budget: Names
    display: DisplayRule
    total: Decimal  # 收入总计 of table 01, exact yuan
    last_year_total: Decimal | None
    functions: dict[str, Decimal]  # the ledger's lines by function 类, in code order
    sources: dict[str, Decimal]  # the ledger's lines by income source, in the order they first come
    classes: dict[str, tuple[str, str]]  # every 类 of the document's catalogue: code -> (zh, en)

    @cached_property
    def digest(self) -> str:
        """The hash of what an index page can show of the document: every field but where its file is (an
        index page made from the same briefs is the same page; its cache key, plugin.py)."""
        shown = [repr(getattr(self, f.name)) for f in fields(self) if f.name not in ("source_path", "slug_at")]
        return hashlib.sha256("\0".join(shown).encode()).hexdigest()

    @property
    def file_stem(self) -> str:
        return self.slug.replace("/", "-")

    @classmethod
    def of(cls, db: DepartmentBudget) -> Brief:
        functions: dict[str, Decimal] = defaultdict(lambda: ZERO)
        sources: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in db.ledger.lines:
            functions[line.function[:3]] += line.amount
            sources[line.source] += line.amount
        last = db.figures.get("last_year.total")
        b = db.budget
        catalogue = db.ledger.catalogue.functional
        brief = cls(
            slug=db.slug, year=db.year, kind=db.kind, department_slug=db.department_slug, source_path=db.source_path,
            slug_at=db.where(("department", "slug")),
            budget=Names(b.name, Department(b.department.slug, b.department.name, b.department.supervisor), b.kind,
                         b.year),
            display=db.display, total=db.tables["01"].cells()["01.inc.total.amount"],
            last_year_total=last.value if last is not None else None,
            functions=dict(sorted(functions.items())), sources=dict(sources),
            classes={code: (e.zh, e.en) for code, e in catalogue.items() if len(code) == 3})
        _ = brief.digest  # made once, here: kept with the brief in the compute cache (its .check entry)
        return brief
