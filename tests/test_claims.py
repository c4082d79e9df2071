"""Figures typed in prose: placeholders, literals, claims and declared figures.

A typed amount, percentage or project count must equal a computed figure as the site
publishes it (0.01万元 / 0.01元 / 0.01%); otherwise E303 at its file:line. `{{name}}` must
name a figure (E209, with suggestions), be well formed (E210), and `{{literal: …}}` is exempt.
Declared figures reconcile with the line items (E304) and must exist (E212).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import make_content, seed_text

from generator.compute.figures import AMOUNT, COUNT, PERCENT, Figure, find_claims, matches, split
from generator.pipeline import load_content

FILE = "2024/anting-city-operations.yaml"


# ---------------------------------------------------------------- what counts as a claim

NOT_CLAIMS = [
    "2024年,上海市嘉定区安亭镇城市运行管理中心2024年无政府性基金预算财政拨款支出。",
    "根据《嘉定区街镇城市运行管理中心建设实施意见》(嘉委办发〔2020〕17号)",
    "《上海市城市网格化管理办法》(市政府令第4号)(2013年09月17日)",
    "安委(2019)10号; 嘉城运〔2021〕 号; 嘉智慧公安办【2018】2号",
    "实行全年无休24 小时全天候工作制,组织安保力量对全镇72网格进行24 小时巡防",
    "设置7*24小时维护服务热线; 填报日期: 2023.12.28; 联系电话 021-59531715",
    "专职巡防队员对14大类179小类322项事部件进行发现",
    "2024年1月1日至2024年12月31日; 2023-2024年等级保护复测",
    "无车辆、无价值50万元以上通用设备、无价值100万元以上专用设备)。",
    "no general equipment worth RMB 0.5 million or more and no special equipment worth RMB 1 million or more",
    "管理部门满意度≥90%;居民满意度不低于90%;成本节约率≥0%",
    "该项目3个子项目; 本项目1个月内完成; 第2个项目; 2 project managers",
    "Amounts are in RMB 10,000 (unit: RMB 10,000).",
    "The 2024 projects of the Centre; Jia Wei Ban Fa [2020] No. 17; 17 September 2013",
    "“1+1+X”的架构设计; 89.34平方公里; 42个行政村、30个社区居民委员会",
    "租金3元/平方米/天; 单价5元每吨; rent of RMB 3 per square metre a day",
    "每年至少3个项目; 项目10个以上; at least 3 projects",
]


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_text_that_only_looks_like_figures_is_no_claim(text):
    assert find_claims(text) == []


CLAIMS = [
    ("收入总额为5715.29万元,其中:财政拨款收入5370万元,占93.96%;事业收入0万元,占0%",
     [(AMOUNT, "5715.29万元"), (AMOUNT, "5370万元"), (PERCENT, "93.96%"), (AMOUNT, "0万元"), (PERCENT, "0%")]),
    ("预算总额为5,715.29万元", [(AMOUNT, "5,715.29万元")]),
    ("占年初项目总预算的100%。", [(PERCENT, "100%")]),
    ("其中: fiscal appropriations RMB 53.7 million, 93.96%", [(AMOUNT, "RMB 53.7 million"), (PERCENT, "93.96%")]),
    ("involving project budget funds of RMB 45.4216 million", [(AMOUNT, "RMB 45.4216 million")]),
    ("57.1529 million yuan; ¥372,900; RMB 1.2bn; 12.5 per cent", [
        (AMOUNT, "57.1529 million yuan"), (AMOUNT, "¥372,900"), (AMOUNT, "RMB 1.2bn"), (PERCENT, "12.5 per cent")]),
    ("项目总预算37151600元,其中**5370**万元", [(AMOUNT, "37151600元"), (AMOUNT, "5370**万元")]),
    ("1.2亿元; 345.29 万元", [(AMOUNT, "1.2亿元"), (AMOUNT, "345.29 万元")]),
    ("编报绩效目标的项目6个,共6个项目; 6 projects have targets", [(COUNT, "项目6个"), (COUNT, "6个项目"), (COUNT, "6 projects")]),
    ("万元,5370万元", [(AMOUNT, "5370万元")]),
    ("5715.29 ten thousand yuan", [(AMOUNT, "5715.29 ten thousand yuan")]),
]


@pytest.mark.parametrize("text, expected", CLAIMS)
def test_claims_are_found(text, expected):
    assert [(c.kind, c.written) for c in find_claims(text)] == expected


def test_claim_values_and_units():
    claims = find_claims("5,715.29万元, RMB 45.4216 million, 37151600元, 5715.29 ten thousand yuan, 1.2亿元, 3.5千元")
    assert [c.number * c.scale for c in claims] == [
        Decimal("57152900"), Decimal("45421600"), Decimal("37151600"), Decimal("57152900"), Decimal("120000000"),
        Decimal("3500")]


FIGURES = {
    "total": Figure(AMOUNT, Decimal("57152900")),
    "function.20805": Figure(AMOUNT, Decimal("598600")),
    "income.事业收入": Figure(AMOUNT, Decimal("0")),
    "income.财政拨款": Figure(AMOUNT, Decimal("53700000")),
    "share": Figure(PERCENT, Decimal("53700000") * 100 / Decimal("57152900")),  # 93.9587…
    "count": Figure(COUNT, Decimal(6)),
}


@pytest.mark.parametrize("text, ok", [
    ("5715.29万元", True), ("5,715.29万元", True), ("RMB 57.1529 million", True), ("57152900元", True),
    ("5370万元", True), ("5370.00万元", True), ("RMB 53.7 million", True), ("0万元", True), ("RMB 0 million", True),
    # English is printed to RMB 10,000 (0.01 million): the site's own figure passes, written finer too
    ("RMB 57.15 million", True), ("RMB 57.1529 million", True),
    # the published precision is 0.01万元: a coarser or different figure is no reference to it
    ("5715.3万元", False), ("5715万元", False), ("RMB 57.16 million", False), ("RMB 57.1528 million", False), ("5715.2万元", False),
    ("RMB 1 million", False),  # 598,600 元 is RMB 0.5986 million, not "1 million"
    ("57152901元", False), ("4542.16万元", False), ("RMB 45.4216 million", False),
    # approximations are checked at the precision written
    ("约5715万元", True), ("about RMB 57 million", True), ("约5800万元", False),
    ("93.96%", True), ("94%", False), ("约94%", True), ("93.95%", False),
    ("6个项目", True), ("7个项目", False),
])
def test_claims_match_a_figure_at_the_published_precision(text, ok):
    (claim,) = find_claims(text)
    assert matches(claim, FIGURES) is ok


@pytest.mark.parametrize("text, broken", [
    ("a {{total}} b", []),
    ("a {{ total }} b", []),
    ("a {{total b", ["{{total b"]),
    ("a {{总 额}} b", ["{{总 额}}"]),
    ("a {total} b {{total}}", ["{total} b "]),
    ("a }} b {{total}}", ["}} b "]),
    ("{{literal: 5%}} and {{literal:RMB 1 million}}", []),
    ("{{}}", ["{{}}"]),
])
def test_placeholders_are_split_and_malformed_ones_found(text, broken):
    assert [c for k, _, c in split(text) if k == "broken"] == broken


def test_split_keeps_every_character():
    text = "收入{{total}}，其中{{literal: 5%}}；尾{x}}"
    kinds = [(k, c) for k, _, c in split(text)]
    assert kinds == [("text", "收入"), ("figure", "total"), ("text", "，其中"), ("literal", "5%"), ("text", "；尾{x"),
                     ("broken", "}}")]


# ---------------------------------------------------------------- through the pipeline, at file:line


def _load(tmp_path, text: str):
    content = make_content(tmp_path, {FILE: text})
    return load_content(content, root=tmp_path)


def _line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, needle
    return text[:text.index(needle)].count("\n") + 1


def _issues(result):
    return [(i.code, i.location.line) for i in result.issues]


NARRATIVE = """
narrative:
  assets:
    zh: |
      本段第一行没有预算数。
      收入总额为5715.29万元,占100%;其中其他收入346万元。
      编报绩效目标的项目7个,{{literal: 质保金5%}}。
      共{{performance.count}}个项目,{{literal: 5%}}质保金和5%的预留。
    en: |
      No budget figure on this line.
      Total RMB 57.1529 million; other revenue RMB 3.46 million, 6.04%.
      There are 7 projects with targets.
