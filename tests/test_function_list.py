"""The list of 四, "财政拨款支出主要内容如下：": one numbered item per functional 项 with 财政拨款
money, “类-款-项”科目{{function.<code>.财政拨款}}，主要用于…。 (generator/compute/narrative.py,
Sentences.function_list). Putuo 2025 publishes it (tests/fixtures/putuo/); other editions add
比上年增加/减少… or 与上年持平 per item (option last_year; tests/fixtures/units/town-*.yaml).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, make_content

from generator.compute.figures import expand
from generator.compute.narrative import NarrativeWriter, Sentences
from generator.compute.phrasebook import phrasebooks
from generator.pipeline import load_content

PUTUO = FIXTURES / "putuo"
TEXTS = {"putuo-government-office": "putuo-qufuban-2025-department.txt",
         "putuo-government-office/benbu": "putuo-qufuban-2025-unit.txt"}
HEAD = "财政拨款支出主要内容如下："
ITEM = re.compile(r"^(\d+)\. “([^”]+)”科目\{\{function\.(\d{7})\.财政拨款\}\}，主要用于(.+)。$")
AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)万元")
TOWN_2024 = (FIXTURES / "units" / "town-2024.yaml").read_text(encoding="utf-8")
TOWN_2025 = (FIXTURES / "units" / "town-2025.yaml").read_text(encoding="utf-8")


def _normal(text: str) -> str:
    """Without whitespace, every amount in 万元 as its value (1,202.95 = 1202.95; 4,614 = 4614.00):
    the prose formatter's grouping and trailing zeros are not the list's business."""
    text = re.sub(r"\s+", "", text)
    return AMOUNT.sub(lambda m: f"{Decimal(m.group(1).replace(',', '')).normalize():f}万元", text)


def published(name: str) -> str:
    """The list as the document prints it: from its head to the title of the first table."""
    text = (PUTUO / name).read_text(encoding="utf-8")
    start = text.index(HEAD)
    end = re.search(r"^\s*2025年\S*财务收支预算总表", text[start:], re.M).start()
    return text[start:start + end]


@pytest.fixture(scope="module")
def putuo(content):
    assert not content.issues, [i.format("en") for i in content.issues]
    return {d.slug: d for d in content.budgets if d.slug in TEXTS and d.year == 2025}


def writer(db, **options) -> NarrativeWriter:
    return NarrativeWriter(db.budget, db.ledger, db.figures, db.ledger.catalogue, options=options)


# ---------------------------------------------------------------- Putuo 2025 as published


@pytest.mark.parametrize("slug", TEXTS)
def test_the_generated_list_has_the_published_items_with_placeholders(putuo, slug):
    db = putuo[slug]
    text, authored = db.paragraphs["function_list"]
    assert not authored  # the content gives purposes, not the paragraph
    head, _, body = text("zh").partition("\n\n")
    assert head == HEAD
    items = [ITEM.match(line) for line in body.split("\n")]
    assert None not in items, body
    printed = re.findall(r"(\d+)\.“([^”]+)”科目([\d,.]+)万元，主要用于(.+?)。", re.sub(r"\s+", "", published(TEXTS[slug])))
    assert len(printed) == 12
    assert [(m[1], m[2], m[4]) for m in items] == [(n, names, purpose) for n, names, _, purpose in printed]
    codes = [m[3] for m in items]
    assert codes == sorted(codes) and codes[:2] == ["2010301", "2010302"] and codes[-1] == "2210203"
    # every amount is a placeholder, none typed: the item's 财政拨款 under its 项
    assert [Decimal(p[2].replace(",", "")) for p in printed] == \
        [(db.figures[f"function.{c}.财政拨款"].value / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP) for c in codes]


@pytest.mark.parametrize("slug", TEXTS)
def test_the_rendered_list_reads_as_published(putuo, slug):
    db = putuo[slug]
    text, _ = db.paragraphs["function_list"]
    rendered = expand(text("zh"), "zh", "万元", db.figures)
    assert "{{" not in rendered
    assert _normal(rendered) == _normal(published(TEXTS[slug]))


def test_the_english_list_has_the_same_items_and_placeholders(putuo):
    db = putuo["putuo-government-office"]
    zh, en = (db.paragraphs["function_list"][0](lang) for lang in ("zh", "en"))
    names = re.compile(r"\{\{[^}]+\}\}")
    assert names.findall(zh) == names.findall(en) and len(names.findall(en)) == 12
    assert en.startswith("The main items of expenditure from fiscal appropriations are as follows:\n\n"
                         "1. \"General public services")
    assert "mainly for the basic expenditure of administrative units." in en


def test_the_figure_is_the_sum_of_the_three_appropriations(putuo):
    f = putuo["putuo-government-office"].figures
    assert f["function.2010301.财政拨款"].value == Decimal("12029501.84")  # 1,202.95万元 as printed
    assert f["function.201.财政拨款"].value == f["function.201.一般公共预算"].value


# ---------------------------------------------------------------- generated purposes, last year, override


def town(tmp_path: Path, **replace: str):
    """The 2025 town budget (with its 2024 file) after the given replacements of its text."""
    text = TOWN_2025
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    content = load_content(make_content(tmp_path, {"2024/town.yaml": TOWN_2024, "2025/town.yaml": text}))
    assert content.issues == [], [i.format("en") for i in content.issues]
    (db,) = [d for d in content.budgets if d.year == 2025]
    return db


def items(db, lang="zh", **options) -> list[str]:
    text = writer(db, **options).paragraphs()["function_list"][0](lang)
    return text.split("\n\n", 1)[1].split("\n")


def test_without_purposes_the_items_name_the_economic_classes_and_projects(tmp_path):
    db = town(tmp_path)
    office = "一般公共服务支出-政府办公厅（室）及相关机构事务"
    assert items(db) == [
        f"1. “{office}-行政运行”科目{{{{function.2010301.财政拨款}}}}，主要用于基本工资、办公费。",
        f"2. “{office}-一般行政管理事务”科目{{{{function.2010302.财政拨款}}}}，主要用于会议保障。",
    ]
    assert items(db, "en")[1].endswith(": {{function.2010302.财政拨款}}, mainly for Meeting support.")


def test_last_year_gives_the_change_of_each_item(tmp_path):
    # 2010301: 102,000 against 90,000; 2010302 (huiyi): 25,000 against 20,000
    up = items(town(tmp_path / "up"), function_list={"last_year": True})
    assert [re.search(r"科目\{\{[^}]+\}\}(.*?)，主要用于", i)[1] for i in up] == \
        ["，比上年增加{{change.function.2010301}}", "，比上年增加{{change.function.2010302}}"]
    # 2010301 down to 70,000 + 12,000 = 82,000 (−8,000); huiyi back to 20,000 (持平)
    db = town(tmp_path / "down", **{"amount: 90000}": "amount: 70000}", "一般公共预算: 25000": "一般公共预算: 20000"})
    down = items(db, function_list={"last_year": True})
    assert "科目{{function.2010301.财政拨款}}，比上年减少{{change.function.2010301}}，主要用于" in down[0]
    assert "科目{{function.2010302.财政拨款}}，与上年持平，主要用于" in down[1]
    assert db.figures["change.function.2010301"].value == Decimal(8000)
    assert "82000.00元，比上年减少8000.00元，" in expand(down[0], "zh", "元", db.figures).replace(",", "")
    en = items(db, "en", function_list={"last_year": True})
    assert ", down {{change.function.2010301}} from last year, mainly for" in en[0]
    assert ", unchanged from last year, mainly for" in en[1]
    # without the option (the Putuo profile), no clause
    assert not any("上年" in i for i in items(db))


def test_a_code_without_last_years_figure_has_no_clause(tmp_path):
    # a new 项 this year: 2010350 事业运行 was not in 2024's file
    db = town(tmp_path, **{"  - {function: 2010301, economic: 30201, amount: 12000}":
                           "  - {function: 2010301, economic: 30201, amount: 12000}\n"
                           "  - {function: 2010350, economic: 30201, amount: 3000}"})
    assert "last_year.function.2010350" not in db.figures
    listed = items(db, function_list={"last_year": True})
    assert [i.split("”")[0].rsplit("-", 1)[1] for i in listed] == ["行政运行", "一般行政管理事务", "事业运行"]
    assert "上年" not in listed[2] and "上年" in listed[0]


def test_an_authored_purpose_and_an_authored_paragraph(tmp_path):
    purposes = ("purposes:\n  function:\n    \"2010302\": {zh: 会议的保障。, en: meeting support.}\n"
                "narrative:\n  function_list: {zh: 手写的清单。, en: A list typed by hand.}\nbasic:\n")
    putuo = {"\nyear: 2025\n": "\nprofile: shanghai-putuo\nyear: 2025\n"}  # a format that publishes the list
    db = town(tmp_path, **{"basic:\n": purposes}, **putuo)
    assert db.paragraphs["function_list"] == (db.paragraphs["function_list"][0], True)
    assert db.paragraphs["function_list"][0]("zh") == "手写的清单。"
    assert db.paragraphs["function_list"][0]("en") == "A list typed by hand."
    # the purpose (project lines only: no E211) is used by the generated list, its full stop dropped
    generated = town(tmp_path / "purpose", **{"basic:\n": purposes.split("narrative:")[0] + "basic:\n"})
    assert items(generated)[1].endswith("科目{{function.2010302.财政拨款}}，主要用于会议的保障。")
    assert items(generated, "en")[1].endswith(", mainly for meeting support.")


def test_a_purpose_of_a_code_without_any_spending_is_still_e211(tmp_path):
    text = TOWN_2025.replace("basic:\n", "purposes:\n  function:\n    \"2010399\": {zh: 其他。, en: other.}\nbasic:\n", 1)
    content = load_content(make_content(tmp_path, {"2024/town.yaml": TOWN_2024, "2025/town.yaml": text}))
    assert [i.code for i in content.issues] == ["E211"]


def test_a_budget_without_appropriations_says_so(tmp_path):
    db = town(tmp_path)
    lines = [line for line in db.ledger.lines if line.source not in ("一般公共预算", "政府性基金", "国有资本经营")]
    ledger = type("L", (), {"lines": lines})()  # no 财政拨款 line at all
    expected = {"zh": "2025年，测试镇政府办公室无财政拨款支出。",
                "en": "In 2025, the Test Town Government Office has no expenditure from fiscal appropriations."}
    for lang, pb in phrasebooks().items():
        assert Sentences(pb, db.budget, ledger, db.figures, db.ledger.catalogue).function_list() == expected[lang]
