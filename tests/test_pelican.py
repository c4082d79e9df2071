"""The plugin as Pelican expects a plugin to behave: typed BUDGET_* settings, issues through
logging (`--fatal warnings`), exceptions that `pelican -r` survives, pages rendered once,
every file through one writer."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, make_content, seed_text
from test_flags import LINE, SPLIT, W215_EN

PAGE = "zh/2024/anting-city-operations/index.html"


def pelican(content: Path, out: Path, *args: str, settings: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"), "-o", str(out), "-q",
               *args, "-e", "BUDGET_PDF=false", 'BUDGET_MESSAGES_LANG="en"', *settings]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def warned(tmp_path_factory) -> Path:
    """A content folder whose only problem is a warning (W215)."""
    return make_content(tmp_path_factory.mktemp("pelican"), {"2024/warned.yaml": seed_text().replace(LINE, SPLIT)})


def test_fatal_warnings_stops_on_a_budget_warning(warned, tmp_path):
    plain = pelican(warned, tmp_path / "plain")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert W215_EN in plain.stderr and (tmp_path / "plain" / PAGE).is_file()

    errors = pelican(warned, tmp_path / "errors", "--fatal", "errors")  # a warning is not an error
    assert errors.returncode == 0, errors.stdout + errors.stderr

    fatal = pelican(warned, tmp_path / "fatal", "--fatal", "warnings")
    assert fatal.returncode == 1, fatal.stdout + fatal.stderr
    assert W215_EN in fatal.stderr and "0 error(s), 1 warning(s)." in fatal.stderr
    assert "Traceback" not in fatal.stdout + fatal.stderr
    assert not (tmp_path / "fatal" / PAGE).exists()  # stopped before writing


def test_an_unknown_budget_setting_is_an_error_naming_it(warned, tmp_path):
    typo = pelican(warned, tmp_path / "typo", settings=("BUDGET_STIRCT=true",))
    assert typo.returncode == 1, typo.stdout + typo.stderr
    assert "settings: E601 unknown setting BUDGET_STIRCT; did you mean 'BUDGET_STRICT'?" in typo.stderr
    assert "Traceback" not in typo.stdout + typo.stderr
    assert not (tmp_path / "typo").exists()

    wrong = pelican(warned, tmp_path / "wrong", settings=('BUDGET_MESSAGES_LANG="fr"',))
    assert wrong.returncode == 1  # in Chinese, the default: the language it names is the invalid setting
    assert "settings: E602 设置 BUDGET_MESSAGES_LANG = 'fr' 无效" in wrong.stderr


def test_the_budget_folder_is_a_setting(tmp_path):
    content = tmp_path / "content"
    (content / "yaml" / "2024").mkdir(parents=True)
    (content / "yaml" / "2024" / "seed.yaml").write_text(seed_text(), encoding="utf-8")
    elsewhere = pelican(content, tmp_path / "elsewhere", settings=('BUDGET_DIR="yaml"',))
    assert elsewhere.returncode == 0, elsewhere.stdout + elsewhere.stderr
    assert (tmp_path / "elsewhere" / PAGE).is_file()
    default = pelican(content, tmp_path / "default")  # budgets/ is not there: no department page
    assert default.returncode == 0 and not (tmp_path / "default" / PAGE).exists()

    def check(*args):
        return subprocess.run([sys.executable, "-m", "generator.cli", "check", "--content", str(content), "--lang", "en", *args],
                              capture_output=True, text=True, cwd=ROOT, timeout=300)
    found = check("--budgets", "yaml")
    assert found.returncode == 0 and found.stderr.strip() == "All clear: no problems found.", found.stderr
    missing = check()
    assert missing.returncode == 1 and "there is no budgets folder" in missing.stderr


def _wait(condition, timeout: float, what: str, proc: subprocess.Popen) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"pelican -r exited ({proc.returncode}) waiting for {what}"
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_autoreload_survives_a_content_error_and_rebuilds_after_the_fix(tmp_path):
    text = seed_text()
    assert LINE in text
    content = make_content(tmp_path, {"2024/seed.yaml": text})
    budget, out, log = content / "budgets" / "2024" / "seed.yaml", tmp_path / "output", tmp_path / "stderr.txt"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "pelican", str(content), "-r", "-s", str(ROOT / "pelicanconf.py"),
                                 "-o", str(out), "-q", "-e", "BUDGET_PDF=false", 'BUDGET_MESSAGES_LANG="en"'],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
    try:
        # the build is complete once the search index is written (the last step), then the watcher starts
        _wait(lambda: (out / PAGE).is_file() and (out / "pagefind" / "pagefind-entry.json").is_file(), 180,
              "the first build", proc)
        built = (out / PAGE).stat().st_mtime_ns
        time.sleep(1)  # let the watcher start
        budget.write_text(text.replace(LINE, LINE.replace("amount: ", "amount: -")), encoding="utf-8")
        _wait(lambda: "E107" in log.read_text(), 180, "the E107 message", proc)
        time.sleep(3)
        messages = log.read_text()
        assert messages.count(": E107 ") == 1, messages  # reported once: it waits for a change, not rebuilding in a loop
        assert "1 error(s), 0 warning(s)." in messages and "Traceback" not in messages
        assert (out / PAGE).stat().st_mtime_ns == built  # nothing written from the broken file

        budget.write_text(text, encoding="utf-8")
        _wait(lambda: (out / PAGE).stat().st_mtime_ns != built, 180, "the rebuild after the fix", proc)
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_the_written_page_is_the_verified_page(tmp_path, monkeypatch):
    """Each page is rendered once: with every render made unique, what was read back is what is on disk."""
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    from generator.outputs import incremental, pdf, plugin

    renders = iter(range(10**6))
    real_render, real_verify, real_read = plugin.BudgetGenerator.render, incremental.verify, incremental.read_around
    verified: dict[str, str] = {}
    read: list[str] = []  # the page text each read-back was made of (the shared body is read once, the rest around it)
    monkeypatch.setattr(plugin.BudgetGenerator, "render",
                        lambda self, *a: real_render(self, *a) + f"<!-- render {next(renders)} -->")
    monkeypatch.setattr(incremental, "read_around", lambda html, body, part: read.append(html) or real_read(html, body, part))
    monkeypatch.setattr(incremental, "verify", lambda db, report, page, lang, what, *_: verified.setdefault(what, read.pop())
                        and real_verify(db, report, page, lang, what))

    def prepare(jobs, cache, theme, **options):  # no WeasyPrint: each job's "PDF" is its own HTML
        cache.mkdir(parents=True)
        for n, job in enumerate(jobs):
            job.cache_file = cache / f"{n}.pdf"
            job.cache_file.write_bytes(job.html.encode())
        return [], []

    monkeypatch.setattr(pdf, "prepare", prepare)
    written: list[str] = []

    def seen(path, context):
        written.append(str(Path(path).relative_to(out)))

    out = tmp_path / "output"
    signals.content_written.connect(seen)
    try:
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(ROOT / "content"), "OUTPUT_PATH": str(out), "BUDGET_CACHE": str(tmp_path / "cache")})
        Pelican(settings).run()
    finally:
        signals.content_written.disconnect(seen)

    pages = [p for p in verified if p.endswith("index.html")]
    pdfs = [p for p in verified if p.endswith(".pdf")]
    from generator.pipeline import load_content

    documents = len(load_content(ROOT / "content").budgets)  # 部门预算 and 单位预算
    assert len(pages) == len(pdfs) == 2 * documents
    for name in pages:
        assert (out / name).read_text(encoding="utf-8") == verified[name]
    for name in pdfs:
        assert (out / name).read_bytes() == verified[name].encode()
    # every file of the budget site went through the writer (and its content_written signal)
    budget_files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()
                    and p.relative_to(out).parts[0] in ("zh", "en", "data", "index.html") and "about" not in p.parts}
    assert budget_files and budget_files <= set(written), budget_files - set(written)
    assert {name for name in budget_files if name.endswith((".json", ".csv", ".pdf"))}
    assert {name for name in budget_files if name.startswith("data/") and name.endswith((".json", ".csv", ".xlsx"))}
