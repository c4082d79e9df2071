"""The structure of a budget file as data (pass 2 of validation, generator.load.validate): where its
line items and texts are (the file, or each of its units), and the checks of one project or one
procurement item. Every value is parsed as the model parses it; an invalid one is left to pass 1.
"""

from __future__ import annotations

import datetime as dt
import difflib
from decimal import Decimal

from pydantic import TypeAdapter, ValidationError

from generator.core.diagnostics import Issue, issue, suggestion
from generator.load.model import EconomicCode, FunctionCode, Money, Slug


def valid(adapter: TypeAdapter, value):
    """`value` parsed exactly as the model parses it, or None if it is not valid (pass 1 says why)."""
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


FUNCTION, ECONOMIC, SLUG = TypeAdapter(FunctionCode), TypeAdapter(EconomicCode), TypeAdapter(Slug)
MONEY, DATE, FLAG = TypeAdapter(Money), TypeAdapter(dt.date), TypeAdapter(bool)
COUNT = TypeAdapter(int)


def as_list(obj) -> list:
    return obj if isinstance(obj, list) else []


def as_dict(obj) -> dict:
    return obj if isinstance(obj, dict) else {}


LINE_KEYS = ("basic", "projects", "other_spending", "three_public", "procurement", "assets")


def unit_blocks(data: dict, at, found: list[Issue]) -> list[tuple[tuple, dict]]:
    """The mappings that hold line items, with their data paths: the file itself, or each unit.
    Reports the structural errors of the two forms (E233, E234, E235, E238)."""
    units = as_list(data.get("units"))
    department = as_dict(data.get("department"))
    if not units:
        if "kind" not in department and isinstance(data.get("department"), dict):
            found.append(issue("E234", at(("department",), key=True)))
        if "assets" not in data:
            found.append(issue("E238", at(())))
        return [((), data)]
    if "kind" in department:
        found.append(issue("E243", at(("department", "kind"), key=True)))
    for key in LINE_KEYS:
        if key in data:
            found.append(issue("E233", at((key,), key=True), key=key))
    slugs: dict[str, int | None] = {}
    for i, unit in enumerate(units):
        slug = as_dict(unit).get("slug")
        if isinstance(slug, str):
            if slug in slugs:
                found.append(issue("E235", at(("units", i, "slug")), slug=slug, first_line=slugs[slug]))
            else:
                slugs[slug] = at(("units", i, "slug")).line
    return [(("units", i), as_dict(unit)) for i, unit in enumerate(units)]


def text_blocks(data: dict) -> list[tuple[tuple, dict]]:
    """The mappings that hold a document's texts: the file, and each unit's `budget:`."""
    out: list[tuple[tuple, dict]] = [((), data)]
    for i, unit in enumerate(as_list(data.get("units"))):
        if isinstance(as_dict(unit).get("budget"), dict):
            out.append((("units", i, "budget"), as_dict(unit)["budget"]))
    return out


def unit_at(data: dict, base: tuple) -> dict:
    return as_dict(as_list(data.get("units"))[base[1]]) if len(base) >= 2 else {}


def check_project(project: dict, here: tuple, at, known_function, ids: dict) -> list[Issue]:
    found: list[Issue] = []
    project_id = project.get("id")
    if "function" in project:
        known_function(project.get("function"), here + ("function",))
    for j, line in enumerate(as_list(project.get("lines"))):
        known_function(as_dict(line).get("function"), here + ("lines", j, "function"))
    one_code = "function" in project or "funding" in project
    if one_code == ("lines" in project) or ("function" in project) != ("funding" in project) and "lines" not in project:
        found.append(issue("E236", at(here), id=project_id))
    key = as_dict(project.get("key"))
    count = valid(COUNT, project.get("count", 1))  # the loader keeps scalars as text ("3"): parse as the model does
    if key and count is not None and count > 1 and (key.get("name") is None or key.get("budget_note") is None):
        found.append(issue("E237", at(here + ("key",), key=True), id=project_id, count=count))
    if isinstance(project_id, str):
        if project_id in ids:
            found.append(issue("E203", at(here + ("id",)), id=project_id, first_line=ids[project_id]))
        else:
            ids[project_id] = at(here + ("id",)).line
    form = as_dict(project.get("form"))
    start, end = valid(DATE, form.get("start")), valid(DATE, form.get("end"))
    if start is not None and end is not None and end < start:
        found.append(issue("E207", at(here + ("form", "end")), start=start, end=end))
    amounts = [valid(MONEY, v) for v in as_dict(project.get("funding")).values()]
    amounts += [valid(MONEY, as_dict(line).get("amount")) for line in as_list(project.get("lines"))]
    total_budget = valid(MONEY, form.get("total_budget"))
    if amounts and None not in amounts and total_budget is not None:
        this_year = sum(amounts, Decimal(0))
        if total_budget < this_year:
            found.append(issue("E208", at(here + ("form", "total_budget")), total=total_budget, this_year=this_year))
    return found


def check_procurement(item: dict, here: tuple, at, ids: dict, unit_of: dict, base: tuple) -> list[Issue]:
    found: list[Issue] = []
    ref = valid(SLUG, item.get("project"))
    if ref is not None and ref not in ids:
        close = difflib.get_close_matches(ref, list(ids), n=2, cutoff=0.5)
        found.append(issue("E205", at(here + ("project",)), id=ref, hint=suggestion(close)))
    elif ref is not None and unit_of.get(ref, base) != base:
        found.append(issue("E241", at(here + ("project",)), id=ref))
    amount = valid(MONEY, item.get("amount"))
    sme = valid(MONEY, item.get("reserved_sme", "0"))
    micro = valid(MONEY, item.get("reserved_micro", "0"))
    if amount is not None and sme is not None and sme > amount:
        found.append(issue("E206", at(here + ("reserved_sme",)), sme=sme, amount=amount))
    if sme is not None and micro is not None and micro > sme:
        found.append(issue("E226", at(here + ("reserved_micro",)), micro=micro, sme=sme))
    return found
