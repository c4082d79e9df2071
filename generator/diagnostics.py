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
    "E113": ("年度 {value!r} 写法不对：请写四位数字，如 2024", "the year {value!r} is not written as 4 digits: write it like 2024"),
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
    "W216": ("{what}已删除：网页只发布安全的 Markdown 和 HTML（不允许脚本、事件属性、样式、外部资源和 javascript: 等链接），请删去或改写",
             "{what} removed: the site publishes only safe Markdown and HTML (no scripts, event attributes, styles, "
             "remote resources or javascript:-style links); delete or rewrite it"),
    # ---- data that reconciles but cannot be right (generator/semantic.py)
    "E220": ("经济分类 {code} {name} 的财政拨款基本支出为 {basic}，但 three_public 中“{kind}”只有 {stated}：表05/08 与表09和第六部分的“三公”经费会互相矛盾；请在 three_public 中录入这笔{kind}，或核对经济分类",
             "the basic lines on economic code {code} ({name}) funded by appropriations total {basic}, but three_public records only {stated} of {kind}: tables 05/08 would contradict table 09 and section 6; record it in three_public, or check the economic code"),
    "W221": ("单位性质为{kind}，但没有一般公共预算基本支出公用经费，机关运行经费为 0：请核对公用经费明细的资金来源，或 department.kind",
             "the unit is {kind}, but it has no basic non-personnel expenditure from the general public budget, so its agency operating costs are 0: check the source of those lines, or department.kind"),
    "W222": ("经济分类 {economic} {economic_name} 通常列在功能分类 {allowed} 下，这一行列在 {function} {function_name}：请核对功能分类（确属例外可忽略）",
             "economic code {economic} ({economic_name}) normally sits under functional code {allowed}, but this line is under {function} ({function_name}): check the functional code (ignore this if it is a real exception)"),
    "W223": ("原因说明与数据相反：{figure}比上年{direction}，但原因中写的是“{word}”；请核对原因说明",
             "the reason contradicts the figures: {figure} {direction} from last year, but the reason says {word!r}; check the reason"),
    "E224": ("项目实施期 {start} 至 {end} 与 {year} 预算年度没有重叠；请核对开始、结束时间",
             "the implementation period {start} to {end} does not overlap the {year} budget year; check the start and end dates"),
    "W225": ("将公开的文字中有占位文字 {text!r}：请填写实际内容；原文确已缺失的，请删去这段文字并在 YAML 注释中说明",
             "text that will be published holds the placeholder {text!r}: type the real text; where the source has lost it, remove the text and say so in a YAML comment"),
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
    # ---- writing the site (generator/faults.py); the published site stays as it was
    "E501": ("无法写入{what}：文件系统是只读的；请让它可写。{fix}", "cannot write {what}: the file system is read-only; make it writable. {fix}"),
    "E502": ("没有权限写入{what}（请检查文件夹的所有者和权限：ls -ld）。{fix}",
             "no permission to write {what} (check the folder's owner and permissions: ls -ld). {fix}"),
    "E503": ("磁盘已满，无法写入{what}：请释放磁盘空间后重新生成。{fix}",
             "the disk is full, cannot write {what}: free some space and build again. {fix}"),
    "E504": ("文件超过了允许的大小上限，无法写入{what}：请放宽限制（ulimit -f unlimited）。{fix}",
             "a file size limit stops writing {what}: raise it (ulimit -f unlimited). {fix}"),
    "E505": ("无法写入{what}：路径中应是文件夹的地方是文件（或反之）；请移走或改名后重新生成",
             "cannot write {what}: a file stands where a folder is needed (or the other way round); move or rename it and build again"),
    "E506": ("无法写入{what}：{problem}。{fix}", "cannot write {what}: {problem}. {fix}"),
    "E507": ("无法发布{what}：这里是挂载点，或与 .site 不在同一个文件系统上，无法原子替换；请用 --output 指定挂载点里面的文件夹（如 --output 挂载点/output）",
             "cannot publish {what}: this is a mount point, or not on the same file system as .site, so it cannot be swapped "
             "atomically; point --output at a folder inside the mount (e.g. --output MOUNT/output)"),
    # ---- the build's settings (generator/settings.py)
    "E601": ("未知的设置 {name}{hint}", "unknown setting {name}{hint}"),
    "E602": ("设置 {name} = {value!r} 无效：{problem}", "setting {name} = {value!r} is invalid: {problem}"),
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
