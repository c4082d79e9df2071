"""Read a published budget PDF (a text layer and ruled tables, as WPS/Word or the project export it).

`read_pdf(path)` returns (PrintedDocument | None, issues). Each of the nine tables is found by its
title (the last title line above a ruled grid; a grid without a title above it continues the
table of the page before), its columns by their headers and its rows by codes or names
(generator/importer/grid.py). The narrative is cut into sections by the directory (目录) the
document prints, or by numbered headings (一、…). A file that is not a PDF, is damaged, has no
text layer (scanned) or holds no budget table gives one issue (E720–E725) and no document.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from generator import catalogue as catalogues
from generator.core.diagnostics import Issue, Location, issue
from generator.importer import grid
from generator.importer.narrative import metadata, sections
from generator.importer.printed import TABLE_NUMBERS, UNIT_FACTORS, Cell, Page, PrintedDocument, PrintedTable

UNIT = re.compile(r"单位[:：]\s*(万元|元)")
MIN_TEXT = 20  # characters of text a page of a budget has at the least


def table_number(line: str) -> str | None:
    """The number of the standard table a title line names, e.g. '2025年部门收入预算总表' -> '02'."""
    t = grid.norm(line)
    if not t.endswith("表") or len(t) > 48 or "…" in t or "..." in t or re.search(r"[，。；]", t):
        return None
    if "三公" in t:
        return "09"
    if "经济分类" in t and "基本支出" in t:
        return "08"
    if "功能分类" in t and "国有资本经营" in t:
        return "07"
    if "功能分类" in t and "政府性基金" in t:
        return "06"
    if "功能分类" in t and "一般公共预算" in t:
        return "05"
    if "总表" in t and "财政拨款收支" in t:
        return "04"
    if "总表" in t and "收支" in t:
        return "01"
    if "总表" in t and "支出" in t:
        return "03"
    if "总表" in t and "收入" in t:
        return "02"
    return None


def _open(path: Path) -> tuple[object | None, list[Issue]]:
    import pdfplumber  # imported here: only reading a PDF needs it
    from pdfminer.pdfparser import PDFSyntaxError

    where = Location(str(path))
    try:
        head = path.read_bytes()[:1024]
    except OSError as e:
        return None, [issue("E720", where, problem=e.strerror or str(e))]
    if b"%PDF-" not in head:
        return None, [issue("E721", where)]
    try:
        pdf = pdfplumber.open(str(path))
        _ = pdf.pages  # parses the page tree: a damaged file fails here
        if not pdf.pages:
            raise PDFSyntaxError("no pages")
        return pdf, []
    except Exception as e:  # pdfminer raises many kinds (PDFSyntaxError, PSEOF, KeyError, ValueError, …)
        return None, [issue("E722", where, problem=f"{type(e).__name__}: {e}".strip(": "))]


def read_pdf(path: str | Path) -> tuple[PrintedDocument | None, list[Issue]]:
    path = Path(path)
    where = Location(str(path))
    pdf, problems = _open(path)
    if pdf is None:
        return None, problems
    try:
        with pdf:  # type: ignore[attr-defined]
            return _read(pdf, path)
    except Exception as e:  # a page that pdfminer cannot parse half-way through
        return None, [issue("E722", where, problem=f"{type(e).__name__}: {e}")]


def _read(pdf, path: Path) -> tuple[PrintedDocument | None, list[Issue]]:
    where = Location(str(path))
    doc = PrintedDocument(path=str(path))
    raw_pages = []
    for number, page in enumerate(pdf.pages, start=1):
        text = page.extract_text() or ""
        raw_pages.append((number, page, text))
    if sum(len(grid.norm(t)) for _, _, t in raw_pages) < MIN_TEXT * len(raw_pages) / 4:
        return None, [issue("E723", where, pages=len(raw_pages))]
    running = _running_lines([t for _, _, t in raw_pages])
    doc.pages = [Page(n, _strip_running(t, running)) for n, _, t in raw_pages]
    metadata(doc)
    catalogue = catalogues.load(doc.year) if doc.year else catalogues.load()
    reader = _TableReader(doc, catalogue)
    for number, page, _ in raw_pages:
        reader.page(number, page)
    if not doc.tables:
        return None, [issue("E724", where)]
    doc.sections = sections(doc)
    issues = []
    missing = [n for n in TABLE_NUMBERS if n not in doc.tables]
    if missing:
        issues.append(issue("E725", where, tables=", ".join(missing)))
    for table in doc.tables.values():
        for page_no, text in table.unread:
            issues.append(issue("E726", Location(str(path), page_no), table=table.number, row=text))
    _detect_profile(doc)
    return doc, issues


def _running_lines(texts: list[str]) -> set[str]:
    """Lines printed on most pages (a running header) and page numbers."""
    firsts = Counter(t.splitlines()[0].strip() for t in texts if t.strip())
    return {line for line, n in firsts.items() if n >= max(3, len(texts) // 2)}


def _strip_running(text: str, running: set[str]) -> str:
    lines = [line for line in text.splitlines()
             if line.strip() not in running and not re.match(r"^\s*第\s*\d+\s*页", line)]
    return "\n".join(lines)


class _TableReader:
    """Walks the pages, assigning each ruled grid to a table and its rows and columns to keys."""

    def __init__(self, doc: PrintedDocument, catalogue):
        self.doc = doc
        self.catalogue = catalogue
        self.current: PrintedTable | None = None
        self.width = 0
        self.layout: grid.Layout | None = None
        self.balance: tuple[int, list[int], int, dict[int, str]] | None = None
        self.namer: grid.RowNamer | None = None
        self.unit = "元"
        self.total_rows: list[int] = []

    def page(self, number: int, page) -> None:
        lines = page.extract_text_lines()
        found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
        previous_bottom = 0.0
        for t in found:
            top, bottom = t.bbox[1], t.bbox[3]
            above = [ln for ln in lines if previous_bottom - 1 <= ln["top"] < top]
            titles = [(ln, n) for ln in above if (n := table_number(ln["text"]))]
            rows = t.extract()
            width = max((len(r) for r in rows), default=0)
            if titles:
                line, n = titles[-1]
                for ln in above:
                    if ln["top"] >= line["top"] and (m := UNIT.search(grid.norm(ln["text"]))):
                        self.unit = m.group(1)
                self._start(n, grid.norm(line["text"]), width)
            elif self.current is None or width != self.width or self.current.number == "09":
                previous_bottom = bottom
                continue  # a grid that is no budget table (the directory, a form)
            assert self.current is not None
            if number not in self.current.pages:
                self.current.pages.append(number)
            self._rows(number, rows, width)
            below_end = next((b.bbox[1] for b in found if b.bbox[1] > bottom), page.height)
            for ln in lines:
                text = grid.norm(ln["text"])
                if bottom <= ln["top"] < below_end and text.startswith("注"):
                    self.current.notes.append(text)
                    if "空表" in text or "无数据" in text or re.search(r"无.*(经费|预算|支出)", text):
                        self.current.empty_note = text
            previous_bottom = bottom

    def _start(self, number: str, title: str, width: int) -> None:
        self._finish()
        table = self.doc.tables.get(number) or PrintedTable(number, title=title, unit=self.unit)
        self.doc.tables[number] = table
        self.current, self.width, self.layout, self.balance = table, width, None, None
        self.namer = grid.RowNamer("economic" if number == "08" else "functional", self.catalogue)
        self.total_rows = []

    def _finish(self) -> None:
        table = self.current
        if table is None or table.number in ("01", "04", "09"):
            return
        keys = list(table.cells)
        if "total" in keys and len(keys) > 1:
            table.total_at = "top" if keys[0] == "total" else ("bottom" if keys[-1] == "total" else None)

    def _rows(self, page: int, rows: list[list[str | None]], width: int) -> None:
        table = self.current
        assert table is not None
        header = []
        i = 0
        while i < len(rows) and grid.is_header_row(rows[i], table.number == "09"):
            header.append(rows[i])
            i += 1
        data = rows[i:]
        if table.number in ("01", "04"):
            if header or self.balance is None:
                self.balance = _balance_layout(table.number, header, data, width)
                table.columns.update({k: "" for k in self.balance[3].values()})
            self._balance_rows(page, data)
            return
        if header or self.layout is None:
            self.layout = grid.classified_layout(table.number, header, width)
            table.columns.update(self.layout.headers)
        if table.number == "09":
            self._single_row(page, data)
            return
        for row in data:
            self._classified_row(page, row)

    def _cell(self, text: str | None, page: int) -> Cell | None:
        value = grid.amount(text)
        if value is None:
            return None
        factor = UNIT_FACTORS[self.current.unit] if self.current else Decimal(1)
        return Cell(value, value * factor, page, grid.norm(text))

    def _put(self, key: str, name: str, page: int, values: dict[str, Cell]) -> None:
        table = self.current
        assert table is not None
        if key in table.cells:  # a row printed twice (repeated on a continuation page): keep the first
            return
        table.cells[key] = values
        table.row_names[key] = name
        table.row_pages[key] = page

    def _classified_row(self, page: int, row: list[str | None]) -> None:
        layout, namer, table = self.layout, self.namer, self.current
        assert layout is not None and namer is not None and table is not None
        cells = [c if c is not None else "" for c in row] + [""] * (self.width - len(row))
        codes = [grid.norm(cells[i]) for i in layout.code_columns]
        name = grid.norm(cells[layout.name_column]) if layout.name_column is not None else ""
        texts = [c for c in codes if c and not grid.CODE.match(c)]
        if texts:  # 合计 printed across the code columns
            name = name or texts[0]
            codes = [c if grid.CODE.match(c) else "" for c in codes]
        values = {key: cell for i, key in layout.money.items() if (cell := self._cell(cells[i], page))}
        if not any(codes) and not name:
            if values:
                table.unread.append((page, " ".join(grid.norm(c) for c in cells)))
            return
        key = namer.key(codes, name)
        if key is None:
            if values:
                table.unread.append((page, " ".join(filter(None, [*codes, name]))))
            return
        if len(key) == 7 and len(codes) == 3 and table.full_codes is None:  # the first 项 row tells
            table.full_codes = all(codes)
        self._put(key, name, page, values)

    def _single_row(self, page: int, data: list[list[str | None]]) -> None:
        layout, table = self.layout, self.current
        assert layout is not None and table is not None
        for row in data:
            cells = list(row) + [None] * (self.width - len(row))
            values = {key: cell for i, key in layout.money.items() if (cell := self._cell(cells[i], page))}
            if values and "row" not in table.cells:
                self._put("row", "", page, values)

    def _balance_rows(self, page: int, data: list[list[str | None]]) -> None:
        assert self.balance is not None and self.current is not None
        left_name, left_money, right_name, right_money = self.balance
        for row in data:
            cells = [c if c is not None else "" for c in row] + [""] * (self.width - len(row))
            left = grid.norm(cells[left_name])
            right = grid.norm(cells[right_name]) if right_name >= 0 else ""
            found = [c for i in left_money if (c := self._cell(cells[i], page))]
            lvals = {"amount": found[0]} if found else {}
            rvals = {right_money[i]: c for i in right_money if (c := self._cell(cells[i], page))}
            if left:
                key = grid.income_key(left)
                if key:
                    self._put(f"inc.{key}", left, page, lvals)
                elif lvals:
                    self.current.unread.append((page, left))
            if right:
                code = grid.class_key(right, self.catalogue)
                if code:
                    self._put(f"exp.{code}", right, page, rvals)
                elif rvals:
                    self.current.unread.append((page, right))


def _balance_layout(number: str, header: list[list[str | None]], data: list[list[str | None]], width: int):
    """(left name column, left money columns, right name column, right money columns by key)."""
    named = [i for i in range(width)
             if any(r[i] is not None and grid.norm(r[i]) and grid.amount(r[i]) is None for r in data if i < len(r))]
    items = [i for i in range(width) if any(i < len(r) and grid.norm(r[i]) == "项目" for r in header)]
    names = items if len(items) >= 2 else named[:2]
    if len(names) < 2:
        names = [0, width // 2]
    left, right = names[0], names[1]
    texts = grid.header_texts(header, width)
    right_money: dict[int, str] = {}
    for i in range(right + 1, width):
        key = grid.column_key(number, texts[i]) or ("amount" if number == "01" else "total")
        if key not in right_money.values():
            right_money[i] = key
    return left, list(range(left + 1, right)), right, right_money


def _detect_profile(doc: PrintedDocument) -> None:
    """The district format whose signs the document shows (合计 position, units, full codes, titles)."""
    from generator.load.profile import PROFILES, load_profile

    scores = {}
    units = {n: t.unit for n, t in doc.tables.items()}
    positions = {t.total_at for t in doc.tables.values() if t.total_at}
    full = {t.full_codes for t in doc.tables.values() if t.full_codes is not None}
    for path in sorted(PROFILES.glob("*.yaml")):
        profile, problems = load_profile(path.stem)
        if profile is None or problems:
            continue
        score = 0
        if len(positions) == 1:
            score += 2 if profile.tables.total_row in positions else -2
        if len(full) == 1:
            score += 1 if profile.tables.full_codes in full else -1
        for number, unit in units.items():
            score += 1 if profile.unit_of_table(number, "万元") == unit else -1
        for number, table in doc.tables.items():
            title = profile.table_title(doc.kind or "department", number)
            if title is not None:
                score += 2 if grid.norm(title.zh) in table.title else -2
        scores[path.stem] = score
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        doc.profile = ranked[0][0]
