"""Command line: `budget check`, `codes`, `catalogue`, `schema`, `migrate`, `new-year`, `import`, `audit` (tasks.py runs them)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generator.core.diagnostics import ERROR, Issue
from generator.core.labels import Label

SUMMARY = Label("共 {errors} 个错误，{warnings} 个警告。", "{errors} error(s), {warnings} warning(s).")
ALL_CLEAR = Label("检查通过：没有发现问题。", "All clear: no problems found.")
NO_BUDGETS = Label("{where}: 找不到预算文件夹", "{where}: there is no budgets folder")


def summary(issues: list[Issue], lang: str) -> str:
    """The last line of a report: how many errors and warnings."""
    errors = sum(1 for i in issues if i.severity == ERROR)
    warnings = len(issues) - errors
    return SUMMARY(lang).format(errors=errors, warnings=warnings) if issues else ALL_CLEAR(lang)


def print_issues(issues: list[Issue], lang: str, out=None) -> None:
    out = out or sys.stderr
    for i in issues:
        print(i.format(lang), file=out)
    print(summary(issues, lang), file=out)


def check(content: Path, lang: str, strict: bool, as_json: bool, budgets: str | None = None,
          profile: str | None = None, cache: bool = True) -> int:
    from generator.core.settings import BudgetSettings
    from generator.pipeline import load_content, page_issues

    settings = BudgetSettings(dir=budgets) if budgets else BudgetSettings()
    where = settings.budgets(content)
    if not where.is_dir():
        print(NO_BUDGETS(lang).format(where=where), file=sys.stderr)
        return 1
    result = load_content(content, root=Path.cwd(), budgets=where, profile=profile, keep=False,
                          cache=settings.cache_dir(content) / "compute" if cache else None)
    result.issues += page_issues(content, root=Path.cwd())
    if as_json:
        print(json.dumps([i.as_dict() for i in result.issues], ensure_ascii=False, indent=2))
    else:
        print_issues(result.issues, lang)
    return 1 if result.failed(strict) else 0


def migrate(paths: list[Path], content: Path, check_only: bool, lang: str) -> int:
    """Upgrade budget files to the current format (every file under the budgets folder by default)."""
    from generator.core.settings import BudgetSettings
    from generator.load.migrate import CURRENT_FORMAT, migrate_file
    from generator.pipeline import budget_files

    if not paths:
        where = BudgetSettings().budgets(content)
        if not where.is_dir():
            print(NO_BUDGETS(lang).format(where=where), file=sys.stderr)
            return 1
        paths = budget_files(where)
    status = 0
    for path in paths:
        result = migrate_file(path, check=check_only)
        if result.error is not None:
            print(f"{path}: {result.error(lang)}", file=sys.stderr)
            status = 1
        elif not result.changes:
            print(f"{path}: {ALREADY(lang).format(current=CURRENT_FORMAT)}")
        else:
            status = 1 if check_only else status
            head = (NEEDS if check_only else MIGRATED)(lang).format(found=result.version, current=CURRENT_FORMAT)
            print(f"{path}: {head}")
            for change in result.changes:
                print(f"  {change(lang)}")
    return status


def new_year(path: Path, out: Path | None, force: bool, lang: str) -> int:
    """Write next year's draft of the budget file `path`."""
    from generator.load.migrate import MigrationError, read_text, write_atomic
    from generator.load.newyear import default_out, draft

    try:
        d = draft(read_text(path), str(path))
    except MigrationError as exc:
        print(f"{path}: {exc.label(lang)}", file=sys.stderr)
        return 1
    out = out or default_out(path, d.year, d.slug)
    if out.exists() and not force:
        print(EXISTS(lang).format(out=out), file=sys.stderr)
        return 1
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, d.text)
    except OSError as exc:
        print(f"{out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(WROTE(lang).format(out=out, year=d.year))
    for change in d.changes:
        print(f"  {change(lang)}")
    return 0


ALREADY = Label("已是第 {current} 版格式，无需改动", "already format {current}: nothing to change")
MIGRATED = Label("已从第 {found} 版升级到第 {current} 版格式：", "upgraded from format {found} to format {current}:")
NEEDS = Label("需要从第 {found} 版升级到第 {current} 版格式（--check：未改动）：",
              "needs upgrading from format {found} to format {current} (--check: not changed):")
EXISTS = Label("{out} 已存在：不覆盖（确需覆盖请加 --force，或用 -o 指定另一个文件）",
               "{out} exists: not overwritten (add --force to overwrite it, or name another file with -o)")
WROTE = Label("已写入 {year} 年预算草稿 {out}：", "wrote the {year} draft {out}:")


def print_catalogue(year: int | None, content: Path, lang: str, as_json: bool) -> int:
    """The catalogue in force for `year` with the local additions of `content`; 1 if the local file has errors."""
    from generator import catalogue
    from generator.catalogue import listing

    cat = catalogue.load(year, content)
    print(listing.as_json(cat) if as_json else listing.as_text(cat, lang))
    return 1 if any(i.severity == ERROR for i in cat.issues) else 0


def schema_text() -> str:
    from generator.load.model import Budget

    schema = Budget.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "budget.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="budget", description="部门预算公开 / department budget disclosure")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate all content without rendering")
    p.add_argument("--content", type=Path, default=Path("content"))
    p.add_argument("--budgets", metavar="DIR", help="the budget files' folder under --content (BUDGET_DIR; budgets)")
    p.add_argument("--profile", metavar="NAME", help="the district format of files that name none (BUDGET_PROFILE)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument("--json", action="store_true", help="print the issues as JSON")
    p.add_argument("--no-cache", action="store_true", help="read every file again (not the compute cache)")
    c = sub.add_parser("codes", help="list every issue code with its title and message")
    c.add_argument("--lang", choices=("zh", "en"), default="zh")
    c.add_argument("--json", action="store_true", help="print the codes as JSON")
    k = sub.add_parser("catalogue", help="print the classification catalogue in force for a budget year")
    k.add_argument("--year", type=int, help="the budget year (default: the latest edition)")
    k.add_argument("--content", type=Path, default=Path("content"), help="its local additions: DIR/catalogue/<year>.yaml")
    k.add_argument("--lang", choices=("zh", "en"), default="zh")
    k.add_argument("--json", action="store_true", help="print the catalogue as JSON")
    s = sub.add_parser("schema", help="write the JSON Schema of the budget format")
    s.add_argument("--out", type=Path, default=Path("schema/budget.schema.json"))
    m = sub.add_parser("migrate", help="upgrade budget files to the current format (and say what changed)")
    m.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="budget files (default: all in the budgets folder)")
    m.add_argument("--content", type=Path, default=Path("content"))
    m.add_argument("--check", action="store_true", help="change nothing; exit 1 if some file needs upgrading")
    m.add_argument("--lang", choices=("zh", "en"), default="zh")
    n = sub.add_parser("new-year", help="draft next year's budget file from this year's")
    n.add_argument("file", type=Path, metavar="FILE")
    n.add_argument("-o", "--out", type=Path, help="where to write it (default: budgets/<next year>/<slug>.yaml)")
    n.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    n.add_argument("--lang", choices=("zh", "en"), default="zh")
    i = sub.add_parser("import", help="draft a budget file from a published 部门预算 or 单位预算 PDF")
    i.add_argument("file", type=Path, metavar="FILE.pdf")
    i.add_argument("-o", "--out", type=Path, required=True, help="the draft to write: content/budgets/<year>/<slug>.yaml")
    i.add_argument("--profile", help="the district format (default: detected from the document)")
    i.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    i.add_argument("--lang", choices=("zh", "en"), default="zh")
    a = sub.add_parser("audit", help="check a published budget PDF against the standard identities and its own narrative")
    a.add_argument("file", metavar="FILE.pdf")
    a.add_argument("--json", action="store_true", help="print the findings as JSON")
    a.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args(argv)
    if args.command == "audit":
        from generator.importer.audit import run_audit

        return run_audit(args.file, args.json, args.lang)
    if args.command == "import":
        from generator.importer.command import run_import

        return run_import(args.file, args.out, args.profile, args.force, args.lang)
    if args.command == "migrate":
        return migrate(args.paths, args.content, args.check, args.lang)
    if args.command == "new-year":
        return new_year(args.file, args.out, args.force, args.lang)
    if args.command == "check":
        return check(args.content, args.lang, args.strict, args.json, args.budgets, args.profile, not args.no_cache)
    if args.command == "codes":
        from generator.core.diagnostics import codes

        if args.json:
            print(json.dumps([c.as_dict() for c in codes()], ensure_ascii=False, indent=2))
        for code in [] if args.json else codes():
            print(f"{code.code}  {code.title(args.lang)}  —  {code.message(args.lang)}")
        return 0
    if args.command == "catalogue":
        return print_catalogue(args.year, args.content, args.lang, args.json)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
