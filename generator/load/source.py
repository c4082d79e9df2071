"""Read a budget file: YAML text -> plain data with the position of every key and value.

PyYAML's constructors are not used: they turn `0101` into 65, `1.10` into a float and keep
the last of two duplicate keys. Instead the composed node tree is walked and every scalar
is kept as the exact text typed; the model then parses it (Decimal for amounts, str for
codes). Null is the only scalar interpreted here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.core.diagnostics import Issue, Location, issue
from generator.core.labels import Label

try:  # libyaml is bundled with PyYAML's wheels and is ~7x faster
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

NULL_TAG = "tag:yaml.org,2002:null"
Path_ = tuple  # a path into the data: keys (str) and list indices (int)
MAX_VALUES = 200_000  # values in one file, aliases expanded: far above any budget, stops "billion laughs"
# `{amount: 372,900}` reads as amount 372 plus a key 900: such a key is a thousands group.
THOUSANDS_HEAD = re.compile(r"-?\d{1,3}(,\d{3})*")
THOUSANDS_GROUP = re.compile(r"\d{3}(\.\d*)?")


class TooLarge(Exception):
    pass


# Common PyYAML problems, explained for a clerk: (text in the problem, zh hint, en hint).
SYNTAX_HINTS = [
    ("tab character", "缩进不能用制表符（Tab），请改用空格", "indent with spaces, not tabs"),
    ("mapping values are not allowed", "这里不能出现“冒号+空格”：文字中含有冒号时请给整段文字加引号，或检查缩进",
     "a colon followed by a space is not allowed here: quote a text that contains one, or check the indentation"),
    ("could not find expected ':'", "缺少冒号（:），或多行文字的缩进不一致", "a colon (:) is missing, or a multi-line text is indented unevenly"),
    ("did not find expected key", "缩进不一致，或上一行的引号、冒号有误", "the indentation is uneven, or a quote or colon on the line before is wrong"),
    ("did not find expected '-' indicator", "列表项的缩进不一致", "the items of a list are indented unevenly"),
    ("did not find expected ','", "方括号或花括号没有闭合，或两项之间缺少逗号", "a bracket or brace is not closed, or a comma is missing between two items"),
    ("unexpected end of stream", "文件在引号或括号闭合之前就结束了", "the file ends before a quote or bracket is closed"),
    ("expected node content", "这里缺少值，或括号没有闭合", "a value is missing here, or a bracket is not closed"),
    ("undefined alias", "使用了未定义的别名（*）", "an alias (*) names no anchor (&)"),
    ("duplicate anchor", "同一个锚点（&）定义了两次", "the same anchor (&) is defined twice"),
]


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> Label:
    raw = " ".join(str(p) for p in (exc.context, exc.problem) if p)
    problem = str(exc.problem or "")
    mark = exc.problem_mark
    if "cannot start any token" in problem and mark is not None:
        lines = text.splitlines()
        char = lines[mark.line][mark.column:mark.column + 1] if mark.line < len(lines) else ""
        if char == "\t":
            zh, en = SYNTAX_HINTS[0][1:]
        else:
            zh, en = (f"字符 {char!r} 不能出现在值的开头，请给这段文字加引号",
                      f"the character {char!r} cannot start a value: put the text in quotes")
        return Label(f"{zh}（{raw}）", f"{en} ({raw})")
    for needle, zh, en in SYNTAX_HINTS:
        if needle in problem:
            return Label(f"{zh}（{raw}）", f"{en} ({raw})")
    return Label(f"请检查这一行及上一行的缩进、冒号、引号和括号（{raw}）", raw)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


@dataclass
class Positions:
    """Where each value (and each mapping key) of a file was written."""

    path: str
    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    styles: dict[tuple, str] = field(default_factory=dict)  # scalar style: | > ' " (plain: absent)
    spans: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # where each scalar is in `text`
    text: str = ""

    def at(self, data_path: tuple, key: bool = False) -> Location:
        """The location of `data_path`, or of its nearest written ancestor."""
        table = self.keys if key else self.values
        p = tuple(data_path)
        while p:
            if p in table:
                return Location(self.path, *table[p])
            if p in self.values:
                return Location(self.path, *self.values[p])
            p = p[:-1]
        return Location(self.path, *self.values.get((), (1, 1)))

    def within(self, data_path: tuple, text: str, offset: int) -> Location:
        """The location of character `offset` of the text value at `data_path`.

        The characters there are looked up in the scalar's source, so folding, quoting and
        line breaks do not shift the place reported.
        """
        base = self.at(data_path)
        if tuple(data_path) not in self.values:
            return base
        span = self.spans.get(tuple(data_path))
        snippet = text[offset:offset + 16].split("\n", 1)[0]
        if span and snippet.strip():
            # the same occurrence (first, second …) of the characters in the source as in the value
            found = span[0] - 1
            for _ in range(text.count(snippet, 0, offset) + 1):
                found = self.text.find(snippet, found + 1, span[1])
                if found < 0:
                    break
            if found >= 0:
                line = self.text.count("\n", 0, found) + 1
                return Location(self.path, line, found - self.text.rfind("\n", 0, found))
        before = text[:offset]
        style = self.styles.get(tuple(data_path))
        if style in ("|", ">"):  # block content starts on the next line
            line = base.line + 1 + before.count("\n")
            return Location(self.path, line, None)
        if "\n" in before:
            return Location(self.path, base.line + before.count("\n"), None)
        quote = 1 if style in ("'", '"') else 0
        return Location(self.path, base.line, (base.col or 1) + quote + offset)


@dataclass
class SourceFile:
    path: str
    data: object
    positions: Positions


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _is_thousands_group(key_node: yaml.Node, value_node: yaml.Node, previous: object) -> bool:
    """In `{amount: 372,900}` the `900` is a key without value that continues the amount 372."""
    return (isinstance(previous, str) and THOUSANDS_HEAD.fullmatch(previous) is not None
            and not key_node.style and THOUSANDS_GROUP.fullmatch(key_node.value) is not None
            and value_node.tag == NULL_TAG and value_node.value == "")


def _walk(node: yaml.Node, here: tuple, pos: Positions, issues: list[Issue], path: tuple = ()) -> object:
    if id(node) in path:  # an alias inside the value it refers to
        issues.append(issue("E124", pos.at(here, key=True)))
        return None
    path += (id(node),)
    pos.values[here] = _mark(node)
    if len(pos.values) > MAX_VALUES:
        raise TooLarge
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        first_line: dict = {}
        previous_key = None
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                issues.append(issue("E125", Location(pos.path, *_mark(key_node))))
                continue
            key = key_node.value
            if node.flow_style and previous_key is not None and _is_thousands_group(key_node, value_node, out[previous_key]):
                out[previous_key] += "," + key  # reported as an amount with a thousands separator
                continue
            if key == "<<":
                issues.append(issue("E126", Location(pos.path, *_mark(key_node))))
                continue
            if key in out:
                issues.append(issue("E103", Location(pos.path, *_mark(key_node)), key=key, first_line=first_line[key]))
                continue
            first_line[key] = _mark(key_node)[0]
            pos.keys[here + (key,)] = _mark(key_node)
            out[key] = _walk(value_node, here + (key,), pos, issues, path)
            previous_key = key
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, here + (i,), pos, issues, path) for i, item in enumerate(node.value)]
    # Scalar: keep the text exactly as typed; only a plain null/~/empty means "no value".
    if node.tag == NULL_TAG and not node.style:
        return None
    if node.style:
        pos.styles[here] = node.style
    pos.spans[here] = (node.start_mark.index, node.end_mark.index)
    return node.value


def read_text(text: str, path: str) -> tuple[SourceFile | None, list[Issue]]:
    issues: list[Issue] = []
    pos = Positions(path, text=text)
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        return None, [issue("E102", loc, problem=_syntax_problem(exc, text))]
    except yaml.reader.ReaderError as exc:  # a control character in the text
        loc = Location(path, *_line_col(text, exc.position)) if isinstance(exc.position, int) else Location(path)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return None, [issue("E102", loc, problem=Label(
            f"含有不允许的控制字符 #x{char:04x}，这可能不是文本文件", f"control character #x{char:04x} is not allowed: is this a text file?"))]
    except (yaml.YAMLError, RecursionError) as exc:  # pragma: no cover - no other YAMLError is known
        problem = (str(exc).splitlines() or [type(exc).__name__])[0]
        return None, [issue("E102", Location(path, 1, 1), problem=Label(problem, problem))]
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None, [issue("E112", Location(path, 1, 1), problem=Label("但文件是空的", "but the file is empty"))]
    if len(nodes) > 1:
        return None, [issue("E112", Location(path, *_mark(nodes[1])),
                            problem=Label("但文件含有多个 YAML 文档（---）", "but it holds several YAML documents (---)"))]
    if not isinstance(nodes[0], yaml.MappingNode):
        return None, [issue("E112", Location(path, *_mark(nodes[0])),
                            problem=Label("但顶层不是映射（键: 值）", "but the top level is not a mapping (key: value)"))]
    try:
        data = _walk(nodes[0], (), pos, issues)
    except (TooLarge, RecursionError):
        return None, [issue("E101", Location(path, 1, 1), problem=Label(
            f"展开别名（*）后超过 {MAX_VALUES} 个值，或嵌套过深", f"more than {MAX_VALUES} values once aliases (*) are expanded, or nested too deeply"))]
    return SourceFile(path, data, pos), issues


def read_file(path: Path, display_path: str | None = None) -> tuple[SourceFile | None, list[Issue]]:
    shown = display_path or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [issue("E101", Location(shown), problem=Label(exc.strerror or str(exc), exc.strerror or str(exc)))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Where the first byte that is not UTF-8 is (line and character of the text before it).
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8", errors="replace")) + 1
        return None, [issue("E101", Location(shown, line, col), problem=Label(
            f"文件不是 UTF-8 编码（第 {exc.start + 1} 个字节 0x{raw[exc.start]:02x} 无效）；请在编辑器中以 UTF-8 编码另存",
            f"the file is not UTF-8 (byte {exc.start + 1}, 0x{raw[exc.start]:02x}, is invalid); save it as UTF-8 in your editor"))]
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as read_text() would
    if text.startswith("\ufeff"):
        text = text[1:]
    return read_text(text, shown)
