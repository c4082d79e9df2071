"""Validation: plain data -> a `Budget`, or the complete list of what is wrong with it.

Two passes, both reporting everything they find:
1. the format (model.py): types, required and unknown fields, amounts, codes' shape;
2. the meaning: codes known to the catalogue, unique ids, references, dates, budgets.
Pass 2 reads the file's data, not the model, so it runs even when pass 1 fails: one run
reports every problem of a file.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.catalogue import Catalogue
from generator.catalogue import load as load_catalogue
from generator.core import vocab
from generator.core.diagnostics import Issue, issue, suggestion
from generator.core.labels import Label
from generator.core.placeholders import LITERAL, PLACEHOLDER
from generator.load.migrate import CURRENT_FORMAT
from generator.load.model import Budget
from generator.load.pending import PENDING_CODES, pending_issues
from generator.load.source import SourceFile
from generator.load.structure import (
    ECONOMIC,
    FLAG,
    FUNCTION,
    as_dict,
    as_list,
    check_procurement,
    check_project,
    text_blocks,
    unit_at,
    unit_blocks,
    valid,
)

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
    if kind in PENDING_CODES:  # a text without English, or with English and `pending: en` (generator.load.pending)
        return issue(PENDING_CODES[kind], src.positions.at(loc, key=True), key=f"{field}.en" if field else "en")
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


def parse(src: SourceFile, cat: Catalogue | None = None) -> tuple[Budget | None, list[Issue]]:
    """The budget, or every format problem of the file and every meaning problem that can be
    found despite them (so one run reports everything)."""
    versions = check_format_version(src)
    data = src.data
    try:
        budget = Budget.model_validate(data)
    except ValidationError as exc:
        found = amounts_to_fill([_format_issue(err, src) for err in exc.errors(include_url=False)], src)
        if versions:  # E230/E231 say what is wrong with `format` (the model's E105/E116/E117 would repeat it)
            found = [i for i in found if i.params.get("field", i.params.get("key")) != "format"]
        return None, versions + found + check_meaning(None, src, cat or load_catalogue())
    if versions:  # not built until migrated; everything else of the file is still reported
        return None, versions + check_meaning(budget, src, cat or load_catalogue())
    return budget, []


# ---------------------------------------------------------------- the format version (generator.load.migrate)


def check_format_version(src: SourceFile) -> list[Issue]:
    """E230 for a file in an older format (no `format:`, or `format: 1`): `budget migrate` upgrades
    it; E231 for a file newer than this tool. Any other value is the model's to report."""
    data = as_dict(src.data)
    if "format" not in data:
        first = next(iter(data), None)
        where = src.positions.at((first,), key=True) if first is not None else src.positions.at(())
        return [issue("E230", where, path=src.path)]
    value = data["format"]
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,3}", value):
        return []
    if int(value) < CURRENT_FORMAT:
        return [issue("E230", src.positions.at(("format",)), path=src.path)]
    if int(value) > CURRENT_FORMAT:
        return [issue("E231", src.positions.at(("format",)), found=int(value), current=CURRENT_FORMAT)]
    return []


# `amount: null  # 2024: 372900`, as `budget new-year` writes it (generator.load.newyear)
TO_FILL = re.compile(r"#\s*(?P<year>\d{4}):\s*(?P<last>[^;#]*[0-9][^;#]*)")


def amounts_to_fill(found: list[Issue], src: SourceFile) -> list[Issue]:
    """An amount left `null` by `budget new-year` is an amount to fill (E232), not a mistake (E114)."""
    lines = src.positions.text.splitlines()
    out = []
    for i in found:
        line = i.location.line
        match = TO_FILL.search(lines[line - 1]) if i.code == "E114" and line and line <= len(lines) else None
        if match:
            i = issue("E232", i.location, field=i.params["field"], year=match["year"], last=match["last"].strip())
        out.append(i)
    return out


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


