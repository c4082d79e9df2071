"""Table by table, the computed tables reproduce every figure of the seed's nine tables.

The seed is ../shared/seed/000_9b1740737368b627.txt (the published 2024 budget of 上海市嘉定区
安亭镇城市运行管理中心, OCR text). Its tables are transcribed below as printed, in 万元: a blank
cell is "" and means zero, like 0.00. The computed cells (exact yuan) are compared after the
one half-up rounding to 万元 that the site displays (`money.to_unit`).

Where the seed contradicts itself, the line items decide: such cells are listed in
SEED_CONTRADICTIONS with the value the line items give and the reason, and each is named in a
test of its own.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.core.money import to_unit

UNIT = "万元"
DEPARTMENT = "上海市嘉定区安亭镇城市运行管理中心"

# ---------------------------------------------------------------- the seed, as printed

# 部门预算01表 部门财务收支预算总表: (row key, label as printed, 预算数)
SEED_01_INCOME = [
    ("inc.财政拨款", "一、财政拨款收入", "5370.00"),
    ("inc.一般公共预算", "1. 一般公共预算资金", "5370.00"),
    ("inc.政府性基金", "2. 政府性基金", ""),
    ("inc.国有资本经营", "3. 国有资本经营", ""),
    ("inc.事业收入", "二、事业收入", ""),
    ("inc.事业单位经营收入", "三、事业单位经营收入", ""),
    ("inc.上级补助收入", "四、上级补助收入", ""),
    ("inc.其他收入", "五、其他收入", "345.29"),
    ("inc.total", "收入总计", "5715.29"),
]
SEED_01_EXPENDITURE = [
    ("exp.201", "一、一般公共服务支出", ""),
    ("exp.203", "二、国防支出", ""),
    ("exp.204", "三、公共安全支出", ""),
    ("exp.205", "四、教育支出", ""),
    ("exp.206", "五、科学技术支出", ""),
    ("exp.207", "六、文化旅游体育与传媒支出", ""),
    ("exp.208", "七、社会保障和就业支出", "59.86"),
    ("exp.210", "八、卫生健康支出", "24.65"),
    ("exp.211", "九、节能环保支出", ""),
    ("exp.212", "十、城乡社区支出", "5614.35"),
    ("exp.213", "十一、农林水支出", ""),
    ("exp.214", "十二、交通运输支出", ""),
    ("exp.215", "十三、资源勘探信息等支出", ""),
    ("exp.216", "十四、商业服务业等支出", ""),
    ("exp.217", "十五、金融支出", ""),
    ("exp.219", "十六、援助其他地区支出", ""),
    ("exp.220", "十七、自然资源海洋气象等支出", ""),
    ("exp.221", "十八、住房保障支出", "16.43"),
    ("exp.222", "十九、粮油物资储备支出", ""),
    ("exp.224", "二十、灾害防治及应急管理支出", ""),
    ("exp.227", "二十一、预备费", ""),
    ("exp.229", "二十二、其他支出", ""),
    ("exp.total", "支出总计", "5715.29"),
]

# 部门预算04表 部门财政拨款收支预算总表. The seed's print cuts three long labels short
# (六、…传媒支, 十七、…气象等, 二十、…应急管理): those labels are prefixes of the full ones.
SEED_04_INCOME = [
    ("inc.一般公共预算", "一、一般公共预算资金", "5370.00"),
    ("inc.政府性基金", "二、政府性基金", ""),
    ("inc.国有资本经营", "三、国有资本经营收入", ""),
    ("inc.total", "收入总计", "5370.00"),
]
SEED_04_COLUMNS = ["total", "一般公共预算", "政府性基金", "国有资本经营"]
SEED_04_COLUMN_LABELS = ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]
SEED_04_EXPENDITURE = [
    ("exp.201", "一、一般公共服务支出", ["", "", "", ""]),
    ("exp.203", "二、国防支出", ["", "", "", ""]),
    ("exp.204", "三、公共安全支出", ["", "", "", ""]),
    ("exp.205", "四、教育支出", ["", "", "", ""]),
    ("exp.206", "五、科学技术支出", ["", "", "", ""]),
    ("exp.207", "六、文化旅游体育与传媒支", ["", "", "", ""]),
    ("exp.208", "七、社会保障和就业支出", ["59.86", "59.86", "", ""]),
    ("exp.210", "八、卫生健康支出", ["24.65", "24.65", "", ""]),
    ("exp.211", "九、节能环保支出", ["", "", "", ""]),
    ("exp.212", "十、城乡社区支出", ["5269.06", "5269.06", "", ""]),
    ("exp.213", "十一、农林水支出", ["", "", "", ""]),
    ("exp.214", "十二、交通运输支出", ["", "", "", ""]),
    ("exp.215", "十三、资源勘探信息等支出", ["", "", "", ""]),
    ("exp.216", "十四、商业服务业等支出", ["", "", "", ""]),
    ("exp.217", "十五、金融支出", ["", "", "", ""]),
    ("exp.219", "十六、援助其他地区支出", ["", "", "", ""]),
    ("exp.220", "十七、自然资源海洋气象等", ["", "", "", ""]),
    ("exp.221", "十八、住房保障支出", ["16.43", "16.43", "", ""]),
    ("exp.222", "十九、粮油物资储备支出", ["", "", "", ""]),
    ("exp.224", "二十、灾害防治及应急管理", ["", "", "", ""]),
    ("exp.227", "二十一、预备费", ["", "", "", ""]),
    ("exp.229", "二十二、其他支出", ["", "", "", ""]),
    ("exp.total", "支出总计", ["5370.00", "5370.00", "", ""]),
]

# Classified tables: columns (key, header as printed), then rows (类, 款, 项, name, values).
# The 合计 row has no code.
SEED_CLASSIFIED = {
    # 部门预算02表 部门收入预算总表
    "02": (
        [("total", "合计"), ("财政拨款", "财政拨款收入"), ("事业收入", "事业收入"),
         ("事业单位经营收入", "经营收入"), ("上级补助收入", "上级补助收入"), ("其他收入", "其他收入")],
        [
            ("", "", "", "合计", ["5715.29", "5715.29", "", "", "", "5715.29"]),
            ("208", "", "", "社会保障和就业支出", ["59.86", "59.86", "", "", "", "0.00"]),
            ("", "05", "", "行政事业单位养老支出", ["59.86", "59.86", "", "", "", "0.00"]),
            ("", "", "05", "机关事业单位基本养老保险缴费支出", ["41.08", "41.08", "", "", "", "0.00"]),
            ("", "", "06", "机关事业单位职业年金缴费支出", ["18.78", "18.78", "", "", "", "0.00"]),
            ("210", "", "", "卫生健康支出", ["24.65", "24.65", "", "", "", "0.00"]),
            ("", "11", "", "行政事业单位医疗", ["24.65", "24.65", "", "", "", "0.00"]),
            ("", "", "02", "事业单位医疗", ["24.65", "24.65", "", "", "", "0.00"]),
            ("212", "", "", "城乡社区支出", ["5614.35", "5269.06", "", "", "", "345.29"]),
            ("", "01", "", "城乡社区管理事务", ["4829.15", "4483.86", "", "", "", "345.29"]),
            ("", "", "99", "其他城乡社区管理事务支出", ["4829.15", "4483.86", "", "", "", "345.29"]),
            ("", "03", "", "城乡社区公共设施", ["785.20", "785.20", "", "", "", "0.00"]),
            ("", "", "99", "其他城乡社区公共设施支出", ["785.20", "785.20", "", "", "", "0.00"]),
            ("221", "", "", "住房保障支出", ["16.43", "16.43", "", "", "", "0.00"]),
            ("", "02", "", "住房改革支出", ["16.43", "16.43", "", "", "", "0.00"]),
            ("", "", "01", "住房公积金", ["16.43", "16.43", "", "", "", "0.00"]),
        ],
    ),
    # 部门预算03表 部门支出预算总表
    "03": (
        [("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")],
        [
            ("", "", "", "合计", ["5715.29", "420.19", "5295.10"]),
            ("208", "", "", "社会保障和就业支出", ["59.86", "59.86", ""]),
            ("", "05", "", "行政事业单位养老支出", ["59.86", "59.86", ""]),
            ("", "", "05", "机关事业单位基本养老保险缴费支出", ["41.08", "41.08", ""]),
            ("", "", "06", "机关事业单位职业年金缴费支出", ["18.78", "18.78", ""]),
            ("210", "", "", "卫生健康支出", ["24.65", "24.65", ""]),
            ("", "11", "", "行政事业单位医疗", ["24.65", "24.65", ""]),
            ("", "", "02", "事业单位医疗", ["24.65", "24.65", ""]),
            ("212", "", "", "城乡社区支出", ["5614.35", "319.25", "5295.10"]),
            ("", "01", "", "城乡社区管理事务", ["4829.15", "319.25", "4509.90"]),
            ("", "", "99", "其他城乡社区管理事务支出", ["4829.15", "319.25", "4509.90"]),
            ("", "03", "", "城乡社区公共设施", ["785.20", "0.00", "785.20"]),
            ("", "", "99", "其他城乡社区公共设施支出", ["785.20", "0.00", "785.20"]),
            ("221", "", "", "住房保障支出", ["16.43", "16.43", ""]),
            ("", "02", "", "住房改革支出", ["16.43", "16.43", ""]),
            ("", "", "01", "住房公积金", ["16.43", "16.43", ""]),
        ],
    ),
    # 部门预算05表 部门一般公共预算支出功能分类预算表
    "05": (
        [("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")],
        [
            ("", "", "", "合计", ["5370.00", "420.19", "4949.81"]),
            ("208", "", "", "社会保障和就业支出", ["59.86", "59.86", ""]),
            ("", "05", "", "行政事业单位养老支出", ["59.86", "59.86", ""]),
            ("", "", "05", "机关事业单位基本养老保险缴费支出", ["41.08", "41.08", ""]),
            ("", "", "06", "机关事业单位职业年金缴费支出", ["18.78", "18.78", ""]),
            ("210", "", "", "卫生健康支出", ["24.65", "24.65", ""]),
            ("", "11", "", "行政事业单位医疗", ["24.65", "24.65", ""]),
            ("", "", "02", "事业单位医疗", ["24.65", "24.65", ""]),
            ("212", "", "", "城乡社区支出", ["5269.06", "319.25", "4949.81"]),
            ("", "01", "", "城乡社区管理事务", ["4483.86", "319.25", "4164.61"]),
            ("", "", "99", "其他城乡社区管理事务支出", ["4483.86", "319.25", "4164.61"]),
            ("", "03", "", "城乡社区公共设施", ["785.20", "0.00", "785.20"]),
            ("", "", "99", "其他城乡社区公共设施支出", ["785.20", "0.00", "785.20"]),
            ("221", "", "", "住房保障支出", ["16.43", "16.43", ""]),
            ("", "02", "", "住房改革支出", ["16.43", "16.43", ""]),
            ("", "", "01", "住房公积金", ["16.43", "16.43", ""]),
        ],
    ),
    # 部门预算06表 部门政府性基金预算支出功能分类预算表: only an empty 合计 row
    "06": (
        [("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")],
        [("", "", "", "合计", ["", "", ""])],
    ),
    # 部门预算07表 部门国有资本经营预算支出功能分类预算表: only an empty 合计 row
    "07": (
        [("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")],
        [("", "", "", "合计", ["", "", ""])],
    ),
    # 部门预算08表 部门一般公共预算基本支出经济分类预算表 (类, 款; no 项 column)
    "08": (
        [("total", "合计"), ("personnel", "人员经费"), ("public", "公用经费")],
        [
            ("", "", "", "合计", ["420.19", "382.80", "37.39"]),
            ("301", "", "", "工资福利支出", ["382.80", "382.80", ""]),
            ("", "01", "", "基本工资", ["37.29", "37.29", ""]),
            ("", "02", "", "津贴补贴", ["4.23", "4.23", ""]),
            ("", "07", "", "绩效工资", ["216.50", "216.50", ""]),
            ("", "08", "", "机关事业单位基本养老保险缴费", ["41.08", "41.08", ""]),
            ("", "09", "", "职业年金缴费", ["18.78", "18.78", ""]),
            ("", "10", "", "职工基本医疗保险缴费", ["24.65", "24.65", ""]),
            ("", "12", "", "其他社会保障缴费", ["1.56", "1.56", ""]),
            ("", "13", "", "住房公积金", ["16.43", "16.43", ""]),
            ("", "99", "", "其他工资福利支出", ["22.28", "22.28", ""]),
            ("302", "", "", "商品和服务支出", ["37.39", "", "37.39"]),
            ("", "01", "", "办公费", ["18.35", "", "18.35"]),
            ("", "05", "", "水费", ["2.04", "", "2.04"]),
            ("", "06", "", "电费", ["", "", ""]),
            ("", "07", "", "邮电费", ["", "", ""]),
            ("", "09", "", "物业管理费", ["", "", ""]),
            ("", "11", "", "差旅费", ["", "", ""]),
            ("", "13", "", "维修(护)费", ["", "", ""]),
            ("", "14", "", "租赁费", ["", "", ""]),
            ("", "16", "", "培训费", ["4.00", "", "4.00"]),
            ("", "27", "", "委托业务费", ["13.00", "", "13.00"]),
            ("", "29", "", "福利费", ["", "", ""]),
            ("310", "", "", "资本性支出", ["", "", ""]),
            ("", "02", "", "办公设备购置", ["", "", ""]),
        ],
    ),
}

# 部门预算09表 部门“三公”经费和机关运行经费预算表: one row, every cell blank.
SEED_09 = {
    "total": "", "outbound": "", "reception": "", "vehicle": "", "vehicle_purchase": "", "vehicle_operation": "",
}

# Cells where the seed contradicts itself: cell key -> (what the seed prints, what the line
# items give, why the printed figure cannot be right).
SEED_CONTRADICTIONS = {
    "02.total.财政拨款": (
        "5715.29", "5370.00",
        "02表 合计 row: 财政拨款收入 + 其他收入 would be 11430.58 ≠ 合计 5715.29; the 类 rows of the column "
        "add to 5370.00, as 01表 一、财政拨款收入 and 04表 收入总计 print",
    ),
    "02.total.其他收入": (
        "5715.29", "345.29",
        "02表 合计 row: the 类 rows of the column add to 345.29, as 01表 五、其他收入 prints",
    ),
}

CLASSIFIED = list(SEED_CLASSIFIED)


# ---------------------------------------------------------------- helpers


def wan(text: str) -> Decimal:
    """A seed figure: blank and 0.00 both mean zero."""
    return Decimal(text or "0")


def shown(cells: dict[str, Decimal], key: str) -> Decimal:
    assert key in cells, f"no computed cell {key}"
    return to_unit(cells[key], UNIT)


def full_codes(rows) -> list[str]:
    """The printed 类/款/项 columns -> full codes ('' for the 合计 row), as the hierarchy reads."""
    codes, lei, kuan = [], "", ""
    for c1, c2, c3, *_ in rows:
        if c1:
            lei, kuan = c1, ""
            codes.append(c1)
        elif c2:
            kuan = lei + c2
            codes.append(kuan)
        elif c3:
            codes.append(kuan + c3)
        else:
            codes.append("")
    return codes


def plain_parens(text: str) -> str:
    """The OCR text prints ASCII parentheses where the official names have full-width ones."""
    return text.replace("（", "(").replace("）", ")")


def expected_cells(number: str) -> dict[str, str]:
    """Every cell of a seed table as printed: key -> 万元 text."""
    out: dict[str, str] = {}
    if number in SEED_CLASSIFIED:
        columns, rows = SEED_CLASSIFIED[number]
        for code, row in zip(full_codes(rows), rows):
            for (col, _), value in zip(columns, row[4]):
                out[f"{number}.{code or 'total'}.{col}"] = value
    elif number == "01":
        for key, _, value in SEED_01_INCOME + SEED_01_EXPENDITURE:
            out[f"01.{key}.amount"] = value
    elif number == "04":
        for key, _, value in SEED_04_INCOME:
            out[f"04.{key}.amount"] = value
        for key, _, values in SEED_04_EXPENDITURE:
            for col, value in zip(SEED_04_COLUMNS, values):
                out[f"04.{key}.{col}"] = value
    elif number == "09":
        for col, value in SEED_09.items():
            out[f"09.row.{col}"] = value
    return out


ALL_TABLES = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]


# ---------------------------------------------------------------- every figure


def test_the_seed_tables_are_in_wan_yuan(seed):
    assert seed.unit == UNIT
    assert sorted(seed.tables) == ALL_TABLES


@pytest.mark.parametrize("number", ALL_TABLES)
def test_every_figure_of_the_seed_table(seed, number):
    """Each printed cell (blank = 0) equals the computed cell shown in 万元, except the
    named contradictions; and the table has no money in a cell the seed does not print."""
    cells = seed.tables[number].cells()
    expected = expected_cells(number)
    assert expected, f"table {number} not transcribed"
    wrong = {}
    for key, printed in expected.items():
        if key in SEED_CONTRADICTIONS:
            continue
        if shown(cells, key) != wan(printed):
            wrong[key] = (printed or "(blank)", str(shown(cells, key)))
    assert wrong == {}, f"computed cells differ from the seed (seed, computed): {wrong}"
    extra = {k: v for k, v in cells.items() if k not in expected and v != 0}
    assert extra == {}, f"money in cells the seed does not print: {extra}"


def test_the_transcription_has_every_cell_once():
    """Guards the data above: every classified row has one value per column."""
    for number, (columns, rows) in SEED_CLASSIFIED.items():
        for row in rows:
            assert len(row[4]) == len(columns), (number, row)
        assert len(set(full_codes(rows))) == len(rows), number
    for key, _, values in SEED_04_EXPENDITURE:
        assert len(values) == len(SEED_04_COLUMNS), key


# ---------------------------------------------------------------- the seed's contradictions


def test_seed_contradiction_02_total_fiscal_appropriations(seed):
    """02表 合计 row prints 财政拨款收入 5715.29; the line items give 5370.00."""
    printed, line_items, _ = SEED_CONTRADICTIONS["02.total.财政拨款"]
    cells = seed.tables["02"].cells()
    assert shown(cells, "02.total.财政拨款") == wan(line_items) == Decimal("5370.00")
    assert shown(cells, "02.total.财政拨款") != wan(printed)
    # The seed contradicts itself: its own 类 rows of the column, and tables 01 and 04, say 5370.00.
    assert _seed_class_rows_sum("02", "财政拨款") == wan(line_items)
    assert wan(dict((k, v) for k, _, v in SEED_01_INCOME)["inc.财政拨款"]) == wan(line_items)
    assert wan(dict((k, v) for k, _, v in SEED_04_INCOME)["inc.total"]) == wan(line_items)


def test_seed_contradiction_02_total_other_revenue(seed):
    """02表 合计 row prints 其他收入 5715.29; the line items give 345.29."""
    printed, line_items, _ = SEED_CONTRADICTIONS["02.total.其他收入"]
    cells = seed.tables["02"].cells()
    assert shown(cells, "02.total.其他收入") == wan(line_items) == Decimal("345.29")
    assert shown(cells, "02.total.其他收入") != wan(printed)
    assert _seed_class_rows_sum("02", "其他收入") == wan(line_items)
    assert wan(dict((k, v) for k, _, v in SEED_01_INCOME)["inc.其他收入"]) == wan(line_items)


def test_seed_02_total_row_cannot_add_up_as_printed():
    """As printed, the 合计 row's columns add to twice its 合计: the row contradicts itself."""
    columns, rows = SEED_CLASSIFIED["02"]
    total_row = dict(zip([c for c, _ in columns], rows[0][4]))
    parts = sum(wan(total_row[c]) for c in total_row if c != "total")
    assert parts != wan(total_row["total"])
    assert set(SEED_CONTRADICTIONS) == {"02.total.财政拨款", "02.total.其他收入"}


