"""Language as data: theme strings from message catalogues, labels as mappings, one narrative
phrasebook per language. A pseudo third language, made here from the catalogue template and the
English phrasebook alone, builds a whole site."""

from __future__ import annotations

import copy
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from conftest import CONTENT, ROOT, run_pelican

from generator.compute.phrasebook import LOCALE, phrasebooks
from generator.core.labels import Label
from generator.present.i18n import Catalogues

TRANSLATIONS = ROOT / "themes" / "budget" / "translations"
TEMPLATES = ROOT / "themes" / "budget" / "templates"
POT = TRANSLATIONS / "messages.pot"

# What a pseudo-translation must leave alone: %(slots)s, {slots}, ${slots}, {{figures}}, tags, attribute syntax.
_KEEP = re.compile(r'\{\{(?:[^{}]|\$\{\w+\})*\}\}|%\(\w+\)s|\$\{\w+\}|\{\w+\}|<[^>]*>|\s*[\w-]+="|"|\n')


def pseudo(text: str) -> str:
    """'Total budget of %(year)s' -> '⟦Total budget of ⟧%(year)s': every run of words wrapped."""
    out, last = [], 0
    for m in _KEEP.finditer(text):
        out.append(_wrap(text[last:m.start()]) + m[0])
        last = m.end()
    return "".join(out) + _wrap(text[last:])


def _wrap(chunk: str) -> str:
    return f"⟦{chunk}⟧" if re.search(r"[A-Za-z]", chunk) else chunk


def _pseudo_tree(node):
    if isinstance(node, dict):
        return {k: _pseudo_tree(v) for k, v in node.items()}
    return pseudo(node) if isinstance(node, str) else node


def make_pseudo_language(folder: Path, lang: str = "xx") -> Path:
    """<folder>/xx/LC_MESSAGES/messages.po from the .pot, <folder>/xx/narrative.yaml from en.yaml: data only."""
    with POT.open("rb") as f:
        template = read_po(f)
    catalog = Catalog(locale=None)
    for message in template:
        if message.id:
            catalog.add(message.id, pseudo(message.id), flags=message.flags)
    po = folder / lang / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    with po.open("wb") as f:
        write_po(f, catalog)
    english = yaml.safe_load((LOCALE / "en.yaml").read_text(encoding="utf-8"))
    (folder / lang / "narrative.yaml").write_text(yaml.safe_dump(_pseudo_tree(english), allow_unicode=True),
                                                  encoding="utf-8")
    return folder


LANGUAGES = {
    "zh": {"html": "zh-CN", "name": "中文", "read_in": "阅读本页的中文版"},
    "en": {"html": "en", "name": "English", "read_in": "Read this page in English"},
    "xx": {"html": "en-XA", "name": "⟦Pseudo⟧", "read_in": "⟦Read this page in Pseudo⟧"},
}


