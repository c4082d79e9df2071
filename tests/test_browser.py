"""The built site in a real browser and validator: Debian's Chromium (driven by Playwright),
axe-core and the Nu HTML Checker.

- Hostile content (tests/fixtures/hostile/content) runs no script and loads nothing from
  another host. Its payloads, by contract, call alert(), set document.title = 'PWNED' or
  window.__xss, or point at a host under attacker.invalid.
- axe-core: 0 violations on every page kind of the example site (desktop and phone width).
- Nu HTML Checker: 0 errors on every built page.

The tools are installed by scripts/dev (apt: chromium, default-jre-headless, nodejs/npm;
npm ci in tests/browser). Never `playwright install`: Playwright drives /usr/bin/chromium.
Without them these tests skip locally and fail under CI=true. Deselect with -m 'not browser'.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import CONTENT, FIXTURES, ROOT, make_content, seed_text

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
TOOLS = ROOT / "tests" / "browser" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
HOSTILE = FIXTURES / "hostile" / "content"
# As root, and on a machine whose network is closed: no sandbox, no GPU, no background traffic.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INSTALL = "run scripts/dev test (it installs chromium, default-jre-headless, nodejs/npm and runs npm ci in tests/browser)"
# Every page kind of the example site.
PAGE_KINDS = ["index.html", "zh/index.html", "en/index.html", "zh/2024/index.html", "en/2024/index.html",
              "zh/2024/anting-city-operations/index.html", "en/2024/anting-city-operations/index.html",
              "zh/about/index.html", "en/about/index.html",
              "zh/2025/index.html", "en/2025/index.html", "zh/2025/overview/index.html", "en/2024/overview/index.html",
              "zh/history/putuo-government-office/index.html", "en/history/anting-city-operations/index.html",
              "zh/search/index.html", "en/search/index.html", "zh/data/index.html", "en/data/index.html"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def missing(what: str) -> None:
    """A missing tool fails under CI (it must never silently skip there) and skips locally."""
    message = f"{what} is missing: {INSTALL}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def test_a_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="scripts/dev test"):
        missing("Chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        missing("Chromium")


def build_html(content: Path, tmp: Path) -> Path:
    """Build `content` into tmp/output with the project's settings, HTML only (no PDF)."""
    out = tmp / "output"
    # Pelican keeps only the last -e option: every setting goes into one.
    args = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"), "-o", str(out), "-q",
            "-e", "BUDGET_PDF=false", f'BUDGET_CACHE="{tmp / "cache"}"']
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(out.rglob("*.pdf")), "BUDGET_PDF=false did not reach the build"
    return out


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


