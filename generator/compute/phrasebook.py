"""Phrasebooks: the narrative's words per language, as data (generator/locale/<lang>.yaml).

A phrase is a string with ${slot}s (string.Template: `{{figure}}` placeholders pass through
untouched); keys are dotted paths into the YAML. Every phrasebook has the keys of zh.yaml.
More languages come from folders given to `phrasebooks()` (<folder>/<lang>/narrative.yaml).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template

import yaml

LOCALE = Path(__file__).parent / "locale"
BUILT_IN = ("zh", "en")


class Phrasebook:
    def __init__(self, lang: str, data: dict, defaults: dict | None = None):
        self.lang, self.data = lang, data
        self.defaults = defaults or {}  # slots every phrase may use (${doc}, ${org})

    def with_defaults(self, **slots) -> Phrasebook:
        return Phrasebook(self.lang, self.data, {**self.defaults, **slots})

    def text(self, phrase: str):
        node = self.data
        for part in phrase.split("."):
            node = node[part]
        return node

    def __call__(self, phrase: str, /, **slots) -> str:
        return Template(self.text(phrase)).substitute({**self.defaults, **slots})

    def name(self, group: str, key: str) -> str:
        """A name from a table of the phrasebook (a source, a word): itself if the table lacks it."""
        return self.text(group).get(key, key)

    def join(self, items: list[str], names: bool = False) -> str:
        """a、b、c / a, b and c; catalogue names (`names`) lower-cased first where the language does."""
        rule = self.data["list"]
        if names and rule.get("lower_first"):
            items = [i[:1].lower() + i[1:] for i in items]
        if len(items) < 2:
            return "".join(items)
        return rule["sep"].join(items[:-1]) + rule["last"] + items[-1]


@cache
def _read(path: Path, mtime: float) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def phrasebook_path(lang: str, folders: tuple[Path, ...] = ()) -> Path | None:
    for folder in folders:
        path = Path(folder) / lang / "narrative.yaml"
        if path.is_file():
            return path
    path = LOCALE / f"{lang}.yaml"
    return path if path.is_file() else None


def phrasebooks(langs: tuple[str, ...] = BUILT_IN, folders: tuple[Path, ...] = ()) -> dict[str, Phrasebook]:
    """The phrasebook of each language that has one, in `langs` order (a language without one
    reads the English of every paragraph: Label's fallback)."""
    found = {}
    for lang in langs:
        path = phrasebook_path(lang, folders)
        if path is not None:
            found[lang] = Phrasebook(lang, _read(path, path.stat().st_mtime))
    return found