@pytest.fixture(scope="module")
def pseudo_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("pseudo")
    folder = make_pseudo_language(tmp / "translations")
    out = tmp / "output"
    result = run_pelican(CONTENT, out, "BUDGET_PDF=false", f"BUDGET_LANGUAGES={json.dumps(LANGUAGES)}",
                         f"BUDGET_TRANSLATIONS={json.dumps([str(folder)])}", cache=tmp / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_pseudo_language_site_renders_in_its_own_strings(pseudo_site):
    page = (pseudo_site / "xx" / "2024" / "anting-city-operations" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en-XA">' in page
    # theme strings (catalogue), labels (catalogue by their English), narrative (phrasebook)
    for text in ["⟦Skip to content⟧", "⟦Contents⟧", "⟦Download PDF⟧" if "pdf" in page.lower() else "⟦Download this budget⟧",
                 "⟦Summary of revenue and expenditure⟧", "⟦Reporting unit⟧: ", "⟦Personnel⟧",
                 "⟦, the budgeted revenue of ⟧", "⟦. Main reasons: ⟧", "⟦, as follows:⟧", "⟦Appendix: reconciliation⟧"]:
        assert text in page, text
    # no theme string left in English: each of them is wrapped
    for text in ["Skip to content", "All years", "Supervising budget department: ", "Download this budget"]:
        assert re.search(rf"(?<!⟦){re.escape(text)}", page) is None, text
    # the figures in the pseudo sentences are still filled in and read back (the build verified them)
    english = (pseudo_site / "en" / "2024" / "anting-city-operations" / "index.html").read_text(encoding="utf-8")
    assert page.count('data-figure="') == english.count('data-figure="') >= 50
    for name in ["index.html", "2024/index.html"]:
        assert "⟦" in (pseudo_site / "xx" / name).read_text(encoding="utf-8")
    # the data files are the same for every language: written once under data/, none per language
    assert not list((pseudo_site / "xx").rglob("*.csv")) and not list((pseudo_site / "xx").rglob("data.json"))
    assert (pseudo_site / "data" / "2024" / "anting-city-operations" / "table-01.csv").exists()
    assert "⟦Open data⟧" in (pseudo_site / "xx" / "data" / "index.html").read_text(encoding="utf-8")


def test_pseudo_language_does_not_change_the_others(pseudo_site):
    zh = (pseudo_site / "zh" / "2024" / "anting-city-operations" / "index.html").read_text(encoding="utf-8")
    en = (pseudo_site / "en" / "2024" / "anting-city-operations" / "index.html").read_text(encoding="utf-8")
    assert "⟦" not in zh and "⟦" not in en
    assert "跳到正文" in zh and "Skip to content" in en
    assert 'hreflang="zh-CN"' in en  # en still switches to the default language


def test_missing_translation_shows_the_english(tmp_path):
    folder = make_pseudo_language(tmp_path)
    po = folder / "xx" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "⟦Contents⟧"', 'msgstr ""'), encoding="utf-8")
    books = Catalogues({"BUDGET_LANGUAGES": LANGUAGES, "BUDGET_TRANSLATIONS": [str(folder)]}, ROOT / "themes/budget")
    assert books.gettext("xx", "Contents") == "Contents"
    assert books.gettext("xx", "All years") == "⟦All years⟧"
    assert books.gettext("zh", "All years") == "全部年度"
    assert books.gettext("en", "All years") == "All years"


def test_label_is_a_mapping_with_a_fallback():
    label = Label("合计", "Total")
    assert dict(label) == {"zh": "合计", "en": "Total"} and label == Label({"zh": "合计", "en": "Total"})
    assert label("zh") == label["zh"] == label.zh == "合计"
    assert label("xx") == "Total"  # a language it lacks: English
    assert Label({"zh": "合计"})("en") == "合计"
    assert Label({"zh": "合计", "en": "Total", "xx": "⟦Total⟧"})("xx") == "⟦Total⟧"
    assert Label("{n}年", "{n}", xx="⟦{n}⟧").format(n=2024) == Label({"zh": "2024年", "en": "2024", "xx": "⟦2024⟧"})
    with pytest.raises(AttributeError):
        label.zh = "x"
    assert len({label, Label("合计", "Total")}) == 1
    assert copy.deepcopy(label) == pickle.loads(pickle.dumps(label)) == label


def test_phrasebooks_have_the_same_phrases():
    def keys(node, prefix=""):
        if not isinstance(node, dict):
            return {prefix}
        return set().union(*(keys(v, f"{prefix}.{k}") for k, v in node.items()))

    books = phrasebooks()
    assert set(books) == {"zh", "en"}
    assert keys(books["zh"].data) == keys(books["en"].data)


def test_templates_have_no_language_branches():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"lang\s*==\s*['\"]|\bif zh\b", text), path  # a language named in a template


def _messages(path: Path) -> dict[str, str]:
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def test_catalogue_template_is_current(tmp_path):
    """`invoke i18n` output is committed: a string added to a template or a label without
    re-extracting fails here."""
    out = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "L:2",
                    "-k", "Label:2", "--no-location", "--omit-header", "--sort-output", "-o", str(out), "."],
                   cwd=ROOT, check=True, capture_output=True)
    assert _messages(out) == _messages(POT)


def test_every_theme_string_has_a_chinese_translation(tmp_path):
    from babel.messages.extract import extract_from_dir

    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"trim_blocks": "True", "lstrip_blocks": "True"}}
    theme = {m[2] for m in extract_from_dir(str(TEMPLATES), method_map, options)}
    zh, en = _messages(TRANSLATIONS / "zh/LC_MESSAGES/messages.po"), _messages(TRANSLATIONS / "en/LC_MESSAGES/messages.po")
    pot = _messages(POT)
    assert set(zh) == set(en) == set(pot)  # the .po files are up to date with the .pot
    assert theme and all(zh[m] for m in theme), [m for m in theme if not zh[m]]
