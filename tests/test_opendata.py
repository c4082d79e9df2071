"""The open data (issue 13, part 4): written once per document under data/, the CSVs with their BOM,
data.json against its published JSON Schema, every data package through `frictionless validate`,
the workbook read back with openpyxl and converted by LibreOffice, the data page and the downloads."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from markupsafe import escape
from openpyxl import load_workbook

from generator.core.money import to_unit
from generator.outputs import datadict as dd
from generator.outputs.datapage import size_text
from generator.outputs.readback import read_page
from generator.outputs.workbook import workbook

BOM = b"\xef\xbb\xbf"
FILES = ["line-items.csv", *(f"table-{n:02d}.csv" for n in range(1, 10)), "data.json", "reconciliation.json", "budget.xlsx",
         "functional.csv", "economic.csv", "datapackage.json"]


def folders(site: Path, content) -> list[tuple[object, Path]]:
    return [(db, site / "data" / str(db.year) / db.slug) for db in content.budgets]


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_every_document_has_its_data_folder_once_for_every_language(site, content):
    assert len(content.budgets) >= 3  # the 部门预算 of two departments and a 单位预算
    for db, folder in folders(site, content):
        assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted(FILES), folder
        for lang in ("zh", "en"):  # nothing per language any more
            page = site / lang / str(db.year) / db.slug
            assert not [p.name for p in page.iterdir() if p.suffix in (".csv", ".json", ".xlsx")], page
    assert (site / "data" / "datapackage.json").is_file() and (site / "data" / "schema" / "data.schema.json").is_file()
    for year in {db.year for db in content.budgets}:
        assert (site / "data" / "catalogue" / str(year) / "functional.csv").is_file()


def test_every_csv_keeps_its_utf8_bom_and_the_dictionary_header(site):
    csvs = sorted((site / "data").rglob("*.csv"))
    assert len(csvs) > 30
    for path in csvs:
        raw = path.read_bytes()
        assert raw.startswith(BOM) and not raw.startswith(BOM * 2), path
        header = next(csv.reader([raw[3:].decode("utf-8").splitlines()[0]]))
        spec = dd.LINE_ITEMS if path.name == "line-items.csv" else dd.TABLES if path.name.startswith("table-") else dd.CATALOGUE
        assert header == spec.header, path


def test_line_items_are_the_ledger_one_row_per_line(site, content):
    for db, folder in folders(site, content):
        rows = read_csv(folder / "line-items.csv")
        assert len(rows) == len(db.ledger.lines)
        data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
        total = sum(Decimal(r["amount_yuan"]) for r in rows)
        assert total == Decimal(data["tables"]["01"]["cells"]["01.inc.total.amount"]) == Decimal(
            data["tables"]["03"]["cells"]["03.total.total"])
        cat = db.ledger.catalogue
        for row, line in zip(rows, db.ledger.lines):
            assert (row["function_code"], row["source"], Decimal(row["amount_yuan"])) == (line.function, line.source, line.amount)
            assert row["function_name_zh"] == cat.functional[line.function].zh  # code and name in separate columns
            if line.economic:
                assert (row["economic_code"], row["economic_name_en"]) == (line.economic, cat.economic[line.economic].en)
            else:
                assert row["economic_code"] == row["economic_name_zh"] == ""
            assert row["project_id"] == (line.project or "")
        by_kind = {}
        for r in rows:
            by_kind[r["line_kind"]] = by_kind.get(r["line_kind"], Decimal(0)) + Decimal(r["amount_yuan"])
        assert by_kind["basic"] == Decimal(data["tables"]["03"]["cells"]["03.total.basic"])


def test_the_table_csvs_are_data_json_and_what_the_page_prints(site, content):
    for db, folder in folders(site, content):
        data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
        printed = read_page((site / "zh" / str(db.year) / db.slug / "index.html").read_text(encoding="utf-8")).cells
        for number, table in data["tables"].items():
            rows = read_csv(folder / f"table-{number}.csv")
            assert {r["cell"]: r["amount_yuan"] for r in rows} == table["cells"]
            for r in rows:
                assert r["unit"] == table["unit"] == db.display.unit_of(number)
                shown = printed[r["cell"]].replace(",", "") or "0"
                assert Decimal(r["amount_shown"]) == Decimal(shown), r["cell"]
                if r["row_code"]:
                    assert r["row_level"] == {3: "类", 5: "款", 7: "项"}[len(r["row_code"])]


def test_data_json_follows_the_published_schema(site, content):
    schema = json.loads((site / "data" / "schema" / "data.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for db, folder in folders(site, content):
        data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        assert (folder / data["$schema"]).resolve() == (site / "data" / "schema" / "data.schema.json").resolve()
        assert data["document"]["kind"] == db.kind
        t03 = data["tables"]["03"]
        assert t03["rows"][0]["key"] == "total" and all(r["code"] for r in t03["rows"][1:])
        assert {c["key"] for c in t03["columns"]} >= {"total", "basic", "project"}
        for row in t03["rows"]:
            for key, value in row["values"].items():
                assert t03["cells"][f"03.{row['key']}.{key}"] == value
    broken = json.loads((folders(site, content)[0][1] / "data.json").read_text(encoding="utf-8"))
    broken["tables"]["01"]["cells"]["01.inc.total.amount"] = 5715.29  # a number, not exact text
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def frictionless(package: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("frictionless")
    return subprocess.run([str(exe), "validate", "--json", str(package.name)], capture_output=True, text=True,
                          cwd=package.parent, timeout=300)


def test_frictionless_validate_passes_on_every_data_package(site, content):
    packages = [folder / "datapackage.json" for _, folder in folders(site, content)] + [site / "data" / "datapackage.json"]
    for package in packages:
        result = frictionless(package)
        report = json.loads(result.stdout)
        assert report["valid"], (package, [t["errors"] for t in report["tasks"] if not t["valid"]])
        names = {t["name"] for t in report["tasks"]}
        assert {"line-items", "table-03"} <= names or any(n.endswith("-line-items") for n in names)
    site_package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in site_package["resources"]}
    for db, _ in folders(site, content):
        assert f"{db.year}/{db.slug}/line-items.csv" in paths and f"{db.year}/{db.slug}/table-09.csv" in paths
    line_items = next(r for r in site_package["resources"] if r["path"].endswith("line-items.csv"))
    year = line_items["path"].split("/")[0]
    assert line_items["schema"] == f"schema/{year}/line-items-functional-economic.json"  # shared by every document
    schema = json.loads((site / "data" / line_items["schema"]).read_text(encoding="utf-8"))
    assert {fk["fields"]: fk["reference"]["resource"] for fk in schema["foreignKeys"]} == {
        "function_code": f"catalogue-{year}-functional", "economic_code": f"catalogue-{year}-economic"}
    schemas = {r["schema"] for r in site_package["resources"] if isinstance(r["schema"], str)}
    assert schemas == {f"schema/{p.relative_to(site / 'data' / 'schema').as_posix()}"
                       for p in (site / "data" / "schema").glob("*/*.json")}  # every one written, none unused


def test_frictionless_finds_a_code_missing_from_the_catalogue(site, content, tmp_path):
    """The foreign keys are checked: a line item on a code the published catalogue lacks fails validation."""
    folder = shutil.copytree(folders(site, content)[0][1], tmp_path / "copy")
    text = (folder / "line-items.csv").read_text(encoding="utf-8-sig")
    code = read_csv(folder / "line-items.csv")[0]["function_code"]
    (folder / "line-items.csv").write_text("\ufeff" + text.replace(f",{code},", ",2999999,", 1), encoding="utf-8")
    report = json.loads(frictionless(folder / "datapackage.json").stdout)
    assert not report["valid"]
    errors = [e for t in report["tasks"] for e in t["errors"]]
    assert [e["type"] for e in errors] == ["foreign-key"] and "2999999" in errors[0]["message"]


def test_the_site_package_checks_foreign_keys_through_its_shared_schemas(site, content, tmp_path):
    data = shutil.copytree(site / "data", tmp_path / "data")
    _, folder = folders(site, content)[0]
    csv_file = data / folder.relative_to(site / "data") / "line-items.csv"
    code = read_csv(csv_file)[0]["function_code"]
    text = csv_file.read_text(encoding="utf-8-sig")
    csv_file.write_text("\ufeff" + text.replace(f",{code},", ",2999999,", 1), encoding="utf-8")
    report = json.loads(frictionless(data / "datapackage.json").stdout)
    errors = [e for t in report["tasks"] for e in t["errors"]]
    assert not report["valid"] and [e["type"] for e in errors] == ["foreign-key"]


def _numbers_after(cells: list, start: int) -> list:
    out = []
    for value in cells[start:]:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            break
        out.append(value)
    return out


def test_the_workbook_read_back_equals_data_json(site, content):
    for _, folder in folders(site, content):
        data = json.loads((folder / "data.json").read_text(encoding="utf-8"))
        wb = load_workbook(folder / "budget.xlsx")
        assert len(wb.sheetnames) == len(data["tables"]) + 1
        for sheet_name, (number, table) in zip(wb.sheetnames, data["tables"].items()):
            ws = wb[sheet_name]
            assert sheet_name.startswith(number)
            grid = [[c.value for c in row] for row in ws.iter_rows()]
            assert table["title"]["zh"] in grid[0][0] and table["unit"] in str(grid[2][-1])
            position = {}  # per side of the sheet: the next sheet row to look at
            for row in table["rows"]:
                want = [to_unit(Decimal(v), table["unit"]) for v in row["values"].values()]
                side = row["key"].split(".")[0] if table["layout"] == "balance" else ""
                for i in range(position.get(side, 0), len(grid)):
                    cells = grid[i]
                    at = next((j for j in range(len(cells) - 1)
                               if cells[j] == row["name"]["zh"] and cells[j + 1] == row["name"]["en"]), None)
                    if at is not None:
                        got = _numbers_after(cells, at + 2)
                        assert [Decimal(repr(x)) for x in got] == want, (number, row["key"])
                        position[side] = i + 1
                        break
                else:
                    raise AssertionError(f"{folder.name} {number}: row {row['key']} not in the sheet")
            numeric = [c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
            assert numeric and all("0.00" in c.number_format for c in numeric)  # numbers with a number format
        items = wb.worksheets[-1]
        rows = read_csv(folder / "line-items.csv")
        amounts = [r[-1].value for r in items.iter_rows(min_row=3)]
        assert [Decimal(repr(a)) for a in amounts] == [Decimal(r["amount_yuan"]) for r in rows]


def test_the_workbook_is_the_same_bytes_every_time(seed, monkeypatch):
    """No date of the build in the file: openpyxl's own `modified` (the time of saving) is replaced."""
    import datetime as dt
    import io
    import zipfile

    from generator.outputs.opendata import data_json, line_item_rows

    first = workbook(seed, data_json(seed), line_item_rows(seed))

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

    import types

    import openpyxl.writer.excel as excel

    monkeypatch.setattr(excel, "datetime", types.SimpleNamespace(datetime=Later, timezone=dt.timezone))
    assert workbook(seed, data_json(seed), line_item_rows(seed)) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        props = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    assert re.search(rf"<dcterms:modified [^>]*>{seed.year}-01-01T00:00:00Z</dcterms:modified>", props), props


