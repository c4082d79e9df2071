from pathlib import Path

import pytest


def test_content_is_clean(content):
    assert [i.format("en") for i in content.issues] == []
    # the Anting 部门预算; the Putuo 部门预算 and the 单位预算 of its unit
    assert sorted((db.year, db.slug, db.kind) for db in content.budgets) == [
        (2024, "anting-city-operations", "department"),
        (2025, "putuo-government-office", "department"),
        (2025, "putuo-government-office/benbu", "unit"),
    ]


def test_site_builds(site: Path):
    page = site / "zh" / "2024" / "anting-city-operations" / "index.html"
    assert page.exists()


@pytest.mark.pdf
def test_site_builds_the_pdfs(site: Path):
    assert (site / "en" / "2024" / "anting-city-operations" / "anting-city-operations-2024-budget-en.pdf").exists()
