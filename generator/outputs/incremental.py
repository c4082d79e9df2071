"""Rendering a document's outputs through the page cache (cache.py): what changed is rendered and
read back, the rest is taken from the cache. A mixin of the budget generator (plugin.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from markupsafe import Markup

from generator.compute.budget import DepartmentBudget
from generator.core.diagnostics import Issue
from generator.deferred import real
from generator.outputs import datapage, district, pdf
from generator.outputs.buildlog import stop
from generator.outputs.cache import PageCache
from generator.outputs.readback import read_around, read_page, verify
from generator.outputs.rendered import BODY, IndexPage, template_issue
from generator.present.render import department_url, pdf_name


class Incremental:
    # what the budget generator (plugin.py) has
    pages: PageCache
    budget: Any
    content: Any
    outputs: dict[str, tuple[str | Callable[[], str], dict | None, str | None]]
    pdf_jobs: list[tuple[str, pdf.Job]]
    settings: dict
    path: str
    output_path: str
    env: Any
    _body: Any
    _sources: dict[tuple[str, int], Path] | None = None
    _shown: dict[tuple, list[str]] | None = None
    opendata: Any
    catalogues: Any
    department_context: Any
    render_department: Any
    render_pdf_html: Any
    page_context: Any

    def document_outputs(self, db: DepartmentBudget, lang: str) -> list[Issue]:
        """A document's page and PDF HTML in one language, from the cache or rendered and read back.
        A cached page is not read here (its text is read only if it is written: relink.py), and its
        document is not loaded (deferred.Deferred): its key needs only what other files decide."""
        folder = department_url(lang, db.year, db.slug)
        name, page = f"{folder}{pdf_name(db, lang)}", f"{folder}index.html"
        # the page also shows what other files decide: the years it is published in, its data files' sizes
        # (what they are made of: their token in the page cache, DataCache)
        years = district.navigation_years(self.content.budgets, db)
        data = self.opendata.documents[(db.year, db.slug)][1].token or json.dumps(
            datapage.downloads(self.opendata, db, lang, self.catalogues), default=str, sort_keys=True)
        key = self.pages.key(self.source_key(db, db.year), self.source_key(db, db.year - 1), db.slug, lang,
                             repr(years), data)
        if self.pages.has(f"{key}.page") and (not self.budget.pdf or self.pages.has(f"{key}.pdf")):
            self.outputs[page] = (partial(self.pages.text, f"{key}.page"), None, f"{key}.page")
            if self.budget.pdf:  # its HTML's hash is kept beside it: the HTML is read only if the PDF is not cached
                sha = self.pages.get_bytes(f"{key}.pdf.sha256")
                job = pdf.Job(html=partial(self.pages.text, f"{key}.pdf"), out=Path(self.output_path) / name,
                              html_sha256=pdf.valid_digest(sha))
                self.pdf_jobs.append((name, job))
            return []
        db = real(db)  # rendered: the document itself, not its proxy
        context = self.department_context(db, lang)
        html, doc, problems = self.render_document(db, lang, context, folder, name)
        self.pages.put(f"{key}.page", html, what=page)
        self.outputs[page] = (partial(self.pages.text, f"{key}.page"), None, f"{key}.page")  # read back when written
        if doc is not None:
            job = pdf.Job(html=doc, out=Path(self.output_path) / name)
            self.pages.put(f"{key}.pdf", doc, "pdf_html", what=name)
            self.pages.put_bytes(f"{key}.pdf.sha256", job.digest().encode("ascii"))  # hashed once, kept for the next build
            self.pdf_jobs.append((name, job))
        return problems

    def render_document(self, db: DepartmentBudget, lang: str, context: dict, folder: str,
                        name: str) -> tuple[str, str | None, list[Issue]]:
        """A document's page and (with PDFs) its PDF's HTML, each read back: sections 一–八 are
        rendered once for both, and read back once."""
        body = self.render_body(context, f"{folder}index.html")
        part = read_page(body)
        html = self.render_department({**context, "body": body}, f"{folder}index.html")
        found = verify(db, self.content.report(db), read_around(html, body, part), lang, f"{folder}index.html", html)
        doc = None
        if self.budget.pdf:
            doc = self.render_pdf_html(db, lang, body, context)
            found += verify(db, self.content.report(db), read_around(doc, body, part), lang, name, doc)
        return html, doc, found

    def source_key(self, db: DepartmentBudget, year: int) -> str:
        """The hash of the budget file of `db`'s department for `year` ("" if there is none)."""
        if self._sources is None:  # (department, year) -> its budget file
            root = Path(self.settings.get("PATH_ROOT", Path(self.path).parent)).resolve()
            self._sources = {}
            for d in self.content.budgets:
                path = Path(d.source_path)
                self._sources[(d.department_slug, d.year)] = path if path.is_absolute() else root / path
        where = self._sources.get((db.department_slug, year))
        return self.pages.file(where) if where else ""

    def index_shows(self, page: IndexPage) -> list[str]:
        """What an index page shows, for its key: the digests of the briefs it is made from (its
        documents' names, totals and money by function and source: compute/brief.py), so that an edit of a
        document's prose renders no index page again. A search page none, a history page its document's
        briefs of every year, a year's pages that year's, the rest every brief."""
        if page.shows == "nothing":
            return []
        if self._shown is None:  # by slug and by year, once
            self._shown = {}
            for db in self.content.budgets:
                for where in (("slug", db.slug), ("year", db.year), ("year", None)):
                    self._shown.setdefault(where, []).append(db.brief.digest)
        return self._shown.get(("slug", page.slug) if page.shows == "slug" else ("year", page.year), [])

    def render_body(self, context: dict, path: str) -> Markup:
        """The document's sections (一–八), the same in the page and the PDF."""
        if self._body is None:
            self._body = self.env.from_string(BODY)
        try:
            return Markup(self._body.render(self.page_context(path, context)))
        except TemplateError as exc:
            stop([template_issue(exc, "partials/document.html", path)], self.budget.messages_lang)

