"""`budget new-year`: next year's budget file, drafted from this year's.

Every text is kept; every amount of the line items becomes `null` with this year's amount in an
end-of-line comment (`amount: null  # 2024: 372900`), so `budget check` lists each amount to fill
(E232); `last_year`, `reasons` and `declared` go (next year, last year's figures come from this
year's file, which the loader links by department slug and year); a performance form's dates move
one year on and its `last_year_budget` becomes this year's project budget.

Like the migration steps this works on the TEXT (edits at the places PyYAML reports), so every
comment and the layout survive apart from what changes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from generator.core.labels import Label
from generator.load.migrate import MigrationError, line_start, migrate_text, newline_of, top_level

# Where the amounts are, in the department (one-unit form) or in each unit: list field -> amount fields.
AMOUNTS = {
    "basic": ("amount",),
    "other_spending": ("amount",),
    "three_public": ("amount",),
    "procurement": ("amount", "reserved_sme", "reserved_micro"),
}
ABOUT_THIS_YEAR = ("last_year", "reasons", "declared")  # removed: they describe this year's change
DATES = ("start", "end", "filled_on")
DIVIDER = re.compile(r"\s*#\s*-{4,}")


@dataclass
class Edit:
    start: int
    end: int
    text: str


@dataclass
class Draft:
    text: str
    year: int
    slug: str
    changes: list[Label]


def _scalar(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null" else None


def _items(node: yaml.Node | None) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _get(items: Mapping[str, tuple[yaml.Node, yaml.Node]], key: str) -> yaml.Node | None:
    pair = items.get(key)
    return pair[1] if pair else None


def _list(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _last_end(node: yaml.Node) -> int:
    """Where the text of `node` ends (a block collection ends with its last value)."""
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _last_end(last[1] if isinstance(node, yaml.MappingNode) else last)
    return node.end_mark.index


def _comment_at(text: str, start: int, end: int) -> int | None:
    """The index of the `#` that starts a comment in text[start:end] (outside quotes), if any."""
    quote = None
    for i in range(start, end):
        char = text[i]
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or text[i - 1] in " \t"):
            return i
    return None


def _number(value: Decimal) -> str:
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value.normalize())


def _next_date(text: str) -> str | None:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    try:
        return day.replace(year=day.year + 1).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28).isoformat()


class _Drafter:
    def __init__(self, text: str, year: int):
        self.text, self.year = text, year
        self.edits: list[Edit] = []
        self.notes: dict[int, list[tuple[str, str]]] = {}  # line end -> (what, this year's amount)
        self.removed: list[tuple[int, int]] = []
        self.amounts = 0

    # -- edits
    def replace(self, node: yaml.Node, new: str) -> None:
        quote = node.style if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"') else ""
        self.edits.append(Edit(node.start_mark.index, node.end_mark.index, f"{quote}{new}{quote}"))

    def to_fill(self, node: yaml.Node | None, what: str) -> None:
        old = _scalar(node)
        if node is None or old is None:
            return
        self.replace(node, "null")
        end = self.text.find("\n", node.end_mark.index)
        self.notes.setdefault(len(self.text) if end < 0 else end, []).append((what, old))
        self.amounts += 1

    def remove(self, key: yaml.Node, value: yaml.Node, note: str = "") -> None:
        text = self.text
        start = line_start(text, key.start_mark.index)
        while start > 0:  # the comment lines directly above it are about it (not a section divider)
            above = line_start(text, start - 1)
            line = text[above:start]
            if not line.lstrip().startswith("#") or DIVIDER.match(line):
                break
            start = above
        # an alias (`last_year: *last_year`) composes to the anchored node, which lies elsewhere: the alias ends its line
        end = _last_end(value) if value.start_mark.index >= key.end_mark.index else key.end_mark.index
        if end > 0 and text[end - 1] != "\n":
            end = text.find("\n", end) + 1 or len(text)
        while end < len(text):  # comments inside it, indented deeper than its key
            nxt = text.find("\n", end) + 1 or len(text)
            line = text[end:nxt]
            if not line.lstrip().startswith("#") or len(line) - len(line.lstrip()) <= key.start_mark.column:
                break
            end = nxt
        self.removed.append((start, end))
        self.edits.append(Edit(start, end, note))

    # -- the parts of a budget
    def holder(self, node: yaml.Node) -> None:
        """The line items of the department (one-unit form) or of one unit."""
        fields = _items(node)
        for name, amounts in AMOUNTS.items():
            for item in _list(_get(fields, name)):
                values = _items(item)
                for amount in amounts:
                    self.to_fill(_get(values, amount), amount)
        for project in _list(_get(fields, "projects")):
            self.project(project)

    def project(self, node: yaml.Node) -> None:
        fields = _items(node)
        total = Decimal(0)
        for source, (_, value) in _items(_get(fields, "funding")).items():
            total += self._decimal(value)
            self.to_fill(value, source)
        for line in _list(_get(fields, "lines")):
            amount = _get(_items(line), "amount")
            total += self._decimal(amount)
            self.to_fill(amount, "amount")
        form = _get(fields, "form")
        items = _items(form)
        for name in DATES:
            date = _get(items, name)
            new = _next_date(_scalar(date) or "")
            if date is not None and new:
                self.replace(date, new)
        self.to_fill(_get(items, "total_budget"), "total_budget")
        for sub in _list(_get(items, "sub_items")):
            self.to_fill(_get(_items(sub), "amount"), "amount")
        if not items:
            return
        executed = _get(items, "last_year_executed")
        if executed is not None and _scalar(executed) is not None:
            self.replace(executed, "null")
            self._note_line(executed, f"待填：{self.year} 年预算执行数 / to fill: {self.year}'s executed amount")
        last = items.get("last_year_budget")
        if last is not None:
            self.replace(last[1], _number(total))
            self._note_line(last[1], f"{self.year} 年项目预算 / {self.year} project budget")
        elif "total_budget" in items:  # a line of its own under total_budget
            key, value = items["total_budget"]
            end = self.text.find("\n", _last_end(value))
            end = len(self.text) if end < 0 else end
            nl = newline_of(self.text)
            self.edits.append(Edit(end, end, f"{nl}{' ' * key.start_mark.column}last_year_budget: {_number(total)}"
                                   f"  # {self.year} 年项目预算 / {self.year} project budget"))

    def _note_line(self, node: yaml.Node, words: str) -> None:
        end = self.text.find("\n", node.end_mark.index)
        self.notes.setdefault(len(self.text) if end < 0 else end, []).append(("", words))

    @staticmethod
    def _decimal(node: yaml.Node | None) -> Decimal:
        try:
            return Decimal(_scalar(node) or "0")
        except InvalidOperation:
            return Decimal(0)

    # -- the new text
    def comments(self) -> None:
        for end, notes in self.notes.items():
            start = line_start(self.text, end)
            amounts = [(what, old) for what, old in notes if what]
            if len(amounts) == 1:
                words = [f"{self.year}: {amounts[0][1]}"]
            else:
                words = [f"{self.year}: " + ", ".join(f"{what} {old}" for what, old in amounts)] if amounts else []
            comment = "; ".join(words + [old for what, old in notes if not what])
            hash_at = _comment_at(self.text, start, end)
            if hash_at is None:
                self.edits.append(Edit(end, end, f"  # {comment}"))
            else:  # before the comment already there
                self.edits.append(Edit(hash_at + 1, hash_at + 1, f" {comment};"))

    def result(self) -> str:
        text = self.text
        kept = [e for e in self.edits
                if not any(s <= e.start and e.end <= t and (e.start, e.end) != (s, t) for s, t in self.removed)]
        for e in sorted(kept, key=lambda e: (e.start, e.end), reverse=True):
            text = text[:e.start] + e.text + text[e.end:]
        return text


def draft(text: str, source_name: str = "") -> Draft:
    """Next year's file from `text` (this year's); MigrationError if it is not a budget file."""
    text, migrated, _ = migrate_text(text)
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom):]
    top = top_level(text)
    year_node = _get(top.keys, "year")
    year_text = _scalar(year_node) or ""
    slug = _scalar(_get(_items(_get(top.keys, "department")), "slug"))
    if year_node is None or not re.fullmatch(r"[0-9]{4}", year_text) or not slug:
        raise MigrationError(Label("文件中没有四位数字的 year 或没有 department.slug，无法起草下一年",
                                   "the file has no 4-digit year or no department.slug: cannot draft next year"))
    year = int(year_text)
    d = _Drafter(text, year)
    d.replace(year_node, str(year + 1))
    d.holder(top.node)
    nl = newline_of(text)
    for unit in _list(_get(top.keys, "units")):
        d.holder(unit)
        budget = _items(_get(_items(unit), "budget"))
        for name in ABOUT_THIS_YEAR:
            if name in budget:
                d.remove(*budget[name])
    for name in ABOUT_THIS_YEAR:
        if name in top.keys:
            key, value = top.keys[name]
            note = ""
            if name == "last_year":
                note = (f"# 上年数取自 {year} 年的预算文件（同一部门） / last year's figures come from the {year} file"
                        f" of this department{nl}")
            d.remove(key, value, note)
    d.comments()
    body = d.result()
    origin = f" ({source_name})" if source_name else ""
    header = (f"# {year + 1} 年预算草稿，由 budget new-year 从 {year} 年的文件{origin}生成：每个金额为 null，"
              f"注释中是 {year} 年的金额，{nl}"
              f"# 请逐项填写（budget check 列出每个待填金额，E232）；文字沿用 {year} 年的，请逐段核对。{nl}"
              f"# Draft for {year + 1} made by budget new-year from the {year} file{origin}: every amount is null with "
              f"{year}'s in a comment;{nl}"
              f"# fill them in (budget check lists them, E232); the texts are {year}'s: review each.{nl}#{nl}")
    first_line_end = body.find("\n") + 1 if body.startswith("# yaml-language-server:") else 0  # that line stays first
    body = body[:first_line_end] + header + body[first_line_end:]
    changes = list(migrated) + [
        Label(f"年度 {year} 改为 {year + 1}", f"year {year} changed to {year + 1}"),
        Label(f"{d.amounts} 个金额待填（注释中是 {year} 年的金额）", f"{d.amounts} amounts to fill in ({year}'s in comments)"),
    ] + [Label(f"删除 {name}", f"removed {name}") for name in ABOUT_THIS_YEAR if name in top.keys]
    return Draft(bom + body, year + 1, slug, changes)


def default_out(path: Path, year: int, slug: str) -> Path:
    """content/budgets/<year>/<slug>.yaml next to this year's folder."""
    folder = path.parent.parent if path.parent.name == str(year - 1) else path.parent
    return folder / str(year) / f"{slug}.yaml"
