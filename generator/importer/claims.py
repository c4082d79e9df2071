"""The narrative of a printed budget against its own tables (for `budget audit`).

Every amount of the notes (四) and of 六 is read with the words just before it: a figure the
tables hold (收入预算, 基本支出, 三公经费, a quoted functional or economic line, …) must be that
figure rounded to the printed decimals (a truncated one is named as such); a share (占X%) must be
the part over its whole; a year-on-year change with its rate must agree with itself, and the
same money (revenue and expenditure, 财政拨款 revenue and expenditure) cannot change by two
different amounts. Empty reasons (主要原因是。), notes of empty tables against figures in the
text, and the parts of the procurement and project paragraphs are checked as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from generator.core.labels import Label
from generator.importer.audit import Finding
from generator.importer.printed import PrintedDocument

NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(万元|元|%)")
DELIMS = "，。；：:、,;"
WAN = Decimal(10000)
HUNDRED = Decimal(100)
_S = r"(?:预算数?|总额|总计|合计|财政拨款预算|安排)?(?:为|是)?$"
CONCEPTS: list[tuple[str, str]] = [  # the end of a label -> the printed figure it names
    (r"三公经费(?:财政拨款)?", "09.row.total"),
    (r"因公出国\(境\)费", "09.row.outbound"),
    (r"公务用车购置及运行费", "09.row.vehicle"),
    (r"公务用车购置费", "09.row.vehicle_purchase"),
    (r"公务用车运行费", "09.row.vehicle_operation"),
    (r"公务接待费", "09.row.reception"),
    (r"机关运行经费", "09.row.operating_costs"),
    (r"政府性基金(?:预算)?(?:财政)?(?:拨款)?(?:收入|支出)?", "06.total.total"),
    (r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?(?:收入|支出)?", "07.total.total"),
    (r"一般公共预算(?:财政)?(?:拨款)?基本支出", "05.total.basic"),
    (r"一般公共预算(?:财政)?(?:拨款)?项目支出", "05.total.project"),
    (r"一般公共预算(?:财政)?(?:拨款)?(?:收入|支出)?", "05.total.total"),
    (r"财政拨款收入", "01.inc.财政拨款.amount"),
    (r"财政拨款支出", "04.exp.total.total"),
    (r"事业单位经营收入", "01.inc.事业单位经营收入.amount"),
    (r"事业收入", "01.inc.事业收入.amount"),
    (r"上级补助收入", "01.inc.上级补助收入.amount"),
    (r"附属单位上缴收入", "01.inc.附属单位上缴收入.amount"),
    (r"其他收入", "01.inc.其他收入.amount"),
    (r"事业单位经营支出", "03.total.business"),
    (r"上缴上级支出", "03.total.upper"),
    (r"对附属单位补助支出", "03.total.subsidiary"),
    (r"基本支出", "03.total.basic"),
    (r"项目支出", "03.total.project"),
    (r"人员经费", "08.total.personnel"),
    (r"公用经费", "08.total.public"),
    (r"(?:部门|单位)?(?:预算)?收入", "01.inc.total.amount"),
    (r"(?:部门|单位)?(?:预算)?支出", "01.exp.total.amount"),
]
SAME_MONEY = [{"01.inc.total.amount", "01.exp.total.amount"}, {"01.inc.财政拨款.amount", "04.exp.total.total"}]
FLAT = re.compile(r"(?:比|较|与)(?:上年|上一年|\d{4}年)(?:预算)?(?:相比)?持平")
EMPTY_REASON = re.compile(r"(主要原因(?:是|为)?|原因(?:是|为)|主要用于)[：:]?\s*(?=[。；，]|$)")


@dataclass
class Claim:
    value: Decimal  # as printed
    decimals: int
    unit: str  # 万元 / 元 / %
    label: str
    page: int | None
    start: int
    key: str | None = None
    at_most: bool = False


def _norm(text: str) -> str:
    return re.sub(r"[“”\"‘’']", "", text).replace("（", "(").replace("）", ")")


def _label(flat: str, start: int, floor: int) -> str:
    prefix = flat[max(floor, start - 80):start]
    if m := re.search(r"“([^“”]+)”(?:科目)?(?:预算)?(?:为)?$", prefix):
        return "“" + m.group(1) + "”"
    cut = max(prefix.rfind(d) for d in DELIMS)
    label = prefix[cut + 1:]
    return re.sub(r"^(?:其中|\([一二三四五六七八九十\d]+\)|\d+[.．])", "", _norm(label)).strip()


def _concept(label: str) -> str | None:
    for pattern, key in CONCEPTS:
        if re.search(pattern + _S, label):
            return key
    return None


class _Reader:
    def __init__(self, doc: PrintedDocument):
        self.doc = doc
        self.values = doc.cells(yuan=True)
        self.findings: list[Finding] = []
        self.changes: dict[str, list[tuple[Decimal, Claim]]] = {}

    def page(self, snippet: str, fallback: int | None) -> int | None:
        return self.doc.page_of(snippet) or fallback

    def table_value(self, key: str) -> Decimal:
        return self.values.get(key, Decimal(0))

    # ------------------------------------------------------------ quoted lines of the function list

    def row_key(self, quoted: str) -> list[str]:
        """“一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行” or “…(类)…(款)” -> candidate cell keys."""
        names = [n for n in re.split(r"-|—|\((?:类|款|项)\)", _norm(quoted).strip("“”")) if n]
        if not names:
            return []
        for number, columns in (("05", ("total",)), ("02", ("财政拨款",)), ("03", ("total",)), ("08", ("total",))):
            table = self.doc.tables.get(number)
            if table is None:
                continue
            rows = [code for code, name in table.row_names.items() if _norm(name) == names[-1] and code != "total"]
            if len(names) > 1:
                rows = [c for c in rows if self._ancestry_fits(table.row_names, c, names[:-1])]
            if rows:
                code = max(rows, key=len)
                cands = [f"{number}.{code}.{col}" for col in columns]
                if number == "05":
                    cands += [f"02.{code}.财政拨款", f"03.{code}.total"]
                return cands
        return []

    @staticmethod
    def _ancestry_fits(names: dict[str, str], code: str, parents: list[str]) -> bool:
        ancestors = [_norm(names.get(code[:n], "")) for n in (3, 5) if n < len(code)]
        return all(p in ancestors for p in parents)

    # ------------------------------------------------------------ the checks of one amount

    def amount(self, claim: Claim, candidates: list[str], snippet: str) -> None:
        if claim.unit == "%":
            return
        scale = WAN if claim.unit == "万元" else Decimal(1)
        q = Decimal(1).scaleb(-claim.decimals)
        expected = [(self.table_value(k) / scale) for k in candidates]
        if claim.at_most:
            if claim.value > expected[0].quantize(q, ROUND_HALF_UP):
                self.findings.append(Finding("amount", claim.page, Label(f"正文“{snippet}”超过表中数", f"the text's “{snippet}” exceeds the table"),
                                             claim.value, expected[0].quantize(q, ROUND_HALF_UP), claim.unit, "<="))
            return
        rounded = [e.quantize(q, ROUND_HALF_UP) for e in expected]
        if claim.value in rounded:
            return
        empty = self._empty_note(candidates[0])
        if empty and claim.value != 0:
            self.findings.append(Finding("empty-note", claim.page,
                                         Label(f"正文“{snippet}”，但{candidates[0][:2]}表注明为空：{empty}",
                                               f"the text says “{snippet}” but table {candidates[0][:2]} is printed empty: {empty}"),
                                         claim.value, Decimal(0), claim.unit))
            return
        truncated = expected[0].quantize(q, ROUND_DOWN)
        if claim.value == truncated:
            self.findings.append(Finding("truncated", claim.page,
                                         Label(f"正文“{snippet}”是截断而不是四舍五入（表中 {expected[0]:,}）",
                                               f"the text's “{snippet}” is truncated, not rounded (table: {expected[0]:,})"),
                                         claim.value, rounded[0], claim.unit))
            return
        detail = self._explain(claim.value - rounded[0], scale, q)
        self.findings.append(Finding("amount", claim.page, Label(f"正文“{snippet}”与表中数不符（{candidates[0]}）",
                                                                 f"the text's “{snippet}” differs from the table ({candidates[0]})"),
                                     claim.value, rounded[0], claim.unit, detail=detail))

    def _empty_note(self, key: str) -> str | None:
        table = self.doc.tables.get(key[:2])
        return table.empty_note if table is not None and table.empty_note else None

    def _explain(self, diff: Decimal, scale: Decimal, q: Decimal) -> Label:
        """A difference that is exactly one table line: the line counted twice (or left out)."""
        for key, value in self.values.items():
            if value and (value / scale).quantize(q, ROUND_HALF_UP) == abs(diff) and not key.endswith(".total.total"):
                table = self.doc.tables[key[:2]]
                row = key[3:].rsplit(".", 1)[0]
                name = table.row_names.get(row, row)
                how = ("多算了一次", "counted twice") if diff > 0 else ("漏算了", "left out")
                return Label(f"差额正是{key[:2]}表“{name}”，似乎{how[0]}", f"the difference is exactly table {key[:2]} “{name}”: {how[1]}?")
        return Label("", "")


def narrative_findings(doc: PrintedDocument) -> list[Finding]:
    from generator.importer.paragraphs import check_section

    r = _Reader(doc)
    for section in doc.sections:
        if "预算表" in section.heading:
            continue
        check_section(r, section)
    for said in r.changes.values():
        distinct = sorted({v for v, _ in said})
        if len(distinct) > 1:
            (a, ca), (b, cb) = said[0], next((v, c) for v, c in said if v != said[0][0])
            r.findings.append(Finding("change", cb.page, Label(
                f"同一笔钱的两个不同的同比变化：“{ca.label}”（第{ca.page}页）与“{cb.label}”",
                f"two different year-on-year changes for the same money: “{ca.label}” (p. {ca.page}) and “{cb.label}”"),
                b, a, cb.unit))
    return r.findings
