"""Issues: every problem found in the content, with a code, severity, place and bilingual message.

All messages live in MESSAGES (core/messages.py), so the full list of what the project can report is in one
place (`python -m generator.cli codes` prints it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.core.labels import Label
from generator.core.messages import MESSAGES, TITLES

__all__ = ["MESSAGES", "TITLES", "ERROR", "WARNING", "Code", "Issue", "Location", "codes", "issue", "sort_key"]

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """One kind of problem: its code, title and message template, in both languages."""

    code: str
    title_zh: str
    title_en: str
    message_zh: str
    message_en: str

    @property
    def severity(self) -> str:
        return WARNING if self.code.startswith("W") else ERROR

    def title(self, lang: str = "zh") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "severity": self.severity, "title": {"zh": self.title_zh, "en": self.title_en},
                "message": {"zh": self.message_zh, "en": self.message_en}}


def codes() -> list[Code]:
    """Every code, in the order of MESSAGES."""
    return [Code(c, *TITLES[c], *MESSAGES[c]) for c in MESSAGES]


def suggestion(candidates: list[str]) -> Label:
    """The '; did you mean …?' tail of a message; empty when there is nothing to suggest."""
    if not candidates:
        return Label("", "")
    names = " / ".join(repr(c) for c in candidates)
    return Label(f"；是否想写 {names}？", f"; did you mean {names}?")


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None = None  # 1-based
    col: int | None = None  # 1-based

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


@dataclass(frozen=True)
class Issue:
    code: str
    location: Location
    params: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def severity(self) -> str:
        return WARNING if self.code.startswith("W") else ERROR

    def message(self, lang: str = "zh") -> str:
        zh, en = MESSAGES[self.code]
        params = {k: v(lang) if isinstance(v, Label) else v for k, v in self.params.items()}
        return (zh if lang == "zh" else en).format(**params)

    def format(self, lang: str = "zh") -> str:
        return f"{self.location}: {self.code} {self.message(lang)}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
            "message": {"zh": self.message("zh"), "en": self.message("en")},
        }


def issue(code: str, location: Location, /, **params: object) -> Issue:
    """An issue; `code` and `location` are positional-only, so a message may name a {code}."""
    if code not in MESSAGES:
        raise KeyError(code)
    return Issue(code, location, params)


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == ERROR]


def sort_key(i: Issue) -> tuple[str, int, int, str]:
    loc = i.location
    return (loc.path, loc.line or 0, loc.col or 0, i.code)
