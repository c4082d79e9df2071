"""YAML written by hand, with comments: the few shapes a draft budget file needs.

The project does not depend on a round-trip YAML library, so the draft is written as text:
strings are double-quoted (JSON's quoting is valid YAML), amounts are plain decimals with two
places, long texts are literal blocks, and each line may carry a comment. The result is read back
with the project's own loader in the tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

END_OF_SENTENCE = "。：；！？:;!?"


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def reflow(text: str) -> str:
    """A text read from a PDF, one printed line per line, as Markdown paragraphs: a line that
    ends a sentence ends its paragraph; the other line ends are only where the page was full."""
    paragraphs: list[str] = []
    current = ""
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        current += line
        if line[-1] in END_OF_SENTENCE:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


@dataclass(frozen=True)
class Literal:
    """A multi-line text, written as a YAML literal block (|-)."""

    text: str


@dataclass
class Block:
    """A mapping (fields) or a sequence (items), with comments."""

    entries: list[tuple] = field(default_factory=list)

    def field(self, key: str, value: str | Block | Literal, comment: str | None = None, anchor: str | None = None) -> None:
        self.entries.append(("field", key, value, comment, anchor))

    def item(self, value: str | Block, comment: str | None = None) -> None:
        self.entries.append(("item", value, comment))

    def comment(self, text: str) -> None:
        self.entries.append(("comment", text))

    def extend(self, other: Block) -> None:
        self.entries.extend(other.entries)

    def __bool__(self) -> bool:
        return any(e[0] != "comment" for e in self.entries)

    def render(self, indent: int = 0) -> str:
        return "".join(self._lines(indent))

    def _lines(self, indent: int):
        pad = " " * indent
        for entry in self.entries:
            if entry[0] == "comment":
                yield f"{pad}# {entry[1]}\n"
            elif entry[0] == "field":
                _, key, value, comment, anchor = entry
                head = f"{pad}{key}:" + (f" &{anchor}" if anchor else "")
                if indent == 0 and isinstance(value, Block):
                    yield "\n"
                yield from _value(head, value, comment, indent)
            else:
                _, value, comment = entry
                if isinstance(value, Block):
                    if comment:
                        yield f"{pad}# {_one_line(comment)}\n"
                    inner = value.render(indent + 2)
                    yield pad + "- " + inner[indent + 2:]
                else:
                    yield f"{pad}- {value}" + (f"  # {_one_line(comment)}" if comment else "") + "\n"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _value(head: str, value: str | Block | Literal, comment: str | None, indent: int):
    tail = f"  # {_one_line(comment)}" if comment else ""
    if isinstance(value, Literal):
        yield f"{head} |-{tail}\n"
        for line in value.text.split("\n"):
            yield (" " * (indent + 2) + line).rstrip() + "\n"
    elif isinstance(value, Block):
        yield f"{head}{tail}\n"
        yield value.render(indent + 2)
    else:
        yield f"{head} {value}{tail}\n"


def text_block(zh: str) -> Block:
    """A Chinese text whose English is still to write: `zh: …` and `pending: en`."""
    text = reflow(zh)
    block = Block()
    block.field("zh", Literal(text) if "\n" in text else quoted(text))
    block.field("pending", "en")
    return block
