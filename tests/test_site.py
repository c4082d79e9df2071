"""The built site: URL layout, language links, the department page's structure, every table
figure against the ledger (both languages), relative links, and the build stopping on bad
content or a broken template without writing anything."""

from __future__ import annotations

import posixpath
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, run_pelican

from generator.core import labels as lb
from generator.core.money import to_unit
from generator.outputs.readback import read_page, verify

SLUG, YEAR = "anting-city-operations", 2024
LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-CN", "en": "en"}
TABLES = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
NUMERALS = "一二三四五六七八"


# ---------------------------------------------------------------- a small HTML tree

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list[Node]:
        """Descendants with this tag whose attributes equal (or, for class, contain) the given ones."""
        def ok(n: Node) -> bool:
            for name, want in attrs.items():
                name = name.rstrip("_").replace("_", "-")
                have = n.attrs.get(name)
                if name == "class":
                    if want not in (have or "").split():
                        return False
                elif want is True:
                    if have is None:
                        return False
                elif have != want:
                    return False
            return True
        return [n for n in self.iter() if (tag is None or n.tag == tag) and ok(n)]

    def find(self, tag: str | None = None, **attrs) -> Node | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page(site: Path, path: str) -> Node:
    return parse((site / path).read_text(encoding="utf-8"))


def dept_path(lang: str) -> str:
    return f"{lang}/{YEAR}/{SLUG}/index.html"


def resolve(from_file: str, href: str) -> str:
    """A relative link from a page in the site to a file path in the site ('' for the root)."""
    href = href.split("#")[0]
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_file), href)) if href else from_file
    if target == ".":
        target = ""
    if href.endswith("/") or href in ("", ".", "./") and not target.endswith(".html"):
        target = posixpath.join(target, "index.html") if target else "index.html"
    return target


def html_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


# ---------------------------------------------------------------- URL layout


