"""The classification catalogue: every code printed in the real documents is in it with the printed
name, editions are picked by the budget year, local additions load (and their problems have places),
an unknown code is reported once with its count, and `budget catalogue` prints the catalogue in force.

The real documents' codes come from copies kept in tests/fixtures (CI has no /work/shared):
reference/*.csv (the shared reference: codes read in 13 Shanghai budgets, 2023-2026) and
putuo/*.txt (the text of the Putuo 2025 department and unit budgets, tables 02/03/05/08)."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, seed_text

from generator import catalogue
from generator.catalogue import EDITIONS, edition_for, load
from generator.catalogue.listing import counts
from generator.load.source import read_text
from generator.load.validate import check_meaning

FIXTURES = Path(__file__).parent / "fixtures"
KIND = {3: None, 5: None, 7: "functional"}
# a table row of pdftotext -layout: 类 [款 [项]] name amount…; a long name may wrap onto the next line
ROW = re.compile(r"^\s*(\d{3})(?:\s+(\d{2}))?(?:\s+(\d{2}))?\s+([^\s\d,.]\S*)\s+[\d,]+\.\d{2}")
WRAPPED = re.compile(r"^\s{8,}([^\s\d,.]+)\s*$")


def printed(path: Path) -> dict[tuple[str, str], set[str]]:
    """(kind, code) -> the names printed for it in a budget's text. Economic codes start with 3."""
    found: dict[tuple[str, str], set[str]] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        m = ROW.match(line)
        if not m:
            continue
        code, name = "".join(g for g in m.groups()[:3] if g), m.group(4)
        follow = WRAPPED.match(lines[n + 1]) if n + 1 < len(lines) else None
        if follow:
            name += follow.group(1)
        kind = "economic" if code.startswith("3") else "functional"
        found.setdefault((kind, code), set()).add(name)
    return found


def reference_rows() -> list[tuple[str, dict[str, str]]]:
    rows = []
    for kind in ("functional", "economic"):
        with (FIXTURES / "reference" / f"{kind}_classification.csv").open(encoding="utf-8", newline="") as fh:
            rows += [(kind, r) for r in csv.DictReader(fh)]
    return rows


PUTUO = sorted((FIXTURES / "putuo").glob("*.txt"))


def test_the_putuo_texts_are_read():
    for path in PUTUO:
        codes = printed(path)
        assert len(codes) == 49, path.name  # 20 functional + 29 economic rows in tables 02/03/05/08
        assert codes[("functional", "2010399")] == {"其他政府办公厅（室）及相关机构事务支出"}  # wrapped in the unit text


@pytest.mark.parametrize("edition", sorted(EDITIONS))
def test_every_code_of_the_reference_is_in_every_edition_with_its_name(edition):
    cat = load(edition)
    for kind, row in reference_rows():
        entry = cat.table(kind).get(row["code"])
        assert entry is not None, (edition, kind, row["code"], row["name_zh"])
        assert entry.zh == row["name_zh"], (edition, row["code"])
        assert entry.level == row["level"]
        assert entry.verified and set(row["source"].split(";")) <= set(entry.source.split(";")), row["code"]


@pytest.mark.parametrize("path", PUTUO, ids=lambda p: p.name)
def test_every_code_printed_in_the_putuo_budgets_is_in_the_2025_catalogue_with_the_printed_name(path):
    cat = load(2025)
    source = "REF-PUTUO25U" if "unit" in path.name else "REF-PUTUO25D"
    for (kind, code), names in printed(path).items():
        entry = cat.table(kind).get(code)
        assert entry is not None, (kind, code, names)
        assert names == {entry.zh}, (code, names, entry.zh)
        assert source in entry.source.split(";"), code


def test_every_row_has_its_sources_defined_and_the_editions_are_well_formed():
    defined = (ROOT / "generator" / "catalogue" / "SOURCES.md").read_text(encoding="utf-8") \
        + (FIXTURES / "reference" / "SOURCES.md").read_text(encoding="utf-8")
    for edition in EDITIONS:
        cat = load(edition)
        for kind in ("functional", "economic"):
            for code, e in cat.table(kind).items():
                assert e.level == {3: "类", 5: "款", 7: "项"}[len(code)], code
                assert len(code) == 3 or code[:-2] in cat.table(kind), f"{code} has no parent"
                assert e.zh and e.en and e.en_source
                for sid in e.source.split(";"):
                    assert sid == "unverified" or sid in defined, (code, sid)
                assert e.official_en == (e.en_source != "project")
                if e.official_en:
                    assert e.en_source in defined


