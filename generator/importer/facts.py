"""The figures a budget's narrative states that its tables do not: last year's amounts (from each
"比2024年预算减少…万元" / "与2024年预算持平"), the reasons, 政府采购, 绩效目标 and the assets.

Read from the standard sentences of the disclosure (the wording every district's template shares);
whatever is not found is left None, and the draft says what it assumed instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

WAN = Decimal(10000)
NUMBER = r"(\d[\d,]*(?:\.\d+)?)"

# "<what><amount>万元，比2024年预算减少<change>万元" or "…，与2024年预算持平"
CHANGE = re.compile(
    r"(?P<what>[\u4e00-\u9fff“”\"（）()]{2,24}?)" + NUMBER + r"万元[，,：:]?"
    r"(?:比(?P<year>\d{4})年(?:预算)?(?P<dir>增加|减少|增长|下降)" + NUMBER + r"万元|与(?P<flat>\d{4})年(?:预算)?(?:相比)?持平|"
    r"比(?P<flat2>\d{4})年(?:预算)?持平)")

# the figure each phrase names (the end of the words before the amount)
NAMES = (
    ("三公", "three_public.total"),
    ("因公出国", "three_public.outbound"),
    ("公务接待费", "three_public.reception"),
    ("公务用车购置及运行", "three_public.vehicle"),
    ("公务用车购置费", "three_public.vehicle_purchase"),
    ("公务用车运行费", "three_public.vehicle_operation"),
    ("机关运行经费", "operating_costs"),
    ("财政拨款收入", "source.财政拨款"),
    ("财政拨款支出", "source.财政拨款"),
    ("一般公共预算拨款", "source.一般公共预算"),
    ("政府性基金", "source.政府性基金"),
    ("国有资本经营", "source.国有资本经营"),
    ("收入预算", "total"),
    ("支出预算", "total"),
)


def compact(text: str) -> str:
    """The text without line breaks and spaces (the PDF's line ends fall inside words)."""
    return re.sub(r"\s+", "", text)


def wan(text: str) -> Decimal | None:
    try:
        return (Decimal(text.replace(",", "")) * WAN).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


@dataclass
class Facts:
    this_year: dict[str, Decimal] = field(default_factory=dict)  # figure -> this year's amount as stated (元)
    last_year: dict[str, Decimal] = field(default_factory=dict)  # figure -> last year's amount (元)
    last_year_number: int | None = None
    reason: str | None = None  # "主要原因是…" (the first one)
    empty_reasons: int = 0  # "主要原因是。"
    procurement: dict[str, Decimal] = field(default_factory=dict)  # 货物/工程/服务/total/sme/micro
    performance: tuple[int, Decimal] | None = None  # projects with targets, their amount
    vehicles: int | None = None
    general_equipment: int | None = None
    special_equipment: int | None = None


def _figure(what: str) -> str | None:
    for word, name in NAMES:  # the clause's own words (punctuation ends `what`), the specific names first
        if word in what:
            return name
    return None


def read_facts(text: str) -> Facts:
    """The facts of the narrative (sections 四 and 六, or the whole document's text)."""
    flat = compact(text)
    facts = Facts()
    m: re.Match[str] | None
    for m in CHANGE.finditer(flat):
        name = _figure(m["what"])
        now = wan(m[2])
        if name is None or now is None or name in facts.last_year:
            continue
        facts.this_year[name] = now
        if m["dir"]:
            change = wan(m[5]) or Decimal(0)
            facts.last_year[name] = now - change if m["dir"] in ("增加", "增长") else now + change
            facts.last_year_number = int(m["year"])
        else:
            facts.last_year[name] = now
            facts.last_year_number = int(m["flat"] or m["flat2"])
    # "收入总额为5,715.29万元，其中：…。比上年部门收入增加1,598.63万元"
    m = re.search(r"收入(?:预算)?总额为?" + NUMBER + r"万元[^。]*。?比上年(?:部门)?(?:预算)?收入(增加|减少|增长|下降)"
                  + NUMBER + "万元", flat)
    if m and "total" not in facts.last_year and wan(m[1]) is not None:
        now, change = wan(m[1]) or Decimal(0), wan(m[3]) or Decimal(0)
        facts.this_year["total"] = now
        facts.last_year["total"] = now - change if m[2] in ("增加", "增长") else now + change
    reasons = re.findall(r"主要原因(?:是|为)[:：]?([^。]*)。", flat)
    facts.empty_reasons = sum(1 for r in reasons if not r.strip("，,；;"))
    facts.reason = next((r for r in reasons if r.strip("，,；;")), None)
    m = re.search(r"政府采购预算" + NUMBER + r"万元[，,]其中[:：]政府采购货物预算" + NUMBER + r"万元[、，,]政府采购工程预算"
                  + NUMBER + r"万元[、，,]政府采购服务预算" + NUMBER + r"万元", flat)
    if m:
        facts.procurement = {k: v for k, v in zip(("total", "货物", "工程", "服务"), map(wan, m.groups()), strict=True)
                             if v is not None}
    m = re.search(r"预留政府采购项目预算金额" + NUMBER + r"万元[，,]其中[，,]?预留给小型和微型企业的政府采购项目预算为?"
                  + NUMBER + r"万元", flat)
    if m and wan(m[1]) is not None and wan(m[2]) is not None:
        facts.procurement |= {"sme": wan(m[1]) or Decimal(0), "micro": wan(m[2]) or Decimal(0)}
    m = re.search(r"编报绩效目标的项目(?:共)?(\d+)个[，,]涉及项目预算资金" + NUMBER + r"万元", flat)
    if m and wan(m[2]) is not None:
        facts.performance = (int(m[1]), wan(m[2]) or Decimal(0))
    m = re.search(r"共有车辆(\d+)辆", flat)
    facts.vehicles = int(m[1]) if m else 0 if re.search(r"(?:单位|中心|部门|办公室|局|委)无车辆", flat) else None
    m = re.search(r"单价50万元（?\(?含?\)?）?以上(?:的)?通用设备(\d+)台", flat)
    facts.general_equipment = int(m[1]) if m else None
    m = re.search(r"单价100万元（?\(?含?\)?）?以上(?:的)?(?:专用)?设备(?:（不含车辆）)?(\d+)台", flat)
    facts.special_equipment = int(m[1]) if m else None
    return facts
