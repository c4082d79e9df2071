"""Bad input: each kind gives a clear message with the right code, line and column; every
problem of every file comes out of one run; `generator.cli check` never shows a traceback.

Each test changes exactly one thing in the shipped seed budget (`seed_text()`) and computes the
line it expects from the text it wrote.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_content, seed_text

from generator.core.diagnostics import Issue
from generator.pipeline import load_content

SEED = seed_text()
FILE = "2024/budget.yaml"
ISSUE_LINE = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[EW]\d{3}) (?P<message>.+)$")


# ---------------------------------------------------------------- helpers


def edit(old: str, new: str, text: str = SEED) -> tuple[str, int]:
    """`text` with its one occurrence of `old` replaced by `new`, and the line where it was."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new), text[:text.index(old)].count("\n") + 1


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, needle
    return text[:text.index(needle)].count("\n") + 1


def col_of(text: str, line: int, needle: str) -> int:
    """1-based column of `needle` on `line`."""
    return text.splitlines()[line - 1].index(needle) + 1


def problems(tmp_path: Path, text: str) -> list[Issue]:
    content = make_content(tmp_path, {FILE: text})
    return load_content(content).issues


def where(issues: list[Issue]) -> list[tuple[str, int | None, int | None]]:
    return [(i.code, i.location.line, i.location.col) for i in issues]


def only(issues: list[Issue], code: str, line: int, col: int | None = None) -> Issue:
    """The one issue, which must have this code and place."""
    assert len(issues) == 1, [i.format("en") for i in issues]
    (found,) = issues
    assert found.code == code, found.format("en")
    assert found.location.line == line, found.format("en")
    if col is not None:
        assert found.location.col == col, found.format("en")
    assert found.location.path.endswith("budget.yaml")
    return found


