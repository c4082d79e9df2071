"""Languages as data: the site's languages and the theme's message catalogues.

The languages are the setting BUDGET_LANGUAGES (pelicanconf.py), read only here: the first is
the default language, each says its <html lang>, its own name and how it says "read this page
in <me>" (the language switch). Theme strings are `{{ _('…') }}` in the templates (Jinja's i18n
extension); their catalogues are Babel .po files, compiled in memory at build time (never stale):

    themes/budget/translations/messages.pot                  `invoke i18n` (pybabel extract)
    themes/budget/translations/<lang>/LC_MESSAGES/messages.po

Msgids are the English text (gettext's convention): English needs no catalogue, zh.po
translates every msgid. Labels (generator/labels.py) are extracted into the same .pot by their
English text, so a language that a Label does not carry is looked up in its catalogue.
A msgid with no translation shows the English. Translations are trusted like templates
(Jinja marks them safe); the values put into their %(slots)s are escaped.
"""

from __future__ import annotations

import gettext as _gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import pass_context

DEFAULT_LANGUAGES = {  # as in pelicanconf.py; only <html lang="zh-CN"> makes fontconfig pick the SC fonts
    "zh": {"html": "zh-CN", "name": "中文", "read_in": "阅读本页的中文版"},
    "en": {"html": "en", "name": "English", "read_in": "Read this page in English"},
}
DOMAIN = "messages"


def languages(settings: dict) -> dict[str, dict]:
    """{lang: {"html", "name", "read_in"}} in site order; the first is the default language."""
    return dict(settings.get("BUDGET_LANGUAGES") or DEFAULT_LANGUAGES)


def other_languages(langs: dict[str, dict]) -> dict[str, str]:
    """The language each page's switch links to: the default language, from it the second one."""
    order = list(langs)
    return {lang: order[1] if lang == order[0] else order[0] for lang in order} if len(order) > 1 else {}


def catalogue_folders(settings: dict, theme: str | Path) -> list[Path]:
    """Where catalogues (and phrasebooks, <lang>/narrative.yaml) are looked for, first match wins:
    the folders of the setting BUDGET_TRANSLATIONS, then the theme's."""
    return [Path(p) for p in settings.get("BUDGET_TRANSLATIONS") or []] + [Path(theme) / "translations"]


@cache
def _compile(po: Path, mtime: float) -> _gettext.GNUTranslations:
    with po.open("rb") as f:
        catalog = read_po(f, locale=None)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def translations(lang: str, folders: list[Path]) -> _gettext.NullTranslations:
    for folder in folders:
        po = folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            return _compile(po, po.stat().st_mtime)
    return _gettext.NullTranslations()  # English: the msgids themselves


class Catalogues:
    """Every site language's translations, and the Jinja callables that pick one by the page's `lang`."""

    def __init__(self, settings: dict, theme: str | Path):
        self.languages = languages(settings)
        self.folders = catalogue_folders(settings, theme)
        self.books = {lang: translations(lang, self.folders) for lang in self.languages}

    def gettext(self, lang: str, message: str) -> str:
        return self.books[lang].gettext(message) if lang in self.books else message

    def install(self, env) -> None:
        """On a Jinja environment (each Pelican generator has its own): `_()` in the page's language.
        Macros see `lang` because the partials are imported `with context`."""
        if "jinja2.ext.InternationalizationExtension" not in env.extensions:
            env.add_extension("jinja2.ext.i18n")
        books = self.books

        @pass_context
        def gettext(context, message):
            return books[context["lang"]].gettext(message)

        @pass_context
        def ngettext(context, singular, plural, n):
            return books[context["lang"]].ngettext(singular, plural, n)

        env.install_gettext_callables(gettext, ngettext, newstyle=True)
        env.globals["LANGUAGES"] = self.languages
        env.globals["OTHER_LANG"] = other_languages(self.languages)
