"""Issues: every problem found in the content, with a code, severity, place and bilingual message.

All messages live in MESSAGES, so the full list of what the project can report is in one
place (`python -m generator.cli codes` prints it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .labels import Label

ERROR = "error"
WARNING = "warning"

# code: (zh, en). Codes starting with E are errors (they stop the build), W are warnings.
MESSAGES: dict[str, tuple[str, str]] = {
    # ---- reading the file
    "E101": ("无法读取文件：{problem}", "cannot read the file: {problem}"),
    "E102": ("YAML 语法错误：{problem}", "YAML syntax error: {problem}"),
    "E103": ("重复的键 {key!r}（第一次出现在第 {first_line} 行）；同一层级每个键只能写一次",
             "duplicate key {key!r} (first written on line {first_line}); write each key once per level"),
    "E104": ("未知的字段 {key!r}{hint}", "unknown field {key!r}{hint}"),
    "E105": ("缺少必填字段 {key!r}", "missing required field {key!r}"),
    "E106": ("取值无效：{detail}", "invalid value: {detail}"),
    "E107": ("金额不能为负数：{value}", "an amount cannot be negative: {value}"),
    "E108": ("金额 {value} 的小数位过多：金额以元为单位，最多两位小数（分）",
             "amount {value} has too many decimals: amounts are in yuan with at most 2 decimals"),
    "E109": ("{value!r} 不是有效金额：请写不带千分位逗号的数字，单位为元，如 372900 或 33694700.86",
             "{value!r} is not a valid amount: write a plain number in yuan without commas, e.g. 372900 or 33694700.86"),
    "E110": ("编码 {value!r} 格式不对：{detail}", "code {value!r} is malformed: {detail}"),
    "E111": ("{value!r} 不是可选值之一：{choices}", "{value!r} is not one of the allowed values: {choices}"),
    "E112": ("文件内容应是一个预算（键值映射），{problem}", "the file should hold one budget (a mapping); {problem}"),
    # ---- meaning of the content
    "E201": ("支出功能分类科目 {code} 不在分类目录中{hint}", "functional classification code {code} is not in the catalogue{hint}"),
    "E202": ("经济分类科目 {code} 不在分类目录中{hint}", "economic classification code {code} is not in the catalogue{hint}"),
    "E203": ("项目标识 {id!r} 重复（第一次出现在第 {first_line} 行）", "project id {id!r} is used twice (first on line {first_line})"),
    "E204": ("{year} 年的部门 {slug!r} 已在 {other} 中定义", "department {slug!r} for {year} is already defined in {other}"),
    "E205": ("未找到项目 {id!r}{hint}", "there is no project {id!r}{hint}"),
    "E206": ("{detail}", "{detail}"),
    "E207": ("结束时间 {end} 早于开始时间 {start}", "end date {end} is before start date {start}"),
    "E208": ("项目总预算 {total} 元小于项目当年预算 {this_year} 元", "total budget {total} yuan is less than this year's budget {this_year} yuan"),
    "E209": ("占位符 {{{{{key}}}}} 没有对应的计算数{hint}", "placeholder {{{{{key}}}}} names no computed figure{hint}"),
    "E210": ("占位符写法不对：{text!r}；应写成 {{{{名称}}}} 或 {{{{literal: 文字}}}}",
             "malformed placeholder {text!r}; write {{{{name}}}} or {{{{literal: text}}}}"),
    "E211": ("{code} 在本预算中没有对应的支出，这段“主要用于”不会出现", "{code} has no spending in this budget, so this purpose text would never appear"),
    "E212": ("声明数 {key!r} 没有对应的计算数{hint}", "declared figure {key!r} names no computed figure{hint}"),
    "W213": ("英文文本仍含中文字符：{snippet!r}", "the English text still contains Chinese characters: {snippet!r}"),
    "E214": ("{detail}", "{detail}"),
    "W215": ("同一功能科目、经济科目和资金来源的基本支出写了两行（另一行在第 {first_line} 行），是否重复录入？",
             "two basic lines with the same function, economic code and source (other on line {first_line}): typed twice?"),
    # ---- reconciliation
    "E301": ("核对不符：{name}：{left} {op} {right}（差 {diff}）", "does not reconcile: {name}: {left} {op} {right} (difference {diff})"),
    "W302": ("四舍五入尾差：{name}：显示的 {left} 与 {right} 相差 {diff}；精确值相符",
             "rounding difference: {name}: displayed {left} and {right} differ by {diff}; the exact values agree"),
    "E303": ("文字中的{kind} {figure} 与任何计算数都不符{hint}；请改用占位符（如 {{{{total}}}}），或写成 {{{{literal: …}}}} 表示这不是预算数",
             "the {kind} {figure} in the text matches no computed figure{hint}; use a placeholder (e.g. {{{{total}}}}) or write {{{{literal: …}}}} if it is not a budget figure"),
    "E310": ("“{label}”后的{kind} {figure} 不是它所指的计算数 {named}（{figure} 是 {other} 的数）；请改用占位符（如 {placeholder}）或改正数字",
             "the {kind} {figure} after \u201c{label}\u201d is not the figure it names, {named} ({figure} is {other}); "
             "use the placeholder (e.g. {placeholder}) or correct the number"),
    "E311": ("“{label}”后的占位符 {{{{{key}}}}} 不是它所指的计算数；是否应写 {named}？",
             "the placeholder {{{{{key}}}}} after \u201c{label}\u201d is not a figure that label names; did you mean {named}?"),
    "E304": ("声明数 {key} = {stated}，但按明细计算为 {computed}", "declared figure {key} = {stated}, but the line items give {computed}"),
    "E306": ("上年数 {key} 填写为 {stated}，但 {year} 年预算文件计算为 {computed}", "last year's {key} is stated as {stated}, but the {year} budget file gives {computed}"),
    "W307": ("上年预算执行数 {executed} 元大于上年预算额 {budget} 元", "last year's executed amount {executed} yuan exceeds last year's budget {budget} yuan"),
    "E308": ("{detail}", "{detail}"),
    "E309": ("渲染后的表格无法读回：{detail}", "a rendered table cannot be read back: {detail}"),
    # ---- the theme
    "E401": ("模板错误（生成 {page} 时）：{problem}", "template error (while rendering {page}): {problem}"),
}


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
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def severity(self) -> str:
        return WARNING if self.code.startswith("W") else ERROR

    def message(self, lang: str = "zh") -> str:
        zh, en = MESSAGES[self.code]
        params = {k: v(lang) if isinstance(v, Label) else v for k, v in self.params.items()}
        return (zh if lang == "zh" else en).format(**params)

    def format(self, lang: str = "zh") -> str:
        return f"{self.location}: {self.code} {self.message(lang)}"

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
            "message": {"zh": self.message("zh"), "en": self.message("en")},
        }


def issue(code: str, location: Location, /, **params) -> Issue:
    """An issue; `code` and `location` are positional-only, so a message may name a {code}."""
    if code not in MESSAGES:
        raise KeyError(code)
    return Issue(code, location, params)


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == ERROR]


def sort_key(i: Issue):
    loc = i.location
    return (loc.path, loc.line or 0, loc.col or 0, i.code)
