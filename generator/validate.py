"""Validation: plain data -> a `Budget`, or the complete list of what is wrong with it.

Two passes, both reporting everything they find:
1. the format (model.py): types, required and unknown fields, amounts, codes' shape;
2. the meaning: codes known to the catalogue, unique ids, references, dates, budgets.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ValidationError

from .catalogue import Catalogue
from .diagnostics import Both, Issue, issue, suggestion
from .model import Budget
from .source import SourceFile

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


TYPE_WORDS = {
    "model_type": Both("应为包含若干字段的映射（键: 值）", "expected a mapping of fields (key: value)"),
    "dict_type": Both("应为映射（键: 值）", "expected a mapping (key: value)"),
    "list_type": Both("应为列表（每项以 - 开头）", "expected a list (items starting with -)"),
    "string_type": Both("应为文字", "expected text"),
    "int_parsing": Both("应为整数", "expected a whole number"),
    "int_from_float": Both("应为整数", "expected a whole number"),
    "date_from_datetime_parsing": Both("应为日期，格式 YYYY-MM-DD", "expected a date, YYYY-MM-DD"),
    "date_parsing": Both("应为日期，格式 YYYY-MM-DD", "expected a date, YYYY-MM-DD"),
    "date_type": Both("应为日期，格式 YYYY-MM-DD", "expected a date, YYYY-MM-DD"),
    "bool_parsing": Both("应为 true 或 false", "expected true or false"),
    "too_short": Both("至少需要一项", "needs at least one item"),
    "string_too_short": Both("不能为空", "must not be empty"),
    "string_too_long": Both("太长", "too long"),
    "greater_than_equal": Both("不能为负数", "must not be negative"),
    "less_than_equal": Both("超出允许范围", "out of range"),
}


def _format_issue(err: dict, src: SourceFile) -> Issue:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    if loc and loc[-1] == "[key]":  # a dict key that is not allowed, e.g. a funding source
        loc = loc[:-1]
        choices = err.get("ctx", {}).get("expected", "")
        return issue("E111", src.positions.at(loc, key=True), value=loc[-1], choices=choices)
    if kind == "missing":
        return issue("E105", src.positions.at(loc[:-1]), key=".".join(str(p) for p in loc))
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=2, cutoff=0.6)
        return issue("E104", src.positions.at(loc, key=True), key=loc[-1], hint=suggestion(close))
    where = src.positions.at(loc)
    if kind == "model_type" and value is None:
        return issue("E105", where, key=".".join(str(p) for p in loc))
    if kind in ("decimal_parsing", "decimal_type", "finite_number"):
        return issue("E109", where, value=value)
    if kind == "decimal_max_places":
        return issue("E108", where, value=value)
    if kind == "greater_than_equal" and _is_negative_number(value):
        return issue("E107", where, value=value)
    if kind == "string_pattern_mismatch":
        pattern = err["ctx"]["pattern"]
        if pattern.startswith(r"^\d"):
            digits = re.search(r"\{(\d+)\}", pattern).group(1)
            return issue("E110", where, value=value, detail=Both(f"应为 {digits} 位数字", f"expected {digits} digits"))
        return issue("E106", where, detail=Both(
            f"{value!r} 只能含小写字母、数字和连字符（-）", f"{value!r} may only contain lower-case letters, digits and hyphens"))
    if kind in ("literal_error", "enum"):
        return issue("E111", where, value=value, choices=err["ctx"]["expected"])
    words = TYPE_WORDS.get(kind)
    if words is None:
        words = Both(err["msg"], err["msg"])
    field = ".".join(str(p) for p in loc)
    return issue("E106", where, detail=Both(f"{field}：{words.zh}", f"{field}: {words.en}"))


def parse(src: SourceFile) -> tuple[Budget | None, list[Issue]]:
    try:
        return Budget.model_validate(src.data), []
    except ValidationError as exc:
        return None, [_format_issue(err, src) for err in exc.errors(include_url=False)]


# ---------------------------------------------------------------- pass 2: the meaning


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


def check_meaning(budget: Budget, src: SourceFile, cat: Catalogue) -> list[Issue]:
    found: list[Issue] = []
    at = src.positions.at

    def known_function(code: str, where: tuple):
        if code not in cat.functional or len(code) != 7:
            found.append(issue("E201", at(where), code=code, hint=suggestion(cat.nearest(code, cat.functional, 7))))

    first_line_of: dict[tuple, int] = {}
    for i, line in enumerate(budget.basic):
        known_function(line.function, ("basic", i, "function"))
        if line.economic not in cat.economic:
            found.append(issue("E202", at(("basic", i, "economic")), code=line.economic,
                               hint=suggestion(cat.nearest(line.economic, cat.economic, 5))))
        key = (line.function, line.economic, line.source)
        if key in first_line_of:
            found.append(issue("W215", at(("basic", i)), first_line=first_line_of[key]))
        else:
            first_line_of[key] = at(("basic", i)).line

    ids: dict[str, int] = {}
    for i, project in enumerate(budget.projects):
        known_function(project.function, ("projects", i, "function"))
        if project.id in ids:
            found.append(issue("E203", at(("projects", i, "id")), id=project.id, first_line=ids[project.id]))
        else:
            ids[project.id] = at(("projects", i, "id")).line
        form = project.form
        if form is None:
            continue
        here = ("projects", i, "form")
        if form.end < form.start:
            found.append(issue("E207", at(here + ("end",)), start=form.start, end=form.end))
        this_year = sum(project.funding.values(), Decimal(0))
        if form.total_budget < this_year:
            found.append(issue("E208", at(here + ("total_budget",)), total=form.total_budget, this_year=this_year))

    for i, item in enumerate(budget.procurement):
        here = ("procurement", i)
        if item.project is not None and item.project not in ids:
            close = difflib.get_close_matches(item.project, list(ids), n=2, cutoff=0.5)
            found.append(issue("E205", at(here + ("project",)), id=item.project, hint=suggestion(close)))
        if item.reserved_sme > item.amount:
            found.append(issue("E206", at(here + ("reserved_sme",)), detail=Both(
                f"面向中小企业预留 {item.reserved_sme} 元超过采购金额 {item.amount} 元",
                f"the amount reserved for SMEs ({item.reserved_sme} yuan) exceeds the purchase ({item.amount} yuan)")))
        if item.reserved_micro > item.reserved_sme:
            found.append(issue("E206", at(here + ("reserved_micro",)), detail=Both(
                f"面向小微企业预留 {item.reserved_micro} 元超过面向中小企业预留 {item.reserved_sme} 元（小微企业预留是中小企业预留的一部分）",
                f"the amount reserved for micro enterprises ({item.reserved_micro} yuan) exceeds the SME reservation "
                f"({item.reserved_sme} yuan), of which it is a part")))

    used_functions = {line.function for line in budget.basic}
    for code in budget.purposes.function:
        if code not in used_functions:
            found.append(issue("E211", at(("purposes", "function", code), key=True), code=code))
    used_classes = {line.economic[:3] for line in budget.basic}
    for code in budget.purposes.economic:
        if code not in used_classes:
            found.append(issue("E211", at(("purposes", "economic", code), key=True), code=code))

    if budget.department.kind == "事业" and budget.last_year.operating_costs is not None:
        found.append(issue("E214", at(("last_year", "operating_costs")), detail=Both(
            "事业单位没有机关运行经费，请删除 last_year.operating_costs（或把 department.kind 改为 行政/参公）",
            "public institutions (事业) have no 机关运行经费: remove last_year.operating_costs or change department.kind")))

    for here, text in _texts(src.data, ()):
        match = CJK.search(text["en"])
        if match:
            start = max(match.start() - 10, 0)
            found.append(issue("W213", at(here + ("en",)), snippet=text["en"][start:match.start() + 10]))
    return found
