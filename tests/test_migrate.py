"""Format versions: `budget migrate` (generator.load.migrate), the loader's E230/E231/E232 and
`budget new-year` (generator.load.newyear)."""

from __future__ import annotations

import difflib
import os
import re
import stat
from pathlib import Path

import pytest
import yaml
from conftest import make_content, seed_text

from generator import cli
from generator.load.migrate import CURRENT_FORMAT, migrate_file, migrate_text
from generator.load.newyear import draft
from generator.pipeline import load_content

SEED = seed_text()
assert SEED.count("\nformat: 2\n") == 1, "the shipped seed is format 2 (budget migrate)"
FORMAT_1 = SEED.replace("\nformat: 2\n", "\n", 1)  # the seed as it was before format 2
YEAR_LINE = FORMAT_1[:FORMAT_1.index("\nyear: 2024\n")].count("\n") + 2


def _write(tmp_path: Path, text: str, name: str = "budget.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# ---------------------------------------------------------------- migrate


def test_migrating_the_seed_adds_exactly_the_format_line_before_year(tmp_path):
    path = _write(tmp_path, FORMAT_1)
    path.chmod(0o640)
    result = migrate_file(path)
    assert result.error is None and result.version == 1
    after = path.read_text(encoding="utf-8")
    diff = [d for d in difflib.ndiff(FORMAT_1.splitlines(True), after.splitlines(True)) if d[:1] in "+-"]
    assert diff == ["+ format: 2\n"]
    assert after == SEED  # the shipped file is exactly what migrate makes of its format-1 text
    assert after.splitlines()[YEAR_LINE - 1] == "format: 2" and after.splitlines()[YEAR_LINE] == "year: 2024"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["budget.yaml"]  # no temporary file left


def test_migrate_is_idempotent_and_reports_the_change_in_both_languages():
    once, changes, found = migrate_text(FORMAT_1)
    assert found == 1 and len(changes) == 1
    assert changes[0].zh == f"第 {YEAR_LINE} 行：加入 format: 2（第 2 版格式；第 1 版的内容全部保留）"
    assert changes[0].en == f"line {YEAR_LINE}: added format: 2 (format 2; everything of format 1 is kept)"
    twice, again, found = migrate_text(once)
    assert (twice, again, found) == (once, [], CURRENT_FORMAT)


@pytest.mark.parametrize("before, after", [
    ("# c\r\n\r\nyear: 2024\r\nx: 1\r\n", "# c\r\n\r\nformat: 2\r\nyear: 2024\r\nx: 1\r\n"),  # line endings kept
    ("\ufeffyear: 2024\n", "\ufeffformat: 2\nyear: 2024\n"),
    ("---\nyear: 2024  # y\n", "---\nformat: 2\nyear: 2024  # y\n"),
    ("format: 1  # old\nyear: 2024\n", "format: 2  # old\nyear: 2024\n"),
    ("{year: 2024}\n", "{format: 2, year: 2024}\n"),
])
def test_migrate_keeps_the_layout(before, after):
    assert migrate_text(before)[0] == after


@pytest.mark.parametrize("text, words", [
    ("- year: 2024\n", "not a budget file"),
    ("year: [2024\n", "not valid YAML"),
    ("format: 3\nyear: 2024\n", "newer than format 2"),
    ("format: two\nyear: 2024\n", "'two' is not a known format version"),
    ("format: 0\nyear: 2024\n", "'0' is not a known format version"),
])
def test_migrate_refuses_what_it_cannot_upgrade(tmp_path, text, words, capsys):
    path = _write(tmp_path, text)
    result = migrate_file(path)
    assert result.error is not None and words in result.error.en and result.error.zh
    assert path.read_text(encoding="utf-8") == text
    assert cli.main(["migrate", str(path), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_migrate_check_changes_nothing_and_fails_when_a_file_needs_it(tmp_path, capsys):
    content = make_content(tmp_path, {"2024/a.yaml": FORMAT_1, "2024/b.yaml": SEED})
    files = sorted((content / "budgets").rglob("*.yaml"))
    assert cli.main(["migrate", "--content", str(content), "--check", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "a.yaml: needs upgrading from format 1 to format 2" in out and "b.yaml: already format 2" in out
    assert files[0].read_text(encoding="utf-8") == FORMAT_1
    assert cli.main(["migrate", "--content", str(content), "--lang", "en"]) == 0
    assert "a.yaml: upgraded from format 1 to format 2" in capsys.readouterr().out
    assert [f.read_text(encoding="utf-8") for f in files] == [SEED, SEED]
    assert cli.main(["migrate", "--content", str(content), "--check"]) == 0
    assert "已是第 2 版格式" in capsys.readouterr().out


# ---------------------------------------------------------------- the loader


def _issues(tmp_path: Path, text: str) -> list:
    return load_content(make_content(tmp_path, {"2024/budget.yaml": text})).issues


def test_a_format_1_file_is_e230_at_its_first_key(tmp_path):
    (found,) = [i for i in _issues(tmp_path, FORMAT_1) if i.code == "E230"]
    assert found.location.line == YEAR_LINE
    assert "budget migrate" in found.message("zh") and "invoke migrate" in found.message("en")
    assert found.location.path in found.message("en")
    assert not [i for i in _issues(tmp_path, FORMAT_1) if "format" in i.format("en") and i.code != "E230"]


def test_a_file_newer_than_the_tool_is_e231_at_its_format(tmp_path):
    found = _issues(tmp_path, SEED.replace("\nformat: 2\n", "\nformat: 3\n", 1))
    (e231,) = [i for i in found if i.code == "E231"]
    assert e231.location.line == YEAR_LINE
    assert "format 3" in e231.message("en") and "upgrade the project" in e231.message("en")
    assert not [i for i in found if "format" in i.format("en") and i.code != "E231"]  # said once


def test_the_migrated_seed_loads_without_a_problem(tmp_path):
    assert [i.format("en") for i in _issues(tmp_path, SEED)] == []


# ---------------------------------------------------------------- new-year


def _data(text: str) -> dict:
    return yaml.safe_load(text)


def _amount_paths(data: dict) -> list[tuple]:
    found = [("basic", i) for i in range(len(data["basic"]))]
    found += [("procurement", i) for i in range(len(data["procurement"]))]
    return found


@pytest.mark.parametrize("source", [SEED, FORMAT_1])
def test_new_year_drafts_next_years_file(source):
    d = draft(source, "2024/anting-city-operations.yaml")
    before, after = _data(SEED), _data(d.text)
    assert (d.year, d.slug, after["year"], after["format"]) == (2025, "anting-city-operations", 2025, 2)
    for gone in ("last_year", "reasons", "declared"):
        assert gone not in after
    # every text is kept
    for key in ("department", "functions", "organisation", "special_terms", "purposes", "assets", "display_unit"):
        assert after[key] == before[key], key
    # every amount is null, with this year's in a comment on its line
    lines = d.text.splitlines()
    for old, new in zip(before["basic"], after["basic"], strict=True):
        assert new == {**old, "amount": None}
    for old, new in zip(before["procurement"], after["procurement"], strict=True):
        assert {k: v for k, v in new.items() if k not in ("amount", "reserved_sme", "reserved_micro")} == \
               {k: v for k, v in old.items() if k not in ("amount", "reserved_sme", "reserved_micro")}
        assert new["amount"] is None and new.get("reserved_sme", None) is None
    assert sum(1 for line in lines if "# 2024: 372900; 08表 30101" in line and "amount: null}" in line) == 1
    assert "      一般公共预算: null  # 2024: 33698700" in lines
    for old, new in zip(before["projects"], after["projects"], strict=True):
        assert {k: v for k, v in new.items() if k not in ("funding", "form")} == \
               {k: v for k, v in old.items() if k not in ("funding", "form")}
        assert set(new["funding"]) == set(old["funding"]) and set(new["funding"].values()) == {None}
        form, old_form = new["form"], old["form"]
        assert form["total_budget"] is None and {s["amount"] for s in form["sub_items"]} == {None}
        assert [s["name"] for s in form["sub_items"]] == [s["name"] for s in old_form["sub_items"]]
        assert form["last_year_budget"] == sum(old["funding"].values())
        assert form.get("last_year_executed") is None
        assert (form["start"].year, form["end"].year, form["filled_on"].year) == \
               (old_form["start"].year + 1, old_form["end"].year + 1, old_form["filled_on"].year + 1)
        for text in ("overview", "basis", "necessity", "safeguards", "plan", "overall_goal", "annual_goal", "indicators"):
            assert form[text] == old_form[text]
    # the comments that are not about removed parts are kept
    kept = [line for line in SEED.splitlines() if line.lstrip().startswith("#") and "08表" not in line]
    assert len([line for line in kept if line in lines]) >= len(kept) - 15  # the removed blocks' comments go
    assert lines[0] == SEED.splitlines()[0]  # the editor's schema line stays first


def test_check_lists_every_amount_to_fill(tmp_path):
    d = draft(SEED)
    issues = load_content(make_content(tmp_path, {"2024/a.yaml": SEED, "2025/a.yaml": d.text})).issues
    to_fill = [i for i in issues if i.code == "E232"]
    assert len(to_fill) == len([line for line in d.text.splitlines() if re.search(r": null\}?\s+# 2024: \d", line)]) == 49
    assert not [i for i in issues if i.code == "E114"]
    first = min(to_fill, key=lambda i: i.location.line)
    assert first.message("en") == "amount to fill in: basic.0.amount (2024: 372900)"
    assert first.message("zh") == "金额待填：basic.0.amount（2024 年为 372900）"
    assert d.text.splitlines()[first.location.line - 1].startswith("  - {function: 2120199, economic: 30101, amount: null}")


def test_new_year_writes_next_to_the_year_folder_and_refuses_to_overwrite(tmp_path, capsys):
    content = make_content(tmp_path, {"2024/anting-city-operations.yaml": SEED})
    source = content / "budgets" / "2024" / "anting-city-operations.yaml"
    out = content / "budgets" / "2025" / "anting-city-operations.yaml"
    assert cli.main(["new-year", str(source), "--lang", "en"]) == 0
    assert f"wrote the 2025 draft {out}" in capsys.readouterr().out
    assert _data(out.read_text(encoding="utf-8"))["year"] == 2025
    out.write_text("mine", encoding="utf-8")
    assert cli.main(["new-year", str(source), "--lang", "en"]) == 1
    assert "exists: not overwritten" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "mine"
    other = tmp_path / "draft.yaml"
    assert cli.main(["new-year", str(source), "-o", str(other)]) == 0
    assert cli.main(["new-year", str(source), "--force"]) == 0
    assert out.read_text(encoding="utf-8") == other.read_text(encoding="utf-8")
    assert source.read_text(encoding="utf-8") == SEED


def test_new_year_refuses_a_file_that_is_not_a_budget(tmp_path, capsys):
    path = _write(tmp_path, "department: {slug: x}\n")
    assert cli.main(["new-year", str(path), "--lang", "en"]) == 1
    assert "no 4-digit year" in capsys.readouterr().err


UNITS = """\
format: 2
year: 2025
department: {slug: d}
units:
  - slug: benbu
    basic:
      - {function: 2010301, economic: 30101, amount: 100}  # note
    projects:
      - id: p
        lines:
          - {function: 2010302, amount: 5}
          - {function: 2010399, source: 其他收入, amount: 7}
        form:
          start: 2024-02-29
          total_budget: 12
          sub_items:
            - {name: {zh: 子, en: sub}, amount: 12}
    other_spending:
      - {kind: 上缴上级支出, function: 2010301, amount: 9}
    budget:
      functions: {zh: 职能, en: functions}
      last_year: {total: 1}
      # about the reasons
      reasons:
        income: {zh: 原因, en: reason}
      declared: {total: 112}
"""


def test_new_year_drafts_every_unit():
    d = draft(UNITS)
    data = _data(d.text)
    (unit,) = data["units"]
    assert unit["budget"] == {"functions": {"zh": "职能", "en": "functions"}}
    assert "about the reasons" not in d.text
    assert unit["basic"][0]["amount"] is None and "amount: null}  # 2025: 100; note" in d.text
    assert [line["amount"] for line in unit["projects"][0]["lines"]] == [None, None]
    assert "amount: null}  # 2025: 7" in d.text and unit["other_spending"][0]["amount"] is None
    form = unit["projects"][0]["form"]
    assert (str(form["start"]), form["total_budget"], form["last_year_budget"]) == ("2025-02-28", None, 12)
    assert form["sub_items"][0]["amount"] is None
