"""Build and PDF timings for the shipped content (`invoke bench`). A script, not a test.

Prints, for the budgets in content/:
- per PDF: pages, size, cold render time (a fresh process, no cache: import + render, and
  the render alone) and the peak memory (max RSS) of that process;
- the whole build (`pelican`, HTML + PDF) cold (empty PDF cache) and warm (cache filled),
  and without PDFs (BUDGET_PDF=false) for reference;
- parallel speedup: every PDF rendered with 1 worker process, then with one per CPU core.

    python benchmarks/run.py              # the figures above
    python benchmarks/run.py --tagging    # also: untagged vs pdf_tags vs PDF/UA-1 vs PDF/A-3a
    python benchmarks/run.py --repeat 5   # medians of 5 runs where a figure is repeated

Everything is written under a temporary folder; output/ and .cache/ are not touched.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VARIANTS = {
    "untagged": {"custom_metadata": True},
    "pdf_tags only": {"pdf_tags": True, "custom_metadata": True},
    "pdf/ua-1": {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "custom_metadata": True},
    "pdf/a-3a": {"pdf_variant": "pdf/a-3a", "pdf_tags": True, "custom_metadata": True},
}


# ---- child process: render one HTML file, report as JSON ---------------------------------
def child(html_file: str, base_url: str, allowed: str, options: str, repeat: int) -> None:
    import resource

    t0 = time.perf_counter()
    from generator.outputs import pdf

    if options != "-":
        pdf.PDF_OPTIONS = json.loads(options)
    imported = time.perf_counter() - t0
    html = Path(html_file).read_text(encoding="utf-8")
    times, cpu, data, pages, warnings = [], [], b"", 0, []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        data, warnings, pages = pdf._render(html, base_url, [allowed], pdf.cjk_fonts())
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(json.dumps({
        "import": imported, "times": times, "cpu": cpu, "pages": pages, "size": len(data), "warnings": warnings,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def run_child(html_file: Path, theme: Path, options: dict | None, repeat: int) -> dict:
    base_url = (theme / "static").as_uri() + "/"
    args = [sys.executable, __file__, "--child", str(html_file), base_url, str(theme),
            json.dumps(options) if options is not None else "-", str(repeat)]
    start = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - start
    return result


# ---- the PDF jobs of a build, without rendering them -------------------------------------
def collect_jobs(tmp: Path):
    """Run Pelican in this process with the PDF step intercepted: the HTML of every PDF."""
    import logging

    from pelican import Pelican
    from pelican.settings import read_settings

    from generator.outputs import pdf

    logging.getLogger().setLevel(logging.ERROR)
    captured: dict = {"jobs": [], "theme": None}

    def fake_prepare(jobs, cache_dir, theme, workers=None, **options):
        captured["jobs"] = list(jobs)
        captured["theme"] = Path(theme).resolve()
        cache_dir.mkdir(parents=True, exist_ok=True)
        for job in jobs:  # an empty PDF for the build to write
            job.cache_file = cache_dir / "empty.pdf"
            job.cache_file.touch()
        return [], []

    real_prepare = pdf.prepare
    pdf.prepare = fake_prepare
    try:
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(ROOT / "content"), "OUTPUT_PATH": str(tmp / "collect"), "BUDGET_CACHE": str(tmp / "collect-cache")})
        with contextlib.redirect_stdout(io.StringIO()):
            Pelican(settings).run()
    finally:
        pdf.prepare = real_prepare
    return captured["jobs"], captured["theme"]


def pelican_build(out: Path, cache: Path, *extra: str) -> float:
    args = [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s", str(ROOT / "pelicanconf.py"),
            "-o", str(out), "-q", "-e", f'BUDGET_CACHE="{cache}"', *extra]  # one -e: Pelican keeps only the last
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def median(values):
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tagging", action="store_true", help="compare untagged, pdf_tags, PDF/UA-1 and PDF/A-3a")
    parser.add_argument("--repeat", type=int, default=3, help="runs per repeated figure (median)")
    opts = parser.parse_args()

    import weasyprint

    from generator.outputs import pdf

    cores = os.cpu_count() or 1
    print(f"WeasyPrint {weasyprint.__version__}, {cores} CPU cores, PDF options {pdf.PDF_OPTIONS}")
    with tempfile.TemporaryDirectory(prefix="budget-bench-") as tmpdir:
        tmp = Path(tmpdir)
        jobs, theme = collect_jobs(tmp)
        if not jobs:
            print("no PDFs to render (no budgets in content/?)")
            return
        html_files = []
        for i, job in enumerate(jobs):
            f = tmp / f"job{i}.html"
            f.write_text(job.html, encoding="utf-8")
            html_files.append(f)

        print("\nPer PDF, cold (fresh process, no cache):")
        print(f"  {'PDF':<44} {'pages':>5} {'size':>10} {'process':>8} {'render':>7} {'CPU':>6} {'peak RSS':>9}")
        for job, f in zip(jobs, html_files):
            runs = [run_child(f, theme, None, 1) for _ in range(opts.repeat)]
            r = runs[0]
            if r["warnings"]:
                print(f"  WARNINGS for {job.out.name}: {r['warnings']}")
            print(f"  {job.out.name:<44} {r['pages']:>5} {r['size'] / 1024:>8.0f} KB"
                  f" {median([x['process'] for x in runs]):>7.2f}s {median([x['times'][0] for x in runs]):>6.2f}s"
                  f" {median([x['cpu'][0] for x in runs]):>5.2f}s"
                  f" {max(x['max_rss_mb'] for x in runs):>6.0f} MB")

        print("\nWhole build (pelican, HTML + PDF):")
        cold, warm, nopdf = [], [], []
        for i in range(opts.repeat):
            cache = tmp / f"cache{i}"
            cold.append(pelican_build(tmp / f"out{i}", cache))
            warm.append(pelican_build(tmp / f"out{i}", cache))
            nopdf.append(pelican_build(tmp / f"nopdf{i}", cache, "BUDGET_PDF=false"))
        print(f"  cold (empty PDF cache) {median(cold):6.2f} s")
        print(f"  warm (cached PDFs)     {median(warm):6.2f} s")
        print(f"  without PDFs           {median(nopdf):6.2f} s")

        print("\nParallel rendering (generator.pdf.prepare, fresh cache each time):")
        timings = {}
        for workers in sorted({1, cores}):
            runs = []
            for i in range(opts.repeat):
                for job in jobs:
                    job.cache_file = None
                start = time.perf_counter()
                problems, _ = pdf.prepare(jobs, tmp / f"par{workers}-{i}", str(theme), workers=workers)
                runs.append(time.perf_counter() - start)
                if problems:
                    print("  problems:", [p.format("en") for p in problems])
            timings[workers] = median(runs)
            print(f"  {workers} worker(s): {timings[workers]:6.2f} s for {len(jobs)} PDFs")
        if cores > 1:
            print(f"  speedup with {cores} workers: {timings[1] / timings[cores]:.2f}x")

        if opts.tagging:
            print(f"\nTagging (warm process: 1 warm-up, median of {opts.repeat}; wall / CPU time, size):")
            print(f"  {'variant':<15} " + " ".join(f"{j.out.name.rsplit('-', 1)[-1]:>30}" for j in jobs))
            for name, options in VARIANTS.items():
                cells = []
                for f in html_files:
                    r = run_child(f, theme, options, opts.repeat + 1)
                    cells.append(f"{median(r['times'][1:]):6.2f} s {median(r['cpu'][1:]):6.2f} s {r['size'] / 1024:>6.0f} KB")
                print(f"  {name:<15} " + " ".join(f"{c:>30}" for c in cells))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
    else:
        main()
