"""load → validate → compute → check, for every budget file under content/budgets/ (BUDGET_DIR).

`load_content()` is the plain Python API the HTML and PDF stages (and `invoke check`)
consume. It never raises on bad content: every problem is an `Issue`.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from generator import catalogue as catalogue_module

# Text fields that are names or targets, not prose: no placeholders, no claim checks.
from generator.compute import last_year
from generator.compute.budget import DepartmentBudget, compute
from generator.core.diagnostics import ERROR, Issue, issue, sort_key
from generator.core.sanitise import markdown_html, removal_issues, text_location
from generator.core.settings import BudgetSettings
from generator.load.documents import documents, published
from generator.load.model import Budget
from generator.load.profile import load_profile
from generator.load.source import SourceFile, read_file
from generator.load.validate import check_meaning, parse
from generator.reconcile import semantic
from generator.reconcile.checks import Report
from generator.reconcile.report import reconcile
from generator.reconcile.units import units_issues


@dataclass
class Content:
    budgets: list[DepartmentBudget]
    issues: list[Issue]
    reports: dict[tuple[str, int], Report]  # (slug, year) -> its reconciliation
    hashes: dict[str, str] = field(default_factory=dict)  # the compute cache's: each file's sha256 by absolute path

    def report(self, db: DepartmentBudget) -> Report:
        found = self.reports[(db.slug, db.year)]
        return found if isinstance(found, Report) else found.report()  # a deferred document (generator.deferred): read now

    def failed(self, strict: bool = False) -> bool:
        return any(strict or i.severity == ERROR for i in self.issues)


def budget_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def display_path(path: Path, root: Path | None) -> str:
    try:
        return str(path.resolve().relative_to(_resolved(Path(os.path.abspath(root))))) if root else str(path)
    except ValueError:
        return str(path)


@functools.lru_cache(maxsize=8)
def _resolved(root: Path) -> Path:  # once, not for each of a district's files
    return root.resolve()


def _department_year(src: SourceFile) -> tuple | None:
    """(slug, year) as written, even in a file that is otherwise invalid."""
    data = src.data if isinstance(src.data, dict) else {}
    department = data.get("department")
    slug = department.get("slug") if isinstance(department, dict) else None
    year = _year_number(data.get("year"))
    return (slug, year) if isinstance(slug, str) and year is not None else None


def _year_number(text: object) -> int | None:
    """The year a text means, however it is spelled (2024, 2024.0, 02024, +2024, 2_024): two
    files for one department and year are refused even when the years are spelled apart."""
    try:
        value = Decimal(str(text).replace("_", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or abs(value) > 9999 or value != value.to_integral_value():
        return None
    return int(value)


def load_content(content: Path, root: Path | None = None, budgets: Path | None = None, phrasebooks=None,
                 profile: str | None = None, keep: bool = True, cache: Path | None = None, lazy: bool = False) -> Content:
    """Every budget file under `budgets` (default: the BUDGET_DIR default under `content`);
    `phrasebooks`: the narrative's languages ({lang: Phrasebook}, default zh and en); `profile`: the
    district format of files that name none (default: the BUDGET_PROFILE default).

    `keep=False` (`budget check`) keeps only the issues: each document is let go once it is
    reconciled, unless next year's file of its department needs it (its last-year figures).

    `cache`: the compute cache's folder (generator.memo): unchanged files are not read again; the same result.
    `lazy` (with `cache`): their documents are `deferred.Deferred`, unpickled only when more than their identity is read."""
    if cache is not None:
        from generator.memo import cached_load

        return cached_load(content, root, budget_files(budgets or BudgetSettings().budgets(content)), phrasebooks,
                           profile, keep, cache, lazy)
    issues: list[Issue] = []
    parsed: list[tuple[SourceFile, Budget, catalogue_module.Catalogue]] = []
    catalogue_issues: dict = {}  # each local catalogue file's problems, reported once
    seen: dict[tuple, SourceFile] = {}
    for path in budget_files(budgets or BudgetSettings().budgets(content)):
        src, found = read_file(path, display_path(path, root))
        issues += found
        if src is None:
            continue
        key = _department_year(src)
        duplicate = key in seen
        if duplicate:  # still validated, so every problem of the file is reported, but never built
            issues.append(issue("E204", src.positions.at(("department", "slug")), slug=key[0], year=key[1],
                                other=seen[key].path))
        elif key is not None:
            seen[key] = src
        cat = catalogue_module.load(key[1] if key else None, content)  # the edition of the budget's year
        catalogue_issues.setdefault(cat.local_path, cat.issues)
        budget, found = parse(src, cat)
        issues += found
        if budget is None:
            continue
        found = check_meaning(budget, src, cat)
        district, problems = load_profile(budget.profile or profile or BudgetSettings().profile, (content / "profiles",))
        found += [_at_profile(i, src) for i in problems]
        issues += found
        if not duplicate and not any(i.severity == ERROR for i in found):
            parsed.append((src, budget, cat, district))
    issues += [i for found in catalogue_issues.values() for i in found]

    budgets, reports = [], {}
    computed: dict[tuple[str, int], DepartmentBudget] = {}
    wanted = {(b.department.slug, b.year) for _, b, _, _ in parsed}  # what a next year's file may read
    parsed.sort(key=lambda sb: sb[1].year)  # last year's documents first
    for n in range(len(parsed)):
        src, budget, cat, district = parsed[n]
        if not keep:
            parsed[n] = None  # let go of the file once computed
            for old in [k for k, db in computed.items() if db.year < budget.year - 1]:
                del computed[old]
        department, units = documents(budget)
        dbs = [_compute(doc, src, cat, district, computed, phrasebooks, issues) for doc in (department, *units)]
        if any(db is None for db in dbs):
            continue
        dept_db, unit_dbs = dbs[0], dbs[1:]
        cross = units_issues(dept_db, unit_dbs)
        for db in dbs:
            computed[(db.slug, db.year)] = db
            if db is dept_db or published(budget, db.document):
                report = reconcile(db, computed.get((db.slug, db.year - 1)), extra=cross if db is dept_db else [])
                issues += report.issues
                if keep:
                    reports[(db.slug, db.year)] = report
                    budgets.append(db)
        if not keep and (budget.department.slug, budget.year + 1) not in wanted:
            for db in dbs:
                computed.pop((db.slug, db.year), None)
    budgets.sort(key=lambda db: (-db.year, db.slug))
    return Content(budgets, sorted(_once(issues), key=sort_key), reports)


def _once(issues: list[Issue]) -> list[Issue]:
    """Each problem once: a unit's lines are read by its 单位预算 and by the 部门预算."""
    return list({(i.code, i.location, i.format("en")): i for i in issues}.values())


