"""Frictionless Data Packages (per document and for the whole site) and the JSON Schema of data.json,
all generated from the data dictionary (datadict.py)."""

from __future__ import annotations

import json
from typing import Any

from generator.compute.budget import DepartmentBudget
from generator.core import labels as lb
from generator.outputs import datadict as dd

PROFILE = "tabular-data-package"


def _text(label) -> str:
    return f"{label.zh} / {label.en}"


def resource(spec: dd.FileSpec, name: str, path: str, catalogue_resource=None, foreign_keys=None,
             schema: str | None = None) -> dict[str, Any]:
    """A CSV resource; its Table Schema in it, or (`schema`) the path of a shared schema file."""
    return {"name": name, "path": path, "profile": "tabular-data-resource", "title": _text(spec.title),
            "description": _text(spec.description), "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": schema if schema is not None else spec.table_schema(foreign_keys, catalogue_resource)}


def _table_keys(db: DepartmentBudget, number: str) -> tuple[dd.ForeignKey, ...]:
    table = db.tables[number]
    if table.code_label is None and not any(row.code for row, _ in table.all_rows()):
        return ()
    return (dd.ForeignKey("row_code", "economic" if table.code_label == lb.ECONOMIC_CODE else "functional"),)


def _tables(db: DepartmentBudget, numbers: list[str]) -> list[tuple[str, dd.FileSpec, tuple[dd.ForeignKey, ...]]]:
    """(table number, "" for the line items; spec; foreign keys) of each CSV of a document."""
    return [("", dd.LINE_ITEMS, dd.LINE_ITEMS.foreign_keys),
            *((number, dd.table_file(number), _table_keys(db, number)) for number in numbers)]


def document_resources(db: DepartmentBudget, numbers: list[str], prefix: str = "", base: str = "",
                       catalogue_resource=None, shared: bool = False) -> list[dict[str, Any]]:
    """The CSV resources of one document; names get `prefix`, paths `base`, and with `shared` their
    schemas are the site's shared schema files (the site package)."""
    catalogue_resource = catalogue_resource or (lambda kind: kind)
    return [resource(spec, f"{prefix}{spec.key}", f"{base}{spec.path}", catalogue_resource, keys,
                     schema_name(db.year, spec, keys) if shared else None)
            for _, spec, keys in _tables(db, numbers)]


def schema_name(year: int, spec: dd.FileSpec, keys: tuple[dd.ForeignKey, ...]) -> str:
    """Below data/: the site package's Table Schema of a CSV of `year` (with these foreign keys to that
    year's catalogue), one file shared by every document; the package would be ~4 KB a CSV otherwise."""
    return f"schema/{year}/{spec.key}{''.join(f'-{fk.catalogue}' for fk in keys)}.json"


def site_schemas(db: DepartmentBudget, numbers: list[str]) -> list[list]:
    """The shared schemas a document's CSVs use: [name, year, table number, [[field, catalogue] of each key]]."""
    return [[schema_name(db.year, spec, keys), db.year, number, [[fk.field, fk.catalogue] for fk in keys]]
            for number, spec, keys in _tables(db, numbers)]


def site_schema(year: int, number: str, keys: list[list[str]]) -> dict[str, Any]:
    """The content of a shared schema file (an entry of `site_schemas`)."""
    spec = dd.table_file(number) if number else dd.LINE_ITEMS
    return spec.table_schema(tuple(dd.ForeignKey(f, c) for f, c in keys), lambda kind: f"catalogue-{year}-{kind}")


def _title(db: DepartmentBudget) -> str:
    kind = "部门预算" if db.kind == "department" else "单位预算"
    return f"{db.budget.name.zh} {db.year}年{kind} / {db.budget.name.en}, {db.year} {'department' if db.kind == 'department' else 'unit'} budget"


def document_package(db: DepartmentBudget, numbers: list[str]) -> dict[str, Any]:
    """The package of one document's folder: its CSVs, and the catalogue rows they use (functional.csv, economic.csv)."""
    resources = document_resources(db, numbers)
    for kind in ("functional", "economic"):
        resources.append(resource(dd.CATALOGUE, kind, f"{kind}.csv"))
    return {"profile": PROFILE, "name": f"budget-{db.year}-{db.file_stem}", "title": _title(db),
            "description": _text(dd.PACKAGE.description), "resources": resources}


def site_resources(db: DepartmentBudget, numbers: list[str]) -> list[dict[str, Any]]:
    """One document's CSVs as resources of the site's data package."""
    return document_resources(db, numbers, prefix=f"{db.year}-{db.file_stem}-", base=f"{db.year}/{db.slug}/",
                              shared=True)


def site_package(documents: list[list[dict[str, Any]]], years: list[int]) -> dict[str, Any]:
    """`data/datapackage.json`: every document's CSVs (`site_resources` of each, in (year, slug) order) and
    the catalogue of each year, in one package."""
    resources = []
    for year in years:
        for kind in ("functional", "economic"):
            resources.append(resource(dd.CATALOGUE, f"catalogue-{year}-{kind}", f"catalogue/{year}/{kind}.csv"))
    for found in documents:
        resources += found
    return {"profile": PROFILE, "name": "budget-disclosure", "title": "部门预算公开数据 / Department budget disclosure data",
            "description": _text(dd.PACKAGE.description), "resources": resources}


