"""What templates see of one department budget in one language.

Formatting lives here, not in templates, so the HTML page and the PDF (which share the
same macros) cannot show a figure differently.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from generator.compute.budget import DepartmentBudget
from generator.compute.figures import split
from generator.compute.ledger import project_amount
from generator.core import labels as lb
from generator.core import vocab
from generator.core.labels import Label
from generator.core.money import yuan_text
from generator.core.pending import NOTICE, untranslated
from generator.load.model import Project, Text
from generator.load.profile import ANCHORS
from generator.present import charts
from generator.present.glance import Glance, bar_values
from generator.present.i18n import DEFAULT_LANGUAGES, Catalogues, other_languages
from generator.present.plain import Plain
from generator.present.prose_html import NONCE, TOKEN, converted, fill_figures
from generator.present.untranslated import page_notice
from generator.reconcile.checks import Report


def department_url(lang: str, year: int, slug: str) -> str:
    return f"{lang}/{year}/{slug}/"


def pdf_name(db: DepartmentBudget, lang: str) -> str:
    """`dept-2024-budget-zh.pdf`, or for a unit's own budget `dept-unit-2024-unit-budget-zh.pdf`."""
    return f"{db.file_stem}-{db.year}-{'unit-budget' if db.kind == 'unit' else 'budget'}-{lang}.pdf"


def pdf_download_name(view: View) -> str:
    """The name a citizen's browser saves the PDF under."""
    return view.fmt(lb.UNIT_PDF_DOWNLOAD if view.is_unit else lb.PDF_DOWNLOAD, year=view.year, department=view.department)


_NUMBER = re.compile(r"^(?:（[一二三四五六七八九十]+）|\(\d+\)\s*)")  # "（一）" / "(1) " before a built-in term


class DocumentLabels:
    """The labels module as a document of one kind prints them: a 单位预算 has its own section and
    table-number words (vocab.DOCUMENT_KINDS)."""

    def __init__(self, kind: str):
        self._kind = vocab.DOCUMENT_KINDS[kind]

    def __getattr__(self, name: str):
        if name == "SECTIONS":
            return self._kind.sections
        if name == "TABLE_NUMBER":
            return self._kind.table_number
        if name == "SECTION_4_PARTS":
            return self._kind.section_4_parts
        return getattr(lb, name)


