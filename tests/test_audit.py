"""`budget audit`: the project's own PDFs audit clean; each kind of contradiction that real published
budgets carry, planted in the project's rendered PDF HTML (before WeasyPrint), is found; the real
Putuo documents are reported on (they balance: nothing is found)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import ROOT

from generator.importer.audit import Finding, audit
from generator.importer.reader import read_pdf

THEME = ROOT / "themes" / "budget"
PUTUO = Path(__file__).resolve().parent / "fixtures" / "putuo"
SEED = "anting-city-operations-2024-budget-zh.pdf"
DEPARTMENT = "putuo-government-office-2025-budget-zh.pdf"


@pytest.fixture(scope="module")
def pdf_html(tmp_path_factory) -> dict[str, str]:
    """The HTML of every PDF the project builds (zh and en), as the build hands it to WeasyPrint."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from generator.outputs import pdf

    tmp = tmp_path_factory.mktemp("pdf-html")
    captured: dict[str, str] = {}

    def prepare(jobs, cache, theme, **_):  # no rendering during the build: keep each job's HTML
        cache.mkdir(parents=True, exist_ok=True)
        for n, job in enumerate(jobs):
            captured[job.out.name] = job.html
            job.cache_file = cache / f"{n}.pdf"
            job.cache_file.write_bytes(b"")
        return [], []

    real = pdf.prepare
    pdf.prepare = prepare
    try:
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(ROOT / "content"), "OUTPUT_PATH": str(tmp / "out"), "BUDGET_CACHE": str(tmp / "cache")})
        Pelican(settings).run()
    finally:
        pdf.prepare = real
    assert SEED in captured and DEPARTMENT in captured
    return captured


def render(html: str, path: Path) -> Path:
    from generator.outputs import pdf

    data, messages, _ = pdf._render(html, (THEME / "static").as_uri() + "/", [str(THEME)], pdf.cjk_fonts())
    assert messages == []
    path.write_bytes(data)
    return path


def audited(path: Path) -> list[Finding]:
    doc, issues = read_pdf(path)
    assert doc is not None and issues == [], [i.format("en") for i in issues]
    return audit(doc)


def plant(html: str, old: str, new: str, count: int = 1) -> str:
    """Replace the first `count` occurrences of `old`; the planted error must land."""
    assert html.count(old) >= count, old
    return html.replace(old, new, count)


# ---------------------------------------------------------------- clean documents


@pytest.mark.pdf
def test_own_pdfs_audit_clean(pdf_html, tmp_path):
    for name, html in pdf_html.items():
        if name.endswith("-zh.pdf"):
            findings = audited(render(html, tmp_path / name))
            assert findings == [], "\n".join(f.line("en") for f in findings)


@pytest.mark.parametrize("kind", ["department", "unit"])
def test_putuo_documents(kind, capsys):
    """Both real documents balance and agree with their narrative (tests/fixtures/putuo/README.md)."""
    findings = audited(PUTUO / f"putuo-qufuban-2025-{kind}.pdf")
    for f in findings:
        print(f.line("en"))
    assert findings == []


# ---------------------------------------------------------------- planted errors, one kind each


def _found(pdf_html, tmp_path, name: str, *edits: tuple[str, str, int]) -> list[Finding]:
    html = pdf_html[name]
    for old, new, count in edits:
        html = plant(html, old, new, count)
    findings = audited(render(html, tmp_path / name))
    assert findings, "the planted error was not found"
    return findings


@pytest.mark.pdf
def test_a_subtotal_one_yuan_off_in_three_tables(pdf_html, tmp_path):
    edits = [(f'data-cell="{t}.20103.total">82,096,797.42<', f'data-cell="{t}.20103.total">82,096,798.42<', 1)
             for t in ("02", "03", "05")]
    findings = _found(pdf_html, tmp_path, DEPARTMENT, *edits)
    for table in ("02", "03", "05"):
        hits = [f for f in findings if f.kind == "identity" and f.what.zh.startswith(f"{table}表 20103 = 下级科目之和")]
        assert hits and all(abs(f.difference) == 1 for f in hits), [f.line() for f in findings]


