"""`invoke build --no-pdf / --strict / --lang en` reach the build (Pelican keeps only the last
-e option, so each flag once overrode the others), run as users run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_content, run_pelican, seed_text

from generator.outputs import publish

INVOKE = Path(sys.executable).parent / "invoke"
LINE = "  - {function: 2120199, economic: 30205, amount: 20400}"
# the same amount on two identical lines: W215 "typed twice?" and nothing else
SPLIT = "  - {function: 2120199, economic: 30205, amount: 20300}\n  - {function: 2120199, economic: 30205, amount: 100}"
W215_ZH = "W215 同一功能科目、经济科目和资金来源的基本支出写了两行"
W215_EN = "W215 two basic lines with the same function, economic code and source"


@pytest.fixture(scope="module")
def warned(tmp_path_factory) -> Path:
    text = seed_text()
    assert LINE in text
    return make_content(tmp_path_factory.mktemp("flags"), {"2024/warned.yaml": text.replace(LINE, SPLIT)})


def invoke(task: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(INVOKE), "-r", str(ROOT), task, *args], capture_output=True, text=True, timeout=600)


def test_no_pdf_strict_and_lang_each_reach_the_build(warned, tmp_path):
    out, cache = tmp_path / "output", tmp_path / "cache"
    folders = ["--content", str(warned), "--output", str(out), "--cache", str(cache)]

    plain = invoke("build", "--no-pdf", *folders)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert W215_ZH in plain.stderr  # a warning does not stop a build without --strict; Chinese by default
    assert (out / "zh/2024/anting-city-operations/index.html").is_file()
    assert not list(out.rglob("*.pdf")) and not (cache / "pdf").exists()  # --no-pdf: no PDF rendered
    assert ".pdf" not in (out / "zh/2024/anting-city-operations/index.html").read_text(encoding="utf-8")
    published = os.readlink(out)

    strict = invoke("build", "--no-pdf", "--strict", *folders)
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert W215_ZH in strict.stderr and "共 0 个错误，1 个警告。" in strict.stderr
    assert os.readlink(out) == published  # not published
    # no staging left: the published build and its manifest
    assert sorted(p.name for p in publish.store(out).iterdir()) == [Path(published).name, f"{Path(published).name}.json"]

    english = invoke("build", "--no-pdf", "--strict", "--lang", "en", *folders)
    assert english.returncode == 1
    assert W215_EN in english.stderr and "0 error(s), 1 warning(s)." in english.stderr
    assert "同一" not in english.stderr
    assert "Traceback" not in plain.stderr + strict.stderr + english.stderr


def test_invoke_check_reads_the_content_option(warned):
    assert invoke("check", "--content", str(warned)).returncode == 0
    strict = invoke("check", "--content", str(warned), "--strict", "--lang", "en")
    assert strict.returncode == 1 and W215_EN in strict.stderr


def test_run_pelican_passes_every_setting(warned, tmp_path):
    """The tests' own helper: the cache, --no-pdf, strict and the language all arrive."""
    out = tmp_path / "output"
    result = run_pelican(warned, out, "BUDGET_PDF=false", "BUDGET_STRICT=true", 'BUDGET_MESSAGES_LANG="en"',
                         cache=tmp_path / "cache")
    assert result.returncode == 1 and W215_EN in result.stderr, result.stdout + result.stderr
    assert not out.exists()
