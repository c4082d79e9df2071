"""The Pelican side: a generator that turns content/budgets/*.yaml into the bilingual site.

generate_context: load → validate → compute → check every budget, render every page in
memory and read its figures back. Any error stops the build here, before a single file
is written, so output/ is never half-written by bad content.
generate_output: write the pages, the data files and the PDFs.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import logging
import os
import sys
import traceback
from collections import defaultdict
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError
from pelican.generators import Generator, PelicanTemplateNotFound
from pelican.utils import get_relative_path, path_to_url

from . import faults, pdf
from .cli import print_issues
from .diagnostics import Issue, Location, issue, sort_key
from .i18n import Catalogues, other_languages
from .labels import Label
from .phrasebook import phrasebooks
from .pipeline import Content, DepartmentBudget, display_path, load_content, page_removals
from .readback import verify
from .render import View, department_url, pdf_download_name, pdf_name
from .sanitise import clean

log = logging.getLogger(__name__)


def cache_dir(settings: dict) -> Path:
    return Path(settings.get("BUDGET_CACHE") or Path(settings["PATH"]).parent / ".cache")


class BuildStopped(SystemExit):
    """Stops Pelican cleanly (no traceback): the issue list has already been printed."""

    def __init__(self):
        super().__init__(1)


def stop(issues: list[Issue], settings: dict) -> None:
    print_issues(issues, settings.get("BUDGET_MESSAGES_LANG", "zh"))
    raise BuildStopped()


def template_issue(exc: Exception, name: str, page: str) -> Issue:
    """A template mistake as an issue: the template file and line where it happened, and the error."""
    path, line = name, None
    if isinstance(exc, TemplateSyntaxError):
        path, line = exc.filename or exc.name or name, exc.lineno
    else:  # the innermost template frame (Jinja rewrites tracebacks to point into the templates)
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if not f.filename.endswith(".py") and not f.filename.startswith("<")]
        if frames:
            path, line = frames[-1].filename, frames[-1].lineno
    try:
        path = str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        pass
    message = getattr(exc, "message", None) or str(exc)
    return issue("E401", Location(str(path), line), page=page, problem=f"{type(exc).__name__}: {message}")


class BudgetGenerator(Generator):
    @property
    def langs(self) -> list[str]:
        return list(self.catalogues.languages)

    def generate_context(self):
        root = Path(self.settings.get("PATH_ROOT", Path(self.path).parent))
        books = phrasebooks(tuple(self.langs), tuple(self.catalogues.folders))
        self.content: Content = load_content(Path(self.path), root=root, phrasebooks=books)
        for page in self.all_pages():
            self.content.issues += page.sanitised
        self.content.issues.sort(key=sort_key)
        strict = self.settings.get("BUDGET_STRICT", False)
        if self.content.failed(strict):
            stop(self.content.issues, self.settings)
        if self.content.issues:  # warnings only
            print_issues(self.content.issues, self.settings.get("BUDGET_MESSAGES_LANG", "zh"))

        self.pdf_html: dict[tuple, str] = {}
        problems: list[Issue] = []
        want_pdf = self.settings.get("BUDGET_PDF", True)
        for db in self.content.budgets:
            for lang in self.langs:
                html = self.render_department(db, lang)
                problems += verify(db, self.content.report(db), html, lang, f"{department_url(lang, db.year, db.slug)}index.html")
                if want_pdf:
                    doc = self.render_pdf_html(db, lang)
                    problems += verify(db, self.content.report(db), doc, lang, f"{department_url(lang, db.year, db.slug)}{pdf_name(db, lang)}")
                    self.pdf_html[(db.slug, db.year, lang)] = doc
        if problems:
            stop(problems, self.settings)
        self.try_templates()
        self.pdf_jobs: list[pdf.Job] = []
        if want_pdf and self.content.budgets:
            self.prepare_pdfs()
        self.context["budgets"] = self.content.budgets

    def prepare_pdfs(self) -> None:
        """Render the PDFs (or find them in the cache) before anything is written."""
        problems = pdf.preflight()
        if problems:
            stop(problems, self.settings)
        for (slug, year, lang), html in self.pdf_html.items():
            db = next(d for d in self.content.budgets if (d.slug, d.year) == (slug, year))
            out = Path(self.output_path) / department_url(lang, year, slug) / pdf_name(db, lang)
            self.pdf_jobs.append(pdf.Job(html=html, out=out))
        cache = cache_dir(self.settings) / "pdf"
        problems, self.pdf_results = pdf.prepare(self.pdf_jobs, cache, self.theme)
        if problems:
            stop(problems, self.settings)

    # ---- rendering (in memory)
    def render(self, name: str, context: dict, page: str) -> str:
        """Render a template; a template mistake stops the build with its file, line and error."""
        try:
            return self.get_template(name).render(context)
        except (TemplateError, PelicanTemplateNotFound) as exc:
            stop([template_issue(exc, name, page)], self.settings)

    def page_context(self, path: str, variables: dict) -> dict:
        """What Pelican's writer gives a template written to `path`."""
        context = self.context.copy()
        if self.settings.get("RELATIVE_URLS", False):
            context["SITEURL"] = context["localsiteurl"] = path_to_url(get_relative_path(path))
        context["output_file"] = path
        context.update(variables)
        return context

    def try_templates(self) -> None:
        """Render the index pages and the Markdown pages once in memory, so that a template
        mistake stops the build here, before anything is written."""
        for path, name, variables in self.index_pages():
            self.render(name, self.page_context(path, variables), path)
        for page in self.context.get("pages", []):
            for p in [page] + page.translations:
                self.render(p.template, self.page_context(p.save_as, {"page": p}), p.save_as)

    def all_pages(self) -> list:
        """Every Markdown page Pelican read, in every language, drafts and hidden ones too."""
        found = []
        for key in ("pages", "hidden_pages", "draft_pages"):
            for page in self.context.get(key, []):
                found += [page] + list(page.translations)
        unique = {id(p): p for p in found if hasattr(p, "sanitised")}
        return sorted(unique.values(), key=lambda p: p.source_path)

    def index_pages(self) -> list[tuple[str, str, dict]]:
        """(path, template, variables) of the landing page and the language and year indexes."""
        by_year: dict[int, list[DepartmentBudget]] = defaultdict(list)
        for db in self.content.budgets:
            by_year[db.year].append(db)
        years = sorted(by_year, reverse=True)
        pages = [("index.html", "landing", dict(**self.common(self.langs[0], "", ""), years=years, by_year=by_year, langs=tuple(self.langs)))]
        for lang in self.langs:
            other = self.other[lang]
            pages.append((f"{lang}/index.html", "lang_index", dict(
                **self.common(lang, f"{lang}/", f"{other}/"), years=years, by_year=by_year,
                views={(db.slug, db.year): View(db, lang, self.content.report(db), self.catalogues) for db in self.content.budgets})))
            for year in years:
                pages.append((f"{lang}/{year}/index.html", "year_index", dict(
                    **self.common(lang, f"{lang}/{year}/", f"{other}/{year}/"), year=year,
                    views=[View(db, lang, self.content.report(db), self.catalogues) for db in by_year[year]])))
        return pages

    def common(self, lang: str, url: str, other_url: str) -> dict:
        return {
            "lang": lang,
            "html_lang": self.catalogues.languages[lang]["html"],
            "page_url": url,
            "alternates": [(self.catalogues.languages[lang]["html"], url),
                           (self.catalogues.languages[self.other[lang]]["html"], other_url)],
            "other_lang": self.other[lang],
            "other_url": other_url,
            "site_title": Label(self.settings["SITE_TITLE"])(lang),  # a language it lacks: the English
        }

    def department_context(self, db: DepartmentBudget, lang: str) -> dict:
        other = self.other[lang]
        url = department_url(lang, db.year, db.slug)
        context = self.context.copy()
        context.update(self.common(lang, url, department_url(other, db.year, db.slug)))
        view = View(db, lang, self.content.report(db), self.catalogues)
        context.update({
            "v": view,
            "pdf_url": pdf_name(db, lang) if self.settings.get("BUDGET_PDF", True) else None,
            "pdf_download": pdf_download_name(view),
        })
        return context

    def render_department(self, db: DepartmentBudget, lang: str) -> str:
        context = self.department_context(db, lang)
        context["SITEURL"] = "../../.."
        return self.render("department", context, f"{department_url(lang, db.year, db.slug)}index.html")

    def render_pdf_html(self, db: DepartmentBudget, lang: str) -> str:
        context = self.department_context(db, lang)
        context["pdf_css"] = pdf.stylesheet_urls(self.theme)
        return self.render("pdf", context, f"{department_url(lang, db.year, db.slug)}{pdf_name(db, lang)}")

    # ---- writing
    def generate_output(self, writer):
        relative = self.settings.get("RELATIVE_URLS", False)
        for path, name, variables in self.index_pages():
            writer.write_file(path, self.get_template(name), self.context, relative, **variables)

        for db in self.content.budgets:
            for lang in self.langs:
                folder = department_url(lang, db.year, db.slug)
                writer.write_file(f"{folder}index.html", self.get_template("department"),
                                  self.department_context(db, lang), relative)
                self.write_data(db, lang, Path(self.output_path) / folder)
        pdf.place(self.pdf_jobs)

    def write_data(self, db: DepartmentBudget, lang: str, folder: Path) -> None:
        """Machine-readable copies beside the page: the tables, the reconciliation, CSV per table."""
        folder.mkdir(parents=True, exist_ok=True)
        data = {
            "year": db.year,
            "department": db.budget.department.model_dump(),
            "unit": "元",
            "display_unit": db.unit,
            "tables": {number: {"title": dict(t.title),
                                "cells": {k: str(v) for k, v in t.cells().items()}}
                       for number, t in db.tables.items()},
        }
        (folder / "data.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        reconciliation = {
            "year": db.year, "department": db.slug, "unit": "元",
            "all_agree": self.content.report(db).all_agree,
            "outcomes": [o.as_dict() for o in self.content.report(db).outcomes],
        }
        (folder / "reconciliation.json").write_text(json.dumps(reconciliation, ensure_ascii=False, indent=1), encoding="utf-8")
        view = View(db, lang, self.content.report(db), self.catalogues)
        for number, table in db.tables.items():
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(["key", "row", "column", "yuan", f"shown ({view.unit_label})"])
            for row, columns in table.all_rows():
                for col in columns:
                    value = row.values.get(col.key)
                    if value is not None:
                        w.writerow([f"{number}.{row.key}.{col.key}", view.t(row.label), view.t(col.label), str(value),
                                    view.cell(value) or "0.00"])
            (folder / f"table-{number}.csv").write_text(buf.getvalue(), encoding="utf-8-sig")


