"""A draft budget file (format 2) from a printed budget: line items that reproduce every table.

`draft(doc, slug)` turns a PrintedDocument (generator.importer.printed) into a `Draft`: the
YAML text, with comments saying where each figure comes from, and the notes of the import
report. The figures come from the tables:

- 基本支出 by function (03/05) × economic 款 (08): only marginals, allocated (allocate.py);
  a 单位预算's table 01 also gives each 类's 人员经费 / 公用经费;
- 项目支出: one project per function code with project money in 03 (the documents list none);
- income by source follows from the lines' sources (05/06/07 for the appropriations, 02 for the rest);
- 三公 from table 09; 机关运行经费 follows from the unit's kind (行政 when 09 prints them);
- last year's figures, reasons, 政府采购, 绩效目标 and assets from the narrative (facts.py).

Names come from the catalogue in both languages; the document's own texts (the department's
name, sections 一 and 二, the reasons) are Chinese with the English pending (`pending: en`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from generator.catalogue import Catalogue
from generator.core import vocab
from generator.core.money import UNIT_FACTORS
from generator.importer.allocate import ZERO, AllocationError, allocate_basic, split_public
from generator.importer.draft_parts import THREE_PUBLIC, last_year, procurement_items, with_targets, yuan
from generator.importer.facts import read_facts
from generator.importer.printed import PrintedDocument, PrintedTable
from generator.importer.yamltext import Block, money, quoted, text_block

APPROPRIATION_TABLES = {"05": "一般公共预算", "06": "政府性基金", "07": "国有资本经营"}


class DraftError(ValueError):
    """The document cannot give a draft (the message says why)."""


@dataclass
class Draft:
    text: str
    notes: list[str] = field(default_factory=list)  # the import report's lines
    pending: int = 0  # texts left to translate


def _leaves(table: PrintedTable | None, digits: int) -> list[str]:
    return sorted(r for r in (table.cells if table else {}) if r.isdigit() and len(r) == digits)


def _section(doc: PrintedDocument, number: str) -> str | None:
    s = doc.section(number)
    return s.text.strip() if s and s.text.strip() else None


def _function_sources(doc: PrintedDocument, function: str, kind: str, notes: list[str]) -> dict[str, Decimal]:
    """The sources of one function's basic or project money: the appropriations from 05/06/07,
    the rest from table 02's other columns (in the order of the standard table)."""
    total = yuan(doc.tables.get("03"), function, kind)
    out = {source: yuan(doc.tables.get(n), function, kind) for n, source in APPROPRIATION_TABLES.items()}
    rest = total - sum(out.values(), ZERO)
    if rest < 0:
        notes.append(f"{function} {kind}: 05–07 print {sum(out.values(), ZERO)}, more than 03's {total}: 03 kept")
        rest = ZERO
    for source in vocab.other_sources():
        if rest <= 0:
            break
        available = yuan(doc.tables.get("02"), function, source.key)
        if available > 0:
            out[source.key] = min(available, rest)
            rest -= out[source.key]
    if rest > 0:
        out["其他收入"] = out.get("其他收入", ZERO) + rest
        notes.append(f"{function} {kind}: {rest} of no printed source: written as 其他收入")
    return {s: v for s, v in out.items() if v > 0}


def _operating_costs(doc: PrintedDocument) -> tuple[Decimal, Decimal] | None:
    """Table 09's 机关运行经费 in 元 and half its printed precision (元), when it prints some."""
    t09 = doc.tables.get("09")
    costs = t09.get("row", "operating_costs") if t09 else None
    if costs is None or costs.value <= 0 or t09 is None:
        return None
    return costs.yuan, UNIT_FACTORS.get(t09.unit, Decimal(1)) / 200


