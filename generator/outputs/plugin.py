"""The Pelican side: a generator that turns content/budgets/*.yaml (BUDGET_DIR) into the bilingual site.

generate_context: load → validate → compute → check every budget, render every page in
memory and read its figures back. Any error stops the build here, before a single file
is written, so output/ is never half-written by bad content.
generate_output: write exactly the pages that were verified, the data files and the PDFs,
all through `BudgetGenerator.write`.

Issues are logged (errors as errors, warnings as warnings, so `pelican --fatal warnings`
stops on a budget warning); a build that must stop raises BuildFailed, which Pelican
reports like any error (`pelican -r` goes on watching and rebuilds after the fix).
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from jinja2 import Template, TemplateError
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator, PelicanTemplateNotFound
from pelican.utils import get_relative_path, path_to_url

from generator import catalogue as catalogue_module
from generator.cli import summary
from generator.compute.brief import Brief
from generator.compute.budget import DepartmentBudget
from generator.compute.phrasebook import phrasebooks
from generator.core.diagnostics import Issue, sort_key
from generator.core.labels import Label
from generator.core.sanitise import clean
from generator.core.settings import BudgetSettings, SettingsError
from generator.outputs import datapage, district, guard, pdf, relink, search, shard
from generator.outputs.buildlog import BuildFailed, report, show_issues, stop
from generator.outputs.cache import PageCache, TemplateCache
from generator.outputs.datafiles import DataCache, OpenData
from generator.outputs.incremental import Incremental
from generator.outputs.rendered import IndexPage, _Rendered, template_issue
from generator.pipeline import Content, display_path, load_content, page_removals
from generator.present.i18n import Catalogues, other_languages
from generator.present.render import IndexView, View, department_url, pdf_download_name, pdf_name


class BudgetGenerator(Incremental, Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget = BudgetSettings.of(self.settings)
        self._body: Template | None = None

    @property
    def langs(self) -> list[str]:
        return list(self.catalogues.languages)

    def generate_context(self):
        root = Path(self.settings.get("PATH_ROOT", Path(self.path).parent))
        lang = self.budget.messages_lang
        books = phrasebooks(tuple(self.langs), tuple(self.catalogues.folders))
        self.content: Content = load_content(Path(self.path), root=root, budgets=self.budget.budgets(self.path),
                                             phrasebooks=books, profile=self.budget.profile,
                                             cache=self.budget.cache_dir(self.path) / "compute", lazy=True)
        for page in self.all_pages():
            self.content.issues += page.sanitised
        self.content.issues.sort(key=sort_key)
        if self.content.failed(self.budget.strict):
            stop(self.content.issues, lang)
        if report(self.content.issues, lang):  # warnings only: they stop the build only under --fatal warnings
            raise BuildFailed(summary(self.content.issues, lang))

        # What generate_output writes: output path -> (the verified text, or what reads it from the page cache;
        # its template context, None for a cached page; its token: relink.py).
        self.outputs: dict[str, tuple[str | Callable[[], str], dict | None, str | None]] = {}
        self.pdf_jobs: list[tuple[str, pdf.Job]] = []
        self.pages = PageCache.of(self.budget.cache_dir(self.path) / "pages", self.theme, Path(self.path),
                                  self.budget.budgets(self.path), self.settings, self.content.hashes)
        try:
            self.document_pages()
        except BaseException:
            self.pages.discard()  # a failed build stores nothing
            raise
        self.pages.commit()
        if self.pdf_jobs:
            self.prepare_pdfs()
        self.context["budgets"] = self.content.budgets

    def document_pages(self) -> None:
        """Each document's data files and pages, one at a time (one read from the compute cache is let go once
        done: deferred.Deferred), then the indexes. Any problem stops the build here."""
        self.opendata = OpenData([], self.content.report, DataCache(self.pages, self.source_key),  # data/: once per document
                                 lambda year: catalogue_module.load(year, Path(self.path)))
        found: dict[int, list[Issue]] = {}  # by the document's place in the content (the order they are reported in)
        early = search.Early.of(self)  # the search index's parts, each begun as soon as its pages are made
        for part, dbs in search.in_parts(early, self.content.budgets):
            for n, db in dbs:
                self.opendata.add(db)
                found[n] = [i for lang in self.langs for i in self.document_outputs(db, lang)]
                getattr(db, "release", lambda: None)()
            if early is not None and not any(found.values()):
                early.ready(part)
        if early is not None and not any(found.values()):
            early.close()
        self.opendata.finish()
        problems = [i for n in sorted(found) for i in found[n]] + self.render_indexes()
        if problems:
            stop(problems, self.budget.messages_lang)

    def prepare_pdfs(self) -> None:
        """Render the PDFs (or find them in the cache) before anything is written."""
        problems = pdf.preflight()
        if problems:
            stop(problems, self.budget.messages_lang)
        cache = self.budget.cache_dir(self.path) / "pdf"
        if self.budget.shard:  # this machine's part of the PDFs, into the cache (shard.py)
            self.pdf_jobs = shard.select(self.pdf_jobs, self.budget.shard)
        problems, self.pdf_results = pdf.prepare([job for _, job in self.pdf_jobs], cache, self.theme,
                                                 render=not self.budget.assemble)
        if problems:
            stop(problems, self.budget.messages_lang)

    # ---- rendering (in memory)
    def render(self, name: str, context: dict, page: str) -> str:
        """Render a template; a template mistake stops the build with its file, line and error."""
        try:
            return self.get_template(name).render(context)
        except (TemplateError, PelicanTemplateNotFound) as exc:
            stop([template_issue(exc, name, page)], self.budget.messages_lang)

    def page_context(self, path: str, variables: dict) -> dict:
        """What Pelican's writer gives a template written to `path`."""
        context = self.context.copy()
        context.update(variables)
        if self.settings.get("RELATIVE_URLS", False):
            context["SITEURL"] = context["localsiteurl"] = path_to_url(get_relative_path(path))
        context["output_file"] = path
        return context

    def render_indexes(self) -> list[Issue]:
        """Render the index pages (kept for generate_output; the district pages' figures read back), and
        the Markdown pages once in memory, so that a template mistake stops the build here, before anything is written."""
        problems = district.reconcile_district(self.content.budgets)
        for page in self.index_pages():
            key = self.pages.key("index", page.path, *self.index_shows(page), *page.key)  # the briefs it shows
            if self.pages.has(key):
                self.outputs[page.path] = (partial(self.pages.text, key), None, key)
                continue
            variables = page.variables()
            context = self.page_context(page.path, variables)
            text = self.render(page.template, context, page.path)
            problems += district.verify_page(variables, text, page.path)
            self.pages.put(key, text, what=page.path)
            self.outputs[page.path] = (partial(self.pages.text, key), None, key)
        if self.pages.get(key := self.pages.key("markdown pages")) is None:  # they are in the cache's version
            for page in self.context.get("pages", []):
                for p in [page] + page.translations:
                    self.render(p.template, self.page_context(p.save_as, {"page": p}), p.save_as)
            self.pages.put(key, "rendered", what="pages")
        return problems

    def all_pages(self) -> list:
        """Every Markdown page Pelican read, in every language, drafts and hidden ones too."""
        found = []
        for key in ("pages", "hidden_pages", "draft_pages"):
            for page in self.context.get(key, []):
                found += [page] + list(page.translations)
        unique = {id(p): p for p in found if hasattr(p, "sanitised")}
        return sorted(unique.values(), key=lambda p: p.source_path)

    def index_pages(self) -> list[IndexPage]:
        """The landing page and the language, data, district and search pages (their variables made when rendered)."""
        briefs = [db.brief for db in self.content.budgets]  # all they show (their key: index_shows)
        years = sorted({b.year for b in briefs}, reverse=True)
        by_year: dict[int, list[Brief]] = {year: [b for b in briefs if b.year == year] for year in years}

        def landing() -> dict:
            return dict(**self.common(self.langs[0], "", ""), years=years, by_year=by_year, langs=tuple(self.langs))

        def lang_index(lang: str) -> dict:
            return dict(**self.common(lang, f"{lang}/", f"{self.other[lang]}/"), years=years, by_year=by_year,
                        views={(b.slug, b.year): IndexView(b, lang, self.catalogues) for b in briefs})

        def data(lang: str) -> dict:
            return dict(**self.common(lang, f"{lang}/data/", f"{self.other[lang]}/data/"),
                        **datapage.page(self.opendata, briefs, lang, self.catalogues))

        pages = [IndexPage("index.html", "landing", landing)]
        for lang in self.langs:
            pages.append(IndexPage(f"{lang}/index.html", "lang_index", partial(lang_index, lang)))
            pages.append(IndexPage(f"{lang}/data/index.html", "data", partial(data, lang),
                                   key=(datapage.site_package_size(self.opendata),)))
        searches = [IndexPage(path, name, partial(dict, v), "nothing", key=tuple(v["bundles"]))
                    for path, name, v in search.pages(self)]
        return pages + district.district_pages(self) + searches

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
            "pdf_url": pdf_name(db, lang) if self.budget.pdf else None,
            "pdf_download": pdf_download_name(view), **district.navigation(self.content.budgets, db, lang),
            "downloads": datapage.downloads(self.opendata, db, lang, self.catalogues),
        })
        return context

    def render_department(self, context: dict, path: str) -> str:
        context = self.page_context(path, context)  # as Pelican's writer sets it: SITEURL = ../../..
        return self.render("department", context, path)

    def render_pdf_html(self, db: DepartmentBudget, lang: str, body: Markup | None = None,
                        context: dict | None = None) -> str:
        """The PDF's HTML; `context`: the page's department_context, reused (its View already built)."""
        context = dict(context) if context is not None else self.department_context(db, lang)
        context["pdf_css"] = pdf.stylesheet_urls(self.theme)
        if body is not None:
            context["body"] = body
        return self.render("pdf", context, f"{department_url(lang, db.year, db.slug)}{pdf_name(db, lang)}")

    # ---- writing
    def generate_output(self, writer):
        for path, (text, context, token) in self.outputs.items():
            self.write(writer, path, text, context, token)
        for (_, _), (base, doc) in self.opendata.documents.items():
            for name in doc.names:
                token = f"{doc.token}/{name}" if doc.token else None
                self.write(writer, base + name, partial(doc.file, name), token=token)
            doc.release()  # written: its bytes are not kept for the rest of the build
        for name, content in self.opendata.site_files.items():
            self.write(writer, name, content)
        for name, job in self.pdf_jobs:
            self.write(writer, name, job.cache_file, token=f"pdf/{job.cache_file.name}")  # a link of the cache file
        relinker = getattr(writer, "relinker", None)
        if relinker is not None:
            relinker.save()
        loaded = [f"{db.year}/{db.slug}" for db in self.content.budgets if getattr(db, "loaded", False)]
        self.pages.report(sum(1 for r in getattr(self, "pdf_results", []) if not r.cached), loaded)

    def write(self, writer, name: str, content: str | bytes | Path | Callable[[], str | bytes],
              context: dict | None = None, token: str | None = None) -> None:
        """Every file of the budget site goes out here, `name` relative to the output folder: text
        through Pelican's writer (its checks, its log line, its content_written signal), bytes
        and files (the PDFs, from their cache) the same way beside it. An unchanged file is a
        hard link of the published one (relink.py): with a `token` (what the file is made of), one
        the published build made of the same token is linked without its bytes being made or read
        (`content` may be a function that gives them)."""
        context = dict(self.context if context is None else context)
        relinker = getattr(writer, "relinker", None) or relink.Relinker(Path(self.output_path), None)
        path = relink.joined(self.output_path, name)
        if token is not None and relinker.reuse(name, token):
            logging.getLogger("pelican.writers").info('Writing "%s"', path)
            signals.content_written.send(path, context=context)
            return
        if callable(content):
            content = content()
        if token is not None:
            relinker.made(name, token, len(content) if isinstance(content, bytes) else None)
        if isinstance(content, str):
            writer.write_file(name, _Rendered(content), context, self.settings.get("RELATIVE_URLS", False))
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, Path):
            relinker.copy(content, path)
        else:
            relinker.write(Path(path), content)
        logging.getLogger("pelican.writers").info('Writing "%s"', path)
        signals.content_written.send(path, context=context)


