"""Authored prose as page HTML: Markdown converted once per text and sanitised, lists that carry their own
numbers marked, and figure tokens turned into read-back spans."""

from __future__ import annotations

import functools
import re
import secrets

from markupsafe import escape

from generator.core.sanitise import clean, markdown_html

# A bullet list whose items already carry their own numbers — （一）, (1), 1. or 1、 — as the
# official text writes them: shown without bullets (class "marked"), never with two markers.
_LIST = re.compile(r"<ul>(?P<items>(?:(?!</?ul>).)*)</ul>", re.S)
_OWN_MARKER = re.compile(r"\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]+、)")


def mark_numbered_lists(html: str) -> str:
    def mark(m: re.Match) -> str:
        items = re.findall(r"<li>(.*?)</li>", m["items"], re.S)
        if items and all(_OWN_MARKER.match(re.sub(r"<[^>]+>", "", i)) for i in items):
            return f'<ul class="marked">{m["items"]}</ul>'
        return m[0]
    return _LIST.sub(mark, html)


# A tag as the sanitiser writes it: attribute values always in double quotes, `"` escaped.
_TAG = re.compile(r'<[^\s>"]+(?:\s+[^\s=>"]+(?:="[^"]*")?)*\s*/?>')


def fill_figures(html: str, token: re.Pattern, figures: dict[str, tuple[str, str]]) -> str:
    """Tokens in text become figure spans; in an attribute (alt, title, href) only the figure's text."""
    def fill(m: re.Match) -> str:
        if m[0].startswith("<"):
            return token.sub(lambda t: str(escape(figures[t[0]][1])), m[0])
        name, shown = figures[m[0]]
        return f'<span class="fig" data-figure="{escape(name)}">{escape(shown)}</span>'
    return re.sub(f"{_TAG.pattern}|{token.pattern}", fill, html)


# The figure tokens of this process: unguessable by whoever wrote the text, and the same for every
# conversion, so that a text (with its tokens) is converted once, for the page and the PDF alike.
NONCE = secrets.token_hex(8)
TOKEN = re.compile(f"FIG{NONCE}N\\d+E")


@functools.lru_cache(maxsize=4096)
def converted(markdown: str) -> str:
    """Markdown (with figure tokens) as sanitised HTML, each distinct text converted once."""
    return mark_numbered_lists(clean(markdown_html(markdown)))
