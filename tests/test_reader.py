"""Reading published budget PDFs (generator/importer/reader.py): every printed cell, keyed as the
computed tables key them, from the two real Putuo documents and from the PDFs the project builds;
and one clear issue for a file that is not a budget PDF."""

from __future__ import annotations

import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from generator.importer.reader import read_pdf, table_number

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "putuo"
PUTUO = {kind: FIXTURES / f"putuo-qufuban-2025-{kind}.pdf" for kind in ("department", "unit")}
TABLES = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]


def transcribed(kind: str) -> dict[str, Decimal]:
    cells = yaml.safe_load((FIXTURES / "cells.yaml").read_text(encoding="utf-8"))[kind]
    return {f"{t}.{r}.{c}": Decimal(v.replace(",", "")) for t, rows in cells.items() for r, cols in rows.items()
            for c, v in cols.items()}


@pytest.fixture(scope="module")
def putuo():
    out = {}
    for kind, path in PUTUO.items():
        start = time.perf_counter()
        doc, issues = read_pdf(path)
        print(f"\n{path.name}: read in {time.perf_counter() - start:.2f} s")
        assert issues == [] and doc is not None, [i.format("en") for i in issues]
        out[kind] = doc
    return out


# ---------------------------------------------------------------- the real Putuo documents


@pytest.mark.parametrize("kind", PUTUO)
def test_putuo_cells_are_exactly_the_transcription(putuo, kind):
    want, got = transcribed(kind), putuo[kind].cells(yuan=False)
    matched = sum(1 for k, v in want.items() if got.get(k) == v)
    print(f"\n{kind}: cells matched {matched} / {len(want)}; read {len(got)}")
    assert got == want


@pytest.mark.parametrize("kind", PUTUO)
def test_putuo_metadata(putuo, kind):
    doc = putuo[kind]
    assert (doc.year, doc.kind, doc.name) == (2025, kind, "上海市普陀区人民政府办公室")
    assert doc.profile == "shanghai-putuo"
    assert {n: t.unit for n, t in doc.tables.items()} == {**{n: "元" for n in TABLES[:8]}, "09": "万元"}
    assert all(doc.tables[n].total_at == "bottom" for n in ("02", "03", "05", "08"))
    assert doc.tables["02"].pages == [9, 10] and doc.tables["08"].pages == [18, 19]  # tables over two pages


@pytest.mark.parametrize("kind", PUTUO)
def test_putuo_cells_in_yuan_and_pages(putuo, kind):
    doc = putuo[kind]
    cell = doc.tables["09"].get("row", "outbound")
    assert cell is not None and (cell.value, cell.yuan, cell.page) == (Decimal("839.00"), Decimal("8390000.00"), 20)
    total = doc.tables["02"].get("total", "total")
    assert total is not None and total.page == 10 and total.yuan == total.value  # 合计 at the bottom, on the next page
    assert doc.tables["02"].row_names["2010301"] == "行政运行"


@pytest.mark.parametrize("kind", PUTUO)
def test_putuo_empty_tables_and_sections(putuo, kind):
    doc = putuo[kind]
    for number in ("06", "07"):
        table = doc.tables[number]
        assert table.flat() == {} and table.empty_note and "空表" in table.empty_note
    own = "部门" if kind == "department" else "单位"
    numbers = [s.number for s in doc.sections]
    assert numbers[:6] == ["一", "二", "三", "四", "五", "六"]
    assert doc.section("五").page == 8  # no heading of its own: the tables' first page
    notes = doc.section("四")
    assert notes is not None and notes.heading == f"{own}预算编制说明" and notes.page == 6
    assert "9,101.68万" in notes.text and "主要用于" in notes.text
    assert doc.section("一").text.startswith("上海市普陀区人民政府办公室是协助区政府")
    assert len(doc.pages) == (22 if kind == "department" else 21)


def test_table_titles():
    assert table_number("2025年部门财务收支预算总表") == "01"
    assert table_number("2025年预算单位财政拨款收支预算总表") == "04"
    assert table_number("2024年部门一般公共预算基本支出经济分类预算表") == "08"
    assert table_number("五、部门预算表") is None
    assert table_number("1. 2025年部门财务收支预算总表 ……………………") is None  # a directory line


# ---------------------------------------------------------------- the project's own PDFs


def _own_pdfs(site: Path, content) -> list[tuple[object, Path]]:
    out = []
    for db in content.budgets:
        (pdf,) = (site / "zh" / str(db.year) / db.slug).glob(f"*-{db.year}-*budget-zh.pdf")
        out.append((db, pdf))
    return out


