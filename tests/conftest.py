"""Shared fixtures: the shipped content, a built site, and helpers for writing test budgets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.compute.budget import DepartmentBudget
from generator.pipeline import Content, load_content
from generator.reconcile.checks import Report

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SEED_FILE = CONTENT / "budgets" / "2024" / "anting-city-operations.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fast", action="store_true",
                     help="leave out the tests that render PDFs (marker pdf) or need a browser (marker browser); "
                          "the shared sites are built without PDFs")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pdf: renders PDFs (slow); left out by --fast (invoke test --fast)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--fast"):
        return
    slow = [i for i in items if i.get_closest_marker("pdf") or i.get_closest_marker("browser")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [i for i in items if i not in slow]


def pdf_settings(config: pytest.Config) -> list[str]:
    """The settings for a shared test site: without PDFs under --fast (no test left needs them)."""
    return ["BUDGET_PDF=false"] if config.getoption("--fast") else []


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(CONTENT, root=ROOT)


@pytest.fixture(scope="session")
def seed(content) -> DepartmentBudget:
    """The reference department's 2024 budget, computed from content/."""
    assert not content.issues, [i.format("en") for i in content.issues]
    (db,) = [d for d in content.budgets if d.slug == "anting-city-operations" and d.year == 2024]
    return db


@pytest.fixture(scope="session")
def seed_report(content, seed) -> Report:
    """What the reconciliation found for the reference budget."""
    return content.report(seed)


def make_content(tmp_path: Path, files: dict[str, str]) -> Path:
    """A content/ folder with the given budget files (relative paths under budgets/)."""
    root = tmp_path / "content"
    for name, text in files.items():
        path = root / "budgets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def seed_text() -> str:
    return SEED_FILE.read_text(encoding="utf-8")


def run_pelican(content: Path, output: Path, *extra: str, cache: Path | None = None) -> subprocess.CompletedProcess:
    """Build a site with the project's settings into `output` (a subprocess, as users run it)."""
    args = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"), "-o", str(output), "-q"]
    settings = ([f'BUDGET_CACHE="{cache}"'] if cache is not None else []) + list(extra)
    if settings:  # one -e with every KEY=VALUE: Pelican keeps only the last -e option
        args += ["-e", *settings]
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=900)


@pytest.fixture(scope="session")
def site(tmp_path_factory, pytestconfig) -> Path:
    """The shipped content built once, HTML and PDF (HTML only under --fast), with a fresh PDF cache."""
    tmp = tmp_path_factory.mktemp("site")
    out = tmp / "output"
    result = run_pelican(CONTENT, out, *pdf_settings(pytestconfig), cache=tmp / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    return out
