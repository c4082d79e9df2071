"""Semantic checks (generator/reconcile/semantic.py): data that reconciles but cannot be right.

Each test breaks the shipped seed budget (`seed_text()`) in one place and expects the check's
code at the line and column it wrote; each check also passes on the shipped content.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, make_content, seed_text

from generator.catalogue import load as load_catalogue
from generator.core.diagnostics import MESSAGES, Issue
from generator.pipeline import load_content
from generator.reconcile.semantic import pairing_rules

SEED = seed_text()
FILE = "2024/budget.yaml"
CODES = ("E220", "W221", "W222", "W223", "E224", "W225")


def edit(old: str, new: str, text: str = SEED, count: int | None = 1) -> tuple[str, int]:
    """`text` with `old` (which must occur `count` times, or at least once if None) replaced
    once by `new`, and the line where it was."""
    if count is not None:
        assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times"
    assert old in text, old
    return text.replace(old, new, 1), text[:text.index(old)].count("\n") + 1


def col_of(text: str, line: int, needle: str) -> int:
    return text.splitlines()[line - 1].index(needle) + 1


def issues_of(tmp_path: Path, text: str, code: str) -> list[Issue]:
    content = make_content(tmp_path, {FILE: text})
    return [i for i in load_content(content).issues if i.code == code]


def at(issues: list[Issue]) -> list[tuple[int | None, int | None]]:
    return [(i.location.line, i.location.col) for i in issues]


def test_the_shipped_content_triggers_no_semantic_check(content):
    assert [i.format("en") for i in content.issues if i.code in CODES] == []


def test_every_code_has_a_bilingual_message():
    for code in CODES:
        zh, en = MESSAGES[code]
        assert zh and en and zh != en


# ---------------------------------------------------------------- E220 三公 line items


THREE_PUBLIC_LINE = "  - {function: 2120199, economic: 30227, amount: 130000}"


def test_basic_line_on_a_three_public_code_without_three_public(tmp_path):
    text, line = edit(THREE_PUBLIC_LINE, THREE_PUBLIC_LINE + "\n  - {function: 2120199, economic: 30217, amount: 130000}")
    found = issues_of(tmp_path, text, "E220")
    assert at(found) == [(line + 1, col_of(text, line + 1, "30217"))]
    assert "130,000.00" in found[0].message("en") and "0.00" in found[0].message("en")
    assert "公务接待费" in found[0].message("zh")


def test_three_public_smaller_than_the_line_items(tmp_path):
    text, line = edit(THREE_PUBLIC_LINE, THREE_PUBLIC_LINE + "\n  - {function: 2120199, economic: 30231, amount: 50000}")
    text, _ = edit("three_public: []", "three_public:\n  - {kind: 公务用车运行费, amount: 40000}", text)
    assert at(issues_of(tmp_path, text, "E220")) == [(line + 1, col_of(text, line + 1, "30231"))]


def test_three_public_covering_the_line_items_passes(tmp_path):
    text, _ = edit(THREE_PUBLIC_LINE, THREE_PUBLIC_LINE + "\n  - {function: 2120199, economic: 30217, amount: 130000}")
    # a project may carry 三公 spending no economic code shows, so more than the lines is fine
    text, _ = edit("three_public: []", "three_public:\n  - {kind: 公务接待费, amount: 150000}", text)
    assert issues_of(tmp_path, text, "E220") == []


def test_three_public_code_paid_from_other_income_is_not_table_09s(tmp_path):
    text, _ = edit(THREE_PUBLIC_LINE, THREE_PUBLIC_LINE
                   + "\n  - {function: 2120199, economic: 30217, amount: 130000, source: 其他收入}")
    assert issues_of(tmp_path, text, "E220") == []


# ---------------------------------------------------------------- W221 机关运行经费


def _without_public_costs(text: str) -> str:
    for line in text.splitlines(keepends=True):
        if "economic: 302" in line and line.startswith("  - {function"):
            text = text.replace(line, "")
    return text


@pytest.mark.parametrize("kind", ["行政", "参公"])
def test_administrative_unit_without_operating_costs(tmp_path, kind):
    text, line = edit("  kind: 事业", f"  kind: {kind}", _without_public_costs(SEED))
    assert at(issues_of(tmp_path, text, "W221")) == [(line, col_of(text, line, kind))]


def test_administrative_unit_whose_public_costs_are_all_other_income(tmp_path):
    text = SEED
    for code in ("30201", "30205", "30216", "30227"):
        old = next(s for s in text.splitlines() if f"economic: {code}," in s)
        text, _ = edit(old, old.replace("}", ", source: 其他收入}", 1), text)
    text, line = edit("  kind: 事业", "  kind: 行政", text)
    assert at(issues_of(tmp_path, text, "W221")) == [(line, col_of(text, line, "行政"))]


def test_administrative_unit_with_operating_costs_passes(tmp_path):
    text, _ = edit("  kind: 事业", "  kind: 行政")
    assert issues_of(tmp_path, text, "W221") == []


# ---------------------------------------------------------------- W222 function × economic


@pytest.mark.parametrize("old, function", [
    ("{function: 2080505, economic: 30108", "2101102"),  # pension contributions under health
    ("{function: 2080506, economic: 30109", "2120199"),
    ("{function: 2101102, economic: 30110", "2080505"),
    ("{function: 2210201, economic: 30113", "2120199"),
])
def test_implausible_function_for_an_economic_code(tmp_path, old, function):
    text, line = edit(old, old.replace(old[11:18], function))
    found = issues_of(tmp_path, text, "W222")
    assert at(found) == [(line, col_of(text, line, function))]
    assert found[0].severity == "warning"
    assert function in found[0].message("zh") and old[-5:] in found[0].message("en")


def test_one_warning_per_line(tmp_path):
    old = "  - {function: 2080505, economic: 30108, amount: 410800}"
    text, line = edit(old, old.replace("2080505", "2101102") + "\n" + old.replace("2080505", "2120199"))
    assert at(issues_of(tmp_path, text, "W222")) == [(line, 16), (line + 1, 16)]


def test_pairing_rules_name_known_codes():
    cat = load_catalogue()
    rules = pairing_rules()
    assert {"30108", "30109", "30110", "30113"} <= set(rules)
    for economic, allowed in rules.items():
        assert economic in cat.economic
        assert allowed and all(prefix in cat.functional for prefix in allowed)


# ---------------------------------------------------------------- W223 reasons


INCOME_ZH = "    zh: 增加事业编人员经费、联勤保安服务费预排三个季度"
INCOME_EN = "    en: the increase in funding for staff on public-institution establishment posts and the advance"


@pytest.mark.parametrize("new, word", [
    ("    zh: 减少事业编人员经费、联勤保安服务费预排三个季度", "减少"),
    ("    zh: 压减一般性支出、联勤保安服务费预排三个季度", "压减"),
    ("    zh: 增加事业编人员经费，收入减少", "收入减少"),  # the total's own direction, stated
])
def test_reason_says_decrease_where_the_data_increase(tmp_path, new, word):
    text, line = edit(INCOME_ZH, new)
    found = issues_of(tmp_path, text, "W223")
    assert at(found) == [(line, col_of(text, line, word))]
    assert word in found[0].message("zh") and "增加" in found[0].message("zh")


def test_english_reason_says_decrease(tmp_path):
    text, line = edit(INCOME_EN,
                      "    en: the decrease in funding for staff on public-institution establishment posts and the advance")
    assert at(issues_of(tmp_path, text, "W223")) == [(line, col_of(text, line, "decrease"))]


def test_reason_says_increase_where_the_data_decrease(tmp_path):
    text, _ = edit("  total: 41166600", "  total: 61166600")  # last year more than this year
    found = issues_of(tmp_path, text, "W223")
    # both reasons, both languages, say 增加 / increase
    assert len(found) == 4, [i.format("en") for i in found]
    assert all("减少" in i.message("zh") for i in found)


def test_reason_naming_decreases_of_parts_passes(tmp_path):
    text, _ = edit(INCOME_ZH, "    zh: 增加事业编人员经费，压减一般性支出")
    assert issues_of(tmp_path, text, "W223") == []


# ---------------------------------------------------------------- E224 form periods


PERIOD = "      start: 2024-01-01\n      end: 2024-12-31"


@pytest.mark.parametrize("start, end, which", [
    ("2023-01-01", "2023-12-31", "end"),
    ("2025-01-01", "2025-06-30", "start"),
])
def test_form_period_outside_the_budget_year(tmp_path, start, end, which):
    text, line = edit(PERIOD, f"      start: {start}\n      end: {end}", count=None)
    line += which == "end"
    found = issues_of(tmp_path, text, "E224")
    assert at(found) == [(line, 14 if which == "start" else 12)]
    assert "2024" in found[0].message("en")


def test_form_period_overlapping_the_budget_year_passes(tmp_path):
    text, _ = edit(PERIOD, "      start: 2023-07-01\n      end: 2024-06-30", count=None)
    assert issues_of(tmp_path, text, "E224") == []


# ---------------------------------------------------------------- W225 placeholder text


FUNCTION_ITEM = "    7. 安全生产监管等具体工作。"


@pytest.mark.parametrize("placeholder", ["……", "…", "XX", "xx", "ＸＸ", "XXX", "待填写", "待补充", "（略）", "(略)",
                                         "TODO", "TBD", "???"])
def test_placeholder_in_prose(tmp_path, placeholder):
    text, line = edit(FUNCTION_ITEM, f"    7. 安全生产监管等{placeholder}工作。")
    found = issues_of(tmp_path, text, "W225")
    assert at(found) == [(line, col_of(text, line, placeholder))]
    assert placeholder in found[0].message("en")


@pytest.mark.parametrize("word", ["XXL", "Xbox", "TODOS", "Max", "?"])
def test_words_that_are_not_placeholders(tmp_path, word):
    text, _ = edit(FUNCTION_ITEM, f"    7. 安全生产监管等{word}工作。")
    assert issues_of(tmp_path, text, "W225") == []


def test_placeholder_in_a_name_and_an_indicator(tmp_path):
    text, name_line = edit("      zh: 联勤队伍组建\n", "      zh: XX队伍组建\n")
    target = "            zh: 社区网格30个，农村网格34个，筹建组11个，派出所3个"
    text, target_line = edit(target, target.replace("社区网格30个", "社区网格待填写"), text)
    found = issues_of(tmp_path, text, "W225")
    assert (name_line, col_of(text, name_line, "XX")) in at(found)
    assert (target_line, col_of(text, target_line, "待填写")) in at(found)


def test_placeholder_in_english_text(tmp_path):
    old = "    7. safety production supervision and other specific work."
    text, line = edit(old, "    7. safety production supervision and TBD.")
    assert at(issues_of(tmp_path, text, "W225")) == [(line, col_of(text, line, "TBD"))]


def test_placeholder_text_in_a_markdown_page_is_reported_at_its_line(tmp_path):
    """W225 covers content/pages/*.md too, not only budget files."""
    from generator.pipeline import page_issues

    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "about.md").write_text("Title: 关于\nLang: zh\n\n本页介绍……\n\n联系电话：待填写\n", encoding="utf-8")
    found = [(i.code, i.location.line) for i in page_issues(tmp_path / "content", root=tmp_path)]
    assert ("W225", 4) in found and ("W225", 6) in found
    assert not [i for i in page_issues(ROOT / "content", root=ROOT) if i.code == "W225"]
