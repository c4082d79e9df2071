"""The reconciliation of one computed budget: a Report of issues and outcomes; it changes nothing it reads."""

from __future__ import annotations

import functools

from generator.compute import last_year
from generator.compute.budget import DepartmentBudget
from generator.core.diagnostics import Issue, Location, issue
from generator.core.display import money_text
from generator.core.labels import Label
from generator.core.money import ZERO
from generator.reconcile.checks import Outcome, Report, run
from generator.reconcile.prose import check_budget


def relation(at_most: bool) -> str:
    """How the two sides of a failed comparison stand: ≠ for an equality, > for a bound."""
    return ">" if at_most else "≠"


def _outcome_location(db: DepartmentBudget, o: Outcome) -> Location:
    """Where to look: the form's sub-items, the form, the project, the procurement list, or the file."""
    at = db.where
    ids = {p.id: i for i, p in enumerate(db.budget.projects)}
    keys = o.comparison.left + o.comparison.right
    form_ids = {k.split(".")[1] for k in keys if k.startswith("form.")}
    project_ids = {k.split(".")[1] for k in keys if k.startswith("project.")}
    if any(k.startswith("procurement.") or k.endswith(".procurement") for k in keys):
        return at(("procurement",), key=True)
    if len(form_ids) == 1 and form_ids <= set(ids):
        (i,) = form_ids
        if any(k.startswith(f"form.{i}.sub") for k in keys):
            return at(("projects", ids[i], "form", "sub_items"), key=True)
        return at(("projects", ids[i], "form"), key=True)
    if len(project_ids) == 1 and project_ids <= set(ids):
        return at(("projects", ids[project_ids.pop()]))
    return Location(db.source.path)


def outcome_issues(db: DepartmentBudget, outcomes: list[Outcome]) -> list[Issue]:
    """E301 for every identity that fails on the exact figures, W302 where only the displayed ones differ."""
    found = []
    for o in outcomes:
        if o.status == "ok":
            continue
        name = Label(o.comparison.name.zh, o.comparison.name.en)
        if o.status == "mismatch":
            found.append(issue("E301", _outcome_location(db, o), name=name, left=money_text(o.left), right=money_text(o.right),
                               op=relation(o.comparison.at_most), diff=money_text(abs(o.left - o.right))))
        else:
            keys = o.comparison.left + o.comparison.right
            where = _outcome_location(db, o)
            if where.line is None:  # a table identity: the display unit is what makes it round
                where = db.where(("display_unit",), key=True)
            # each side as readers see it: a project's budget in yuan, a table total in the display unit
            left, right, rule = o.comparison.left, o.comparison.right, db.display
            same_unit = rule.all_in_yuan(left) == rule.all_in_yuan(right)
            found.append(issue("W302", where, name=name, left=rule.side_text(o.left_shown, left),
                               right=rule.side_text(o.right_shown, right),
                               diff=rule.side_text(abs(o.left_shown - o.right_shown), keys) if same_unit
                               else money_text(abs(o.left_shown - o.right_shown))))
    return found


def reconcile(db: DepartmentBudget, previous: DepartmentBudget | None = None, extra: list[Issue] | None = None) -> Report:
    """The checks, claims and identities of one computed budget (and last year's, if any): reads, never writes.
    `extra`: issues found across documents (a department against its units)."""
    factor_of = functools.cache(db.display.factor_of)  # each cell is on many sides of the identities
    outcomes = tuple(run(db.checked, db.shown, factor=lambda keys: max((factor_of(k) for k in keys), default=1)))
    found = check_budget(db) + outcome_issues(db, outcomes) + list(extra or ())
    if previous is not None:
        found += _last_year_issues(db, previous)
    return Report(tuple(found), outcomes)


def _last_year_issues(db: DepartmentBudget, previous: DepartmentBudget) -> list[Issue]:
    """Every last-year figure typed in the file must equal what last year's own file computes."""
    found = []
    was = last_year.computed(previous)
    for key, (path, value) in last_year.typed(db.budget.last_year).items():
        computed = was.get(key, ZERO if key.startswith(("source.", "function.")) else None)
        if computed is not None and value != computed:
            found.append(issue("E306", db.where(("last_year", *path)), key=key, stated=money_text(value),
                               computed=money_text(computed), year=previous.year))
    return found
