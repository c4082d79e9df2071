"""load → validate → compute → check, for every budget file under content/budgets/ (BUDGET_DIR).

`load_content()` is the plain Python API the HTML and PDF stages (and `invoke check`)
consume. It never raises on bad content: every problem is an `Issue`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import BaseModel

from . import catalogue as catalogue_module
from . import semantic
from .checks import Outcome, Report, run
from .claim_labels import Vocabulary
from .diagnostics import ERROR, Issue, Location, issue, sort_key, suggestion
from .display import DisplayRule, money_text
from .figures import AMOUNT, COUNT, PERCENT, Figure, build_figures, closest, find_claims, matches, matching, split
from .frozen import FrozenMap
from .labels import Label
from .ledger import Ledger, project_amount
from .model import Budget, Text
from .money import ZERO
from .narrative import NarrativeWriter
from .sanitise import markdown_html, removal_issues, text_location
from .settings import BudgetSettings
from .source import SourceFile, read_file
from .tables import Table, build_tables
from .validate import check_meaning, parse

# Text fields that are names or targets, not prose: no placeholders, no claim checks.
NOT_PROSE = {"name", "supervisor", "target", "manager", "contact", "unit_head", "filled_by", "term"}
KIND_WORDS = {AMOUNT: Label("金额", "amount"), PERCENT: Label("百分比", "percentage"), COUNT: Label("项目个数", "project count")}


@dataclass(frozen=True)
class DepartmentBudget:
    """What compute makes of one budget file. Frozen: the reconciliation only reads it."""

    source: SourceFile
    budget: Budget
    ledger: Ledger
    tables: FrozenMap[str, Table]
    figures: FrozenMap[str, Figure]
    paragraphs: FrozenMap[str, tuple[Label, bool]]
    key_project_budgets: FrozenMap[str, Label]
    checked: FrozenMap[str, Decimal]  # the keyed amounts the reconciliation reads, exact yuan
    shown: FrozenMap[str, Decimal]  # the same as readers see them, in yuan
    vocabulary: Vocabulary  # the label words claims are matched by

    @property
    def slug(self) -> str:
        return self.budget.department.slug

    @property
    def year(self) -> int:
        return self.budget.year

    @property
    def unit(self) -> str:
        return self.budget.display_unit

    @property
    def display(self) -> DisplayRule:
        return DisplayRule(self.budget.display_unit)

    def where(self, data_path: tuple) -> Location:
        return self.source.positions.at(data_path)


@dataclass
class Content:
    budgets: list[DepartmentBudget]
    issues: list[Issue]
    reports: dict[tuple[str, int], Report]  # (slug, year) -> its reconciliation

    def report(self, db: DepartmentBudget) -> Report:
        return self.reports[(db.slug, db.year)]

    def failed(self, strict: bool = False) -> bool:
        return any(strict or i.severity == ERROR for i in self.issues)


# ---------------------------------------------------------------- prose


def prose_fields(obj: object, here: tuple = ()):
    """Every authored prose Text of a budget with its data path."""
    if isinstance(obj, Text):
        yield here, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name not in NOT_PROSE:
                yield from prose_fields(getattr(obj, name), here + (name,))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from prose_fields(item, here + (i,))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from prose_fields(item, here + (key,))


def name_fields(obj: object):
    """Every authored name (the NOT_PROSE texts) of a budget."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if name in NOT_PROSE and isinstance(value, Text):
                yield value
            else:
                yield from name_fields(value)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from name_fields(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from name_fields(item)


def _quoted(budget: Budget) -> list[str]:
    """The authored prose and names that generated sentences may quote, longest first."""
    prose = {v for _, t in prose_fields(budget) for v in (t.zh, t.en)}
    prose |= {v.strip().rstrip("。.；;，,") for v in prose}  # as the narrative quotes a reason
    names = {n for t in name_fields(budget) for n in (t.zh, t.en)}
    return sorted((v for v in prose | names if v.strip()), key=len, reverse=True)


PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.S)


