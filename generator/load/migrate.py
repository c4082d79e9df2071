"""Format versions of the budget files, and the steps that upgrade a file from one to the next.

A file states its format in its first key (`format: 2`); a file without it is format 1 (the
format before issue 10). Each step works on the file's TEXT, not on parsed data, so every
comment, blank line, quote and indentation survives byte for byte apart from what the step
changes; it returns the new text and what it changed (bilingual, for `budget migrate`).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.core.labels import Label
from generator.load.model import FORMAT

CURRENT_FORMAT = FORMAT
FIRST_FORMAT = 1  # a file without `format:`

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # as generator.load.source

Step = Callable[[str], tuple[str, list[Label]]]


class MigrationError(Exception):
    """A file `budget migrate` cannot upgrade; `label` says why (both languages)."""

    def __init__(self, label: Label):
        super().__init__(label.en)
        self.label = label


NOT_A_BUDGET = Label("不是预算文件（顶层应为 键: 值 映射）", "not a budget file (its top level should be key: value)")
NOT_YAML = Label("不是有效的 YAML：{problem}（请先用 budget check 找出并改正错误）",
                 "not valid YAML: {problem} (run budget check to find and fix the error first)")
TOO_NEW = Label("文件为第 {found} 版格式，比本工具支持的第 {current} 版新：请升级本项目（git pull 后重新安装），不要降级文件",
                "the file is format {found}, newer than format {current} that this tool knows: upgrade the project "
                "(git pull, then reinstall); do not downgrade the file")
UNKNOWN = Label("format 的值 {value!r} 不是已知的格式版本（应为 1 到 {current} 的整数）",
                "format {value!r} is not a known format version (a whole number from 1 to {current})")


@dataclass
class Top:
    """The top-level mapping of a file: where its keys are, and its `format` (if written)."""

    node: yaml.MappingNode
    keys: dict[str, tuple[yaml.ScalarNode, yaml.Node]] = field(default_factory=dict)

    @property
    def first_key(self) -> yaml.Node | None:
        return self.node.value[0][0] if self.node.value else None


def top_level(text: str) -> Top:
    """The top-level mapping of `text`; MigrationError if it is not YAML or not a mapping."""
    try:
        nodes = [n for n in yaml.compose_all(text, Loader=_Loader) if n is not None]
    except yaml.YAMLError as exc:
        problem = " ".join(str(p) for p in (getattr(exc, "problem", None), getattr(exc, "problem_mark", None)) if p)
        raise MigrationError(NOT_YAML.format(problem=problem or type(exc).__name__)) from None
    if len(nodes) != 1 or not isinstance(nodes[0], yaml.MappingNode):
        raise MigrationError(NOT_A_BUDGET)
    top = Top(nodes[0])
    for key, value in nodes[0].value:
        if isinstance(key, yaml.ScalarNode):
            top.keys.setdefault(key.value, (key, value))
    return top


def version_of(top: Top) -> int:
    """The format a file is written in: its `format`, or 1 without one."""
    if "format" not in top.keys:
        return FIRST_FORMAT
    value = top.keys["format"][1]
    text = value.value if isinstance(value, yaml.ScalarNode) else None
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{1,3}", text) or int(text) < FIRST_FORMAT:
        shown = text if isinstance(text, str) else "…"
        raise MigrationError(UNKNOWN.format(value=shown, current=CURRENT_FORMAT))
    found = int(text)
    if found > CURRENT_FORMAT:
        raise MigrationError(TOO_NEW.format(found=found, current=CURRENT_FORMAT))
    return found


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


# ---------------------------------------------------------------- the steps


def _format_1_to_2(text: str) -> tuple[str, list[Label]]:
    """Format 2 adds `format: 2` (and optional structures a format-1 file does not use)."""
    top = top_level(text)
    if "format" in top.keys:  # `format: 1` written out: its value changes
        value = top.keys["format"][1]
        start, end = value.start_mark.index, value.end_mark.index
        line = value.start_mark.line + 1
        new = text[:start] + "2" + text[end:]
        return new, [Label(f"第 {line} 行：format: 1 改为 format: 2", f"line {line}: format: 1 changed to format: 2")]
    first = top.first_key
    if first is None:
        raise MigrationError(NOT_A_BUDGET)
    at = first.start_mark.index
    line = first.start_mark.line + 1
    if top.node.flow_style:  # `{year: 2024, …}`: the key goes inside the braces
        new = text[:at] + "format: 2, " + text[at:]
    else:  # its own line, at the indentation of the first key, directly above it
        start = line_start(text, at)
        if text[start:at].strip():  # `--- year: 2024`
            raise MigrationError(Label("请把第一个键写在单独的一行", "write the first key on a line of its own"))
        new = text[:start] + text[start:at] + "format: 2" + newline_of(text) + text[start:]
    return new, [Label(f"第 {line} 行：加入 format: 2（第 2 版格式；第 1 版的内容全部保留）",
                       f"line {line}: added format: 2 (format 2; everything of format 1 is kept)")]


STEPS: dict[int, Step] = {1: _format_1_to_2}
"""from version n: the step to version n + 1."""


def migrate_text(text: str) -> tuple[str, list[Label], int]:
    """`text` upgraded to CURRENT_FORMAT, what changed, and the version it was in."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom):]
    found = version = version_of(top_level(text))
    changes: list[Label] = []
    while version < CURRENT_FORMAT:
        text, changed = STEPS[version](text)
        changes += changed
        version += 1
    return bom + text, changes, found


# ---------------------------------------------------------------- files


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one step, keeping its permissions."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@dataclass
class Result:
    path: Path
    changes: list[Label] = field(default_factory=list)
    version: int | None = None  # the version the file was in
    error: Label | None = None

    @property
    def needs_migrating(self) -> bool:
        return bool(self.changes)


def read_text(path: Path) -> str:
    """The file's text exactly as stored (no newline translation)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise MigrationError(Label("文件不是 UTF-8 编码", "the file is not UTF-8")) from None
    except OSError as exc:
        problem = exc.strerror or str(exc)
        raise MigrationError(Label(f"无法读取文件：{problem}", f"cannot read the file: {problem}")) from None


def migrate_file(path: Path, check: bool = False) -> Result:
    """Upgrade one file in place (unless `check`); never raises for a file it cannot upgrade."""
    try:
        text = read_text(path)
        new, changes, version = migrate_text(text)
        if changes and not check:
            write_atomic(path, new)
    except MigrationError as exc:
        return Result(path, error=exc.label)
    except OSError as exc:
        problem = exc.strerror or str(exc)
        return Result(path, error=Label(f"无法写入文件：{problem}", f"cannot write the file: {problem}"))
    return Result(path, changes, version)
