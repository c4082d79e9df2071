"""`budget import`: a published PDF -> a draft budget file whose build reproduces every printed
table cell (the two Putuo documents and the project's own seed PDF), that `check` accepts with
warnings for the pending translations only, and whose contradictions become `declared` figures."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT

from generator.core.money import to_unit
from generator.importer.compare import compare
from generator.importer.reader import read_pdf
from generator.importer.run import import_document, import_pdf
from generator.pipeline import load_content

PUTUO = {kind: FIXTURES / "putuo" / f"putuo-qufuban-2025-{kind}.pdf" for kind in ("department", "unit")}


def built(out: Path, kind: str):
    """The draft loaded and computed by the project's own loader, as `check` and the build do."""
    content = out.parents[2]
    loaded = load_content(content)
    dbs = [db for db in loaded.budgets if db.kind == kind]
    assert len(dbs) == 1, [i.format("en") for i in loaded.issues]
    return loaded, dbs[0]


@pytest.fixture(scope="module", params=sorted(PUTUO))
def putuo(request, tmp_path_factory):
    kind = request.param
    out = tmp_path_factory.mktemp(f"import-{kind}") / "content" / "budgets" / "2025" / f"putuo-{kind}.yaml"
    started = time.perf_counter()
    imported, issues = import_pdf(PUTUO[kind], out)
    seconds = time.perf_counter() - started
    assert imported is not None, [i.format("en") for i in issues]
    print(f"\nimport {PUTUO[kind].name}: {seconds:.1f} s")
    return kind, imported, out


def test_every_printed_cell_of_the_putuo_documents_is_reproduced(putuo):
    kind, imported, out = putuo
    doc, _ = read_pdf(PUTUO[kind])  # read again: nothing of the import's own comparison is trusted
    loaded, db = built(out, kind)
    result = compare(doc, db)
    print(f"\n{PUTUO[kind].name}: {result.matched}/{result.total} printed table cells reproduced")
    assert result.total > 200
    assert result.matched == result.total, [str(m) for m in result.mismatches]


def test_the_draft_reproduces_the_hand_transcription(putuo):
    """Against tests/fixtures/putuo/cells.yaml, transcribed by hand from the PDFs (not by the reader)."""
    kind, _, out = putuo
    cells = yaml.safe_load((FIXTURES / "putuo" / "cells.yaml").read_text(encoding="utf-8"))[kind]
    _, db = built(out, kind)
    computed = {k: v for t in db.tables.values() for k, v in t.cells().items()}
    total = matched = 0
    for number, rows in cells.items():
        unit = "万元" if number == "09" else "元"
        for row, columns in rows.items():
            for column, printed in columns.items():
                total += 1
                value = computed[f"{number}.{row}.{column}"]
                matched += to_unit(value, unit) == Decimal(printed.replace(",", ""))
    print(f"\n{kind}: {matched}/{total} transcribed cells")
    assert total > 200 and matched == total


def test_the_draft_passes_check_with_pending_translations_only(putuo):
    kind, imported, out = putuo
    loaded, _ = built(out, kind)
    codes = {i.code for i in loaded.issues}
    assert codes == {"W246"}, [i.format("en") for i in loaded.issues]
    assert not loaded.failed() and loaded.failed(strict=True)
    assert len([i for i in loaded.issues if i.code == "W246"]) >= imported.draft.pending // 2 > 0


def test_the_draft_is_commented_and_keeps_the_document_texts(putuo):
    kind, _, out = putuo
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "# allocated: part of 03/05" in text  # the allocated lines say so
    assert "(the document lists no projects)" in text
    assert data["year"] == 2025 and data["profile"] == "shanghai-putuo" and data["display_unit"] == "元"
    texts = data["units"][0]["budget"] if kind == "unit" else data
    assert texts["functions"]["pending"] == "en" and "en" not in texts["functions"]
    assert "协助区政府领导处理区政府日常工作" in texts["functions"]["zh"]
    assert texts["last_year"]["total"] == 114912000  # the narrative: 比2024年预算减少2,389.52万元
    block = data["units"][0] if kind == "unit" else data
    assert block["kind"] if kind == "unit" else data["department"]["kind"] == "行政"  # 09 prints 机关运行经费
    names = {p["name"]["zh"]: p["name"]["en"] for p in block["projects"]}
    assert names["一般行政管理事务项目支出"] == "Project expenditure: General administrative affairs"  # catalogue English
    assert sum(p.get("count", 1) for p in block["projects"] if p.get("performance")) == 11  # 编报绩效目标的项目11个


