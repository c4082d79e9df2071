"""District-scale benchmark (issue 12): a synthetic district of N department-years, every stage
beside its floor measured in the same run, and the ratio.

    python benchmarks/district.py --district 100          (or: invoke bench --district 100)
    python benchmarks/district.py --district 1000 --rows check,html,edit,nochange,size

The district is N copies of the example budgets (content/budgets/*: copy i is example i mod 2,
with the department slug made distinct), written into a temporary folder. Every figure is the
CPU time (user + system) of a child process, taken from wait4(2), so that a machine shared with
other work changes the wall times but much less the CPU seconds and the ratios; the load
(`uptime`) is printed with each run.

Rows (each with its floor and ratio):
  check      `budget check` of the district  vs  CSafeLoader parse of the same files; peak RSS: cold
             (--no-cache), filling the compute cache, warm, and after one file is edited
  html       HTML build (invoke build --no-pdf)  vs  one plain Jinja2 render of the same pages
  edit       edit one department, rebuild HTML: CPU, wall (median of three edits), files rewritten (new inode) and rendered
  nochange   no-change rebuild, HTML only, at N (median of three)
  nochange-pdf  no-change rebuild with PDFs (all cached) at min(N, --nochange-n)  vs  HTML-only build
  pdf        cold PDFs at min(N, --pdf-n): the project's PDF step with 1 and 2 workers  vs  raw
             WeasyPrint on the same HTML, one process, serially: HTML(string).write_pdf() with the
             project's PDF options (tagged PDF/UA-1: the floor of what the project must make),
             and untagged (what tagging itself costs);
             extrapolated to N as (CPU seconds per PDF measured) × (PDFs of the district at N):
             the copies are the same documents under other slugs, so each PDF costs the same
  size       the output's size per department-year
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "content" / "budgets").rglob("*.yaml"))
ROWS = ("check", "html", "edit", "nochange", "nochange-pdf", "pdf", "size")


# ---- the synthetic district -------------------------------------------------------------
def make_district(folder: Path, n: int) -> list[Path]:
    """N budget files, copy i of example i mod len(EXAMPLES), slug `<slug>-c<i>`; pages copied too."""
    budgets = folder / "budgets"
    shutil.rmtree(folder, ignore_errors=True)
    budgets.mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "pages", folder / "pages")
    texts = [(p, p.read_text(encoding="utf-8")) for p in EXAMPLES]
    files = []
    for i in range(n):
        path, text = texts[i % len(texts)]
        slug = re.search(r"^department:\n(?:  .*\n)*?  slug: (\S+)$", text, re.M)
        assert slug, path
        copy = text[:slug.start(1)] + f"{slug[1]}-c{i}" + text[slug.end(1):]
        out = budgets / path.parent.name / f"{path.stem}-c{i}.yaml"
        out.parent.mkdir(exist_ok=True)
        out.write_text(copy, encoding="utf-8")
        files.append(out)
    return files


def edit_one(path: Path) -> None:
    """A clerk's edit of one department: a sentence added to 一、主要职能 (Chinese)."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\nfunctions:")
    at = text.index("  zh: |\n", start) + len("  zh: |\n")
    path.write_text(text[:at] + "    本段为基准测试所加。\n\n" + text[at:], encoding="utf-8")


# Python's default: compiled modules kept in __pycache__ (a machine that sets PYTHONDONTWRITEBYTECODE compiles
# the generator's ~100 modules again in every child, ≈ 0.4 s of each rebuild's start-up)
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
UNSET = " (PYTHONDONTWRITEBYTECODE unset for the children)"


