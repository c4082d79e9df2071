"""Tasks (invoke): check, build, publish, serve, livereload, test, lint, catalogue, schema, migrate, new-year, bench.

    invoke check            validate all content without rendering (exit 1 on errors)
    invoke build            the whole site, HTML + PDF, into output/
    invoke build --no-pdf   quick preview without PDFs
    (--content DIR, --output DIR, --cache DIR: other folders, e.g. for tests)
    invoke publish          archive output/ as dist/budget-site-<build-id>.zip for the office's CMS
    invoke serve            serve output/ at http://localhost:8000
    invoke livereload       rebuild on every change and reload the browser
    invoke test             ruff, mypy and the whole test suite (--fast: without PDF rendering)
    invoke lint             ruff and mypy only
    invoke migrate          upgrade the budget files to the current format (--check: only report)
    invoke new-year FILE    draft next year's budget file from FILE (this year's)
    invoke catalogue --year 2025   the classification catalogue in force for 2025 (--json)
    invoke i18n             regenerate the message catalogue (.pot) and update the .po files
"""

import json
import os
import shlex
import sys
import tempfile
from pathlib import Path

from invoke import task

from generator.outputs import faults, publish

ROOT = Path(__file__).parent
OUTPUT = ROOT / "output"
PY = sys.executable
os.environ.setdefault("PYTHONPATH", str(ROOT))

FOLDERS = {"content": "the content folder (content/)", "output": "where the site goes (output/, a symlink to the build)",
           "cache": "the PDF cache folder (.cache/)"}


def _pelican_args(content: Path, output: Path, pdf: bool, strict: bool, lang: str, cache: Path | None,
                  **more: object) -> str:
    # Pelican keeps only the last -e option: every setting goes into one, each KEY=VALUE in JSON.
    settings = {"BUDGET_PDF": pdf, "BUDGET_STRICT": strict, "BUDGET_MESSAGES_LANG": lang,
                **{f"BUDGET_{k.upper()}": v for k, v in more.items() if v}}
    if cache is not None:
        settings["BUDGET_CACHE"] = str(cache)
    extra = " ".join(shlex.quote(f"{k}={json.dumps(v)}") for k, v in settings.items())
    return (f"{shlex.quote(PY)} -m pelican {shlex.quote(str(content))} -s {shlex.quote(str(ROOT / 'pelicanconf.py'))} "
            f"-o {shlex.quote(str(output))} --fatal errors -q -e {extra}")


class _Failed(Exception):
    """The build printed its messages and failed."""


def _build_once(c, content: Path, output: Path, pdf: bool, strict: bool, lang: str, cache: Path | None,
                assemble: bool = False) -> bool:
    """Build into a fresh folder and publish it as `output`; False (and nothing left behind) on failure."""
    try:
        with publish.staging(output) as build:
            if not c.run(_pelican_args(content, build, pdf, strict, lang, cache, assemble=assemble), warn=True, pty=False).ok:
                raise _Failed
            publish.publish(output, build)
    except _Failed:
        return False
    except OSError as exc:
        print(faults.fault_issue(exc, "site", output).format(lang), file=sys.stderr)
        return False
    return True


def _path(value: str | None, default: Path) -> Path:
    return Path(value).absolute() if value else default


@task(help={"lang": "language of the messages: zh (default) or en", "strict": "warnings fail too",
            "content": FOLDERS["content"], "no_cache": "read every budget file again (not .cache/compute/)"})
def check(c, lang="zh", strict=False, content=None, no_cache=False):
    """Validate all content without rendering."""
    folder = shlex.quote(str(_path(content, Path("content"))))  # where it runs, as before
    c.run(f"{shlex.quote(PY)} -m generator.cli check --content {folder} --lang {lang}{' --strict' if strict else ''}"
          f"{' --no-cache' if no_cache else ''}", pty=False)


@task(help={"check": "change nothing; fail if some file needs upgrading", "lang": "language of the messages: zh (default) or en",
            "content": FOLDERS["content"]})
def migrate(c, check=False, lang="zh", content=None):
    """Upgrade every budget file to the current format and say what changed."""
    folder = shlex.quote(str(_path(content, Path("content"))))
    c.run(f"{shlex.quote(PY)} -m generator.cli migrate --content {folder} --lang {lang}{' --check' if check else ''}", pty=False)


