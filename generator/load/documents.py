"""The documents one budget file publishes: the 部门预算, and a 单位预算 per publishing unit.

A `Document` reads like a one-unit budget (its `basic`, `projects`, `three_public` …
are those of the units it sums), so every later stage treats both kinds alike. It also
maps its own data paths back to the file's (("projects", 3) may be ("units", 1, "projects", 0)).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from generator.core.money import ZERO
from generator.load.model import Assets, Budget, DocumentTexts, LineItems, MergedUnit, Project, Text, walk

DEPARTMENT, UNIT = "department", "unit"
LINE_FIELDS = ("basic", "projects", "other_spending", "three_public", "procurement")
TEXT_FIELDS = tuple(DocumentTexts.model_fields)


@dataclass(frozen=True)
class Part:
    """One unit's line items, as the documents sum them."""

    slug: str
    name: Text
    kind: str
    items: LineItems
    assets: Assets
    merged: tuple[MergedUnit, ...]
    path: tuple  # where the unit's items are in the file: () or ("units", i)


@dataclass(frozen=True)
class Document:
    kind: str  # DEPARTMENT or UNIT
    file: Budget
    parts: tuple[Part, ...]
    texts: DocumentTexts
    texts_path: tuple  # where the texts are in the file: () or ("units", i, "budget")
    unit: Part | None = None  # the unit of a 单位预算

    # ---- what every stage reads, as from a one-unit budget
    @property
    def year(self) -> int:
        return self.file.year

    @property
    def department(self):
        return self.file.department

    @property
    def display_unit(self) -> str:
        return self.file.display_unit

    @property
    def name(self) -> Text:
        """The name printed on the document: the department's, or the unit's."""
        if self.unit is None:
            return self.file.department.name
        own = self.file.units[self.unit.path[1]].budget if self.unit.path else None
        return (own and own.name) or self.unit.name

    @property
    def slug(self) -> str:
        """The document's URL path below the year: `dept` or `dept/unit`."""
        return self.file.department.slug + (f"/{self.unit.slug}" if self.unit else "")

    def __getattr__(self, name: str):
        if name in TEXT_FIELDS:
            return getattr(self.texts, name)
        raise AttributeError(name)

    @cached_property
    def basic(self) -> list:
        return [line for part in self.parts for line in part.items.basic]

    @cached_property
    def projects(self) -> list[Project]:
        return [p for part in self.parts for p in part.items.projects]

    @cached_property
    def other_spending(self) -> list:
        return [line for part in self.parts for line in part.items.other_spending]

    @cached_property
    def three_public(self) -> list:
        return [t for part in self.parts for t in part.items.three_public]

    @cached_property
    def procurement(self) -> list:
        return [i for part in self.parts for i in part.items.procurement]

    @cached_property
    def assets(self) -> Assets:
        if len(self.parts) == 1:
            return self.parts[0].assets
        total = {name: sum(getattr(p.assets, name) for p in self.parts)
                 for name in ("vehicles", "general_equipment", "special_equipment")}
        return Assets(**total)

    @cached_property
    def unit_kinds(self) -> dict[str, int]:
        """How many units of each kind (行政 …) the document covers, merged units included."""
        counts: dict[str, int] = {}
        for part in self.parts:
            for kind in (part.kind, *(m.kind for m in part.merged)):
                counts[kind] = counts.get(kind, 0) + 1
        return counts

    def part_of(self, list_name: str, index: int) -> tuple[Part, int]:
        """The unit holding item `index` of a summed list, and its index there."""
        for part in self.parts:
            n = len(getattr(part.items, list_name))
            if index < n:
                return part, index
            index -= n
        raise IndexError(index)

    def file_path(self, data_path: tuple) -> tuple:
        """A data path of this document (("projects", 3, "form")) as a path of the file."""
        if not data_path:
            return data_path
        head = data_path[0]
        if head in LINE_FIELDS and len(data_path) > 1 and isinstance(data_path[1], int):
            part, index = self.part_of(head, data_path[1])
            return part.path + (head, index) + tuple(data_path[2:])
        if head in LINE_FIELDS or head == "assets":
            return (self.parts[0].path if len(self.parts) == 1 else ()) + tuple(data_path)
        if head in TEXT_FIELDS:
            return self.texts_path + tuple(data_path)
        return tuple(data_path)


def walk_document(doc: Document, leaf: type, skip: frozenset[str] | set[str]) -> Iterator[tuple[tuple, Any]]:
    """Every value of type `leaf` a document publishes, with its path in the file: its texts, the
    department's name, and the line items of its units."""
    if doc.kind == DEPARTMENT:  # the file's top level: texts, department, and (one unit) the items
        yield from walk(doc.file, leaf, set(skip) | {"units"})
        for part in doc.parts:
            if part.path:
                yield from walk(part.items, leaf, set(skip) | {"budget"}, part.path)
        return
    yield from walk(doc.texts, leaf, skip, doc.texts_path)
    for part in doc.parts:
        yield from walk(part.items, leaf, set(skip) | {"budget"}, part.path)


def _parts(budget: Budget) -> tuple[Part, ...]:
    if not budget.units:
        assets = budget.assets or Assets(vehicles=0, general_equipment=0, special_equipment=0)
        return (Part(budget.department.slug, budget.department.name, budget.department.kind or "行政",
                     budget, assets, (), ()),)
    return tuple(Part(u.slug, u.name, u.kind, u, u.assets, tuple(u.merged), ("units", i)) for i, u in enumerate(budget.units))


def documents(budget: Budget) -> tuple[Document, list[Document]]:
    """The file's 部门预算, and a 单位预算 for every unit (published or not: all are reconciled)."""
    parts = _parts(budget)
    department = Document(DEPARTMENT, budget, parts, budget, ())
    units = []
    for part, unit in zip(parts, budget.units, strict=False):
        texts = unit.budget or budget  # an unpublished unit is only reconciled: the department's texts serve
        texts_path = part.path + ("budget",) if unit.budget else ()
        units.append(Document(UNIT, budget, (part,), texts, texts_path, unit=part))
    return department, units


def published(budget: Budget, unit: Document) -> bool:
    return unit.unit is not None and bool(unit.unit.path) and budget.units[unit.unit.path[1]].budget is not None


def amount_of(project: Project) -> Decimal:
    if project.lines:
        return sum((line.amount for line in project.lines), ZERO)
    return sum((project.funding or {}).values(), ZERO)