"""


def test_typed_figures_are_checked_at_their_line(tmp_path):
    text = seed_text() + NARRATIVE
    result = _load(tmp_path, text)
    found = sorted((i.code, i.location.line, i.params["figure"]) for i in result.issues)
    assert found == sorted([
        ("E303", _line_of(text, "其中其他收入346万元"), "346万元"),
        ("E303", _line_of(text, "编报绩效目标的项目7个"), "项目7个"),
        ("E303", _line_of(text, "质保金和5%的预留"), "5%"),
        ("E303", _line_of(text, "RMB 3.46 million"), "RMB 3.46 million"),
        ("E303", _line_of(text, "There are 7 projects"), "7 projects"),
    ])
    assert all(i.location.path == f"content/budgets/{FILE}" for i in result.issues)
    (issue,) = [i for i in result.issues if i.params["figure"] == "346万元"]
    # the nearest figure is suggested: 其他收入 is 345.29万元
    assert issue.message("zh") == ("文字中的金额 346万元 与任何计算数都不符（最接近的计算数是 {{income.其他收入}} = 345.29万元）；"
                                   "请改用占位符（如 {{total}}），或写成 {{literal: …}} 表示这不是预算数")
    assert issue.message("en").startswith("the amount 346万元 in the text matches no computed figure "
                                          "(the closest computed figure is {{income.其他收入}} = RMB 3.45 million)")
    (issue,) = [i for i in result.issues if i.params["figure"] == "5%"]
    assert "percentage 5%" in issue.message("en") and "百分比 5%" in issue.message("zh")
    (issue,) = [i for i in result.issues if i.params["figure"] == "7 projects"]
    assert "project count 7 projects" in issue.message("en") and "{{projects.count}} = 6" in issue.message("en")


def test_a_claim_in_a_one_line_value_has_its_column(tmp_path):
    old = "  zh: 上海市嘉定区安亭镇城市运行管理中心部门预算是包括上海市嘉定区安亭镇城市运行管理中心本部的综合收支计划。\n"
    value = "本中心预算收入5715.29万元,其中财政拨款收入5371万元。"
    text = seed_text().replace(old, f"  zh: {value}\n")
    assert text != seed_text()
    result = _load(tmp_path, text)
    (issue,) = result.issues
    assert (issue.code, issue.location.line) == ("E303", 60)
    assert issue.location.col == len("  zh: ") + 1 + value.index("5371万元")


def test_a_claim_in_a_folded_value_is_placed_on_its_own_line(tmp_path):
    text = seed_text().replace("    own headquarters.\n", "    own headquarters, with a budget of RMB 57.2 million.\n")
    result = _load(tmp_path, text)
    (issue,) = result.issues
    assert issue.location.line == 64


def test_matching_figures_and_literals_are_accepted(tmp_path):
    text = seed_text() + """