def test_the_welfare_codes_are_complete():
    """20810 社会福利: an ordinary 福利院 budget uses 2081005; a missing 项 made check suggest 殡葬 instead."""
    cat = load(2025)
    assert {c: e.zh for c, e in cat.functional.items() if c.startswith("20810") and len(c) == 7} == {
        "2081001": "儿童福利", "2081002": "老年福利", "2081003": "康复辅具", "2081004": "殡葬",
        "2081005": "社会福利事业单位", "2081006": "养老服务", "2081099": "其他社会福利支出"}


def test_the_budget_year_picks_the_edition():
    assert edition_for(2024) == 2024 and edition_for(2025) == 2025 and edition_for(2026) == 2026
    assert edition_for(2023) == min(EDITIONS) and edition_for(2031) == max(EDITIONS) and edition_for(None) == max(EDITIONS)
    assert load(2027).edition == 2026 and load(2020).edition == 2024 and load().edition == 2026
    assert load(2025) is load(2025)  # cached


def test_a_row_belongs_to_the_editions_from_since_to_until(monkeypatch):
    original = catalogue._rows
    rows = list(original("functional.csv"))
    i = next(n for n, r in enumerate(rows) if r["code"] == "2081005")
    rows[i] = {**rows[i], "since": "2026"}
    rows.append({**rows[i], "code": "2081007", "since": "", "until": "2024"})
    monkeypatch.setattr(catalogue, "_rows", lambda name: tuple(rows) if name == "functional.csv" else original(name))
    catalogue._edition_tables.cache_clear()
    try:
        assert "2081005" not in catalogue._edition_tables(2025)[0] and "2081005" in catalogue._edition_tables(2026)[0]
        assert "2081007" in catalogue._edition_tables(2024)[0] and "2081007" not in catalogue._edition_tables(2025)[0]
    finally:
        catalogue._edition_tables.cache_clear()


# ---------------------------------------------------------------- local additions


