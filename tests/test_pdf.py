"""The PDFs, read back: figures, fonts, bookmarks, metadata, layout; and the PDF step's rules
(deterministic, cached, offline, no warnings, no PDF without a Chinese font, --no-pdf).

Most tests read the PDFs of the session build (`site`, conftest.py). The text layer is read
with poppler's `pdftotext -layout`, one page at a time; bookmarks, metadata and fonts with pypdf.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, make_content, run_pelican, seed_text
from pypdf import PdfReader

from generator.core import labels as lb
from generator.core.money import table_cell
from generator.outputs import pdf
from generator.present.render import pdf_name

pytestmark = [pytest.mark.pdf,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")]

LANGS = ("zh", "en")
TABLES = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
THEME = ROOT / "themes" / "budget"
# An amount as the tables print it: 5,715.29 / 0.50 (never part of a longer number or code)
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d])")


# ---------------------------------------------------------------- fixtures and helpers


def pdf_path(site: Path, seed, lang: str) -> Path:
    return site / lang / str(seed.year) / seed.slug / pdf_name(seed, lang)


@pytest.fixture(scope="session")
def pdfs(site, seed) -> dict[str, Path]:
    return {lang: pdf_path(site, seed, lang) for lang in LANGS}


@pytest.fixture(scope="session")
def pages(pdfs) -> dict[str, list[str]]:
    """The text layer of every page (index 0 = page 1), as pdftotext -layout lays it out."""
    out = {}
    for lang, path in pdfs.items():
        text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        out[lang] = text.split("\f")[:-1]
    return out


@pytest.fixture(scope="session")
def readers(pdfs) -> dict[str, PdfReader]:
    return {lang: PdfReader(path) for lang, path in pdfs.items()}


def outline(reader: PdfReader) -> list[tuple[str, int, list]]:
    """[(title, page number from 1, children)] of the bookmarks."""
    def walk(items):
        out = []
        for item in items:
            if isinstance(item, list):
                out[-1][2].extend(walk(item))
            else:
                out.append((item.title, reader.get_destination_page_number(item) + 1, []))
        return out
    return walk(reader.outline)


def table_pages(reader: PdfReader) -> dict[str, list[int]]:
    """The pages (from 1) of each budget table: from its bookmark to the next one."""
    top = outline(reader)
    (tables,) = [children for title, _, children in top if title in (lb.SECTIONS[4][1].zh, lb.SECTIONS[4][1].en)]
    starts = [page for _, page, _ in tables]
    after = [page for title, page, _ in top if title in (lb.SECTIONS[5][1].zh, lb.SECTIONS[5][1].en)][0]
    ends = [max(start, nxt - 1) for start, nxt in zip(starts, starts[1:] + [after])]
    return {number: list(range(s, e + 1)) for number, s, e in zip(TABLES, starts, ends)}


def expected_lines(table, unit: str) -> list[list[str]]:
    """The amounts of each printed row of a table, left to right, rows without any left out."""
    def shown(row, columns):
        return [t for t in (table_cell(row.values.get(c.key), unit) for c in columns) if t]

    if table.layout == "balance":
        left, right = table.sides
        rows = []
        for i in range(max(len(left.rows), len(right.rows))):
            line = shown(left.rows[i], left.columns) if i < len(left.rows) else []
            line += shown(right.rows[i], right.columns) if i < len(right.rows) else []
            rows.append(line)
        rows.append(shown(left.total, left.columns) + shown(right.total, right.columns))
    else:
        rows = [shown(row, table.columns) for row in table.rows]
    return [r for r in rows if r]


def fonts_of(reader: PdfReader) -> dict[str, bool]:
    """Every font used on any page: base font name -> whether its program is embedded."""
    found: dict[str, bool] = {}

    def visit(resources):
        if not resources:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]
            embedded = any(d is not None and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                           for d in descriptors)
            found[str(font["/BaseFont"])] = embedded
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


# ---------------------------------------------------------------- figures


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("number", TABLES)
def test_every_table_figure_is_printed_in_its_row(seed, readers, pages, lang, number):
    """Each printed row of table N shows exactly the ledger's figures for that row, in column
    order, on table N's own page(s); and no other amount appears there."""
    table = seed.tables[number]
    on = table_pages(readers[lang])[number]
    text = "\n".join(pages[lang][p - 1] for p in on)
    printed = [AMOUNT.findall(line) for line in text.splitlines()]
    printed = [line for line in printed if line]
    assert printed == expected_lines(table, seed.unit), f"table {number} ({lang}) on page(s) {on}"
    # Every non-zero cell of the ledger, counted (the check above, stated cell by cell)
    cells = Counter(table_cell(v, seed.unit) for v in table.cells().values() if table_cell(v, seed.unit))
    assert Counter(AMOUNT.findall(text)) == cells