def _operating_split(doc: PrintedDocument, cells: list, public_fiscal: Decimal, notes: list[str]):
    """A 部门预算 whose 机关运行经费 are less than its 公用经费 has 事业 units too: the cells of a
    行政 unit (the 机关运行经费) and of a 事业 unit (the other 公用经费); None when one unit will do."""
    costs = _operating_costs(doc)
    if doc.kind == "unit" or doc.unit_kind is not None or costs is None or costs[0] >= public_fiscal - costs[1]:
        return None
    try:
        parts = split_public(cells, costs[0])
    except AllocationError:
        return None
    notes.append(f"09 机关运行经费 {costs[0]} < 公用经费 {public_fiscal}: drafted as a 行政 unit and a 事业 unit")
    return parts


def _unit_kind(doc: PrintedDocument, public_fiscal: Decimal, notes: list[str]) -> str:
    """行政 when table 09 prints 机关运行经费 (the 一般公共预算 公用经费 of 行政/参公 units), else 事业."""
    if doc.unit_kind in vocab.UNIT_KINDS_KEYS:
        return doc.unit_kind
    costs = _operating_costs(doc)
    if costs is not None:
        if costs[0] > public_fiscal + costs[1]:
            notes.append(f"09 机关运行经费 {costs[0]} exceed the 公用经费 {public_fiscal}: a contradiction of the document")
        return "行政"
    notes.append("09 prints no 机关运行经费: the unit is written as 事业 (check department.kind)")
    return "事业"


