"""The rendering stage's shortcuts read and write what the long way does (issue 12): the charts'
check parses only the charts' pieces of a page, the reconciliation's items come from Plain, the
department pages' years come from one index of the budgets."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.outputs import district, glance_check


def _whole_page(html: str):
    parser = glance_check._Charts()
    parser.feed(html)
    parser.close()
    return parser


def _read(p) -> tuple:
    return [(c.id, c.attrs, c.bars, c.title, c.desc) for c in p.charts], p.changes, p.description


def _pages(site: Path) -> list[Path]:
    return sorted(site.glob("*/20*/*/index.html"))


def test_the_charts_read_from_their_pieces_as_from_the_whole_page(site):
    pages = _pages(site)
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert _read(glance_check.read_charts(html)) == _read(_whole_page(html)), page


@pytest.mark.parametrize("html", [
    '<meta name="description" content="a &lt;b&gt; 1"><p data-change="total" data-direction="up">x</p>'
    '<svg data-chart="income" role="img"><title>T &amp; t</title><desc>D 1万元</desc>'
    '<rect data-bar="income.a" width="3"/><text>no</text></svg><p>after <b>text</b></p>',
    "<p>no chart here</p>",
])
def test_the_charts_read_from_their_pieces_on_snippets(html):
    assert _read(glance_check.read_charts(html)) == _read(_whole_page(html))


def test_the_years_of_a_page_are_the_years_of_its_document(content):
    for db in content.budgets:
        nav = district.navigation(content.budgets, db, "zh")
        assert nav["years"] == sorted(x.year for x in content.budgets if x.slug == db.slug)


def test_the_reconciliation_items_are_the_template_loop(content):
    from jinja2 import Environment
    from markupsafe import Markup

    from generator.present.plain import Plain
    from generator.present.render import View

    loop = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(
        """      <ol class="check-list">
      {%- for item in items %}
        <li class="{{ item.status }}"><span class="check-what">{{ item.text }}</span>
          <span class="check-amounts">{{ item.left }}{{ item.relation }}{{ item.right }}</span>
          <span class="check-result">{{ p.result(item.status) }}</span></li>
      {%- endfor %}
      </ol>""")
    db = content.budgets[0]
    for lang in ("zh", "en"):
        p = Plain(View(db, lang, content.report(db)))
        for g in p.groups():
            by_loop = loop.render(items=g["items"], p=p)
            by_plain = Markup('      <ol class="check-list">') + p.items_html(g["items"]) + Markup("      </ol>")
            assert str(by_plain) == by_loop