@pytest.mark.pdf
def test_own_pdfs_read_back_every_computed_cell(site, content):
    """Seed and Putuo (department and unit), as the project prints them: every computed cell at the
    table's printed unit (a zero is a blank cell), nothing else."""
    pdfs = _own_pdfs(site, content)
    assert len(pdfs) >= 3
    for db, path in pdfs:
        start = time.perf_counter()
        doc, issues = read_pdf(path)
        seconds = time.perf_counter() - start
        assert doc is not None and issues == [], [i.format("en") for i in issues]
        assert (doc.year, doc.kind) == (db.year, db.document.kind)
        computed: dict[str, Decimal] = {}
        for number in TABLES:
            computed.update(db.tables[number].cells())
        got = doc.cells(yuan=False)
        wrong = {}
        for key, value in computed.items():
            scale = Decimal(10000) if doc.tables[key[:2]].unit == "万元" else Decimal(1)
            want = (value / scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if got.get(key, Decimal(0)) != want:
                wrong[key] = (got.get(key), want)
        extra = sorted(set(got) - set(computed))
        print(f"\n{path.name}: cells matched {len(computed) - len(wrong)} / {len(computed)} in {seconds:.2f} s")
        assert wrong == {} and extra == []
        assert any(v != 0 for v in got.values())
        assert doc.profile == db.profile.name  # detected from titles, 合计 position, units


# ---------------------------------------------------------------- files that are no budget PDF


def _codes(path: Path) -> list[str]:
    doc, issues = read_pdf(path)
    assert doc is None
    return [i.code for i in issues]


def test_not_a_pdf(tmp_path):
    (tmp_path / "a.pdf").write_text("预算 2025 本年收入", encoding="utf-8")
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert _codes(tmp_path / "a.pdf") == ["E721"]
    assert _codes(tmp_path / "empty.pdf") == ["E721"]
    assert _codes(tmp_path / "missing.pdf") == ["E720"]


def test_damaged_pdf(tmp_path):
    data = PUTUO["department"].read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[:5000])
    (tmp_path / "scrambled.pdf").write_bytes(data[:2000] + bytes(reversed(data[2000:])))
    assert _codes(tmp_path / "cut.pdf") == ["E722"]
    assert _codes(tmp_path / "scrambled.pdf") == ["E722"]


def test_scanned_pdf(tmp_path):
    """Pages as images (what a scanner makes): no text layer."""
    import pdfplumber

    with pdfplumber.open(PUTUO["department"]) as pdf:
        images = [pdf.pages[i].to_image(resolution=40).original.convert("RGB") for i in (0, 7, 8)]
    images[0].save(tmp_path / "scan.pdf", save_all=True, append_images=images[1:])
    assert _codes(tmp_path / "scan.pdf") == ["E723"]


def test_a_pdf_that_is_no_budget(tmp_path):
    from weasyprint import HTML

    HTML(string="<h1>会议纪要</h1><p>2025年第一次会议，出席人员若干。</p>"
                "<table border=1><tr><td>项目</td><td>1,000.00</td></tr></table>").write_pdf(tmp_path / "memo.pdf")
    assert _codes(tmp_path / "memo.pdf") == ["E724"]


def test_issues_have_both_languages(tmp_path):
    (tmp_path / "a.pdf").write_text("x", encoding="utf-8")
    _, issues = read_pdf(tmp_path / "a.pdf")
    (only,) = issues
    assert "PDF" in only.message("zh") and "PDF" in only.message("en") and str(tmp_path / "a.pdf") in only.format()


# ---------------------------------------------------------------- layouts of other districts (the grid alone)


def test_codes_of_own_level_full_or_in_one_column_and_rows_by_name():
    from generator.catalogue import load
    from generator.importer import grid

    namer = grid.RowNamer("functional", load(2025))
    own = [(["208", "", ""], "社会保障和就业支出"), (["", "05", ""], "行政事业单位养老支出"), (["", "", "05"], "x"),
           (["", "", "06"], "y"), (["210", "", ""], "卫生健康支出"), (["", "11", ""], "z"), (["", "", "02"], "w")]
    assert [namer.key(c, n) for c, n in own] == ["208", "20805", "2080505", "2080506", "210", "21011", "2101102"]
    assert namer.key(["201", "03", "01"], "行政运行") == "2010301"
    assert namer.key(["2010350"], "事业运行") == "2010350"
    assert namer.key(["", "", ""], "合计") == "total" and namer.key(["", "", ""], "总计") == "total"
    economic = grid.RowNamer("economic", load(2025))
    assert economic.key(["", ""], "工资福利支出") == "301"  # an economic 类 printed with its name only
    assert economic.key(["", "01"], "基本工资") == "30101"


def test_headers_give_the_column_keys():
    from generator.importer import grid

    assert grid.column_key("02", "财政拨款收入") == "财政拨款"
    assert grid.column_key("02", "事业单位\n经营收入") == "事业单位经营收入"
    assert grid.column_key("02", "经营收入") == "事业单位经营收入"
    assert grid.column_key("04", "政府性基金预\n算") == "政府性基金"
    assert grid.column_key("01", "合计") == "amount" and grid.column_key("03", "合计") == "total"
    assert grid.column_key("09", "小计") == "vehicle" and grid.column_key("09", "机关运行经费预算\n数") == "operating_costs"
    assert grid.column_key("03", "上缴上级支出") == "upper" and grid.column_key("08", "公用经费") == "public"
    assert grid.income_key("1、一般公共预算资金") == "一般公共预算" and grid.income_key("三、国有资本经营收入") == "国有资本经营"
    assert grid.amount("1,234,567.89") == Decimal("1234567.89") and grid.amount("") is None and grid.amount("—") is None


def test_unit_kind_when_the_text_says_it():
    from generator.importer.narrative import _unit_kind

    assert _unit_kind("本部门中，行政单位1家，事业单位1家") is None  # a department of both kinds
    assert _unit_kind("本单位为行政单位") == "行政"
    assert _unit_kind("本部门中，参照公务员法管理的事业单位1家") == "参公"
    assert _unit_kind("本部门中，事业单位2家") == "事业"