def test_landing_offers_both_languages_chinese_first(site: Path):
    doc = page(site, "index.html")
    main = doc.find("main")
    targets = [resolve("index.html", a.attrs["href"]) for a in main.find_all("a")]
    assert "zh/index.html" in targets and "en/index.html" in targets
    assert targets.index("zh/index.html") < targets.index("en/index.html")
    choices = main.find_all(class_="choice")
    assert [c.attrs.get("lang") for c in choices] == ["zh-CN", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_language_index_lists_years_and_departments(site: Path, seed, lang):
    path = f"{lang}/index.html"
    doc = page(site, path)
    targets = {resolve(path, a.attrs["href"]) for a in doc.find("main").find_all("a")}
    assert f"{lang}/{YEAR}/index.html" in targets
    assert dept_path(lang) in targets
    name = seed.budget.department.name.zh if lang == "zh" else seed.budget.department.name.en
    assert name in doc.find("main").text()


@pytest.mark.parametrize("lang", LANGS)
def test_year_index_lists_departments_with_their_totals(site: Path, seed, lang):
    path = f"{lang}/{YEAR}/index.html"
    doc = page(site, path)
    table = doc.find("table")
    assert table.find("caption") and table.find("thead")
    (row,) = table.find("tbody").find_all("tr")
    link = row.find("a")
    assert resolve(path, link.attrs["href"]) == dept_path(lang)
    assert squash(link.text()) == (seed.budget.department.name.zh if lang == "zh" else seed.budget.department.name.en)
    (cell,) = row.find_all(data_d="row.anting-city-operations.total")  # the district pages print 万元
    expected = to_unit(seed.tables["01"].cells()["01.inc.total.amount"], "万元")
    assert Decimal(cell.text().replace(",", "")) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_department_page_exists_at_its_permanent_url(site: Path, lang):
    assert (site / lang / str(YEAR) / SLUG / "index.html").is_file()


# ---------------------------------------------------------------- languages


def counterpart(path: str) -> str | None:
    """The same page in the other language; None for the bilingual landing page."""
    lang, _, rest = path.partition("/")
    if lang not in LANGS:
        return None
    return f"{'en' if lang == 'zh' else 'zh'}/{rest}"


def test_every_page_links_to_its_translation_with_hreflang_alternates(site: Path):
    pages = html_files(site)
    assert len(pages) >= 9  # landing, 2 language indexes, 2 year indexes, 2 departments, 2 about pages
    for path in pages:
        doc = page(site, path)
        html = doc.find("html")
        lang = path.split("/")[0] if path.split("/")[0] in LANGS else "zh"
        assert html.attrs.get("lang") == HTML_LANG[lang], path

        alternates = {link.attrs["hreflang"]: resolve(path, link.attrs["href"])
                      for link in doc.find("head").find_all("link", rel="alternate")}
        assert {"zh-CN", "en"} <= set(alternates), path
        for target in alternates.values():
            assert (site / target).is_file(), (path, target)

        switch = doc.find("a", class_="lang-switch")
        assert switch is not None, path
        other = counterpart(path)
        if other is None:  # the landing page: its switch and alternates go to the language homes
            assert alternates["zh-CN"] == "zh/index.html" and alternates["en"] == "en/index.html"
            assert resolve(path, switch.attrs["href"]) == "en/index.html"
        else:
            assert resolve(path, switch.attrs["href"]) == other, path
            assert (site / other).is_file(), other
            assert alternates[HTML_LANG[lang]] == path
            assert alternates["en" if lang == "zh" else "zh-CN"] == other
            assert switch.attrs.get("hreflang") == ("en" if lang == "zh" else "zh-CN")


@pytest.mark.parametrize("lang", LANGS)
def test_markdown_about_page_in_both_languages(site: Path, lang):
    path = f"{lang}/about/index.html"
    doc = page(site, path)
    assert doc.find("html").attrs["lang"] == HTML_LANG[lang]
    title = squash(doc.find("h1").text())
    assert title == ("关于本站" if lang == "zh" else "About this site")
    switch = doc.find("a", class_="lang-switch")
    assert resolve(path, switch.attrs["href"]) == counterpart(path)
    # every page's navigation offers the about page in its own language
    nav = page(site, dept_path(lang)).find("nav", class_="site-nav")
    assert path in [resolve(dept_path(lang), a.attrs["href"]) for a in nav.find_all("a")]


# ---------------------------------------------------------------- relative links


ATTRS = ("href", "src")


def test_links_are_relative_and_resolve(site: Path):
    """No link starts with "/" (the site opens from file:// and any folder); every link and
    every #fragment points at something that exists."""
    for path in html_files(site):
        text = (site / path).read_text(encoding="utf-8")
        doc = parse(text)
        ids = {n.attrs["id"] for n in doc.iter() if "id" in n.attrs}
        for node in doc.iter():
            for attr in ATTRS:
                href = node.attrs.get(attr)
                if href is None:
                    continue
                assert not href.startswith("/"), f"{path}: {node.tag} {attr}={href!r}"
                assert not re.match(r"^[a-z]+://", href), f"{path}: {href!r} is absolute"
                if href.startswith("#"):
                    assert href[1:] in ids, f"{path}: {href} names no id on the page"
                    continue
                target = resolve(path, href)
                assert (site / target).exists(), f"{path}: {href!r} -> {target} does not exist"


# ---------------------------------------------------------------- the department page


@pytest.fixture(scope="module", params=LANGS)
def dept(request, site: Path):
    lang = request.param
    return lang, page(site, dept_path(lang)), (site / dept_path(lang)).read_text(encoding="utf-8")


def position(doc: Node) -> dict[int, int]:
    return {id(n): i for i, n in enumerate(doc.iter())}


def test_sections_in_order_behind_the_contents(dept, seed):
    lang, doc, _ = dept
    order = position(doc)
    toc = doc.find("nav", class_="toc")
    assert squash(toc.find("h2").text()) == ("目录" if lang == "zh" else "Contents")
    sections = [doc.find("section", id=f"s{i}") for i in range(1, 9)]
    assert all(sections)
    assert order[id(toc)] < order[id(sections[0])]
    assert [order[id(s)] for s in sections] == sorted(order[id(s)] for s in sections)
    for i, (section, (key, title)) in enumerate(zip(sections, lb.SECTIONS)):
        assert section.attrs["id"] == key
        heading = squash(section.find("h2").text())
        assert heading == (title.zh if lang == "zh" else title.en)
        assert heading.startswith(f"{NUMERALS[i]}、" if lang == "zh" else f"{i + 1}. ")

    ids = {n.attrs["id"] for n in doc.iter() if "id" in n.attrs}
    links = [a.attrs["href"] for a in toc.find_all("a")]
    assert [h for h in links if h.startswith("#s")] == [f"#s{i}" for i in range(1, 9)]
    assert [h for h in links if h.startswith("#table-")] == [f"#table-{n}" for n in TABLES]
    for href in links:
        assert href.startswith("#") and href[1:] in ids, href


def test_nine_tables_with_official_captions(dept, seed):
    lang, doc, _ = dept
    order = position(doc)
    s5 = doc.find("section", id="s5")
    tables = s5.find_all("table", class_="budget-table")
    assert [t.attrs["id"] for t in tables] == [f"table-{n}" for n in TABLES]
    assert [order[id(t)] for t in tables] == sorted(order[id(t)] for t in tables)
    dept_name = seed.budget.department.name.zh if lang == "zh" else seed.budget.department.name.en
    unit = lb.UNIT_NAMES[seed.unit].zh if lang == "zh" else lb.UNIT_NAMES[seed.unit].en
    for number, table in zip(TABLES, tables):
        caption = squash(table.find("caption").text())
        title = lb.TABLE_TITLES[number]
        if lang == "zh":
            assert f"部门预算{number}表" in caption
            assert f"{YEAR}年{title.zh}" in caption
            assert f"编报单位：{dept_name}" in caption and f"单位：{unit}" in caption
        else:
            assert f"Department budget table {number}" in caption
            assert f"{YEAR} {title.en}" in caption
            assert f"Reporting unit: {dept_name}" in caption and f"Unit: {unit}" in caption


def test_tables_are_real_tables_with_headers_and_totals(dept, seed):
    lang, doc, _ = dept
    for number in TABLES:
        table = doc.find("table", id=f"table-{number}")
        thead = table.find("thead")
        assert thead is not None and thead.find_all("th"), number
        assert len(thead.find_all("tr")) == 2, number  # the official two header rows
        for th in table.find_all("th"):
            assert th.attrs.get("scope") in ("col", "colgroup", "row", "rowgroup"), (number, squash(th.text()))
        tbody = table.find("tbody")
        assert tbody.find_all("th", scope="row") or number == "09"
        layout = seed.tables[number].layout
        if layout == "classified":
            rows = tbody.find_all("tr")
            assert "total" in rows[0].classes(), number
            total = rows[0].find("th", scope="row")
            assert squash(total.text()) == ("合计" if lang == "zh" else "Total")
            levels = [squash(th.text()) for th in thead.find_all("th", class_="code")]
            expected = {"02": "类款项", "03": "类款项", "05": "类款项", "06": "类款项", "07": "类款项", "08": "类款"}[number]
            assert levels == [(lb.LEVEL_NAMES[c].zh if lang == "zh" else lb.LEVEL_NAMES[c].en) for c in expected]
            # the code of every classified row stands in its own 类/款/项 column
            for row, data in zip(rows[1:], seed.tables[number].rows[1:]):
                codes = [squash(td.text()) for td in row.find_all("td", class_="code")]
                assert "".join(codes) == data.code_parts(len(expected))[data.level - 1], (number, data.key)
        elif layout == "balance":
            total = tbody.find_all("tr")[-1]
            assert "total" in total.classes()
            labels = [squash(th.text()) for th in total.find_all("th", scope="row")]
            assert labels == (["收入总计", "支出总计"] if lang == "zh" else ["Total revenue", "Total expenditure"])
        else:  # 09: one row, its first column the total
            assert len(tbody.find_all("tr")) == 1
            assert table.find("td", data_cell="09.row.total") is not None


def _notes(doc: Node, number: str) -> list[str]:
    figure = doc.find("table", id=f"table-{number}").parent
    while figure.tag != "figure":
        figure = figure.parent
    return [squash(p.text()) for p in figure.find_all("p", class_="table-note")]


def test_empty_tables_carry_the_standard_statement(dept, seed):
    lang, doc, _ = dept
    name = seed.budget.department.name
    for number in ("06", "07", "09"):
        template = lb.EMPTY_TABLE[number]
        statement = template.format(department_zh=name.zh, department_en=name.en, year=YEAR)(lang)
        assert statement in _notes(doc, number), number
    assert (lb.NO_OPERATING_COSTS.zh if lang == "zh" else lb.NO_OPERATING_COSTS.en) in _notes(doc, "09")
    for number in ("01", "02", "03", "04", "05", "08"):
        assert _notes(doc, number) == [], number


def test_every_table_number_equals_the_ledger(seed_report, dept, seed):
    """Each amount cell, read back from the page, equals the ledger value rounded to the display
    unit; each table has exactly one cell per ledger value and no other amount cell."""
    lang, doc, html = dept
    for number in TABLES:
        table = doc.find("table", id=f"table-{number}")
        ledger = seed.tables[number].cells()
        cells = table.find_all(data_cell=True)
        keys = [c.attrs["data-cell"] for c in cells]
        assert len(keys) == len(ledger), number
        assert sorted(keys) == sorted(ledger), number
        for cell in cells:
            key = cell.attrs["data-cell"]
            assert cell.tag == "td" and "num" in cell.classes(), key
            text = squash(cell.text())
            shown = Decimal(text.replace(",", "")) if text else Decimal(0)
            assert shown == to_unit(ledger[key], seed.unit), (lang, key, text)
            if text:
                assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", text), (key, text)
        # the other amount cells are the ones that do not apply, and they are blank
        for td in table.find_all("td", class_="num"):
            if "data-cell" not in td.attrs:
                assert "na" in td.classes() and squash(td.text()) == "", number
    # the page as a whole reads back without a single difference (tables, forms, prose)
    assert verify(seed, seed_report, html, lang, dept_path(lang)) == []
    page_cells = read_page(html)
    assert not page_cells.duplicates


def test_performance_forms_and_key_projects(dept, seed):
    lang, doc, _ = dept
    forms = doc.find("section", id="s8").find_all("article", class_="perf-form")
    assert [f.attrs["id"] for f in forms] == [f"form-{p.id}" for p in seed.budget.projects if p.form]
    for form in forms:
        assert form.find("table", class_="indicators").find("thead") is not None


# ---------------------------------------------------------------- the build stops


def _copy_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    return content


def test_content_error_stops_the_build_with_every_issue_and_writes_nothing(tmp_path):
    content = _copy_content(tmp_path)
    budget = content / "budgets" / str(YEAR) / f"{SLUG}.yaml"
    lines = budget.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if "economic: 30101," in line)
    second = next(i for i, line in enumerate(lines) if "economic: 30102," in line)
    lines[first] = lines[first].replace("economic: 30101,", "economic: 39999,")
    lines[second] = lines[second].replace("amount: 42300}", "amount: -42300}")
    budget.write_text("".join(lines), encoding="utf-8")

    out = tmp_path / "output"
    result = run_pelican(content, out, "BUDGET_PDF=false")
    assert result.returncode != 0
    messages = result.stderr + result.stdout
    assert re.search(rf"{SLUG}\.yaml:{first + 1}:\d+: E202 ", messages), messages
    assert re.search(rf"{SLUG}\.yaml:{second + 1}:\d+: E107 ", messages), messages
    assert "Traceback" not in messages
    assert not out.exists() or not any(out.iterdir())


