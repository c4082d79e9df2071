"""Rendered text on its way out: a template mistake as an issue, the shared body of the page and
the PDF, and a page rendered (and verified) before Pelican's writer writes it."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateSyntaxError

from generator.core.diagnostics import Issue, Location, issue


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


BODY = '{% import "partials/document.html" as doc with context %}{{ doc.sections(v) }}'


class _Rendered:
    """A page rendered (and verified) in generate_context, given to Pelican's writer as a
    template that renders to exactly that string."""

    def __init__(self, text: str):
        self.text = text

    def render(self, context: dict) -> str:
        return self.text




@dataclass
class IndexPage:
    """An index page to write: its template's variables are made only when it is rendered (a page in
    the cache needs none of them, so no document is loaded for it). `shows`, the briefs its key is made of
    (compute/brief.py: all an index page is given of the documents): "year" (that year's), "slug" (a history
    page: its document's of every year), "all", "nothing" (a search page)."""

    path: str
    template: str
    variables: Callable[[], dict]
    shows: str = "all"
    year: int | None = None
    slug: str | None = None
    key: tuple[str, ...] = ()  # what else its key is made of
