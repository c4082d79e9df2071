"""PDF rendering with WeasyPrint: parallel, cached by input hash, offline, warning-free.

- Rendering reads only the theme's own files and data: URLs; anything else stops it.
- Any WeasyPrint warning (a missing glyph, an unreadable stylesheet …) fails the build.
- The same input gives a byte-identical PDF, so a PDF whose inputs (HTML, stylesheets,
  fonts, WeasyPrint version) have not changed is copied from the cache, not rendered.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import logging
import multiprocessing
import os
import shutil
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Both, Issue, Location, issue

THEME_STATIC = "static"
STYLESHEETS = ("css/pdf.css",)
# Tagged PDF/UA-1: structure for screen readers and reliable copy/search; costs ~15% time.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "custom_metadata": True}


@dataclass
class Job:
    html: str
    out: Path  # where the PDF goes in output/
    cache_file: Path | None = None  # set by prepare(): the rendered PDF, named by its inputs' hash


@dataclass
class Result:
    out: str
    seconds: float
    cached: bool
    warnings: list[str]
    error: str | None = None


def stylesheet_urls(theme: str) -> list[str]:
    return [(Path(theme) / THEME_STATIC / name).resolve().as_uri() for name in STYLESHEETS]


def cjk_fonts() -> list[str]:
    """Font families fontconfig offers for Simplified Chinese."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.strip() for line in out.splitlines() if line.strip()})


def preflight() -> list[Issue]:
    """Stop before rendering when the PDFs would come out wrong (Chinese as empty boxes)."""
    found = []
    if not cjk_fonts():
        found.append(issue("E308", Location("PDF"), detail=Both(
            "系统中没有中文字体，PDF 中的中文会显示为空框。请安装：sudo apt-get install fonts-noto-cjk",
            "no Chinese font is installed, so the PDF would show Chinese as empty boxes. "
            "Install one: sudo apt-get install fonts-noto-cjk")))
    if ctypes.util.find_library("harfbuzz-subset") is None:
        logging.getLogger(__name__).warning(
            "libharfbuzz-subset0 is missing: fonts will be subset slowly (apt-get install libharfbuzz-subset0)")
    return found


def _fingerprint(job: Job, stylesheets: list[Path]) -> str:
    import weasyprint

    h = hashlib.sha256()
    h.update(weasyprint.__version__.encode())
    h.update(repr(sorted(PDF_OPTIONS.items())).encode())
    h.update(job.html.encode())
    for path in stylesheets:
        h.update(path.read_bytes())
    h.update("\n".join(cjk_fonts()).encode())
    return h.hexdigest()


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _render(html: str, base_url: str, allowed: list[str]) -> tuple[bytes, list[str]]:
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                path = os.path.realpath(url[len("file://"):].split("?")[0])
                if any(root and path.startswith(root) for root in allowed):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"refusing to fetch {url}: PDFs may only use the theme's own files")

    handler = _Collect()
    wlog = logging.getLogger("weasyprint")
    wlog.addHandler(handler)
    try:
        pdf = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=LocalOnly()).write_pdf(**PDF_OPTIONS)
    finally:
        wlog.removeHandler(handler)
    return pdf, handler.messages


def _work(args: tuple) -> Result:
    html, out, base_url, allowed, cache_file = args
    start = time.perf_counter()
    try:
        data, warnings = _render(html, base_url, allowed)
    except BaseException as exc:  # noqa: BLE001 - reported as a build failure, never a traceback
        return Result(out, time.perf_counter() - start, False, [], f"{type(exc).__name__}: {exc}")
    if not warnings:
        tmp = Path(cache_file + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(cache_file)
    return Result(out, time.perf_counter() - start, False, warnings)


def prepare(jobs: list[Job], cache_dir: Path, theme: str, workers: int | None = None) -> tuple[list[Issue], list[Result]]:
    """Render every job into the cache (unless already there); nothing is written to output/."""
    theme_dir = Path(theme).resolve()
    stylesheets = [theme_dir / THEME_STATIC / name for name in STYLESHEETS]
    allowed = [str(theme_dir)]
    base_url = (theme_dir / THEME_STATIC).as_uri() + "/"
    cache_dir.mkdir(parents=True, exist_ok=True)

    todo, results = [], []
    for job in jobs:
        job.cache_file = cache_dir / f"{_fingerprint(job, stylesheets)}.pdf"
        if job.cache_file.exists():
            results.append(Result(str(job.out), 0.0, True, []))
        else:
            todo.append(job)
    if todo:
        args = [(job.html, str(job.out), base_url, allowed, str(job.cache_file)) for job in todo]
        n = min(len(todo), workers or os.cpu_count() or 1)
        if n == 1:
            results += [_work(a) for a in args]
        else:
            with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
                results += list(pool.map(_work, args))

    log = logging.getLogger(__name__)
    found = []
    for r in results:
        log.info("PDF %s: %s", r.out, "unchanged (from cache)" if r.cached else f"rendered in {r.seconds:.2f} s")
        if r.error:
            found.append(issue("E308", Location(r.out), detail=Both(f"PDF 生成失败：{r.error}", f"PDF rendering failed: {r.error}")))
        for w in r.warnings:
            found.append(issue("E308", Location(r.out), detail=Both(f"WeasyPrint 警告（视为错误）：{w}",
                                                                     f"WeasyPrint warning (treated as an error): {w}")))
    return found, results


def place(jobs: list[Job]) -> None:
    """Copy the prepared PDFs into output/."""
    for job in jobs:
        job.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(job.cache_file, job.out)
