"""Pending translations (`{zh: …, pending: en}`): check warns (W246, file:line), --strict refuses,
the Chinese site publishes, and the English pages show the Chinese under a 'not yet translated'
notice with lang="zh-CN" on it."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT, make_content, run_pelican, seed_text

from generator.pipeline import load_content

ORGANISATION_EN = re.compile(r"(organisation:\n  zh: [^\n]+\n)  en: >-\n(?:    [^\n]+\n)+")
INCOME_REASON_EN = re.compile(r"(reasons:\n  income:\n    zh: [^\n]+\n)    en: [^\n]+\n")


def pending_seed() -> str:
    """The seed with the English of 二、机构设置 and of the income reason marked pending."""
    text, n = ORGANISATION_EN.subn(r"\1  pending: en\n", seed_text())
    assert n == 1
    text, n = INCOME_REASON_EN.subn(r"\1    pending: en\n", text)
    assert n == 1
    return text


def line_of(text: str, needle: str, after: str) -> int:
    start = text.index(after)
    return text[:text.index(needle, start)].count("\n") + 1


def test_check_warns_for_each_pending_text_at_its_line(tmp_path):
    text = pending_seed()
    content = make_content(tmp_path, {"2024/seed.yaml": text})
    loaded = load_content(content)
    pending = [i for i in loaded.issues if i.code == "W246"]
    assert [i.location.line for i in pending] == sorted([line_of(text, "pending: en", "organisation:"),
                                                         line_of(text, "pending: en", "reasons:")])
    assert all(i.location.path.endswith("seed.yaml") for i in pending)
    assert "organisation" in pending[0].message("en") and "pending: en" in pending[0].message("en")
    # nothing else: the file is otherwise the clean seed
    assert [i.code for i in loaded.issues] == ["W246", "W246"], [i.format("en") for i in loaded.issues]
    assert not loaded.failed() and loaded.failed(strict=True)
    assert loaded.budgets  # it computes: the Chinese site can be built


def test_check_cli_strict_refuses_pending_texts(tmp_path):
    content = make_content(tmp_path, {"2024/seed.yaml": pending_seed()})
    run = [sys.executable, "-m", "generator.cli", "check", "--content", str(content)]
    plain = subprocess.run(run, capture_output=True, text=True, cwd=ROOT)
    strict = subprocess.run(run + ["--strict"], capture_output=True, text=True, cwd=ROOT)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "W246" in plain.stdout + plain.stderr
    assert strict.returncode == 1 and "W246" in strict.stdout + strict.stderr


@pytest.mark.parametrize("edit, code", [
    (lambda t: t.replace("organisation:\n  zh:", "organisation:\n  pending: en\n  zh:", 1), "E248"),  # en and pending
    (lambda t: ORGANISATION_EN.sub(r"\1", t), "E247"),  # neither
])
def test_a_text_needs_english_or_the_pending_mark_not_both(tmp_path, edit, code):
    text = edit(seed_text())
    loaded = load_content(make_content(tmp_path, {"2024/seed.yaml": text}))
    found = [i for i in loaded.issues if i.code == code]
    assert len(found) == 1 and found[0].location.line == line_of(text, "organisation:", "organisation:")
    assert "organisation.en" in found[0].message("en")
    assert loaded.failed()


@pytest.fixture(scope="module")
def pending_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pending")
    content = make_content(tmp, {"2024/anting-city-operations.yaml": pending_seed()})
    out = tmp / "output"
    result = run_pelican(content, out, "BUDGET_PDF=false", cache=tmp / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "W246" in result.stdout + result.stderr
    return out / ("" if (out / "zh").exists() else ".")


def test_chinese_page_publishes_the_text_without_notice(pending_site):
    zh = (pending_site / "zh" / "2024" / "anting-city-operations" / "index.html").read_text(encoding="utf-8")
    assert "上海市嘉定区安亭镇城市运行管理中心部门预算是包括" in zh
    assert "untranslated" not in zh  # neither the block notice nor the page's


def test_english_page_shows_the_chinese_under_a_notice(pending_site):
    en = (pending_site / "en" / "2024" / "anting-city-operations" / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<div class="untranslated" lang="zh-CN"><p class="untranslated-notice" lang="en">'
                      r"([^<]+)</p>(.*?)</div>", en, re.S)
    assert block, "no untranslated block on the English page"
    assert "Not yet translated" in block[1]
    assert "上海市嘉定区安亭镇城市运行管理中心部门预算是包括" in block[2]
    assert "comprehensive income and expenditure plan" not in en  # the English was removed: not invented
    # under the title, once: how many texts the page shows in Chinese
    assert re.findall(r'<p class="untranslated-notice page-notice" role="note">(\d+) text', en) == ["2"]
    # the reason is quoted inside a generated English sentence: the Chinese, not an empty string
    assert "增加事业编人员经费" in en
