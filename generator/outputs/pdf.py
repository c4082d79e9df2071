"""PDF rendering with WeasyPrint: parallel, cached by input hash, offline, warning-free.

- Rendering reads only the theme's own files and data: URLs; anything else (http://, a file
  outside the theme …) stops it with a message naming the URL.
- Any WeasyPrint warning or error message (a missing glyph, an unreadable stylesheet …)
  fails the build.
- No Chinese font → the PDF step stops before rendering and says what to install; after
  rendering, a document with Chinese text must embed a Chinese font (never empty boxes).
- The same input gives a byte-identical PDF (no dates, no random IDs), so a PDF whose inputs
  (HTML, stylesheets, fonts, WeasyPrint version, options) have not changed is copied from
  the cache, not rendered.
- PDFs render in parallel, one process per CPU core (spawned, so each is a clean WeasyPrint).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import hashlib
import logging
import multiprocessing
import os
import re
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from html import escape as html_escape
from html import unescape as html_unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.core.diagnostics import Issue, Location, issue
from generator.outputs.shard import Progress, missing

THEME_STATIC = "static"
STYLESHEETS = ("css/pdf.css",)

# Tagged PDF, PDF/UA-1. Measured with `benchmarks/run.py --tagging` (WeasyPrint 70.0, 2 cores,
# one warm process per variant, median of 3 renders; 2024 seed: zh 42 pages, en 47 pages):
#
#   variant                 zh time   zh size     en time   en size
#   untagged                 4.39 s     800 KB     4.91 s     627 KB
#   pdf_tags only            4.71 s     969 KB     5.47 s     805 KB
#   pdf/ua-1 (tags)          5.11 s     970 KB     5.36 s     805 KB
#   pdf/a-3a (tags + A)      5.59 s     973 KB     5.51 s     808 KB
#
# Tagging costs +7-16 % render time and +170 KB (+21-28 %) for the structure tree. Between the
# three tagged variants the differences are run-to-run noise (an earlier run ranked them the
# other way round; CPU time 4.67-4.89 s zh); PDF/A-3a adds 3 KB (the sRGB output intent).
# Chosen: PDF/UA-1. Citizens must be able to read this document: the structure tree
# (headings, tables with header cells, lists), /Lang, the title shown in the window bar and
# the bookmarks let screen readers and reflow read the tables and copy figures in order (and
# with tags WeasyPrint reports an image without alt text, which fails the build). PDF/A-3a
# would add archival claims we do not need (the archive is the YAML and this deterministic
# build), and WeasyPrint writes only one conformance identifier. Neither claim is checked by
# a validator here (no veraPDF on the build machine).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "custom_metadata": True}

CJK_TEXT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
INSTALL_FONTS = "sudo apt-get install fonts-noto-cjk"
INSTALL_SUBSET = "sudo apt-get install libharfbuzz-subset0"


@dataclass
class Job:
    html: str | Callable[[], str]  # the PDF's HTML, or what reads it (a page cache's copy: read only if rendered)
    out: Path  # where the PDF goes in output/
    cache_file: Path | None = None  # set by prepare(): the rendered PDF, named by its inputs' hash
    html_sha256: str | None = None  # the HTML's hash, when it is known without reading the HTML

    def text(self) -> str:
        if callable(self.html):
            self.html = self.html()
        return self.html

    def digest(self) -> str:
        if self.html_sha256 is None:
            self.html_sha256 = html_digest(self.text())
        return self.html_sha256


def html_digest(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def valid_digest(stored: bytes | None) -> str | None:
    """A digest kept in a cache file, if it is one (else the HTML is hashed again)."""
    text = stored.decode("ascii", "replace") if stored else ""
    return text if re.fullmatch(r"[0-9a-f]{64}", text) else None


@dataclass
class Result:
    out: str
    seconds: float
    cached: bool
    warnings: list[str]
    error: str | None = None
    pages: int = 0


def stylesheet_urls(theme: str) -> list[str]:
    return [(Path(theme) / THEME_STATIC / name).resolve().as_uri() for name in STYLESHEETS]


def cjk_fonts() -> list[str]:
    """Font families fontconfig offers for Simplified Chinese."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.strip() for line in out.splitlines() if line.strip()})


