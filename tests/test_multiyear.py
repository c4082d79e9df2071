"""Last year's figures stated in a budget reconcile with last year's own file, once it exists."""

from conftest import make_content, seed_text

from generator.pipeline import load_content


def _codes(content):
    return [(i.code, i.location.line) for i in content.issues]


def test_stated_last_year_total_must_match_last_years_file(tmp_path):
    this_year = seed_text()
    last_year = this_year.replace("\nyear: 2024\n", "\nyear: 2023\n", 1)  # its total is 57,152,900 元
    root = make_content(tmp_path, {"2024/a.yaml": this_year, "2023/a.yaml": last_year})
    content = load_content(root, root=tmp_path)
    line = this_year.splitlines().index("  total: 41166600") + 1
    assert ("E306", line) in _codes(content)
    (issue,) = [i for i in content.issues if i.code == "E306"]
    assert issue.location.path.endswith("2024/a.yaml")
    assert "41,166,600.00" in issue.message("en") and "57,152,900.00" in issue.message("en")


def test_matching_last_year_is_clean(tmp_path):
    this_year = seed_text().replace("  total: 41166600", "  total: 57152900", 1)
    last_year = seed_text().replace("\nyear: 2024\n", "\nyear: 2023\n", 1)
    root = make_content(tmp_path, {"2024/a.yaml": this_year, "2023/a.yaml": last_year})
    content = load_content(root, root=tmp_path)
    assert "E306" not in [i.code for i in content.issues]
    years = sorted(db.year for db in content.budgets)
    assert years == [2023, 2024]
    # The narrative now compares with an unchanged total: 持平, no change figure.
    (db,) = [d for d in content.budgets if d.year == 2024]
    income, _ = db.paragraphs["income"]
    assert "持平" in income.zh and "unchanged" in income.en
