"""The budget file format (version FORMAT): one department, one fiscal year.

A department of one unit writes its line items at the top level; a department of several
units (or whose unit publishes its own 单位预算) lists them under `units:` (docs/format.md).

These models are the single definition of the format: `generator.load.source` validates YAML
against them and `schema/budget.schema.json` (for editors) is generated from them
(`invoke schema`). Amounts are yuan as `Decimal`; classification codes are strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from generator.load.fields import (  # noqa: F401  (the format's basic types, re-exported)
    MAX_AMOUNT,
    EconomicCode,
    FunctionCode,
    Money,
    NonEmpty,
    OtherKind,
    Slug,
    Source,
    Strict,
    Text,
    UnitKind,
    Year,
)

FORMAT = 2
"""The format version this code reads (`format:` in every file; `budget migrate` upgrades older files)."""


# ---------------------------------------------------------------- department


class Department(Strict):
    slug: Slug = Field(description="网址中的部门名，如 anting-city-operations / URL name of the department")
    name: Text = Field(description="部门（单位）全称 / full name of the department")
    supervisor: Text = Field(description="预算主管部门 / supervising budget department")
    kind: UnitKind | None = Field(
        None,
        description="单位性质（只有一个单位、不写 units 时填写）：行政单位、参照公务员法管理的事业单位（参公）、事业单位、企业。"
        "行政和参公单位才有机关运行经费。 / kind of unit (one-unit departments without `units:`); only 行政 and 参公 "
        "units have 机关运行经费",
    )


# ---------------------------------------------------------------- line items


class BasicLine(Strict):
    """One 基本支出 line: 功能分类项 × 经济分类款 × 资金来源."""

    function: FunctionCode
    economic: EconomicCode
    amount: Money
    source: Source = Field("一般公共预算", description="资金来源，默认一般公共预算 / funding source")


class OtherSpendingLine(Strict):
    """One line of 上缴上级支出, 对附属单位补助支出 or 事业单位经营支出."""

    kind: OtherKind = Field(description="支出类型 / kind of expenditure")
    function: FunctionCode
    amount: Money
    source: Source | None = Field(
        None, description="资金来源；缺省：事业单位经营支出为事业单位经营收入，其余为一般公共预算 / funding source"
    )


class ProjectLine(Strict):
    """One function code × source of a project funded on several function codes."""

    function: FunctionCode
    amount: Money
    source: Source = Field("一般公共预算", description="资金来源，默认一般公共预算 / funding source")


class SubItem(Strict):
    name: Text
    amount: Money


class Indicator(Strict):
    """One 分解目标 row of a performance form; its 一级指标 follows from the 二级指标."""

    kind: Literal[
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
        "服务对象满意度指标",
    ] = Field(description="二级指标 / second-level indicator")
    target: Text | None = Field(None, description="指标目标值 / target value (blank on the form if omitted)")


class PerformanceForm(Strict):
    """上海市财政支出项目绩效目标申报表."""

    attribute: Literal["一次性项目", "经常性项目"] = Field(description="项目属性")
    use: Literal["事业/专业类", "基本建设工程类", "信息化建设工程类", "政策补贴类", "政府购买类", "其他"] = Field(
        description="资金用途"
    )
    funding_level: list[Literal["中央财政", "省级财政", "市级财政", "县(区)财政", "镇(街道)财政", "自筹资金"]] = Field(
        min_length=1, description="资金来源（表上的勾选项）"
    )
    manager: Text = Field(description="项目负责人")
    contact: Text = Field(description="联系人")
    phone: NonEmpty = Field(description="联系电话")
    start: dt.date = Field(description="开始时间 YYYY-MM-DD")
    end: dt.date = Field(description="结束时间 YYYY-MM-DD")
    overview: Text = Field(description="项目概况")
    basis: Text = Field(description="立项依据")
    necessity: Text = Field(description="项目设立的必要性")
    safeguards: Text = Field(description="保证项目实施的制度、措施")
    total_budget: Money = Field(description="项目总预算（元），不小于项目当年预算")
    last_year_budget: Money | None = Field(None, description="同名项目上年预算额（元）；无则留空")
    last_year_executed: Money | None = Field(None, description="同名项目上年预算执行数（元）；无则留空")
    sub_items: list[SubItem] = Field(min_length=1, description="子项目及预算金额（元）")
    sub_items_cover: Literal["当年预算", "总预算"] = Field(
        "当年预算",
        description="子项目金额分解的是项目当年预算（默认）还是项目总预算 / which budget the sub-items break down",
    )
    plan: Text = Field(description="项目实施计划")
    overall_goal: Text = Field(description="项目总目标")
    annual_goal: Text = Field(description="年度绩效目标")
    indicators: list[Indicator] = Field(min_length=1, description="分解目标")
    remarks: Text | None = Field(None, description="备注")
    unit_head: Text = Field(description="填报单位负责人")
    filled_by: Text = Field(description="填报人")
    filled_on: dt.date = Field(description="填报日期")


class KeyProject(Strict):
    """The section 七 description of a 重点项目; its budget paragraph is computed."""

    overview: Text = Field(description="项目概述")
    basis: Text = Field(description="立项依据")
    implementer: Text = Field(description="实施主体")
    plan: Text = Field(description="实施方案")
    goal: Text = Field(description="绩效目标")
    budget_note: Text | None = Field(
        None, description="年度预算安排（可选，用 {{project.<id>}} 等占位符引用金额；缺省时自动生成）"
    )
    period: Text | None = Field(
        None, description="实施周期（无申报表时填写，如 2025全年度；有申报表时由其起止日期生成）"
        " / implementation period, when the project has no form",
    )
    name: Text | None = Field(
        None, description="所述项目名称：本条目合并列示多个项目（count > 1）时填写，此时须写 budget_note"
        " / the project described, when this entry stands for several projects",
    )


class Project(Strict):
    id: Slug = Field(description="项目标识，文件内唯一 / project id, unique in the file")
    name: Text
    function: FunctionCode | None = Field(None, description="功能分类科目（与 funding 一起写） / functional code, with `funding`")
    funding: dict[Source, Money] | None = Field(
        None, min_length=1, description="按资金来源列出的项目当年预算（元） / this year's budget by funding source"
    )
    lines: list[ProjectLine] | None = Field(
        None, min_length=1,
        description="分列于多个功能分类科目的项目：每行一个科目、资金来源和金额（代替 function 和 funding）"
        " / a project on several function codes (instead of `function` and `funding`)",
    )
    count: int = Field(
        1, ge=1, le=100000, description="本条目代表的项目个数（文件只按合计列示项目时） / projects this entry stands for"
    )
    performance: bool | None = Field(
        None, description="是否编报绩效目标；缺省：有申报表（form）即为是 / 绩效目标 set (default: when a form is given)"
    )
    key: KeyProject | None = Field(None, description="重点项目说明（第七部分） / key project description")
    form: PerformanceForm | None = Field(None, description="项目绩效目标申报表（第八部分）")


class ThreePublicLine(Strict):
    kind: Literal["因公出国(境)费", "公务接待费", "公务用车购置费", "公务用车运行费"]
    amount: Money
    note: Text | None = None


class ProcurementItem(Strict):
    name: Text
    category: Literal["货物", "工程", "服务"]
    amount: Money
    project: Slug | None = Field(None, description="所属项目 id（可选）")
    reserved_sme: Money = Field(Decimal(0), description="其中面向中小企业预留金额（元）")
    reserved_micro: Money = Field(Decimal(0), description="其中面向小微企业预留金额（元），是中小企业预留的一部分")


class Assets(Strict):
    vehicles: int = Field(ge=0, description="车辆（辆）")
    general_equipment: int = Field(ge=0, description="单价50万元以上通用设备（台、套）")
    special_equipment: int = Field(ge=0, description="单价100万元以上专用设备（台、套）")
    note: Text | None = None


class ThreePublicLastYear(Strict):
    outbound: Money = Field(description="因公出国(境)费")
    reception: Money = Field(description="公务接待费")
    vehicle_purchase: Money = Field(description="公务用车购置费")
    vehicle_operation: Money = Field(description="公务用车运行费")


class LastYear(Strict):
    """Last year's budget figures the narrative compares against. When last year's file exists the
    figures come from it and each value typed here is reconciled with it."""

    # Not nullable, only omittable: `total:` written without a value is an error (E114), not "not given".
    total: Money = Field(None, description="上年预算收入（支出）总额（元）；无上年文件时必填")  # type: ignore[assignment]
    sources: dict[Annotated[str, Field(pattern=r"^\S+$")], Money] = Field(
        default_factory=dict, description="上年按资金来源的收入（元） / last year by income source",
    )
    functions: dict[Annotated[str, Field(pattern=r"^\d{3}(\d{2}){0,2}$")], Money] = Field(
        default_factory=dict, description="上年按功能分类科目（类、款或项）的支出（元） / last year by functional code",
        json_schema_extra={"propertyNames": {"pattern": r"^\d{3}(\d{2}){0,2}$"}},
    )
    three_public: ThreePublicLastYear = Field(None, description="上年\u201c三公\u201d经费预算（元）")  # type: ignore[assignment]
    operating_costs: Money | None = Field(None, description="上年机关运行经费预算（元），行政、参公单位填写")


class Reasons(Strict):
    """Authored reasons for the year-on-year changes; the figures themselves are computed."""

    income: Text | None = Field(None, description="收入总额比上年增减的主要原因")
    expenditure: Text | None = Field(None, description="支出总额比上年增减的主要原因")
    three_public: Text | None = Field(None, description="\u201c三公\u201d经费比上年增减的原因")
    operating_costs: Text | None = Field(None, description="机关运行经费比上年增减的原因")


class GlossaryTerm(Strict):
    term: Text
    definition: Text


class Purposes(Strict):
    """主要用于… texts of section 四 that override the computed lists."""

    # (propertyNames: the key's own schema is dropped by the generator; editors need the pattern)
    function: dict[FunctionCode, Text] = Field(
        default_factory=dict, description="按功能分类项：基本支出部分主要用于…",
        json_schema_extra={"propertyNames": {"pattern": r"^\d{7}$"}},
    )
    economic: dict[Annotated[str, Field(pattern=r"^\d{3}$")], Text] = Field(
        default_factory=dict, description="按经济分类类：主要用于…",
        json_schema_extra={"propertyNames": {"pattern": r"^\d{3}$"}},
    )


Paragraph = Literal[
    "income",
    "expenditure",
    "general_public",
    "function_list",
    "basic",
    "government_fund",
    "state_capital",
    "three_public",
    "operating_costs",
    "procurement",
    "performance",
    "assets",
]


class LineItems(Strict):
    """What one unit spends: the line items and the unit's own facts."""

    basic: list[BasicLine] = Field(default_factory=list, description="基本支出明细 / basic expenditure lines")
    projects: list[Project] = Field(default_factory=list, description="项目支出 / projects")
    other_spending: list[OtherSpendingLine] = Field(
        default_factory=list, description="上缴上级支出、对附属单位补助支出、事业单位经营支出明细"
    )
    three_public: list[ThreePublicLine] = Field(default_factory=list, description="\u201c三公\u201d经费明细")
    procurement: list[ProcurementItem] = Field(default_factory=list, description="政府采购预算明细")