def site_package_text(documents: list[str], years: list[int]) -> str:
    """`site_package` as compact JSON (one line, ending in a newline), from each document's resources
    already encoded (compact JSON lists, in (year, slug) order): the same text as encoding the whole
    package, without decoding and encoding every document's part again."""
    text = json.dumps(site_package([], years), ensure_ascii=False, separators=(",", ":"))
    assert text.endswith("]}"), "resources must be the package's last field"
    head, catalogues = text[:-2].rsplit('"resources":[', 1)
    items = [part for part in [catalogues, *(d[1:-1] for d in documents)] if part]
    return f'{head}"resources":[{",".join(items)}]}}\n'


# ---------------------------------------------------------------- the JSON Schema of data.json


def _s(kind: str | list[str], zh: str, en: str, **more: Any) -> dict[str, Any]:
    return {"type": kind, "description": f"{zh} / {en}", **more}


def _bilingual(zh: str, en: str) -> dict[str, Any]:
    return _s("object", zh, en, properties={"zh": {"type": "string"}, "en": {"type": "string"}},
              required=["zh", "en"], additionalProperties={"type": "string"})


AMOUNT = {"type": "string", "pattern": dd.AMOUNT_PATTERN}


def data_schema() -> dict[str, Any]:
    """The JSON Schema of every data.json; each property's description is what the data page shows."""
    row = _s("object", "表的一行", "One row of the table", required=["key", "code", "level", "name", "values"], properties={
        "key": _s("string", "行键", "The row's key"),
        "code": _s("string", "分类科目编码；合计行和收入行为空字符串", "The classification code; empty for totals and revenue rows",
                   pattern=r"^([0-9]{3}([0-9]{2}){0,2})?$"),
        "level": _s("string", "类、款、项或空", "类, 款, 项 or empty", enum=["类", "款", "项", ""]),
        "name": _bilingual("行名称（中文、英文）", "The row's name (Chinese, English)"),
        "values": _s("object", "列键 → 精确金额（元，文本）", "Column key → exact amount (yuan, as text)",
                     additionalProperties=AMOUNT),
    }, additionalProperties=False)
    table = _s("object", "一张表", "One table", required=["title", "unit", "layout", "columns", "rows", "cells", "notes"], properties={
        "title": _bilingual("表的标题", "The table's title"),
        "unit": _s("string", "本表在网页和PDF上的金额单位", "The unit the table prints its amounts in", enum=["万元", "元"]),
        "layout": _s("string", "版式：classified 按科目分类、balance 收支总表、single 单行表",
                     "Layout: classified (by classification), balance (revenue and expenditure), single (one row)",
                     enum=["classified", "balance", "single"]),
        "classification": _s("string", "行编码所属的分类：functional 功能分类、economic 经济分类，或空",
                              "The classification of the row codes: functional, economic, or empty", enum=["functional", "economic", ""]),
        "columns": _s("array", "列：键与名称", "The columns: key and name", items=_s("object", "一列", "One column",
                      required=["key", "name"], properties={"key": {"type": "string"}, "name": _bilingual("列名称", "Column name")})),
        "rows": _s("array", "各行，按印刷顺序", "The rows, in printed order", items=row),
        "cells": _s("object", "单元格键（表号.行.列）→ 精确金额（元）", "Cell key (table.row.column) → exact amount (yuan)",
                    additionalProperties=AMOUNT),
        "notes": _s("array", "表下的注释", "The notes under the table", items=_bilingual("注释", "Note")),
    })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "data.schema.json",
        "title": "部门预算表格数据 / Department budget tables (data.json)",
        "type": "object",
        "required": ["year", "department", "document", "unit", "display_unit", "tables"],
        "properties": {
            "$schema": _s("string", "本 JSON Schema 的相对地址", "The relative address of this JSON Schema"),
            "year": _s("integer", "预算年度", "The budget year"),
            "department": _s("object", "部门：网址名称、名称、主管部门、单位性质", "The department: URL name, name, supervisor, kind",
                             required=["slug", "name"], properties={"slug": {"type": "string", "pattern": dd.SLUG_PATTERN},
                                                                    "name": _bilingual("部门名称", "Department name")}),
            "document": _s("object", "文件：department 部门预算或 unit 单位预算，及其单位", "The document: department or unit budget, and its unit",
                           required=["kind", "name"], properties={
                               "kind": {"type": "string", "enum": ["department", "unit"]},
                               "name": _bilingual("文件上印的名称", "The name printed on the document"),
                               "unit": {"type": "object", "required": ["slug", "name", "kind"]}}),
            "unit": _s("string", "金额的单位：始终为元", "The unit of the amounts: always yuan (元)", const="元"),
            "display_unit": _s("string", "说明文字中的金额单位", "The unit of amounts in the text", enum=["万元", "元"]),
            "tables": _s("object", "表号 → 表", "Table number → table", additionalProperties=table),
        },
    }


def schema_fields(schema: dict[str, Any], prefix: str = "") -> list[tuple[str, str, str]]:
    """(path, type, description) of every described property of a JSON Schema, for the data page."""
    out = []
    for name, prop in schema.get("properties", {}).items():
        if name == "$schema" or "description" not in prop:
            continue
        path = f"{prefix}{name}"
        out.append((path, str(prop.get("type", "")), prop["description"]))
        out += schema_fields(prop, f"{path}.")
        for key, sub in (("additionalProperties", "*"), ("items", "[]")):
            inner = prop.get(key)
            if isinstance(inner, dict) and "properties" in inner:
                out += schema_fields(inner, f"{path}.{sub}." if sub == "*" else f"{path}{sub}.")
    return out