# ---- measuring child processes ----------------------------------------------------------
def measured(args: list[str], env: dict | None = None) -> dict:
    """Run a child: its CPU seconds (user + system, its own children included, from
    RUSAGE_CHILDREN), wall seconds and output."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, env={**CHILD_ENV, "PYTHONPATH": str(ROOT), **(env or {})})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"failed ({proc.returncode}): {' '.join(args)}\n{proc.stderr.decode()[-4000:]}")
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: the peak is measured in the child itself
    return {"cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), "wall": wall,
            "out": proc.stdout.decode(), "err": proc.stderr.decode()}


REPEATS = 3  # the rebuild rows: the median of three runs (a shared machine's wall time is noisy)


def median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


def walls(runs: list[dict]) -> str:
    return "runs " + " / ".join(f"{r['wall']:.1f}" for r in runs)


def peak_of(out: str) -> float | None:
    m = re.search(r"^PEAK_RSS_MB=(\S+)$", out, re.M)
    return float(m[1]) if m else None


PY = sys.executable


def check_cmd(content: Path, *extra: str) -> list[str]:
    # the child prints its own peak RSS (ru_maxrss of RUSAGE_SELF) after the check
    code = ("import resource, sys; from pathlib import Path; from generator import cli; "
            f"rc = cli.main(['check', '--content', {str(content)!r}, *{list(extra)!r}]); "
            "print(f'PEAK_RSS_MB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}'); sys.exit(0)")
    return [PY, "-c", code]


def parse_floor_cmd(files: list[Path]) -> list[str]:
    listing = files[0].parent.parent
    code = ("import resource, yaml; from pathlib import Path\n"
            f"for p in sorted(Path({str(listing)!r}).rglob('*.yaml')):\n"
            "    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
            "print(f'PEAK_RSS_MB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}')")
    return [PY, "-c", code]


def build_cmd(content: Path, output: Path, cache: Path, pdf: bool, extra: tuple[str, ...] = ()) -> list[str]:
    return [PY, "-m", "invoke", "build", *(() if pdf else ("--no-pdf",)), "--content", str(content),
            "--output", str(output), "--cache", str(cache), *extra]


def inodes(folder: Path) -> dict[str, int]:
    base = folder.resolve()
    return {str(p.relative_to(base)): p.stat().st_ino for p in base.rglob("*") if p.is_file()}


def rendered_count(cache: Path) -> str:
    """What the last build rendered, as it counted it (generator/outputs/cache.py)."""
    try:
        stats = json.loads((cache / "pages" / "last-build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "render count not reported (no page cache)"
    return (f"rendered {stats['pages']} pages, {stats['pdf_html']} PDF HTML, {stats['pdfs']} PDFs; "
            f"{len(stats.get('loaded', []))} unchanged documents loaded, {stats.get('pages_read', '?')} cached pages read")


# ---- the floors in a child: one plain Jinja2 render of the same pages -------------------
def jinja_child(content: str, output: str, cache: str) -> None:
    """Build the HTML site in this process (from the build's caches, search off: only its
    documents are wanted), then render every page the build wrote once more with the bare
    template (no read-back, no writing, Markdown converted from scratch)."""
    import logging

    from pelican import Pelican
    from pelican.settings import read_settings

    from generator.outputs import plugin
    from generator.present.render import department_url

    logging.getLogger().setLevel(logging.ERROR)
    captured = {}
    original = plugin.BudgetGenerator.generate_output

    def capture(self, writer):
        captured["gen"] = self
        return original(self, writer)

    plugin.BudgetGenerator.generate_output = capture
    from generator.outputs import relink

    relink.Relinker.save = lambda self: None  # the build's manifest (the cache is shared) stays the measured build's
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": content, "OUTPUT_PATH": output, "BUDGET_PDF": False, "BUDGET_CACHE": cache, "BUDGET_SEARCH": False})
    with contextlib.redirect_stdout(io.StringIO()):
        Pelican(settings).run()
    gen = captured["gen"]
    from generator.present import render  # what the build caches, the floor converts afresh

    getattr(getattr(render, "_converted", None), "cache_clear", lambda: None)()
    department = gen.get_template("department")
    for db in gen.content.budgets:  # documents the build did not load (deferred): loaded before the clock starts
        if hasattr(db, "full"):
            db.full()
            gen.content.report(db)
    start = time.process_time()
    pages = 0
    for db in gen.content.budgets:
        for lang in gen.langs:
            path = f"{department_url(lang, db.year, db.slug)}index.html"
            full = db.full() if hasattr(db, "full") else db
            department.render(gen.page_context(path, gen.department_context(full, lang)))
            pages += 1
    for page in gen.index_pages():
        gen.get_template(page.template).render(gen.page_context(page.path, page.variables()))
        pages += 1
    print(json.dumps({"cpu": time.process_time() - start, "pages": pages}))


def pdf_child(content: str, output: str, workers: str, raw: str) -> None:
    """The PDF jobs of the district (the HTML of every PDF), then: raw WeasyPrint on each, or
    the project's PDF step with `workers` workers into a fresh cache. Prints CPU seconds of this
    process and its workers."""
    import logging
    import resource

    from pelican import Pelican
    from pelican.settings import read_settings

    from generator.outputs import pdf

    logging.getLogger().setLevel(logging.ERROR)
    captured: dict = {}

    def fake_prepare(jobs, cache_dir, theme, workers=None, **kw):
        captured["jobs"], captured["theme"] = list(jobs), theme
        cache_dir.mkdir(parents=True, exist_ok=True)
        for job in jobs:
            job.cache_file = cache_dir / "empty.pdf"
            job.cache_file.touch()
        return [], []

    pdf.prepare, real_prepare = fake_prepare, pdf.prepare
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": content, "OUTPUT_PATH": output, "BUDGET_CACHE": output + "-cache"})
    with contextlib.redirect_stdout(io.StringIO()):
        Pelican(settings).run()
    pdf.prepare = real_prepare
    jobs, theme = captured["jobs"], captured["theme"]
    for job in jobs:
        job.cache_file = None
    t0 = time.perf_counter()
    c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    if raw in ("raw", "tagged"):
        import weasyprint

        base = (Path(theme).resolve() / "static").as_uri() + "/"
        options = pdf.PDF_OPTIONS if raw == "tagged" else {}
        for job in jobs:
            weasyprint.HTML(string=job.html, base_url=base).write_pdf(**options)
    else:
        problems, _ = real_prepare(jobs, Path(output + "-pdfcache"), theme, workers=int(workers))
        assert not problems, [p.format("en") for p in problems]
    c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(b.ru_utime - a.ru_utime + b.ru_stime - a.ru_stime for a, b in zip(c0, c1))
    print(json.dumps({"cpu": cpu, "wall": time.perf_counter() - t0, "pdfs": len(jobs)}))


# ---- the report -------------------------------------------------------------------------
def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:5.2f}×" if a is not None and b else "   - "


def row(stage: str, now: str, floor: str, r: str) -> None:
    print(f"| {stage:<38} | {now:<42} | {floor:<40} | {r:>6} |")


def uptime() -> str:
    with contextlib.suppress(OSError):
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "load unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--district", type=int, default=10, help="N department-years (copies of the examples)")
    parser.add_argument("--rows", default=",".join(ROWS), help=f"which rows ({','.join(ROWS)})")
    parser.add_argument("--pdf-n", type=int, default=2, help="N for the cold PDF row (at most N; default 2)")
    parser.add_argument("--nochange-n", type=int, default=10, help="N for the no-change rebuild with PDFs (default 10)")
    parser.add_argument("--keep", help="build the district in this folder and keep it")
    opts = parser.parse_args()
    n = opts.district
    rows = set(opts.rows.split(","))
    with tempfile.TemporaryDirectory(prefix="budget-district-") as tmpdir:
        tmp = Path(opts.keep).absolute() if opts.keep else Path(tmpdir)
        content = tmp / "content"
        files = make_district(content, n)
        cores = os.cpu_count() or 1
        print(f"District of N={n} department-years ({len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB "
              f"of YAML); {cores} CPU cores; {uptime()}; CPU seconds of the child processes unless marked wall; "
              f"modules' bytecode cached{UNSET if 'PYTHONDONTWRITEBYTECODE' in os.environ else ''}")
        print()
        row("stage", "now", "floor", "ratio")
        print(f"|{'-' * 40}|{'-' * 44}|{'-' * 42}|{'-' * 8}|")

        if "check" in rows:
            floor = measured(parse_floor_cmd(files))
            parse = f"CSafeLoader parse {floor['cpu']:.1f} s ({peak_of(floor['out']):.0f} MB)"
            now = measured(check_cmd(content, "--no-cache"))
            row("invoke check, cold (--no-cache)", f"{now['cpu']:.1f} s, peak {peak_of(now['out']):.0f} MB",
                parse, ratio(now["cpu"], floor["cpu"]))
            filling = measured(check_cmd(content))  # fills the compute cache (content/../.cache/compute)
            row("invoke check, filling the cache", f"{filling['cpu']:.1f} s, peak {peak_of(filling['out']):.0f} MB",
                parse, ratio(filling["cpu"], floor["cpu"]))
            warm = measured(check_cmd(content))
            row("invoke check, warm cache", f"{warm['cpu']:.1f} s, peak {peak_of(warm['out']):.0f} MB",
                parse, ratio(warm["cpu"], floor["cpu"]))
            edit_one(files[-1])
            edited = measured(check_cmd(content))
            row("invoke check, one file edited", f"{edited['cpu']:.1f} s ({edited['wall']:.1f} s wall)",
                parse, ratio(edited["cpu"], floor["cpu"]))
            shutil.rmtree(content.parent / ".cache", ignore_errors=True)  # the builds below start cold

        out, cache = tmp / "site" / "output", tmp / "cache"
        html_cpu = None
        if rows & {"html", "edit", "nochange", "size"}:
            build = measured(build_cmd(content, out, cache, pdf=False))
            html_cpu = build["cpu"]
            if "html" in rows:
                floor = measured([PY, __file__, "--child-jinja", str(content), str(tmp / "jinja"), str(cache)])
                fj = json.loads(floor["out"].strip().splitlines()[-1])
                row("HTML build (no PDF)", f"{build['cpu']:.1f} s ({build['wall']:.1f} s wall)",
                    f"plain Jinja2, {fj['pages']} pages once: {fj['cpu']:.1f} s", ratio(build["cpu"], fj["cpu"]))
            if "size" in rows:
                size = sum(p.stat().st_size for p in out.resolve().rglob("*") if p.is_file())
                count = sum(1 for p in out.resolve().rglob("*") if p.is_file())
                row("output size (no PDF)", f"{size / n / 1e3:.0f} KB per department ({count} files)",
                    f"total {size / 1e6:.1f} MB", "")
            if rows & {"nochange", "edit"}:  # the first rebuild makes the spare (publish.py): measured from the second
                measured(build_cmd(content, out, cache, pdf=False))
            if "nochange" in rows:
                before = inodes(out)
                runs = [measured(build_cmd(content, out, cache, pdf=False)) for _ in range(REPEATS)]
                again = median_run(runs)
                after = inodes(out)
                same = sum(1 for k, v in after.items() if before.get(k) == v)
                row("no-change rebuild, HTML", f"{again['cpu']:.1f} s ({again['wall']:.1f} s wall; {walls(runs)})",
                    f"{len(after) - same} of {len(after)} files rewritten", ratio(again["cpu"], html_cpu))
                row("", rendered_count(cache), "", "")
            if "edit" in rows:
                runs = []
                for _ in range(REPEATS):  # the same department edited again each time: its pages change each time
                    before = inodes(out)
                    edit_one(files[0])
                    runs.append(measured(build_cmd(content, out, cache, pdf=False)))
                    after = inodes(out)
                edited = median_run(runs)
                changed = sorted(k for k, v in after.items() if before.get(k) != v)
                pages = sum(1 for k in changed if k.endswith(".html"))
                row("edit one department, rebuild HTML", f"{edited['cpu']:.1f} s ({edited['wall']:.1f} s wall; {walls(runs)})",
                    f"{len(changed)} of {len(after)} files rewritten ({pages} pages)", ratio(edited["cpu"], html_cpu))
                row("", rendered_count(cache), "", "")

        pn = min(n, opts.pdf_n)
        if "pdf" in rows and pn:
            pcontent = tmp / "pdf-content"
            make_district(pcontent, pn)
            one = measured([PY, __file__, "--child-pdf", str(pcontent), str(tmp / "p1"), "1", "project"])
            r1 = json.loads(one["out"].strip().splitlines()[-1])
            raw = measured([PY, __file__, "--child-pdf", str(pcontent), str(tmp / "pr"), "1", "tagged"])
            rr = json.loads(raw["out"].strip().splitlines()[-1])
            untagged = measured([PY, __file__, "--child-pdf", str(pcontent), str(tmp / "pu"), "1", "raw"])
            ru = json.loads(untagged["out"].strip().splitlines()[-1])
            row(f"cold PDFs, N={pn}: 1 worker", f"{r1['cpu']:.0f} s for {r1['pdfs']} PDFs ({r1['wall']:.0f} s wall)",
                f"raw WeasyPrint, tagged {rr['cpu']:.0f} s ({rr['wall']:.0f} s wall)", ratio(r1["cpu"], rr["cpu"]))
            row("", "", f"raw WeasyPrint, untagged {ru['cpu']:.0f} s", ratio(r1["cpu"], ru["cpu"]))
            if cores > 1:
                two = measured([PY, __file__, "--child-pdf", str(pcontent), str(tmp / "p2"), str(min(cores, 2)), "project"])
                r2 = json.loads(two["out"].strip().splitlines()[-1])
                row(f"cold PDFs, N={pn}: 2 workers (wall)", f"{r2['wall']:.0f} s wall, {r2['cpu']:.0f} s CPU",
                    f"1 worker {r1['wall']:.0f} s wall", f"{r1['wall'] / r2['wall']:.2f}×↑")
            per_pdf = r1["cpu"] / r1["pdfs"]
            pdfs_at_n = r1["pdfs"] * n / pn  # the copies alternate between the examples
            row(f"cold PDFs extrapolated to N={n}", f"{per_pdf * pdfs_at_n / 3600:.2f} CPU-h ({pdfs_at_n:.0f} PDFs)",
                f"raw tagged {rr['cpu'] / rr['pdfs'] * pdfs_at_n / 3600:.2f} CPU-h", ratio(r1["cpu"], rr["cpu"]))
        nn = min(n, opts.nochange_n)
        if "nochange-pdf" in rows and nn:
            pcontent = tmp / "nochange-content"
            make_district(pcontent, nn)
            pout, pcache = tmp / "pdf-site" / "output", tmp / "pdf-cache"
            htmlonly = measured(build_cmd(pcontent, tmp / "pdf-html" / "output", pcache, pdf=False))
            measured(build_cmd(pcontent, pout, pcache, pdf=True))  # cold, fills the PDF cache
            warm = measured(build_cmd(pcontent, pout, pcache, pdf=True))
            row(f"no-change rebuild with PDFs, N={nn}", f"{warm['cpu']:.1f} s ({warm['wall']:.1f} s wall)",
                f"HTML-only build {htmlonly['cpu']:.1f} s", ratio(warm["cpu"], htmlonly["cpu"]))
            row("", rendered_count(pcache), "", "")
        print(f"\n{uptime()} at the end")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-jinja":
        jinja_child(*sys.argv[2:5])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-pdf":
        pdf_child(*sys.argv[2:6])
    else:
        main()