def get_generators(pelican):
    return BudgetGenerator


def install_i18n(generator) -> None:
    """Every generator's Jinja environment (ours, Pelican's pages) gets `_()` from the catalogues."""
    generator.catalogues = Catalogues(generator.settings, generator.theme)
    generator.other = other_languages(generator.catalogues.languages)
    generator.catalogues.install(generator.env)


def sanitise_page(instance) -> None:
    """Pelican's Markdown pages go through the same sanitiser as budget prose; what it removes
    is kept on the page as W216 issues, reported by the budget generator."""
    from pelican.contents import Article, Page

    if not isinstance(instance, (Page, Article)):
        return
    root = Path(instance.settings.get("PATH_ROOT", Path(instance.settings["PATH"]).parent))
    try:
        source = Path(instance.source_path).read_text(encoding="utf-8")
    except (OSError, TypeError, UnicodeDecodeError):
        source = ""
    html = instance._content or ""
    instance.sanitised = page_removals(display_path(Path(instance.source_path or ""), root), source, html)
    instance._content = clean(html)


class _CopyFaults(logging.Filter):
    """Pelican's theme copy logs a failed copy as a warning and goes on: collect those faults
    (the build must fail), let the other records through as before."""

    def __init__(self, shown_from: int):
        super().__init__()
        self.shown_from = shown_from
        self.faults: list[OSError] = []

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if args and isinstance(args[-1], OSError):  # "A problem occurred copying file %s to %s; %s"
            self.faults.append(args[-1])
            return False
        if str(record.msg).startswith("Cannot copy") and len(args) == 2:  # a file where the folder goes
            self.faults.append(OSError(errno.ENOTDIR, "Not a directory", args[1]))
            return False
        return record.levelno >= self.shown_from


