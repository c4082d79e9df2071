"""The checks of prose: placeholders, typed claims against the figures their words name, sanitised HTML."""

from __future__ import annotations

import difflib
import re

from pydantic import BaseModel

from generator.compute.budget import DepartmentBudget
from generator.compute.claim_labels import Vocabulary
from generator.compute.figures import AMOUNT, COUNT, PERCENT, Figure, closest, find_claims, matches, matching, split
from generator.core.diagnostics import Issue, Location, issue, suggestion
from generator.core.display import money_text
from generator.core.labels import Label
from generator.core.sanitise import markdown_html, removal_issues
from generator.load.documents import Document, walk_document
from generator.load.model import Budget, Text, walk
from generator.reconcile import semantic

# Text fields that are names or targets, not prose: no placeholders, no claim checks.
NOT_PROSE = {"name", "supervisor", "target", "manager", "contact", "unit_head", "filled_by", "term"}


KIND_WORDS = {AMOUNT: Label("金额", "amount"), PERCENT: Label("百分比", "percentage"), COUNT: Label("项目个数", "project count")}


def prose_fields(obj: object, here: tuple = ()):
    """Every authored prose Text of a budget (or document) with its path in the file."""
    if isinstance(obj, Document):
        return walk_document(obj, Text, NOT_PROSE)
    return walk(obj, Text, NOT_PROSE, here)


def name_fields(obj: object):
    """Every authored name (the NOT_PROSE texts) of a budget (or document)."""
    if isinstance(obj, Document):
        yield from (t for path, t in walk_document(obj, Text, set()) if path and path[-1] in NOT_PROSE)
    elif isinstance(obj, BaseModel):
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
    prose = {v for _, t in prose_fields(budget) for v in (t.zh, t.en) if v is not None}
    prose |= {v.strip().rstrip("。.；;，,") for v in prose}  # as the narrative quotes a reason
    names = {n for t in name_fields(budget) for n in (t.zh, t.en) if n is not None}
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


def check_budget(db: DepartmentBudget) -> list[Issue]:
    """Everything but the identities: prose, claims, declared figures, forms, semantic checks."""
    found: list[Issue] = []
    budget, pos = db.budget, db.source.positions
    for here, text in prose_fields(budget):
        for lang in ("zh", "en"):
            path = here + (lang,)
            value = getattr(text, lang)
            if value is None:  # a pending translation (W246)
                continue
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
        where = db.where(("declared", key))
        figure = db.figures.get(key)
        if figure is None or figure.kind != AMOUNT:
            close = difflib.get_close_matches(key, [k for k, f in db.figures.items() if f.kind == AMOUNT], n=3, cutoff=0.6)
            found.append(issue("E212", db.where(("declared", key), key=True), key=key, hint=suggestion(close)))
        elif figure.value != stated:
            found.append(issue("E304", where, key=key, stated=money_text(stated), computed=money_text(figure.value)))
    for i, p in enumerate(budget.projects):
        if p.form and p.form.last_year_budget is not None and p.form.last_year_executed is not None:
            if p.form.last_year_executed > p.form.last_year_budget:
                found.append(issue("W307", db.where(("projects", i, "form", "last_year_executed")),
                                   executed=p.form.last_year_executed, budget=p.form.last_year_budget))
    found += semantic.check(db)
    return found