def _seed_class_rows_sum(number: str, column: str) -> Decimal:
    columns, rows = SEED_CLASSIFIED[number]
    index = [c for c, _ in columns].index(column)
    return sum((wan(row[4][index]) for row in rows if row[0]), Decimal(0))


# ---------------------------------------------------------------- rows, columns, labels


@pytest.mark.parametrize("number", CLASSIFIED)
def test_classified_rows_are_the_seeds(seed, number):
    """Same codes in the same order, printed in the same 类/款/项 columns, with the same names."""
    table = seed.tables[number]
    columns, rows = SEED_CLASSIFIED[number]
    depth = 2 if number == "08" else 3
    assert [r.key for r in table.rows] == [code or "total" for code in full_codes(rows)]
    assert [r.code_parts(depth) for r in table.rows] == [list(row[:depth]) for row in rows]
    assert [plain_parens(r.label.zh) for r in table.rows] == [row[3] for row in rows]
    assert all(r.label.en for r in table.rows)


@pytest.mark.parametrize("number", CLASSIFIED)
def test_classified_columns_are_the_seeds(seed, number):
    table = seed.tables[number]
    columns, _ = SEED_CLASSIFIED[number]
    assert [c.key for c in table.columns] == [key for key, _ in columns]
    assert [c.label.zh for c in table.columns] == [label for _, label in columns]