def write_local(tmp_path: Path, text: str, year: int = 2025) -> Path:
    (tmp_path / "catalogue").mkdir(exist_ok=True)
    (tmp_path / "catalogue" / f"{year}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_local_code_is_added_and_marked(tmp_path):
    content = write_local(tmp_path, "functional:\n"
                                    "  - {code: '2081098', zh: 测试福利, en: Test welfare, source: 区财政局 2025-03 通知}\n"
                                    "economic:\n  - {code: '30298', zh: 测试费, en: Test fees, source: 区财政局}\n")
    cat = load(2025, content)
    assert cat.issues == []
    entry = cat.functional["2081098"]
    assert entry.local and not entry.verified and not entry.official_en and entry.level == "项"
    assert entry.source == "区财政局 2025-03 通知" and cat.economic["30298"].local
    assert not cat.functional["2081005"].local and "2081098" not in load(2025).functional
    assert "2081098" not in load(2026, content).functional  # the file of 2025 is for 2025 budgets
    assert counts(cat)["functional"]["local"] == 1


def test_the_local_file_is_read_again_when_it_changes(tmp_path):
    content = write_local(tmp_path, "functional:\n  - {code: '2081098', zh: 甲, en: A, source: s}\n")
    assert load(2025, content).functional["2081098"].zh == "甲"
    path = content / "catalogue" / "2025.yaml"
    path.write_text("functional:\n  - {code: '2081098', zh: 乙乙, en: B, source: s}\n", encoding="utf-8")
    import os
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert load(2025, content).functional["2081098"].zh == "乙乙"


def test_a_local_row_naming_a_code_of_the_edition_differently_is_an_error(tmp_path):
    content = write_local(tmp_path, "functional:\n"
                                    "  - {code: '2081005', zh: 社会福利事业单位, en: Same, source: s}\n"
                                    "  - {code: '2081004', zh: 殡葬事务, en: Other, source: s}\n")
    cat = load(2025, content)
    assert [(i.code, i.location.line, i.location.col) for i in cat.issues] == [("E228", 3, 27)]
    assert "殡葬事务" in cat.issues[0].message("zh") and "'殡葬'" in cat.issues[0].message("en")
    assert cat.issues[0].location.path.endswith("catalogue/2025.yaml")
    assert cat.functional["2081004"].zh == "殡葬" and not cat.functional["2081005"].local


@pytest.mark.parametrize("text, code, line, col, words", [
    ("functional:\n  - {code: '20810981', zh: a, en: b, source: c}\n", "E227", 2, 12, "has 3 / 5 / 7 digits"),
    ("functional:\n  - {code: '2081098', zh: a, en: b}\n", "E227", 2, 5, "missing field 'source'"),
    ("functional:\n  - {code: '2081098', zh: a, en: b, source: c, note: d}\n", "E227", 2, 48, "unknown field 'note'"),
    ("functional:\n  - {code: '2081098', zh: '', en: b, source: c}\n", "E227", 2, 27, "zh should be a non-empty text"),
    ("functionals:\n  - {code: '2081098', zh: a, en: b, source: c}\n", "E227", 1, 1, "unknown key 'functionals'"),
    ("functional: {code: '2081098'}\n", "E227", 1, 13, "should be a list"),
    ("functional:\n  - {code: '2081098', zh: a, en: b, source: c\n", "E227", 3, 1, "YAML syntax error"),
    ("economic:\n  - {code: '3029', zh: a, en: b, source: c}\n", "E227", 2, 12, "economic code has 3 / 5 digits"),
    ("functional:\n  - {code: '2089801', zh: a, en: b, source: c}\n", "E229", 2, None, "no parent 20898"),
    ("functional:\n  - {code: '2081098', zh: a, en: b, source: c}\n  - {code: '2081098', zh: a, en: b, source: c}\n",
     "E227", 3, 12, "listed twice (first on line 2)"),
    ("- a\n", "E227", 1, 1, "should be a mapping"),
])
def test_a_malformed_local_file_gives_an_issue_at_its_place_and_never_raises(tmp_path, text, code, line, col, words):
    cat = load(2025, write_local(tmp_path, text))
    assert [(i.code, i.location.line, i.location.col) for i in cat.issues] == [(code, line, col)], \
        [i.format("en") for i in cat.issues]
    assert words in cat.issues[0].message("en")
    assert cat.issues[0].message("zh") != cat.issues[0].message("en")


def test_a_local_kuan_can_carry_its_own_xiang(tmp_path):
    content = write_local(tmp_path, "functional:\n  - {code: '2089801', zh: 乙, en: B, source: s}\n"
                                    "  - {code: '20898', zh: 甲, en: A, source: s}\n")
    cat = load(2025, content)
    assert cat.issues == [] and cat.functional["20898"].level == "款" and cat.functional["2089801"].local


# ---------------------------------------------------------------- E201/E202: one per code


def meaning(text: str, cat=None):
    src, issues = read_text(text, "budget.yaml")
    assert src is not None and issues == []
    return check_meaning(None, src, cat or load(2024))


def test_an_unknown_code_is_reported_once_with_the_count_of_lines():
    text = seed_text()
    uses = text.count("function: 2120199")
    assert uses >= 10
    found = [i for i in meaning(text.replace("function: 2120199", "function: 2120198")) if i.code == "E201"]
    assert len(found) == 1, [i.format("en") for i in found]
    (e201,) = found
    first = next(n for n, line in enumerate(text.splitlines(), 1) if "function: 2120199" in line)
    assert e201.location.line == first
    en, zh = e201.message("en"), e201.message("zh")
    assert f"used on {uses} line(s)" in en and f"共 {uses} 行使用" in zh and "2024 edition" in en
    assert "did you mean '2120199' (Other urban and rural community management affairs)" in en
    assert "'2120199'（其他城乡社区管理事务支出）" in zh
    assert "content/catalogue/2024.yaml" in en and "functional: [{code: '2120198', zh: …, en: …, source: …}]" in en
    assert "content/catalogue/2024.yaml" in zh


def test_an_unknown_economic_code_is_reported_once_too():
    text = seed_text().replace("economic: 30101,", "economic: 30198,").replace("economic: 30102,", "economic: 30198,")
    found = [i for i in meaning(text) if i.code == "E202"]
    assert len(found) == 1 and "used on 2 line(s); also lines" in found[0].message("en")
    assert "'30199' (Other wages and benefits)" in found[0].message("en") or "'30199'" in found[0].message("en")


def test_a_project_name_suggests_a_code_by_name():
    """A 福利院 project on a code the catalogue lacks: the code named like the project is suggested."""
    text = seed_text()
    old = "      zh: 联勤队伍组建\n      en: Formation of the Joint Duty Team\n    function: 2120199\n"
    assert text.count(old) == 1
    text = text.replace(old, "      zh: 老年福利院护理服务\n      en: Care at the home for older people\n    function: 2081097\n")
    (e201,) = [i for i in meaning(text) if i.code == "E201"]
    assert "codes named like the lines: '2081002' (Welfare for older people)" in e201.message("en"), e201.message("en")
    assert "'2081002'（老年福利）" in e201.message("zh")


def test_an_unknown_code_that_another_edition_has_is_named_with_its_name_there(monkeypatch):
    cat = load(2024)
    monkeypatch.setattr(type(cat), "elsewhere", lambda self, code, kind: [(2026, load(2026).functional["2081004"])])
    (e201,) = [i for i in meaning(seed_text().replace("function: 2120199", "function: 2120198"), cat) if i.code == "E201"]
    assert "2120198 is in the 2026 edition as 'Funeral services' (殡葬)" in e201.message("en")
    assert "2120198 在 2026 年版中为“殡葬”" in e201.message("zh")


def test_a_local_code_is_known_to_check(tmp_path):
    content = write_local(tmp_path, "functional:\n  - {code: '2120198', zh: 测试, en: Test, source: s}\n", 2024)
    text = seed_text().replace("function: 2120199", "function: 2120198")
    assert [i for i in meaning(text, load(2024, content)) if i.code == "E201"] == []


# ---------------------------------------------------------------- the command line


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", "catalogue", *args], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")


