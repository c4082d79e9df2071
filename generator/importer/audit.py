"""`budget audit FILE.pdf`: a published budget checked on the figures as printed.

Two families of findings: the identities of the standard disclosure (generator/reconcile/checks.py,
evaluated on the printed cells, with the tolerance that printing in 万元 allows: half a printed
unit per figure; none for tables printed in 元 to the 分), and the narrative against the tables
(generator/importer/claims.py). One finding per contradiction, with its page, both figures and
the difference.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from generator.core.labels import Label
from generator.importer.printed import PrintedDocument
from generator.reconcile import checks

HALF = Decimal("0.5")
# Checks that need figures a PDF does not print in its tables (projects, forms, procurement):
# the narrative's own procurement and project figures are checked in claims.py.
TABLE_CHECKS = ("R01", "R02", "R03", "R04", "R05", "R06", "R07", "R10")


@dataclass(frozen=True)
class Finding:
    kind: str  # "identity", "amount", "truncated", "percentage", "change", "empty-note", "empty-reason", "parts"
    page: int | None
    what: Label  # what was compared
    left: Decimal | None = None  # the figure as printed (in `unit`)
    right: Decimal | None = None  # what the other side says it must be
    unit: str = "元"
    relation: str = "="
    detail: Label = field(default_factory=lambda: Label("", ""))

    @property
    def difference(self) -> Decimal | None:
        return None if self.left is None or self.right is None else self.left - self.right

    def line(self, lang: str = "zh") -> str:
        page = (f"第{self.page}页" if lang == "zh" else f"p. {self.page}") if self.page else ("页码不详" if lang == "zh" else "p. ?")
        text = self.what.zh if lang == "zh" else self.what.en
        out = f"{page}: {text}"
        if self.left is not None and self.right is not None:
            unit = self.unit if lang == "zh" else {"元": "yuan", "万元": "×10,000 yuan", "%": "%"}.get(self.unit, self.unit)
            diff = self.difference
            assert diff is not None
            if self.kind == "identity":  # two printed sides, neither known to be the right one
                sign = ">" if self.relation == "<=" else "≠"
                out += (f"：{_fmt(self.left)} {sign} {_fmt(self.right)}（差 {_fmt(diff)} {unit}）" if lang == "zh" else
                        f": {_fmt(self.left)} {sign} {_fmt(self.right)} (difference {_fmt(diff)} {unit})")
            elif lang == "zh":
                out += f"：印出 {_fmt(self.left)}，应{'不超过' if self.relation == '<=' else '为'} {_fmt(self.right)}（差 {_fmt(diff)} {unit}）"
            else:
                out += (f": printed {_fmt(self.left)}, {'at most' if self.relation == '<=' else 'expected'} "
                        f"{_fmt(self.right)} (difference {_fmt(diff)} {unit})")
        detail = self.detail.zh if lang == "zh" else self.detail.en
        return out + (f"；{detail}" if lang == "zh" and detail else f"; {detail}" if detail else "")

    def as_dict(self) -> dict:
        d = asdict(self)
        d["what"] = {"zh": self.what.zh, "en": self.what.en}
        d["detail"] = {"zh": self.detail.zh, "en": self.detail.en}
        for key in ("left", "right"):
            d[key] = None if d[key] is None else str(d[key])
        d["difference"] = None if self.difference is None else str(self.difference)
        return d


def _fmt(value: Decimal) -> str:
    return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:,}"


# ---------------------------------------------------------------- the identities on the printed tables


def _quantum(doc: PrintedDocument, key: str) -> Decimal:
    """Half of the printed precision of one figure, in 元: zero for 元 to the 分 (exact), 50 元 for 0.01 万元."""
    table = doc.tables.get(key[:2])
    if table is None or table.unit == "元":
        return Decimal(0)
    cell = table.get(*key[3:].rsplit(".", 1))
    exponent = cell.value.as_tuple().exponent if cell is not None else -2
    decimals = -exponent if isinstance(exponent, int) else 2
    return Decimal(10000) * Decimal(10) ** -decimals * HALF


def _page(doc: PrintedDocument, keys: tuple[str, ...]) -> int | None:
    for key in keys:
        table = doc.tables.get(key[:2])
        if table is None:
            continue
        row, col = key[3:].rsplit(".", 1)
        if (cell := table.get(row, col)) is not None:
            return cell.page
    for key in keys:
        if (table := doc.tables.get(key[:2])) and table.pages:
            return table.pages[0]
    return None


def identities(doc: PrintedDocument) -> list[Finding]:
    values = doc.cells(yuan=True)
    f = checks.Cells(values)
    seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    out = []
    for check in checks.CHECKS:
        if check.id not in TABLE_CHECKS:
            continue
        for c in check.compare(f):
            if (c.left, c.right) in seen or not any(k in values for k in (*c.left, *c.right)):
                continue  # a comparison over blank cells only, or one already made
            seen.add((c.left, c.right))
            left, right = f.sum(c.left), f.sum(c.right)
            slack = sum((_quantum(doc, k) for k in (*c.left, *c.right)), Decimal(0))
            bad = left > right + slack if c.at_most else abs(left - right) > slack
            if bad:
                out.append(_identity_finding(doc, c, left, right))
    out += _unit_01_rows(doc)
    return out


def _identity_finding(doc: PrintedDocument, c: checks.Comparison, left: Decimal, right: Decimal) -> Finding:
    keys = c.left if len(c.left) == 1 else c.right
    unit = doc.tables[keys[0][:2]].unit if keys[0][:2] in doc.tables else "元"
    scale = Decimal(10000) if unit == "万元" else Decimal(1)
    detail = Label("涉及：" + "、".join(_cell_name(doc, k) for k in (*c.left, *c.right)[:6]),
                   "cells: " + ", ".join((*c.left, *c.right)[:6]))
    return Finding("identity", _page(doc, (*c.left, *c.right)), c.name, left / scale, right / scale, unit,
                   "<=" if c.at_most else "=", detail)


def _cell_name(doc: PrintedDocument, key: str) -> str:
    table = doc.tables.get(key[:2])
    row, col = key[3:].rsplit(".", 1)
    name = table.row_names.get(row, row) if table else row
    return f"{key[:2]}表“{name or row}”{(table.columns.get(col) if table else '') or col}"


def _unit_01_rows(doc: PrintedDocument) -> list[Finding]:
    """A 单位预算's table 01 splits each 类 into 人员经费 + 公用经费 + 项目支出 (+ other kinds)."""
    table = doc.tables.get("01")
    if table is None:
        return []
    out = []
    for row, cols in table.cells.items():
        parts = [k for k in cols if k != "amount"]
        if not row.startswith("exp.") or not parts:
            continue
        total, split = table.amount(row, "amount"), sum((cols[k].value for k in parts), Decimal(0))
        slack = Decimal("0.005") * (len(parts) + 1) if table.unit == "万元" else Decimal(0)
        if abs(total - split) > slack:
            name = table.row_names.get(row, row)
            out.append(Finding("identity", cols[parts[0]].page,
                               Label(f"01表 {name}：预算数 = 人员经费 + 公用经费 + 项目支出",
                                     f"Table 01 {row[4:]}: budget = personnel + operations + projects"),
                               total, split, table.unit))
    return out


