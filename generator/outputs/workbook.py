"""budget.xlsx: the nine tables laid out as printed, and the line items, with openpyxl.

Each table sheet: the title (Chinese, English), the reporting unit and the unit, the headers,
then the rows as printed (classified tables: code, name, English name; balance tables: revenue
beside expenditure; totals where the document prints them). Amounts are numbers in the table's
unit (not text), with a number format; a row is always [… name zh, name en, amounts …].
The file is byte-for-byte the same for the same budget (fixed document dates and zip times).
"""

from __future__ import annotations

import io
import re
import zipfile
from copy import copy
from datetime import datetime
from decimal import Decimal
from itertools import zip_longest
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from generator.compute.budget import DepartmentBudget
from generator.core import labels as lb
from generator.core.money import to_unit
from generator.outputs import datadict as dd

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
MAX_TEXT = 32767  # the longest text a cell holds (a longer one: openpyxl's own error)


def _number_format(zero: str) -> str:
    """Two decimals, thousands grouped; a zero shows as the document prints it (blank by default)."""
    return "#,##0.00" if zero else '#,##0.00;-#,##0.00;""'


def _sheet_name(number: str, title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", f"{number} {title}")[:31]


def _put(ws, row: int, column: int, value: Any):
    """A cell; text always as text, never a formula or an error code ("=…", "#N/A" typed in a name),
    without the control characters a workbook cannot hold."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if (row, column) not in ws._cells and (isinstance(value, Decimal) or isinstance(value, str) and len(value) <= MAX_TEXT):
        cell = Cell(ws, row=row, column=column)  # what ws.cell(value=) makes, without its checks of the type
        cell._value, cell.data_type = value, "n" if isinstance(value, Decimal) else "s"
        ws._add_cell(cell)
        return cell
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


class _Styles:
    """Each distinct style of a workbook made once: at its first use by openpyxl's own setters (so the
    file's style tables come out in the same order, the same bytes), then its style array copied to
    every other cell that has it (a setter hashes the Font or Border each time: most of the time it took)."""

    def __init__(self) -> None:
        self.arrays: dict[tuple, StyleArray] = {}

    def apply(self, cell, key: tuple, number_format: str | None, bold: bool, boxed: bool) -> None:
        array = self.arrays.get(key)
        if array is not None:
            cell._style = copy(array)
            return
        if number_format is not None:
            cell.number_format = number_format
        if bold:
            cell.font = BOLD
        if boxed:
            cell.border = BOX
        if cell._style is not None:
            self.arrays[key] = copy(cell._style)


class _Sheet:
    def __init__(self, ws, number_format: str, styles: _Styles):
        self.ws, self.row, self.fmt, self.styles = ws, 1, number_format, styles

    def put(self, values: list[Any], bold: bool = False, boxed: bool = True) -> None:
        for col, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = _put(self.ws, self.row, col, value)
            number = isinstance(value, Decimal)
            if number or bold or boxed:
                fmt = self.fmt if number else None
                self.styles.apply(cell, (fmt, bold, boxed), fmt, bold, boxed)
        self.row += 1

    def head(self, title: tuple[str, str], reporting: str, unit: str, width: int) -> None:
        for text, size in ((title[0], 14), (title[1], 11)):
            _put(self.ws, self.row, 1, text).font = Font(bold=True, size=size)
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=width)
            self.ws.cell(row=self.row, column=1).alignment = Alignment(horizontal="center")
            self.row += 1
        _put(self.ws, self.row, 1, reporting)
        _put(self.ws, self.row, width, unit).alignment = Alignment(horizontal="right")
        self.row += 1


def _amounts(row, columns, unit: str) -> list[Decimal | None]:
    values = []
    for col in columns:
        value = row.values.get(col.key)
        values.append(None if value is None else to_unit(value, unit))
    return values


def _classified(sheet: _Sheet, table, unit: str) -> None:
    code_label = table.code_label or lb.FUNCTION_CODE
    name_label = table.name_label or lb.FUNCTION_NAME
    groups = [c.group.zh if c.group else "" for c in table.columns]
    if any(groups):
        sheet.put(["", "", "", *groups], bold=True)
    sheet.put([code_label.zh, name_label.zh, name_label.en, *(c.label.zh for c in table.columns)], bold=True)
    sheet.put(["code", "", "", *(c.label.en for c in table.columns)], bold=True)
    for row in table.rows:
        sheet.put([row.code or "", row.label.zh, row.label.en, *_amounts(row, table.columns, unit)], bold=not row.code)


def _balance(sheet: _Sheet, table, unit: str) -> None:
    left, right = table.sides
    sheet.put([left.heading.zh, left.heading.en, "", right.heading.zh, right.heading.en, *([""] * (len(right.columns) - 1))],
              bold=True)
    sheet.put([lb.ITEM.zh, lb.ITEM.en, *(c.label.zh for c in left.columns),
               lb.ITEM.zh, lb.ITEM.en, *(c.label.zh for c in right.columns)], bold=True)
    sheet.put(["", "", *(c.label.en for c in left.columns), "", "", *(c.label.en for c in right.columns)], bold=True)
    blank_left = [""] * (2 + len(left.columns))
    for a, b in zip_longest(left.rows, right.rows):
        cells = [a.label.zh, a.label.en, *_amounts(a, left.columns, unit)] if a else list(blank_left)
        cells += [b.label.zh, b.label.en, *_amounts(b, right.columns, unit)] if b else [""] * (2 + len(right.columns))
        sheet.put(cells)
    sheet.put([left.total.label.zh, left.total.label.en, *_amounts(left.total, left.columns, unit),
               right.total.label.zh, right.total.label.en, *_amounts(right.total, right.columns, unit)], bold=True)


def _single(sheet: _Sheet, table, unit: str) -> None:
    groups = [c.group.zh if c.group else "" for c in table.columns]
    if any(groups):
        sheet.put(["", "", *groups], bold=True)
    sheet.put([lb.ITEM.zh, lb.ITEM.en, *(c.label.zh for c in table.columns)], bold=True)
    sheet.put(["", "", *(c.label.en for c in table.columns)], bold=True)
    for row in table.rows:
        sheet.put([row.label.zh, row.label.en, *_amounts(row, table.columns, unit)])


def _width(table) -> int:
    if table.sides:
        return 4 + sum(len(s.columns) for s in table.sides)
    return (3 if table.layout == "classified" else 2) + len(table.columns)


def _text_width(value: Any) -> int:
    text = f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
    if text.isascii():
        return len(text)
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)  # a CJK character is two columns wide


def _fit(ws, width: int, first_row: int = 1) -> None:
    """Columns as wide as their widest cell below the title (at most 48), printed landscape on one page wide."""
    widest = dict.fromkeys(range(1, width + 1), 10)
    for (row, col), cell in ws._cells.items():  # the cells there are (an empty one adds nothing)
        if row >= first_row and col <= width and cell.value:
            widest[col] = max(widest[col], _text_width(cell.value) + 2)
    for col in range(1, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = min(48, widest[col])
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _line_items(wb: Workbook, items: list[dict[str, Any]]) -> None:
    ws = wb.create_sheet("明细 Line items")
    fields = dd.LINE_ITEMS.fields
    rows: list[list[Any]] = [[f.title.zh for f in fields], [f.title.en for f in fields]]
    rows += [[Decimal(row[f.name]) if f.type == "number" else row[f.name] for f in fields] for row in items]
    styles = _Styles()
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value != "":
                cell = _put(ws, r, c, value)
                if isinstance(value, Decimal):
                    styles.apply(cell, ("items",), "#,##0.00", False, False)
    for cell in ws[1] + ws[2]:
        cell.font = BOLD
    ws.freeze_panes = "A3"
    _fit(ws, len(fields))


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


class _Parts:
    """What openpyxl's writer puts in the zip archive, kept in memory in its order (the archive is written once, by _zip)."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}

    def writestr(self, name: str, data: str | bytes) -> None:
        self.parts[name] = data.encode("utf-8") if isinstance(data, str) else data

    def namelist(self) -> list[str]:
        return list(self.parts)

    def close(self) -> None:
        pass


class _Writer(ExcelWriter):
    """openpyxl's writer with each worksheet written in memory: openpyxl writes it to a temporary file,
    and making and removing one per sheet took a quarter of the time (3 s of 1 500 sheets)."""

    def write_worksheet(self, ws) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        out = io.BytesIO()
        writer = WorksheetWriter(ws, out=out)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], out.getvalue())
        self.manifest.append(ws)


