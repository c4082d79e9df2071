"""The seed as published, on top of the correct line items: the check reports every figure the
line items contradict, each at its line, and nothing else.

The budget is content/budgets/2024/anting-city-operations.yaml with
tests/fixtures/seed_as_published.yaml appended (the seed's narrative exactly as published and
the 合计 row of its table 02), and with the 一网统管平台 form as published: its sub-items listed
under 项目当年投入资金构成, i.e. as breaking down this year's budget (the content file says
`sub_items_cover: 总预算` instead).
"""

from __future__ import annotations

import pytest
import yaml
from conftest import FIXTURES, make_content, seed_text

from generator.compute.figures import find_claims, matches
from generator.pipeline import load_content

FILE = "2024/anting-city-operations.yaml"
COVER = "      sub_items_cover: 总预算\n"


def published_text() -> str:
    text = seed_text()
    assert text.count(COVER) == 1
    text = text.replace(COVER, "")
    return text.rstrip("\n") + "\n\n" + (FIXTURES / "seed_as_published.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, after: str | None = None) -> int:
    start = text.index(after) if after else 0
    at = text.index(needle, start)
    assert after or text.count(needle) == 1, needle
    return text[:at].count("\n") + 1


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("published")
    text = published_text()
    content = make_content(tmp, {FILE: text})
    return text, load_content(content, root=tmp)


def test_the_report_on_the_seed_as_published(published):
    text, result = published
    report = [(i.code, i.location.line, i.message("en")) for i in result.issues]
    path = f"content/budgets/{FILE}"
    assert {i.location.path for i in result.issues} == {path}
    assert report == [
        # 八, form 4 (安亭镇城市运行一网统管平台): 项目当年投入资金构成 2740000 + 14000 = 2754000,
        # but 项目当年预算 is 137000 (2754000 is the project's total budget)
        ("E301", line_of(text, "      sub_items:", after="  - id: yiwangtongguan"),
         "does not reconcile: Project yiwangtongguan: sub-items = the budget they break down: "
         "RMB 2,754,000.00 ≠ RMB 137,000.00 (difference RMB 2,617,000.00)"),
        # 六 四: the six projects with performance targets have 5295.10万元, not 4542.16万元
        ("E303", line_of(text, "涉及项目预算资金4542.16万元"),
         "the amount 4542.16万元 in the text matches no computed figure (the closest computed figure is "
         "{{function.21201.project}} = RMB 45.10 million); use a placeholder (e.g. {{total}}) "
         "or write {{literal: …}} if it is not a budget figure"),
        ("E303", line_of(text, "involving project budget funds of RMB 45.4216 million"),
         "the amount RMB 45.4216 million in the text matches no computed figure (the closest computed figure is "
         "{{function.21201.project}} = RMB 45.10 million); use a placeholder (e.g. {{total}}) "
         "or write {{literal: …}} if it is not a budget figure"),
        # 02表 合计 row: 5715.29 under 财政拨款收入 and under 其他收入
        ("E304", line_of(text, "  income.财政拨款: 57152900"),
         "declared figure income.财政拨款 = RMB 57,152,900.00, but the line items give RMB 53,700,000.00"),
        ("E304", line_of(text, "  income.其他收入: 57152900"),
         "declared figure income.其他收入 = RMB 57,152,900.00, but the line items give RMB 3,452,900.00"),
    ]
    assert [i.severity for i in result.issues] == ["error"] * 5
    zh = [i.message("zh") for i in result.issues]
    assert zh[0] == "核对不符：项目 yiwangtongguan：子项目之和 = 所分解的预算：2,754,000.00元 ≠ 137,000.00元（差 2,617,000.00元）"
    assert zh[1] == ("文字中的金额 4542.16万元 与任何计算数都不符（最接近的计算数是 {{function.21201.project}} = 4509.90万元）；"
                     "请改用占位符（如 {{total}}），或写成 {{literal: …}} 表示这不是预算数")
    assert zh[3] == "声明数 income.财政拨款 = 57,152,900.00元，但按明细计算为 53,700,000.00元"
    assert result.failed()


def test_every_other_published_figure_agrees_with_the_line_items(published):
    """Claim by claim: of all the figures typed in the published narrative, two match nothing."""
    text, result = published
    (db,) = result.budgets
    narrative = yaml.safe_load((FIXTURES / "seed_as_published.yaml").read_text(encoding="utf-8"))["narrative"]
    typed = unmatched = 0
    missing = []
    for key, paragraph in narrative.items():
        for lang in ("zh", "en"):
            for claim in find_claims(paragraph[lang]):
                typed += 1
                if not matches(claim, db.figures):
                    unmatched += 1
                    missing.append((key, lang, claim.written))
    assert missing == [("performance", "zh", "4542.16万元"), ("performance", "en", "RMB 45.4216 million")]
    assert typed >= 90  # the narrative is full of figures; all the others are references to computed ones
    # and what the published narrative says stays: the 100% and the 6 projects agree with the line items
    assert db.figures["performance.count"].value == 6
    assert db.figures["performance.share"].value == 100
    # the declared total (02表 合计 5715.29) is right
    assert all("declared figure total " not in i.message("en") for i in result.issues)


def test_the_published_key_project_budget_agrees(tmp_path):
    """七 六、年度预算安排 of 联勤队伍组建, typed as published, contradicts nothing."""
    text = published_text()
    anchor = "    key:  # 七、部门支出重点项目情况说明 (六 年度预算安排 is generated)\n"
    assert text.count(anchor) == 1
    note = (
        "      budget_note:\n"
        "        zh: 项目名称为2024年联勤队伍组建,该项目年初总预算3715.16万元,资金来源镇财政一般公共预算3369.87万元,"
        "其他代管资金345.29万元。\n"
        "        en: The project is the 2024 Formation of the Joint Duty Team, with an initial budget of RMB 37.1516 "
        "million this year, funded by the town's general public budget (RMB 33.6987 million) and other entrusted funds "
        "(RMB 3.4529 million).\n"
    )
    text = text.replace(anchor, anchor + note)
    result = load_content(make_content(tmp_path, {FILE: text}), root=tmp_path)
    assert [i.code for i in result.issues] == ["E301", "E303", "E303", "E304", "E304"]


def test_the_shipped_file_says_what_the_sub_items_break_down(tmp_path):
    """Without the published label (sub_items_cover: 总预算 kept), the sub-items reconcile."""
    text = seed_text().rstrip("\n") + "\n\n" + (FIXTURES / "seed_as_published.yaml").read_text(encoding="utf-8")
    result = load_content(make_content(tmp_path, {FILE: text}), root=tmp_path)
    assert [i.code for i in result.issues] == ["E303", "E303", "E304", "E304"]