def run_check(content: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator.cli", "check", "--content", str(content), *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_the_seed_is_clean(tmp_path):
    assert problems(tmp_path, SEED) == []


# ---------------------------------------------------------------- reading the file


def test_yaml_syntax_error(tmp_path):
    text, line = edit("display_unit: 万元\n", "display_unit: 万元: 元\n")
    found = only(problems(tmp_path, text), "E102", line, col_of(text, line, ": 元"))
    assert "YAML 语法错误" in found.message("zh") and "冒号" in found.message("zh")
    assert "YAML syntax error" in found.message("en") and "colon" in found.message("en")


def test_tab_indentation(tmp_path):
    text, line = edit("  kind: 事业", "\tkind: 事业")
    found = only(problems(tmp_path, text), "E102", line, 1)
    assert "制表符" in found.message("zh")
    assert "tabs" in found.message("en")


def test_duplicate_key_names_both_lines(tmp_path):
    text, first = edit("year: 2024\n", "year: 2024\nyear: 2025\n")
    found = only(problems(tmp_path, text), "E103", first + 1, 1)
    assert f"第 {first} 行" in found.message("zh") and "'year'" in found.message("zh")
    assert f"first written on line {first}" in found.message("en")


def test_duplicate_nested_key(tmp_path):
    text, first = edit("  kind: 事业", "  kind: 事业\n  kind: 行政")
    found = only(problems(tmp_path, text), "E103", first + 1, 3)
    assert f"line {first}" in found.message("en") and "'kind'" in found.message("en")


def test_unknown_key_suggests_the_field(tmp_path):
    text, line = edit("  kind: 事业", "  knd: 事业")
    issues = problems(tmp_path, text)
    # The typo, where it was typed; and the field it should have been, where its mapping is named.
    assert where(issues) == [("E234", line_of(text, "department:"), 1), ("E104", line, 3)]
    typo = issues[1]
    assert typo.message("en") == "unknown field 'knd'; did you mean 'kind'?"
    assert typo.message("zh") == "未知的字段 'knd'；是否想写 'kind'？"
    assert "department.kind" in issues[0].message("en")


def test_unknown_top_level_key(tmp_path):
    text, line = edit("display_unit: 万元\n", "display_unt: 万元\n")
    found = only(problems(tmp_path, text), "E104", line, 1)
    assert "did you mean 'display_unit'" in found.message("en")


def test_missing_required_field_in_a_line_item(tmp_path):
    text, line = edit("  - {function: 2120199, economic: 30101, amount: 372900}", "  - {function: 2120199, economic: 30101}")
    found = only(problems(tmp_path, text), "E105", line, 5)
    assert found.message("en") == "missing required field 'basic.0.amount'"
    assert found.message("zh") == "缺少必填字段 'basic.0.amount'"


def test_missing_required_field_in_a_section(tmp_path):
    text, _ = edit("  slug: anting-city-operations\n", "")
    found = only(problems(tmp_path, text), "E105", line_of(text, "department:"), 1)
    assert "department.slug" in found.message("en")


def test_missing_value(tmp_path):
    text, line = edit("  total: 41166600", "  total:")
    found = only(problems(tmp_path, text), "E114", line)
    assert "last_year.total" in found.message("en") and "no value" in found.message("en")
    assert "没有填写值" in found.message("zh")


# ---------------------------------------------------------------- amounts


def test_negative_amount(tmp_path):
    text, line = edit("amount: 372900}", "amount: -372900}")
    found = only(problems(tmp_path, text), "E107", line, col_of(text, line, "-372900"))
    assert "-372900" in found.message("en") and "negative" in found.message("en")
    assert "不能为负数" in found.message("zh")


def test_amount_with_more_than_two_decimals(tmp_path):
    text, line = edit("amount: 372900}", "amount: 372900.123}")
    found = only(problems(tmp_path, text), "E108", line, col_of(text, line, "372900.123"))
    assert "372900.123" in found.message("en") and "at most 2 decimals" in found.message("en")
    assert "最多两位小数" in found.message("zh")


def test_amount_with_thousands_separators(tmp_path):
    text, line = edit("      一般公共预算: 33698700", "      一般公共预算: 33,698,700")
    found = only(problems(tmp_path, text), "E109", line, col_of(text, line, "33,698,700"))
    assert "'33,698,700'" in found.message("en") and "without commas" in found.message("en")
    assert "千分位" in found.message("zh")


def test_amount_with_thousands_separators_in_a_flow_mapping(tmp_path):
    """In `{…, amount: 372,900}` YAML sees amount 372 and a key 900: still reported as the amount."""
    text, line = edit("amount: 372900}", "amount: 372,900}")
    found = only(problems(tmp_path, text), "E109", line, col_of(text, line, "372,900"))
    assert "'372,900'" in found.message("en")


@pytest.mark.parametrize("typed, code, words", [
    ("372900元", "E109", "'372900元' is not a valid amount"),
    (".nan", "E109", "'.nan' is not a valid amount"),
    ("true", "E109", "'true' is not a valid amount"),
    ("[372900]", "E106", "basic.0.amount: expected an amount (one number)"),
    ("1e400", "E115", "the amount 1e400 is too large"),
])
def test_amount_that_is_not_a_plain_number(tmp_path, typed, code, words):
    text, line = edit("amount: 372900}", f"amount: {typed}}}")
    found = only(problems(tmp_path, text), code, line, col_of(text, line, typed))
    assert words in found.message("en")


# ---------------------------------------------------------------- codes


def test_code_of_the_wrong_shape(tmp_path):
    text, line = edit("function: 2120199, economic: 30101", "function: 212019, economic: 30101")
    found = only(problems(tmp_path, text), "E110", line, col_of(text, line, "212019"))
    assert found.message("en") == "code '212019' is malformed: expected 7 digits"
    assert found.message("zh") == "编码 '212019' 格式不对：应为 7 位数字"


def test_code_with_a_leading_zero_is_kept_as_typed(tmp_path):
    text, line = edit("function: 2120199, economic: 30101", "function: 2120199, economic: 0101")
    found = only(problems(tmp_path, text), "E110", line, col_of(text, line, "0101"))
    assert "'0101'" in found.message("en") and "5 digits" in found.message("en")


def test_unknown_functional_code_suggests_the_nearest(tmp_path):
    text, line = edit("function: 2120199, economic: 30101", "function: 2120198, economic: 30101")
    found = only(problems(tmp_path, text), "E201", line, col_of(text, line, "2120198"))
    assert "2120198" in found.message("en") and "did you mean '2120199'" in found.message("en")
    assert "不在分类目录中" in found.message("zh") and "是否想写 '2120199'" in found.message("zh")


def test_unknown_economic_code_suggests_the_nearest(tmp_path):
    text, line = edit("function: 2120199, economic: 30101", "function: 2120199, economic: 30198")
    found = only(problems(tmp_path, text), "E202", line, col_of(text, line, "30198"))
    assert "30198" in found.message("en") and "'30199'" in found.message("en")
    assert "经济分类科目 30198" in found.message("zh")


# ---------------------------------------------------------------- choices


def test_unknown_funding_source(tmp_path):
    text, line = edit("      一般公共预算: 33698700", "      一般公共预算资金: 33698700")
    found = only(problems(tmp_path, text), "E111", line, 7)
    assert "'一般公共预算资金'" in found.message("en") and "'一般公共预算'" in found.message("en")
    assert "不是可选值之一" in found.message("zh")


def test_wrong_enum_value(tmp_path):
    text, line = edit("  kind: 事业", "  kind: 企业")
    found = only(problems(tmp_path, text), "E111", line, 9)
    assert found.message("en") == "'企业' is not one of the allowed values: '行政', '参公' or '事业'"


def test_wrong_funding_source_of_a_basic_line(tmp_path):
    text, line = edit("amount: 372900}", "amount: 372900, source: 财政拨款}")
    found = only(problems(tmp_path, text), "E111", line, col_of(text, line, "财政拨款"))
    assert "'财政拨款'" in found.message("en") and "'上年结转'" in found.message("en")


# ---------------------------------------------------------------- whole files


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(tmp_path, text):
    found = only(problems(tmp_path, text), "E112", 1, 1)
    assert "empty" in found.message("en") and "空" in found.message("zh")


def test_top_level_list(tmp_path):
    found = only(problems(tmp_path, "- year: 2024\n"), "E112", 1, 1)
    assert "not a mapping" in found.message("en")


def test_non_utf8_file(tmp_path):
    line = line_of(SEED, "  kind: 事业")
    content = tmp_path / "content"
    (content / "budgets" / "2024").mkdir(parents=True)
    (content / "budgets" / FILE).write_bytes(_gbk_line(SEED, line))
    # The first byte that is not UTF-8 is the first byte of 事 on that line.
    found = only(load_content(content).issues, "E101", line, col_of(SEED, line, "事业"))
    assert "not UTF-8" in found.message("en") and "UTF-8 编码" in found.message("zh")


def _gbk_line(text: str, line: int) -> bytes:
    """The text as UTF-8, except `line`, which is GBK (as an editor set to GBK would save it)."""
    rows = text.split("\n")
    return b"\n".join(row.encode("gbk") if n == line else row.encode("utf-8") for n, row in enumerate(rows, start=1))


# ---------------------------------------------------------------- references and uniqueness


def test_unknown_project_in_procurement(tmp_path):
    text, line = edit("    project: richang", "    project: richng")
    found = only(problems(tmp_path, text), "E205", line, 14)
    assert found.message("en") == "there is no project 'richng'; did you mean 'richang' / 'yingji'?"
    assert "未找到项目 'richng'" in found.message("zh")


def test_duplicate_project_id(tmp_path):
    first = line_of(SEED, "  - id: lianqin")
    text, line = edit("  - id: yingji", "  - id: lianqin")
    found = only(problems(tmp_path, text), "E203", line, 9)
    assert f"first on line {first}" in found.message("en")
    assert f"第 {first} 行" in found.message("zh")


def test_duplicate_department_year_across_files(tmp_path):
    content = make_content(tmp_path, {"2024/a.yaml": SEED, "2024/b.yaml": SEED})
    result = load_content(content)
    (found,) = result.issues
    assert found.code == "E204"
    assert found.location.path.endswith("b.yaml")
    assert found.location.line == line_of(SEED, "  slug: anting-city-operations")
    assert "a.yaml" in found.message("en") and "'anting-city-operations'" in found.message("en")
    assert "2024" in found.message("zh") and "a.yaml" in found.message("zh")
    assert len(result.budgets) == 1


# ---------------------------------------------------------------- everything in one run


def test_every_problem_of_every_file_in_one_run(tmp_path):
    typo, typo_line = edit("  kind: 事业", "  knd: 事业")
    # A format problem and a meaning problem in the same file: both are reported.
    both, code_line = edit("function: 2120199, economic: 30101", "function: 2120198, economic: 30101", typo)
    negative, negative_line = edit("amount: 372900}", "amount: -372900}")
    dup, dup_line = edit("  - id: yingji", "  - id: lianqin", negative)
    syntax, syntax_line = edit("display_unit: 万元\n", "display_unit: 万元: 元\n")
    content = make_content(tmp_path, {"2024/a.yaml": both, "2024/b.yaml": dup, "2024/c.yaml": syntax, "2024/d.yaml": ""})
    department_line = line_of(SEED, "department:")
    found = {(Path(i.location.path).name, i.code, i.location.line) for i in load_content(content).issues}
    assert found == {
        ("a.yaml", "E105", department_line), ("a.yaml", "E104", typo_line), ("a.yaml", "E201", code_line),
        ("b.yaml", "E107", negative_line), ("b.yaml", "E203", dup_line),
        # b.yaml is also the same department and year as a.yaml (all are copies of the seed)
        ("b.yaml", "E204", line_of(SEED, "  slug: anting-city-operations")),
        ("c.yaml", "E102", syntax_line),
        ("d.yaml", "E112", 1),
    }


# ---------------------------------------------------------------- the command line


def test_cli_check_is_clean_on_the_shipped_content():
    result = run_check(ROOT / "content")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_check_reports_every_problem_in_both_languages(tmp_path):
    typo, typo_line = edit("  kind: 事业", "  knd: 事业")
    negative, negative_line = edit("amount: 372900}", "amount: -372900}")
    content = make_content(tmp_path, {"2024/a.yaml": typo, "2024/b.yaml": negative})
    zh = run_check(content, cwd=tmp_path)
    en = run_check(content, "--lang", "en", cwd=tmp_path)
    for result in (zh, en):
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        lines = result.stderr.splitlines()
        parsed = [ISSUE_LINE.match(line) for line in lines[:-1]]
        assert all(parsed), lines
        assert [(Path(m["path"]).name, int(m["line"]), int(m["col"]), m["code"]) for m in parsed] == [
            ("a.yaml", line_of(SEED, "department:"), 1, "E105"),
            ("a.yaml", typo_line, 3, "E104"),
            # b.yaml is a copy of the same department and year, and says so
            ("b.yaml", line_of(SEED, "  slug: anting-city-operations"), 9, "E204"),
            ("b.yaml", negative_line, col_of(negative, negative_line, "-372900"), "E107"),
        ]
        assert parsed[0]["path"] == "content/budgets/2024/a.yaml"  # relative to where it runs
    assert "未知的字段 'knd'；是否想写 'kind'？" in zh.stderr and "共 4 个错误" in zh.stderr
    assert "unknown field 'knd'; did you mean 'kind'?" in en.stderr and "4 error(s)" in en.stderr
    assert "unknown field" not in zh.stderr and "未知的字段" not in en.stderr


NASTY = {
    "tabs.yaml": "year: 2024\n\tdepartment: x\n",
    "tab-in-seed.yaml": SEED.replace("  kind: 事业", "\tkind: 事业"),
    "garbage.yaml": bytes(range(256)) * 4,
    "nul.yaml": b"year: 2024\x00\n",
    "top-level-list.yaml": "- 1\n- {a: b}\n",
    "scalar.yaml": "just some text\n",
    "wrong-types.yaml": (
        "year: {a: 1}\ndepartment: [1, 2]\nbasic: {x: 1}\nprojects: [1, 'a', {id: 5, funding: [1], form: 3}]\n"
        "three_public: 7\nprocurement: [{}]\nassets: []\nlast_year: {total: {}, three_public: []}\n"
        "narrative: {foo: bar, income: 3}\ndeclared: {x: [1]}\npurposes: {function: {abc: 1}, economic: []}\n"
        "functions: {zh: 1, en: [2]}\norganisation: {zh: '', en: null}\n"
    ),
    "nulls.yaml": "".join(f"{key}: null\n" for key in (
        "year department display_unit functions organisation special_terms basic projects three_public "
        "procurement assets last_year reasons purposes narrative declared").split()),
    "null-values.yaml": SEED.replace("amount: 372900}", "amount: null}").replace("  kind: 事业", "  kind: ~")
                            .replace("  total: 41166600", "  total:"),
    "huge.yaml": SEED.replace("amount: 372900}", "amount: 1e400}")
                     .replace("amount: 42300}", "amount: 99999999999999999999999999999999999999999999}"),
    "huge-year.yaml": SEED.replace("year: 2024\n", "year: 99999999999999999999999999999\n"),
    "codes.yaml": SEED.replace("function: 2120199, economic: 30101", "function: 0101, economic: 0101")
                      .replace("    2120199:  #", "    0101:  #"),
    "recursive-alias.yaml": "a: &x [*x]\n",
    "alias-bomb.yaml": "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)),
    "deep.yaml": "year: " + "[" * 3000 + "]" * 3000 + "\n",
    "documents.yaml": "year: 2024\n---\nyear: 2025\n",
    "complex-key.yaml": "? [a, b]\n: 1\n",
    "python-tag.yaml": "year: !!python/object/apply:os.system ['echo hi']\n",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_check_never_shows_a_traceback(tmp_path, lang):
    content = tmp_path / "content"
    (content / "budgets" / "2024").mkdir(parents=True)
    for name, text in NASTY.items():
        (content / "budgets" / "2024" / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = run_check(content, "--lang", lang, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines, output
    bad = [line for line in lines[:-1] if not ISSUE_LINE.match(line)]
    assert bad == []
    reported = {Path(ISSUE_LINE.match(line)["path"]).name for line in lines[:-1]}
    assert reported == set(NASTY)
    summary = lines[-1]
    assert ("个错误" in summary) if lang == "zh" else ("error(s)" in summary)
    if lang == "en":  # no Chinese message text leaks into the English messages (file content may be quoted)
        assert "无法" not in result.stderr and "缺少" not in result.stderr and "取值无效" not in result.stderr