# ---------------------------------------------------------------- the whole audit


def audit(doc: PrintedDocument) -> list[Finding]:
    from generator.importer.claims import narrative_findings

    found = identities(doc) + narrative_findings(doc)
    return sorted(found, key=lambda f: (f.page or 0, f.kind))


def report(doc: PrintedDocument, findings: list[Finding], lang: str = "zh") -> str:
    head = (f"{doc.path}: {doc.year}年{'单位' if doc.kind == 'unit' else '部门'}预算 {doc.name}，"
            f"{len(doc.cells())} 个表格数字，{len(findings)} 处矛盾" if lang == "zh" else
            f"{doc.path}: {doc.kind} budget {doc.year}, {doc.name}: {len(doc.cells())} table figures, "
            f"{len(findings)} contradiction(s)")
    return "\n".join([head, *(f.line(lang) for f in findings)])


def as_json(doc: PrintedDocument, findings: list[Finding], issues: list | None = None) -> str:
    """The audit for machines; `issues`: what could not be read (E725 a missing table, E726 a row)."""
    return json.dumps({"path": doc.path, "year": doc.year, "kind": doc.kind, "name": doc.name, "profile": doc.profile,
                       "cells": len(doc.cells()), "issues": [i.as_dict() for i in issues or []],
                       "findings": [f.as_dict() for f in findings]},
                      ensure_ascii=False, indent=2)


def run_audit(path: str, as_machine: bool = False, lang: str = "zh") -> int:
    """`budget audit FILE.pdf`: 0 when nothing is found, 1 for any finding (or a table that could
    not be read), 2 when the file cannot be read as a budget at all."""
    import sys

    from generator.importer.reader import read_pdf

    doc, issues = read_pdf(path)
    for i in issues:
        print(i.format(lang), file=sys.stderr)
    if doc is None:
        return 2
    findings = audit(doc)
    print(as_json(doc, findings, issues) if as_machine else report(doc, findings, lang))
    return 1 if findings or issues else 0
