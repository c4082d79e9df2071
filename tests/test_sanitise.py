"""Authored text never runs code or loads anything from elsewhere; what is removed is reported.

Unit tests of the sanitiser (generator/core/sanitise.py) for each kind of payload, then the
hostile fixture (tests/fixtures/hostile/content) checked and built, HTML and PDF.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import CONTENT, FIXTURES, ROOT, pdf_settings, run_pelican
from markupsafe import escape

from generator.core.sanitise import clean, escape_name, markdown_html, removed
from generator.load.model import Text
from generator.outputs.pdf import pdf_links
from generator.outputs.readback import read_page
from generator.pipeline import load_content, page_issues
from generator.present.glance import all_figures
from generator.present.render import View
from generator.reconcile.prose import prose_fields

HOSTILE = FIXTURES / "hostile" / "content"
HOSTILE_FILE = HOSTILE / "budgets" / "2024" / "hostile-test.yaml"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-src 'none'")
SEARCH_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")  # Pagefind's WebAssembly
THEME_SCRIPT = re.compile(r'<script src="(?:\.\./)*(?:theme/js/[a-z-]+\.js|pagefind/pagefind-[a-z-]+\.js)"(?: defer)?></script>')


def published(markdown_text: str) -> str:
    return clean(markdown_html(markdown_text))


class Elements(HTMLParser):
    """Every element with its attributes, and the text, of a piece of HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


# ---------------------------------------------------------------- the sanitiser, payload by payload

