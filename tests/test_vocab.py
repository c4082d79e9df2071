"""One definition per vocabulary: a new income source and a tenth table, added from test
fixtures only (tests/fixtures/tenth_table: a plugin registering them, and the table's
template), show in the built site and reconcile."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import FIXTURES, make_content, run_pelican, seed_text

from generator.core import vocab
from generator.load.model import Source
from generator.outputs.readback import read_page
from generator.pipeline import load_content

EXTENSION = FIXTURES / "tenth_table"
PAGE = "zh/2024/anting-city-operations/"
DATA = "data/2024/anting-city-operations/"  # the data files: once per document, for every language
# 45.29万元 of the project's 其他收入 comes from the new source instead
SPLIT = ("      其他收入: 3452900\n", "      其他收入: 3000000\n      捐赠收入: 452900\n")


def _content(tmp_path):
    text = seed_text()
    assert text.count(SPLIT[0]) == 1
    return make_content(tmp_path, {"2024/anting-city-operations.yaml": text.replace(*SPLIT)})


def _build(tmp_path, templates: str):
    out = tmp_path / "output"
    result = run_pelican(_content(tmp_path), out, f'PLUGIN_PATHS=["{EXTENSION}"]', 'PLUGINS=["tenth_table", "generator"]',
                         f'THEME_TEMPLATES_OVERRIDES=["{EXTENSION / templates}"]', "BUDGET_PDF=false",
                         cache=tmp_path / "cache")
    return result, out


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    result, out = _build(tmp_path_factory.mktemp("tenth"), "templates")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_the_registries_are_what_the_model_and_tables_use():
    assert Source.__args__ == vocab.typed_sources()
    assert vocab.table_numbers() == ("01", "02", "03", "04", "05", "06", "07", "08", "09")
    assert vocab.appropriations() == ("一般公共预算", "政府性基金", "国有资本经营")


def test_without_the_registration_the_source_is_refused(tmp_path):
    issues = load_content(_content(tmp_path)).issues
    assert [i.code for i in issues] == ["E111"] and "捐赠收入" in issues[0].message("en")


def test_the_tenth_table_is_shown_and_read_back(extended):
    html = (extended / PAGE / "index.html").read_text(encoding="utf-8")
    cells = read_page(html).cells
    assert 'id="table-10"' in html and "部门收入来源构成表" in html
    assert '<a href="#table-10">10 ' in html  # in the table of contents too
    assert cells["10.src.捐赠收入.amount"] == "45.29" and cells["10.src.其他收入.amount"] == "300.00"
    assert cells["10.total.amount"] == "5,715.29"
    rows = list(csv.DictReader((extended / DATA / "table-10.csv").read_text(encoding="utf-8-sig").splitlines()))
    (row,) = [r for r in rows if r["cell"] == "10.src.捐赠收入.amount"]
    assert (row["row_name_zh"], row["column_name_zh"], row["amount_yuan"], row["unit"], row["amount_shown"]) == (
        "捐赠收入", "预算数", "452900.00", "万元", "45.29")
    assert "10" in json.loads((extended / DATA / "data.json").read_text(encoding="utf-8"))["tables"]


def test_the_new_source_is_shown_in_tables_01_and_02(extended):
    html = (extended / PAGE / "index.html").read_text(encoding="utf-8")
    cells = read_page(html).cells
    assert "六、捐赠收入" in html  # numbered after 五、其他收入
    assert cells["01.inc.捐赠收入.amount"] == "45.29" and cells["01.inc.其他收入.amount"] == "300.00"
    assert cells["02.total.捐赠收入"] == cells["02.2120199.捐赠收入"] == "45.29"
    en = (extended / PAGE.replace("zh/", "en/") / "index.html").read_text(encoding="utf-8")
    assert "6. Donations" in en


def test_the_new_source_and_table_reconcile(extended):
    data = json.loads((extended / DATA / "reconciliation.json").read_text(encoding="utf-8"))
    assert data["all_agree"] and all(o["status"] == "ok" for o in data["outcomes"])
    tenth = [o for o in data["outcomes"] if o["check"] == "X10"]
    assert len(tenth) == 1 + len([s for s in vocab.SOURCES if not s.appropriation]) + 1  # total, each source
    by_keys = {(tuple(o["left"]["keys"]), tuple(o["right"]["keys"])): o for o in data["outcomes"]}
    assert by_keys[(("01.inc.捐赠收入.amount",), ("02.total.捐赠收入",))]["right"]["value"] == "452900"
    assert by_keys[(("10.src.捐赠收入.amount",), ("01.inc.捐赠收入.amount",))]["status"] == "ok"
    revenue = next(o for o in data["outcomes"] if o["family"] == "01.revenue-sum")
    assert "01.inc.捐赠收入.amount" in revenue["right"]["keys"]


def test_a_template_that_drops_a_row_of_the_tenth_table_stops_the_build(tmp_path):
    result, out = _build(tmp_path, "broken")
    assert result.returncode != 0
    assert "E321" in result.stdout + result.stderr and "10.src.捐赠收入.amount" in result.stdout + result.stderr
    assert not (out / PAGE / "index.html").exists()