def guard_writes(pelican) -> None:
    """Any file-system fault while Pelican builds (our writes, Pelican's writer, its theme copy,
    the PDF cache) stops the build with one line instead of Pelican's traceback."""
    from pelican import signals

    run, settings = pelican.run, pelican.settings

    def what(exc: OSError) -> str:
        path = Path(os.fsdecode(exc.filename)).absolute() if exc.filename is not None else None
        cache = cache_dir(settings).absolute()
        return "cache" if path is not None and (path == cache or cache in path.parents) else "site"

    def guarded_run():
        lang = settings.get("BUDGET_MESSAGES_LANG", "zh")
        logger = logging.getLogger("pelican.utils")
        level, shown_from = logger.level, logger.getEffectiveLevel()
        copies = _CopyFaults(shown_from)
        logger.setLevel(min(shown_from, logging.WARNING))  # `pelican -q` would drop the warnings unseen
        logger.addFilter(copies)

        def copied(sender):  # the theme copy is the last write, before Pelican says "Done"
            if copies.faults:
                raise copies.faults[0]

        signals.finalized.connect(copied, weak=False)
        try:
            run()
        except OSError as exc:
            faults.stop(exc, what(exc), lang, settings["OUTPUT_PATH"])
        finally:
            signals.finalized.disconnect(copied)
            logger.removeFilter(copies)
            logger.setLevel(level)

    pelican.run = guarded_run


def register():
    from pelican import signals

    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(install_i18n)
    signals.content_object_init.connect(sanitise_page)
    signals.initialized.connect(guard_writes)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use `pelican content` or `invoke build`")
