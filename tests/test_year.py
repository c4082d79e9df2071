"""The year is a 4-digit number: other spellings are E113, and two files for one department and
year are refused (E204) however the years are spelled."""

from __future__ import annotations

import pytest
from conftest import make_content, run_pelican, seed_text

from generator.pipeline import load_content

SEED = seed_text()
assert "\nyear: 2024\n" in SEED
YEAR_LINE = SEED[:SEED.index("\nyear: 2024\n")].count("\n") + 2
SLUG_LINE = SEED[:SEED.index("\n  slug: ")].count("\n") + 2


def with_year(spelling: str) -> str:
    return SEED.replace("\nyear: 2024\n", f"\nyear: {spelling}\n")


@pytest.mark.parametrize("spelling", ["2024.0", "02024", "+2024", "2_024", "2024.", "'2024.0'", "0x7E8", "2.024e3"])
def test_a_year_not_written_as_4_digits_is_e113_at_its_place(tmp_path, spelling):
    result = load_content(make_content(tmp_path, {"2024/a.yaml": with_year(spelling)}))
    assert [i.format("en") for i in result.issues if i.severity == "error"] == [
        f"{tmp_path}/content/budgets/2024/a.yaml:{YEAR_LINE}:7: E113 the year {spelling.strip(chr(39))!r} "
        "is not written as 4 digits: write it like 2024"]
    assert result.budgets == []


@pytest.mark.parametrize("spelling", ["2024", "'2024'", '"2024"'])
def test_four_digits_quoted_or_not_are_the_year(tmp_path, spelling):
    result = load_content(make_content(tmp_path, {"2024/a.yaml": with_year(spelling)}))
    assert result.issues == []
    assert [db.year for db in result.budgets] == [2024]


@pytest.mark.parametrize("spelling", ["2024", "'2024'", "2024.0", "02024", "+2024", "2_024"])
def test_two_files_for_one_department_and_year_are_refused_however_spelled(tmp_path, spelling):
    content = make_content(tmp_path, {"2024/a.yaml": SEED, "2024/b.yaml": with_year(spelling)})
    result = load_content(content)
    duplicates = [i for i in result.issues if i.code == "E204"]
    assert len(duplicates) == 1 and duplicates[0].location.path.endswith("b.yaml"), [i.format("en") for i in result.issues]
    assert duplicates[0].format("en").endswith(f"E204 department 'anting-city-operations' for 2024 is already defined in "
                                               f"{tmp_path}/content/budgets/2024/a.yaml")
    assert result.failed(strict=False)
    assert [(db.slug, db.year) for db in result.budgets] == [("anting-city-operations", 2024)]


def test_the_build_refuses_a_spelled_duplicate_without_a_traceback(tmp_path):
    content = make_content(tmp_path, {"2024/a.yaml": SEED, "2024/b.yaml": with_year("2024.0")})
    out = tmp_path / "output"
    result = run_pelican(content, out, "BUDGET_PDF=false", 'BUDGET_MESSAGES_LANG="en"')
    text = result.stdout + result.stderr
    assert result.returncode == 1, text
    assert "Traceback" not in text
    assert f"b.yaml:{YEAR_LINE}:7: E113" in text and f"b.yaml:{SLUG_LINE}:9: E204" in text
    assert not out.exists()
