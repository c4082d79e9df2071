"""District format profiles: how a district prints the standard disclosure, as data.

Every district publishes the same nine tables and the same directory, each in its own house
format. A profile (YAML, `themes/budget/profiles/<name>.yaml`, or the content's own
`content/profiles/<name>.yaml`) chooses what differs: the directory (which sections, their
order and titles per document kind), the paragraphs of 四 and 六 and their headings, the table
titles, where 合计 stands, which empty rows show, the display units (per table and in prose),
number formats, the page (orientation, typeface, running header) and the PDF's reconciliation.
A profile may `extends:` another and change only what differs. No district name is in Python.

A budget file names its profile (`profile: shanghai-putuo`); without one it has the setting
BUDGET_PROFILE's (default `shanghai-jiading`, the reference document's format).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError

from generator.core.diagnostics import Issue, Location, issue
from generator.load.fields import Strict, Text

PROFILES = Path(__file__).resolve().parents[2] / "themes" / "budget" / "profiles"
DEFAULT = "shanghai-jiading"

SectionId = Literal["functions", "organisation", "glossary", "notes", "tables", "other", "key_projects", "forms"]
ANCHORS = {"functions": "s1", "organisation": "s2", "glossary": "s3", "notes": "s4", "tables": "s5", "other": "s6",
           "key_projects": "s7", "forms": "s8"}  # stable anchors: the standard directory's numbers
ParagraphId = Literal["income", "expenditure", "general_public", "basic", "government_fund", "state_capital",
                      "function_list", "three_public", "operating_costs", "procurement", "performance", "assets"]
Kinds = dict[Literal["department", "unit"], Text]


class Part(Strict):
    """One paragraph of 四 or 六, with its heading ({year} is filled in; none: no heading)."""

    paragraph: ParagraphId
    heading: Kinds | None = None


class Section(Strict):
    id: SectionId
    title: Kinds = Field(description="标题（不含编号，编号按顺序生成） / the title without its number")
    parts: list[Part] = Field(default_factory=list, description="四、六 的段落及其小标题")
    numbering: Literal["paren", "plain", "none"] = Field(
        "paren", description="段落小标题的编号：（一） / 一、 / 无")
    documents: list[Literal["department", "unit"]] = Field(
        ["department", "unit"], description="哪些文件有这一部分（部门预算、单位预算）")


class Tables(Strict):
    titles: dict[Literal["department", "unit"], dict[str, Text]] = Field(
        default_factory=dict, description="与标准标题不同的表名（按文件种类、表号）")
    total_row: Literal["top", "bottom"] = "top"
    number_label: bool = Field(True, description="表右上角印“部门预算01表”")
    full_codes: bool = Field(False, description="每行印出完整的类、款、项编码（201 | 03 | 01），而不只本级")
    reporting_label: Kinds | None = Field(None, description="“编报单位”的写法，如 编制部门 / 编制单位")
    when_used: list[str] = Field(
        default_factory=list, description="只在有数时列出的收入来源（01 表的行、02 表的列），如 上级补助收入")
    class_rows: Literal["fixed", "used"] = Field(
        "fixed", description="01、04 表列出全部类、08 表列出固定的款（fixed），或只列有数的行（used）")


class Units(Strict):
    tables: Literal["万元", "元"] | None = Field(None, description="表格金额单位；缺省：预算文件的 display_unit")
    table_units: dict[str, Literal["万元", "元"]] = Field(default_factory=dict, description="个别表的单位，如 09: 万元")
    prose: Literal["万元", "元"] | None = Field(None, description="文字中金额的单位；缺省：表格单位")


class Numbers(Strict):
    prose_grouping: bool = Field(False, description="文字中的金额用千分位：9,101.68万元")
    prose_whole: bool = Field(False, description="文字中的整数金额不写 .00：839万元")
    zero: Literal["blank", "0.00"] = Field("blank", description="表中为零的格")


class Page(Strict):
    orientation: Literal["mixed", "landscape"] = Field("mixed", description="mixed：宽表横排；landscape：全部横排")
    typeface: Literal["standard", "song"] = Field("standard", description="song：全文宋体")
    running_header: bool = True


class Pdf(Strict):
    reconciliation: Literal["full", "summary"] = Field("summary", description="PDF 附录：核对全表，或一段说明")


class Glossary(Strict):
    special_first: bool = Field(
        False, description="专有名词排在标准名词之前、统一编号（不另设“专有名词解释”）"
        " / the budget's own terms first, numbered with the standard ones")


class FunctionList(Strict):
    last_year: bool = False


class Narrative(Strict):
    function_list: FunctionList = Field(default_factory=FunctionList)
    phrases: dict[str, dict] = Field(
        default_factory=dict,
        description="按语言改写生成段落的措辞（generator/compute/locale/<lang>.yaml 的同名键）"
        " / the district's wording of generated phrases, by language (keys of the phrasebooks)",
    )


class Profile(Strict):
    name: str
    title: Text
    extends: str | None = None
    sections: list[Section] = Field(min_length=1)
    tables: Tables = Field(default_factory=Tables)
    units: Units = Field(default_factory=Units)
    numbers: Numbers = Field(default_factory=Numbers)
    page: Page = Field(default_factory=Page)
    pdf: Pdf = Field(default_factory=Pdf)
    narrative: Narrative = Field(default_factory=Narrative)
    glossary: Glossary = Field(default_factory=Glossary)

    def sections_of(self, kind: str) -> list[Section]:
        """The directory of a document of this kind, in order."""
        return [s for s in self.sections if kind in s.documents]

    def section(self, section_id: str, kind: str = "department") -> Section | None:
        return next((s for s in self.sections_of(kind) if s.id == section_id), None)

    def paragraphs(self, kind: str = "department") -> list[str]:
        """Every paragraph of 四 and 六 a document of this kind publishes."""
        return [p.paragraph for s in self.sections_of(kind) for p in s.parts]

    def unit_of_table(self, number: str, display_unit: str) -> str:
        return self.units.table_units.get(number) or self.units.tables or display_unit

    def table_title(self, kind: str, number: str) -> Text | None:
        for own, titles in self.tables.titles.items():
            if own == kind:
                return titles.get(number)
        return None


def merge(base: dict, override: dict) -> dict:
    """`override` over `base`: mappings merged key by key, anything else (lists included) replaced."""
    out = dict(base)
    for key, value in override.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _read(name: str, folders: tuple[Path, ...], seen: tuple[str, ...]) -> tuple[dict | None, list[Issue]]:
    path = next((f / f"{name}.yaml" for f in (*folders, PROFILES) if (f / f"{name}.yaml").is_file()), None)
    if path is None:
        known = sorted({p.stem for f in (*folders, PROFILES) if f.is_dir() for p in f.glob("*.yaml")})
        return None, [issue("E244", Location(str(name)), name=name, known="、".join(known))]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return None, [issue("E245", Location(str(path)), problem=str(exc).splitlines()[0])]
    if not isinstance(data, dict):
        return None, [issue("E245", Location(str(path)), problem="not a mapping")]
    parent = data.get("extends")
    if isinstance(parent, str):
        if parent in seen:
            return None, [issue("E245", Location(str(path)), problem=f"extends {parent!r} in a circle")]
        base, found = _read(parent, folders, (*seen, parent))
        if base is None:
            return None, found
        data = merge(base, {k: v for k, v in data.items()})
    return data, []


_CACHE: dict[tuple, tuple[Profile | None, list[Issue]]] = {}


def load_profile(name: str, folders: tuple[Path, ...] = ()) -> tuple[Profile | None, list[Issue]]:
    """The profile `name` (the content's own folders first, then the theme's), or None and why."""
    stamp = tuple((p, p.stat().st_mtime_ns) for f in (*folders, PROFILES) if f.is_dir() for p in sorted(f.glob("*.yaml")))
    key = (name, folders, stamp)
    if key not in _CACHE:
        data, found = _read(name, folders, (name,))
        profile = None
        if data is not None:
            try:
                profile = Profile.model_validate({**data, "name": name})
            except ValidationError as exc:
                err = exc.errors(include_url=False)[0]
                where = ".".join(str(p) for p in err["loc"])
                found = [issue("E245", Location(f"{name}.yaml"), problem=f"{where}: {err['msg']}")]
        _CACHE[key] = (profile, found)
    return _CACHE[key]
