"""The one allow-list sanitiser for everything authored in Markdown that becomes HTML.

`clean(html)` keeps what Markdown ('extra', 'sane_lists') legitimately produces and drops
the rest: scripts, event handlers, styles, frames, forms, SVG/MathML, `javascript:`/`data:`
links and any image that is not on this site. `removed(html)` names what `clean` drops, so
`invoke check` can tell the clerk their text changed. `escape_name(name)` makes a name safe
to put inside generated Markdown: it shows as typed, never as Markdown or HTML.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from html.parser import HTMLParser

import markdown
import nh3

from generator.core.diagnostics import Issue, Location, issue
from generator.core.labels import Label

_MARKDOWN = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


@functools.lru_cache(maxsize=4096)
def markdown_html(text: str) -> str:
    """Authored Markdown as HTML, not yet sanitised (each distinct text converted once)."""
    return _MARKDOWN.reset().convert(text)


TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "kbd", "samp",
    "ul", "ol", "li", "dl", "dt", "dd", "em", "strong", "b", "i", "s", "del", "ins", "sub", "sup", "small",
    "mark", "q", "abbr", "a", "img", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "div", "span",
}
# Removed with everything inside them, not only the tags.
DROPPED_WITH_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "embed", "form", "template",
                        "noscript", "textarea", "select", "frameset", "frame", "noembed", "noframes", "xmp"}
_VOID = {"embed", "frame"}  # no end tag: nothing inside to drop
ATTRIBUTES = {
    "a": {"href", "title", "id"}, "img": {"src", "alt", "title"}, "abbr": {"title"}, "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}, "li": {"id"}, "sup": {"id"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
# Classes Markdown writes (footnotes, table alignment); any other class is dropped silently.
CLASSES = {"a": {"footnote-ref", "footnote-backref"}, "div": {"footnote"},
           "th": {"align-left", "align-right", "align-center"}, "td": {"align-left", "align-right", "align-center"}}
LINK_SCHEMES = {"http", "https", "mailto"}

# Markdown's table extension aligns cells with a style attribute; the CSP forbids those.
_ALIGN = re.compile(r'<(th|td) style="text-align: (left|right|center);">')
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def _url(value: str) -> str:
    """A URL as a browser reads it: outer spaces and controls, and every tab or newline, dropped."""
    return _TAB_OR_NEWLINE.sub("", value.strip(_C0_AND_SPACE))


def _remote_image(src: str) -> bool:
    """An image src that is not a path on this site: any scheme, or `//host` (`\\` counts as `/`)."""
    url = _url(src)
    return bool(_SCHEME.match(url)) or url[:2].replace("\\", "/") == "//"


def _link_scheme(href: str) -> str | None:
    """The scheme of a link that may not be published, or None if the link is fine."""
    m = _SCHEME.match(_url(href))
    scheme = m[1].lower() if m else None
    return None if scheme is None or scheme in LINK_SCHEMES else scheme


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and _remote_image(value):
        return None
    return value


# An <a> tag as nh3 writes it: every attribute value in double quotes, `"` escaped.
_LINK = re.compile(r'<a(?:\s+[^\s=>"]+(?:="[^"]*")?)*\s*>')
_HREF = re.compile(r'\shref="([^"]*)"')
_EXTERNAL = re.compile(r"^(?:https?:|//)", re.I)


def _external(m: re.Match[str]) -> str:
    """External links open without telling the other site where the reader came from."""
    href = _HREF.search(m[0])
    return m[0][:-1] + ' rel="noopener noreferrer">' if href and _EXTERNAL.match(_url(href[1])) else m[0]


def clean(html: str) -> str:
    """`html` with only the allow-listed elements, attributes and URLs left."""
    html = _ALIGN.sub(r'<\1 class="align-\2">', html)
    out = nh3.clean(html, tags=TAGS, clean_content_tags=DROPPED_WITH_CONTENT, attributes=ATTRIBUTES,
                    allowed_classes=CLASSES, attribute_filter=_filter, url_schemes=LINK_SCHEMES, link_rel=None,
                    strip_comments=True)
    return _LINK.sub(_external, out)


class _Removals(HTMLParser):
    """What `clean` drops from a piece of HTML, as (what, tag, pattern): a bilingual description,
    the tag as written (authored HTML reaches the HTML unchanged) and a pattern for the construct
    itself, to say where in the author's source it is."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[Label, str, str]] = []
        self._dropping = 0  # inside an element removed with its content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=True)

    def _add(self, what: Label, pattern: str) -> None:
        self.found.append((what, self.get_starttag_text() or "", pattern))

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self._dropping:
            self._dropping += self._opens_dropped(tag, closed)
            return
        if tag not in TAGS:
            self._add(Label(f"<{tag}> 元素", f"<{tag}> element"), rf"<\s*{re.escape(tag)}(?![\w-])")
            self._dropping += self._opens_dropped(tag, closed)
            return
        for name, value in attrs:
            value = value or ""
            if name == "class" or (tag == "a" and name == "rel"):
                continue  # unknown classes and rel are dropped silently: they cannot do harm
            if name not in ATTRIBUTES.get(tag, ()):
                self._add(Label(f"{name} 属性", f"{name} attribute"), rf"(?<![\w-]){re.escape(name)}\s*=")
            elif name == "href" and (scheme := _link_scheme(value)):
                self._add(Label(f"{scheme}: 链接", f"{scheme}: link"), rf"{re.escape(scheme)}\s*:")
            elif tag == "img" and name == "src" and _remote_image(value):
                shown = value if len(value) <= 60 else value[:60] + "…"
                self._add(Label(f"外部图片 {shown}", f"remote image {shown}"), re.escape(value))

    @staticmethod
    def _opens_dropped(tag: str, closed: bool) -> bool:
        return tag in DROPPED_WITH_CONTENT and tag not in _VOID and not closed

    def handle_endtag(self, tag: str) -> None:
        if self._dropping and tag in DROPPED_WITH_CONTENT and tag not in _VOID:
            self._dropping -= 1

    def handle_comment(self, data: str) -> None:
        if not self._dropping:
            self.found.append((Label("HTML 注释", "HTML comment"), "", "<!--"))


