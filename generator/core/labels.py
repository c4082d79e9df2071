"""Bilingual labels of the standard disclosure: table titles, headings, column and row names.

Chinese is the wording of the official documents; English is the project's translation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

# A label without the language asked for falls back along this chain (English is the project's
# translation, Chinese the official wording); a language the label lacks is looked up in the
# message catalogue by its English text (View.t), so a new language is a catalogue, not code.
FALLBACK = ("en", "zh")


class Label(Mapping[str, str]):
    """Text per language: Label(zh, en) or Label({"zh": …, "en": …, "xx": …}); immutable."""

    __slots__ = ("_texts",)
    _texts: dict[str, str]

    def __init__(self, zh: str | Mapping[str, str], en: str | None = None, /, **more: str):
        texts: dict[str, str] = dict(zh) if isinstance(zh, Mapping) else {"zh": zh, "en": en or ""}
        texts.update(more)
        object.__setattr__(self, "_texts", texts)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Label is immutable")

    def __getitem__(self, lang: str) -> str:
        return self._texts[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._texts.items())))

    def __reduce__(self) -> tuple[type[Label], tuple[dict[str, str]]]:  # copy and pickle rebuild it through the constructor
        return (Label, (dict(self._texts),))

    def __repr__(self) -> str:
        return f"Label({self._texts!r})"

    @property
    def zh(self) -> str:
        return self._texts["zh"]

    @property
    def en(self) -> str:
        return self._texts["en"]

    def __call__(self, lang: str) -> str:
        """The text in `lang`, else in the first FALLBACK language the label has."""
        for key in (lang, *FALLBACK):
            if key in self._texts:
                return self._texts[key]
        raise KeyError(lang)

    def format(self, **kw: object) -> Label:
        return Label({lang: text.format(**kw) for lang, text in self._texts.items()})


L = Label
CN_NUMERALS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 22 -> 二十二 (up to 99)."""
    tens, ones = divmod(n, 10)
    if n <= 10:
        return CN_NUMERALS[n - 1]
    head = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return head + "十" + (CN_NUMERALS[ones - 1] if ones else "")


TABLE_TITLES = {
    "01": L("部门财务收支预算总表", "Summary of revenue and expenditure"),
    "02": L("部门收入预算总表", "Revenue budget"),
    "03": L("部门支出预算总表", "Expenditure budget"),
    "04": L("部门财政拨款收支预算总表", "Summary of fiscal appropriations"),
    "05": L("部门一般公共预算支出功能分类预算表", "General public budget expenditure by function"),
    "06": L("部门政府性基金预算支出功能分类预算表", "Government fund budget expenditure by function"),
    "07": L("部门国有资本经营预算支出功能分类预算表", "State capital operation budget expenditure by function"),
    "08": L("部门一般公共预算基本支出经济分类预算表", "General public budget basic expenditure by economic classification"),
    "09": L("部门\u201c三公\u201d经费和机关运行经费预算表", "\u201cThree public expenses\u201d and agency operating costs"),
}
TABLE_NUMBER = L("部门预算{number}表", "Department budget table {number}")
# A unit's own budget (单位预算) prints the same tables under the unit titles of the standard format.
UNIT_TABLE_TITLES = {
    "01": L("预算单位财务收支预算总表", "Summary of revenue and expenditure"),
    "02": L("预算单位收入预算总表", "Revenue budget"),
    "03": L("预算单位支出预算总表", "Expenditure budget"),
    "04": L("预算单位财政拨款收支预算总表", "Summary of fiscal appropriations"),
    "05": L("预算单位一般公共预算支出功能分类预算表", "General public budget expenditure by function"),
    "06": L("预算单位政府性基金预算支出功能分类预算表", "Government fund budget expenditure by function"),
    "07": L("预算单位国有资本经营预算支出功能分类预算表", "State capital operation budget expenditure by function"),
    "08": L("预算单位一般公共预算基本支出经济分类预算表", "General public budget basic expenditure by economic classification"),
    "09": L("单位\u201c三公\u201d经费和机关运行经费预算表", "\u201cThree public expenses\u201d and agency operating costs"),
}
UNIT_TABLE_NUMBER = L("单位预算{number}表", "Unit budget table {number}")