def draft(doc: PrintedDocument, slug: str, catalogue: Catalogue, rules: dict[str, tuple[str, ...]],
          profile: str | None = None, declared: dict[str, Decimal] | None = None) -> Draft:
    """The draft file of `doc`; `declared`: printed figures the line items contradict (a second pass)."""
    notes: list[str] = []
    if doc.year is None:
        raise DraftError("the document's budget year was not found (年度)")
    if "03" not in doc.tables or "08" not in doc.tables:
        raise DraftError("tables 03 and 08 were not found: this does not look like a 部门预算 or 单位预算")
    t03, t08, t09 = doc.tables["03"], doc.tables["08"], doc.tables.get("09")
    functions = _leaves(t03, 7)
    for code in functions + _leaves(t08, 5):
        if code not in catalogue.functional and code not in catalogue.economic:
            notes.append(f"code {code} is not in the {catalogue.edition} catalogue: add it as a local code")

    # ---- 基本支出: 一般公共预算 by the allocation; other sources on their own lines
    names = {code: entry.zh for table in (catalogue.functional, catalogue.economic) for code, entry in table.items()}
    general = {f: yuan(doc.tables.get("05"), f, "basic") for f in functions}
    general = {f: v for f, v in general.items() if v > 0}
    economics = {e: yuan(t08, e, "total") for e in _leaves(t08, 5)}
    split = None
    t01 = doc.tables.get("01")
    if doc.kind == "unit" and t01 is not None and any(c in t01.columns for c in ("personnel", "public")):
        split = {r[4:]: {k: yuan(t01, r, k) for k in ("personnel", "public")}
                 for r in t01.cells if r.startswith("exp.") and r[4:].isdigit()}
        split = {c: v for c, v in split.items() if sum(v.values(), ZERO) > 0}
        other = {c: sum((yuan(t03, f, "basic") - general.get(f, ZERO) for f in functions if f.startswith(c)), ZERO)
                 for c in split}
        if any(other.values()):  # 01's split covers every source; 08 only 一般公共预算
            notes.append("basic spending from other sources than 一般公共预算: table 01's 人员/公用 split not used")
            split = None
    try:
        cells = allocate_basic(general, economics, rules, split, names)
    except AllocationError as exc:
        if split is None:
            raise DraftError(f"the basic expenditure does not add up: {exc}") from exc
        notes.append(f"table 01's 人员/公用 split disagrees with 03/08 ({exc}): not used")
        cells = allocate_basic(general, economics, rules, None, names)
    public_fiscal = sum((c.amount for c in cells if c.column[:3] not in vocab.PERSONNEL_CLASSES), ZERO)
    kind = _unit_kind(doc, public_fiscal, notes)
    parts = _operating_split(doc, cells, public_fiscal, notes)

    def basic_lines(chosen: list) -> Block:
        block = Block()
        for c in chosen:
            how = (f"03 {c.row} = 08 {c.column}" if c.determined else
                   f"allocated: part of 03/05 {c.row} {yuan(t03, c.row, 'basic')} and of 08 {c.column} {economics[c.column]}")
            block.item(f"{{function: {quoted(c.row)}, economic: {quoted(c.column)}, amount: {money(c.amount)}}}", how)
        return block

    basic = basic_lines(parts[0] if parts else cells)
    for f in functions:
        for source, amount in _function_sources(doc, f, "basic", notes).items():
            if source == "一般公共预算":
                continue
            economic = "30299"
            notes.append(f"{f} basic from {source} ({amount}): table 08 covers 一般公共预算 only; written as {economic}")
            basic.item(f"{{function: {quoted(f)}, economic: {quoted(economic)}, amount: {money(amount)}, "
                       f"source: {source}}}", "economic class not printed: check")

    # ---- 项目支出: one per function (the document lists no projects)
    projects = Block()
    facts = read_facts("\n".join(s.text for s in doc.sections) or "\n".join(p.text for p in doc.pages))
    with_money = [f for f in functions if yuan(t03, f, "project") > 0]
    marked = with_targets(facts, {f: yuan(t03, f, "project") for f in with_money}, notes)
    count_left = facts.performance[0] if facts.performance else 0
    for f in with_money:
        entry = catalogue.functional.get(f)
        name_zh, name_en = (entry.zh, entry.en) if entry else (f, f)
        funding = _function_sources(doc, f, "project", notes)
        p = Block()
        p.field("id", f"p{f}")
        p.field("name", f"{{zh: {quoted(name_zh + '项目支出')}, en: {quoted('Project expenditure: ' + name_en)}}}")
        p.field("function", quoted(f))
        p.field("funding", "{" + ", ".join(f"{s}: {money(v)}" for s, v in funding.items()) + "}",
                f"03 {f} 项目支出 {yuan(t03, f, 'project')}")
        if f in marked:
            count = max(1, count_left) if f == marked[-1] else 1
            count_left -= count
            if count > 1:
                p.field("count", str(count), "the narrative's 编报绩效目标的项目 count, less one per other entry")
            p.field("performance", "true")
        projects.item(p, f"imported: the project money of {f} (the document lists no projects)")

    # ---- other expenditure kinds (上缴上级支出 …) from 03's columns
    spending = Block()
    for k in vocab.other_spending_kinds():
        for f in functions:
            amount = yuan(t03, f, k.key)
            if amount > 0:
                spending.item(f"{{kind: {k.typed}, function: {quoted(f)}, amount: {money(amount)}}}", f"03 {f} {k.key}")

    # ---- 三公, procurement, assets
    three = Block()
    for key, typed in THREE_PUBLIC:
        cell = t09.get("row", key) if t09 else None
        if cell and cell.yuan > 0:
            three.item(f"{{kind: {typed}, amount: {money(cell.yuan)}}}", f"09 {cell.text}{t09.unit if t09 else ''}")
    procurement = procurement_items(facts)
    assets = (f"{{vehicles: {facts.vehicles or 0}, general_equipment: {facts.general_equipment or 0}, "
              f"special_equipment: {facts.special_equipment or 0}}}")

    # ---- texts and last year
    pending = 0

    def text(zh: str | None, what: str) -> str | Block:
        nonlocal pending
        pending += 1
        return text_block(zh or f"（导入时未在文件中找到{what}，请填写。）")

    name = doc.name or slug
    texts = Block()
    unit_doc = doc.kind == "unit"  # the unit's `budget:` refers to the same texts (&functions …)
    texts.field("functions", text(_section(doc, "一"), "主要职能"), "一 as printed; English pending",
                anchor="functions" if unit_doc else None)
    texts.field("organisation", text(_section(doc, "二"), "机构设置"), "二 as printed; English pending",
                anchor="organisation" if unit_doc else None)
    texts.field("special_terms", "[]", "三's own terms are not imported")
    texts.field("last_year", last_year(doc, facts, t09, notes), anchor="last_year" if unit_doc else None)
    if facts.reason:
        reasons = Block()
        reasons.field("income", text(facts.reason, "原因"), "the narrative's 主要原因")
        reasons.field("expenditure", text(facts.reason, "原因"))
        texts.field("reasons", reasons, anchor="reasons" if unit_doc else None)
    if facts.empty_reasons:
        notes.append(f"{facts.empty_reasons} empty reason(s) in the narrative (主要原因是。): not imported")
    if declared:
        d = Block()
        for key, value in sorted(declared.items()):
            d.field(quoted(key), money(value), "printed, but the line items give another figure (see the import report)")
        texts.field("declared", d)

    out = Block()
    out.comment(f"Draft imported by `budget import` from {doc.path} ({'单位预算' if doc.kind == 'unit' else '部门预算'}, "
                f"{len(doc.pages)} pages).")
    out.comment("Building it reproduces every printed table cell. Lines marked `allocated` are one choice among the")
    out.comment("splits the tables allow (they print only the totals by function and by economic class).")
    out.comment("To do: translate each `pending: en` text (write `en:`, delete `pending: en`), check the kind and the names.")
    out.field("format", "2")
    if profile:
        out.field("profile", profile)
    out.field("year", str(doc.year))
    units = {t.unit for n, t in doc.tables.items() if n != "09"}
    out.field("display_unit", "元" if units == {"元"} else "万元", "the tables' unit as printed")
    dept = Block()
    dept.field("slug", slug)
    dept.field("name", f"{{zh: {quoted(name)}, pending: en}}")
    dept.field("supervisor", f"{{zh: {quoted(name)}, pending: en}}",
               "预算主管部门" if doc.kind != "unit" else "the unit's 预算主管部门 is not printed: check")
    pending += 2
    items = Block()
    items.field("basic", basic)
    if spending:
        items.field("other_spending", spending)
    items.field("projects", projects if projects else "[]")
    items.field("three_public", three if three else "[]")
    items.field("procurement", procurement if procurement else "[]")
    if doc.kind == "unit":
        out.field("department", dept)
        out.extend(texts)
        unit = Block()
        unit.field("slug", "unit")
        unit.field("name", f"{{zh: {quoted(name)}, pending: en}}")
        unit.field("kind", kind)
        unit.extend(items)
        unit.field("assets", assets)
        budget = Block()
        budget.field("functions", "*functions")
        budget.field("organisation", "*organisation")
        budget.field("last_year", "*last_year")
        if facts.reason:
            budget.field("reasons", "*reasons")
        unit.field("budget", budget, "this unit publishes its 单位预算 (the imported document)")
        unit_block = Block()
        unit_block.item(unit)
        out.field("units", unit_block)
        pending += 1
    elif parts:  # a 行政 unit and a 事业 unit: table 09's 机关运行经费 are part of the 公用经费
        out.field("department", dept)
        out.extend(texts)
        first, second = Block(), Block()
        first.field("slug", "xingzheng")
        first.field("name", f"{{zh: {quoted(name)}, pending: en}}")
        first.field("kind", "行政", "its 公用经费 are table 09's 机关运行经费")
        first.extend(items)
        first.field("assets", assets)
        second.field("slug", "shiye")
        second.field("name", f"{{zh: {quoted(name + '所属事业单位')}, pending: en}}", "split by the import: name it")
        second.field("kind", "事业", "the 公用经费 that are not 机关运行经费")
        second.field("basic", basic_lines(parts[1]))
        second.field("assets", "{vehicles: 0, general_equipment: 0, special_equipment: 0}")
        listed = Block()
        listed.item(first, "the units are not printed: one 行政 unit and one 事业 unit reproduce the tables")
        listed.item(second)
        out.field("units", listed)
        pending += 2
    else:
        dept.field("kind", kind)
        out.field("department", dept)
        out.extend(texts)
        out.extend(items)
        out.field("assets", assets)
    if facts.vehicles is None:
        notes.append("assets: the number of vehicles was not found: 0 written")
    return Draft(out.render(), notes, pending)


