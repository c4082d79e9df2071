"""From the cells of a ruled table (as pdfplumber extracts them) to the keys of the computed tables.

A printed table is a grid of strings: some header rows, then data rows. The header is read to
give every column its key (`total`, `basic`, `财政拨款`, `personnel`, `outbound`, …, the keys of
generator/compute/tables.py); each data row gets its key from its 类/款/项 codes (joined into the
full code, whether the row prints every level or only its own), from its name (合计, 收入总计, a
source, a 类 of tables 01/04 or an economic 类 printed without code, via the catalogue).
Nothing here knows a district: the layout is read from the headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from generator.catalogue import Catalogue
from generator.core import labels as lb
from generator.core import vocab

AMOUNT = re.compile(r"^[-−]?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^[-−]?\d+(?:\.\d+)?$")
NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+\s*[.．、](?!\d)|[(（][一二三四五六七八九十\d]+[)）])\s*")
CODE = re.compile(r"^\d{2,7}$")
TOTAL_NAMES = ("合计", "总计")


def norm(text: str | None) -> str:
    """A cell's text without spaces and line breaks, with ASCII parentheses."""
    return re.sub(r"\s+", "", text or "").replace("（", "(").replace("）", ")")


def amount(text: str | None) -> Decimal | None:
    """'91,016,775.35' -> Decimal; blank, '-' or text -> None."""
    t = norm(text)
    if not t or not AMOUNT.match(t):
        return None
    try:
        return Decimal(t.replace(",", "").replace("−", "-"))
    except InvalidOperation:
        return None


def strip_numbering(name: str) -> str:
    return NUMBERING.sub("", norm(name))


# ---------------------------------------------------------------- columns

_ALIASES = {  # printed header -> column key, beyond the project's own labels
    "财政拨款": "财政拨款", "财政拨款收入": "财政拨款", "事业单位经营收入": "事业单位经营收入",
    "政府性基金": "政府性基金", "国有资本经营": "国有资本经营", "国有资本经营预算": "国有资本经营",
    "公务用车购置及运行费": "vehicle", "机关运行经费预算数": "operating_costs", "预算数": "amount",
}


def _labels() -> dict[str, str]:
    out = {norm(label.zh): key for key, label in lb.COLUMN_LABELS.items()}
    for source in vocab.SOURCES:
        if source.column:
            out.setdefault(norm(source.column.zh), source.key)
    out.update({norm(k): v for k, v in _ALIASES.items()})
    return out


def column_key(number: str, header: str) -> str | None:
    """The key of a money column of table `number` from its (deepest) printed header."""
    h = norm(header)
    if not h:
        return None
    if h in ("合计", "小计", "预算数"):
        if number == "01":
            return "amount"
        return "vehicle" if number == "09" and h == "小计" else ("amount" if h == "预算数" else "total")
    labels = _labels()
    if h in labels:
        key = labels[h]
        return "一般公共预算" if number == "04" and key == "一般公共预算" else key
    contained = sorted((k for k in labels if k and k in h), key=len, reverse=True)
    return labels[contained[0]] if contained else None


def header_texts(header_rows: list[list[str | None]], width: int) -> list[str]:
    """Each column's deepest non-empty header cell (a group header spans columns with None)."""
    out = [""] * width
    for row in header_rows:
        for i, cell in enumerate(row[:width]):
            if cell is not None and norm(cell):
                out[i] = cell
    return out


# ---------------------------------------------------------------- rows


@dataclass
class Layout:
    """Where the codes, the name and each money column stand in a classified table."""

    code_columns: list[int] = field(default_factory=list)  # 类, 款, 项 (or one column with the whole code)
    name_column: int | None = None
    money: dict[int, str] = field(default_factory=dict)  # column index -> key
    headers: dict[str, str] = field(default_factory=dict)  # key -> printed header


