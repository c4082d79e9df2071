"""Claims matched to the figure their label names, Chinese-numeral claims, thresholds, and the
message fixes of issue 8 (W213 on placeholders, W302's displayed sides, E303 once).

"其他收入5370万元" names 其他收入 (345.29万元): that 5370万元 is the 财政拨款 figure does not make it
right (E310). A placeholder after a label must be a figure the label names (E311).
"""

from __future__ import annotations

from decimal import Decimal
from fnmatch import fnmatchcase

import pytest
from conftest import make_content, seed_text

from generator.compute.claim_labels import LABELS, Vocabulary
from generator.compute.figures import AMOUNT, COUNT, PERCENT, Figure, expand, find_claims
from generator.core.numerals import parse
from generator.pipeline import load_content
from generator.reconcile.prose import check_claims, check_text

FILE = "2024/anting-city-operations.yaml"
PATH = f"content/budgets/{FILE}"


def _load(tmp_path, text: str):
    return load_content(make_content(tmp_path, {FILE: text}), root=tmp_path)


def _at(text: str, needle: str) -> tuple[int, int]:
    """(line, col) of `needle` in `text`, 1-based."""
    assert text.count(needle) == 1, needle
    before = text[:text.index(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def _assets(zh: str, en: str = "No figure.") -> str:
    return seed_text() + f"\nnarrative:\n  assets:\n    zh: |\n      {zh}\n    en: |\n      {en}\n"


# ---------------------------------------------------------------- Chinese numerals

@pytest.mark.parametrize("numeral, value", [
    ("五千七百一十五万", "57150000"), ("一千二百三十四点五六万", "12345600"), ("两千万", "20000000"),
    ("三", "3"), ("十二", "12"), ("二十", "20"), ("一千零五", "1005"), ("一百零一", "101"), ("一亿二千万", "120000000"),
    ("一万零五百", "10500"), ("三百二十一点零五", "321.05"), ("零点五", "0.5"), ("九十九", "99"), ("零", "0"),
])
def test_chinese_numerals_are_read_exactly(numeral, value):
    assert parse(numeral) == Decimal(value)
    assert isinstance(parse(numeral), Decimal)


@pytest.mark.parametrize("text", ["二〇二四", "一一", "十百", "百", "一万五", "一千五", "一百两", "千", "五x", ""])
def test_what_is_no_standard_numeral_is_not_read(text):
    assert parse(text) is None


@pytest.mark.parametrize("text, kind, number, scale", [
    ("五千七百一十五万元", AMOUNT, "5715", 10 ** 4),
    ("一千二百三十四点五六万元", AMOUNT, "1234.56", 10 ** 4),
    ("两千万元", AMOUNT, "2000", 10 ** 4),
    ("一亿二千万元", AMOUNT, "12000", 10 ** 4),
    ("三千元", AMOUNT, "3000", 1),
    ("一点二亿元", AMOUNT, "1.2", 10 ** 8),
    ("三个项目", COUNT, "3", 1),
    ("项目共六个", COUNT, "6", 1),
    ("百分之十二", PERCENT, "12", 1),
    ("百分之九十三点九六", PERCENT, "93.96", 1),
    ("十二%", PERCENT, "12", 1),
])
def test_chinese_numeral_claims(text, kind, number, scale):
    (claim,) = find_claims(text)
    assert (claim.kind, claim.number, claim.scale, claim.written) == (kind, Decimal(number), Decimal(scale), text)


@pytest.mark.parametrize("text", [
    "第三个项目", "城市运行一网统管平台", "二〇二四年", "数十万元的设备", "上千万元", "作为一个项目", "一元化管理",
    "“三公”经费", "十四五规划", "三项制度", "五险一金", "成千上万元", "一万五元",
])
def test_chinese_words_that_only_look_like_numerals_are_no_claims(text):
    assert find_claims(text) == []


@pytest.mark.parametrize("text", [
    "单价100万元（含）以上", "100万元(含)以上", "单价在50万元以上", "100万元以内", "50万元及以上", "100万元（不含）以下",
    "单价100万元", "单价为200万元的设备", "单价一百万元（含）以上", "worth RMB 1 million (inclusive) or more",
])
def test_thresholds_are_no_claims(text):
    assert find_claims(text) == []


# ---------------------------------------------------------------- the label names the figure

FIGURES = {
    "total": Figure(AMOUNT, Decimal("57152900")),
    "income.财政拨款": Figure(AMOUNT, Decimal("53700000")),
    "income.其他收入": Figure(AMOUNT, Decimal("3452900")),
    "project.lianqin.其他收入": Figure(AMOUNT, Decimal("3452900")),
    "basic": Figure(AMOUNT, Decimal("4201900")),
    "share.income.财政拨款": Figure(PERCENT, Decimal("53700000") * 100 / Decimal("57152900")),
    "share.income.其他收入": Figure(PERCENT, Decimal("3452900") * 100 / Decimal("57152900")),
}


def _named(text: str) -> list:
    claims, vocabulary, out, named = find_claims(text), Vocabulary(), [], None
    for i in range(len(claims)):
        named = vocabulary.named(text, claims, i, FIGURES, previous=named)
        out.append(None if named is None else (named.label, sorted(named.figures)))
    return out


def test_the_label_before_a_number_names_its_figures():
    assert _named("其中：其他收入5370万元，占6.04%；收入总计5715.29万元，5370万元") == [
        ("其他收入", ["income.其他收入", "project.lianqin.其他收入"]),
        ("其他收入", ["share.income.其他收入"]),  # the percentage after a labelled amount is its share
        ("收入总计", ["total"]),
        None,  # a number with no words before it since the last one: no label
    ]
    assert _named("fiscal appropriations RMB 53.7 million (93.96%); other revenue RMB 3.4529 million") == [
        ("fiscal appropriations", ["income.财政拨款"]), ("fiscal appropriations", ["share.income.财政拨款"]),
        ("other revenue", ["income.其他收入", "project.lianqin.其他收入"])]


def test_words_of_a_change_name_no_figure():
    assert _named("比上年部门收入增加1598.63万元；人员经费增加50万元；other revenue is RMB 1 million more") == [None] * 3


def test_every_label_of_the_table_names_a_figure_of_the_seed(seed):
    """A typo in a pattern (`income.其它收入`) would name nothing and silently fall back to any figure."""
    # the seed is a 事业 unit (no 机关运行经费), with no 303 lines and nothing carried over
    absent = {"*operating_costs", "change.operating_costs.pct", "economic.303*", "*.上年结转.*", "*.附属单位上缴收入.*"}
    for _zh, _en, amounts, shares in LABELS:
        for pattern in amounts + shares:
            assert (pattern in absent) != any(fnmatchcase(k, pattern) for k in seed.figures), pattern


def test_a_label_selects_the_figures_fnmatch_selects(content):
    """_select (one compiled match for all patterns, answers remembered across documents) agrees with fnmatch."""
    from generator.compute import claim_labels as cl

    patterns = {tuple(p) for _zh, _en, amounts, shares in LABELS for p in (amounts, shares) if p}
    patterns |= {("function.2*", "income.*"), ("*.total",), ("table.0[1-3]*",), ("function.21?",)}
    compared = 0
    for db in content.budgets:
        for kind in (AMOUNT, PERCENT):
            for pattern in sorted(patterns):
                selected = cl._select(db.figures, list(pattern), kind)
                every = {k: f for k, f in db.figures.items()
                         if f.kind == kind and f.value is not None and any(fnmatchcase(k, p) for p in pattern)}
                assert list(selected) == list(every), (db.slug, pattern, kind)
                compared += bool(every)
    assert compared > 50  # the patterns really name figures


def test_the_issue_8_claims_are_reported_at_their_place(tmp_path):
    zh = "其中其他收入5370万元，收入总计5370.00万元。"
    text = _assets(zh, "Other revenue RMB 53.7 million.")
    result = _load(tmp_path, text)
    found = [(i.code, i.location.line, i.location.col, i.params["figure"]) for i in result.issues]
    line, col = _at(text, zh)
    en_line, en_col = _at(text, "Other revenue RMB 53.7 million.")
    assert found == [
        ("E310", line, col + zh.index("5370万元"), "5370万元"),
        ("E310", line, col + zh.index("5370.00万元"), "5370.00万元"),
        ("E310", en_line, en_col + len("Other revenue "), "RMB 53.7 million"),
    ]
    assert {i.location.path for i in result.issues} == {PATH}
    first = result.issues[0]
    assert first.message("zh") == ("“其他收入”后的金额 5370万元 不是它所指的计算数 {{income.其他收入}} = 345.29万元"
                                   "（5370万元 是 {{income.财政拨款}} 的数）；请改用占位符（如 {{income.其他收入}}）或改正数字")
    assert first.message("en") == ("the amount 5370万元 after \u201c其他收入\u201d is not the figure it names, "
                                   "{{income.其他收入}} = RMB 3.45 million (5370万元 is {{income.财政拨款}}); "
                                   "use the placeholder (e.g. {{income.其他收入}}) or correct the number")
    assert "{{total}} = 5715.29万元" in result.issues[1].message("zh")
    assert result.failed()


def test_labelled_claims_that_agree_pass(tmp_path):
    zh = ("收入总额为5715.29万元，其中：财政拨款收入5370万元，占93.96%；其他收入345.29万元，占6.04%；"
          "基本支出420.19万元，占7.35%；项目支出5295.1万元，占92.65%；"
          "“三公”经费财政拨款预算为0万元；一般公共预算财政拨款基本支出总额为420.19万元；"
          "联勤队伍组建3715.16万元，其中一般公共预算3369.87万元；“工资福利支出”382.80万元。")
    en = ("Total revenue RMB 57.1529 million: fiscal appropriations RMB 53.7 million (93.96%), other revenue "
          "RMB 3.4529 million, or 6.04%; basic expenditure RMB 4.2019 million; official reception RMB 0.")
    assert [i.format("en") for i in _load(tmp_path, _assets(zh, en)).issues] == []


def test_a_wrong_share_after_a_labelled_amount(tmp_path):
    zh = "财政拨款收入5370万元，占6.04%。"
    result = _load(tmp_path, _assets(zh))
    (issue,) = result.issues
    assert (issue.code, issue.params["figure"]) == ("E310", "6.04%")
    assert "{{share.income.财政拨款}} = 93.96%" in issue.message("zh") and "{{share.income.其他收入}}" in issue.message("zh")


def test_chinese_numeral_claims_through_the_pipeline(tmp_path):
    zh = "财政拨款收入五千三百七十万元；其他收入五千三百七十万元；收入总额五千八百万元；共六个项目；共七个项目。"
    text = _assets(zh)
    result = _load(tmp_path, text)
    line, col = _at(text, zh)
    assert [(i.code, i.location.line, i.location.col, i.params["figure"]) for i in result.issues] == [
        ("E310", line, col + zh.index("五千三百七十万元；收入"), "五千三百七十万元"),
        ("E303", line, col + zh.index("五千八百万元"), "五千八百万元"),
        ("E303", line, col + zh.index("七个项目"), "七个项目"),
    ]


def test_a_claim_with_no_label_still_matches_any_figure(tmp_path):
    zh = "预算为5370万元；另有346万元。"
    result = _load(tmp_path, _assets(zh))
    assert [(i.code, i.params["figure"]) for i in result.issues] == [("E303", "346万元")]


def test_a_placeholder_after_a_label_must_be_a_figure_it_names(tmp_path):
    zh = "其他收入{{income.财政拨款}}，占{{share.income.其他收入}}；基本支出{{basic}}。"
    en = "other revenue {{income.其他收入}} ({{share.income.财政拨款}})"
    text = _assets(zh, en)
    result = _load(tmp_path, text)
    line, col = _at(text, zh)
    en_line, en_col = _at(text, en)
    assert [(i.code, i.location.line, i.location.col, i.params["key"]) for i in result.issues] == [
        ("E311", line, col + zh.index("{{income.财政拨款}}"), "income.财政拨款"),
        ("E311", en_line, en_col + en.index("{{share.income.财政拨款}}"), "share.income.财政拨款"),
    ]
    assert result.issues[0].message("en") == ("the placeholder {{income.财政拨款}} after \u201c其他收入\u201d is not a figure "
                                              "that label names; did you mean {{income.其他收入}}?")


def test_every_generated_paragraph_passes_its_own_label_check(seed):
    """Expanded, the generator's sentences name the figures their words say (and labels are found in them)."""
    labelled = 0
    for key, (text, _authored) in seed.paragraphs.items():
        for lang in ("zh", "en"):
            expanded = expand(text(lang), lang, seed.unit, seed.figures)
            assert check_claims(expanded, 0, seed.figures, lambda off: None, seed.unit, seed.vocabulary) == [], key
            claims = find_claims(expanded)
            named = None
            for i in range(len(claims)):
                named = seed.vocabulary.named(expanded, claims, i, seed.figures, previous=named)
                labelled += named is not None
    assert labelled >= 40


def test_a_generator_that_labels_the_wrong_figure_is_caught(tmp_path, monkeypatch):
    from generator.compute.narrative import Sentences

    wrong = {"zh": "其中：其他收入{{income.财政拨款}}。", "en": "other revenue {{income.财政拨款}}."}
    monkeypatch.setattr(Sentences, "income", lambda self: wrong[self.lang])
    result = _load(tmp_path, seed_text())
    assert [(i.code, i.params["key"], i.location.path) for i in result.issues] == [
        ("E311", "income.财政拨款", PATH), ("E311", "income.财政拨款", PATH)]


# ---------------------------------------------------------------- message fixes

def test_w213_is_silent_on_placeholder_names_but_not_on_chinese_text(tmp_path):
    text = _assets("财政拨款{{income.财政拨款}}。", "Appropriations {{income.财政拨款}} and {{ project.lianqin.一般公共预算 }}.")
    assert [i.code for i in _load(tmp_path, text).issues] == []
    text = _assets("财政拨款{{income.财政拨款}}。", "Appropriations {{income.财政拨款}} 财政拨款.")
    (issue,) = _load(tmp_path, text).issues
    assert issue.code == "W213" and "财政拨款" in issue.params["snippet"]
    # a literal prints as typed: Chinese inside it is Chinese in the English page
    text = _assets("财政拨款。", "Document {{literal: 嘉委办发〔2020〕17号}}.")
    assert [i.code for i in _load(tmp_path, text).issues] == ["W213"]


def test_w302_shows_the_two_displayed_figures_that_differ(tmp_path):
    # the project's budget 12 元 less: readers see 52,950,988.00元 in its form and 5,295.10万元 in table 03
    old = "      一般公共预算: 33698700\n      其他收入: 3452900\n"
    text = seed_text()
    assert text.count(old) == 1
    result = _load(tmp_path, text.replace(old, "      一般公共预算: 33698688\n      其他收入: 3452900\n"))
    # The two sides are shown in different units (the form in 元, table 03 in 万元): a reader can only
    # compare them to 0.01万元, where they agree, so it is no rounding difference to report.
    assert [i for i in result.issues if i.code == "W302"] == []
    # In one unit (table 03's total against its rows, both 万元) a rounding difference still is one:
    # tests/test_checks.py and tests/test_display_units.py.


def test_a_claim_in_a_reason_is_reported_once_at_its_line(tmp_path):
    old = "    zh: 增加事业编人员经费、联勤保安服务费预排三个季度\n"
    text = seed_text()
    assert text.count(old) == 1
    text = text.replace(old, "    zh: 增加事业编人员经费346万元、联勤保安服务费预排三个季度\n")
    result = _load(tmp_path, text)
    (issue,) = result.issues
    assert issue.code == "E303" and issue.params["figure"] == "346万元"
    assert (issue.location.line, issue.location.col) == _at(text, "346万元、联勤")


def test_the_reason_is_still_in_the_generated_paragraph(seed):
    """Masking the reason only affects the check, not the published text."""
    text, _ = seed.paragraphs["income"]
    assert "联勤保安服务费预排三个季度" in text("zh")


def test_check_text_without_a_vocabulary_still_checks_any_figure():
    found = check_text("另有346万元。", FIGURES, lambda off: off)
    assert [(i.code, i.location) for i in found] == [("E303", 2)]


def test_a_share_of_nothing_is_named_by_no_label():
    """With a zero total every share is undefined: a labelled percentage falls back, and nothing breaks."""
    figures = {"income.其他收入": Figure(AMOUNT, Decimal(0)), "share.income.其他收入": Figure(PERCENT, None),
               "count": Figure(PERCENT, Decimal(5))}
    found = check_claims("其他收入0万元，占5%；其他收入占比6%", 0, figures, lambda off: off, "万元", Vocabulary())
    assert [(i.code, i.params["figure"]) for i in found] == [("E303", "6%")]


def test_a_claim_right_after_an_html_tag_is_still_a_claim():
    """`>` of a tag is not a bound: '<span>9,999.99万元</span>' must be checked like any figure."""
    from generator.compute.figures import find_claims

    assert [c.written for c in find_claims("<span>9,999.99万元</span>")] == ["9,999.99万元"]
    assert [c.written for c in find_claims("<b>12.5%</b>")] == ["12.5%"]
    assert find_claims("比例 > 5%") == []
    assert find_claims("≥90%") == []
