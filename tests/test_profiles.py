"""District format profiles (issue 11): each example's PDF prints its tables as its district does.

The Putuo PDFs are read back with pypdf and compared with the published documents' text
(tests/fixtures/putuo/*.txt): every table page landscape, the title and the unit label as
printed, 合计 as the last body row, the amounts as printed. The Jiading (reference) PDF keeps
its own titles. A third profile, written only as YAML under tests/fixtures/profiles/, changes
the directory and the tables without a line of Python.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, make_content, seed_text

from generator.load.profile import load_profile
from generator.pipeline import load_content

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PUTUO = FIXTURES / "putuo"
SLUG, YEAR = "putuo-government-office", 2025
DOCUMENTS = {"department": (f"zh/{YEAR}/{SLUG}/{SLUG}-{YEAR}-budget-zh.pdf", "putuo-qufuban-2025-department.txt"),
             "unit": (f"zh/{YEAR}/{SLUG}/benbu/{SLUG}-benbu-{YEAR}-unit-budget-zh.pdf", "putuo-qufuban-2025-unit.txt")}
TITLE = re.compile(r"^\s*(2025年(?:部门|预算单位|单位)\S*表)\s*$", re.M)
UNIT = re.compile(r"单位[:：]\s*(万元|元)")
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?!\d)")
# The reference document's table titles (shared/seed text, lines 86–282: 2024年部门…表).
JIADING_TITLES = ["部门财务收支预算总表", "部门收入预算总表", "部门支出预算总表", "部门财政拨款收支预算总表",
                  "部门一般公共预算支出功能分类预算表", "部门政府性基金预算支出功能分类预算表",
                  "部门国有资本经营预算支出功能分类预算表", "部门一般公共预算基本支出经济分类预算表",
                  "部门“三公”经费和机关运行经费预算表"]


def published_tables(text_file: str) -> list[tuple[str, str, list[str]]]:
    """(title, unit, amounts) of each of the nine tables of a published document, in order."""
    text = (PUTUO / text_file).read_text(encoding="utf-8")
    starts = [m for m in TITLE.finditer(text) if "预算表" in m.group(1) or "总表" in m.group(1)][-9:]
    out = []
    for n, m in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else text.find("其他相关情况说明", m.end())
        body = text[m.end():end]
        out.append((m.group(1), UNIT.search(body).group(1), AMOUNT.findall(body)))
    return out


def pdf_pages(path: Path) -> list[tuple[float, float, str]]:
    from pypdf import PdfReader

    return [(float(p.mediabox.width), float(p.mediabox.height), p.extract_text()) for p in PdfReader(path).pages]


def table_pages(pages, title: str) -> list[tuple[float, float, str]]:
    """The pages of one table: the page its title heads, and the pages it runs on to (they start
    with a table row, not with a title or a section heading)."""
    found = [i for i, (_, _, text) in enumerate(pages) if text.lstrip().startswith(title)]
    assert found, title
    out = [pages[found[0]]]
    for page in pages[found[0] + 1:]:
        if re.match(r"\s*(2025年|[一二三四五六七八九十]+、)", page[2]):
            break
        out.append(page)
    return out


@pytest.mark.pdf
@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_putuo_table_page_is_as_published(site, document):
    pdf, text_file = DOCUMENTS[document]
    pages = pdf_pages(site / pdf)
    tables = published_tables(text_file)
    assert len(tables) == 9
    for title, unit, amounts in tables:
        mine = table_pages(pages, title)  # the title exactly as printed heads the page
        text = "\n".join(t for _, _, t in mine)
        for width, height, _ in mine:
            assert width > height, title  # landscape
        assert UNIT.search(text).group(1) == unit, title  # 元 for 01–08, 万元 for 09, as printed
        printed = set(amounts)
        assert printed <= set(AMOUNT.findall(text)), (title, printed - set(AMOUNT.findall(text)))
        if "三公" not in title:  # table 09 has one row and no 合计 row
            body = [line for line in mine[-1][2].splitlines() if line.strip() and not line.startswith(("第 ", "注"))]
            assert re.match(r"^\s*(合计|收入总计)", body[-1]), (title, body[-1])


@pytest.mark.pdf
def test_the_reference_pdf_keeps_its_own_titles(site):
    pages = pdf_pages(site / "zh/2024/anting-city-operations/anting-city-operations-2024-budget-zh.pdf")
    for n, title in enumerate(JIADING_TITLES, start=1):
        heads = [t for _, _, t in pages if f"2024年{title}" in t.splitlines()[:3]]
        assert heads, title
        assert f"部门预算{n:02d}表" in heads[0], title  # the reference prints the table number


@pytest.mark.pdf
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_reconciliation_is_one_short_statement(site, lang):
    pages = pdf_pages(site / f"{lang}/{YEAR}/{SLUG}/{SLUG}-{YEAR}-budget-{lang}.pdf")
    last = pages[-1][2]
    assert ("核对" if lang == "zh" else "identities") in last
    assert "=" not in last  # no list of comparisons in the PDF; the page and reconciliation.json keep it


def test_putuo_page_has_its_directory_and_no_forms(content):
    (db,) = [d for d in content.budgets if d.slug == SLUG and d.year == YEAR]
    (unit,) = [d for d in content.budgets if d.slug == f"{SLUG}/benbu"]
    assert [s.id for s in db.profile.sections_of("department")] == [
        "functions", "organisation", "glossary", "notes", "tables", "other", "key_projects"]
    assert [s.id for s in unit.profile.sections_of("unit")] == [
        "functions", "organisation", "glossary", "notes", "tables", "other"]
    assert "basic" not in db.paragraphs and "general_public" not in db.paragraphs
    assert [r.key for r in db.tables["01"].sides[1].rows] == ["exp.201", "exp.208", "exp.210", "exp.221"]  # only the 类 used


def test_the_site_follows_the_profile_page_by_page(site):
    dept = (site / "zh" / str(YEAR) / SLUG / "index.html").read_text(encoding="utf-8")
    assert "七、项目经费情况说明" in dept and "八、" not in dept.split('id="s7"')[1].split("</section>")[0]
    assert "编制部门" in dept and 'class="t-number"' not in dept  # no 部门预算01表 above the tables
    unit = (site / "zh" / str(YEAR) / SLUG / "benbu" / "index.html").read_text(encoding="utf-8")
    assert "六、其他相关情况说明" in unit and 'id="s7"' not in unit and "编制单位" in unit
    seed = (site / "zh" / "2024" / "anting-city-operations" / "index.html").read_text(encoding="utf-8")
    assert "七、部门支出重点项目情况说明" in seed and "八、项目绩效目标申报表" in seed and "部门预算01表" in seed


# ---------------------------------------------------------------- a third profile, YAML only


def test_a_third_profile_needs_no_python(tmp_path):
    text = seed_text().replace("\nyear: 2024\n", "\nprofile: test-district\nyear: 2024\n")
    content = make_content(tmp_path, {"2024/a.yaml": text})
    shutil.copytree(FIXTURES / "profiles", content / "profiles")
    profile, problems = load_profile("test-district", (content / "profiles",))
    assert problems == [] and profile is not None
    result = load_content(content)
    assert [i.format("en") for i in result.issues if i.severity == "error"] == []
    (db,) = result.budgets
    assert db.profile.name == "test-district"
    assert [s.id for s in db.profile.sections_of("department")] == ["functions", "organisation", "notes", "tables", "other"]
    assert list(db.paragraphs) == ["income", "expenditure", "three_public", "procurement"]
    assert db.profile.table_title("department", "03").zh == "部门支出预算表（测试区）"
    assert db.paragraphs["procurement"][0]("zh") == "2024年本部门政府采购预算共{{procurement.total}}。"  # its own wording
    assert db.paragraphs["procurement"][0]("en").startswith("In 2024 the department's government procurement")


def test_an_unknown_profile_is_an_error_at_its_line(tmp_path):
    text = seed_text().replace("\nyear: 2024\n", "\nprofile: no-such-district\nyear: 2024\n")
    result = load_content(make_content(tmp_path, {"2024/a.yaml": text}))
    (found,) = [i for i in result.issues if i.code == "E244"]
    assert found.location.line == text.splitlines().index("profile: no-such-district") + 1
    assert "shanghai-jiading" in found.format("en") and result.budgets == []


def test_every_shipped_profile_loads():
    for path in sorted((ROOT / "themes" / "budget" / "profiles").glob("*.yaml")):
        profile, problems = load_profile(path.stem)
        assert problems == [] and profile is not None, path.name


def test_content_names_its_profiles():
    assert "profile: shanghai-putuo" in (CONTENT / "budgets" / "2025" / f"{SLUG}.yaml").read_text(encoding="utf-8")