@task(name="new-year", help={"file": "this year's budget file", "out": "where to write it (default: next to its year folder)",
                             "force": "overwrite OUT", "lang": "language of the messages: zh (default) or en"})
def new_year(c, file, out=None, force=False, lang="zh"):
    """Draft next year's budget file from this year's (texts kept, amounts to fill)."""
    extra = (f" -o {shlex.quote(out)}" if out else "") + (" --force" if force else "")
    c.run(f"{shlex.quote(PY)} -m generator.cli new-year {shlex.quote(file)} --lang {lang}{extra}", pty=False)


@task(name="import", help={"file": "the published 部门预算 or 单位预算 PDF",
                           "out": "the draft: content/budgets/<year>/<slug>.yaml",
                           "profile": "the district format (default: detected)", "force": "overwrite OUT",
                           "lang": "language of the messages: zh (default) or en"})
def import_(c, file, out, profile=None, force=False, lang="zh"):
    """Draft a budget file from a published budget PDF; prints the import report."""
    extra = (f" --profile {shlex.quote(profile)}" if profile else "") + (" --force" if force else "")
    c.run(f"{shlex.quote(PY)} -m generator.cli import {shlex.quote(file)} -o {shlex.quote(out)} --lang {lang}{extra}",
          pty=False)


@task(help={"pdf": "render the PDFs (default); --no-pdf for a quick preview", "strict": "warnings fail too",
            "lang": "language of the messages: zh (default) or en", **FOLDERS,
            "shard": "i/n: render only the i-th of n parts of the PDFs into the cache, publish nothing (docs/scale.md)",
            "assemble": "build from the PDF cache the shards filled, rendering no PDF (a missing one is an error)"})
def build(c, pdf=True, strict=False, lang="zh", content=None, output=None, cache=None, shard=None, assemble=False):
    """Build the site into a fresh folder and publish it as output/ only when complete."""
    folder = _path(content, ROOT / "content")
    if shard:
        with tempfile.TemporaryDirectory(prefix="budget-shard-") as site:
            if not c.run(_pelican_args(folder, Path(site), True, strict, lang, _path(cache, None), shard=shard),
                         warn=True, pty=False).ok:
                sys.exit(1)
        print(f"shard {shard}: its PDFs are in {_path(cache, folder.parent / '.cache') / 'pdf'}")
        return
    out = _path(output, OUTPUT)
    if not _build_once(c, folder, out, pdf, strict, lang, _path(cache, None), assemble=assemble):
        sys.exit(1)
    print(f"built {out} -> {os.readlink(out)}")


@task(name="publish", help={"output": FOLDERS["output"], "dist": "where the archive goes (dist/)"})
def publish_(c, output=None, dist=None):  # the module `publish` keeps its name here
    """Archive the built site (output/) as dist/budget-site-<build-id>.zip, ready to upload into a CMS."""
    from generator.outputs import archive

    out = _path(output, OUTPUT)
    try:
        made = archive.archive(out, _path(dist, ROOT / "dist"))
    except FileNotFoundError:
        sys.exit(f"no built site at {out}: run invoke build first")
    print(f"{made} ({made.stat().st_size:,} bytes, {len(archive.files(out.resolve()))} files)")


@task(help={"file": "the published budget PDF", "json": "print the findings as JSON", "lang": "zh (default) or en"})
def audit(c, file, json=False, lang="zh"):
    """Check a published budget PDF: its tables' identities and its narrative against them (exit 1: findings)."""
    c.run(f"{shlex.quote(PY)} -m generator.cli audit {shlex.quote(file)} --lang {lang}{' --json' if json else ''}", pty=False)