@pytest.mark.pdf  # LibreOffice takes a few seconds
def test_libreoffice_converts_the_workbook(site, content, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (Debian libreoffice-calc) is not installed here; scripts/dev installs it")
    db, folder = folders(site, content)[0]
    profile = tmp_path / "profile"
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv",
                             "--outdir", str(tmp_path), str(folder / "budget.xlsx")], capture_output=True, text=True, timeout=180)
    out = tmp_path / "budget.csv"
    assert result.returncode == 0 and out.is_file(), result.stdout + result.stderr
    text = out.read_bytes().decode("utf-8", errors="replace")
    page = (site / "zh" / str(db.year) / db.slug / "index.html").read_text(encoding="utf-8")
    total = read_page(page).cells["01.inc.total.amount"]
    assert total.replace(",", "") in text.replace(",", "").replace('"', "")  # the first sheet, table 01, with its total


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.block, self.depth, self.links, self.sizes = False, 0, [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and a.get("class") == "downloads-block":
            self.block = True
        if self.block and tag == "a":
            self.links.append(a["href"])
        self._size = self.block and a.get("class") == "size"

    def handle_data(self, data):
        if getattr(self, "_size", False):
            self.sizes.append(data)
            self._size = False

    def handle_endtag(self, tag):
        if tag == "section":
            self.block = False


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_downloads_block_links_every_file_with_its_size(site, content, lang):
    for db, folder in folders(site, content):
        page = site / lang / str(db.year) / db.slug / "index.html"
        html = page.read_text(encoding="utf-8")
        assert html.index("downloads-block") < html.index('id="toc"')  # near the top, before the contents
        links = _Links()
        links.feed(html)
        targets = [(page.parent / href).resolve() for href in links.links]
        assert all(t.exists() for t in targets), [t for t in targets if not t.exists()]
        names = {t.name for t in targets if folder.resolve() in t.parents}
        assert {"budget.xlsx", "line-items.csv", "data.json", "reconciliation.json", "datapackage.json"} <= names
        assert {f"table-{n:02d}.csv" for n in range(1, 10)} <= names
        xlsx = next(t for t in targets if t.name == "budget.xlsx")
        assert links.sizes[0] == size_text(xlsx.stat().st_size)
        assert (site / lang / "data").resolve() in targets and (site / lang / "data" / "index.html").is_file()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_data_page_explains_every_field_of_every_file(site, content, lang):
    html = (site / lang / "data" / "index.html").read_text(encoding="utf-8")
    _, folder = folders(site, content)[0]
    for name in ("line-items.csv", "table-03.csv", "functional.csv"):  # the headers of the files as written
        for field in next(csv.reader([(folder / name).read_text(encoding="utf-8-sig").splitlines()[0]])):
            assert f"<code>{field}</code>" in html, (name, field)
    for key in ("tables", "rows", "cells", "display_unit"):  # data.json, from its schema
        assert re.search(rf"<code>[\w.\[\]*]*{key}</code>", html), key
    for spec in dd.DOCUMENT_FILES:
        assert escape(spec.title(lang)) in html and escape(spec.description(lang)) in html
    assert 'href="../../data/datapackage.json"' in html and 'href="../../data/schema/data.schema.json"' in html
    for db, _ in folders(site, content):
        assert f'href="../../data/{db.year}/{db.slug}/datapackage.json"' in html


def test_a_name_typed_like_a_formula_stays_text(tmp_path):
    """Names are untrusted: in the CSVs a cell starting like a formula gets an apostrophe, in the workbook it is a
    text cell (never a formula or an error code)."""
    import io

    from conftest import make_content, seed_text

    from generator.outputs.datafiles import OpenData
    from generator.pipeline import load_content

    hostile = '=HYPERLINK("http://example.invalid","点击")'
    text = seed_text().replace("      zh: 联勤队伍组建\n      en: Formation of the Joint Duty Team",
                               f"      zh: '{hostile}'\n      en: '#N/A'")
    assert hostile in text
    root = make_content(tmp_path, {"2024/anting-city-operations.yaml": text})
    content = load_content(root, root=tmp_path)
    assert not [i for i in content.issues if i.code.startswith("E")], [i.format("en") for i in content.issues]
    files = OpenData(content.budgets, content.report).files
    rows = list(csv.DictReader(files["data/2024/anting-city-operations/line-items.csv"].lstrip("\ufeff").splitlines()))
    names = {(r["project_name_zh"], r["project_name_en"]) for r in rows if r["project_id"] == "lianqin"}
    assert names == {("'" + hostile, "#N/A")}
    wb = load_workbook(io.BytesIO(files["data/2024/anting-city-operations/budget.xlsx"]))
    cells = [c for row in wb.worksheets[-1].iter_rows() for c in row if c.value in (hostile, "#N/A")]
    assert len(cells) == 2 * len([r for r in rows if r["project_id"] == "lianqin"]) > 0
    assert {c.data_type for c in cells} == {"s"}
