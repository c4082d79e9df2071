"""Read a budget file: YAML text -> plain data with the position of every key and value.

PyYAML's constructors are not used: they turn `0101` into 65, `1.10` into a float and keep
the last of two duplicate keys. Instead the composed node tree is walked and every scalar
is kept as the exact text typed; the model then parses it (Decimal for amounts, str for
codes). Null is the only scalar interpreted here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .diagnostics import Issue, Location, issue

try:  # libyaml is bundled with PyYAML's wheels and is ~7x faster
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

NULL_TAG = "tag:yaml.org,2002:null"
Path_ = tuple  # a path into the data: keys (str) and list indices (int)


@dataclass
class Positions:
    """Where each value (and each mapping key) of a file was written."""

    path: str
    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    styles: dict[tuple, str] = field(default_factory=dict)  # scalar style: | > ' " (plain: absent)

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
        """The location of character `offset` of the text value at `data_path`."""
        base = self.at(data_path)
        if tuple(data_path) not in self.values:
            return base
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


def _walk(node: yaml.Node, here: tuple, pos: Positions, issues: list[Issue]) -> object:
    pos.values[here] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                issues.append(issue("E106", Location(pos.path, *_mark(key_node)), detail="键必须是简单文字 / keys must be plain text"))
                continue
            key = key_node.value
            if key == "<<":
                issues.append(issue("E106", Location(pos.path, *_mark(key_node)),
                                    detail="不支持 YAML 合并键 <<，请直接写出字段 / YAML merge keys (<<) are not supported"))
                continue
            if key in out:
                issues.append(issue("E103", Location(pos.path, *_mark(key_node)), key=key, first_line=first_line[key]))
                continue
            first_line[key] = _mark(key_node)[0]
            pos.keys[here + (key,)] = _mark(key_node)
            out[key] = _walk(value_node, here + (key,), pos, issues)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, here + (i,), pos, issues) for i, item in enumerate(node.value)]
    # Scalar: keep the text exactly as typed; only a plain null/~/empty means "no value".
    if node.tag == NULL_TAG and not node.style:
        return None
    if node.style:
        pos.styles[here] = node.style
    return node.value


def read_text(text: str, path: str) -> tuple[SourceFile | None, list[Issue]]:
    issues: list[Issue] = []
    pos = Positions(path)
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [issue("E102", loc, problem=problem)]
    except yaml.YAMLError as exc:  # e.g. a control character in the stream
        return None, [issue("E102", Location(path), problem=str(exc).splitlines()[0])]
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None, [issue("E112", Location(path, 1, 1), problem="但文件是空的 / but the file is empty")]
    if len(nodes) > 1:
        return None, [issue("E112", Location(path, *_mark(nodes[1])),
                            problem="但文件含有多个 YAML 文档（---）/ but it holds several YAML documents (---)")]
    if not isinstance(nodes[0], yaml.MappingNode):
        return None, [issue("E112", Location(path, *_mark(nodes[0])), problem="但顶层不是映射 / but the top level is not a mapping")]
    data = _walk(nodes[0], (), pos, issues)
    return SourceFile(path, data, pos), issues


def read_file(path: Path, display_path: str | None = None) -> tuple[SourceFile | None, list[Issue]]:
    shown = display_path or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [issue("E101", Location(shown), problem=f"不是 UTF-8 编码 / not UTF-8 ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [issue("E101", Location(shown), problem=exc.strerror or str(exc))]
    if text.startswith("\ufeff"):
        text = text[1:]
    return read_text(text, shown)
