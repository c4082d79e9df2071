"""Validation: plain data -> a `Budget`, or the complete list of what is wrong with it.

Two passes, both reporting everything they find:
1. the format (model.py): types, required and unknown fields, amounts, codes' shape;
2. the meaning: codes known to the catalogue, unique ids, references, dates, budgets.
Pass 2 reads the file's data, not the model, so it runs even when pass 1 fails: one run
reports every problem of a file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.catalogue import Catalogue
from generator.catalogue import load as load_catalogue
from generator.core.diagnostics import Issue, issue, suggestion
from generator.core.labels import Label
from generator.core.placeholders import LITERAL, PLACEHOLDER
from generator.load.model import Budget, EconomicCode, FunctionCode, Money, Slug
from generator.load.source import SourceFile

CJK = re.compile(r"[\u3400-\u9fff]")


# ---------------------------------------------------------------- pass 1: the format


def _inner(annotation):
    """Strip Optional/Annotated wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the field at `loc` (for 'did you mean' on unknown keys)."""
    current = Budget
    for step in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(step) if isinstance(step, str) else None
            if field is None:
                return None
            current = _inner(field.annotation)
        else:
            origin = typing.get_origin(current)
            if origin in (list, dict):
                current = _inner(typing.get_args(current)[-1])
            else:
                return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _is_negative_number(text) -> bool:
    try:
        return Decimal(str(text)) < 0
    except (InvalidOperation, ValueError):
        return False


# What a value of the wrong kind should have been (E106), by pydantic error type.
_MAPPING = Label("包含若干字段的映射（键: 值）", "a mapping of fields (key: value)")
_WHOLE = Label("整数", "a whole number")
_DATE = Label("日期，格式 YYYY-MM-DD", "a date, YYYY-MM-DD")
EXPECTED = {
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dict_type": Label("映射（键: 值）", "a mapping (key: value)"),
    "list_type": Label("列表（每项以 - 开头）", "a list (items starting with -)"),
    "string_type": Label("文字", "text"),
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_parsing": _DATE,
    "date_type": _DATE,
    "bool_parsing": Label("true 或 false", "true or false"),
}
# Size and length problems, each its own code.
LENGTH_CODES = {"int_parsing_size": "E122", "too_short": "E119", "string_too_short": "E120", "string_too_long": "E121"}


def _format_issue(err: Mapping[str, Any], src: SourceFile) -> Issue:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    where = None
    if loc and loc[-1] == "[key]":  # a mapping key that is not allowed, e.g. a funding source
        loc = loc[:-1]
        value = loc[-1]
        where = src.positions.at(loc, key=True)
    field = ".".join(str(p) for p in loc)
    if kind == "missing":  # reported where the mapping that lacks it is named
        return issue("E105", src.positions.at(loc[:-1], key=True), key=field)
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=2, cutoff=0.6)
        return issue("E104", src.positions.at(loc, key=True), key=loc[-1], hint=suggestion(close))
    where = where or src.positions.at(loc)
    if value is None:  # `key:` or `key: null` with nothing after it
        if kind in ("model_type", "model_attributes_type"):
            return issue("E105", where, key=field)
        return issue("E114", where, field=field)
    if kind in ("decimal_parsing", "decimal_type", "finite_number"):
        if isinstance(value, (list, dict)):
            return issue("E106", where, field=field, expected=Label("金额（一个数字）", "an amount (one number)"))
        return issue("E109", where, value=value)
    if kind == "decimal_max_places":
        return issue("E108", where, value=value)
    if kind == "greater_than_equal":
        if isinstance(ctx.get("ge"), Decimal) and _is_negative_number(value):
            return issue("E107", where, value=value)
        limit = ctx.get("ge")
        return issue("E116", where, field=field, value=value, limit=limit)
    if kind == "less_than_equal":
        limit = ctx.get("le")
        if isinstance(limit, Decimal):
            return issue("E115", where, field=field, value=value, limit=limit)
        return issue("E117", where, field=field, value=value, limit=limit)
    if kind == "string_pattern_mismatch":
        pattern = ctx["pattern"]
        if pattern.startswith(r"^\d"):
            digits = re.findall(r"\{(\d+)\}", pattern)[0]
            return issue("E110", where, value=value, digits=digits)
        return issue("E118", where, field=field, value=value)
    if kind == "year_digits":
        return issue("E113", where, value=value)
    if kind in ("literal_error", "enum"):
        return issue("E111", where, value=value, choices=ctx.get("expected", ""))
    if kind in LENGTH_CODES:
        return issue(LENGTH_CODES[kind], where, field=field, value=value, limit=ctx.get("max_length", ""))
    if kind in EXPECTED:
        return issue("E106", where, field=field, expected=EXPECTED[kind])
    return issue("E123", where, field=field, problem=err["msg"])


def parse(src: SourceFile) -> tuple[Budget | None, list[Issue]]:
    """The budget, or every format problem of the file and every meaning problem that can be
    found despite them (so one run reports everything)."""
    try:
        return Budget.model_validate(src.data), []
    except ValidationError as exc:
        found = [_format_issue(err, src) for err in exc.errors(include_url=False)]
    return None, found + check_meaning(None, src, load_catalogue())


# ---------------------------------------------------------------- pass 2: the meaning


def _without_figure_names(text: str) -> str:
    """`text` with every `{{figure}}` blanked (same length); `{{literal: …}}` text is published, so kept."""
    return PLACEHOLDER.sub(lambda m: m.group(0) if LITERAL.match(m.group(1)) else " " * len(m.group(0)), text)


def _texts(obj, here: tuple):
    """Every (path, Text-like mapping) in the raw data, for language checks."""
    if isinstance(obj, dict):
        if set(obj) == {"zh", "en"} and all(isinstance(v, str) for v in obj.values()):
            yield here, obj
            return
        for k, v in obj.items():
            yield from _texts(v, here + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _texts(v, here + (i,))


# Names and short entries: shown as typed, also inside generated sentences, never read for
# placeholders (pipeline.NOT_PROSE lists the same fields).
NAMES = {"name", "supervisor", "target", "manager", "contact", "unit_head", "filled_by", "term"}


def _valid(adapter: TypeAdapter, value):
    """`value` parsed exactly as the model parses it, or None if it is not valid (pass 1 says why)."""
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


FUNCTION, ECONOMIC, SLUG = TypeAdapter(FunctionCode), TypeAdapter(EconomicCode), TypeAdapter(Slug)
MONEY, DATE = TypeAdapter(Money), TypeAdapter(dt.date)


def _list(obj) -> list:
    return obj if isinstance(obj, list) else []


def _dict(obj) -> dict:
    return obj if isinstance(obj, dict) else {}


def check_meaning(budget: Budget | None, src: SourceFile, cat: Catalogue) -> list[Issue]:
    """Pass 2 on the file's data, so that it also runs when pass 1 found problems: every value
    is parsed as the model parses it, and one that is not valid is left to pass 1's message.
    (`budget` is accepted for the callers that have one; the data is the same.)"""
    found: list[Issue] = []
    at = src.positions.at
    data = _dict(src.data)

    unknown: dict[tuple[str, str], list[tuple]] = {}  # (kind, code) -> where each line uses it: one E201/E202 per code

    def known_function(value, where: tuple):
        code = _valid(FUNCTION, value)
        if code is not None and code not in cat.functional:
            unknown.setdefault(("functional", code), []).append(where)

    first_line_of: dict[tuple, int | None] = {}
    used_functions, used_classes, all_codes_valid = set(), set(), True
    for i, line in enumerate(_list(data.get("basic"))):
        line = _dict(line)
        known_function(line.get("function"), ("basic", i, "function"))
        economic = _valid(ECONOMIC, line.get("economic"))
        if economic is not None and economic not in cat.economic:
            unknown.setdefault(("economic", economic), []).append(("basic", i, "economic"))
        function = _valid(FUNCTION, line.get("function"))
        if function is None or economic is None:
            all_codes_valid = False
            continue
        used_functions.add(function)
        used_classes.add(economic[:3])
        key = (function, economic, line.get("source", "一般公共预算"))
        if key in first_line_of:
            found.append(issue("W215", at(("basic", i)), first_line=first_line_of[key]))
        else:
            first_line_of[key] = at(("basic", i)).line

    ids: dict[str, int | None] = {}
    for i, project in enumerate(_list(data.get("projects"))):
        project = _dict(project)
        known_function(project.get("function"), ("projects", i, "function"))
        project_id = project.get("id")
        if isinstance(project_id, str):
            if project_id in ids:
                found.append(issue("E203", at(("projects", i, "id")), id=project_id, first_line=ids[project_id]))
            else:
                ids[project_id] = at(("projects", i, "id")).line
        form = _dict(project.get("form"))
        here: tuple[str | int, ...] = ("projects", i, "form")
        start, end = _valid(DATE, form.get("start")), _valid(DATE, form.get("end"))
        if start is not None and end is not None and end < start:
            found.append(issue("E207", at(here + ("end",)), start=start, end=end))
        amounts = [_valid(MONEY, v) for v in _dict(project.get("funding")).values()]
        total_budget = _valid(MONEY, form.get("total_budget"))
        if amounts and None not in amounts and total_budget is not None:
            this_year = sum(amounts, Decimal(0))
            if total_budget < this_year:
                found.append(issue("E208", at(here + ("total_budget",)), total=total_budget, this_year=this_year))

    for i, item in enumerate(_list(data.get("procurement"))):
        item = _dict(item)
        here = ("procurement", i)
        ref = _valid(SLUG, item.get("project"))
        if ref is not None and ref not in ids:
            close = difflib.get_close_matches(ref, list(ids), n=2, cutoff=0.5)
            found.append(issue("E205", at(here + ("project",)), id=ref, hint=suggestion(close)))
        amount = _valid(MONEY, item.get("amount"))
        sme = _valid(MONEY, item.get("reserved_sme", "0"))
        micro = _valid(MONEY, item.get("reserved_micro", "0"))
        if amount is not None and sme is not None and sme > amount:
            found.append(issue("E206", at(here + ("reserved_sme",)), sme=sme, amount=amount))
        if sme is not None and micro is not None and micro > sme:
            found.append(issue("E226", at(here + ("reserved_micro",)), micro=micro, sme=sme))

    purposes = _dict(data.get("purposes"))
    if all_codes_valid:  # otherwise a purpose may look unused only because its line is mistyped
        for code in _dict(purposes.get("function")):
            if code not in used_functions and _valid(FUNCTION, code) is not None:
                found.append(issue("E211", at(("purposes", "function", code), key=True), code=code))
        for code in _dict(purposes.get("economic")):
            if code not in used_classes and re.fullmatch(r"\d{3}", code):
                found.append(issue("E211", at(("purposes", "economic", code), key=True), code=code))

    if _dict(data.get("department")).get("kind") == "事业" and _dict(data.get("last_year")).get("operating_costs") is not None:
        found.append(issue("E214", at(("last_year", "operating_costs"))))

    for here, text in _texts(data, ()):
        if here and here[-1] in NAMES:
            for lang in ("zh", "en"):
                if "{{" in text[lang] or "}}" in text[lang]:
                    found.append(issue("E127", at(here + (lang,)), field=".".join(map(str, here + (lang,)))))
        # a placeholder's name is the same in both languages ({{income.财政拨款}}); what it prints is English
        english = _without_figure_names(text["en"])
        match = CJK.search(english)
        if match:
            start = max(match.start() - 10, 0)
            found.append(issue("W213", at(here + ("en",)), snippet=text["en"][start:match.start() + 10]))
    return found + unknown_codes(unknown, data, at, cat)


def _names_along(data, where: tuple) -> list[str]:
    """The Chinese names (name.zh) of the items on the way to `where` (a project's name for its function)."""
    names, node = [], data
    for step in where:
        node = node[step] if isinstance(node, dict) and step in node or isinstance(node, list) and isinstance(step, int) \
            and 0 <= step < len(node) else None
        name = _dict(_dict(node).get("name")).get("zh")
        if isinstance(name, str):
            names.append(name)
    return names


def unknown_codes(unknown: dict[tuple[str, str], list[tuple]], data, at, cat: Catalogue) -> list[Issue]:
    """One E201/E202 per unknown code, at its first line, with the number of lines using it, the
    neighbouring codes and codes named like the lines (with their names), the editions that have it,
    and how to add it as a local code (catalogue.Catalogue.advice)."""
    found = []
    for (kind, code), places in unknown.items():
        where = sorted((at(p) for p in places), key=lambda loc: (loc.line or 0, loc.col or 0))
        more = [str(loc.line) for loc in where[1:6] if loc.line is not None] + (["…"] if len(where) > 6 else [])
        lines = Label(f"，其余在第 {'、'.join(more)} 行" if more else "", f"; also lines {', '.join(more)}" if more else "")
        texts = [name for p in places for name in _names_along(data, p)]
        found.append(issue("E201" if kind == "functional" else "E202", where[0], code=code, edition=cat.edition,
                           count=len(places), lines=lines, **cat.advice(code, kind, texts)))
    return found