@functools.lru_cache(maxsize=1)
def _font_signature() -> str:
    """Every installed font file with its version: a font upgrade renders the PDFs again."""
    try:
        out = subprocess.run(["fc-list", "--format", "%{file}|%{family}|%{style}|%{fontversion}\n"],
                             capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    return "\n".join(sorted(out.splitlines()))


def preflight() -> list[Issue]:
    """Stop before rendering when the PDFs would come out wrong or the build would fail late."""
    found = []
    if not cjk_fonts():
        found.append(issue("E308", Location("PDF"), install=INSTALL_FONTS))
    if ctypes.util.find_library("harfbuzz-subset") is None:
        # WeasyPrint would fall back to fontTools (20× slower on CJK fonts) with a warning,
        # and warnings fail the build: say so now, with the fix.
        found.append(issue("E402", Location("PDF"), install=INSTALL_SUBSET))
    return found


def _fingerprint(job: Job, stylesheets: list[Path]) -> str:
    import pydyf
    import weasyprint

    h = hashlib.sha256()
    h.update(f"weasyprint {weasyprint.__version__} pydyf {pydyf.__version__}\n".encode())
    h.update(repr(sorted(PDF_OPTIONS.items())).encode())
    h.update(f"html {job.digest()}\n".encode())
    for path in stylesheets:
        h.update(path.read_bytes())
    h.update(_font_signature().encode())
    return h.hexdigest()


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


_HREF = re.compile(r'(<a\b[^>]*?)\s+href="([^"]*)"', re.I)
_PDF_LINK = re.compile(r"^(?:#|https?:|mailto:)", re.I)


_IMG = re.compile(r'<img\b[^>]*>', re.I)
_ALT = re.compile(r'\salt="([^"]*)"')
_SRC = re.compile(r'\ssrc="([^"]*)"')


def pdf_links(html: str) -> str:
    """Only links within the document (#…) and to http(s): or mailto: become PDF links; any
    other href (relative, file:, javascript: …) is dropped, its text stays. Site-relative images
    (the only ones the sanitiser keeps in prose; they mean nothing in a PDF) become their alt text."""
    def keep(m: re.Match) -> str:
        href = re.sub(r"[\t\n\r]|&#0*9;|&#0*1[03];", "", m[2]).strip()
        return m[0] if _PDF_LINK.match(href) else m[1]
    def alt(m: re.Match) -> str:
        src = _SRC.search(m[0])
        if src and re.match(r"[a-z][a-z0-9+.-]*:|//", src[1].strip(), re.I):
            return m[0]  # absolute: the URL fetcher decides (theme files and data: only)
        found = _ALT.search(m[0])
        return html_escape(html_unescape(found[1])) if found else ""
    return _IMG.sub(alt, _HREF.sub(keep, html))


def _render(html: str, base_url: str, allowed: list[str], families: list[str] | None = None) -> tuple[bytes, list[str], int]:
    """The PDF bytes, every warning WeasyPrint logged, and the page count."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):  # file://host/… would look the host up
                path = os.path.realpath(unquote(parts.path))
                if any(root and _inside(path, root) for root in allowed):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(
                f"refusing to fetch {url}: a PDF may only use the theme's own files and data: URLs "
                "(rendering never reaches the network)")

    handler = _Collect()
    wlog = logging.getLogger("weasyprint")
    old_level = wlog.level
    if wlog.getEffectiveLevel() > logging.WARNING:  # e.g. `pelican -q` raises the root level
        wlog.setLevel(logging.WARNING)
    wlog.addHandler(handler)
    try:
        # What HTML.write_pdf() does, keeping the Document to look at its fonts and pages.
        document = weasyprint.HTML(string=pdf_links(html), base_url=base_url, url_fetcher=LocalOnly()).render(**PDF_OPTIONS)
        pdf = document.write_pdf(**PDF_OPTIONS)
    finally:
        wlog.removeHandler(handler)
        wlog.setLevel(old_level)
    messages = handler.messages
    if families is not None and CJK_TEXT.search(html):
        embedded = {font.family for font in document.fonts.values()}
        chinese = {name.strip() for line in families for name in line.split(",")}
        if not embedded & chinese:
            messages.append(f"the document has Chinese text but no Chinese font was embedded "
                            f"(embedded: {', '.join(sorted(embedded)) or 'none'}); install one: {INSTALL_FONTS}")
    return pdf, messages, len(document.pages)


def _work(args: tuple) -> Result:
    html, out, base_url, allowed, cache_file, families = args
    start = time.perf_counter()
    try:
        data, warnings, pages = _render(html, base_url, allowed, families)
    except BaseException as exc:  # noqa: BLE001 - reported as a build failure, never a traceback
        return Result(out, time.perf_counter() - start, False, [], f"{type(exc).__name__}: {exc}")
    if not warnings:
        tmp = Path(f"{cache_file}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            tmp.replace(cache_file)
        except OSError:  # a full disk, a read-only cache …: reported by the build (faults.py)
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise
    return Result(out, time.perf_counter() - start, False, warnings, pages=pages)


def prepare(jobs: list[Job], cache_dir: Path, theme: str, workers: int | None = None,
            render: bool = True) -> tuple[list[Issue], list[Result]]:
    """Render every job into the cache (unless already there); nothing is written to output/.
    `render=False` (an assembly): none is rendered, E410 if one is not in the cache."""
    theme_dir = Path(theme).resolve()
    stylesheets = [theme_dir / THEME_STATIC / name for name in STYLESHEETS]
    allowed = [str(theme_dir)]
    base_url = (theme_dir / THEME_STATIC).as_uri() + "/"
    cache_dir.mkdir(parents=True, exist_ok=True)
    families = cjk_fonts()

    todo, results = [], []
    for job in jobs:
        job.cache_file = cache_dir / f"{_fingerprint(job, stylesheets)}.pdf"
        if job.cache_file.exists():
            results.append(Result(str(job.out), 0.0, True, []))
        else:
            todo.append(job)
    if todo and render is False:  # assembling: every PDF must come from the cache
        return missing([str(job.out) for job in todo], str(cache_dir)), results
    if todo:
        todo.sort(key=lambda job: -len(job.text()))  # the longest first: the workers finish together
        args = [(job.text(), str(job.out), base_url, allowed, str(job.cache_file), families) for job in todo]
        n = min(len(todo), workers or os.cpu_count() or 1)
        progress = Progress(len(todo))
        if n == 1:
            for a in args:
                results.append(_work(a))
                progress.step()
        else:
            with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
                for future in as_completed([pool.submit(_work, a) for a in args]):
                    results.append(future.result())
                    progress.step()
        results.sort(key=lambda r: r.out)

    _prune(cache_dir, keep={job.cache_file for job in jobs})
    log = logging.getLogger(__name__)
    found = []
    for r in results:
        log.info("PDF %s: %s", r.out, "unchanged (from cache)" if r.cached else f"rendered in {r.seconds:.2f} s, {r.pages} pages")
        if r.error:
            found.append(issue("E403", Location(r.out), problem=r.error))
        for w in r.warnings:
            found.append(issue("E404", Location(r.out), warning=w))
    return found, results


CACHE_DAYS = 30


def _prune(cache_dir: Path, keep: set[Path], days: int = CACHE_DAYS) -> None:
    """Forget cached PDFs this build did not use and nothing has written for `days` days."""
    cutoff = time.time() - days * 86400
    for path in cache_dir.glob("*.pdf"):
        if path not in keep and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