def test_allocated_lines_respect_the_pairing_rules(putuo):
    """No W222: 30108 under 20805, 30110 under 21011, 30113 under 22102 …"""
    kind, _, out = putuo
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    basic = (data["units"][0] if kind == "unit" else data)["basic"]
    rules = {"30108": "20805", "30109": "20805", "30110": "21011", "30113": "22102"}
    for line in basic:
        if line["economic"] in rules:
            assert line["function"].startswith(rules[line["economic"]]), line


def test_a_contradiction_is_reported_and_declared(tmp_path):
    """A 款 subtotal 1 元 off the sum of its 项 rows: not copied, listed, and declared so that check shows it."""
    doc, _ = read_pdf(PUTUO["department"])
    table = doc.tables["03"]
    cell = table.cells["20103"]["basic"]
    wrong = cell.value + 1
    table.cells["20103"] = table.cells["20103"] | {"basic": dataclasses.replace(cell, value=wrong, yuan=wrong)}
    out = tmp_path / "content" / "budgets" / "2025" / "wrong.yaml"
    imported, issues = import_document(doc, out)
    assert imported is not None, [i.format("en") for i in issues]
    assert [m.key for m in imported.comparison.mismatches] == ["03.20103.basic"]
    assert any("03.20103.basic" in line and "contradiction" in line for line in imported.report())
    assert imported.declared == {"table.03.20103.basic": wrong}
    loaded, db = built(out, "department")
    e304 = [i for i in loaded.issues if i.code == "E304"]
    assert len(e304) == 1 and "table.03.20103.basic" in e304[0].message("en")
    assert compare(doc, db).mismatches[0].computed == cell.value  # the line items keep the rows' sum


def test_a_department_with_a_shiye_unit_is_drafted_as_two_units(tmp_path):
    """Table 09's 机关运行经费 less than the 公用经费: a 行政 unit holds them, a 事业 unit the rest."""
    doc, _ = read_pdf(PUTUO["department"])
    cell = doc.tables["09"].cells["row"]["operating_costs"]
    doc.tables["09"].cells["row"] |= {"operating_costs": dataclasses.replace(cell, value=Decimal("100.00"),
                                                                               yuan=Decimal(1000000))}
    out = tmp_path / "content" / "budgets" / "2025" / "two.yaml"
    imported, issues = import_document(doc, out)
    assert imported is not None, [i.format("en") for i in issues]
    assert imported.comparison.complete, [str(m) for m in imported.comparison.mismatches]
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [u["kind"] for u in data["units"]] == ["行政", "事业"]
    loaded, db = built(out, "department")
    assert {i.code for i in loaded.issues} == {"W246"}, [i.format("en") for i in loaded.issues]
    assert db.tables["09"].cells()["09.row.operating_costs"] == Decimal(1000000)
    assert compare(doc, db).complete


def in_wan(doc):
    """The same document as if printed in 万元: every cell rounded to 0.01万元, subtotals included."""
    for table in doc.tables.values():
        if table.unit == "元":
            table.unit = "万元"
            for row, cols in table.cells.items():
                table.cells[row] = {c: dataclasses.replace(cell, value=to_unit(cell.yuan, "万元"),
                                                           yuan=to_unit(cell.yuan, "万元") * 10000)
                                    for c, cell in cols.items()}
    return doc