SOURCE_LABELS = {
    "财政拨款": L("财政拨款收入", "Fiscal appropriations"),
    "一般公共预算": L("一般公共预算", "General public budget"),
    "政府性基金": L("政府性基金", "Government funds"),
    "国有资本经营": L("国有资本经营", "State capital operations"),
    "事业收入": L("事业收入", "Public service revenue"),
    "事业单位经营收入": L("事业单位经营收入", "Business revenue of public institutions"),
    "上级补助收入": L("上级补助收入", "Subsidies from higher-level units"),
    "附属单位上缴收入": L("附属单位上缴收入", "Remittances from subordinate units"),
    "其他收入": L("其他收入", "Other revenue"),
    "上年结转": L("上年结转", "Carry-over from last year"),
}

COLUMN_LABELS = {
    "total": L("合计", "Total"),
    "basic": L("基本支出", "Basic expenditure"),
    "project": L("项目支出", "Project expenditure"),
    "personnel": L("人员经费", "Personnel"),
    "public": L("公用经费", "Operations"),
    "amount": L("预算数", "Budget"),
    "财政拨款": L("财政拨款收入", "Fiscal appropriations"),
    "事业收入": L("事业收入", "Public service revenue"),
    "事业单位经营收入": L("经营收入", "Business revenue"),
    "上级补助收入": L("上级补助收入", "Subsidies from higher-level units"),
    "附属单位上缴收入": L("附属单位上缴收入", "Remittances from subordinate units"),
    "其他收入": L("其他收入", "Other revenue"),
    "上年结转": L("上年结转", "Carry-over"),
    "upper": L("上缴上级支出", "Remittances to higher-level units"),
    "subsidiary": L("对附属单位补助支出", "Subsidies to subordinate units"),
    "business": L("事业单位经营支出", "Business expenditure of public institutions"),
    "一般公共预算": L("一般公共预算", "General public budget"),
    "政府性基金": L("政府性基金预算", "Government fund budget"),
    "国有资本经营": L("国有资本经营预算", "State capital operation budget"),
    "outbound": L("因公出国(境)费", "Official overseas travel"),
    "reception": L("公务接待费", "Official reception"),
    "vehicle": L("小计", "Subtotal"),
    "vehicle_purchase": L("购置费", "Purchase"),
    "vehicle_operation": L("运行费", "Operation"),
    "operating_costs": L("机关运行经费", "Agency operating costs"),
}

GROUPS = {
    "02": L("收入预算", "Revenue budget"),
    "03": L("支出预算", "Expenditure budget"),
    "05": L("一般公共预算支出", "General public budget expenditure"),
    "06": L("政府性基金预算支出", "Government fund budget expenditure"),
    "07": L("国有资本经营预算拨款支出", "State capital operation budget expenditure"),
    "08": L("一般公共预算基本支出", "General public budget basic expenditure"),
    "vehicle": L("公务用车购置及运行费", "Official vehicles"),
}

FUNCTION_CODE = L("功能分类科目编码", "Functional classification code")
FUNCTION_NAME = L("功能分类科目名称", "Functional classification")
ECONOMIC_CODE = L("经济分类科目编码", "Economic classification code")
ECONOMIC_NAME = L("经济分类科目名称", "Economic classification")
LEVEL_NAMES = {"类": L("类", "Class"), "款": L("款", "Category"), "项": L("项", "Item")}
ITEM = L("项目", "Item")
TOTAL = L("合计", "Total")
INCOME_TOTAL = L("收入总计", "Total revenue")
EXPENDITURE_TOTAL = L("支出总计", "Total expenditure")
SIDES = {
    "01": (L("本年收入", "Revenue this year"), L("本年支出", "Expenditure this year")),
    "04": (L("财政拨款收入", "Fiscal appropriation revenue"), L("财政拨款支出", "Fiscal appropriation expenditure")),
}
REPORTING_UNIT = L("编报单位", "Reporting unit")
UNIT = L("单位", "Unit")
UNIT_NAMES = {"万元": L("万元", "RMB 10,000"), "元": L("元", "RMB")}

EMPTY_TABLE = {
    "06": L("注：{department_zh}{year}年无政府性基金预算支出，故本表无数据。",
            "Note: {department_en} has no government fund budget expenditure in {year}, so this table is empty."),
    "07": L("注：{department_zh}{year}年无国有资本经营预算支出，故本表无数据。",
            "Note: {department_en} has no state capital operation budget expenditure in {year}, so this table is empty."),
    "09": L("注：{department_zh}{year}年无财政拨款\u201c三公\u201d经费预算。",
            "Note: {department_en} has no \u201cthree public expenses\u201d funded by fiscal appropriations in {year}."),
}
NO_OPERATING_COSTS = L("注：机关运行经费只适用于行政单位和参照公务员法管理的事业单位。",
                       "Note: agency operating costs apply only to administrative units and to public institutions "
                       "managed as civil service.")
