"""The words of a published budget PDF: its metadata (year, kind, names, unit kind) and its sections.

Sections are found by the directory (目录) the document prints: each entry's title (一、部门主要职能)
is looked for as a heading line in the pages after the directory, where a district may print it
without its number or with the department's name in front (上海市…办公室主要职能, 2025年部门预算编制说明).
Without a directory, numbered heading lines (一、… 八、) cut the sections.
"""

from __future__ import annotations

import re

from generator.importer.printed import PrintedDocument, Section

NUMERALS = "一二三四五六七八九十"
HEADING = re.compile(rf"^([{NUMERALS}]+)、\s*(\S.*?)\s*$")
LEADER = re.compile(r"\s*(?:[.…·]{2,}|…+)\s*\d*\s*$")
SENTENCE = re.compile(r"[，。；：:,]")


def _flat(text: str) -> str:
    return "".join(text.split())


def metadata(doc: PrintedDocument) -> None:
    """Year, kind, names and the unit kind, from the cover, the tables' headers and the text."""
    cover = _flat(doc.pages[0].text) if doc.pages else ""
    everything = "\n".join(p.text for p in doc.pages)
    if m := re.search(r"(20\d\d)年", cover) or re.search(r"(20\d\d)年", _flat(everything[:4000])):
        doc.year = int(m.group(1))
    if "单位预算" in cover:
        doc.kind = "unit"
    elif "部门预算" in cover:
        doc.kind = "department"
    if m := re.search(r"预算(?:主管部门|单位)[:：]\s*(\S+)", doc.pages[0].text if doc.pages else ""):
        doc.supervisor = m.group(1).strip()
    if m := re.search(r"(?:编制部门|编制单位|编报单位|编报部门)[:：]\s*(\S+?)\s", everything):
        doc.name = m.group(1).strip()
    if doc.kind == "unit" and doc.supervisor:
        doc.name = doc.supervisor  # a 单位预算 names its own unit on the cover
    doc.name = doc.name or doc.supervisor
    doc.unit_kind = _unit_kind(_flat(everything))
    if m := re.search(r"[\d,.]+\s*(万元|元)", _flat(everything[:20000])):
        doc.prose_unit = "万元" if "万元" in m.group(0) else "元"


def _unit_kind(text: str) -> str | None:
    """行政 / 参公 / 事业 when the text says what kind of unit it is (one kind only)."""
    found = set()
    if re.search(r"参照公务员法管理的事业单位\s*\d+\s*家|参公(?:管理)?(?:事业)?单位\s*\d+\s*家|本单位为参(?:照|公)", text):
        found.add("参公")
    for kind in ("行政", "事业"):
        if re.search(rf"本(?:部门|单位)为{kind}单位|{kind}单位\s*[1-9]\d*\s*家", text):
            found.add(kind)
    if "参公" in found:
        found.discard("事业")
    return found.pop() if len(found) == 1 else None


def _directory(doc: PrintedDocument) -> tuple[int, list[tuple[str, str]]]:
    """(page of the directory, [(number, title)]) of the document's 目录; (0, []) without one."""
    for page in doc.pages[:4]:
        if "目录" not in _flat(page.text):
            continue
        entries = []
        for line in page.text.splitlines():
            line = LEADER.sub("", line.strip())
            if m := HEADING.match(line):
                entries.append((m.group(1), _flat(m.group(2))))
        if entries:
            return page.number, entries
    return 0, []


def _matches(line: str, title: str) -> bool:
    """A heading line for a directory title: itself, with its number, or with a name or year in front."""
    if not line or len(line) > len(title) + 40 or SENTENCE.search(line):
        return False
    bare = HEADING.sub(r"\2", line)
    if bare == title:
        return True
    core = re.sub(r"^(?:部门|单位)", "", title)
    return len(core) >= 4 and bare.endswith(core)


def sections(doc: PrintedDocument) -> list[Section]:
    """The sections 一、二、… with their text and the page of their heading."""
    toc_page, entries = _directory(doc)
    lines = [(p.number, _flat(line), line) for p in doc.pages if p.number > toc_page for line in p.text.splitlines()]
    starts: list[tuple[int, str, str]] = []  # (index into lines, number, title)
    if entries:
        at = 0
        for number, title in entries:
            hit = next((i for i in range(at, len(lines)) if _matches(lines[i][1], title)), None)
            if hit is not None:
                starts.append((hit, number, title))
                at = hit + 1
    else:
        for i, (_, flat, _) in enumerate(lines):
            if (m := HEADING.match(flat)) and len(flat) <= 30 and not SENTENCE.search(flat):
                starts.append((i, m.group(1), m.group(2)))
    out = []
    for k, (i, number, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        text = "\n".join(raw for _, _, raw in lines[i + 1:end])
        out.append(Section(number, title, text, lines[i][0]))
    pages = [p for t in doc.tables.values() for p in t.pages]
    found = {s.number for s in out}
    for number, title in entries:  # 五、部门预算表 has no heading of its own in some districts: the tables are the section
        if number not in found and "预算表" in title and pages:
            out.append(Section(number, title, "", min(pages)))
    order = [n for n, _ in entries]
    return sorted(out, key=lambda s: order.index(s.number) if s.number in order else len(order))
