"""Issue codes: one code per kind of problem, each with a bilingual title and message template
(generator/core/diagnostics.py), every code used, and `budget codes` listing them."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_content, seed_text

from generator.core.diagnostics import MESSAGES, TITLES, Location, codes
from generator.load import validate
from generator.outputs import pdf
from generator.pipeline import load_content

SEED = seed_text()
# Defined for a problem no code path reports yet; each with why (empty today).
RESERVED: dict[str, str] = {}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _used() -> set[str]:
    found = set()
    for path in (ROOT / "generator").rglob("*.py"):
        if path.name not in ("diagnostics.py", "messages.py"):
            found |= set(re.findall(r"""["']([EW]\d{3})["']""", path.read_text(encoding="utf-8")))
    return found


def test_no_code_is_a_free_text_catch_all():
    for code, templates in MESSAGES.items():
        for template in templates:
            assert template.strip() not in ("{detail}", "{problem}", "{message}"), code
            assert "detail" not in _fields(template), code


def test_every_code_has_a_title_and_the_same_parameters_in_both_languages():
    assert list(TITLES) == list(MESSAGES)
    for c in codes():
        assert c.title_zh and c.title_en and c.title_zh != c.title_en, c.code
        assert re.search(r"[\u4e00-\u9fff]", c.title_zh) and not re.search(r"[\u4e00-\u9fff]", c.title_en), c.code
        assert _fields(c.message_zh) == _fields(c.message_en), c.code
        assert c.severity == ("warning" if c.code.startswith("W") else "error")


def test_every_code_used_is_defined_and_every_defined_code_is_used():
    used = _used()
    assert used - set(MESSAGES) == set()
    assert set(MESSAGES) - used == set(RESERVED)
    assert len({c[1:] for c in MESSAGES}) == len(MESSAGES)  # E216 and W216 would read as one number


def _problems(tmp_path: Path, text: str, code: str) -> list[str]:
    issues = load_content(make_content(tmp_path, {"2024/budget.yaml": text})).issues
    return [i.format("en") for i in issues if i.code == code]


@pytest.mark.parametrize("code, old, new, words", [
    ("E114", "  total: 41166600", "  total:", "last_year.total: has no value"),
    ("E115", "amount: 372900}", "amount: 1e400}", "the amount 1e400 is too large (at most"),
    ("E116", "  vehicles: 0", "  vehicles: -1", "assets.vehicles: -1 must be at least 0"),
    ("E117", "year: 2024\n", "year: 2200\n", "year: 2200 must be at most 2100"),
    ("E118", "  slug: anting-city-operations", "  slug: Anting_City", "department.slug: 'Anting_City' may only contain"),
    ("E119", "FUNDING_LEVEL", "funding_level: []", "form.funding_level: needs at least one item"),
    ("E120", "  - name: {zh: 黄渡片区保安服务,", "  - name: {zh: '',", "name.zh: must not be empty"),
    ("E121", "  slug: anting-city-operations", "  slug: " + "a" * 81, "department.slug: too long (at most 80 characters)"),
    ("E206", "    reserved_sme: 14607200", "    reserved_sme: 14607201",
     "reserved for SMEs (14607201 yuan) exceeds the purchase (14607200"),
    ("E226", "    reserved_micro: 180000", "    reserved_micro: 22134401",
     "micro enterprises (22134401 yuan) exceeds the SME reservation (22134400"),
    ("E214", "  total: 41166600", "  total: 41166600\n  operating_costs: 1", "remove last_year.operating_costs"),
])
def test_each_kind_of_problem_has_its_own_code(tmp_path, code, old, new, words):
    if old == "FUNDING_LEVEL":  # a list that must not be empty: the first form's funding levels
        old = re.search(r"funding_level: .*", SEED)[0]
    found = _problems(tmp_path, SEED.replace(old, new, 1), code)
    assert found and all(words in m for m in found), found


@pytest.mark.parametrize("code, text", [
    ("E124", "a: &x [*x]\n"),
    ("E125", "? [a, b]\n: 1\n"),
    ("E126", "a: &x {b: 1}\nc:\n  <<: *x\n"),
])
def test_each_yaml_problem_has_its_own_code(tmp_path, code, text):
    assert len(_problems(tmp_path, text, code)) == 1


def test_a_validator_error_without_a_code_of_its_own_is_still_reported():
    err = {"loc": ("year",), "type": "a_new_kind", "msg": "Something new", "input": 1}

    class _Positions:
        def at(self, path, key=False):
            return Location("budget.yaml", 1, 1)

    class _Src:
        positions = _Positions()

    found = validate._format_issue(err, _Src())  # type: ignore[arg-type]
    assert (found.code, found.message("en")) == ("E123", "invalid value: year: Something new")


def test_the_pdf_problems_have_their_own_codes(monkeypatch):
    monkeypatch.setattr(pdf, "cjk_fonts", lambda: ["Noto Sans CJK SC"])
    monkeypatch.setattr(pdf.ctypes.util, "find_library", lambda name: None)
    (found,) = pdf.preflight()
    assert found.code == "E402" and "libharfbuzz-subset0" in found.message("en")


def _codes_cli(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "generator.cli", "codes", *args], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_budget_codes_lists_code_title_and_message():
    zh, en = _codes_cli().splitlines(), _codes_cli("--lang", "en").splitlines()
    assert len(zh) == len(en) == len(MESSAGES)
    for line_zh, line_en, c in zip(zh, en, codes(), strict=True):
        assert line_zh.startswith(f"{c.code}  {c.title_zh}") and c.message_zh in line_zh
        assert line_en.startswith(f"{c.code}  {c.title_en}") and c.message_en in line_en
    listed = json.loads(_codes_cli("--json"))
    assert [c["code"] for c in listed] == list(MESSAGES)
    assert listed[0] == codes()[0].as_dict()
    assert {c["severity"] for c in listed} == {"error", "warning"}
