"""Local additions to the catalogue: `content/catalogue/<year>.yaml`, so a clerk can add a code the day it is needed.

    functional:
      - {code: '2081005', zh: 社会福利事业单位, en: Social welfare institutions, source: 财政局 2025-03-01 通知}
    economic:
      - {code: '30231', zh: …, en: …, source: …}

Every row needs code, zh, en and source; the level follows from the code's length. A row whose code the
edition already has is an error (E228) unless its Chinese name is identical (then the edition's row stays);
a 项/款 whose parent is in neither the edition nor the file is an error (E229); anything malformed is E227
at the file, line and column. Loading never raises: the problems are returned with the rows that are good.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.core.diagnostics import Issue, Location, issue
from generator.core.labels import Label

FIELDS = ("code", "zh", "en", "source")
DIGITS = {"functional": (3, 5, 7), "economic": (3, 5)}
LEVEL_NAMES = {3: "类", 5: "款", 7: "项"}
MAX_TEXT = 200


def _at(path: str, node: yaml.Node | None) -> Location:
    if node is None:
        return Location(path, 1, 1)
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _bad(path: str, node: yaml.Node | None, zh: str, en: str) -> Issue:
    return issue("E227", _at(path, node), problem=Label(zh, en))


def _compose(path: Path, shown: str) -> tuple[yaml.Node | None, list[Issue]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        return None, [_bad(shown, None, f"无法读取文件（{why}），文件应为 UTF-8 编码的 YAML",
                           f"cannot read the file ({why}): it should be YAML in UTF-8")]
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown, 1, 1)
        problem = str(exc.problem or exc.context or "")
        return None, [issue("E227", loc, problem=Label(f"YAML 语法错误：{problem}", f"YAML syntax error: {problem}"))]
    except yaml.YAMLError as exc:
        return None, [_bad(shown, None, f"YAML 语法错误：{exc}", f"YAML syntax error: {exc}")]


def _scalar(node: yaml.Node) -> str | None:
    """A scalar's text as typed (codes keep their leading zeros), or None for a mapping or list."""
    return node.value if isinstance(node, yaml.ScalarNode) and node.value != "" and node.tag != "tag:yaml.org,2002:null" else None


def _row(kind: str, item: yaml.Node, shown: str, issues: list[Issue]) -> tuple[dict[str, str], dict[str, yaml.Node]] | None:
    if not isinstance(item, yaml.MappingNode):
        issues.append(_bad(shown, item, f"{kind} 下的每一行应写成 {{code: …, zh: …, en: …, source: …}}",
                           f"each row under {kind} should be a mapping {{code: …, zh: …, en: …, source: …}}"))
        return None
    values: dict[str, str] = {}
    nodes: dict[str, yaml.Node] = {}
    ok = True
    for key, value in item.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else str(key)
        if name not in FIELDS:
            issues.append(_bad(shown, key, f"未知的字段 {name!r}：每行只能有 code、zh、en、source",
                               f"unknown field {name!r}: a row has only code, zh, en and source"))
            ok = False
            continue
        if name in nodes:
            issues.append(_bad(shown, key, f"字段 {name!r} 写了两次", f"the field {name!r} is written twice"))
            ok = False
            continue
        text = _scalar(value)
        nodes[name] = value
        if text is None or not text.strip() or len(text) > MAX_TEXT:
            issues.append(_bad(shown, value, f"{name} 应为不超过 {MAX_TEXT} 个字符的非空文字",
                               f"{name} should be a non-empty text of at most {MAX_TEXT} characters"))
            ok = False
            continue
        values[name] = text.strip()
    for name in FIELDS:
        if name not in nodes:
            issues.append(_bad(shown, item, f"缺少字段 {name!r}（每行需要 code、zh、en、source）",
                               f"missing field {name!r} (a row needs code, zh, en and source)"))
            ok = False
    code = values.get("code")
    if code is not None and not (re.fullmatch(r"\d+", code) and len(code) in DIGITS[kind]):
        digits = " / ".join(str(d) for d in DIGITS[kind])
        issues.append(_bad(shown, nodes["code"], f"编码 {code!r} 格式不对：{kind} 科目编码应为 {digits} 位数字",
                           f"code {code!r} is malformed: a {kind} code has {digits} digits"))
        ok = False
    return (values, nodes) if ok else None


def load_local(path: Path, shown: str, functional: dict, economic: dict) -> tuple[dict[str, dict], list[Issue]]:
    """The good rows of the local file ({"functional": {code: Entry}, "economic": {...}}) and every problem.
    `functional`/`economic`: the edition's tables (not changed)."""
    from generator.catalogue import Entry

    rows: dict[str, dict] = {"functional": {}, "economic": {}}
    root, issues = _compose(path, shown)
    if root is None:
        return rows, issues
    if not isinstance(root, yaml.MappingNode):
        return rows, issues + [_bad(shown, root, "文件应为映射，含 functional: 和/或 economic: 两个列表",
                                    "the file should be a mapping with the lists functional: and/or economic:")]
    edition = {"functional": functional, "economic": economic}
    first_line: dict[tuple[str, str], int] = {}
    for key, value in root.value:
        kind = key.value if isinstance(key, yaml.ScalarNode) else ""
        if kind not in rows:
            issues.append(_bad(shown, key, f"未知的键 {kind!r}：只能写 functional: 和 economic:",
                               f"unknown key {kind!r}: only functional: and economic: are allowed"))
            continue
        if not isinstance(value, yaml.SequenceNode):
            issues.append(_bad(shown, value, f"{kind}: 应为列表（每行以 - 开头）",
                               f"{kind}: should be a list (each row starts with -)"))
            continue
        for item in value.value:
            found = _row(kind, item, shown, issues)
            if found is None:
                continue
            values, nodes = found
            code = values["code"]
            where = _at(shown, nodes["code"])
            if (kind, code) in first_line:
                issues.append(issue("E227", where, problem=Label(
                    f"科目 {code} 写了两次（第一次在第 {first_line[kind, code]} 行）",
                    f"the code {code} is listed twice (first on line {first_line[kind, code]})")))
                continue
            first_line[kind, code] = where.line or 0
            known = edition[kind].get(code)
            if known is not None:
                if known.zh != values["zh"]:  # the same name: harmless, the edition's row (and its source) stays
                    issues.append(issue("E228", _at(shown, nodes["zh"]), code=code, name=values["zh"], official=known.zh))
                continue
            rows[kind][code] = Entry(code, LEVEL_NAMES[len(code)], values["zh"], values["en"], "project",
                                     values["source"], local=True)
    for kind, added in rows.items():
        for code in sorted(added, key=len):  # 类 before 款 before 项: a dropped parent drops its children
            parent = code[:-2] if len(code) > 3 else None
            if parent is not None and parent not in edition[kind] and parent not in added:
                issues.append(issue("E229", Location(shown, first_line[kind, code], None), code=code, parent=parent))
                del added[code]
    return rows, issues
