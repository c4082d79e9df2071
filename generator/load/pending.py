"""Pending translations: a bilingual text whose English is not written yet (`{zh: …, pending: en}`).

The format's mark (generator.load.fields.Text): `pending: en` instead of `en:`. `check` reports
each pending text (W246, at its `pending:` line), so `check --strict` refuses a file that has
one; the Chinese pages publish it as usual and the English pages show the Chinese text under a
notice that it is not yet translated (generator.present.render.View.prose).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.core.diagnostics import Issue, Location, issue

# pydantic error types raised by Text's validator -> their codes
PENDING_CODES = {"text_no_english": "E247", "text_pending_written": "E248"}


def pending_texts(obj: object, here: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Every (path, mapping) in the raw data that is a text marked `pending: en`."""
    if isinstance(obj, dict):
        if isinstance(obj.get("zh"), str) and obj.get("pending") == "en" and obj.get("en") is None:
            yield here, obj
            return
        for k, v in obj.items():
            yield from pending_texts(v, here + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from pending_texts(v, here + (i,))


def pending_issues(data: object, at: Callable[..., Location]) -> list[Issue]:
    """One W246 per pending text, at its `pending:` line, with the start of the Chinese."""
    found = []
    for here, text in pending_texts(data):
        zh = " ".join(text["zh"].split())
        found.append(issue("W246", at(here + ("pending",)), field=".".join(map(str, here)),
                           snippet=zh if len(zh) <= 24 else zh[:24] + "…"))
    return found