def test_table_01_rows_are_the_seeds(seed):
    income, expenditure = seed.tables["01"].sides
    assert [r.key for r in [*income.rows, income.total]] == [k for k, _, _ in SEED_01_INCOME]
    assert [r.label.zh for r in [*income.rows, income.total]] == [label for _, label, _ in SEED_01_INCOME]
    assert [r.key for r in [*expenditure.rows, expenditure.total]] == [k for k, _, _ in SEED_01_EXPENDITURE]
    assert [r.label.zh for r in [*expenditure.rows, expenditure.total]] == [label for _, label, _ in SEED_01_EXPENDITURE]


def test_table_04_rows_are_the_seeds(seed):
    income, expenditure = seed.tables["04"].sides
    assert [r.key for r in [*income.rows, income.total]] == [k for k, _, _ in SEED_04_INCOME]
    assert [r.label.zh for r in [*income.rows, income.total]] == [label for _, label, _ in SEED_04_INCOME]
    assert [r.key for r in [*expenditure.rows, expenditure.total]] == [k for k, _, _ in SEED_04_EXPENDITURE]
    for row, (_, printed, _) in zip([*expenditure.rows, expenditure.total], SEED_04_EXPENDITURE):
        assert row.label.zh.startswith(printed), (row.label.zh, printed)  # the print cuts long labels
    assert [c.key for c in expenditure.columns] == SEED_04_COLUMNS
    assert [c.label.zh for c in expenditure.columns] == SEED_04_COLUMN_LABELS


