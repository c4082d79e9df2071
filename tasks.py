"""Tasks (invoke): check, build, serve, livereload, test, schema, bench.

    invoke check            validate all content without rendering (exit 1 on errors)
    invoke build            the whole site, HTML + PDF, into output/
    invoke build --no-pdf   quick preview without PDFs
    invoke serve            serve output/ at http://localhost:8000
    invoke livereload       rebuild on every change and reload the browser
    invoke test             the whole test suite
"""

import os
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).parent
OUTPUT = ROOT / "output"
PY = sys.executable


def _pelican_args(output: Path, pdf: bool, strict: bool, lang: str) -> str:
    extra = [f"BUDGET_PDF={'true' if pdf else 'false'}", f"BUDGET_STRICT={'true' if strict else 'false'}",
             f'BUDGET_MESSAGES_LANG="{lang}"']
    settings = " ".join(f"-e '{e}'" for e in extra)
    return f"{PY} -m pelican {ROOT / 'content'} -s {ROOT / 'pelicanconf.py'} -o {output} {settings} --fatal errors -q"


@task(help={"lang": "language of the messages: zh (default) or en", "strict": "warnings fail too"})
def check(c, lang="zh", strict=False):
    """Validate all content without rendering."""
    c.run(f"{PY} -m generator.cli check --lang {lang}{' --strict' if strict else ''}", pty=False)


@task(help={"pdf": "render the PDFs (default); --no-pdf for a quick preview", "strict": "warnings fail too",
            "lang": "language of the messages: zh (default) or en"})
def build(c, pdf=True, strict=False, lang="zh"):
    """Build the site into output/: into a fresh folder first, swapped in only when complete."""
    staging = ROOT / "output.partial"
    shutil.rmtree(staging, ignore_errors=True)
    result = c.run(_pelican_args(staging, pdf, strict, lang), warn=True, pty=False)
    if not result.ok:
        shutil.rmtree(staging, ignore_errors=True)
        sys.exit(result.exited or 1)
    old = ROOT / "output.old"
    shutil.rmtree(old, ignore_errors=True)
    if OUTPUT.exists():
        OUTPUT.rename(old)
    staging.rename(OUTPUT)
    shutil.rmtree(old, ignore_errors=True)
    print(f"built {OUTPUT}")


@task(help={"port": "port to listen on (8000)"})
def serve(c, port=8000):
    """Serve output/ on http://localhost:PORT (build first)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    server = RootedHTTPServer(str(OUTPUT), ("", int(port)), ComplexHTTPRequestHandler)
    print(f"serving {OUTPUT} at http://localhost:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(help={"port": "port to listen on (8000)", "pdf": "also rebuild PDFs on every change (slower)"})
def livereload(c, port=8000, pdf=False):
    """Rebuild on every change of content, theme, settings or code, and reload the browser."""
    from livereload import Server

    def rebuild():
        result = c.run(_pelican_args(OUTPUT, pdf, False, "zh"), warn=True, pty=False)
        if not result.ok:
            print("build failed: see the messages above; fix the content and save again")

    rebuild()
    server = Server()
    for pattern in ("content/**/*", "themes/**/*", "pelicanconf.py", "generator/**/*.py"):
        server.watch(str(ROOT / pattern), rebuild)
    server.serve(host="localhost", port=int(port), root=str(OUTPUT))


@task(help={"args": "extra pytest arguments, e.g. -k pdf"})
def test(c, args=""):
    """Run the whole test suite."""
    c.run(f"{PY} -m pytest {args}", pty=False)


@task
def schema(c):
    """Regenerate schema/budget.schema.json from generator/model.py."""
    c.run(f"{PY} -m generator.cli schema")


@task
def bench(c):
    """Print build and PDF timings (benchmarks/run.py)."""
    c.run(f"{PY} {ROOT / 'benchmarks' / 'run.py'}")


os.environ.setdefault("PYTHONPATH", str(ROOT))
