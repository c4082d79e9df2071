"""What the data page (`{lang}/data/index.html`) and the downloads block show: the data dictionary
in the page's language, from the same definitions that write the files (datadict.py, packages.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.compute.brief import Brief
from generator.compute.budget import DepartmentBudget
from generator.core import vocab
from generator.core.labels import Label
from generator.outputs import datadict as dd
from generator.outputs.datafiles import Download, OpenData
from generator.outputs.opendata import folder, size
from generator.outputs.packages import data_schema, schema_fields


def size_text(size: int) -> str:
    """A file size as people read it: 850 B, 26 KB, 1.2 MB (the same in every language)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def translator(lang: str, catalogues=None) -> Callable[[Label], str]:
    """A label in `lang`; a language the label lacks through the theme catalogue by its English (as View.t)."""
    def t(label: Label) -> str:
        if lang in label:
            return label[lang]
        return catalogues.gettext(lang, label.en) if catalogues is not None else label(lang)
    return t


def _bilingual(text: str, lang: str) -> str:
    """A schema description "中文 / English" in one language (English for any other)."""
    zh, _, en = text.partition(" / ")
    return zh if lang == "zh" else en or zh


def dictionary(lang: str, catalogues=None) -> list[dict[str, Any]]:
    """Every file of a document's data folder, with its fields, in `lang`."""
    t = translator(lang, catalogues)
    out = []
    for spec in dd.DOCUMENT_FILES:
        fields = [{"name": f.name, "type": f.type, "title": t(f.title), "description": t(f.description),
                   "required": f.required, "allowed": " | ".join(f.enum) or f.pattern or "", "example": f.example}
                  for f in spec.fields]
        if spec is dd.DATA_JSON:
            fields = [{"name": path, "type": kind, "title": "", "description": _bilingual(text, lang), "required": False,
                       "allowed": "", "example": ""} for path, kind, text in schema_fields(data_schema())]
        out.append({"key": spec.key, "path": spec.path, "format": spec.format, "title": t(spec.title),
                    "description": t(spec.description), "fields": fields})
    return out


def documents(budgets: list[Brief], lang: str, catalogues=None) -> list[dict[str, Any]]:
    """Each published document with its data folder, newest year first."""
    t = translator(lang, catalogues)
    rows = []
    for db in sorted(budgets, key=lambda d: (-d.year, d.slug)):
        rows.append({"year": db.year, "name": t(Label(db.budget.name.zh, db.budget.name.en)),
                     "kind": t(vocab.DOCUMENT_KINDS[db.kind].label), "folder": folder(db),
                     "page": f"{lang}/{db.year}/{db.slug}/"})
    return rows


def page(opendata: OpenData, budgets: list[Brief], lang: str, catalogues=None) -> dict[str, Any]:
    years = sorted({db.year for db in budgets}, reverse=True)
    return {"dictionary": dictionary(lang, catalogues),
            "documents": documents(budgets, lang, catalogues), "catalogue_years": years,
            "site_package": "data/datapackage.json", "schema": "data/schema/data.schema.json",
            "site_package_size": site_package_size(opendata)}


def site_package_size(opendata: OpenData) -> str:
    """The size of the site's data package as the data page prints it."""
    return size_text(size(opendata.site_files["data/datapackage.json"]))


def downloads(opendata: OpenData, db: DepartmentBudget, lang: str, catalogues=None) -> list[dict[str, Any]]:
    """The downloads block of a document's page (after the PDF, which the page adds itself)."""
    t = translator(lang, catalogues)
    return [_download(d, t) for d in opendata.of(db)]


def _download(d: Download, t: Callable[[Label], str]) -> dict[str, Any]:
    return {"key": d.spec.key, "title": t(d.spec.title), "format": d.spec.format.upper(), "path": d.path,
            "size": size_text(d.size), "parts": d.parts}