@pytest.mark.parametrize("lang", LANGS)
def test_balance_totals_printed_once(seed, readers, pages, lang):
    """收入总计 / 支出总计 once (the row check above covers the 合计 rows of the other tables)."""
    for number in ("01", "04"):
        text = "\n".join(pages[lang][p - 1] for p in table_pages(readers[lang])[number])
        for side in seed.tables[number].sides:
            label = side.total.label(lang)
            assert text.count(label) == 1, f"table {number}: {label!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_tables_fit_their_pages(seed, readers, lang):
    """The seed's nine tables each fit one page (no rows spilling onto an extra page), and
    the wide tables 02 and 04 are on landscape pages."""
    reader = readers[lang]
    for number, on in table_pages(reader).items():
        assert len(on) == 1, f"table {number} spans pages {on}"
        box = reader.pages[on[0] - 1].mediabox
        landscape = box.width > box.height
        assert landscape == (number in ("02", "04")), f"table {number}: landscape={landscape}"


# ---------------------------------------------------------------- document structure


@pytest.mark.parametrize("lang", LANGS)
def test_bookmarks(seed, readers, lang):
    top = outline(readers[lang])
    titles = [t for t, _, _ in top]
    sections = [label(lang) for _, label in lb.SECTIONS]
    assert titles == sections + [lb.RECONCILIATION(lang)]
    pages = [p for _, p, _ in top]
    assert pages == sorted(pages) and pages[0] == 3  # after the cover and the contents
    children = dict((t, c) for t, _, c in top)
    year = f"{seed.year}年" if lang == "zh" else f"{seed.year} "
    assert [t for t, _, _ in children[sections[4]]] == [
        f"{n} {year}{seed.tables[n].title(lang)}" for n in TABLES]
    forms = [p for p in seed.budget.projects if p.form]
    assert [t for t, _, _ in children[sections[7]]] == [p.name.zh if lang == "zh" else p.name.en for p in forms]
    table_pages_ = [p for _, p, _ in children[sections[4]]]
    assert table_pages_ == sorted(set(table_pages_))  # each table starts its own page