def test_table_09_columns_are_the_seeds(seed):
    table = seed.tables["09"]
    assert [r.key for r in table.rows] == ["row"]
    money_columns = [c.key for c in table.columns if c.key != "operating_costs"]
    assert money_columns == list(SEED_09)
    # A 事业单位 has no 机关运行经费: the cell does not apply (it is not a zero) and a note says so.
    assert table.rows[0].values["operating_costs"] is None
    assert "09.row.operating_costs" not in table.cells()
    assert any("机关运行经费" in note.zh for note in table.notes)


# ---------------------------------------------------------------- the empty tables


@pytest.mark.parametrize("number, fund", [("06", "政府性基金"), ("07", "国有资本经营")])
def test_empty_table_carries_its_statement(seed, number, fund):
    table = seed.tables[number]
    assert table.is_empty
    assert [r.key for r in table.rows] == ["total"]
    assert all(v == 0 for v in table.cells().values())
    assert len(table.notes) == 1
    note = table.notes[0]
    assert DEPARTMENT in note.zh and "2024" in note.zh and fund in note.zh
    assert "2024" in note.en and "City Operation Management Centre of Anting Town" in note.en


def test_table_09_is_empty_and_says_so(seed):
    table = seed.tables["09"]
    assert all(v == 0 for v in table.cells().values())
    assert any(DEPARTMENT in note.zh and "三公" in note.zh for note in table.notes)