PAYLOADS = [
    # (authored Markdown, what W216 names, something that must not be published)
    ("<script>alert(1)</script>text", "<script> element", "alert"),
    ('<img src=x onerror="alert(1)">', "onerror attribute", "onerror"),
    ('<svg onload="alert(1)"><circle r="1"/></svg>', "<svg> element", "svg"),
    ('<math><maction xlink:href="javascript:alert(1)">m</maction></math>', "<math> element", "math"),
    ('<a href="javascript:alert(1)">x</a>', "javascript: link", "javascript"),
    ("[x](javascript:document.title='PWNED')", "javascript: link", "javascript"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "javascript: link", "avascript"),
    ('<a href=" JaVaScRiPt:window.__xss=1">x</a>', "javascript: link", "script:"),
    ('<a href="java&#9;script:alert(1)">x</a>', "javascript: link", "script:"),
    ('<a href="data:text/html,x">x</a>', "data: link", "data:"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript: link", "vbscript"),
    ('<iframe src="http://attacker.invalid/f"></iframe>', "<iframe> element", "attacker"),
    ('<object data="http://attacker.invalid/o"></object>', "<object> element", "attacker"),
    ('<embed src="http://attacker.invalid/e">', "<embed> element", "attacker"),
    ('<embed src="x.swf"><b onclick="alert(1)">after an embed</b>', "onclick attribute", "onclick"),
    ('<form action="http://attacker.invalid/f"><input name="q"></form>', "<form> element", "attacker"),
    ('<base href="http://attacker.invalid/">', "<base> element", "attacker"),
    ('<link rel="stylesheet" href="http://attacker.invalid/x.css">', "<link> element", "attacker"),
    ("<style>body { background:url(//attacker.invalid/b.png) }</style>", "<style> element", "attacker"),
    ('<p style="background:url(http://attacker.invalid/i.png)">x</p>', "style attribute", "attacker"),
    ('<meta http-equiv="refresh" content="0;url=http://attacker.invalid/">', "<meta> element", "attacker"),
    ("![x](http://attacker.invalid/i.png)", "remote image http://attacker.invalid/i.png", "attacker"),
    ("![x](//attacker.invalid/i.png)", "remote image //attacker.invalid/i.png", "attacker"),
    ("![x](/\\attacker.invalid/i.png)", "remote image /\\attacker.invalid/i.png", "attacker"),
    ("![x](data:image/png;base64,AAAA)", "remote image data:image/png;base64,AAAA", "data:"),
    ('<div onmouseover="window.__xss=1">x</div>', "onmouseover attribute", "__xss"),
    ('<details open ontoggle="alert(1)">x</details>', "<details> element", "ontoggle"),
    ('para\n{: onclick="alert(1)" }', "onclick attribute", "onclick"),
    ('<span class="fig" data-figure="total">9</span>', "data-figure attribute", "data-figure"),
    ('<span data-cell="01.inc.财政拨款.amount">1</span>', "data-cell attribute", "data-cell"),
    ("<!-- <script>alert(1)</script> -->x", "HTML comment", "alert"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', "<noscript> element", "onerror"),
    ('<img src="x" srcset="http://attacker.invalid/a.png 1x">', "srcset attribute", "attacker"),
    ('<table><tr><td background="http://attacker.invalid/t.png">x</td></tr></table>', "background attribute", "attacker"),
    ('<blockquote cite="javascript:alert(1)">q</blockquote>', "cite attribute", "javascript"),
]


@pytest.mark.parametrize("source, what, forbidden", PAYLOADS, ids=[p[1] for p in PAYLOADS])
def test_each_payload_is_removed_and_named(source, what, forbidden):
    html = markdown_html(source)
    assert forbidden.lower() in html.lower()  # the payload reaches the HTML unsanitised …
    out = clean(html)
    assert forbidden.lower() not in out.lower()  # … and not the published page
    assert what in [w.en for w, _, _ in removed(html)]
    assert removed(out) == []  # the report sees nothing left that the sanitiser would remove


def test_what_markdown_writes_survives():
    source = (
        "# Title {#top}\n\n1. one\n2. two\n\nbetween\n\n3. three\n\n- *em* **strong** `code`\n\n> quoted\n\n---\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        "HTML[^1] [web](https://example.org/) [mail](mailto:a@example.org) [page](../about/) [here](#top) "
        "![chart](img/chart.png \"Chart\")\n\n[^1]: a note\n\n*[HTML]: HyperText Markup Language\n"
    )
    html = markdown_html(source)
    assert removed(html) == []
    out = clean(html)
    for kept in ('<h1 id="top">', "<ol>", '<ol start="3">', "<em>em</em>", "<strong>", "<code>code</code>",
                 "<blockquote>", "<hr>", '<th class="align-left">', '<td class="align-right">',
                 '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">', '<div class="footnote">',
                 '<abbr title="HyperText Markup Language">', '<img alt="chart" src="img/chart.png" title="Chart">',
                 '<a href="../about/">', '<a href="#top">', '<a href="mailto:a@example.org">'):
        assert kept in out, kept
    assert 'style=' not in out  # table alignment became a class (the CSP forbids style attributes)
    # external links only carry rel="noopener noreferrer"
    assert '<a href="https://example.org/" rel="noopener noreferrer">' in out
    assert out.count("noopener") == 1
    assert clean('<a title="a > b" href="https://example.org/">x</a>') == \
        '<a title="a &gt; b" href="https://example.org/" rel="noopener noreferrer">x</a>'


HOSTILE_NAMES = [
    "<script>window.__xss=1</script>",
    "*bold* _under_ __strong__ `code`",
    "[click](javascript:alert(1))",
    "{{total}} &amp; <b>x</b> | a | b \\* ![i](x.png)",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_names_show_as_typed_inside_markdown(name):
    html = published(f"In 2024, {escape_name(name)} totals {{{{total}}}}.")
    page = Elements(html)
    assert [t for t, _ in page.tags] == ["p"]
    assert "".join(page.text) == f"In 2024, {name} totals {{{{total}}}}."


def test_names_on_one_line():
    """A line break in a name cannot start a heading or a list inside a sentence."""
    name = "x\n# heading\n- item"
    html = published(f"Dear {escape_name(name)}.")
    assert [t for t, _ in Elements(html).tags] == ["p"]


def test_pdf_keeps_only_document_web_and_mail_links():
    html = ('<a href="#s1">toc</a><a href="https://example.org/">w</a><a href="MAILTO:a@b">m</a>'
            '<a href="javascript:alert(1)">j</a><a href="file:///etc/passwd">f</a><a class="x" href="../about/">r</a>'
            '<a href="data:text/html,x">d</a><img alt="a &lt;b&gt; chart" src="img/x.png">')
    out = pdf_links(html)
    assert re.findall(r'href="([^"]*)"', out) == ["#s1", "https://example.org/", "MAILTO:a@b"]
    assert '<a class="x">r</a>' in out
    assert "<img" not in out and "a &lt;b&gt; chart" in out  # a site-relative image means nothing in a PDF
    absolute = '<img alt="x" src="http://attacker.invalid/x.png">'
    assert pdf_links(absolute) == absolute  # left to the URL fetcher, which refuses it (tests/test_pdf.py)


# ---------------------------------------------------------------- View.prose: figures and lists


def test_prose_spans_are_the_generators_only(seed, seed_report):
    v = View(seed, "en", seed_report)
    forged = '<span class="fig" data-figure="total">9,999.99</span> and {{total}} ![{{total}}](c.png)'
    html = str(v.prose(Text(zh=forged, en=forged)))
    page = read_page(html)
    shown = seed.figures["total"].show("en", seed.unit)
    assert page.figures == [("total", shown)]  # the forged span lost its data-figure; the real one is there
    assert f'alt="{shown}"' in html  # a placeholder inside an attribute becomes its text, not a span


def test_prose_still_marks_numbered_lists(seed, seed_report):
    v = View(seed, "zh", seed_report)
    html = str(v.prose(Text(zh="- （一）甲\n- （二）乙", en="- (1) a\n- (2) b")))
    assert '<ul class="marked">' in html


# ---------------------------------------------------------------- check: W216 at file:line

MARKER = re.compile(r"<\s*(?:script|iframe|object|embed|base|link|style|form|math|meta|svg|details)\b|\bon[a-z]+\s*="
                    r"|javascript|vbscript:|data:|href=\"&#|attacker\.invalid|data-(?:figure|cell)|<!--|\bstyle\s*=", re.I)


@pytest.fixture(scope="module")
def hostile():
    return load_content(HOSTILE, root=ROOT)


def test_check_reports_every_hostile_line_of_prose(hostile):
    (db,) = hostile.budgets  # the fixture is valid: it builds
    assert not [i for i in hostile.issues if i.severity == "error"], [i.format("en") for i in hostile.issues]
    lines = db.source.positions.text.split("\n")
    expected = set()
    for here, _ in prose_fields(db.budget):
        for lang in ("zh", "en"):
            start, end = db.source.positions.spans[here + (lang,)]
            first = db.source.positions.text.count("\n", 0, start) + 1
            last = db.source.positions.text.count("\n", 0, end) + 1
            expected |= {n for n in range(first, last + 1)
                         if MARKER.search(lines[n - 1]) and not lines[n - 1].lstrip().startswith("#")}
    w216 = [i for i in hostile.issues if i.code == "W216"]
    reported = {i.location.line for i in w216}
    assert expected and expected <= reported
    for i in w216:  # each at the line (and column) of what it names
        assert i.location.path.endswith("hostile-test.yaml") and i.location.col
        assert MARKER.search(lines[i.location.line - 1][i.location.col - 1:]), i.format("en")
        assert i.params["what"].zh in i.message("zh") and i.params["what"].en in i.message("en")
    kinds = {i.params["what"].en.split(" http")[0] for i in w216}
    for what in ("<script> element", "onerror attribute", "<svg> element", "javascript: link", "data: link",
                 "vbscript: link", "<iframe> element", "<object> element", "<embed> element", "<form> element",
                 "<base> element", "<link> element", "<style> element", "style attribute", "<meta> element",
                 "remote image", "data-figure attribute", "data-cell attribute", "onclick attribute"):
        assert what in kinds, what
    # names are escaped, not sanitised: nothing is reported on them
    name_line = db.source.positions.at(("department", "name", "zh")).line
    assert name_line not in reported


def test_check_reports_pages_at_their_line():
    found = page_issues(HOSTILE, root=ROOT)
    text = (HOSTILE / "pages" / "about.md").read_text(encoding="utf-8").split("\n")
    zh = [i for i in found if i.location.path.endswith("pages/about.md")]
    assert {i.params["what"].en for i in zh} >= {"<script> element", "onerror attribute", "javascript: link",
                                                 "<base> element", "style attribute", "data-figure attribute"}
    for i in zh:
        assert i.location.line > 3  # the body, not the `Title:` header that also holds a <script>
        assert MARKER.search(text[i.location.line - 1][i.location.col - 1:]), i.format("en")


def test_seed_content_is_clean(content):
    assert not [i for i in content.issues if i.code == "W216"]
    assert page_issues(CONTENT, root=ROOT) == []


# ---------------------------------------------------------------- the hostile site, built


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, pytestconfig):
    tmp = tmp_path_factory.mktemp("hostile")
    out = tmp / "output"
    result = run_pelican(HOSTILE, out, *pdf_settings(pytestconfig), cache=tmp / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result.stdout + result.stderr


def _unsafe_url(value: str) -> bool:
    url = re.sub(r"[\x00-\x20]", "", value).lower()
    return url.startswith(("javascript:", "vbscript:", "data:", "//", "/\\")) or "attacker.invalid" in url


def test_built_pages_run_nothing_and_load_nothing_from_elsewhere(hostile_site):
    out, _ = hostile_site
    pages = sorted(out.rglob("*.html"))
    kinds = {p.relative_to(out).as_posix() for p in pages}
    assert {"index.html", "zh/index.html", "zh/2024/index.html", "zh/2024/hostile-test/index.html",
            "zh/about/index.html", "en/about/index.html", "en/2024/hostile-test/index.html"} <= kinds
    for path in pages:
        html = path.read_text(encoding="utf-8")
        # the theme's own scripts (theme/js, the search index's UI): files of the site, never inline
        own = THEME_SCRIPT.findall(html)
        assert html.lower().count("<script") == len(own) and "attacker.invalid" not in html, path
        page = Elements(html)
        metas = [a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert [m["content"] for m in metas] == [SEARCH_CSP if path.parent.name == "search" else CSP], path
        for tag, attrs in page.tags:
            if tag == "svg":  # the generator's own charts: at a glance (present/charts.py) and the district pages
                assert ((attrs.get("class") == "chart-svg" and attrs.get("data-chart"))
                        or set(attrs) == {"xmlns", "role", "aria-labelledby", "width", "height"}), (path, attrs)
                continue
            if tag == "form":  # the search box: a GET to the site's own search page
                assert attrs.get("role") == "search" and attrs["action"].endswith("search/"), (path, attrs)
                continue
            if tag == "script":
                continue  # counted above: only the theme's files
            assert tag not in {"iframe", "object", "embed", "base", "math", "style"}, path
            for name, value in attrs.items():
                assert not name.startswith("on") and name != "style", (path, tag, name)
                if name in ("href", "src", "action", "data", "formaction"):
                    assert not _unsafe_url(value), (path, tag, name, value)
            if tag == "link":
                assert attrs["rel"] in ("stylesheet", "alternate", "icon") and not re.match(r"[a-z]+:|//", attrs["href"]), attrs


def test_built_pages_show_names_as_typed(hostile_site, hostile):
    out, _ = hostile_site
    (db,) = hostile.budgets
    for lang in ("zh", "en"):
        html = (out / lang / "2024" / "hostile-test" / "index.html").read_text(encoding="utf-8")
        text = re.sub(r"\s+", " ", "".join(Elements(html).text))
        name, supervisor = getattr(db.budget.department.name, lang), getattr(db.budget.department.supervisor, lang)
        project = getattr(db.budget.projects[0].name, lang)
        assert re.search(r"<h1>(.*?)</h1>", html, re.S)[1] == str(escape(name))
        assert supervisor in text
        assert (f"revenue of the {name} totals" if lang == "en" else f"2024年，{name}部门预算收入总额") in text
        assert (f"The project {project} has" if lang == "en" else f"项目名称为{project}，") in text
        year_index = (out / lang / "2024" / "index.html").read_text(encoding="utf-8")
        assert name in "".join(Elements(year_index).text)


def test_built_pages_keep_only_the_generators_figures(hostile_site, hostile):
    out, _ = hostile_site
    (db,) = hostile.budgets
    for lang in ("zh", "en"):
        page = read_page((out / lang / "2024" / "hostile-test" / "index.html").read_text(encoding="utf-8"))
        figures = all_figures(db)  # the named figures and the shares of the at-a-glance block
        assert page.figures and all(text == figures[name].show(lang, db.display) for name, text in page.figures)
        assert page.cells["01.inc.财政拨款.amount"] != "1.00" and not page.duplicates


def test_build_reports_pages_and_publishes_them_sanitised(hostile_site):
    out, log = hostile_site
    assert re.search(r"content/pages/about\.md:\d+:\d+: W216 <script> 元素已删除", log)
    assert re.search(r"content/budgets/2024/hostile-test\.yaml:\d+:\d+: W216 ", log)
    about = (out / "en" / "about" / "index.html").read_text(encoding="utf-8")
    assert '<th class="align-left">Item</th>' in about
    assert '<a href="https://www.example.org/" rel="noopener noreferrer">Anting</a>' in about


@pytest.mark.pdf
def test_pdf_links_are_only_internal_web_or_mail(hostile_site):
    from pypdf import PdfReader

    out, _ = hostile_site
    for lang in ("zh", "en"):
        reader = PdfReader(out / lang / "2024" / "hostile-test" / f"hostile-test-2024-budget-{lang}.pdf")
        uris, internal = [], []
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                action = annot.get("/A")
                action = action.get_object() if action is not None else {}
                if "/URI" in action:
                    uris.append(str(action["/URI"]))
                elif "/Dest" in annot:
                    internal.append(str(annot["/Dest"]))
        assert sorted(uris) == ["https://www.example.org/budget", "mailto:office@example.org"], uris
        assert internal and set(internal) <= set(reader.named_destinations)  # 目录 links land on their sections
        assert reader.outline  # bookmarks
