"""The placeholder syntax of authored prose: `{{figure.name}}`, `{{literal: text}}`, and what is broken.

Part of the format (every stage reads it): the loader checks names against it, the narrative
writes it, the reconciliation finds claims between placeholders, the views fill them in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
LITERAL = re.compile(r"^\s*literal\s*[:：]\s*(.*?)\s*$", re.S)  # a full-width colon too


@dataclass(frozen=True)
class Segment:
    text: str
    offset: int  # where the segment starts in the authored text
    checked: bool  # typed by the author (claims are checked) or produced by a placeholder


# Text that is neither prose nor a placeholder: a stray `{{` or `}}`, or `{name}` (one brace
# each side, the usual typo for `{{name}}`). Markdown attribute lists (`{: .x}`, `{#id}`) pass.
STRAY = re.compile(r"\{\{|\}\}|(?<!\{)\{[A-Za-z_\u4e00-\u9fff][\w.\u4e00-\u9fff]*\}(?!\})")


def split(text: str) -> list[tuple[str, int, str]]:
    """[(kind, offset, content)]: kind is 'text', 'figure', 'literal' or 'broken'.

    Joining every content gives the text back (placeholders as their name or literal text).
    A 'broken' part runs from the first stray brace to the next placeholder or the end.
    """
    parts: list[tuple[str, int, str]] = []

    def prose(start: int, end: int) -> None:
        chunk = text[start:end]
        stray = STRAY.search(chunk)
        if stray:
            if stray.start():
                parts.append(("text", start, chunk[:stray.start()]))
            parts.append(("broken", start + stray.start(), chunk[stray.start():]))
        elif chunk:
            parts.append(("text", start, chunk))

    pos = 0
    for m in PLACEHOLDER.finditer(text):
        prose(pos, m.start())
        inner = m.group(1)
        lit = LITERAL.match(inner)
        if lit:
            parts.append(("literal", m.start(), lit.group(1)))
        elif re.fullmatch(r"\s*[^\s{}]+\s*", inner):
            parts.append(("figure", m.start(), inner.strip()))
        else:
            parts.append(("broken", m.start(), m.group(0)))
        pos = m.end()
    prose(pos, len(text))
    return parts