def _at_profile(found: Issue, src: SourceFile) -> Issue:
    """A profile problem, placed at the file's `profile:` (or its top) so the clerk sees which budget."""
    if found.code != "E244":
        return found
    return Issue(found.code, src.positions.at(("profile",)), found.params)


def _compute(doc, src: SourceFile, cat, district, computed: dict, phrasebooks, issues: list[Issue]) -> DepartmentBudget | None:
    """One document computed, with last year's figures from last year's document or as typed (E240 when
    neither gives what the narrative needs)."""
    previous = computed.get((doc.slug, doc.year - 1))
    figures, missing = last_year.figures_for(doc.last_year, previous)
    if missing:
        where = src.positions.at(doc.file_path(("last_year",)), key=True)
        issues.append(issue("E240", where, keys="、".join(f"last_year.{k}" for k in missing), year=doc.year - 1))
        return None
    return compute(src, doc, cat, figures, phrasebooks, profile=district)


_METADATA = re.compile(r"\A(?:[A-Za-z][\w-]*:.*\n)+")  # Pelican's `Title: …` header lines


def page_removals(shown: str, text: str, html: str | None = None) -> list[Issue]:
    """W216 for what sanitising removes from one Markdown page, W225 for its placeholder text (`text`, shown as `shown`);
    `html` is Pelican's rendering of it, or None to render the body here."""
    header = _METADATA.match(text)
    start = header.end() if header else 0
    body = text[start:]
    found = removal_issues(body, markdown_html(body) if html is None else html,
                           lambda off: text_location(shown, text, None if off is None else start + off))
    for placeholder in semantic.PLACEHOLDER.finditer(body):  # W225, as in budget files
        found.append(issue("W225", text_location(shown, text, start + placeholder.start()), text=placeholder.group(0)))
    return found


def page_issues(content: Path, root: Path | None = None) -> list[Issue]:
    """W216 for content/pages/*.md (the build reports the same from Pelican's own rendering)."""
    found: list[Issue] = []
    for path in sorted((content / "pages").rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # Pelican reports an unreadable page itself
        found += page_removals(display_path(path, root), text)
    return sorted(found, key=sort_key)