def _zip(parts: dict[str, bytes], stamp: datetime) -> bytes:
    """The same bytes for the same workbook: every zip entry with a fixed time, in the same order, and the
    document's `modified` date its fixed `created` date (openpyxl's own save sets it to the time of saving)."""
    out = io.BytesIO()
    fixed = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts.items():
            entry = zipfile.ZipInfo(name, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            if name == "docProps/core.xml":
                content = _MODIFIED.sub(lambda m: m[1] + fixed + m[2], content)
            dst.writestr(entry, content)
    return out.getvalue()


def workbook(db: DepartmentBudget, data: dict[str, Any], items: list[dict[str, Any]]) -> bytes:
    """The workbook of one document: a sheet per table as printed, and the line items."""
    wb = Workbook()
    wb.remove(wb.active)
    stamp = datetime(db.year, 1, 1)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "budget-disclosure"
    wb.properties.title = f"{db.budget.name.zh} {db.year}"
    fmt = _number_format(db.display.zero)
    own = db.profile.tables.reporting_label or {}
    label = next((text for kind, text in own.items() if kind == db.kind), lb.REPORTING_UNIT)
    reporting = f"{label.zh}：{db.budget.name.zh}"
    styles = _Styles()
    for number, table in db.tables.items():
        title = data["tables"][number]["title"]
        unit = db.display.unit_of(number)
        ws = wb.create_sheet(_sheet_name(number, title["zh"]))
        sheet = _Sheet(ws, fmt, styles)
        width = _width(table)
        sheet.head((f"{number} {db.year}年{title['zh']}", f"{number} {db.year} {title['en']}"), reporting,
                   f"单位：{unit}（{lb.UNIT_NAMES[unit].en}）", width)
        layout = _balance if table.sides else _classified if table.layout == "classified" else _single  # any other: row by row
        layout(sheet, table, unit)
        for note in table.notes:
            _put(ws, sheet.row, 1, f"{note.zh} / {note.en}")
            sheet.row += 1
        _fit(ws, width, first_row=4)
    _line_items(wb, items)
    archive = _Parts()
    _Writer(wb, archive).save()
    return _zip(archive.parts, stamp)