@pytest.mark.pdf
def test_a_rate_of_change_that_does_not_follow(pdf_html, tmp_path):
    """增幅 38.84% where 1,598.63 on 4,116.66 is 38.83%."""
    rate = 'data-figure="change.total.pct">'
    findings = _found(pdf_html, tmp_path, SEED, (rate + "38.83%", rate + "38.84%", 1))
    (f,) = findings
    assert f.kind == "change" and (f.left, f.right) == (D("38.84"), D("38.83")) and "38.84%" in f.line()


@pytest.mark.pdf
def test_an_amount_with_an_extra_digit(pdf_html, tmp_path):
    findings = _found(pdf_html, tmp_path, DEPARTMENT, (">839万元<", ">8,390万元<", 1))
    (f,) = [f for f in findings if f.kind == "amount"]
    assert (f.left, f.right) == (8390, 839) and "8,390" in f.line()


@pytest.mark.pdf
def test_a_truncated_amount(pdf_html, tmp_path):
    """1,763,159.52 元 is 176.32 万元 rounded; 176.31 is truncated."""
    findings = _found(pdf_html, tmp_path, DEPARTMENT, (">176.32万元<", ">176.31万元<", 1))
    (f,) = findings
    assert f.kind == "truncated" and (f.left, f.right) == (D("176.31"), D("176.32"))


@pytest.mark.pdf
def test_table_09_printed_empty_while_the_text_gives_the_figures(pdf_html, tmp_path):
    html = pdf_html[DEPARTMENT]
    html = re.sub(r'(data-cell="09\.row\.[a-z_]+">)[^<]*<', r"\1<", html)
    at = html.index("</table>", html.index('data-cell="09.row.total"')) + len("</table>")
    html = html[:at] + '<p class="table-note">注：上海市普陀区人民政府办公室2025年无财政拨款“三公”经费预算。</p>' + html[at:]
    findings = audited(render(html, tmp_path / "empty09.pdf"))
    notes = [f for f in findings if f.kind == "empty-note"]
    assert notes and {f.left for f in notes} >= {D(839), D("28.50")} and all("三公" in f.what.zh for f in notes)
    assert {f.kind for f in findings} == {"empty-note"}, [f.line() for f in findings]


@pytest.mark.pdf
def test_an_empty_reason(pdf_html, tmp_path):
    findings = _found(pdf_html, tmp_path, SEED, ("主要原因是增加事业编人员经费、联勤保安服务费预排三个季度。", "主要原因是。", 1))
    (f,) = findings
    assert f.kind == "empty-reason" and f.page == 6


@pytest.mark.pdf
def test_two_changes_for_the_same_money(pdf_html, tmp_path):
    """财政拨款 revenue down 2,389.52 万元, the same appropriations spent: down 2,389.53 万元."""
    html = pdf_html[DEPARTMENT]
    first = html.index('data-figure="change.source.财政拨款">2,389.52万元')
    second = html.index('data-figure="change.source.财政拨款">2,389.52万元', first + 1)
    html = html[:second] + html[second:].replace("2,389.52万元", "2,389.53万元", 1)
    findings = audited(render(html, tmp_path / "two.pdf"))
    (f,) = findings
    assert f.kind == "change" and {f.left, f.right} == {D("-2389.53"), D("-2389.52")}


@pytest.mark.pdf
def test_an_amount_that_double_counts_a_line(pdf_html, tmp_path):
    """基本支出 420.19 + 住房公积金 16.43 = 436.62."""
    findings = _found(pdf_html, tmp_path, SEED, ('data-figure="basic">420.19万元', 'data-figure="basic">436.62万元', 1))
    (f,) = [f for f in findings if f.kind == "amount"]
    assert f.difference == D("16.43") and "counted twice" in f.line("en")


# ---------------------------------------------------------------- the command


