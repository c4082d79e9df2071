"""The second example: Putuo 2025 (上海市普陀区人民政府办公室), a department of one unit that
publishes its own 单位预算. Every amount printed in the tables of both real documents must come
out of content/budgets/2025/putuo-government-office.yaml, cell for cell.

tests/fixtures/putuo/ holds the two documents' text (pdftotext -layout) and cells.yaml, every
printed amount cell transcribed (document -> table -> row -> column -> printed value).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "putuo"
TEXTS = {"department": "putuo-qufuban-2025-department.txt", "unit": "putuo-qufuban-2025-unit.txt"}
SLUG, YEAR = "putuo-government-office", 2025
TABLES = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d])")
# The title of each table, after 2025年部门 / 2025年预算单位 / 2025年单位 (table 09 of the unit document).
TITLE = re.compile(
    r"^\s*2025年(?:部门|预算单位|单位)"
    r"(财务收支预算总表|收入预算总表|支出预算总表|财政拨款收支预算总表|一般公共预算支出功能分类预算表"
    r"|政府性基金预算支出功能分类预算表|国有资本经营预算支出功能分类预算表"
    r"|一般公共预算基本支出部门预算经济分类预算表|“三公”经费和机关运行经费预算表)\s*$",
    re.M,
)
WAN = Decimal(10000)


def cells() -> dict:
    return yaml.safe_load((FIXTURES / "cells.yaml").read_text(encoding="utf-8"))


def printed(document: str) -> dict[str, str]:
    """The fixture's cells of one document, keyed as the computed tables key them."""
    return {f"{table}.{row}.{column}": value
            for table, rows in cells()[document].items()
            for row, columns in rows.items()
            for column, value in columns.items()}


def table_texts(document: str) -> dict[str, str]:
    """The text of each of the nine tables (from its title to the next table's, or to section 六)."""
    text = (FIXTURES / TEXTS[document]).read_text(encoding="utf-8")
    titles = list(TITLE.finditer(text))
    assert len(titles) == 9, [m.group(1) for m in titles]
    end = text.index("其他相关情况说明", titles[-1].end())
    bounds = [m.start() for m in titles[1:]] + [end]
    return {number: text[m.end():stop] for number, m, stop in zip(TABLES, titles, bounds, strict=True)}


# ---------------------------------------------------------------- the fixture against the documents


@pytest.mark.parametrize("document", TEXTS)
@pytest.mark.parametrize("number", TABLES)
def test_every_printed_amount_is_transcribed(document, number):
    """Each table's printed amounts and the fixture's cells of that table are the same multiset."""
    in_text = Counter(AMOUNT.findall(table_texts(document)[number]))
    in_fixture = Counter(v for k, v in printed(document).items() if k.startswith(number + "."))
    assert in_text == in_fixture, (in_text - in_fixture, in_fixture - in_text)


def test_the_two_documents_differ_only_in_table_01():
    department, unit = printed("department"), printed("unit")
    assert {k: v for k, v in department.items() if not k.startswith("01.")} == \
           {k: v for k, v in unit.items() if not k.startswith("01.")}
    extra = {k for k in unit if k not in department}
    assert extra and all(k.startswith("01.exp.") and k.rsplit(".", 1)[1] in ("personnel", "public", "project")
                         for k in extra)


# ---------------------------------------------------------------- the content against the fixture


@pytest.fixture(scope="module")
def documents(content) -> dict:
    putuo = [db for db in content.budgets if db.slug.split("/")[0] == SLUG and db.year == YEAR]  # unit: "<dept>/<unit>"
    found = {db.document.kind: db for db in putuo}
    assert sorted(found) == ["department", "unit"] and len(putuo) == 2, [db.document.kind for db in putuo]
    return found


def test_putuo_loads_without_issues(content):
    mine = [i.format("en") for i in content.issues if SLUG in i.location.path]
    assert mine == []


def _computed(db) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for number in TABLES:
        out.update(db.tables[number].cells())
    return out


def _as_printed(key: str, value: Decimal) -> Decimal:
    """Tables 01–08 are printed in 元, table 09 in 万元 to 0.01."""
    if key.startswith("09."):
        return (value / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value


@pytest.mark.parametrize("document", TEXTS)
def test_every_printed_cell_is_computed(documents, document):
    computed = _computed(documents[document])
    wrong = {}
    for key, text in printed(document).items():
        want = Decimal(text.replace(",", ""))
        got = computed.get(key)
        if got is None or _as_printed(key, got) != want:
            wrong[key] = (text, got)
    assert wrong == {}


@pytest.mark.parametrize("document", TEXTS)
def test_every_blank_cell_is_zero(documents, document):
    """A computed cell the document leaves blank must be zero (the fixture holds the printed ones)."""
    shown = printed(document)
    extra = {k: v for k, v in _computed(documents[document]).items() if k not in shown and _as_printed(k, v) != 0}
    assert extra == {}


# ---------------------------------------------------------------- the figures the prose quotes


@pytest.mark.parametrize("document", TEXTS)
def test_the_figures_of_the_narrative(documents, document):
    """六: 三公 867.50万元, 机关运行经费 213.28万元, 采购 34万元, 绩效 11 projects / 6626万元;
    四: 2024 = 9,101.68 + 2,389.52 = 11,491.20万元."""
    f = documents[document].figures
    expect = {
        "total": "91016775.35", "three_public.total": "8675000", "three_public.outbound": "8390000",
        "three_public.reception": "285000", "operating_costs": "2132777.54", "procurement.total": "340000",
        "procurement.服务": "340000", "procurement.sme": "340000", "procurement.micro": "340000",
        "performance.amount": "66260000", "last_year.total": "114912000",
    }
    assert {k: f[k].value for k in expect} == {k: Decimal(v) for k, v in expect.items()}
    assert f["performance.count"].value == 11
    assert (f["change.total"].value / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal("2389.52")


# ---------------------------------------------------------------- the published data files


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("document", TEXTS)
def test_the_published_data_json_holds_every_printed_cell(site, document, lang):
    """What a citizen downloads (data.json in the document's data folder) reproduces every printed cell."""
    folder = site / "data" / str(YEAR) / SLUG / ("benbu" if document == "unit" else "")
    data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    assert data["document"]["kind"] == document
    published = {key: Decimal(value) for table in data["tables"].values() for key, value in table["cells"].items()}
    wrong = {key: (text, published.get(key)) for key, text in printed(document).items()
             if key not in published or _as_printed(key, published[key]) != Decimal(text.replace(",", ""))}
    assert wrong == {}
    titles = {number: table["title"]["zh"] for number, table in data["tables"].items()}
    assert titles["01"] == ("预算单位财务收支预算总表" if document == "unit" else "部门财务收支预算总表")
