"""The page-level note of a document whose texts are partly still to translate (`pending: en`).

Each pending prose text shows its own notice (View.prose); names and reasons quoted inside
sentences cannot, so the page says once, under its title, how many texts are shown in Chinese.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.core.labels import Label
from generator.load.documents import Document, walk_document
from generator.load.model import Text

PAGE_NOTICE = Label("本页有 {count} 处文字尚未翻译，暂以中文原文显示。",
                    "{count} text(s) of this document are not yet translated and are shown in the Chinese original.")


def pending_count(doc: Document) -> int:
    """How many texts of the document have their English still to write."""
    return sum(1 for _, text in walk_document(doc, Text, set()) if text.is_pending)


def page_notice(doc: Document, lang: str, translate) -> Markup:
    """The note for a page in `lang` (none in Chinese, none when everything is translated)."""
    count = pending_count(doc) if lang != "zh" else 0
    if not count:
        return Markup("")
    text = escape(translate(PAGE_NOTICE).format(count=count))
    return Markup(f'<p class="untranslated-notice page-notice" role="note">{text}</p>')