class DocumentTexts(Strict):
    """The texts and typed figures of one published document (部门预算 or 单位预算)."""

    functions: Text = Field(description="一、主要职能")
    organisation: Text = Field(description="二、机构设置")
    special_terms: list[GlossaryTerm] = Field(default_factory=list, description="名词解释之专有名词（可为空）")
    last_year: LastYear = Field(default_factory=LastYear)
    reasons: Reasons = Field(default_factory=Reasons)
    purposes: Purposes = Field(default_factory=Purposes)
    narrative: dict[Paragraph, Text] = Field(
        default_factory=dict,
        description="手写段落，替换自动生成的说明段落；其中每个金额、百分比都会与计算结果核对",
    )
    declared: dict[str, Money] = Field(
        default_factory=dict,
        description="声明数（如批复控制数），键为数字名称如 total、income.财政拨款，与计算结果核对",
    )


class MergedUnit(Strict):
    """A unit that has no budget of its own (不单列预算，并入本单位): its money is in its host's lines."""

    name: Text
    kind: UnitKind


class UnitBudget(DocumentTexts):
    """The texts of a unit's own 单位预算; present when the unit publishes one."""

    name: Text | None = Field(None, description="单位预算上印的单位名称（缺省：单位名称）")


class Unit(LineItems):
    """One budget unit (预算单位) of a department."""

    slug: Slug = Field(description="网址中的单位名，部门内唯一，如 benbu / URL name of the unit")
    name: Text = Field(description="单位全称 / full name of the unit")
    kind: UnitKind = Field(description="单位性质：行政、参公、事业、企业 / kind of unit")
    merged: list[MergedUnit] = Field(default_factory=list, description="不单列预算、并入本单位的下属单位")
    assets: Assets = Field(description="国有资产占有使用情况")
    budget: UnitBudget | None = Field(None, description="本单位公开的单位预算（其文字部分）；不写则不单独公开")