def _broken_theme(tmp_path: Path, template: str, old: str, new: str) -> Path:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "budget", theme)
    path = theme / "templates" / template
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1
    return theme, line


@pytest.mark.parametrize("template, old, new, what", [
    ("department.html", "<h1>{{ v.department }}</h1>", "<h1>{{ v.department }}{{ nonexistent }}</h1>", "nonexistent"),
    ("partials/tables.html", "title=v.t(v.table_title(table.number))) }}</span>",
     "title=v.t(v.table_titel(table.number))) }}</span>", "table_titel"),
    ("year_index.html", "year=year) }}</h1>", "year=yaer) }}</h1>", "yaer"),
    ("page.html", "<h1>{{ page.title }}</h1>", "<h1>{{ page.title }</h1>", "TemplateSyntaxError"),
])
def test_template_mistake_stops_the_build_with_a_clear_message(tmp_path, template, old, new, what):
    theme, line = _broken_theme(tmp_path, template, old, new)
    out = tmp_path / "output"
    result = run_pelican(CONTENT, out, "BUDGET_PDF=false", f'THEME="{theme}"')
    messages = result.stderr + result.stdout
    assert result.returncode != 0, messages
    assert re.search(rf"{re.escape(template)}:{line}(:\d+)?: E401 .*{what}", messages), messages
    assert "Traceback" not in messages
    assert not out.exists() or not any(out.iterdir())