def get_generators(pelican):
    return BudgetGenerator


def install_i18n(generator) -> None:
    """Every generator's Jinja environment (ours, Pelican's) gets `_()` and the template cache."""
    TemplateCache.attach(generator.env, generator.settings)
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


def wait_after_failure(pelican) -> None:
    """`pelican -r` runs a build that failed again at once, and again, until the content is
    fixed: after a failed build, wait for a change (with Pelican's own watcher) first."""
    from pelican.utils import wait_for_changes

    run, failed = pelican.run, False

    def watched_run():
        nonlocal failed
        if failed:
            wait_for_changes("", pelican.settings)
        failed = True
        try:
            run()
        except BaseException:
            search.abandon()  # its Pagefind runs would go on into a build folder thrown away
            raise
        failed = False

    pelican.run = watched_run


def start(pelican) -> None:
    """When Pelican starts: the issue log, the BUDGET_* settings checked, the write-fault guard."""
    # the build keeps ~10⁶ objects for its whole run (caches, manifests, listings): collecting every 700
    # allocations scans them again and again (≈ 0.5 s of an edit rebuild at N=1,000; benchmarks/district.py)
    gc.set_threshold(50_000, 20, 10)
    atexit.unregister(gc.freeze)  # once per process, however many builds it runs
    atexit.register(gc.freeze)  # nor scanned again at exit: the interpreter's last collections took ≈ 0.4 s
    show_issues()
    try:
        budget = BudgetSettings.of(pelican.settings)
    except SettingsError as exc:
        lang = pelican.settings.get("BUDGET_MESSAGES_LANG")
        lang = lang if lang in ("zh", "en") else BudgetSettings().messages_lang
        stop(exc.issues, lang)
    guard.guard_writes(pelican, budget)
    wait_after_failure(pelican)


def register():
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(install_i18n)
    signals.content_object_init.connect(sanitise_page)
    signals.initialized.connect(start)
    relink.register(signals)  # unchanged files as hard links of the published build
    search.register(signals)  # the search index, once the site is written