class Budget(LineItems, DocumentTexts):
    """部门预算：一个部门一个年度 / one department's budget for one year."""

    format: int = Field(ge=FORMAT, le=FORMAT, description="文件格式版本 / format version (budget migrate upgrades older files)")
    year: Year = Field(description="预算年度，四位数字 / fiscal year, 4 digits")
    department: Department
    profile: Slug | None = Field(
        None, description="格式配置（区的公开格式），如 shanghai-putuo；缺省：设置 BUDGET_PROFILE / the district format profile"
    )
    display_unit: Literal["万元", "元"] = Field("万元", description="表格金额单位（格式配置可按表另定） / unit of the tables")
    assets: Assets | None = Field(None, description="国有资产占有使用情况（只有一个单位、不写 units 时填写）")
    units: list[Unit] = Field(
        default_factory=list,
        description="部门所属预算单位；不写时整个文件就是一个单位 / the department's units; none: the file is one unit",
    )

def walk(obj: object, leaf: type, skip: frozenset[str] | set[str], here: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every value of type `leaf` in a budget (models, lists, dicts) with its data path; fields
    named in `skip` are not entered."""
    if isinstance(obj, leaf):
        yield here, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name not in skip:
                yield from walk(getattr(obj, name), leaf, skip, here + (name,))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from walk(item, leaf, skip, here + (i,))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from walk(item, leaf, skip, here + (key,))