def _without(text: str, quoted: list[str]) -> str:
    """A generated sentence with the authored parts it quotes blanked out (same offsets): prose
    is checked at its own line, and a number inside a name is not a claim, as in the name
    itself. A match that cuts a placeholder, or is part of a number ('0' in '100万元'), stays."""
    for value in quoted:
        if value not in text:
            continue
        spans = [m.span() for m in PLACEHOLDER.finditer(text)]

        def blank(m, spans=spans):
            a, b = m.span()
            if any(s < b and a < e and not (a <= s and e <= b) for s, e in spans):
                return m.group()
            return "_" * (b - a)

        text = re.sub(r"(?<![\d.,])" + re.escape(value) + r"(?![\d.,%])", blank, text)
    return text


def _nearest(claim, figures: dict[str, Figure], unit: str) -> Label:
    """'; the closest computed figure is {{name}} = …' for a claim that matches none."""
    name = closest(claim, figures)
    if name is None:
        return Label("", "")
    figure = figures[name]
    return Label(f"（最接近的计算数是 {{{{{name}}}}} = {figure.show('zh', unit)}）",
                f" (the closest computed figure is {{{{{name}}}}} = {figure.show('en', unit)})")


def check_claims(text: str, offset: int, figures: dict[str, Figure], locate, unit: str,
                 vocabulary: Vocabulary) -> list[Issue]:
    """A claim must equal a figure its label names (E310), or, with no label, any figure (E303)."""
    found = []
    claims = find_claims(text)
    named = None
    for i, claim in enumerate(claims):
        named = vocabulary.named(text, claims, i, figures, previous=named)
        where = locate(offset + claim.offset)
        if named is not None and matches(claim, named.figures):
            continue
        other = matching(claim, figures)
        if other is None:
            found.append(issue("E303", where, kind=KIND_WORDS[claim.kind], figure=claim.written,
                               hint=_nearest(claim, named.figures if named else figures, unit)))
        elif named is not None:
            name = closest(claim, named.figures)
            found.append(issue("E310", where, kind=KIND_WORDS[claim.kind], figure=claim.written, label=named.label,
                               named=Label(f"{{{{{name}}}}} = {named.figures[name].show('zh', unit)}",
                                           f"{{{{{name}}}}} = {named.figures[name].show('en', unit)}"),
                               other=f"{{{{{other}}}}}", placeholder=f"{{{{{name}}}}}"))
    return found


def check_placeholder_labels(text: str, figures: dict[str, Figure], locate, unit: str, lang: str,
                             vocabulary: Vocabulary) -> list[Issue]:
    """A placeholder after a label must be a figure the label names: not "其他收入{{income.财政拨款}}" (E311)."""
    out, spans = [], {}  # spans: where each placeholder's figure starts in the expanded text
    size = 0
    for kind, offset, content in split(text):
        if kind == "figure" and content in figures:
            spans[size] = (offset, content)
            content = figures[content].show(lang, unit)
        out.append(content)
        size += len(content)
    expanded = "".join(out)
    claims = find_claims(expanded)
    found, named = [], None
    for i, claim in enumerate(claims):
        named = vocabulary.named(expanded, claims, i, figures, previous=named)
        placeholder = spans.get(claim.offset)
        if placeholder is None or named is None:
            continue
        offset, key = placeholder
        if key not in named.figures and not matches(claim, named.figures):
            name = closest(claim, named.figures)
            found.append(issue("E311", locate(offset), key=key, label=named.label, named=f"{{{{{name}}}}}"))
    return found


