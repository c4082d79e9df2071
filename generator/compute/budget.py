"""One computed department budget: the ledger, tables, figures and narrative, frozen."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property

from generator.compute.brief import Brief
from generator.compute.claim_labels import Vocabulary
from generator.compute.figures import Figure, LastYearFigures, build_figures
from generator.compute.ledger import Ledger, project_amount
from generator.compute.narrative import NarrativeWriter
from generator.compute.phrasebook import Phrasebook
from generator.compute.phrasebook import phrasebooks as default_phrasebooks
from generator.compute.tables import Table, build_tables
from generator.core.diagnostics import Location
from generator.core.display import DisplayRule
from generator.core.frozen import FrozenMap
from generator.core.labels import Label
from generator.core.money import ZERO
from generator.core.pending import label_of
from generator.load.documents import Document
from generator.load.profile import DEFAULT, Profile, load_profile, merge
from generator.load.source import SourceFile

# Text fields that are names or targets, not prose: no placeholders, no claim checks.


@dataclass(frozen=True)
class DepartmentBudget:
    """What compute makes of one budget file. Frozen: the reconciliation only reads it."""

    source: SourceFile
    budget: Document  # reads like a one-unit budget file (load.documents)
    ledger: Ledger
    tables: FrozenMap[str, Table]
    figures: FrozenMap[str, Figure]
    paragraphs: FrozenMap[str, tuple[Label, bool]]
    key_project_budgets: FrozenMap[str, Label]
    checked: FrozenMap[str, Decimal]  # the keyed amounts the reconciliation reads, exact yuan
    shown: FrozenMap[str, Decimal]  # the same as readers see them, in yuan
    vocabulary: Vocabulary  # the label words claims are matched by
    profile: Profile  # the district format it is published in

    @property
    def slug(self) -> str:
        """The document's path below the year: `department` or `department/unit`."""
        return self.budget.slug

    @property
    def kind(self) -> str:
        """"department" (部门预算) or "unit" (单位预算)."""
        return self.budget.kind

    @property
    def document(self) -> Document:
        return self.budget

    @cached_property
    def brief(self) -> Brief:
        """What the index pages and the district's totals read of it (compute/brief.py)."""
        return Brief.of(self)

    @property
    def department_slug(self) -> str:
        """The slug of the department whose budget file this is (a unit's too)."""
        return self.budget.department.slug

    @property
    def source_path(self) -> str:
        """The budget file, as issues name it."""
        return self.source.path

    @property
    def file_stem(self) -> str:
        """The document's path as one file-name word: `department` or `department-unit`."""
        return self.slug.replace("/", "-")

    @property
    def year(self) -> int:
        return self.budget.year

    @property
    def unit(self) -> str:
        """The unit of figures in prose: the display unit, unless the district profile names another."""
        return self.display.prose

    @property
    def display(self) -> DisplayRule:
        """The display rule: from the document's district profile if it has one, else its display unit."""
        return DisplayRule.of(self.budget.display_unit, self.profile)

    def where(self, data_path: tuple, key: bool = False) -> Location:
        """The place in the file of a data path of this document."""
        return self.source.positions.at(self.budget.file_path(data_path), key=key)


def _checked_figures(db_figures: dict[str, Figure], budget: Document) -> dict[str, Decimal]:
    """The amounts the identities read: table cells, projects, forms, procurement."""
    out = {k.removeprefix("table."): f.value for k, f in db_figures.items() if k.startswith("table.")}
    for p in budget.projects:
        out[f"project.{p.id}"] = project_amount(p)
        if p.form:
            out[f"form.{p.id}.this_year"] = project_amount(p)
            out[f"form.{p.id}.total_budget"] = p.form.total_budget
            for n, sub in enumerate(p.form.sub_items):
                out[f"form.{p.id}.sub.{n}"] = sub.amount
            out[f"form.{p.id}.sub_basis"] = project_amount(p) if p.form.sub_items_cover == "当年预算" else p.form.total_budget
    for key in ("total", "货物", "工程", "服务", "sme", "micro"):
        out[f"procurement.{key}"] = db_figures[f"procurement.{key}"].value
    ids = {p.id for p in budget.projects}
    for item in budget.procurement:
        if item.project in ids:
            key = f"project.{item.project}.procurement"
            out[key] = out.get(key, ZERO) + item.amount
    return out


def _worded(books: dict[str, Phrasebook], profile: Profile) -> dict[str, Phrasebook]:
    """The phrasebooks with the district's own wording (profile `narrative.phrases`) over them."""
    phrases = profile.narrative.phrases
    return {lang: Phrasebook(lang, merge(pb.data, phrases[lang])) if lang in phrases else pb for lang, pb in books.items()}


def compute(src: SourceFile, budget: Document, cat, last_year: LastYearFigures, phrasebooks=None,
            profile: Profile | None = None) -> DepartmentBudget:
    profile = profile or load_profile(DEFAULT)[0]
    ledger = Ledger(budget, cat, fixed_rows=profile.tables.class_rows == "fixed", when_used=tuple(profile.tables.when_used))
    tables = build_tables(ledger)
    figures = build_figures(ledger, tables, last_year)
    writer = NarrativeWriter(budget, ledger, figures, cat, _worded(phrasebooks or default_phrasebooks(), profile),
                             options={"function_list": {"last_year": profile.narrative.function_list.last_year}})
    checked = _checked_figures(figures, budget)
    db = DepartmentBudget(
        source=src, budget=budget, ledger=ledger, tables=FrozenMap(tables), figures=FrozenMap(figures),
        vocabulary=Vocabulary.of(budget, cat, figures),
        paragraphs=FrozenMap({k: v for k, v in writer.paragraphs().items() if k in profile.paragraphs(budget.kind)}),
        key_project_budgets=FrozenMap({p.id: (p.key.budget_note and label_of(p.key.budget_note))
                                       or writer.key_project_budget(p.id) for p in budget.projects if p.key}),
        profile=profile, checked=FrozenMap(checked), shown=FrozenMap(),
    )
    rule = db.display  # built from the document itself, profile included
    return replace(db, shown=FrozenMap({k: rule.shown(k, v) for k, v in checked.items()}))
