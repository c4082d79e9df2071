"""Parts of a draft read from the narrative: the projects with 绩效目标, 政府采购 and last year's figures."""

from __future__ import annotations

from decimal import Decimal

from generator.importer.allocate import ZERO
from generator.importer.facts import Facts
from generator.importer.printed import PrintedDocument, PrintedTable
from generator.importer.yamltext import Block, money

THREE_PUBLIC = (("outbound", "因公出国(境)费"), ("reception", "公务接待费"),
                ("vehicle_purchase", "公务用车购置费"), ("vehicle_operation", "公务用车运行费"))


def yuan(table: PrintedTable | None, row: str, column: str) -> Decimal:
    cell = table.get(row, column) if table else None
    return cell.yuan if cell else ZERO


def with_targets(facts: Facts, projects: dict[str, Decimal], notes: list[str]) -> list[str]:
    """The projects the narrative's 编报绩效目标的项目…涉及项目预算资金 X万元 covers: the subset whose
    amounts make X (at its printed precision), the largest such, the first in code order."""
    if facts.performance is None:
        return []
    codes = sorted(projects)
    if len(codes) > 16:
        notes.append("绩效目标: too many projects to find the ones with targets: none marked")
        return []
    best: list[str] = []
    for mask in range(1, 1 << len(codes)):
        chosen = [c for i, c in enumerate(codes) if mask >> i & 1]
        if abs(sum((projects[c] for c in chosen), ZERO) - facts.performance[1]) <= 50 and len(chosen) > len(best):
            best = chosen
    if not best:
        notes.append(f"绩效目标: no set of projects makes the stated {facts.performance[1]}: none marked")
    elif len(best) > facts.performance[0]:
        notes.append(f"绩效目标: {facts.performance[0]} projects stated, {len(best)} functions needed: none marked")
        return []
    return best


def procurement_items(facts: Facts) -> Block:
    block = Block()
    sme, micro = facts.procurement.get("sme", ZERO), facts.procurement.get("micro", ZERO)
    for category in ("货物", "工程", "服务"):
        amount = facts.procurement.get(category, ZERO)
        if amount <= 0:
            continue
        s, m = min(sme, amount), min(micro, min(sme, amount))
        sme, micro = sme - s, micro - m
        item = f"{{name: {{zh: 政府采购{category}, en: Government procurement of {CATEGORY_EN[category]}}}, " \
               f"category: {category}, amount: {money(amount)}"
        item += (f", reserved_sme: {money(s)}" if s else "") + (f", reserved_micro: {money(m)}" if m else "") + "}"
        block.item(item, "the narrative's 政府采购预算 (万元)")
    return block


CATEGORY_EN = {"货物": "goods", "工程": "works", "服务": "services"}


def last_year(doc: PrintedDocument, facts: Facts, t09: PrintedTable | None, notes: list[str]) -> Block:
    block = Block()
    total_now = yuan(doc.tables.get("01"), "inc.total", "amount")
    total: Decimal | None = facts.last_year.get("total")
    how = "the narrative's change in 收入/支出预算"
    if total is None and "source.财政拨款" in facts.last_year:
        fiscal_now = yuan(doc.tables.get("01"), "inc.财政拨款", "amount")
        if fiscal_now == total_now:
            total, how = facts.last_year["source.财政拨款"], "the narrative states only 财政拨款's change: assumed for the total"
    if total is None:
        total, how = total_now, "not stated: this year's total (check)"
        notes.append("last year's total not found in the narrative: this year's written")
    block.field("total", money(total), how)
    sources = {k.split(".", 1)[1]: v for k, v in facts.last_year.items() if k.startswith("source.")}
    if sources:
        s = Block()
        for key, value in sources.items():
            s.field(key, money(value))
        block.field("sources", s, "the narrative's changes (万元)")
    t3 = Block()
    vehicle = facts.last_year.get("three_public.vehicle")  # 公务用车购置及运行费 stated together
    if vehicle is not None and "three_public.vehicle_purchase" not in facts.last_year:
        purchase = min(vehicle, yuan(t09, "row", "vehicle_purchase"))
        facts.last_year["three_public.vehicle_purchase"] = purchase
        facts.last_year["three_public.vehicle_operation"] = vehicle - purchase
        notes.append("last year's 公务用车购置及运行费 is stated together: 购置费 taken as this year's, 运行费 the rest")
    for key, _ in THREE_PUBLIC:
        stated = facts.last_year.get(f"three_public.{key}")
        how = "the narrative (万元)"
        if stated is None:
            stated, how = yuan(t09, "row", key), "not stated: this year's (check)"
            notes.append(f"last year's 三公 {key} not found in the narrative: this year's written")
        t3.field(key, money(stated), how)
    block.field("three_public", t3)
    return block