def test_a_document_in_wan_yuan_is_reproduced_despite_rounding(tmp_path):
    doc = in_wan(read_pdf(PUTUO["department"])[0])
    t08 = doc.tables["08"]
    rows = [r for r in t08.cells if len(r) == 5]
    # the premise: the printed rows do not add up to the printed total (rounding), so the leaves must move
    assert sum(t08.cells[r]["total"].yuan for r in rows) != t08.cells["total"]["total"].yuan
    out = tmp_path / "content" / "budgets" / "2025" / "wan.yaml"
    imported, issues = import_document(doc, out)
    assert imported is not None, [i.format("en") for i in issues]
    loaded, db = built(out, "department")
    result = compare(doc, db)
    print(f"\nin 万元: {result}")
    assert result.complete, [str(m) for m in result.mismatches]
    assert {i.code for i in loaded.issues} == {"W246"}, [i.format("en") for i in loaded.issues]


def test_an_existing_draft_is_not_overwritten(tmp_path):
    out = tmp_path / "x.yaml"
    out.write_text("keep", encoding="utf-8")
    imported, issues = import_pdf(PUTUO["unit"], out)
    assert imported is None and [i.code for i in issues] == ["E740"] and out.read_text() == "keep"


@pytest.mark.parametrize("make, code", [
    (lambda p: p.write_text("not a pdf", encoding="utf-8"), "E721"),
    (lambda p: p.write_bytes(PUTUO["unit"].read_bytes()[:4000]), "E722"),
])
def test_a_bad_pdf_gives_one_message_and_no_file(tmp_path, make, code):
    pdf = tmp_path / "in.pdf"
    make(pdf)
    out = tmp_path / "content" / "budgets" / "2025" / "x.yaml"
    run = subprocess.run([sys.executable, "-m", "generator.cli", "import", str(pdf), "-o", str(out), "--lang", "en"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert [line.split(": ")[1].split()[0] for line in run.stderr.strip().splitlines()] == [code]
    assert not out.exists() and not out.parent.exists()


def test_the_cli_prints_the_report(tmp_path):
    out = tmp_path / "content" / "budgets" / "2025" / "putuo.yaml"
    run = subprocess.run([sys.executable, "-m", "generator.cli", "import", str(PUTUO["unit"]), "-o", str(out),
                          "--lang", "en"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "231/231 table cells reproduced" in run.stdout and out.exists()
    run = subprocess.run([sys.executable, "-m", "generator.cli", "import", str(PUTUO["unit"]), "-o", str(out), "--force"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and "231/231 个表格单元格与原文一致" in run.stdout  # the clerk's language by default


OWN = {"seed": ("2024/anting-city-operations", "*-2024-budget-zh.pdf", "shanghai-jiading"),
       "putuo": ("2025/putuo-government-office", "*-2025-budget-zh.pdf", None),
       "putuo-unit": ("2025/putuo-government-office/benbu", "*-2025-unit-budget-zh.pdf", None)}


@pytest.mark.pdf
@pytest.mark.parametrize("name", OWN)
def test_the_projects_own_pdfs_are_reproduced(site, tmp_path, name):
    """The PDFs the project builds itself (the shared site): the seed (万元 tables) and Putuo's two."""
    folder, pattern, profile = OWN[name]
    (pdf,) = (site / "zh" / folder).glob(pattern)
    year = folder[:4]
    out = tmp_path / "content" / "budgets" / year / f"{name}.yaml"
    started = time.perf_counter()
    imported, issues = import_pdf(pdf, out, profile=profile)
    assert imported is not None, [i.format("en") for i in issues]
    print(f"\nimport {pdf.name}: {time.perf_counter() - started:.1f} s")
    doc, _ = read_pdf(pdf)
    loaded, db = built(out, doc.kind)
    result = compare(doc, db)
    print(f"{pdf.name}: {result.matched}/{result.total} printed table cells reproduced")
    assert result.total > 100 and result.matched == result.total, [str(m) for m in result.mismatches]
    assert {i.code for i in loaded.issues} == {"W246"}, [i.format("en") for i in loaded.issues]
