"""Issues: every problem found in the content, with a code, severity, place and bilingual message.

All messages live in MESSAGES, so the full list of what the project can report is in one
place (`python -m generator.cli codes` prints it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.core.labels import Label

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
    "E106": ("取值类型不对：{field} 应为{expected}", "wrong kind of value: {field}: expected {expected}"),
    "E107": ("金额不能为负数：{value}", "an amount cannot be negative: {value}"),
    "E108": ("金额 {value} 的小数位过多：金额以元为单位，最多两位小数（分）",
             "amount {value} has too many decimals: amounts are in yuan with at most 2 decimals"),
    "E109": ("{value!r} 不是有效金额：请写不带千分位逗号的数字，单位为元，如 372900 或 33694700.86",
             "{value!r} is not a valid amount: write a plain number in yuan without commas, e.g. 372900 or 33694700.86"),
    "E110": ("编码 {value!r} 格式不对：应为 {digits} 位数字", "code {value!r} is malformed: expected {digits} digits"),
    "E111": ("{value!r} 不是可选值之一：{choices}", "{value!r} is not one of the allowed values: {choices}"),
    "E112": ("文件内容应是一个预算（键值映射），{problem}", "the file should hold one budget (a mapping); {problem}"),
    "E113": ("年度 {value!r} 写法不对：请写四位数字，如 2024", "the year {value!r} is not written as 4 digits: write it like 2024"),
    "E114": ("取值无效：{field}：没有填写值", "invalid value: {field}: has no value"),
    "E115": ("取值无效：{field}：金额 {value} 太大，不能超过 {limit} 元", "invalid value: {field}: the amount {value} is too large (at most {limit} yuan)"),
    "E116": ("取值无效：{field}：{value} 不能小于 {limit}", "invalid value: {field}: {value} must be at least {limit}"),
    "E117": ("取值无效：{field}：{value} 不能大于 {limit}", "invalid value: {field}: {value} must be at most {limit}"),
    "E118": ("取值无效：{field}：{value!r} 只能含小写字母、数字和连字符（-）",
             "invalid value: {field}: {value!r} may only contain lower-case letters, digits and hyphens"),
    "E119": ("取值无效：{field}：至少需要一项", "invalid value: {field}: needs at least one item"),
    "E120": ("取值无效：{field}：不能为空", "invalid value: {field}: must not be empty"),
    "E121": ("取值无效：{field}：太长，最多 {limit} 个字符", "invalid value: {field}: too long (at most {limit} characters)"),
    "E122": ("取值无效：{field}：数字 {value} 太大", "invalid value: {field}: the number {value} is too large"),
    "E123": ("取值无效：{field}：不符合格式要求（{problem}）", "invalid value: {field}: {problem}"),
    "E124": ("YAML 别名（*）引用了包含它自身的内容", "a YAML alias (*) refers to a value that contains it"),
    "E125": ("键必须是简单文字", "keys must be plain text"),
    "E126": ("不支持 YAML 合并键 <<，请直接写出字段", "YAML merge keys (<<) are not supported: write the fields out"),
    "E127": ("{field}：名称中不能含有 {{{{ 或 }}}}（占位符只能用在说明文字中）",
             "{field}: a name cannot contain {{{{ or }}}} (placeholders work in prose only)"),
    # ---- the format version (generator/load/migrate.py)
    "E230": ("文件为第 1 版格式：请运行 budget migrate {path}（或 invoke migrate）升级",
             "the file is in format 1: run budget migrate {path} (or invoke migrate) to upgrade it"),
    "E231": ("文件为第 {found} 版格式，但本工具只认识到第 {current} 版：本工具比文件旧，请升级本项目（git pull 后重新安装）",
             "the file is in format {found}, but this tool knows formats up to {current}: the tool is older than the file; "
             "upgrade the project (git pull, then reinstall)"),
    "E232": ("金额待填：{field}（{year} 年为 {last}）", "amount to fill in: {field} ({year}: {last})"),
    # ---- meaning of the content
    "E201": ("支出功能分类科目 {code} 不在分类目录中（{edition} 年版；共 {count} 行使用{lines}）{hint}{elsewhere}{by_name}{add}",
             "functional classification code {code} is not in the catalogue ({edition} edition; used on {count} line(s){lines})"
             "{hint}{elsewhere}{by_name}{add}"),
    "E202": ("经济分类科目 {code} 不在分类目录中（{edition} 年版；共 {count} 行使用{lines}）{hint}{elsewhere}{by_name}{add}",
             "economic classification code {code} is not in the catalogue ({edition} edition; used on {count} line(s){lines})"
             "{hint}{elsewhere}{by_name}{add}"),
    "E203": ("项目标识 {id!r} 重复（第一次出现在第 {first_line} 行）", "project id {id!r} is used twice (first on line {first_line})"),
    "E204": ("{year} 年的部门 {slug!r} 已在 {other} 中定义", "department {slug!r} for {year} is already defined in {other}"),
    "E205": ("未找到项目 {id!r}{hint}", "there is no project {id!r}{hint}"),
    "E206": ("面向中小企业预留 {sme} 元超过采购金额 {amount} 元", "the amount reserved for SMEs ({sme} yuan) exceeds the purchase ({amount} yuan)"),
    "E207": ("结束时间 {end} 早于开始时间 {start}", "end date {end} is before start date {start}"),
    "E208": ("项目总预算 {total} 元小于项目当年预算 {this_year} 元", "total budget {total} yuan is less than this year's budget {this_year} yuan"),
    "E209": ("占位符 {{{{{key}}}}} 没有对应的计算数{hint}", "placeholder {{{{{key}}}}} names no computed figure{hint}"),
    "E210": ("占位符写法不对：{text!r}；应写成 {{{{名称}}}} 或 {{{{literal: 文字}}}}",
             "malformed placeholder {text!r}; write {{{{name}}}} or {{{{literal: text}}}}"),
    "E211": ("{code} 在本预算中没有对应的支出，这段“主要用于”不会出现", "{code} has no spending in this budget, so this purpose text would never appear"),
    "E212": ("声明数 {key!r} 没有对应的计算数{hint}", "declared figure {key!r} names no computed figure{hint}"),
    "W213": ("英文文本仍含中文字符：{snippet!r}", "the English text still contains Chinese characters: {snippet!r}"),
    "E214": ("事业单位没有机关运行经费，请删除 last_year.operating_costs（或把 department.kind 改为 行政/参公）",
             "public institutions (事业) have no 机关运行经费: remove last_year.operating_costs or change department.kind"),
    "W215": ("同一功能科目、经济科目和资金来源的基本支出写了两行（另一行在第 {first_line} 行），是否重复录入？",
             "two basic lines with the same function, economic code and source (other on line {first_line}): typed twice?"),
    "W216": ("{what}已删除：网页只发布安全的 Markdown 和 HTML（不允许脚本、事件属性、样式、外部资源和 javascript: 等链接），请删去或改写",
             "{what} removed: the site publishes only safe Markdown and HTML (no scripts, event attributes, styles, "
             "remote resources or javascript:-style links); delete or rewrite it"),
    "E226": ("面向小微企业预留 {micro} 元超过面向中小企业预留 {sme} 元（小微企业预留是中小企业预留的一部分）",
             "the amount reserved for micro enterprises ({micro} yuan) exceeds the SME reservation ({sme} yuan), of which it is a part"),
    "E233": ("写了 units（部门所属单位）时，{key} 写在各单位之下，不写在文件顶层",
             "with `units:`, {key} is written under each unit, not at the top of the file"),
    "E234": ("只有一个单位（不写 units）时，须填写 department.kind（行政、参公、事业或企业）", "a department of one unit (no `units:`) needs department.kind (行政, 参公, 事业 or 企业)"),
    "E243": ("写了 units 时，单位性质写在各单位的 kind 中，请删除 department.kind", "with `units:`, each unit has its own `kind`: remove department.kind"),
    "E235": ("单位标识 {slug!r} 重复（第一次出现在第 {first_line} 行）", "unit slug {slug!r} is used twice (first on line {first_line})"),
    "E236": ("项目 {id!r}：请写 function 加 funding（一个功能分类科目），或写 lines（多个科目），二者只能选一种",
             "project {id!r}: write `function` with `funding` (one function code) or `lines` (several), not both and not neither"),
    "E237": ("项目 {id!r} 代表 {count} 个项目，其重点项目说明须写明 key.name（所述项目名称）和 key.budget_note（年度预算安排）",
             "project {id!r} stands for {count} projects: its key-project description needs key.name (the project described) and key.budget_note"),
    "E238": ("缺少 assets（国有资产占有使用情况）", "missing `assets` (state-owned assets)"),
    "E239": ("last_year.sources 中的 {key!r} 不是资金来源之一：{choices}", "{key!r} in last_year.sources is not an income source: {choices}"),
    "E240": ("缺少上年数 {keys}：没有 {year} 年的预算文件，请在 last_year 中填写", "last year's {keys} missing: there is no {year} budget file, so write them in `last_year`"),
    "E244": ("没有名为 {name!r} 的格式配置（profile）；可选：{known}", "there is no format profile {name!r}; known: {known}"),
    "E245": ("格式配置（profile）有误：{problem}", "the format profile is not valid: {problem}"),
    "E241": ("采购项目引用的项目 {id!r} 属于另一个单位；采购写在项目所属单位之下", "the procurement item refers to project {id!r} of another unit; write it under that unit"),
    "W242": ("有 {count} 个项目，但没有一个标明编报了绩效目标（performance: true 或申报表）：绩效说明将写 0 个项目",
             "{count} project(s), but none is marked as having performance targets (performance: true or a form): the performance paragraph will say 0 projects"),
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
    "W246": ("英文尚未翻译（pending: en）：{field}“{snippet}”；英文网页暂以中文显示并注明未译。请写 en: 英文译文并删去 pending: en",
             "English not yet translated (pending: en): {field} '{snippet}'; the English pages show the Chinese with a "
             "'not yet translated' notice. Write `en:` with the translation and remove `pending: en`"),
    "E248": ("{key} 已写英文，又标了 pending: en：请删去 pending: en", "{key} is written and also marked `pending: en`: remove `pending: en`"),
    "E247": ("缺少英文 {key!r}：请写英文；暂无译文时写 pending: en（check 会提示待译）",
             "missing English {key!r}: write it, or `pending: en` until it is translated (check then warns)"),
    "E227": ("本地分类科目文件的这一处有误：{problem}", "the local catalogue file is malformed here: {problem}"),
    "E228": ("本地科目 {code}“{name}”已在分类目录中，名称为“{official}”：本地文件只能添加目录中没有的科目；请删去这一行，或核对编码",
             "the local code {code} '{name}' is already in the catalogue as '{official}': the local file can only add codes the "
             "catalogue lacks; remove the row or check the code"),
    "E229": ("本地科目 {code} 的上级科目 {parent} 既不在分类目录中，也不在本地文件中：请一并添加上级科目",
             "the local code {code} has no parent {parent} in the catalogue or in the local file: add the parent too"),
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
    "E308": ("系统中没有中文字体，PDF 中的中文会显示为空框。请安装：{install}（或用 invoke build --no-pdf 跳过 PDF）",
             "no Chinese font is installed, so the PDF would show Chinese as empty boxes. Install one: {install} "
             "(or skip the PDFs: invoke build --no-pdf)"),
    "E309": ("渲染后的表格无法读回：{key} 显示为 {text!r}，不是金额", "a rendered table cannot be read back: {key} shows {text!r}, not an amount"),
    "E320": ("渲染后的表格无法读回：{key} 出现了不止一次", "a rendered table cannot be read back: {key} appears more than once"),
    "E321": ("渲染后的表格无法读回：缺少 {key}（应为 {expected}）", "a rendered table cannot be read back: {key} is missing (should be {expected})"),
    "E322": ("渲染后的表格无法读回：{key} 显示 {shown}，应为 {expected}", "a rendered table cannot be read back: {key} shows {shown}, should be {expected}"),
    "E323": ("渲染后的表格无法读回：多出了 {key}", "a rendered table cannot be read back: unexpected {key}"),
    "E324": ("渲染后的表格无法读回：文字中的 {{{{{name}}}}} 显示 {text!r}，应为 {expected!r}",
             "a rendered table cannot be read back: {{{{{name}}}}} in the text shows {text!r}, should be {expected!r}"),
    "E325": ("部门预算 {key} 为 {department}，但各单位预算之和为 {units}", "the department budget's {key} is {department}, but its units add up to {units}"),
    # ---- the charts of the at-a-glance block (generator/outputs/glance_check.py)
    "E430": ("图表无法读回：{chart} 图中 {name} 的长度为 {shown}，按计算应为 {expected}",
             "a chart cannot be read back: in {chart}, the bar of {name} is {shown} long, should be {expected}"),
    "E431": ("图表 {chart} 缺少文字说明（<title> 与 <desc>）：看不到图的读者无法读到其中的数字",
             "the chart {chart} has no text alternative (<title> and <desc>): readers who cannot see it miss its figures"),
    "E432": ("页面上的图表 {chart} 不是计算得出的图表", "the chart {chart} on the page is not one the figures make"),
    "E433": ("图表无法读回：{chart} 图的条目为 {shown}，应为 {expected}",
             "a chart cannot be read back: {chart} shows the bars {shown}, should be {expected}"),
    "E434": ("图表 {chart} 的文字说明与计算不符：{shown!r}，应为 {expected!r}",
             "the text alternative of the chart {chart} differs from the figures: {shown!r}, should be {expected!r}"),
    "E435": ("与上年比较的方向不对：{name} 显示为 {shown}，应为 {expected}",
             "the change from last year goes the wrong way: {name} shows {shown}, should be {expected}"),
    "E436": ("页面摘要（<meta name=\"description\">）与计算不符：{shown!r}，应为 {expected!r}",
             "the page's description (<meta name=\"description\">) differs from the figures: {shown!r}, should be {expected!r}"),
    # ---- the theme
    "E401": ("模板错误（生成 {page} 时）：{problem}", "template error (while rendering {page}): {problem}"),
    # ---- the district pages (generator/outputs/district.py): year index, overview, history
    "E440": ("区级页面无法读回：{name} 显示为 {text!r}，不是数字", "a district page cannot be read back: {name} shows {text!r}, not a number"),
    "E441": ("区级页面无法读回：{name} 出现了不止一次", "a district page cannot be read back: {name} appears more than once"),
    "E442": ("区级页面无法读回：{name} 显示 {text!r}，应为 {expected!r}",
             "a district page cannot be read back: {name} shows {text!r}, should be {expected!r}"),
    "E443": ("区级页面无法读回：缺少 {name}（应为 {expected!r}）", "a district page cannot be read back: {name} is missing (should be {expected!r})"),
    "E444": ("区级页面无法读回：多出了 {name}", "a district page cannot be read back: unexpected {name}"),
    "E445": ("{year}年各部门预算总额之和为 {total}，但按{what}汇总为 {parts}",
             "the {year} departments' totals add up to {total}, but by {what} to {parts}"),
    "E446": ("区级页面的第 {n} 个图表没有文字说明（role=\"img\" 与 aria-labelledby 指向的标题）",
             "chart {n} of a district page has no text alternative (role=\"img\" and a title named by aria-labelledby)"),
    "E447": ("区级页面的图表中 {name} 的长度为 {width}，应为 {expected}",
             "in a chart of a district page the bar of {name} is {width} long, should be {expected}"),
    "E448": ("部门标识 {slug!r} 是全区预算概览的网址（{url}）：请换一个 slug",
             "the department slug {slug!r} is the URL of the district overview ({url}): choose another slug"),
    "E449": ("无法生成全文检索索引（Pagefind）：{problem}。请确认已安装 pagefind[extended]（pip install -e .），或设置 BUDGET_SEARCH=false 不生成检索",
             "cannot build the search index (Pagefind): {problem}. Check that pagefind[extended] is installed (pip install -e .), "
             "or set BUDGET_SEARCH=false to build without search"),
    # ---- the PDF (generator/pdf.py)
    "E402": ("缺少 libharfbuzz-subset0，无法快速嵌入字体子集。请安装：{install}",
             "libharfbuzz-subset0 is missing, so fonts cannot be subset quickly. Install it: {install}"),
    "E403": ("PDF 生成失败：{problem}", "PDF rendering failed: {problem}"),
    "E404": ("WeasyPrint 警告（视为错误）：{warning}", "WeasyPrint warning (treated as an error): {warning}"),
    # ---- PDFs over several machines (generator/outputs/shard.py)
    "E410": ("组装网站时缓存中缺少 {count} 个 PDF（例如 {example}）：请先运行全部分片（invoke build --shard i/n），"
             "并把它们的缓存文件夹合并到 {cache}",
             "assembling the site, {count} PDF(s) are not in the cache (for example {example}): run every shard first "
             "(invoke build --shard i/n) and merge their cache folders into {cache}"),
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
    # ---- reading a published budget PDF (generator/importer/reader.py)
    "E740": ("{path} 已存在：导入不覆盖已有文件；请换一个 -o 路径，或加 --force", "{path} exists: import does not overwrite a file; choose another -o path, or add --force"),
    "E741": ("无法从这份文件生成预算草稿：{problem}", "cannot draft a budget file from this document: {problem}"),
    "E742": ("生成的草稿未通过检查（这是导入程序的缺陷，请报告）：{problem}", "the draft does not pass check (a bug of the importer, please report it): {problem}"),
    "E743": ("无法写入草稿：{problem}", "cannot write the draft: {problem}"),
    "E720": ("无法打开文件：{problem}", "cannot open the file: {problem}"),
    "E721": ("这不是 PDF 文件：请给出部门预算或单位预算的 PDF", "this is not a PDF file: give the PDF of a 部门预算 or 单位预算"),
    "E722": ("PDF 文件已损坏，无法读取（{problem}）；请重新下载或重新导出", "the PDF is damaged and cannot be read ({problem}); download or export it again"),
    "E723": ("PDF 没有文字层（{pages} 页都是图片，可能是扫描件）；请使用由 WPS/Word 导出的 PDF",
             "the PDF has no text layer ({pages} pages of images, probably scanned); use the PDF exported from WPS/Word"),
    "E724": ("PDF 中没有找到部门预算表（如“部门财务收支预算总表”）：这不像是一份部门预算或单位预算",
             "no budget table (such as 部门财务收支预算总表) was found in the PDF: it does not look like a 部门预算 or 单位预算"),
    "E725": ("PDF 中缺少这些预算表：{tables}", "these budget tables are missing from the PDF: {tables}"),
    "E726": ("表{table}中有一行无法识别（{row}）：它的金额没有读入", "a row of table {table} could not be recognised ({row}): its amounts were not read"),
}


# code: (zh, en) short title: what kind of problem it is (`budget codes` lists it).
TITLES: dict[str, tuple[str, str]] = {
    "E101": ("无法读取文件", "file unreadable"),
    "E102": ("YAML 语法错误", "YAML syntax error"),
    "E103": ("重复的键", "duplicate key"),
    "E104": ("未知字段", "unknown field"),
    "E105": ("缺少必填字段", "missing field"),
    "E106": ("取值类型不对", "wrong kind of value"),
    "E107": ("金额为负数", "negative amount"),
    "E108": ("金额小数位过多", "too many decimals"),
    "E109": ("不是有效金额", "not an amount"),
    "E110": ("编码位数不对", "malformed code"),
    "E111": ("不是可选值", "not an allowed value"),
    "E112": ("文件不是一个预算", "not one budget"),
    "E113": ("年度不是四位数字", "year not 4 digits"),
    "E114": ("没有填写值", "no value"),
    "E115": ("金额太大", "amount too large"),
    "E116": ("数值小于下限", "below the minimum"),
    "E117": ("数值大于上限", "above the maximum"),
    "E118": ("标识含不允许的字符", "identifier with other characters"),
    "E119": ("列表为空", "empty list"),
    "E120": ("文字为空", "empty text"),
    "E121": ("文字太长", "text too long"),
    "E122": ("数字太大", "number too large"),
    "E123": ("其他格式错误（校验器的原文）", "other format error (the validator's words)"),
    "E124": ("别名引用自身", "recursive alias"),
    "E125": ("键不是文字", "key not text"),
    "E126": ("YAML 合并键", "YAML merge key"),
    "E127": ("名称中的占位符", "placeholder in a name"),
    "E230": ("第 1 版格式的文件", "file in format 1"),
    "E231": ("文件格式比本工具新", "file newer than the tool"),
    "E232": ("金额待填", "amount to fill in"),
    "E201": ("未知的功能分类科目", "unknown functional code"),
    "E202": ("未知的经济分类科目", "unknown economic code"),
    "E203": ("项目标识重复", "duplicate project id"),
    "E204": ("部门重复", "duplicate department"),
    "E205": ("未知项目", "unknown project"),
    "E206": ("中小企业预留超过采购额", "SME reservation over the purchase"),
    "E207": ("结束早于开始", "end before start"),
    "E208": ("总预算小于当年预算", "total below this year"),
    "E209": ("占位符没有对应的数", "unknown placeholder"),
    "E210": ("占位符写法不对", "malformed placeholder"),
    "E211": ("“主要用于”没有对应支出", "purpose without spending"),
    "E212": ("声明数没有对应的数", "unknown declared figure"),
    "W213": ("英文中有中文", "Chinese in the English text"),
    "E214": ("事业单位填了机关运行经费", "operating costs of a public institution"),
    "W215": ("基本支出重复录入", "basic line typed twice"),
    "W216": ("不安全的内容已删除", "unsafe content removed"),
    "E226": ("小微企业预留超过中小企业预留", "micro reservation over the SME one"),
    "E233": ("明细写错了位置", "line items in the wrong place"),
    "E234": ("缺少单位性质", "unit kind missing"),
    "E243": ("单位性质写错了位置", "unit kind misplaced"),
    "E235": ("单位标识重复", "duplicate unit slug"),
    "E236": ("项目科目写法不对", "project codes written two ways"),
    "E237": ("合并项目的重点项目说明不完整", "key project of a grouped entry incomplete"),
    "E238": ("缺少国有资产", "missing assets"),
    "E239": ("上年数的资金来源不对", "unknown source in last year's figures"),
    "E240": ("缺少上年数", "last year's figures missing"),
    "E244": ("未知的格式配置", "unknown format profile"),
    "E245": ("格式配置有误", "invalid format profile"),
    "E241": ("采购引用了其他单位的项目", "procurement of another unit's project"),
    "W242": ("没有项目标明绩效目标", "no project marked with performance targets"),
    "E220": ("“三公”经费漏录", "three public expenses not recorded"),
    "W221": ("机关运行经费为 0", "no agency operating costs"),
    "W222": ("经济分类与功能分类不常见的组合", "unusual economic code for the function"),
    "W223": ("原因与数据相反", "reason contradicts the figures"),
    "E224": ("实施期不在预算年度内", "period outside the budget year"),
    "W225": ("占位文字", "placeholder text"),
    "W246": ("英文待译", "English translation pending"),
    "E248": ("英文已写仍标待译", "English written but marked pending"),
    "E247": ("缺少英文", "English missing"),
    "E227": ("本地科目文件有误", "local catalogue file malformed"),
    "E228": ("本地科目与目录冲突", "local code conflicts with the catalogue"),
    "E229": ("本地科目缺少上级科目", "local code without its parent"),
    "E301": ("核对不符", "does not reconcile"),
    "W302": ("四舍五入尾差", "rounding difference"),
    "E303": ("文字中的数不是计算数", "a number in the text matches no figure"),
    "E310": ("文字中的数不是所指的数", "a number is not the figure its label names"),
    "E311": ("占位符不是所指的数", "a placeholder is not the figure its label names"),
    "E304": ("声明数不符", "declared figure differs"),
    "E306": ("上年数不符", "last year's figure differs"),
    "W307": ("上年执行数大于预算数", "last year executed over budget"),
    "E308": ("没有中文字体", "no Chinese font"),
    "E309": ("页面上的数不是金额", "a displayed figure is not an amount"),
    "E320": ("页面上的数重复", "a displayed figure twice"),
    "E321": ("页面缺少一个数", "a figure missing from the page"),
    "E322": ("页面上的数与计算不符", "a displayed figure differs"),
    "E323": ("页面多出一个数", "an unexpected figure on the page"),
    "E324": ("文字中的数显示不对", "a figure in the text displayed wrong"),
    "E325": ("部门预算与单位预算之和不符", "department budget differs from its units"),
    "E430": ("图表条长不符", "a chart bar differs"),
    "E431": ("图表缺少文字说明", "a chart without a text alternative"),
    "E432": ("未知的图表", "an unknown chart"),
    "E433": ("图表条目不符", "a chart's bars differ"),
    "E434": ("图表文字说明不符", "a chart's text alternative differs"),
    "E435": ("增减方向不符", "a change goes the wrong way"),
    "E436": ("页面摘要不符", "the page's description differs"),
    "E401": ("模板错误", "template error"),
    "E440": ("区级页面上的数不是数字", "a district figure is not a number"),
    "E441": ("区级页面上的数重复", "a district figure twice"),
    "E442": ("区级页面上的数与计算不符", "a district figure differs"),
    "E443": ("区级页面缺少一个数", "a district figure missing"),
    "E444": ("区级页面多出一个数", "an unexpected district figure"),
    "E445": ("区级汇总不符", "district totals do not reconcile"),
    "E446": ("图表没有文字说明", "a chart without a text alternative"),
    "E447": ("图表长度不符", "a chart bar of the wrong length"),
    "E448": ("部门标识与概览网址冲突", "department slug is the overview's URL"),
    "E449": ("无法生成检索索引", "search index failed"),
    "E402": ("缺少 libharfbuzz-subset0", "libharfbuzz-subset0 missing"),
    "E403": ("PDF 生成失败", "PDF rendering failed"),
    "E404": ("WeasyPrint 警告", "WeasyPrint warning"),
    "E410": ("缓存中缺少 PDF", "PDFs missing from the cache"),
    "E501": ("只读文件系统", "read-only file system"),
    "E502": ("没有写权限", "permission denied"),
    "E503": ("磁盘已满", "disk full"),
    "E504": ("超过文件大小上限", "file size limit"),
    "E505": ("文件与文件夹冲突", "file where a folder should be"),
    "E506": ("其他写入错误", "other write error"),
    "E507": ("无法原子替换", "cannot swap atomically"),
    "E601": ("未知的设置", "unknown setting"),
    "E602": ("设置无效", "invalid setting"),
    "E740": ("草稿文件已存在", "draft file exists"),
    "E741": ("无法生成草稿", "cannot draft"),
    "E742": ("草稿未通过检查", "draft fails check"),
    "E743": ("无法写入草稿", "cannot write the draft"),
    "E720": ("无法打开文件", "cannot open the file"),
    "E721": ("不是 PDF", "not a PDF"),
    "E722": ("PDF 已损坏", "damaged PDF"),
    "E723": ("PDF 没有文字层", "PDF without a text layer"),
    "E724": ("不是预算文件", "not a budget"),
    "E725": ("缺少预算表", "budget tables missing"),
    "E726": ("无法识别的表格行", "unrecognised table row"),
}


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