LOCAL_CODE_NOTE = L("注：标 * 的科目为本地补充科目，尚未列入本年政府收支分类科目目录。",
                    "Note: codes marked * are local additions, not (yet) in this year's classification catalogue.")
ROUNDING_NOTE = L("注：金额按四舍五入显示，合计数与分项之和可能存在尾差。",
                  "Note: amounts are rounded for display, so a total may differ slightly from the sum of its rows.")

SECTIONS = [
    ("s1", L("一、部门主要职能", "1. Main functions")),
    ("s2", L("二、部门机构设置", "2. Organisation")),
    ("s3", L("三、名词解释", "3. Glossary")),
    ("s4", L("四、部门预算编制说明", "4. Notes on the budget")),
    ("s5", L("五、部门预算表", "5. Budget tables")),
    ("s6", L("六、其他相关情况说明", "6. Other information")),
    ("s7", L("七、部门支出重点项目情况说明", "7. Key projects")),
    ("s8", L("八、项目绩效目标申报表", "8. Project performance targets")),
]
UNIT_SECTIONS = [
    ("s1", L("一、单位主要职能", "1. Main functions")),
    ("s2", L("二、单位机构设置", "2. Organisation")),
    ("s3", L("三、名词解释", "3. Glossary")),
    ("s4", L("四、单位预算编制说明", "4. Notes on the budget")),
    ("s5", L("五、单位预算表", "5. Budget tables")),
    ("s6", L("六、其他相关情况说明", "6. Other information")),
    ("s7", L("七、单位支出重点项目情况说明", "7. Key projects")),
    ("s8", L("八、项目绩效目标申报表", "8. Project performance targets")),
]
RECONCILIATION = L("附：数据核对", "Appendix: reconciliation")

SECTION_4_PARTS = [
    ("income", L("（一）关于{year}年部门预算收入情况说明", "(1) Revenue in {year}")),
    ("expenditure", L("（二）关于{year}年部门预算支出情况说明", "(2) Expenditure in {year}")),
    ("general_public", L("（三）关于{year}年部门预算一般公共预算财政拨款支出情况说明",
                         "(3) Expenditure from general public budget appropriations in {year}")),
    ("basic", L("（四）关于{year}年部门预算一般公共预算财政拨款基本支出情况说明",
                "(4) Basic expenditure from general public budget appropriations in {year}")),
    ("government_fund", L("（五）关于{year}年部门预算政府性基金预算财政拨款支出情况说明",
                          "(5) Expenditure from government fund budget appropriations in {year}")),
    ("state_capital", L("（六）关于{year}年部门预算国有资本经营预算财政拨款支出情况说明",
                        "(6) Expenditure from state capital operation budget appropriations in {year}")),
]
UNIT_SECTION_4_PARTS = [(key, Label(title.zh.replace("部门预算", "单位预算"), title.en)) for key, title in SECTION_4_PARTS]
SECTION_6_PARTS = [
    ("three_public", L("一、{year}年\u201c三公\u201d经费预算情况说明", "1. \u201cThree public expenses\u201d in {year}")),
    ("operating_costs", L("二、机关运行经费预算", "2. Agency operating costs")),
    ("procurement", L("三、关于{year}年政府采购情况", "3. Government procurement in {year}")),
    ("performance", L("四、关于{year}年预算绩效情况", "4. Budget performance in {year}")),
    ("assets", L("五、关于{year}年国有资产占有使用情况", "5. State-owned assets in {year}")),
]
KEY_PROJECT_PARTS = [
    ("overview", L("一、项目概述", "1. Overview")),
    ("basis", L("二、立项依据", "2. Basis")),
    ("implementer", L("三、实施主体", "3. Implementing body")),
    ("plan", L("四、实施方案", "4. Implementation plan")),
    ("period", L("五、实施周期", "5. Period")),
    ("budget", L("六、年度预算安排", "6. Budget this year")),
    ("goal", L("七、绩效目标", "7. Performance goal")),
]
GLOSSARY_SPECIAL = L("（五）专有名词解释", "(5) Special terms")
NO_SPECIAL_TERMS = L("{department}{year}年无相关专有名词解释。", "{department} has no special terms to explain for {year}.")

