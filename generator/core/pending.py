"""A text whose English is still to be written (the format's `pending: en`), as the later stages
carry it: a Label with the Chinese only, marked untranslated, so a page in another language
shows the Chinese under a notice instead of an empty string (generator.present.render)."""

from __future__ import annotations

from typing import Protocol

from generator.core.labels import Label

NOTICE = Label("尚未翻译", "Not yet translated — the Chinese original follows")


class Untranslated(Label):
    """The Chinese text of a pending translation: `label("en")` falls back to it."""

    __slots__ = ()

    def __init__(self, zh: str):
        super().__init__({"zh": zh})

    def __reduce__(self):
        return (Untranslated, (self.zh,))


class _Authored(Protocol):
    zh: str
    en: str | None

    @property
    def is_pending(self) -> bool: ...


def label_of(text: _Authored) -> Label:
    """An authored Text as a Label: Untranslated while its English is pending."""
    return Untranslated(text.zh) if text.is_pending or text.en is None else Label(text.zh, text.en)


def untranslated(text: object, lang: str) -> bool:
    """Whether `text` (a Text or Label) has no translation into `lang` yet."""
    if lang == "zh":
        return False
    return isinstance(text, Untranslated) or bool(getattr(text, "is_pending", False))