def test_command_exit_status_and_json(tmp_path):
    run = [sys.executable, "-m", "generator.cli", "audit"]
    clean = subprocess.run([*run, str(PUTUO / "putuo-qufuban-2025-unit.pdf"), "--json"], capture_output=True, text=True, cwd=ROOT)
    assert clean.returncode == 0, clean.stderr
    data = json.loads(clean.stdout)
    assert data["findings"] == [] == data["issues"] and data["kind"] == "unit" and data["cells"] == 231
    (tmp_path / "x.pdf").write_text("no pdf", encoding="utf-8")
    bad = subprocess.run([*run, str(tmp_path / "x.pdf"), "--lang", "en"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "E721" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.pdf
def test_command_reports_a_finding(pdf_html, tmp_path):
    path = render(plant(pdf_html[DEPARTMENT], ">176.32万元<", ">176.31万元<"), tmp_path / "t.pdf")
    out = subprocess.run([sys.executable, "-m", "generator.cli", "audit", str(path), "--lang", "en"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("p. 6: ") and "176.31" in lines[1] and "176.32" in lines[1]


@pytest.mark.pdf
def test_a_change_that_does_not_follow_from_last_years_amount(pdf_html, tmp_path):
    """A line with last year's amount and its change (as other editions print them): 176.32 − 170.00 is 6.32, not 6.23;
    the same sentence with 6.32 audits clean."""
    line = ">176.32万元</span>"
    wrong = plant(pdf_html[DEPARTMENT], line, line + "，比2024年预算170.00万元增加6.23万元")
    (f,) = audited(render(wrong, tmp_path / "wrong.pdf"))
    assert f.kind == "change" and (f.left, f.right) == (D("6.23"), D("6.32"))
    right = plant(pdf_html[DEPARTMENT], line, line + "，比2024年预算170.00万元增加6.32万元")
    assert audited(render(right, tmp_path / "right.pdf")) == []


@pytest.mark.pdf
def test_the_reference_documents_own_contradictions(pdf_html, tmp_path):
    """As the 2024 reference document was published (README, Known corrections): table 02's 合计 row prints
    5,715.29 as 财政拨款收入 and as 其他收入, and 六 says 4,542.16万元 is 100% of the project budget."""
    findings = _found(pdf_html, tmp_path, SEED,
                      ('data-cell="02.total.财政拨款">5,370.00<', 'data-cell="02.total.财政拨款">5,715.29<', 1),
                      ('data-cell="02.total.其他收入">345.29<', 'data-cell="02.total.其他收入">5,715.29<', 1),
                      ('data-figure="performance.amount">5,295.10万元', 'data-figure="performance.amount">4,542.16万元', 1))
    share = [f for f in findings if f.kind == "percentage"]
    assert len(share) == 1 and (share[0].left, share[0].right) == (D("100.00"), D("85.78"))
    row = [f for f in findings if f.kind == "identity" and f.what.zh.startswith("02表 total 合计 = 各收入来源之和")]
    assert row and row[0].difference == D("-5715.29") and row[0].page == 9
    assert all(f.kind in ("identity", "percentage") for f in findings), [f.line() for f in findings]


@pytest.mark.pdf
def test_a_row_that_cannot_be_read_is_named(pdf_html, tmp_path):
    """A table 01 class the catalogue does not know: its amount is not read, an E726 names it (page, table, row)."""
    name = '<th scope="row" class="name">{}</th>'
    html = plant(pdf_html[DEPARTMENT], name.format("四、住房保障支出"), name.format("四、其他奇怪支出"))
    doc, issues = read_pdf(render(html, tmp_path / "odd.pdf"))
    assert doc is not None and [(i.code, i.location.line, i.params["table"]) for i in issues] == [("E726", 8, "01")]
    assert "其他奇怪支出" in issues[0].format("en") and "01.exp.221.amount" not in doc.cells()
    out = subprocess.run([sys.executable, "-m", "generator.cli", "audit", str(tmp_path / "odd.pdf")],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1 and "E726" in out.stderr
