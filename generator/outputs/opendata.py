"""The open data, written once per document (not per language) under `data/`:

    data/{year}/{department}/            the 部门预算
    data/{year}/{department}/{unit}/     a unit's own 单位预算
        line-items.csv  table-01.csv … table-09.csv  data.json  reconciliation.json
        budget.xlsx  functional.csv  economic.csv  datapackage.json
    data/catalogue/{year}/functional.csv, economic.csv   the catalogue in force for the year
    data/schema/data.schema.json                          the JSON Schema of data.json
    data/datapackage.json                                 every CSV of the site in one package

The CSVs take their columns from the data dictionary (datadict.py), which also gives the
Table Schemas and the data page, and are UTF-8 with a BOM (spreadsheets read it as UTF-8).
Amounts are exact yuan, written from Decimal as text (never through a float).

This module makes the files; datafiles.py says which files the site has and keeps them in the
page cache, so a rebuild with a document unchanged does not make them again.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from generator.catalogue import Catalogue
from generator.compute.brief import Brief
from generator.compute.budget import DepartmentBudget
from generator.core import labels as lb
from generator.core import vocab
from generator.core.money import to_unit
from generator.outputs import datadict as dd
from generator.outputs import packages
from generator.reconcile.checks import Report

LEVELS = {3: "类", 5: "款", 7: "项"}


def folder(db: DepartmentBudget | Brief) -> str:
    """The document's data folder, relative to the output folder: `data/2024/dept/`."""
    return f"data/{db.year}/{db.slug}/"


def yuan(value: Decimal) -> str:
    """An exact amount as text with two decimals: Decimal formatting, no float."""
    return f"{value:.2f}"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would read a cell starting so as a formula


def inert(value: str) -> str:
    """A text cell a spreadsheet shows as text: one starting like a formula (a typed name "=HYPERLINK(…)")
    gets a leading apostrophe, as OWASP advises against CSV injection."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_text(spec: dd.FileSpec, rows: Iterable[dict[str, Any]]) -> str:
    """The rows in the dictionary's columns (a column a row lacks: empty; a key not in the dictionary: an error)."""
    header = list(spec.header)
    columns, texts = set(header), {f.name for f in spec.fields if f.type == "string"}
    text = [name in texts for name in header]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        if extra := row.keys() - columns:
            raise ValueError(f"{spec.path}: not in the data dictionary: {sorted(extra)}")
        values = [row.get(name, "") for name in header]
        w.writerow([inert(v) if t and isinstance(v, str) else v for v, t in zip(values, text, strict=True)])
    return "\ufeff" + buf.getvalue()  # UTF-8 with a BOM, for spreadsheets


def _name(entry) -> tuple[str, str]:
    return (entry.zh, entry.en) if entry is not None else ("", "")


# ---------------------------------------------------------------- rows


def line_item_rows(db: DepartmentBudget) -> list[dict[str, Any]]:
    """One row per ledger line, in the order of the file, with codes and names in separate columns."""
    cat = db.ledger.catalogue
    parts = {p.slug: p for p in db.budget.parts}
    kinds = {k.key: k.label for k in vocab.EXPENDITURE_KINDS}
    rows = []
    for n, line in enumerate(db.ledger.lines, start=1):
        part = parts[line.unit]
        project = db.ledger.project(line.project) if line.project else None
        fzh, fen = _name(cat.functional.get(line.function))
        ezh, een = _name(cat.economic.get(line.economic)) if line.economic else ("", "")
        rows.append({
            "line": n, "unit_slug": part.slug, "unit_name_zh": part.name.zh, "unit_name_en": part.name.en, "unit_kind": part.kind,
            "line_kind": line.kind, "line_kind_name_zh": kinds[line.kind].zh, "line_kind_name_en": kinds[line.kind].en,
            "function_code": line.function, "function_name_zh": fzh, "function_name_en": fen,
            "economic_code": line.economic or "", "economic_name_zh": ezh, "economic_name_en": een,
            "source": line.source, "source_name_en": vocab.source(line.source).label.en,
            "project_id": line.project or "", "project_name_zh": project.name.zh if project else "",
            "project_name_en": project.name.en if project else "",
            "amount_yuan": yuan(line.amount),
        })
    return rows


def economic_table(table) -> bool:
    return table.code_label == lb.ECONOMIC_CODE


def table_rows(db: DepartmentBudget, number: str) -> list[dict[str, Any]]:
    """One row per cell of a table that holds an amount: its row and column (codes, names), exact and shown."""
    table, unit = db.tables[number], db.display.unit_of(number)
    rows = []
    for row, columns in table.all_rows():
        for col in columns:
            value = row.values.get(col.key)
            if value is None:
                continue
            rows.append({
                "table": number, "cell": f"{number}.{row.key}.{col.key}", "row_key": row.key,
                "row_code": row.code, "row_level": LEVELS.get(len(row.code), ""),
                "row_name_zh": row.label.zh, "row_name_en": row.label.en,
                "column_key": col.key, "column_name_zh": col.label.zh, "column_name_en": col.label.en,
                "amount_yuan": yuan(value), "unit": unit, "amount_shown": yuan(to_unit(value, unit)),
            })
    return rows