def check_text(text: str, figures: dict[str, Figure], locate, unit: str = "万元",
               vocabulary: Vocabulary | None = None, lang: str = "zh") -> list[Issue]:
    """Placeholders must name figures; literal amounts, percentages and counts must match one."""
    vocabulary = vocabulary or Vocabulary()
    found = check_placeholder_labels(text, figures, locate, unit, lang, vocabulary)
    for kind, offset, content in split(text):
        if kind == "broken":
            shown = content.split("\n")[0]
            found.append(issue("E210", locate(offset), text=shown if len(shown) <= 30 else shown[:30] + "…"))
        elif kind == "figure" and content not in figures:
            close = difflib.get_close_matches(content, list(figures), n=3, cutoff=0.6)
            found.append(issue("E209", locate(offset), key=content, hint=suggestion(close)))
        elif kind == "text":
            found += check_claims(content, offset, figures, locate, unit, vocabulary)
    return found


# ---------------------------------------------------------------- one budget


def _checked_figures(db_figures: dict[str, Figure], budget: Budget) -> dict[str, Decimal]:
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


def relation(at_most: bool) -> str:
    """How the two sides of a failed comparison stand: ≠ for an equality, > for a bound."""
    return ">" if at_most else "≠"


def _outcome_location(db: DepartmentBudget, o: Outcome) -> Location:
    """Where to look: the form's sub-items, the form, the project, the procurement list, or the file."""
    at = db.source.positions.at
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
                where = db.source.positions.at(("display_unit",), key=True)
            # each side as readers see it: a project's budget in yuan, a table total in the display unit
            left, right, rule = o.comparison.left, o.comparison.right, db.display
            same_unit = rule.all_in_yuan(left) == rule.all_in_yuan(right)
            found.append(issue("W302", where, name=name, left=rule.side_text(o.left_shown, left),
                               right=rule.side_text(o.right_shown, right),
                               diff=rule.side_text(abs(o.left_shown - o.right_shown), keys) if same_unit
                               else money_text(abs(o.left_shown - o.right_shown))))
    return found


def compute(src: SourceFile, budget: Budget, cat, last_year_total: Decimal, phrasebooks=None) -> DepartmentBudget:
    ledger = Ledger(budget, cat)
    tables = build_tables(ledger)
    figures = build_figures(ledger, tables, last_year_total)
    writer = NarrativeWriter(budget, ledger, figures, cat, phrasebooks)
    checked = _checked_figures(figures, budget)
    rule = DisplayRule(budget.display_unit)
    return DepartmentBudget(
        source=src, budget=budget, ledger=ledger, tables=FrozenMap(tables), figures=FrozenMap(figures),
        vocabulary=Vocabulary.of(budget, cat, figures),
        paragraphs=FrozenMap(writer.paragraphs()),
        key_project_budgets=FrozenMap({p.id: (p.key.budget_note and Label(p.key.budget_note.zh, p.key.budget_note.en))
                                       or writer.key_project_budget(p.id) for p in budget.projects if p.key}),
        checked=FrozenMap(checked), shown=FrozenMap({k: rule.shown(k, v) for k, v in checked.items()}),
    )


def reconcile(db: DepartmentBudget, previous: DepartmentBudget | None = None) -> Report:
    """The checks, claims and identities of one computed budget (and last year's, if any): reads, never writes."""
    outcomes = tuple(run(db.checked, db.shown))
    found = check_budget(db) + outcome_issues(db, outcomes)
    if previous is not None:
        found += _last_year_issues(db, previous)
    return Report(tuple(found), outcomes)


