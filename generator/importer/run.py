"""`budget import FILE.pdf -o content/budgets/YEAR/slug.yaml`: read, draft, verify, write.

The draft is built and compared with the document before it is written: every printed cell
that the line items cannot reproduce is a figure the document contradicts itself on (a subtotal
that is not the sum of its rows …). Those are listed in the report and recorded under
`declared:`, so that `check` shows each of them until the clerk decides.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator import catalogue as catalogue_module
from generator.core.diagnostics import Issue, Location, issue
from generator.core.settings import BudgetSettings
from generator.importer.compare import Comparison, compare
from generator.importer.draft import Draft, DraftError, draft
from generator.importer.printed import PrintedDocument
from generator.importer.reader import read_pdf
from generator.importer.rounding import exact_leaves
from generator.pipeline import Content, load_content
from generator.reconcile.semantic import pairing_rules


@dataclass
class Imported:
    doc: PrintedDocument
    draft: Draft
    comparison: Comparison
    content: Content  # the draft as `check` sees it
    declared: dict[str, Decimal] = field(default_factory=dict)
    seconds: float = 0.0

    def report(self, lang: str = "en") -> list[str]:
        """The import report: what was read, the cells reproduced, the contradictions, the notes."""
        doc, lines, zh = self.doc, [], lang == "zh"
        kind = "单位预算" if doc.kind == "unit" else "部门预算"
        profile = doc.profile or ("未识别" if zh else "not detected")
        lines.append(f"{doc.path}: {kind} {doc.year} {doc.name}"
                     + (f"（{len(doc.pages)} 页，格式 {profile}）" if zh else f" ({len(doc.pages)} pages, profile {profile})"))
        c = self.comparison
        lines.append(f"  {c.matched}/{c.total} " + (f"个表格单元格与原文一致（{self.seconds:.1f} 秒）" if zh
                                                 else f"table cells reproduced ({self.seconds:.1f} s)"))
        for m in c.mismatches:
            lines.append(f"  {'原文自相矛盾' if zh else 'contradiction'}: {m} — "
                         + ("未照抄，已记入 declared" if zh else "recorded as declared"))
        lines += [f"  {'说明' if zh else 'note'}: {n}" for n in self.draft.notes]
        lines.append(f"  {self.draft.pending} " + ("处文字的英文待译（翻译前 check 提示 W246）" if zh
                                                  else "texts with English pending (W246 until translated)"))
        others = [i for i in self.content.issues if i.code != "W246"]
        lines += [f"  check: {i.format(lang)}" for i in others]
        return lines


def _content_root(out: Path) -> Path | None:
    """The content folder `out` is in (…/content/budgets/2025/x.yaml -> …/content), if any."""
    for parent in out.resolve().parents:
        if parent.name == BudgetSettings().dir:
            return parent.parent
    return None


def _verify(doc: PrintedDocument, text: str, out: Path, profile: str | None) -> tuple[Content, Comparison | None]:
    """The draft loaded and computed as `check` does, and compared with the document."""
    root = _content_root(out)
    with tempfile.TemporaryDirectory(prefix="budget-import-") as tmp:
        content = Path(tmp) / "content"
        for name in ("catalogue", "profiles"):  # the content's local codes and district formats
            if root is not None and (root / name).is_dir():
                shutil.copytree(root / name, content / name)
        target = content / "budgets" / str(doc.year) / out.name
        target.parent.mkdir(parents=True)
        target.write_text(text, encoding="utf-8")
        loaded = load_content(content, root=Path(tmp), profile=profile)
    dbs = [db for db in loaded.budgets if db.kind == (doc.kind or "department")]
    return loaded, (compare(doc, dbs[0]) if dbs else None)


def import_pdf(path: Path, out: Path, profile: str | None = None, force: bool = False) -> tuple[Imported | None, list[Issue]]:
    """Read `path`, write its draft to `out`; the result, or the issues that stopped it."""
    started = time.perf_counter()
    if out.exists() and not force:
        return None, [issue("E740", Location(str(out)), path=str(out))]
    doc, found = read_pdf(path)
    if doc is None:
        return None, found
    imported, problems = import_document(doc, out, profile)
    if imported is not None:
        imported.seconds = time.perf_counter() - started
    return imported, found + problems


def import_document(doc: PrintedDocument, out: Path, profile: str | None = None) -> tuple[Imported | None, list[Issue]]:
    """The draft of a document as read, written to `out`."""
    started = time.perf_counter()
    path = Path(doc.path)
    profile = profile or doc.profile
    slug = out.stem
    cat = catalogue_module.load(doc.year, _content_root(out))
    rules = pairing_rules()
    try:
        exact = exact_leaves(doc)  # a 万元 document: amounts in 元 whose sums round as printed
        result = draft(exact, slug, cat, rules, profile)
        loaded, comparison = _verify(doc, result.text, out, profile)
        declared: dict[str, Decimal] = {}
        if comparison is not None and comparison.mismatches:  # the document's own errors: declared, so check shows them
            tables = doc.tables
            declared = {f"table.{m.key}": tables[m.key[:2]].get(*m.key[3:].split(".", 1)).yuan  # type: ignore[union-attr]
                        for m in comparison.mismatches if m.printed is not None}
            result = draft(exact, slug, cat, rules, profile, declared)
            loaded, _ = _verify(doc, result.text, out, profile)
    except DraftError as exc:
        return None, [issue("E741", Location(str(path)), problem=str(exc))]
    if comparison is None:
        errors = "; ".join(i.format("en") for i in loaded.issues if i.severity == "error")[:400]
        return None, [issue("E742", Location(str(path)), problem=errors or "no document computed")]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        partial.write_text(result.text, encoding="utf-8")
        partial.replace(out)  # never a half-written draft
    except OSError as exc:
        return None, [issue("E743", Location(str(out)), problem=exc.strerror or str(exc))]
    return Imported(doc, result, comparison, loaded, declared, time.perf_counter() - started), []