narrative:
  assets:
    zh: |
      收入总额为5715.29万元(5,715.29万元),其中财政拨款5370万元,占93.96%;项目支出5295.1万元,占92.65%;项目6个,共6个项目。{{literal: 质保金5%}}
    en: |
      Total RMB 57.1529 million, appropriations RMB 53.7 million (93.96%); 6 projects; a {{literal: 5%}} retention; worth RMB 1 million or more.
"""
    assert _issues(_load(tmp_path, text)) == []


def test_unknown_and_malformed_placeholders(tmp_path):
    text = seed_text() + """
narrative:
  assets:
    zh: |
      总额{{totl}}。
      来源{{income.其它收入}}。
      坏的{{总 额}}。
      未闭合{{total。
    en: |
      Single braces {total} are a typo.
      Fine {{total}}.
"""
    result = _load(tmp_path, text)
    assert sorted(_issues(result)) == sorted([
        ("E209", _line_of(text, "总额{{totl}}")), ("E209", _line_of(text, "来源{{income.其它收入}}")),
        ("E210", _line_of(text, "坏的{{总 额}}")), ("E210", _line_of(text, "未闭合{{total。")),
        ("E210", _line_of(text, "Single braces {total}")),
    ])
    by_key = {i.params.get("key"): i for i in result.issues if i.code == "E209"}
    assert "did you mean 'total'" in by_key["totl"].message("en")
    assert "是否想写 'total'" in by_key["totl"].message("zh")
    assert "'income.其他收入'" in by_key["income.其它收入"].message("en")
    broken = [i.message("en") for i in result.issues if i.code == "E210"]
    assert any("'{{总 额}}'" in m for m in broken) and any("{total}" in m for m in broken)
    assert all("write {{name}} or {{literal: text}}" in m for m in broken)


def test_declared_figures(tmp_path):
    text = seed_text() + """
declared:
  total: 57152900
  income.其他收入: 3452800
  totl: 57152900
"""
    result = _load(tmp_path, text)
    assert sorted(_issues(result)) == sorted([
        ("E304", _line_of(text, "  income.其他收入: 3452800")), ("E212", _line_of(text, "  totl: 57152900"))])
    (e304,) = [i for i in result.issues if i.code == "E304"]
    assert e304.message("zh") == "声明数 income.其他收入 = 3,452,800.00元，但按明细计算为 3,452,900.00元"
    assert e304.message("en") == "declared figure income.其他收入 = RMB 3,452,800.00, but the line items give RMB 3,452,900.00"
    (e212,) = [i for i in result.issues if i.code == "E212"]
    assert e212.location.col == 3  # the key, not its value
    assert "did you mean 'total'" in e212.message("en")


def test_a_declared_figure_that_agrees_is_accepted(tmp_path):
    text = seed_text() + "\ndeclared:\n  total: 57152900\n  income.财政拨款: 53700000\n  project.lianqin: 37151600\n"
    assert _issues(_load(tmp_path, text)) == []


def test_generated_text_is_checked_too(tmp_path, monkeypatch):
    """A bug in the narrative generator that types a figure instead of a placeholder cannot publish."""
    from generator.compute.narrative import Sentences

    typed = {"zh": "涉及项目预算资金4542.16万元。", "en": "RMB 45.4216 million and {{performance.amont}}."}
    monkeypatch.setattr(Sentences, "performance", lambda self: typed[self.lang])
    result = _load(tmp_path, seed_text())
    assert sorted((i.code, i.params.get("figure") or i.params.get("key")) for i in result.issues) == [
        ("E209", "performance.amont"), ("E303", "4542.16万元"), ("E303", "RMB 45.4216 million")]
    assert all(i.location.path == f"content/budgets/{FILE}" for i in result.issues)


def test_the_english_performance_sentence_agrees_in_number(seed):
    from generator.compute.narrative import NarrativeWriter

    text = seed.paragraphs["performance"][0].en
    assert "{{performance.count}} projects with targets" in text
    writer = NarrativeWriter(seed.budget, seed.ledger, {**seed.figures, "performance.count": Figure(COUNT, Decimal(1))}, None)
    assert "{{performance.count}} project with targets" in writer.langs["en"].performance()


def test_literal_accepts_a_full_width_colon():
    from generator.compute.figures import split

    assert split("质保金{{literal：5%}}") == [("text", 0, "质保金"), ("literal", 3, "5%")]


def test_english_prose_formats():
    from decimal import Decimal

    from generator.core.money import prose_amount

    assert prose_amount(Decimal("57152900"), "万元", "en") == "RMB 57.15 million"  # to RMB 10,000 (issue 11)
    assert prose_amount(Decimal("53700000"), "万元", "en") == "RMB 53.70 million"
    assert prose_amount(Decimal("0"), "万元", "en") == "RMB 0"
    assert prose_amount(Decimal("0"), "万元", "zh") == "0.00万元"
    assert prose_amount(Decimal("372900.5"), "元", "en") == "RMB 372,900.50"


def test_english_narrative_reads_as_english(seed):
    from generator.compute.figures import expand

    basic, _ = seed.paragraphs["basic"]
    text = expand(basic.en, "en", seed.unit, seed.figures)
    assert "mainly for office expenses, water bills, training costs and commissioned services" in text
    assert "of the City Operation Management Centre" in text