def check_budget(db: DepartmentBudget) -> list[Issue]:
    """Everything but the identities: prose, claims, declared figures, forms, semantic checks."""
    found: list[Issue] = []
    budget, pos = db.budget, db.source.positions
    for here, text in prose_fields(budget):
        for lang in ("zh", "en"):
            path = here + (lang,)
            value = getattr(text, lang)
            found += check_text(value, db.figures, lambda off, p=path, v=value: pos.within(p, v, off), db.unit,
                                db.vocabulary, lang)
            found += removal_issues(value, markdown_html(value),
                                    lambda off, p=path, v=value: pos.within(p, v, off) if off is not None else pos.at(p))
    quoted = _quoted(budget)
    for text, authored in db.paragraphs.values():
        if not authored:  # generated text is checked too: a bug in the generator must not publish
            for lang in ("zh", "en"):
                found += check_text(_without(text(lang), quoted), db.figures, lambda off: Location(db.source.path), db.unit,
                                    db.vocabulary, lang)
    for key, stated in budget.declared.items():
        where = pos.at(("declared", key))
        figure = db.figures.get(key)
        if figure is None or figure.kind != AMOUNT:
            close = difflib.get_close_matches(key, [k for k, f in db.figures.items() if f.kind == AMOUNT], n=3, cutoff=0.6)
            found.append(issue("E212", pos.at(("declared", key), key=True), key=key, hint=suggestion(close)))
        elif figure.value != stated:
            found.append(issue("E304", where, key=key, stated=money_text(stated), computed=money_text(figure.value)))
    for i, p in enumerate(budget.projects):
        if p.form and p.form.last_year_budget is not None and p.form.last_year_executed is not None:
            if p.form.last_year_executed > p.form.last_year_budget:
                found.append(issue("W307", pos.at(("projects", i, "form", "last_year_executed")),
                                   executed=p.form.last_year_executed, budget=p.form.last_year_budget))
    found += semantic.check(db)
    return found


# ---------------------------------------------------------------- all budgets


def budget_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def display_path(path: Path, root: Path | None) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve())) if root else str(path)
    except ValueError:
        return str(path)


def _last_year_issues(db: DepartmentBudget, previous: DepartmentBudget) -> list[Issue]:
    """Stated last-year figures must equal what last year's own file computes."""
    found = []
    stated = db.budget.last_year
    prev_three = previous.tables["09"].rows[0].values
    pairs = [
        (("last_year", "total"), "total", stated.total, previous.ledger.total),
        (("last_year", "three_public", "outbound"), "three_public.outbound", stated.three_public.outbound, prev_three["outbound"]),
        (("last_year", "three_public", "reception"), "three_public.reception", stated.three_public.reception, prev_three["reception"]),
        (("last_year", "three_public", "vehicle_purchase"), "three_public.vehicle_purchase",
         stated.three_public.vehicle_purchase, prev_three["vehicle_purchase"]),
        (("last_year", "three_public", "vehicle_operation"), "three_public.vehicle_operation",
         stated.three_public.vehicle_operation, prev_three["vehicle_operation"]),
    ]
    if stated.operating_costs is not None and previous.ledger.operating_costs is not None:
        pairs.append((("last_year", "operating_costs"), "operating_costs", stated.operating_costs, previous.ledger.operating_costs))
    for path, key, value, computed in pairs:
        if value != computed:
            found.append(issue("E306", db.where(path), key=key, stated=money_text(value), computed=money_text(computed),
                               year=previous.year))
    return found


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


def load_content(content: Path, root: Path | None = None, budgets: Path | None = None, phrasebooks=None) -> Content:
    """Every budget file under `budgets` (default: the BUDGET_DIR default under `content`);
    `phrasebooks`: the narrative's languages ({lang: Phrasebook}, default zh and en)."""
    cat = catalogue_module.load()
    issues: list[Issue] = []
    parsed: list[tuple[SourceFile, Budget]] = []
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
        budget, found = parse(src)
        issues += found
        if budget is None:
            continue
        found = check_meaning(budget, src, cat)
        issues += found
        if not duplicate and not any(i.severity == ERROR for i in found):
            parsed.append((src, budget))

    budgets = [compute(src, budget, cat, budget.last_year.total, phrasebooks) for src, budget in parsed]
    by_key = {(db.slug, db.year): db for db in budgets}
    reports = {key: reconcile(db, by_key.get((db.slug, db.year - 1))) for key, db in by_key.items()}
    for report in reports.values():
        issues += report.issues
    budgets.sort(key=lambda db: (-db.year, db.slug))
    return Content(budgets, sorted(issues, key=sort_key), reports)


# ---------------------------------------------------------------- Markdown pages

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