def check_meaning(budget: Budget | None, src: SourceFile, cat: Catalogue) -> list[Issue]:
    """Pass 2 on the file's data, so that it also runs when pass 1 found problems: every value
    is parsed as the model parses it, and one that is not valid is left to pass 1's message.
    (`budget` is accepted for the callers that have one; the data is the same.)"""
    found: list[Issue] = []
    at = src.positions.at
    data = as_dict(src.data)

    unknown: dict[tuple[str, str], list[tuple]] = {}  # (kind, code) -> where each line uses it: one E201/E202 per code

    def known_function(value, where: tuple):
        code = valid(FUNCTION, value)
        if code is not None and code not in cat.functional:
            unknown.setdefault(("functional", code), []).append(where)

    blocks = unit_blocks(data, at, found)
    first_line_of: dict[tuple, int | None] = {}
    used_functions, used_classes, all_codes_valid = set(), set(), True
    ids: dict[str, int | None] = {}
    unit_of: dict[str, tuple] = {}
    for base, block in blocks:
        for i, line in enumerate(as_list(block.get("basic"))):
            line = as_dict(line)
            known_function(line.get("function"), base + ("basic", i, "function"))
            economic = valid(ECONOMIC, line.get("economic"))
            if economic is not None and economic not in cat.economic:
                unknown.setdefault(("economic", economic), []).append(base + ("basic", i, "economic"))
            function = valid(FUNCTION, line.get("function"))
            if function is None or economic is None:
                all_codes_valid = False
                continue
            used_functions.add(function)
            used_classes.add(economic[:3])
            key = (base, function, economic, line.get("source", "一般公共预算"))
            if key in first_line_of:
                found.append(issue("W215", at(base + ("basic", i)), first_line=first_line_of[key]))
            else:
                first_line_of[key] = at(base + ("basic", i)).line
        for i, line in enumerate(as_list(block.get("other_spending"))):
            known_function(as_dict(line).get("function"), base + ("other_spending", i, "function"))
        for i, project in enumerate(as_list(block.get("projects"))):
            found += check_project(as_dict(project), base + ("projects", i), at, known_function, ids)
            # a purpose is printed for a 项 with project spending too (the list of 四: function_list)
            project = as_dict(project)
            codes = [project["function"]] if "function" in project else []
            for value in codes + [as_dict(line).get("function") for line in as_list(project.get("lines"))]:
                function = valid(FUNCTION, value)
                if function is None:
                    all_codes_valid = False
                else:
                    used_functions.add(function)
            if isinstance(as_dict(project).get("id"), str):
                unit_of.setdefault(as_dict(project)["id"], base)
        for i, item in enumerate(as_list(block.get("procurement"))):
            found += check_procurement(as_dict(item), base + ("procurement", i), at, ids, unit_of, base)
    for base, block in text_blocks(data):
        for code in as_dict(as_dict(block.get("last_year")).get("functions")):
            if code not in cat.functional and re.fullmatch(r"\d{3}(\d{2}){0,2}", str(code)):
                unknown.setdefault(("functional", code), []).append(base + ("last_year", "functions", code))
        for key in as_dict(as_dict(block.get("last_year")).get("sources")):
            if key not in vocab.source_keys():
                found.append(issue("E239", at(base + ("last_year", "sources", key), key=True), key=key,
                                   choices="、".join(vocab.source_keys())))
    projects = [as_dict(p) for _, block in blocks for p in as_list(block.get("projects"))]
    declared = [valid(FLAG, p.get("performance")) if "performance" in p else None for p in projects]
    if projects and not any(flag is True or (flag is None and p.get("form")) for flag, p in zip(declared, projects, strict=True)):
        first = next(base for base, block in blocks if as_list(block.get("projects")))  # the first unit with projects
        found.append(issue("W242", at(first + ("projects",), key=True), count=len(projects)))

    purposes = as_dict(data.get("purposes"))
    if all_codes_valid:  # otherwise a purpose may look unused only because its line is mistyped
        for code in as_dict(purposes.get("function")):
            if code not in used_functions and valid(FUNCTION, code) is not None:
                found.append(issue("E211", at(("purposes", "function", code), key=True), code=code))
        for code in as_dict(purposes.get("economic")):
            if code not in used_classes and re.fullmatch(r"\d{3}", code):
                found.append(issue("E211", at(("purposes", "economic", code), key=True), code=code))

    for base, block in text_blocks(data):
        if base:  # a unit's own budget: that unit's kind
            kinds = [unit_at(data, base).get("kind")]
        elif data.get("units"):
            kinds = [as_dict(u).get("kind") for u in as_list(data.get("units"))]
        else:
            kinds = [as_dict(data.get("department")).get("kind")]
        no_costs = all(k in vocab.UNIT_KINDS_KEYS and not vocab.unit_kind(k).operating_costs for k in kinds)
        if no_costs and as_dict(block.get("last_year")).get("operating_costs") is not None:
            found.append(issue("E214", at(base + ("last_year", "operating_costs"))))

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
    found += pending_issues(data, at)
    return found + unknown_codes(unknown, data, at, cat)


def _names_along(data, where: tuple) -> list[str]:
    """The Chinese names (name.zh) of the items on the way to `where` (a project's name for its function)."""
    names, node = [], data
    for step in where:
        node = node[step] if isinstance(node, dict) and step in node or isinstance(node, list) and isinstance(step, int) \
            and 0 <= step < len(node) else None
        name = as_dict(as_dict(node).get("name")).get("zh")
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