def test_template_mistake_in_a_copied_project_stops_the_build(tmp_path):
    """A copy of the project (settings, theme, content) with a broken department template."""
    project = tmp_path / "project"
    for name in ("content", "themes"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "pelicanconf.py", project / "pelicanconf.py")
    department = project / "themes" / "budget" / "templates" / "department.html"
    department.write_text(department.read_text(encoding="utf-8").replace("supervisor=v.supervisor", "supervisor=v.superviser", 1),
                          encoding="utf-8")
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output",
                             "-e", "BUDGET_PDF=false", "-q"], capture_output=True, text=True, cwd=project, timeout=600)
    messages = result.stderr + result.stdout
    assert result.returncode != 0, messages
    assert re.search(r"department\.html:\d+(:\d+)?: E401 .*superviser", messages), messages
    assert "Traceback" not in messages
    assert not (project / "output").exists()


# ---------------------------------------------------------------- for people


def test_stylesheets_fonts_phone_and_print(site: Path):
    """Chinese text never falls back to boxes: both font stacks name Simplified Chinese faces of
    Apple, Windows and Android/Linux systems; a phone layout and a print stylesheet exist."""
    css = (site / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    stacks = dict(re.findall(r"(--sans-(?:zh|en)):\s*([^;]+);", css))
    for name in ("--sans-zh", "--sans-en"):
        for face in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"):
            assert face in stacks[name], (name, face)
        assert stacks[name].rstrip().endswith("sans-serif")
    assert "@media screen and (max-width: 40rem)" in css
    doc = page(site, dept_path("zh"))
    sheets = {link.attrs["href"].rsplit("/", 1)[-1]: link.attrs.get("media")
              for link in doc.find("head").find_all("link", rel="stylesheet")}
    assert sheets == {"site.css": None, "print.css": "print", "district.css": None}
    assert (site / "theme" / "css" / "print.css").is_file()
    # wide tables scroll inside their own labelled, keyboard-reachable box
    for number in TABLES:
        box = doc.find("table", id=f"table-{number}").parent
        assert "scroll" in box.classes() and box.attrs.get("tabindex") == "0" and box.attrs.get("aria-label")