@pytest.mark.parametrize("lang", LANGS)
def test_contents_page_numbers_match_the_bookmarks(readers, pages, lang):
    toc = pages[lang][1]
    listed = [(m.group(1).strip(), int(m.group(2))) for m in re.finditer(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", toc, re.M)]
    marks = []
    for title, page, children in outline(readers[lang])[:]:
        marks.append((title, page))
        if title in (lb.SECTIONS[4][1].zh, lb.SECTIONS[4][1].en):
            marks += [(t, p) for t, p, _ in children]
    assert [p for _, p in listed] == [p for _, p in marks]
    for (shown, _), (title, _) in zip(listed, marks):
        assert re.sub(r"\s", "", shown) == re.sub(r"\s", "", title)


@pytest.mark.parametrize("lang", LANGS)
def test_cover_header_and_footer(seed, pages, lang):
    cover = re.sub(r"\s+", "", pages[lang][0])
    dept = seed.budget.department
    if lang == "zh":
        for words in (f"{seed.year}年部门预算", "预算主管部门", dept.name.zh, dept.supervisor.zh):
            assert words in cover
    else:
        for words in (f"{seed.year}DepartmentBudget", "Supervisingbudgetdepartment", dept.name.en, dept.supervisor.en):
            assert re.sub(r"\s", "", words) in cover
    n = len(pages[lang])
    assert "页" not in pages[lang][0] and "Page" not in pages[lang][0]  # the cover has no footer
    for number, text in enumerate(pages[lang][1:], start=2):
        footer = f"第 {number} 页，共 {n} 页" if lang == "zh" else f"Page {number} of {n}"
        assert footer in text, f"page {number}"
        assert ("Page " not in text) if lang == "zh" else (" 页，共 " not in text)
    running = f"{seed.year}年部门预算 · {dept.name.zh}" if lang == "zh" else f"{seed.year} department budget · {dept.name.en}"
    assert running in pages[lang][2]


@pytest.mark.parametrize("lang", LANGS)
def test_chinese_fonts_are_embedded(readers, lang):
    fonts = fonts_of(readers[lang])
    assert fonts and all(fonts.values()), f"not embedded: {[f for f, e in fonts.items() if not e]}"
    cjk = [f for f in fonts if "CJK" in f]
    # Song (serif) for text, Hei (sans) for headings, the Simplified Chinese faces only
    assert any("Serif-CJK-SC" in f for f in cjk), fonts
    assert any("Sans-CJK-SC" in f for f in cjk), fonts
    assert not [f for f in cjk if re.search(r"CJK-(JP|KR|TC|HK)", f)], fonts


@pytest.mark.parametrize("lang", LANGS)
def test_metadata_and_tags(seed, readers, lang):
    reader = readers[lang]
    meta = reader.metadata
    dept = seed.budget.department
    name = dept.name.zh if lang == "zh" else dept.name.en
    assert meta.title == (f"{seed.year}年部门预算 - {name}" if lang == "zh" else f"{seed.year} department budget - {name}")
    assert meta.author == name
    assert (dept.supervisor.zh if lang == "zh" else dept.supervisor.en) in meta.subject
    assert str(seed.year) in meta["/Keywords"] and ("部门预算" if lang == "zh" else "department budget") in meta["/Keywords"]
    assert "/CreationDate" not in meta and "/ModDate" not in meta  # nothing that changes between builds
    root = reader.trailer["/Root"]
    assert root["/Lang"] == ("zh-CN" if lang == "zh" else "en")
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    if pdf.PDF_OPTIONS.get("pdf_variant") == "pdf/ua-1":
        assert 'pdfuaid:part="1"' in xmp or "<pdfuaid:part>1</pdfuaid:part>" in xmp


# ---------------------------------------------------------------- the PDF step's rules


def test_a_second_build_uses_the_cache(site, pdfs, tmp_path):
    cache = site.parent / "cache" / "pdf"
    before = {f: f.stat().st_mtime_ns for f in cache.glob("*.pdf")}
    assert len(before) == len(LANGS) * len(list(site.glob("zh/*/**/*.pdf")))  # every document, every language
    out = tmp_path / "output"
    result = run_pelican(CONTENT, out, cache=site.parent / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert {f: f.stat().st_mtime_ns for f in cache.glob("*.pdf")} == before  # nothing rendered again
    for path in pdfs.values():
        assert (out / path.relative_to(site)).read_bytes() == path.read_bytes()
    stats = json.loads((site.parent / "cache" / "pages" / "last-build.json").read_text(encoding="utf-8"))
    # the cached PDFs were found by the hash kept beside their HTML: of the cached pages, only the
    # site's own were read (to be written into a new folder), no PDF's HTML
    assert stats["pages_read"] <= stats["from_cache"] - len(before)


def test_same_input_gives_a_byte_identical_pdf(site, pdfs, tmp_path):
    out = tmp_path / "output"
    result = run_pelican(CONTENT, out, cache=tmp_path / "fresh-cache")  # rendered again, other processes
    assert result.returncode == 0, result.stdout + result.stderr
    for lang, path in pdfs.items():
        assert (out / path.relative_to(site)).read_bytes() == path.read_bytes(), lang


def test_no_pdf_switch(tmp_path, seed):
    out = tmp_path / "output"
    result = run_pelican(CONTENT, out, "BUDGET_PDF=false", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(out.rglob("*.pdf")) == []
    assert not (tmp_path / "cache" / "pdf").exists() or not list((tmp_path / "cache" / "pdf").iterdir())
    for lang in LANGS:
        page = (out / lang / str(seed.year) / seed.slug / "index.html").read_text(encoding="utf-8")
        assert ".pdf" not in page


def test_no_chinese_font_stops_the_pdf_step(monkeypatch, tmp_path, capfd):
    monkeypatch.setattr(pdf, "cjk_fonts", lambda: [])
    problems = pdf.preflight()
    assert [p.code for p in problems] == ["E308"]
    assert "fonts-noto-cjk" in problems[0].format("en") and "fonts-noto-cjk" in problems[0].format("zh")

    # The whole build, in this process so that the patch applies: it stops, and writes no PDF.
    from pelican import Pelican
    from pelican.settings import read_settings

    out = tmp_path / "output"
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(CONTENT), "OUTPUT_PATH": str(out), "BUDGET_CACHE": str(tmp_path / "cache")})
    from generator.outputs.plugin import BuildFailed

    with pytest.raises(BuildFailed):
        Pelican(settings).run()
    assert "fonts-noto-cjk" in capfd.readouterr().err
    assert not list(out.rglob("*.pdf")) if out.exists() else True


def test_a_rendered_pdf_without_a_chinese_font_is_refused(tmp_path):
    """After rendering, Chinese text must have been set in one of the Chinese fonts."""
    html = '<html lang="zh-CN"><body><p>部门预算</p></body></html>'
    base = (THEME / "static").as_uri() + "/"
    _, messages, _ = pdf._render(html, base, [str(THEME)], ["Some Other Font"])
    assert any("no Chinese font was embedded" in m for m in messages)
    _, messages, _ = pdf._render(html, base, [str(THEME)], pdf.cjk_fonts())
    assert messages == []


def _prepare_one(tmp_path: Path, body: str, head: str = "") -> list[str]:
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title>{head}</head>'
            f"<body>{body}</body></html>")
    job = pdf.Job(html=html, out=tmp_path / "out" / "x.pdf")
    problems, _ = pdf.prepare([job], tmp_path / "cache", str(THEME), workers=1)
    return [p.format("en") for p in problems]


@pytest.mark.parametrize("head, body, url", [
    ('<link rel="stylesheet" href="http://example.com/style.css">', "<p>x</p>", "http://example.com/style.css"),
    ("", '<p><img src="https://example.com/logo.png" alt="logo"></p>', "https://example.com/logo.png"),
    ("", '<p><img src="file:///etc/hostname" alt="x"></p>', "file:///etc/hostname"),
    # protocol-relative: resolved against the file:// base, a file on another host
    ("<style>@import url(//example.com/a.css);</style>", "<p>x</p>", "file://example.com/a.css"),
    ("", f'<p><img src="file://example.com{THEME}/static/x.png" alt="x"></p>', f"file://example.com{THEME}/static/x.png"),
])
def test_rendering_never_reaches_the_network(monkeypatch, tmp_path, head, body, url):
    def no_network(*args, **kwargs):
        raise AssertionError(f"the PDF step opened a connection: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    messages = _prepare_one(tmp_path, body, head)
    assert len(messages) == 1 and "E403" in messages[0], messages
    assert f"refusing to fetch {url}" in messages[0]
    assert not list((tmp_path / "cache").glob("*.pdf"))  # nothing cached, nothing published


def test_theme_files_and_data_urls_are_allowed(tmp_path):
    pixel = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
    css = (THEME / "static" / "css" / "pdf.css").as_uri()
    body = f'<p>部门预算<img src="{pixel}" alt="一个像素"></p>'
    assert _prepare_one(tmp_path, body, f'<link rel="stylesheet" href="{css}">') == []


def test_a_remote_image_in_the_content_is_removed_and_reported(tmp_path):
    """End to end: Markdown prose with an http:// image is published without it, with W216 naming
    the URL at its line (tests/test_sanitise.py covers every other kind of payload)."""
    text = re.sub(r"^(organisation:\n  zh: )(.*)$", r"\1'![logo](http://example.com/logo.png) \2'", seed_text(),
                  count=1, flags=re.M)
    assert "example.com" in text
    content = make_content(tmp_path, {"2024/anting-city-operations.yaml": text})
    out = tmp_path / "output"
    result = run_pelican(content, out, cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    line = text.split("\n").index(next(t for t in text.split("\n") if "example.com" in t)) + 1
    assert re.search(rf"anting-city-operations\.yaml:{line}:\d+: W216 外部图片 http://example\.com/logo\.png",
                     result.stdout + result.stderr)
    page = out / "zh" / "2024" / "anting-city-operations"
    assert "example.com" not in (page / "index.html").read_text(encoding="utf-8")


def test_any_weasyprint_warning_fails(tmp_path):
    messages = _prepare_one(tmp_path, '<p style="colour: red; width: banana">x</p>')
    assert messages and all("WeasyPrint warning" in m for m in messages), messages
    assert not list((tmp_path / "cache").glob("*.pdf"))


def test_parallel_workers_render_every_job(tmp_path):
    jobs = [pdf.Job(html=f'<html lang="zh-CN"><body><p>第{i}号</p></body></html>', out=tmp_path / f"{i}.pdf")
            for i in range(2)]
    problems, results = pdf.prepare(jobs, tmp_path / "cache", str(THEME), workers=2)
    assert problems == [] and [r.cached for r in results] == [False, False]
    assert all(job.cache_file.exists() for job in jobs)
    problems, results = pdf.prepare(jobs, tmp_path / "cache", str(THEME), workers=2)
    assert problems == [] and [r.cached for r in results] == [True, True]


def test_long_tables_repeat_their_header_and_print_the_total_once(tmp_path):
    """A table longer than a page: header rows on every page, the total row once."""
    rows = "".join(f'<tr class="level-3"><td class="code">{i:02d}</td><th scope="row" class="name">第{i}行</th>'
                   f'<td class="num">{i}.00</td></tr>' for i in range(1, 121))
    html = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title>
      <link rel="stylesheet" href="{(THEME / 'static' / 'css' / 'pdf.css').as_uri()}"></head>
      <body class="pdf lang-zh"><section class="doc-section tables"><h2>五、部门预算表</h2>
      <figure class="table-wrap"><div class="scroll"><table class="budget-table classified">
      <caption><span class="t-number">部门预算08表</span><span class="t-title">长表</span><span class="t-meta"></span></caption>
      <colgroup><col class="c-code"><col class="c-name"><col class="c-num"></colgroup>
      <thead><tr><th scope="col">栏目编码</th><th scope="col">栏目名称</th><th scope="col">金额合计</th></tr></thead>
      <tbody><tr class="total"><th scope="row" colspan="2">总合计</th><td class="num">7260.00</td></tr>{rows}</tbody>
      </table></div></figure></section></body></html>"""
    data, messages, n = pdf._render(html, (THEME / "static").as_uri() + "/", [str(THEME)], pdf.cjk_fonts())
    assert messages == [] and n >= 3
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    page_texts = text.split("\f")[:-1]
    assert all("栏目名称" in t and "金额合计" in t for t in page_texts)
    assert text.count("总合计") == 1
    assert all(f"第{i}行" in text for i in range(1, 121))


def test_old_unused_cache_files_are_pruned(tmp_path):
    import os
    import time

    from generator.outputs.pdf import _prune

    used, stale, recent = tmp_path / "used.pdf", tmp_path / "stale.pdf", tmp_path / "recent.pdf"
    for p in (used, stale, recent):
        p.write_bytes(b"%PDF")
    old = time.time() - 40 * 86400
    os.utime(used, (old, old))
    os.utime(stale, (old, old))
    _prune(tmp_path, keep={used})
    assert used.exists() and recent.exists() and not stale.exists()


def test_a_pdf_job_hashes_its_html_unless_a_valid_hash_was_kept(tmp_path):
    html = '<html lang="zh-CN"><body><p>第1号</p></body></html>'
    reads = []
    kept = pdf.Job(html=lambda: reads.append(1) or html, out=tmp_path / "a.pdf",
                   html_sha256=pdf.valid_digest(pdf.html_digest(html).encode()))
    assert kept.digest() == pdf.html_digest(html) and reads == []  # found without reading the HTML
    for damaged in (None, b"", b"not a digest", b"0" * 63):
        job = pdf.Job(html=lambda: reads.append(1) or html, out=tmp_path / "a.pdf", html_sha256=pdf.valid_digest(damaged))
        assert job.digest() == pdf.html_digest(html)  # hashed again from the HTML
    assert len(reads) == 4
