"""The data dictionary: every file of the open data and every field of it, in both languages.

One set of definitions serves four purposes, so they cannot drift apart: the CSV writers take
their header rows from here (opendata.py), the Frictionless Table Schemas and the JSON Schema
of data.json are generated from here, and the data page (`{lang}/data/`) lists these same
fields with their descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.core import vocab
from generator.core.labels import Label

L = Label
AMOUNT_PATTERN = r"^-?[0-9]+(\.[0-9]{1,2})?$"  # an exact amount in yuan as text: 52951000, 3452900.86
CODE_PATTERN = r"^[0-9]{3}([0-9]{2}){0,2}$"  # a 类 (3 digits), 款 (5) or 项 (7) code
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean
    title: Label
    description: Label
    required: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] = ()
    example: str = ""

    def table_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title.en,
                               "description": f"{self.description.zh} / {self.description.en}"}
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        if self.type == "number":
            out["decimalChar"] = "."
            out["bareNumber"] = True
        return out


@dataclass(frozen=True)
class ForeignKey:
    field: str
    catalogue: str  # "functional" or "economic": the classification the code is a row of


@dataclass(frozen=True)
class FileSpec:
    key: str  # the resource name's last part: line-items, table-03, functional
    path: str  # the file name in its folder: line-items.csv, table-{number}.csv, data.json
    format: str  # csv, json, xlsx
    title: Label
    description: Label
    fields: tuple[Field, ...] = ()
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def header(self) -> list[str]:
        return [f.name for f in self.fields]

    def table_schema(self, foreign_keys: tuple[ForeignKey, ...] | None = None,
                     catalogue_resource: Any = None) -> dict[str, Any]:
        """The Frictionless Table Schema; `catalogue_resource(kind)` names the resource a foreign key points to."""
        schema: dict[str, Any] = {"fields": [f.table_schema() for f in self.fields], "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        keys = self.foreign_keys if foreign_keys is None else foreign_keys
        if keys and catalogue_resource is not None:
            schema["foreignKeys"] = [{"fields": fk.field, "reference": {"resource": catalogue_resource(fk.catalogue),
                                                                         "fields": "code"}} for fk in keys]
        return schema


def _names(prefix: str, what: Label, required: bool = False) -> tuple[Field, Field]:
    """A name in Chinese and in English: `{prefix}_name_zh`, `{prefix}_name_en`."""
    return (Field(f"{prefix}_name_zh", "string", L(f"{what.zh}（中文）", f"{what.en} (Chinese)"),
                  L(f"{what.zh}的中文名称，与公开文件一致", f"The Chinese name of the {what.en.lower()}, as the official document prints it"),
                  required=required),
            Field(f"{prefix}_name_en", "string", L(f"{what.zh}（英文）", f"{what.en} (English)"),
                  L(f"{what.zh}的英文名称（本项目的翻译，或官方英文）", f"The English name of the {what.en.lower()} (official or the project's translation)")))


AMOUNT = Field("amount_yuan", "number", L("金额（元）", "Amount (yuan)"),
               L("金额，单位为元，精确到分（不经四舍五入）", "The amount in yuan, exact to the fen (never rounded)"),
               required=True, example="372900.00")
KINDS = tuple(k.key for k in vocab.EXPENDITURE_KINDS)
SOURCES = tuple(s.key for s in vocab.SOURCES if s.typed)

LINE_ITEMS = FileSpec(
    "line-items", "line-items.csv", "csv", L("预算明细", "Budget line items"),
    L("每一笔支出明细一行：基本支出的每一行、项目的每个功能科目与资金来源、其他支出。所有表格和说明中的数字都由这些明细合计而来。",
      "One row per spending line: each 基本支出 line, each function code and source of a project, each other spending line. "
      "Every figure of the tables and the text is a sum of these rows."),
    fields=(
        Field("line", "integer", L("行号", "Line"), L("明细的序号，从1开始", "The line's number, from 1"), required=True, example="1"),
        Field("unit_slug", "string", L("单位代码", "Unit"), L("预算单位在网址中的名称", "The budget unit's name in URLs"),
              required=True, pattern=SLUG_PATTERN, example="anting-city-operations"),
        *_names("unit", L("预算单位", "Budget unit"), required=True),
        Field("unit_kind", "string", L("单位性质", "Kind of unit"), L("行政、参公、事业或企业", "行政 (administrative), 参公, 事业 (public institution) or 企业"),
              enum=vocab.UNIT_KINDS_KEYS, example="事业"),
        Field("line_kind", "string", L("支出类型", "Kind of line"),
              L("basic 基本支出、project 项目支出、upper 上缴上级支出、subsidiary 对附属单位补助支出、business 事业单位经营支出",
                "basic, project, upper (remitted to the higher level), subsidiary (grants to subordinate units), business"),
              required=True, enum=KINDS, example="basic"),
        *_names("line_kind", L("支出类型", "Kind of line")),
        Field("function_code", "string", L("功能分类科目编码", "Functional code"),
              L("支出功能分类的项级科目编码（7位）", "The 项 code (7 digits) of the functional classification"),
              required=True, pattern=r"^[0-9]{7}$", example="2120199"),
        *_names("function", L("功能分类科目", "Functional classification item")),
        Field("economic_code", "string", L("经济分类科目编码", "Economic code"),
              L("部门预算支出经济分类的款级科目编码（5位）；项目支出为空", "The 款 code (5 digits) of the economic classification; empty for project lines"),
              pattern=r"^[0-9]{5}$", example="30101"),
        *_names("economic", L("经济分类科目", "Economic classification item")),
        Field("source", "string", L("资金来源", "Source of funds"), L("资金来源，与预算文件中写法一致", "The source of the money, as the budget file names it"),
              required=True, enum=SOURCES, example="一般公共预算"),
        Field("source_name_en", "string", L("资金来源（英文）", "Source of funds (English)"),
              L("资金来源的英文名称", "The source's English name")),
        Field("project_id", "string", L("项目代码", "Project"), L("项目支出所属项目的代码；其他为空", "The project of a project line; empty otherwise"),
              example="lianqin"),
        *_names("project", L("项目", "Project")),
        AMOUNT,
    ),
    primary_key=("line",),
    foreign_keys=(ForeignKey("function_code", "functional"), ForeignKey("economic_code", "economic")),
)

TABLE_FIELDS = (
    Field("table", "string", L("表号", "Table"), L("表的编号（01–09）", "The table's number (01–09)"), required=True, example="03"),
    Field("cell", "string", L("单元格键", "Cell key"),
          L("单元格在网页、data.json 和 reconciliation.json 中的键：表号.行.列", "The cell's key on the page, in data.json and reconciliation.json: table.row.column"),
          required=True, example="03.2120199.basic"),
    Field("row_key", "string", L("行键", "Row key"), L("行在本表中的键", "The row's key within the table"), required=True, example="2120199"),
    Field("row_code", "string", L("科目编码", "Classification code"),
          L("该行的分类科目编码（类3位、款5位、项7位）；合计行和收入行为空", "The row's classification code (类 3, 款 5, 项 7 digits); empty for totals and revenue rows"),
          pattern=CODE_PATTERN, example="2120199"),
    Field("row_level", "string", L("科目级次", "Level"), L("类、款或项；其他行为空", "类, 款 or 项; empty for other rows"), enum=("类", "款", "项")),
    *_names("row", L("行名称", "Row name"), required=True),
    Field("column_key", "string", L("列键", "Column key"), L("列在本表中的键", "The column's key within the table"), required=True, example="basic"),
    *_names("column", L("列名称", "Column name"), required=True),
    AMOUNT,
    Field("unit", "string", L("显示单位", "Unit shown"), L("本表在网页和PDF上的金额单位", "The unit the table prints its amounts in on the page and in the PDF"),
          required=True, enum=("万元", "元"), example="万元"),
    Field("amount_shown", "number", L("显示金额", "Amount as shown"),
          L("按显示单位四舍五入到两位小数后的金额，与网页和PDF上印出的数字一致", "The amount in the unit shown, rounded half-up to two decimals, as printed on the page and in the PDF"),
          required=True, example="37.29"),
)


def table_file(number: str) -> FileSpec:
    title = vocab.table(number).title_in("department")
    return FileSpec(f"table-{number}", f"table-{number}.csv", "csv", L(f"{number} {title.zh}", f"{number} {title.en}"),
                    L("该表每个有金额的单元格一行", "One row per cell of the table that holds an amount"),
                    fields=TABLE_FIELDS, primary_key=("cell",))


TABLES = FileSpec("table-NN", "table-{number}.csv", "csv", L("九张表（每表一个CSV文件）", "The nine tables (one CSV file each)"),
                  L("每张表每个有金额的单元格一行", "One row per cell of each table that holds an amount"),
                  fields=TABLE_FIELDS, primary_key=("cell",))

CATALOGUE = FileSpec(
    "catalogue", "{kind}.csv", "csv", L("分类科目", "Classification catalogue"),
    L("所用的政府收支分类科目：functional.csv 为支出功能分类，economic.csv 为支出经济分类",
      "The government classification items used: functional.csv the functional classification, economic.csv the economic one"),
    fields=(
        Field("code", "string", L("科目编码", "Code"), L("科目编码", "The code"), required=True, pattern=CODE_PATTERN, example="2120199"),
        Field("level", "string", L("级次", "Level"), L("类、款或项", "类, 款 or 项"), required=True, enum=("类", "款", "项")),
        Field("name_zh", "string", L("中文名称", "Chinese name"), L("科目的官方中文名称", "The official Chinese name"), required=True),
        Field("name_en", "string", L("英文名称", "English name"), L("科目的英文名称", "The English name")),
        Field("local", "boolean", L("本地增设", "Local"), L("true：财政所自行增设的科目（不在全国科目表中）",
                                                         "true: added by the office itself (not in the national edition)"), required=True),
    ),
    primary_key=("code",),
)

DATA_JSON = FileSpec("data", "data.json", "json", L("数据（JSON）", "Data (JSON)"),
                     L("九张表的每一行每一格：行编码与名称、列名称、精确金额（元，文本）和显示单位；其结构见 JSON Schema",
                       "Every row and cell of the nine tables: row codes and names, column names, exact amounts (yuan, as text) "
                       "and the unit shown; its structure is the published JSON Schema"))
RECONCILIATION_JSON = FileSpec("reconciliation", "reconciliation.json", "json", L("核对结果（JSON）", "Reconciliation (JSON)"),
                               L("发布前核对的每一个勾稽关系：两边的单元格、金额和结果", "Every identity checked before publication: both sides' cells, amounts and result"))
WORKBOOK = FileSpec("budget", "budget.xlsx", "xlsx", L("Excel 工作簿", "Excel workbook"),
                    L("九张表按印刷格式排列（标题、单位、表头、科目编码和名称、合计），金额为显示单位的数字；另有“明细”工作表",
                      "The nine tables laid out as printed (title, unit, headers, codes and names, totals), amounts as numbers in the "
                      "unit shown; and a sheet of the line items"))
PACKAGE = FileSpec("datapackage", "datapackage.json", "json", L("数据包（Frictionless）", "Data package (Frictionless)"),
                   L("Frictionless Data Package：列出本文件夹的CSV文件及其表结构（Table Schema）和指向分类科目的外键",
                     "A Frictionless Data Package: the folder's CSV files with their Table Schema and foreign keys to the classification"))

DOCUMENT_FILES = (LINE_ITEMS, TABLES, DATA_JSON, RECONCILIATION_JSON, WORKBOOK, PACKAGE, CATALOGUE)