@task(help={"port": "port to listen on (8000)", "output": FOLDERS["output"]})
def serve(c, port=8000, output=None):
    """Serve output/ on http://localhost:PORT (build first)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    out = _path(output, OUTPUT)
    server = RootedHTTPServer(str(out), ("", int(port)), ComplexHTTPRequestHandler)
    print(f"serving {out} at http://localhost:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(help={"port": "port to listen on (8000)", "pdf": "also rebuild PDFs on every change (slower)",
            "lang": "language of the messages: zh (default) or en", **FOLDERS})
def livereload(c, port=8000, pdf=False, lang="zh", content=None, output=None, cache=None):
    """Rebuild on every change of content, theme, settings or code, and reload the browser."""
    from livereload import Server

    out = _path(output, OUTPUT)
    folder = _path(content, ROOT / "content")

    def rebuild():
        if not _build_once(c, folder, out, pdf, False, lang, _path(cache, None)):
            print("build failed: see the messages above; fix the content and save again" if lang == "en"
                  else "生成失败：请看上面的提示，修改后再保存")

    rebuild()
    server = Server()
    for pattern in (f"{folder}/**/*", "themes/**/*", "pelicanconf.py", "generator/**/*.py"):
        server.watch(pattern if pattern.startswith("/") else str(ROOT / pattern), rebuild)
    server.serve(host="localhost", port=int(port), root=str(out))


def _lint(c) -> None:
    with c.cd(str(ROOT)):  # the settings (and mypy's file list) are in pyproject.toml
        c.run(f"{shlex.quote(PY)} -m ruff check .", pty=False)
        c.run(f"{shlex.quote(PY)} -m mypy", pty=False)


@task
def lint(c):
    """ruff and mypy (settings in pyproject.toml)."""
    _lint(c)


@task(help={"args": "extra pytest arguments, e.g. -k pdf",
            "fast": "leave out the tests that render PDFs or need a browser (well under a minute)",
            "lint": "run ruff and mypy first (default); --no-lint to skip them"})
def test(c, args="", fast=False, lint=True):
    """Run ruff, mypy and the whole test suite (--fast: everything but PDF rendering and browsers)."""
    if lint:
        _lint(c)
    c.run(f"{PY} -m pytest{' --fast' if fast else ''} {args}", pty=False)


@task
def i18n(c):
    """Regenerate the theme's message catalogue template, then update every language's .po from it."""
    pot = ROOT / "themes/budget/translations/messages.pot"
    c.run(f"{shlex.quote(PY)} -m babel.messages.frontend extract -F babel.cfg -k L:2 -k Label:2 --no-location "
          f"--omit-header --sort-output -o {shlex.quote(str(pot))} .")
    c.run(f"{shlex.quote(PY)} -m babel.messages.frontend update -i {shlex.quote(str(pot))} "
          f"-d {shlex.quote(str(pot.parent))} --no-fuzzy-matching --ignore-obsolete")


@task(help={"year": "the budget year (default: the latest edition)", "content": FOLDERS["content"],
            "json": "print the catalogue as JSON", "lang": "zh or en"})
def catalogue(c, year=None, content="content", json=False, lang="zh"):
    """Print the classification catalogue in force for a budget year (edition, counts, rows, local additions)."""
    args = f" --year {int(year)}" if year else ""
    c.run(f"{shlex.quote(PY)} -m generator.cli catalogue{args} --content {shlex.quote(str(content))} --lang {lang}"
          f"{' --json' if json else ''}", pty=False)


@task
def schema(c):
    """Regenerate schema/budget.schema.json from generator/load/model.py."""
    c.run(f"{PY} -m generator.cli schema")


@task(help={"district": "N: the district benchmark (benchmarks/district.py) with N department-years",
            "rows": "district rows to run (check,html,edit,nochange,nochange-pdf,pdf,size)",
            "pdf_n": "N for the cold PDF row (2)", "nochange_n": "N for the no-change rebuild with PDFs (10)"})
def bench(c, district=0, rows="", pdf_n=2, nochange_n=10):
    """Print build and PDF timings (benchmarks/run.py), or with --district N the district-scale table."""
    if district:
        extra = f" --pdf-n {int(pdf_n)} --nochange-n {int(nochange_n)}" + (f" --rows {shlex.quote(rows)}" if rows else "")
        c.run(f"{PY} {ROOT / 'benchmarks' / 'district.py'} --district {int(district)}{extra}", pty=False)
        return
    c.run(f"{PY} {ROOT / 'benchmarks' / 'run.py'}")