def codes_used(db: DepartmentBudget) -> dict[str, set[str]]:
    """The catalogue codes a document's files name (each with its 类 and 款)."""
    used: dict[str, set[str]] = {"functional": set(), "economic": set()}
    for line in db.ledger.lines:
        used["functional"].update(Catalogue.lineage(line.function))
        if line.economic:
            used["economic"].update(Catalogue.lineage(line.economic))
    for table in db.tables.values():
        kind = "economic" if economic_table(table) else "functional"
        for row, _ in table.all_rows():
            if row.code:
                used[kind].update(Catalogue.lineage(row.code))
    return used


def catalogue_rows(cat: Catalogue, kind: str, only: set[str] | None = None) -> list[dict[str, Any]]:
    return [{"code": e.code, "level": e.level, "name_zh": e.zh, "name_en": e.en, "local": "true" if e.local else "false"}
            for code, e in sorted(cat.table(kind).items()) if only is None or code in only]


# ---------------------------------------------------------------- JSON


def data_json(db: DepartmentBudget) -> dict[str, Any]:
    """Every table of the document: per-table unit as displayed, columns, rows with codes and names, cells."""
    part = db.document.unit
    tables = {}
    for number, t in db.tables.items():
        columns: dict[str, dict[str, Any]] = {}
        rows = []
        for row, cols in t.all_rows():
            for col in cols:
                columns.setdefault(col.key, {"key": col.key, "name": dict(col.label)})
            rows.append({"key": row.key, "code": row.code, "level": LEVELS.get(len(row.code), ""), "name": dict(row.label),
                         "values": {k: yuan(v) for k, v in row.values.items() if v is not None}})
        title = db.profile.table_title(db.kind, number) or t.title
        tables[number] = {"title": dict(title), "unit": db.display.unit_of(number), "layout": t.layout,
                          "classification": "economic" if economic_table(t) else ("functional" if t.code_label else ""),
                          "columns": list(columns.values()), "rows": rows,
                          "cells": {k: yuan(v) for k, v in t.cells().items()},
                          "notes": [dict(n) for n in t.notes]}
    return {
        "$schema": "../" * (db.slug.count("/") + 2) + "schema/data.schema.json",
        "year": db.year,
        "department": db.budget.department.model_dump(exclude_none=True),
        "document": {"kind": db.kind, "name": dict(db.budget.name),
                     **({"unit": {"slug": part.slug, "name": dict(part.name), "kind": part.kind}} if part else {})},
        "unit": "元",
        "display_unit": db.unit,
        "tables": tables,
    }


def reconciliation_json(db: DepartmentBudget, report: Report) -> dict[str, Any]:
    return {"year": db.year, "department": db.slug, "unit": "元", "all_agree": report.all_agree,
            "outcomes": [o.as_dict() for o in report.outcomes]}


def workbook(db: DepartmentBudget, data: dict[str, Any], items: list[dict[str, Any]]) -> bytes:
    """budget.xlsx (workbook.py; openpyxl is imported only when a workbook is made, not by every rebuild)."""
    from generator.outputs import workbook as xlsx

    return xlsx.workbook(db, data, items)


def dumps(data: Any, compact: bool = False) -> str:
    """JSON text: the data files (data.json, reconciliation.json: large, read by programs) `compact`, on one
    line by the C encoder (an indent takes the pure-Python one, four times slower), and the site's
    data/datapackage.json (every CSV of the site: megabytes in a district); a document's package and
    the schema (small, read by people) indented."""
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# ---------------------------------------------------------------- files


def document_files(db: DepartmentBudget, report: Report) -> dict[str, str | bytes]:
    """The files of one document, by name in its folder."""
    files: dict[str, str | bytes] = {}
    items = line_item_rows(db)
    files[dd.LINE_ITEMS.path] = csv_text(dd.LINE_ITEMS, items)
    tables = {number: table_rows(db, number) for number in db.tables}
    for number, rows in tables.items():
        files[f"table-{number}.csv"] = csv_text(dd.TABLES, rows)
    used = codes_used(db)
    for kind in ("functional", "economic"):
        files[f"{kind}.csv"] = csv_text(dd.CATALOGUE, catalogue_rows(db.ledger.catalogue, kind, used[kind]))
    data = data_json(db)
    files[dd.DATA_JSON.path] = dumps(data, compact=True)
    files[dd.RECONCILIATION_JSON.path] = dumps(reconciliation_json(db, report), compact=True)
    files[dd.WORKBOOK.path] = workbook(db, data, items)
    files[dd.PACKAGE.path] = dumps(packages.document_package(db, list(db.tables)))
    return files


def size(content: str | bytes) -> int:
    return len(content.encode("utf-8") if isinstance(content, str) else content)