def test_the_cli_prints_the_catalogue_in_force(tmp_path):
    done = run_cli("--year", "2025", "--content", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "2025: 2025年政府收支分类科目 (2025)"
    assert re.match(r"  functional: \d+ rows, \d+ verified, \d+ unverified, \d+ official English, 0 local", lines[1])
    assert any(line.startswith("2081005 项 ?") and "社会福利事业单位" in line for line in lines)
    assert any(line.startswith("2010301 项 ✓") and "GBC-BGS25" in line for line in lines)


def test_the_cli_json_marks_local_rows_and_reports_the_local_files_problems(tmp_path):
    write_local(tmp_path, "functional:\n  - {code: '2081098', zh: 测试, en: Test, source: s}\n"
                          "  - {code: '2081004', zh: 错, en: Wrong, source: s}\n", 2027)
    done = run_cli("--year", "2027", "--content", str(tmp_path), "--json")
    assert done.returncode == 1  # the local file has an error
    data = json.loads(done.stdout)
    assert data["year"] == 2027 and data["edition"] == 2026
    assert data["counts"]["functional"]["local"] == 1
    (row,) = [r for r in data["functional"] if r["code"] == "2081098"]
    assert row["local"] and not row["verified"]
    assert [i["code"] for i in data["issues"]] == ["E228"]
    assert {c: data["counts"][k]["total"] for k, c in (("functional", "f"), ("economic", "e"))} == {
        "f": len(load(2026).functional) + 1, "e": len(load(2026).economic)}


def test_sources_md_gives_the_row_counts_of_every_edition():
    text = (ROOT / "generator" / "catalogue" / "SOURCES.md").read_text(encoding="utf-8")
    for edition in EDITIONS:
        c = counts(load(edition))
        cells = " | ".join(" / ".join(str(c[k][f]) for f in ("total", "verified", "unverified", "official_en"))
                           for k in ("functional", "economic"))
        assert f"| {edition} | {cells} |" in text, edition


def test_an_edition_difference_read_in_real_documents():
    """22198 is printed as 超长期特别国债安排的支出 in a 2025 document (GBC-YC25JS) and as
    其他住房保障支出 in a 2026 one (GBC-SQ26U): each budget year reads its own edition's name."""
    assert catalogue.load(2025).functional["22198"].zh == "超长期特别国债安排的支出"
    assert catalogue.load(2026).functional["22198"].zh == "其他住房保障支出"
    assert catalogue.load(2024).functional["22198"].zh == "超长期特别国债安排的支出"