class View:
    def __init__(self, db: DepartmentBudget, lang: str, report: Report, catalogues: Catalogues | None = None):
        self.db = db
        self.report = report
        self.display = db.display
        self.b = db.budget
        self.lang = lang
        self.catalogues = catalogues
        langs = catalogues.languages if catalogues else DEFAULT_LANGUAGES
        self.other_lang = other_languages(langs)[lang]
        self.html_lang = langs[lang]["html"]
        self.year = db.year
        self.is_unit = db.kind == "unit"
        self.labels = DocumentLabels(db.kind)

    # ---- words
    def t(self, label: Label | Text | str | None) -> str:
        if label is None:
            return ""
        if isinstance(label, str):
            return label
        if untranslated(label, self.lang):  # a pending translation: the Chinese (prose() adds the notice)
            return label.zh
        if isinstance(label, Label):
            if self.lang in label:
                return label[self.lang]
            english = label("en")
        else:  # authored Text: the languages of the budget format
            text = getattr(label, self.lang, None)
            if text is not None:
                return text
            english = label.english
        # a language the text lacks: its catalogue by the English msgid (untranslated: the English)
        return self.catalogues.gettext(self.lang, english) if self.catalogues is not None else english

    @cached_property
    def untranslated_notice(self) -> Markup:
        """Under the title: how many texts are still shown in Chinese (generator.present.untranslated)."""
        return page_notice(self.b, self.lang, self.t)

    def fmt(self, label: Label, **kw) -> str:
        """A label with {slots}: translated first, then filled, so a catalogue translates the template."""
        return self.t(label).format(**kw)

    def choice(self, value: str) -> str:
        """A fixed choice of the performance form, typed in Chinese, in the page's language."""
        return self.t(lb.CHOICES[value]) if value in lb.CHOICES else value

    @property
    def department(self) -> str:
        """The name printed on the document: the department's, or (a 单位预算) the unit's."""
        return self.t(self.b.name)

    @property
    def supervisor(self) -> str:
        """预算主管部门: the department's supervisor, or (a 单位预算) the department itself."""
        return self.t(self.b.department.name if self.is_unit else self.b.department.supervisor)

    # ---- the directory, as the document's district format (profile) has it
    @cached_property
    def sections(self) -> list[dict]:
        """The document's sections in order: id, anchor, numbered title, and (四, 六) the paragraphs
        with their numbered headings. Numbers follow the order, so they never skip."""
        out = []
        for n, s in enumerate(self.db.profile.sections_of(self.db.kind), start=1):
            parts, k = [], 0
            for part in s.parts:
                if part.paragraph not in self.db.paragraphs:
                    continue
                k += 1
                heading = part.heading and self.t(part.heading[self.db.kind]).format(year=self.year)
                parts.append((part.paragraph, heading and self._numbered(s.numbering, k, heading)))
            out.append({"id": s.id, "anchor": ANCHORS[s.id], "parts": parts,
                        "title": self._numbered("plain", n, self.t(s.title[self.db.kind]))})
        return out

    @property
    def glossary(self) -> dict:
        """三、名词解释 as the district prints it: `terms` [(numbered term, definition, authored?)] and,
        in the reference format, the special terms under their own last heading (`special`)."""
        standard = [(_NUMBER.sub("", self.t(term)), self.t(definition), False) for term, definition in lb.GLOSSARY]
        own = [(self.t(st.term), st.definition, True) for st in self.b.special_terms]
        if self.db.profile.glossary.special_first:
            terms, special = own + standard, None
        else:
            terms, special = standard, own
        numbered = [(self._numbered("paren", n, term), text, authored) for n, (term, text, authored) in enumerate(terms, 1)]
        heading = None
        if special is not None:
            heading = self._numbered("paren", len(terms) + 1, _NUMBER.sub("", self.t(lb.GLOSSARY_SPECIAL)))
        return {"terms": numbered, "special": special, "special_heading": heading}

    def table_title(self, number: str):
        """A table's title in this district's format (the standard title unless the profile prints another)."""
        return self.db.profile.table_title(self.db.kind, number) or self.table(number).title

    @property
    def reporting_label(self):
        """编报单位 / 编制部门 / 编制单位: the label before the department's name above each table."""
        own = self.db.profile.tables.reporting_label
        return own[self.db.kind] if own else lb.REPORTING_UNIT

    @property
    def checks_count(self) -> int:
        return len(self.report.outcomes)

    @property
    def rounding_count(self) -> int:
        return sum(1 for o in self.report.outcomes if o.status == "rounding")

    def section_title(self, section_id: str) -> str:
        return next(s["title"] for s in self.sections if s["id"] == section_id)

    def _numbered(self, style: str, n: int, text: str) -> str:
        if style == "none":
            return text
        zh = self.lang == "zh"
        if style == "paren":
            return f"（{lb.cn_number(n)}）{text}" if zh else f"({n}) {text}"
        return f"{lb.cn_number(n)}、{text}" if zh else f"{n}. {text}"

    @property
    def unit_budgets(self) -> list[tuple[str, str]]:
        """(name, slug) of the units of this department that publish their own 单位预算."""
        if self.is_unit:
            return []
        return [(self.t(u.budget.name or u.name), u.slug) for u in self.b.file.units if u.budget is not None]

    @property
    def unit_label(self) -> str:
        """The display unit's name (the tables' unit where the profile names none)."""
        return self.display.unit_label(self.lang)

    def unit_label_of(self, table) -> str:
        """The unit a table prints in (a table or its number): 万元 / RMB 10,000, 元 / RMB."""
        return self.display.unit_label(self.lang, getattr(table, "number", table))

    @property
    def unit_suffix(self) -> str:
        """The unit after the total printed outside the tables (`total`, table 01's): 万元 / (RMB 10,000)."""
        return self.fmt(lb.UNIT_SUFFIX, unit=self.unit_label_of("01"))

    @property
    def total(self) -> str:
        """The department's total budget (收入总计 of table 01) in table 01's unit."""
        return self.cell(self.table("01").sides[0].total.values["amount"], "01")

    # ---- figures
    def cell(self, value: Decimal | None, table=None) -> str:
        """A table cell in its table's unit (a table or its number; None: the display unit)."""
        return self.display.cell(value, getattr(table, "number", table))

    def yuan(self, value: Decimal | None) -> str:
        return yuan_text(value)

    def prose(self, text: Label | Text | None, inline: bool = False) -> Markup:
        """Authored or generated Markdown with its placeholders filled in, as sanitised HTML.

        Each filled-in figure is wrapped in <span data-figure="name"> so the reconciliation
        can read the published sentence back. The spans are put in after sanitising (the
        Markdown carries an unguessable token for each), so only the generator can write one.
        """
        if text is None:
            return Markup("")
        source = self.t(text)
        out, figures = [], {}
        for kind, _, content in split(source):
            if kind == "figure":
                token = f"FIG{NONCE}N{len(figures)}E"
                figures[token] = (content, self.db.figures[content].show(self.lang, self.display))
                out.append(token)
            else:
                out.append(content)
        html = converted("".join(out))
        if figures:
            html = fill_figures(html, TOKEN, figures)
        if inline:
            html = re.sub(r"^<p>(.*)</p>$", r"\1", html, flags=re.S)
        if untranslated(text, self.lang):
            html = self._untranslated(html, inline)
        return Markup(html)

    def _untranslated(self, html: str, inline: bool) -> str:
        """A pending translation on a page in another language: the Chinese under a notice."""
        zh = (self.catalogues.languages if self.catalogues else DEFAULT_LANGUAGES).get("zh", {}).get("html", "zh-CN")
        notice = escape(self.t(NOTICE))
        if inline:
            return (f'<span class="untranslated" lang="{zh}"><span class="untranslated-notice" lang="{self.html_lang}">'
                    f"[{notice}]</span> {html}</span>")
        return (f'<div class="untranslated" lang="{zh}"><p class="untranslated-notice" lang="{self.html_lang}">'
                f"{notice}</p>{html}</div>")

    # ---- structure
    @cached_property
    def paragraphs(self) -> dict[str, Label]:
        return {key: text for key, (text, _) in self.db.paragraphs.items()}

    def table(self, number: str):
        return self.db.tables[number]

    @property
    def table_numbers(self) -> tuple[str, ...]:
        return tuple(self.db.tables)

    def landscape(self, table) -> bool:
        """Printed on a landscape page: as registered, or wider than a portrait page holds (a
        单位预算's table 01, a table 03 with 上缴上级支出 …)."""
        if self.db.profile.page.orientation == "landscape":
            return True
        if table.layout == "balance":
            return self.spec(table).landscape or sum(len(side.columns) + 1 for side in table.sides) > 6
        if table.layout == "classified":
            return self.spec(table).landscape or len(table.columns) > 4
        return self.spec(table).landscape

    def spec(self, table) -> vocab.TableSpec:
        return vocab.table(table.number)

    def notes(self, table) -> tuple[Label, ...]:
        """A table's notes, the rounding note where the reconciliation found a displayed total off its
        rows, and the note on codes the office added to the catalogue itself."""
        notes = table.notes
        if table.number in self.report.rounded_tables and lb.ROUNDING_NOTE not in notes:
            notes = (*notes, lb.ROUNDING_NOTE)
        if any(self.local_code(row.code, table) for row, _ in table.all_rows()):
            notes = (*notes, lb.LOCAL_CODE_NOTE)
        return notes

    def local_code(self, code: str, table) -> bool:
        """Is `code` a row of the office's own catalogue additions (content/catalogue/<year>.yaml)?"""
        if not code or table.code_label is None:
            return False
        entries = self.db.ledger.catalogue.economic if table.number == "08" else self.db.ledger.catalogue.functional
        entry = entries.get(code)
        return bool(entry and entry.local)

    @property
    def key_projects(self) -> list[Project]:
        return [p for p in self.b.projects if p.key]

    @property
    def form_projects(self) -> list[Project]:
        return [p for p in self.b.projects if p.form]

    def project_amount(self, project: Project) -> Decimal:
        return project_amount(project)

    def sub_items_total(self, project: Project) -> Decimal:
        return sum((s.amount for s in project.form.sub_items), Decimal(0))

    def sub_basis_key(self, project: Project) -> str:
        return "this_year" if project.form.sub_items_cover == "当年预算" else "total_budget"

    def indicator_groups(self, project: Project) -> list[tuple[Label, list]]:
        groups: dict[str, tuple[Label, list]] = {}
        for ind in project.form.indicators:
            level1 = lb.INDICATOR_LEVEL1[ind.kind]
            groups.setdefault(level1.zh, (level1, []))[1].append(ind)
        return list(groups.values())

    def indicator_name(self, kind: str) -> str:
        return self.t(lb.INDICATOR_NAMES[kind])

    def date(self, d) -> str:
        return self.fmt(lb.DATE, year=d.year, month=d.month, day=d.day, iso=d.isoformat())

    def period(self, project: Project) -> str:
        """五、实施周期: the form's dates, or the key-project description's own period."""
        f = project.form
        if f is None:
            return self.t(project.key.period) if project.key and project.key.period else ""
        return self.fmt(lb.PERIOD, start=self.date(f.start), end=self.date(f.end))

    @property
    def special_terms_statement(self) -> str:
        return self.fmt(lb.NO_SPECIAL_TERMS, department=self.department, year=self.year)

    # ---- at a glance (present/glance.py, present/charts.py)
    @cached_property
    def glance(self) -> Glance:
        return Glance(self.db, self.lang, self.t)

    def chart(self, chart) -> Markup:
        return charts.figure(self.glance, chart, bar_values(self.db))

    @cached_property
    def plain(self) -> Plain:
        """The reconciliation in plain words (present/plain.py)."""
        return Plain(self)

    # ---- reconciliation
    @cached_property
    def reconciliation(self) -> list[dict]:
        """Outcomes grouped by check, for the citizen-facing section."""
        groups: dict[str, dict] = {}
        for o in self.report.outcomes:
            g = groups.setdefault(o.check.id, {"check": o.check, "outcomes": [], "ok": True})
            g["outcomes"].append(o)
            g["ok"] = g["ok"] and o.status != "mismatch"
        return list(groups.values())

    def shown(self, value: Decimal, keys: tuple[str, ...]) -> str:
        """A side of a comparison as readers see it: forms in yuan, tables in their unit."""
        if self.display.all_in_yuan(keys):
            return self.fmt(lb.YUAN_AMOUNT, amount=yuan_text(value))
        return self.display.side(value, keys, self.lang)


class IndexView(View):
    """A document as the index pages show it, from its brief (compute/brief.py): its names, kind,
    total and unit; nothing that needs the document itself."""

    def __init__(self, brief: Any, lang: str, catalogues: Catalogues | None = None):
        super().__init__(brief, lang, None, catalogues)
        self.brief = brief

    @property
    def total(self) -> str:
        return self.cell(self.brief.total, "01")
