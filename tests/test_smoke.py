from pathlib import Path

import pytest


def test_content_is_clean(content):
    assert [i.format("en") for i in content.issues] == []
    assert len(content.budgets) == 1


def test_site_builds(site: Path):
    page = site / "zh" / "2024" / "anting-city-operations" / "index.html"
    assert page.exists()


@pytest.mark.pdf
def test_site_builds_the_pdfs(site: Path):
    assert (site / "en" / "2024" / "anting-city-operations" / "anting-city-operations-2024-budget-en.pdf").exists()