FORM = {
    "title": L("上海市财政支出项目绩效目标申报表", "Shanghai fiscal expenditure project performance target form"),
    "applicant": L("申报单位名称", "Applicant"),
    "name": L("项目名称", "Project"),
    "attribute": L("项目属性", "Type"),
    "use": L("资金用途", "Use of funds"),
    "funding_level": L("资金来源", "Source of funds"),
    "manager": L("项目负责人", "Project manager"),
    "contact": L("联系人", "Contact"),
    "phone": L("联系电话", "Telephone"),
    "start": L("开始时间", "Start"),
    "end": L("结束时间", "End"),
    "overview": L("项目概况", "Overview"),
    "basis": L("立项依据", "Basis"),
    "necessity": L("项目设立的必要性", "Necessity"),
    "safeguards": L("保证项目实施的制度、措施", "Rules and measures ensuring implementation"),
    "total_budget": L("项目总预算（元）", "Total budget (RMB)"),
    "this_year": L("项目当年预算（元）", "Budget this year (RMB)"),
    "last_year_budget": L("同名项目上年预算额（元）", "Last year's budget (RMB)"),
    "last_year_executed": L("同名项目上年预算执行数（元）", "Last year's execution (RMB)"),
    "sub_items_this_year": L("项目当年投入资金构成", "Composition of this year's funds"),
    "sub_items_total": L("项目总投入资金构成", "Composition of the total budget"),
    "sub_item": L("子项目名称", "Sub-item"),
    "sub_amount": L("预算金额（元）", "Amount (RMB)"),
    "sub_total": L("合计", "Total"),
    "plan": L("项目实施计划", "Implementation plan"),
    "overall_goal": L("项目总目标", "Overall goal"),
    "annual_goal": L("年度绩效目标", "Annual performance goal"),
    "breakdown": L("分解目标", "Breakdown of targets"),
    "level1": L("分解目标内容", "Level-1 indicator"),
    "level2": L("绩效指标", "Indicator"),
    "target": L("指标目标值", "Target value"),
    "remarks": L("备注", "Remarks"),
    "unit_head": L("填报单位负责人（签名）", "Head of unit (signature)"),
    "filled_by": L("填报人", "Filled in by"),
    "filled_on": L("填报日期", "Date"),
}
INDICATOR_LEVEL1 = {
    "数量指标": L("产出指标", "Output"), "质量指标": L("产出指标", "Output"),
    "时效指标": L("产出指标", "Output"), "成本指标": L("产出指标", "Output"),
    "经济效益指标": L("效益指标", "Outcome"), "社会效益指标": L("效益指标", "Outcome"),
    "生态效益指标": L("效益指标", "Outcome"), "可持续影响指标": L("效益指标", "Outcome"),
    "服务对象满意度指标": L("满意度指标", "Satisfaction"),
}
INDICATOR_NAMES = {
    "数量指标": L("数量指标", "Quantity"), "质量指标": L("质量指标", "Quality"),
    "时效指标": L("时效指标", "Timeliness"), "成本指标": L("成本指标", "Cost"),
    "经济效益指标": L("经济效益指标", "Economic benefit"), "社会效益指标": L("社会效益指标", "Social benefit"),
    "生态效益指标": L("生态效益指标", "Ecological benefit"), "可持续影响指标": L("可持续影响指标", "Sustainable impact"),
    "服务对象满意度指标": L("服务对象满意度指标", "Satisfaction of those served"),
}
CHOICES = {  # the form's fixed choices are typed in Chinese
    "一次性项目": L("一次性项目", "One-off project"), "经常性项目": L("经常性项目", "Recurring project"),
    "事业/专业类": L("事业/专业类", "Public service / professional"),
    "基本建设工程类": L("基本建设工程类", "Capital construction"),
    "信息化建设工程类": L("信息化建设工程类", "IT construction"), "政策补贴类": L("政策补贴类", "Policy subsidy"),
    "政府购买类": L("政府购买类", "Government purchase of services"), "其他": L("其他", "Other"),
    "中央财政": L("中央财政", "Central government"), "省级财政": L("省级财政", "Provincial government"),
    "市级财政": L("市级财政", "Municipal government"), "县(区)财政": L("县(区)财政", "County (district) government"),
    "镇(街道)财政": L("镇(街道)财政", "Town (subdistrict) government"), "自筹资金": L("自筹资金", "Self-raised funds"),
}
DATE = L("{year}年{month}月{day}日", "{iso}")
PERIOD = L("{start}至{end}", "{start} to {end}")
UNIT_SUFFIX = L("{unit}", "({unit})")  # the unit after an amount outside the tables
YUAN_AMOUNT = L("{amount} 元", "{amount} yuan")
PDF_DOWNLOAD = L("{year}年部门预算-{department}.pdf", "{year} department budget - {department}.pdf")
UNIT_PDF_DOWNLOAD = L("{year}年单位预算-{department}.pdf", "{year} unit budget - {department}.pdf")