@contextmanager
def serve(root: Path):
    """Serve `root` on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    return build_html(CONTENT, tmp_path_factory.mktemp("browser-site"))


@pytest.fixture(scope="module")
def two_key_projects_site(tmp_path_factory) -> Path:
    """The seed with a second key project (section 七 then has a heading per project)."""
    tmp = tmp_path_factory.mktemp("two-key-projects")
    seed = seed_text()
    start = seed.index("    key:", seed.index("  - id: lianqin"))
    key = seed[start:seed.index("    form:", start)]
    at = seed.index("    form:", seed.index("  - id: yingji"))
    content = make_content(tmp, {"2024/anting-city-operations.yaml": seed[:at] + key + seed[at:]})
    site = build_html(content, tmp)
    assert site.joinpath("zh/2024/anting-city-operations/index.html").read_text(encoding="utf-8").count(
        'class="key-project"') == 2
    return site


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        missing(f"Chromium ({CHROMIUM}, Debian package chromium)")
    with sync_playwright() as p:
        # launch() starts Chromium with a fresh, empty user-data-dir of its own
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


# ---------------------------------------------------------------- no script runs, nothing loads

# Records every value ever given to document.title (a payload could set it back).
RECORD_TITLES = """
(() => {
  const d = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
  window.__titles = [];
  Object.defineProperty(Document.prototype, 'title', {
    configurable: true, get() { return d.get.call(this); },
    set(v) { window.__titles.push(String(v)); d.set.call(this, v); } });
})();
"""
# What a click, a hover or a focus would run: event-handler attributes and javascript: URLs.
DORMANT_SCRIPTS = """
() => {
  const found = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background'];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(`<${el.localName} ${a.name}="${a.value}">`);
      else if (urlAttrs.includes(name) && (value.startsWith('javascript:') || value.startsWith('vbscript:')))
        found.push(`<${el.localName} ${a.name}="${a.value}">`);
    }
  }
  return found;
}
"""


LOCAL_404 = "Failed to load resource: the server responded with a status of 404"


def audit(browser, site: Path, pages: list[str]) -> list[str]:
    """Open every page of `site` in Chromium; every sign of a payload that ran or loaded."""
    problems: list[str] = []
    with serve(site) as base:
        local = urlsplit(base).netloc
        context = browser.new_context()
        context.add_init_script(RECORD_TITLES)
        current = {"page": ""}

        def route(r):
            url = r.request.url
            if urlsplit(url).netloc == local or url.startswith(("data:", "blob:", "about:")):
                r.continue_()
            else:
                problems.append(f"{current['page']}: request to another host: {url}")
                r.abort()

        def on_request(request):  # also what routing does not see (service workers, sockets …)
            url = request.url
            if not (urlsplit(url).netloc == local or url.startswith(("data:", "blob:", "about:"))):
                problems.append(f"{current['page']}: request to another host: {url}")

        context.route("**/*", route)
        context.on("request", on_request)
        page = context.new_page()
        page.on("dialog", lambda d: (problems.append(f"{current['page']}: a {d.type} dialog opened: {d.message!r}"),
                                     d.dismiss()))
        # A relative image the content names but the site lacks is a local 404: harmless, and
        # requests to other hosts are recorded above, so only other console errors count.
        page.on("console", lambda m: m.type == "error" and not m.text.startswith(LOCAL_404) and problems.append(
            f"{current['page']}: console error: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"{current['page']}: script error: {e}"))
        page.on("websocket", lambda w: problems.append(f"{current['page']}: websocket to {w.url}"))
        for rel in pages:
            current["page"] = rel
            page.goto(base + rel, wait_until="load")
            page.wait_for_timeout(300)  # timers and late error handlers
            for frame in page.frames:
                try:
                    state = frame.evaluate("() => [document.title, window.__titles || [], typeof window.__xss]")
                except Exception:  # a frame from elsewhere (blocked) or gone
                    continue
                title, titles, xss = state
                where = rel if frame is page.main_frame else f"{rel} (frame {frame.url})"
                if title == "PWNED" or "PWNED" in titles:
                    problems.append(f"{where}: a payload set document.title to 'PWNED'")
                if xss != "undefined":
                    problems.append(f"{where}: a payload set window.__xss")
                for found in frame.evaluate(DORMANT_SCRIPTS):
                    problems.append(f"{where}: script that runs on interaction: {found}")
        context.close()
    return list(dict.fromkeys(problems))  # routing and the request event both see a request


# Each kind of payload the audit must notice, on a page of its own (no sanitiser involved).
PAYLOADS = {
    "script.html": "<script>alert(1)</script>",
    "title.html": "<img src=x onerror=\"document.title='PWNED'\">",
    "xss.html": "<svg onload=\"window.__xss=1\"></svg>",
    "remote-img.html": "<img src=\"http://img.attacker.invalid/p.png\" alt=\"\">",
    "remote-css.html": "<link rel=\"stylesheet\" href=\"https://css.attacker.invalid/s.css\">",
    "css-url.html": "<p style=\"background:url(//bg.attacker.invalid/x.png)\">text</p>",
    "js-link.html": "<a href=\"javascript:alert(1)\">link</a>",
    "handler.html": "<p onmouseover=\"window.__xss=1\">hover</p>",
    "iframe.html": "<iframe srcdoc=\"&lt;script&gt;parent.__xss=1;window.__xss=1&lt;/script&gt;\"></iframe>",
}


def test_audit_notices_every_kind_of_payload(browser, tmp_path):
    """The audit itself: on pages carrying one payload each, every one is reported."""
    for name, payload in PAYLOADS.items():
        (tmp_path / name).write_text(f"<!doctype html><html lang=en><title>t</title><p>{payload}</p>", encoding="utf-8")
    (tmp_path / "clean.html").write_text("<!doctype html><html lang=en><title>t</title><p>clean</p>", encoding="utf-8")
    problems = audit(browser, tmp_path, sorted(PAYLOADS) + ["clean.html"])
    for name in PAYLOADS:
        assert any(p.startswith(name) for p in problems), (name, problems)
    assert not [p for p in problems if p.startswith("clean.html")], problems


def test_hostile_content_runs_no_script_and_loads_nothing_remote(browser, tmp_path):
    if not (HOSTILE / "budgets").is_dir():
        pytest.skip(f"the hostile fixture {HOSTILE.relative_to(ROOT)} is not in this tree yet")
    site = build_html(HOSTILE, tmp_path)
    pages = html_pages(site)
    assert any(p.count("/") == 3 for p in pages), f"no department page was built: {pages}"
    assert {"zh/about/index.html", "en/about/index.html"} <= set(pages), pages
    problems = audit(browser, site, pages)
    assert not problems, "\n".join(problems)


def test_example_site_is_quiet_in_the_browser(browser, example_site):
    """The example site itself: no console error, no remote request (so the hostile test's
    failures are the payloads', not the theme's)."""
    assert set(PAGE_KINDS) <= set(html_pages(example_site)), html_pages(example_site)
    problems = audit(browser, example_site, html_pages(example_site))
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- axe-core


def axe_violations(browser, site: Path, pages: list[str], viewport: dict) -> list[str]:
    if not AXE.exists():
        missing(f"axe-core ({AXE.relative_to(ROOT)})")
    found = []
    with serve(site) as base:
        page = browser.new_page(viewport=viewport, bypass_csp=True)  # axe is injected as an inline script
        for rel in pages:
            page.goto(base + rel, wait_until="load")
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => (await axe.run(document)).violations.map(v => ({id: v.id, "
                                   "impact: v.impact, help: v.help, nodes: v.nodes.map(n => "
                                   "n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' '))}))")
            for v in result:
                nodes = "\n      ".join(v["nodes"][:10])
                found.append(f"{rel}: {v['id']} ({v['impact']}) {v['help']}: {len(v['nodes'])} node(s)\n      {nodes}")
        page.close()
    return found


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_no_violation_on_any_page_kind(browser, example_site, viewport):
    assert set(PAGE_KINDS) <= set(html_pages(example_site)), html_pages(example_site)
    violations = axe_violations(browser, example_site, PAGE_KINDS, VIEWPORTS[viewport])
    assert not violations, "\n".join(violations)


def test_axe_reports_a_broken_page(browser, tmp_path):
    """axe really runs: a heading skip and an image without text are reported."""
    (tmp_path / "broken.html").write_text(
        "<!doctype html><html lang=en><title>t</title><main><h1>a</h1><h2>b</h2><h4>c</h4>"
        "<img src=data:image/gif;base64,R0lGODlhAQABAAAAACw=></main>", encoding="utf-8")
    violations = axe_violations(browser, tmp_path, ["broken.html"], VIEWPORTS["desktop"])
    assert any(": heading-order " in v for v in violations), violations
    assert any(": image-alt " in v for v in violations), violations


# ---------------------------------------------------------------- Nu HTML Checker


def test_nu_html_checker_finds_no_error(example_site, two_key_projects_site, tmp_path):
    """Every built page, a department page with two key projects, and the stylesheets the pages
    use (pdf.css is in WeasyPrint's dialect)."""
    if shutil.which("java") is None:
        missing("Java (Debian package default-jre-headless)")
    if not VNU.exists():
        missing(f"the Nu HTML Checker ({VNU.relative_to(ROOT)})")
    pages = html_pages(example_site)
    assert set(pages) >= set(PAGE_KINDS), pages
    files = [example_site / f for f in pages + ["theme/css/site.css", "theme/css/print.css"]]
    files += [two_key_projects_site / f"{lang}/2024/anting-city-operations/index.html" for lang in ("zh", "en")]
    # a page and a stylesheet with known errors in the same run (one JVM start), so a checker
    # that checks nothing fails
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "broken.html").write_text("<!doctype html><html lang=en><title>t</title><table><col><col><tr><td>x</table>"
                                        "<h2>a</h2><h4>b</h4>", encoding="utf-8")
    (broken / "broken.css").write_text("p { colr: red; }", encoding="utf-8")
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--also-check-css", "--format", "json",
                             *map(str, broken.iterdir()), *map(str, files)], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr or result.stdout)
    errors: dict[str, list[str]] = {}
    for m in report["messages"]:
        path = Path(urlsplit(m.get("url", "")).path)
        name = next((f"{path.relative_to(base)}" + (" (two key projects)" if base == two_key_projects_site else "")
                     for base in (example_site, two_key_projects_site) if path.is_relative_to(base)), path.name)
        errors.setdefault(name, []).append(f"line {m.get('lastLine')}: {m['type']}: {m['message']}")
    assert errors.pop("broken.html", None) and errors.pop("broken.css", None), f"the checker missed known errors: {report}"
    assert not errors, "\n".join(f"{page}:\n  " + "\n  ".join(ms) for page, ms in errors.items())
