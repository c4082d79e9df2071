"""The bound narrative: sections 四, 六 and 七's budget paragraph, generated in both languages.

Generated paragraphs are Markdown with `{{figure}}` placeholders, exactly like authored
prose, so both go through the same expansion and the same claim checks. Only reasons and
descriptions are authored; every figure and every 增加/减少/持平 comes from the data.
A paragraph authored under `narrative:` replaces the generated one.
"""

from __future__ import annotations

from decimal import Decimal

from .catalogue import Catalogue
from .figures import Figure
from .labels import Label, cn_number
from .ledger import Ledger
from .model import Budget, Text
from .sanitise import escape_name

L = Label


def _strip_end(text: str) -> str:
    return text.strip().rstrip("。.；;，,")


def _join(parts: list[Label], zh_sep: str = "；", en_sep: str = "; ") -> Label:
    return L(zh_sep.join(p.zh for p in parts), en_sep.join(p.en for p in parts))


def _direction(change: Decimal) -> str:
    return "up" if change > 0 else "down" if change < 0 else "flat"


class NarrativeWriter:
    def __init__(self, budget: Budget, ledger: Ledger, figures: dict[str, Figure], catalogue: Catalogue):
        self.b = budget
        self.ledger = ledger
        self.f = figures
        self.cat = catalogue
        self.year = budget.year
        name = budget.department.name
        # English institution names take the article inside a sentence: "the … Centre".
        article = "" if name.en.lower().startswith("the ") else "the "
        # Names are text, not Markdown: every name put into a sentence goes through escape_name.
        self.dept = Label(escape_name(name.zh), article + escape_name(name.en))

    # ---- helpers
    def value(self, key: str) -> Decimal:
        return self.f[key].value

    def compare(self, key: str) -> Label:
        """'比2023年预算增加{{change.key}}' / '与2023年预算持平' for `key` against `last_year.key`."""
        prev = self.year - 1
        d = _direction(self.value(key) - self.value(f"last_year.{key}"))
        if d == "flat":
            return L(f"与{prev}年预算持平", f"unchanged from {prev}")
        zh_verb, en_verb = ("增加", "up") if d == "up" else ("减少", "down")
        return L(f"比{prev}年预算{zh_verb}{{{{change.{key}}}}}", f"{en_verb} {{{{change.{key}}}}} from {prev}")

    def economic_names(self, codes: list[str]) -> Label:
        """'办公费、水费' / 'office expenses and water bills'."""
        zh = "、".join(escape_name(self.cat.economic[c].zh) for c in codes)
        en = [escape_name(self.cat.economic[c].en) for c in codes]
        en = [e[:1].lower() + e[1:] for e in en]
        if len(en) < 2:
            return L(zh, "".join(en))
        return L(zh, ", ".join(en[:-1]) + " and " + en[-1])

    def function_name(self, code: str) -> Label:
        e = self.cat.functional[code]
        return L(escape_name(e.zh), escape_name(e.en))

    # ---- section 四
    def income(self) -> Label:
        parts = [L("财政拨款收入{{income.财政拨款}}，占{{share.income.财政拨款}}",
                   "fiscal appropriations {{income.财政拨款}} ({{share.income.财政拨款}})")]
        optional = {"上级补助收入", "上年结转"}
        names = {"事业收入": "public service revenue", "事业单位经营收入": "business revenue of public institutions",
                 "上级补助收入": "subsidies from higher-level units", "其他收入": "other revenue",
                 "上年结转": "carry-over from last year"}
        for source, en in names.items():
            if source in optional and not self.value(f"income.{source}"):
                continue
            parts.append(L(f"{source}{{{{income.{source}}}}}，占{{{{share.income.{source}}}}}",
                           f"{en} {{{{income.{source}}}}} ({{{{share.income.{source}}}}})"))
        body = _join(parts, "；", "; ")
        head = L(f"{self.year}年，{self.dept.zh}部门预算收入总额为{{{{total}}}}，其中：",
                 f"In {self.year}, the budgeted revenue of {self.dept.en} totals {{{{total}}}}: ")
        return L(head.zh + body.zh + "。" + self.change_sentence("收入", "revenue", self.b.reasons.income).zh,
                 head.en + body.en + ". " + self.change_sentence("收入", "revenue", self.b.reasons.income).en)

    def change_sentence(self, zh_word: str, en_word: str, reason: Text | None) -> Label:
        delta = self.value("total") - self.value("last_year.total")
        d = _direction(delta)
        if d == "flat":
            text = L(f"与上年部门{zh_word}持平", f"Total {en_word} is unchanged from last year")
        else:
            zh_verb, zh_rate, en_verb = ("增加", "增幅", "more") if d == "up" else ("减少", "降幅", "less")
            text = L(f"比上年部门{zh_word}{zh_verb}{{{{change.total}}}}，{zh_rate}{{{{change.total.pct}}}}",
                     f"This is {{{{change.total}}}} ({{{{change.total.pct}}}}) {en_verb} than last year")
        if reason is not None:
            text = L(f"{text.zh}，主要原因是{_strip_end(reason.zh)}", f"{text.en}. Main reasons: {_strip_end(reason.en)}")
        return L(text.zh + "。", text.en + ".")

    def expenditure(self) -> Label:
        head = L(f"{self.year}年，{self.dept.zh}部门预算支出总额为{{{{total}}}}，其中：基本支出{{{{basic}}}}，占{{{{share.basic}}}}；"
                 "项目支出{{project}}，占{{share.project}}。",
                 f"In {self.year}, the budgeted expenditure of {self.dept.en} totals {{{{total}}}}: basic expenditure "
                 "{{basic}} ({{share.basic}}) and project expenditure {{project}} ({{share.project}}). ")
        change = self.change_sentence("支出", "expenditure", self.b.reasons.expenditure)
        return L(head.zh + change.zh, head.en + change.en)

    def by_function(self, source: str, zh_name: str, en_name: str) -> Label:
        lines = [line for line in self.ledger.lines if line.source == source]
        if not lines:
            return L(f"{self.year}年，{self.dept.zh}无{zh_name}支出。",
                     f"In {self.year}, {self.dept.en} has no {en_name} expenditure.")
        head = L(f"{self.year}年，{self.dept.zh}部门预算{zh_name}支出总额为{{{{income.{source}}}}}，具体情况如下：",
                 f"In {self.year}, the {en_name} expenditure of {self.dept.en} totals {{{{income.{source}}}}}, as follows:")
        items = []
        kuan_codes = sorted({line.function[:5] for line in lines})
        for n, kuan in enumerate(kuan_codes, start=1):
            lei_name, kuan_name = self.function_name(kuan[:3]), self.function_name(kuan)
            xiang_parts = []
            for xiang in sorted({line.function for line in lines if line.function.startswith(kuan)}):
                name = self.function_name(xiang)
                xiang_parts.append(L(f"“{name.zh}（项）”{{{{function.{xiang}.{source}}}}}{self.purpose(xiang, source).zh}",
                                     f"{name.en} (item) {{{{function.{xiang}.{source}}}}}{self.purpose(xiang, source).en}"))
            details = _join(xiang_parts)
            items.append(L(
                f"{n}. “{lei_name.zh}（类）{kuan_name.zh}（款）”{{{{function.{kuan}.{source}}}}}，其中：{details.zh}。",
                f"{n}. {lei_name.en} (class) – {kuan_name.en} (category): {{{{function.{kuan}.{source}}}}}, "
                f"of which {details.en}.",
            ))
        return L(head.zh + "\n\n" + "\n".join(i.zh for i in items), head.en + "\n\n" + "\n".join(i.en for i in items))

    def purpose(self, xiang: str, source: str) -> Label:
        """'，主要用于：…' of one 项: the basic part's purpose and the projects it funds."""
        basic = self.value(f"function.{xiang}.{source}.basic")
        project = self.value(f"function.{xiang}.{source}.project")
        authored = self.b.purposes.function.get(xiang)
        if authored is not None:
            basic_use = L(_strip_end(authored.zh), _strip_end(authored.en))
        else:
            codes = sorted({line.economic for line in self.ledger.lines
                            if line.is_basic and line.function == xiang and line.source == source})
            basic_use = self.economic_names(codes)
        projects = sorted(
            (p for p in self.b.projects if p.function == xiang and p.funding.get(source)),
            key=lambda p: -p.funding[source],
        )
        names = [L(escape_name(p.name.zh) + ("（部分）" if len(p.funding) > 1 else ""),
                   escape_name(p.name.en) + (" (part)" if len(p.funding) > 1 else "")) for p in projects]
        # project names may hold commas of their own: semicolons keep the English list readable
        project_use = L("、".join(n.zh for n in names), "; ".join(n.en for n in names))
        if basic and project:
            return L(f"，主要用于：{basic_use.zh}；项目支出{{{{function.{xiang}.{source}.project}}}}，主要用于：{project_use.zh}",
                     f", mainly for {basic_use.en}; project expenditure {{{{function.{xiang}.{source}.project}}}}, "
                     f"mainly for {project_use.en}")
        if project:
            return L(f"，主要用于：{project_use.zh}", f", mainly for {project_use.en}")
        if authored is not None:
            return L(f"，主要用于：{basic_use.zh}", f", mainly for {basic_use.en}")
        return L("", "")

    def basic(self) -> Label:
        lines = [line for line in self.ledger.lines if line.is_basic and line.source == "一般公共预算"]
        if not lines:
            return L(f"{self.year}年，{self.dept.zh}无一般公共预算财政拨款基本支出。",
                     f"In {self.year}, {self.dept.en} has no basic expenditure from the general public budget.")
        head = L(f"{self.year}年，{self.dept.zh}部门预算一般公共预算财政拨款基本支出总额为{{{{一般公共预算.basic}}}}，具体情况如下：",
                 f"In {self.year}, the basic expenditure of {self.dept.en} from the general public budget totals "
                 "{{一般公共预算.basic}}, as follows:")
        items = []
        for n, lei in enumerate(sorted({line.economic[:3] for line in lines}), start=1):
            e = self.cat.economic[lei]
            e = L(escape_name(e.zh), escape_name(e.en))
            authored = self.b.purposes.economic.get(lei)
            if authored is not None:
                use = L(_strip_end(authored.zh), _strip_end(authored.en))
            else:
                codes = sorted({line.economic for line in lines if line.economic.startswith(lei)})
                use = self.economic_names(codes)
            items.append(L(f"{n}. “{e.zh}”{{{{economic.{lei}}}}}，主要用于：{use.zh}。",
                           f"{n}. {e.en}: {{{{economic.{lei}}}}}, mainly for {use.en}."))
        return L(head.zh + "\n\n" + "\n".join(i.zh for i in items), head.en + "\n\n" + "\n".join(i.en for i in items))

    # ---- section 六
    def three_public(self) -> Label:
        total = self.compare("three_public.total")
        reason = self.b.reasons.three_public
        head = L(f"{self.year}年，{self.dept.zh}“三公”经费财政拨款预算为{{{{three_public.total}}}}，{total.zh}",
                 f"In {self.year}, the \u201cthree public expenses\u201d of {self.dept.en} funded by fiscal appropriations "
                 f"total {{{{three_public.total}}}}, {total.en}")
        if reason is not None:
            head = L(f"{head.zh}，主要原因是{_strip_end(reason.zh)}", f"{head.en}. Main reasons: {_strip_end(reason.en)}")
        items = []
        for n, (key, zh, en) in enumerate([
            ("outbound", "因公出国（境）费", "Official overseas travel"),
            ("reception", "公务接待费", "Official reception"),
            ("vehicle", "公务用车购置及运行费", "Purchase and operation of official vehicles"),
        ], start=1):
            c = self.compare(f"three_public.{key}")
            item = L(f"({cn_number(n)}) {zh}预算{{{{three_public.{key}}}}}，{c.zh}。",
                     f"({n}) {en}: {{{{three_public.{key}}}}}, {c.en}.")
            if key == "vehicle" and self.value("three_public.vehicle"):
                item = L(item.zh + "其中：公务用车购置费{{three_public.vehicle_purchase}}，公务用车运行费{{three_public.vehicle_operation}}。",
                         item.en + " Of which purchase {{three_public.vehicle_purchase}} and operation "
                         "{{three_public.vehicle_operation}}.")
            items.append(item)
        return L(head.zh + "。其中：\n\n" + "\n".join(f"- {i.zh}" for i in items),
                 head.en + ". Of which:\n\n" + "\n".join(f"- {i.en}" for i in items))

    def operating_costs(self) -> Label:
        if self.ledger.operating_costs is None:
            return L(f"{self.year}年，{self.dept.zh}未安排机关运行经费预算（事业单位不适用）。",
                     f"In {self.year}, {self.dept.en} has no budget for agency operating costs "
                     "(they do not apply to public institutions).")
        text = L(f"{self.year}年，{self.dept.zh}机关运行经费预算为{{{{operating_costs}}}}",
                 f"In {self.year}, the agency operating costs of {self.dept.en} are {{{{operating_costs}}}}")
        if "last_year.operating_costs" in self.f:
            c = self.compare("operating_costs")
            text = L(f"{text.zh}，{c.zh}", f"{text.en}, {c.en}")
        reason = self.b.reasons.operating_costs
        if reason is not None:
            text = L(f"{text.zh}，主要原因是{_strip_end(reason.zh)}", f"{text.en}. Main reasons: {_strip_end(reason.en)}")
        return L(text.zh + "。", text.en + ".")

    def procurement(self) -> Label:
        if not self.b.procurement:
            return L(f"{self.year}年本部门无政府采购预算。", f"The department has no government procurement budget in {self.year}.")
        return L(
            f"{self.year}年本部门政府采购预算总额{{{{procurement.total}}}}，其中：政府采购货物预算{{{{procurement.货物}}}}、"
            "政府采购工程预算{{procurement.工程}}、政府采购服务预算{{procurement.服务}}。\n\n"
            f"{self.year}年本部门面向中小企业预留政府采购项目预算金额{{{{procurement.sme}}}}，"
            "其中，面向小微企业预留政府采购项目预算金额{{procurement.micro}}。",
            f"In {self.year} the department's government procurement budget totals {{{{procurement.total}}}}: goods "
            "{{procurement.货物}}, works {{procurement.工程}} and services {{procurement.服务}}.\n\n"
            f"In {self.year} the department reserves {{{{procurement.sme}}}} of procurement for small and medium-sized "
            "enterprises, of which {{procurement.micro}} for small and micro enterprises.",
        )

    def performance(self) -> Label:
        projects = "project" if self.value("performance.count") == 1 else "projects"
        return L(
            f"按照本区预算绩效管理工作的总体要求，本单位开展了{self.year}年项目绩效目标编报工作，编报绩效目标的项目"
            "{{performance.count}}个，涉及项目预算资金{{performance.amount}}，占年初项目总预算的{{performance.share}}。",
            f"Following the district's requirements for budget performance management, the unit set performance targets "
            f"for its projects of {self.year}: {{{{performance.count}}}} {projects} with targets, covering project funds of "
            "{{performance.amount}}, or {{performance.share}} of the initial project budget.",
        )

    def assets(self) -> Label:
        a = self.b.assets
        zh, en = [], []
        for count, zh_have, zh_none, en_one, en_many in [
            (a.vehicles, "车辆{n}辆", "无车辆", "vehicle", "vehicles"),
            (a.general_equipment, "价值{{{{literal: 50万元}}}}以上通用设备{n}台（套）", "无价值{{literal: 50万元}}以上通用设备",
             "item of general equipment worth {{literal: RMB 500,000}} or more",
             "items of general equipment worth {{literal: RMB 500,000}} or more"),
            (a.special_equipment, "价值{{{{literal: 100万元}}}}以上专用设备{n}台（套）", "无价值{{literal: 100万元}}以上专用设备",
             "item of special equipment worth {{literal: RMB 1 million}} or more",
             "items of special equipment worth {{literal: RMB 1 million}} or more"),
        ]:
            zh.append(zh_have.format(n=count) if count else zh_none)
            en.append(f"{count} {en_one}" if count == 1 else f"{count if count else 'no'} {en_many}")
        text = L(f"{self.year}年，{self.dept.zh}{'、'.join(zh)}。",
                 f"In {self.year}, {self.dept.en} has {', '.join(en[:-1])} and {en[-1]}.")
        if a.note is not None:
            text = L(f"{text.zh}\n\n{a.note.zh}", f"{text.en}\n\n{a.note.en}")
        return text

    # ---- section 七
    def key_project_budget(self, project_id: str) -> Label:
        p = self.ledger.project(project_id)
        parts = [L(f"{s}{{{{project.{p.id}.{s}}}}}", f"{_SOURCE_EN[s]} {{{{project.{p.id}.{s}}}}}") for s in p.funding]
        sources = _join(parts, "，", ", ")
        return L(f"项目名称为{escape_name(p.name.zh)}，该项目年初总预算{{{{project.{p.id}}}}}，资金来源：{sources.zh}。",
                 f"The project {escape_name(p.name.en)} has an initial budget of {{{{project.{p.id}}}}} this year, funded by "
                 f"{sources.en}.")

    def paragraphs(self) -> dict[str, tuple[Label, bool]]:
        """Every paragraph of sections 四 and 六: (text, authored?)."""
        generated = {
            "income": self.income,
            "expenditure": self.expenditure,
            "general_public": lambda: self.by_function("一般公共预算", "一般公共预算财政拨款", "general public budget"),
            "basic": self.basic,
            "government_fund": lambda: self.by_function("政府性基金", "政府性基金预算财政拨款", "government fund budget"),
            "state_capital": lambda: self.by_function("国有资本经营", "国有资本经营预算财政拨款", "state capital operation budget"),
            "three_public": self.three_public,
            "operating_costs": self.operating_costs,
            "procurement": self.procurement,
            "performance": self.performance,
            "assets": self.assets,
        }
        out = {}
        for key, make in generated.items():
            authored = self.b.narrative.get(key)
            out[key] = (L(authored.zh, authored.en), True) if authored is not None else (make(), False)
        return out


_SOURCE_EN = {
    "一般公共预算": "the general public budget", "政府性基金": "government funds", "国有资本经营": "state capital operations",
    "事业收入": "public service revenue", "事业单位经营收入": "business revenue", "上级补助收入": "subsidies from higher-level units",
    "其他收入": "other revenue", "上年结转": "carry-over from last year",
}