def classified_layout(number: str, header_rows: list[list[str | None]], width: int) -> Layout:
    layout = Layout()
    texts = header_texts(header_rows, width)
    for i, text in enumerate(texts):
        t = norm(text)
        if t in ("类", "款", "项") or (t.endswith("编码") and not layout.code_columns and i + 1 < width
                                      and norm(texts[i + 1]) not in ("类", "款", "项")):
            layout.code_columns.append(i)
        elif "名称" in t or t in ("项目", "科目"):
            layout.name_column = i
        elif (key := column_key(number, text)) is not None:
            layout.money[i] = key
            layout.headers[key] = norm(text)
    return layout


def is_header_row(row: list[str | None], single: bool = False) -> bool:
    """A leading row of the grid that holds no amount, no code, no numbered or total name
    (`single`: table 09, whose header has a 合计 column and whose one data row has amounts)."""
    cells = [norm(c) for c in row if c is not None]
    if not any(cells):
        return single
    if any(amount(c) is not None for c in cells):
        return False
    if single:
        return True
    first = norm(row[0]) if row else ""
    if CODE.match(first) or NUMBERING.match(first) or first in TOTAL_NAMES or first.endswith("总计"):
        return False
    for i, cell in enumerate(row):  # a 合计 row with empty (not merged: None) cells before it
        if norm(cell) in TOTAL_NAMES:
            return not (i > 0 and all(c == "" for c in row[:i]))
    return True


class RowNamer:
    """Keys for the rows of a classified table, carrying 类 and 款 down the rows that print only their own level."""

    def __init__(self, kind: str, catalogue: Catalogue | None):
        self.kind = kind  # "functional" or "economic"
        self.catalogue = catalogue
        self.parents: list[str] = []  # the codes of the current 类, 款

    def key(self, codes: list[str], name: str) -> str | None:
        n = norm(name)
        parts = [norm(c) for c in codes]
        if n in TOTAL_NAMES or (not any(parts) and n.endswith("总计")):
            return "total"
        if len(parts) == 1 or (len(parts) > 1 and len(parts[0]) > 3):
            code = parts[0] if CODE.match(parts[0] or "") else ""
        elif any(parts):
            code = self._join(parts)
        else:
            code = self._by_name(n)
        if code:
            self.parents = [code[:k] for k in (3, 5) if len(code) > k]
            if len(code) in (3, 5):
                self.parents = [*self.parents, code]
        return code or None

    def _join(self, parts: list[str]) -> str:
        deepest = max(i for i, p in enumerate(parts) if p)
        if all(parts[: deepest + 1]):
            return "".join(parts[: deepest + 1])
        parent = self.parents[deepest - 1] if len(self.parents) >= deepest else ""
        return parent + parts[deepest] if parent else ""

    def _by_name(self, name: str) -> str:
        """A row printed with its name only (an economic 类 in some districts): its code by the catalogue."""
        if not self.catalogue or not name:
            return ""
        table = self.catalogue.table(self.kind)
        found = [c for c, e in table.items() if norm(e.zh) == name]
        if len(found) > 1 and self.parents:
            found = [c for c in found if c.startswith(self.parents[0]) or len(c) == 3] or found
        found.sort(key=len)
        return found[0] if found else ""


def income_key(name: str) -> str | None:
    """A revenue row of tables 01/04 ('1. 一般公共预算资金', '二、事业收入', '收入总计') -> its source key."""
    n = strip_numbering(name)
    if not n:
        return None
    if n.endswith("总计") or n in TOTAL_NAMES:
        return "total"
    keys = sorted((s.key for s in vocab.SOURCES), key=len, reverse=True)
    for key in keys:
        if key in n:
            return key
    for source in vocab.SOURCES:
        if norm(source.row.zh) == n or (source.row_04 and norm(source.row_04.zh) == n):
            return source.key
    return None


def class_key(name: str, catalogue: Catalogue | None) -> str | None:
    """An expenditure row of tables 01/04 ('一、一般公共服务支出', '支出总计') -> the 类 code."""
    n = strip_numbering(name)
    if not n:
        return None
    if n.endswith("总计") or n in TOTAL_NAMES:
        return "total"
    if catalogue is None:
        return None
    for code, entry in catalogue.functional.items():
        if len(code) == 3 and norm(entry.zh) == n:
            return code
    return None