# 名词解释 (一)–(四): the standard glossary of the Shanghai district budget disclosure.
GLOSSARY = [
    (L("（一）基本支出预算", "(1) Basic expenditure budget"),
     L("是区级预算主管部门及所属预算单位为保障其机构正常运转、完成日常工作任务而编制的年度基本支出计划，包括人员经费和公用经费两部分。",
       "The annual plan of basic expenditure that district-level supervising budget departments and their budget units draw "
       "up to keep their organisations running and carry out their day-to-day work. It has two parts: personnel costs and "
       "operating costs.")),
    (L("（二）项目支出预算", "(2) Project expenditure budget"),
     L("是区级预算主管部门及所属预算单位为完成行政工作任务、事业发展目标或政府发展战略、特定目标，在基本支出之外编制的年度支出计划。",
       "The annual plan of expenditure, beyond basic expenditure, that district-level supervising budget departments and "
       "their budget units draw up to carry out administrative tasks, public-service development goals, government "
       "development strategies or other specific goals.")),
    (L("（三）\u201c三公\u201d经费", "(3) \u201cThree public expenses\u201d"),
     L("是与区级财政有经费领拨关系的部门及其下属预算单位使用区级财政拨款安排的因公出国（境）费、公务用车购置及运行费、公务接待费。"
       "其中：因公出国（境）费主要安排机关及下属预算单位人员的国际合作交流、重大项目洽谈、境外培训研修等的国际旅费、国外城市间交通费、"
       "住宿费、伙食费、培训费、公杂费等支出；公务接待费主要安排全国性专业会议、国家重大政策调研、专项检查以及外事团组接待交流等执行公务"
       "或开展业务所需住宿费、交通费、伙食费等支出；公务用车购置及运行费主要安排编制内公务车辆的报废更新，以及用于安排市内因公出差、"
       "公务文件交换、日常工作开展等所需公务用车燃料费、维修费、过路过桥费、保险费等支出。",
       "The expenses for official travel abroad (including Hong Kong, Macao and Taiwan), for the purchase and operation of "
       "official vehicles, and for official receptions that departments funded by the district and their budget units pay "
       "from district fiscal appropriations. Official travel abroad covers international travel, transport between foreign "
       "cities, accommodation, meals, training and incidental costs of staff for international cooperation and exchange, "
       "negotiations on major projects, and training abroad. Official reception covers the accommodation, transport and "
       "meals needed to host national professional meetings, research on major national policies, special inspections and "
       "foreign delegations. The purchase and operation of official vehicles covers replacing scrapped vehicles within the "
       "authorised fleet, and the fuel, repairs, tolls and insurance of official vehicles used for official trips within "
       "the city, exchanging official documents and day-to-day work.")),
    (L("（四）机关运行经费", "(4) Agency operating costs"),
     L("指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。",
       "The day-to-day operating costs within basic expenditure that administrative units, and public institutions managed "
       "under the Civil Servant Law, pay from general public budget appropriations.")),
]

RECONCILIATION_INTRO = L(
    "本页所有数字均由预算明细自动计算。下表列出发布前逐项核对的勾稽关系及两边数值，全部相符方可发布。",
    "Every figure on this page is computed from the budget's line items. Before publication, each identity below was "
    "checked on the figures as published; the page is only published when all of them hold.",
)
CHECK_COUNT = L("共 {n} 项", "{n} comparisons")
# The PDF's short statement in place of the full list (a district format's `pdf.reconciliation: summary`).
RECONCILIATION_SUMMARY = L(
    "本文件的全部数字均由预算明细自动计算。发布前，九张表之间以及表格与文字之间的 {n} 项勾稽关系已在本文件上逐项核对，全部相符。",
    "Every figure in this document is computed from the budget's line items. Before publication, {n} identities between "
    "the nine tables and between the tables and the text were checked on this document; all of them hold.",
)
RECONCILIATION_ROUNDING = L(
    "其中 {n} 项合计数与分项显示值之和因四舍五入存在尾差，精确数相符。",
    "In {n} of them a displayed total differs from the sum of its displayed rows by rounding only; the exact figures agree.",
)
RECONCILIATION_LINK = L("完整核对结果：{url}", "The full list of checks: {url}")
CHECK_ITEM = L("核对项目", "Identity")
CHECK_LEFT = L("左边", "Left side")
CHECK_RIGHT = L("右边", "Right side")
CHECK_RESULT = L("结果", "Result")
CHECK_STATUS = {
    "ok": L("相符", "agrees"),
    "rounding": L("尾差（精确值相符）", "rounding difference (exact values agree)"),
    "mismatch": L("不符", "does not agree"),
}