def removed(html: str) -> list[tuple[Label, str, str]]:
    """[(what, tag, pattern)] for everything `clean(html)` removes, in order."""
    parser = _Removals()
    parser.feed(_ALIGN.sub(r'<\1 class="align-\2">', html))
    parser.close()
    return parser.found


def locate(source: str, found: list[tuple[Label, str, str]]) -> list[tuple[Label, int | None]]:
    """Each removal with its offset in `source` (None: not found): the construct inside the tag
    as written if the author wrote the tag, else the next match of the construct itself."""
    out: list[tuple[Label, int | None]] = []
    cursor: dict[tuple[str, str], int] = {}
    for what, tag, pattern in found:
        key = (tag, pattern)
        construct = re.compile(pattern, re.I)
        at = source.find(tag, cursor.get(key, 0)) if tag else -1
        if at >= 0:
            inside = construct.search(source, at, at + len(tag))
            cursor[key] = at + 1
            out.append((what, inside.start() if inside else at))
            continue
        m = construct.search(source, cursor.get(key, 0))
        if m:
            cursor[key] = m.start() + 1
        out.append((what, m.start() if m else None))
    return out


def removal_issues(source: str, html: str, locate_offset: Callable[[int | None], Location]) -> list[Issue]:
    """W216 for everything sanitising `html` (made from `source`) removes; `locate_offset`
    turns an offset in `source` (None: not found) into a Location."""
    return [issue("W216", locate_offset(at), what=what) for what, at in locate(source, removed(html))]


def text_location(path: str, text: str, offset: int | None) -> Location:
    """file:line:col of `offset` in a whole file's `text`."""
    if offset is None:
        return Location(path)
    line = text.count("\n", 0, offset) + 1
    return Location(path, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


# Characters that Markdown, raw HTML or a {{placeholder}} would read as syntax inside a sentence
# (names are put on one line, so line-start syntax such as `#` or `1.` cannot arise).
_NAME_SPECIAL = re.compile(r"[\\`*_{}\[\]<>&|]")


def escape_name(name: str) -> str:
    """A name (department, project …) for generated Markdown: shown exactly as typed."""
    one_line = re.sub(r"\s+", " ", name)
    return _NAME_SPECIAL.sub(lambda m: f"&#{ord(m[0])};", one_line)
