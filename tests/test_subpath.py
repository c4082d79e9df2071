"""Publishing where offices publish (issue 13, item 7): the site works under a sub-path of a
government site, https://www.jiading.gov.cn/yusuan/ — with relative links (RELATIVE_URLS, the
default) and with SITEURL naming the sub-path. Each build is served under /sub/path/ by a local
HTTP server that answers nothing outside it, and every internal link, stylesheet, script, PDF,
data file and form target of every page is fetched: all 200. `invoke publish` archives output/."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import threading
import zipfile
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

from conftest import CONTENT, ROOT, run_pelican

from generator.outputs import archive, publish

PREFIX = "/sub/path/"


class _Under(SimpleHTTPRequestHandler):
    """Serves its folder at PREFIX only; everything else is 404 (a link that escapes the sub-path)."""

    def log_message(self, *args):
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / ".outside-the-sub-path")  # no such file: 404
        return super().translate_path("/" + path[len(PREFIX):])


@contextmanager
def serve_under(root: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Under, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Links(HTMLParser):
    ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action", "iframe": "src"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        value = dict(attrs).get(self.ATTRS.get(tag, ""))
        if value:
            self.links.append(value)


def crawl(base: str, start: str) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Every internal URL reachable from `start` (HTML pages followed, CSS url()s too): its status, and who links it."""
    host = urlsplit(base).netloc
    status: dict[str, int] = {}
    linked_from: dict[str, list[str]] = {}
    todo = [start]
    while todo:
        url = todo.pop()
        if url in status:
            continue
        try:
            with urlopen(url, timeout=30) as response:
                status[url], body, kind = response.status, response.read(), response.headers.get_content_type()
        except HTTPError as exc:
            status[url] = exc.code
            continue
        found: list[str] = []
        if kind == "text/html":
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            found = parser.links
        elif kind == "text/css":
            found = re.findall(r"url\(\s*['\"]?([^'\")]+)", body.decode("utf-8"))
        for link in found:
            target = urldefrag(urljoin(url, link))[0].split("?", 1)[0]
            if urlsplit(target).netloc == host and urlsplit(target).scheme.startswith("http"):
                linked_from.setdefault(target, []).append(url)
                todo.append(target)
    return status, linked_from


def _check(site: Path, base: str) -> dict[str, int]:
    status, linked_from = crawl(base, base + PREFIX)
    broken = {u: (s, linked_from.get(u, [])[:3]) for u, s in status.items() if s != 200}
    assert not broken, broken
    return status


def _kinds(status: dict[str, int]) -> set[str]:
    return {Path(urlsplit(u).path).suffix or "/" for u in status}


def test_relative_links_work_under_a_sub_path(site: Path):
    """The shared example site (RELATIVE_URLS, PDFs unless --fast), served at /sub/path/."""
    with serve_under(site) as base:
        status = _check(site, base)
    paths = {urlsplit(u).path[len(PREFIX):] for u in status}
    for wanted in ("zh/2024/", "en/2025/overview/", "zh/history/anting-city-operations/",
                   "data/2024/anting-city-operations/data.json", "data/2024/anting-city-operations/budget.xlsx", "zh/data/",
                   "theme/css/site.css", "theme/js/sort.js",
                   "zh/search/", "pagefind/pagefind-ui.js"):
        assert any(p == wanted or p.endswith(wanted) for p in paths), (wanted, sorted(paths)[:20])
    if list(site.rglob("*.pdf")):
        assert ".pdf" in _kinds(status)
    assert len(status) > 40


def test_siteurl_with_a_path_works_under_it(tmp_path):
    """SITEURL = http://host/sub/path with absolute links (RELATIVE_URLS = False)."""
    out = tmp_path / "output"
    out.mkdir()
    with serve_under(out) as base:
        result = run_pelican(CONTENT, out, "BUDGET_PDF=false", f'SITEURL="{base}{PREFIX.rstrip("/")}"', "RELATIVE_URLS=false",
                             cache=tmp_path / "cache")
        assert result.returncode == 0, result.stdout + result.stderr
        html = (out / "zh" / "2024" / "index.html").read_text(encoding="utf-8")
        assert f'href="{base}{PREFIX}theme/css/site.css"' in html  # really absolute, under the sub-path
        status = _check(out, base)
    assert {".html", ".json", ".css", ".js", "/"} <= _kinds(status) | {".html"}


# ---------------------------------------------------------------- invoke publish


def test_publish_archive_is_dated_complete_and_deterministic(tmp_path):
    site = tmp_path / "site"
    (site / "zh" / "2024").mkdir(parents=True)
    (site / "zh" / "2024" / "index.html").write_text("<p>年</p>", encoding="utf-8")
    (site / "index.html").write_text("<p>root</p>", encoding="utf-8")
    (site / "theme").mkdir()
    (site / "theme" / "a.css").write_text("p{}", encoding="utf-8")
    build = site.parent / publish.STORE / "20261202-101500-3fa2c1"
    build.parent.mkdir()
    site.rename(build)
    output = tmp_path / "output"
    output.symlink_to(build)
    first = archive.archive(output, tmp_path / "dist")
    assert first.name == "budget-site-20261202-101500-3fa2c1.zip"
    with zipfile.ZipFile(first) as z:
        assert z.namelist() == ["index.html", "theme/a.css", "zh/2024/index.html"]  # sorted, no folder entries
        assert z.read("zh/2024/index.html").decode("utf-8") == "<p>年</p>"
        assert {i.date_time for i in z.infolist()} == {(2026, 12, 2, 10, 15, 0)}  # the build's time, not now
    data = first.read_bytes()
    first.unlink()
    assert archive.archive(output, tmp_path / "dist").read_bytes() == data


def test_invoke_publish_names_the_archive(tmp_path):
    output = tmp_path / "output"
    build = tmp_path / publish.STORE / "20261202-101500-abcdef"
    (build / "zh").mkdir(parents=True)
    (build / "zh" / "index.html").write_text("x", encoding="utf-8")
    (build / "index.html").write_text("x", encoding="utf-8")
    output.symlink_to(build)
    done = subprocess.run([sys.executable, "-m", "invoke", "publish", "--output", str(output), "--dist", str(tmp_path / "dist")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "dist" / "budget-site-20261202-101500-abcdef.zip").is_file()
    assert "budget-site-20261202-101500-abcdef.zip" in done.stdout
    missing = subprocess.run([sys.executable, "-m", "invoke", "publish", "--output", str(tmp_path / "none")],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert missing.returncode != 0 and "invoke build" in (missing.stdout + missing.stderr)
