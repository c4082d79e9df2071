"""One section of the narrative, amount by amount, for the audit (generator/importer/claims.py).

The section's text is read as one line (the PDF's line breaks removed). Each amount (万元, 元)
or percentage is a claim with the words before it; what the words name decides the check.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from generator.core.labels import Label
from generator.importer.audit import Finding
from generator.importer.claims import EMPTY_REASON, FLAT, HUNDRED, NUMBER, SAME_MONEY, WAN, Claim, _concept, _label, _Reader
from generator.importer.printed import Section

CHANGE = re.compile(r"(?:比|较)(?:上年|上一年|\d{4}年)(?:预算)?(?:相比)?(.*?)(增加|减少|增长|下降)了?$")
LAST_YEAR = re.compile(r"^(?:比|较)(?:上年|上一年|\d{4}年)(?:预算数?)?(?:的)?$")
RATE = re.compile(r"(增幅|增长|降幅|下降|减幅|减少|增长率|下降率)(?:了|为)?$")


def _mode(section: Section) -> str:
    if "编制说明" in section.heading:
        return "notes"
    if "其他" in section.heading:
        return "other"
    if "项目" in section.heading:
        return "project"
    return "words"


def _class_of(key: str | None) -> str | None:
    if key is None:
        return None
    return next((min(group) for group in SAME_MONEY if key in group), key)


def check_section(r: _Reader, section: Section) -> None:
    mode = _mode(section)
    flat = "".join(section.text.split())
    if mode == "words":
        return
    for m in EMPTY_REASON.finditer(flat):
        snippet = flat[max(0, m.start() - 30):m.end() + 1]
        r.findings.append(Finding("empty-reason", r.page(snippet, section.page),
                                  Label(f"原因或用途为空：“{snippet}”", f"an empty reason or purpose: “{snippet}”")))
    _Walk(r, section, flat, mode).run()


class _Walk:
    def __init__(self, r: _Reader, section: Section, flat: str, mode: str):
        self.r, self.section, self.flat, self.mode = r, section, flat, mode
        self.previous: Claim | None = None
        self.sentence_first: Claim | None = None
        self.subject_row: list[str] | None = None
        self.last_change: tuple[Decimal, Claim, str | None] | None = None
        self.procurement: dict[str, Claim] = {}
        self.project_total: Claim | None = None
        self.sources: list[Claim] = []
        self.last_year: tuple[Claim, Claim] | None = None  # (last year's amount, this year's claim)

    def run(self) -> None:
        end = 0
        for m in NUMBER.finditer(self.flat):
            between = self.flat[end:m.start()]
            self._flat_changes(between)
            if "。" in between:
                self._close_sentence()
            whole, frac, unit = m.group(1), m.group(2), m.group(3)
            value = Decimal(whole.replace(",", "") + (f".{frac}" if frac else ""))
            label = _label(self.flat, m.start(), end)
            snippet = self.flat[max(end, m.start() - 24):m.end()].lstrip("，。；：:、,;")
            claim = Claim(value, len(frac or ""), unit, label, self.r.page(snippet, self.section.page), m.start())
            self._claim(claim, snippet)
            if unit != "%":
                self.previous = claim
                if self.sentence_first is None:
                    self.sentence_first = claim
            end = m.end()
        self._flat_changes(self.flat[end:])
        self._close_sentence()

    def _close_sentence(self) -> None:
        self.sentence_first, self.subject_row = None, None
        if self.project_total is not None and self.sources:
            total = sum((c.value for c in self.sources), Decimal(0))
            if total != self.project_total.value:
                self.r.findings.append(Finding("parts", self.project_total.page, Label(
                    f"项目“{self.project_total.label}”的资金来源之和与总额不符", f"the sources of a project do not add up to its total ({self.project_total.label})"),
                    self.project_total.value, total, self.project_total.unit))
            self.project_total, self.sources = None, []

    def _flat_changes(self, text: str) -> None:
        """与上年持平: a change of zero for the figure just stated."""
        if FLAT.search(text) and self.previous is not None and self.previous.key:
            self._record_change(Decimal(0), self.previous, self.previous.key)

    def _record_change(self, delta: Decimal, claim: Claim, key: str | None) -> None:
        group = _class_of(key)
        if group is not None:
            self.r.changes.setdefault(group, []).append((delta, claim))

    # ------------------------------------------------------------ one amount or percentage

    def _claim(self, claim: Claim, snippet: str) -> None:
        label = claim.label
        if claim.unit == "%":
            self._percentage(claim, snippet)
            return
        if "采购" in label:
            kind = ("micro" if re.search(r"小微|小型和微型", label) else "sme" if "中小企业" in label
                    else next((p for p in ("货物", "工程", "服务") if p in label), "total"))
            self.procurement.setdefault(kind, claim)
            if kind == "micro":
                self._procurement()
            return
        if "资金来源" in self.flat[max(0, claim.start - 40):claim.start] and self.project_total is not None:
            self.sources.append(claim)
            return
        if re.search(r"总预算(?:为|是)?$", label):
            self.project_total, self.sources = claim, []
            return
        if self.mode == "project":
            return
        if LAST_YEAR.search(label) and self.previous is not None and self.previous.key:
            self.last_year = (claim, self.previous)  # 比2024年预算 X 万元 增加 Y 万元
            return
        if self.last_year is not None and re.fullmatch(r"(增加|减少|增长|下降)了?", label):
            self._change_from_last_year(claim, label)
            return
        if m := CHANGE.search(label):
            key = _concept(m.group(1)) if m.group(1) else None
            key = key or (self.previous.key if self.previous else None)
            sign = Decimal(-1) if m.group(2) in ("减少", "下降") else Decimal(1)
            self._record_change(sign * claim.value, claim, key)
            self.last_change = (sign * claim.value, claim, key)
            return
        if re.search(r"项目预算资金(?:为|是)?$", label):
            claim.key, claim.at_most = "03.total.project", True
            self.r.amount(claim, ["03.total.project"], snippet)
            return
        if label.startswith("“"):
            candidates = self.r.row_key(label)
            if candidates:
                self.subject_row = candidates
                claim.key = candidates[0]
                self.r.amount(claim, candidates, snippet)
            return
        key = _concept(label)
        if key is None:
            return
        if self.subject_row and key in ("03.total.basic", "03.total.project"):
            column = key.rsplit(".", 1)[1]
            key = self.subject_row[0].rsplit(".", 1)[0] + "." + column
        claim.key = key
        self.r.amount(claim, [key], snippet)

    def _change_from_last_year(self, claim: Claim, label: str) -> None:
        """“X万元，比2024年预算L万元增加Y万元”: Y must be this year's figure (the table's) less L."""
        assert self.last_year is not None
        last, this = self.last_year
        self.last_year = None
        key = this.key or ""
        sign = Decimal(-1) if label.startswith(("减少", "下降")) else Decimal(1)
        self._record_change(sign * claim.value, claim, key)
        self.last_change = (sign * claim.value, claim, key)
        scale = WAN if claim.unit == "万元" else Decimal(1)
        value = self.r.table_value(key) / scale
        table = self.r.doc.tables.get(key[:2])
        slack = (Decimal("0.5").scaleb(-claim.decimals) + Decimal("0.5").scaleb(-last.decimals)
                 + (Decimal("0.005") if table is not None and table.unit == "万元" else 0))
        exact = value - last.value
        if abs(sign * claim.value - exact) > slack:
            q = Decimal(1).scaleb(-claim.decimals)
            self.r.findings.append(Finding("change", claim.page, Label(
                f"同比变化“{label}{claim.value}{claim.unit}”与本年数 {value.quantize(q, ROUND_HALF_UP)}、上年数 {last.value} 不符",
                f"the change “{label}{claim.value}{claim.unit}” does not follow from this year's {value.quantize(q, ROUND_HALF_UP)} and last year's {last.value}"),
                sign * claim.value, exact.quantize(q, ROUND_HALF_UP), claim.unit))

    def _procurement(self) -> None:
        p = self.procurement
        total = p.get("total")
        if total is not None and all(k in p for k in ("货物", "工程", "服务")):
            parts = sum((p[k].value for k in ("货物", "工程", "服务")), Decimal(0))
            slack = Decimal("0.5").scaleb(-max(c.decimals for c in p.values())) * 3
            if abs(parts - total.value) > slack:
                self.r.findings.append(Finding("parts", total.page, Label("政府采购：货物 + 工程 + 服务 ≠ 总额",
                                                                          "procurement: goods + works + services ≠ total"),
                                               parts, total.value, total.unit))
        for small, big, zh, en in (("sme", "total", "面向中小企业预留 ≤ 政府采购总额", "reserved for SMEs ≤ procurement total"),
                                   ("micro", "sme", "面向小微企业预留 ≤ 面向中小企业预留", "reserved for micro firms ≤ reserved for SMEs")):
            if small in p and big in p and p[small].value > p[big].value:
                self.r.findings.append(Finding("parts", p[small].page, Label(zh, en), p[small].value, p[big].value,
                                               p[small].unit, "<="))
        if total is not None:
            limit = self.r.table_value("01.exp.total.amount") / (WAN if total.unit == "万元" else 1)
            if self.r.values and total.value > limit.quantize(Decimal(1).scaleb(-total.decimals), ROUND_HALF_UP):
                self.r.findings.append(Finding("parts", total.page, Label("政府采购总额 ≤ 支出总计", "procurement total ≤ total expenditure"),
                                               total.value, limit, total.unit, "<="))
        self.procurement = {}

    def _percentage(self, claim: Claim, snippet: str) -> None:
        label = claim.label
        q = Decimal(1).scaleb(-claim.decimals)
        if label.startswith("占"):
            part = self.previous
            if part is None:
                return
            whole_key = _concept(label[1:].removesuffix("的")) if len(label) > 1 else None
            if "项目总预算" in label:
                whole_key = "03.total.project"
            whole = self.sentence_first if whole_key is None else None
            if whole is part or (whole is not None and whole.key is None):
                return
            whole_exact = self.r.table_value(whole_key or (whole.key if whole else "") or "")
            part_exact = self.r.table_value(part.key) if part.key and not part.at_most else part.value * (
                WAN if part.unit == "万元" else 1)
            if not whole_exact:
                return
            expected = (part_exact / whole_exact * HUNDRED).quantize(q, ROUND_HALF_UP)
            if expected != claim.value:
                self._wrong_rate(claim, expected, snippet, part, whole, whole_key)
            return
        if RATE.search(label) and self.last_change is not None:
            delta, change, key = self.last_change
            if key is None:
                return
            value = self.r.table_value(key) / WAN
            half = Decimal("0.5").scaleb(-change.decimals)
            table = self.r.doc.tables.get(key[:2])
            spread = Decimal("0.005") if table is not None and table.unit == "万元" else Decimal(0)  # this year's figure, as printed
            rates = []
            for d in (abs(delta) - half, abs(delta) + half):
                for v in (value - spread, value + spread):
                    base = v - (d if delta > 0 else -d)
                    if base > 0:
                        rates.append((d / base * HUNDRED).quantize(q, ROUND_HALF_UP))
            if rates and not (min(rates) <= claim.value <= max(rates)):
                base_rounded = value.quantize(Decimal(1).scaleb(-change.decimals), ROUND_HALF_UP) - delta
                from_rounded = (abs(delta) / base_rounded * HUNDRED).quantize(q, ROUND_HALF_UP) if base_rounded > 0 else None
                detail = (Label("这是由已四舍五入的万元数算出的", "it was computed from figures already rounded to 万元")
                          if from_rounded == claim.value else Label("", ""))
                self.r.findings.append(Finding("change", claim.page, Label(
                    f"同比变化率“{snippet}”与变化额 {change.value} 和本年数不符", f"the rate of change “{snippet}” does not follow from the change {change.value} and this year's figure"),
                    claim.value, rates[0], "%", detail=detail))

    def _wrong_rate(self, claim: Claim, expected: Decimal, snippet: str, part: Claim, whole: Claim | None, whole_key: str | None) -> None:
        detail = Label("", "")
        if whole is not None and whole.value:
            from_printed = (part.value / whole.value * HUNDRED).quantize(Decimal(1).scaleb(-claim.decimals), ROUND_HALF_UP)
            if from_printed == claim.value:
                detail = Label("这是由已四舍五入的万元数算出的", "it was computed from figures already rounded to 万元")
        self.r.findings.append(Finding("percentage", claim.page, Label(f"比例“{snippet}”与表中数算出的不符",
                                                                       f"the share “{snippet}” differs from the tables' figures"),
                                       claim.value, expected, "%", detail=detail))
