"""Which figures a claim's words name: the label typed before the number.

"其他收入5370万元" must equal `income.其他收入` (or another 其他收入 figure), not merely some
figure: 5370万元 is the 财政拨款 figure. The label is looked for in the words between the
previous punctuation (or the previous claim) and the number; every label found there names
figures, and the claim must equal one of them. A percentage right after a labelled amount
("财政拨款收入5370万元，占93.96%") is that label's share. Words with no label fall back to
the any-figure check.

LABELS is the vocabulary: label words → figure-name patterns (fnmatch, over the names in
figures.py). Project, functional-class and economic-class names are added per budget.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.compute.figures import AMOUNT, PERCENT, Claim, Figure
from generator.compute.ledger import APPROPRIATIONS
from generator.core import vocab


def _source(name: str) -> tuple[str, ...]:
    """Every figure of one source of funds: the total, by class and project, and their basic and project parts."""
    return (f"*.{name}", f"*.{name}.*") + ((f"{name}.*",) if name in APPROPRIATIONS else ())


# (Chinese words, English words, amount patterns, share patterns)
LABELS: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    (("收入总计", "支出总计", "收入总额", "支出总额", "收入合计", "支出合计", "收支总计"),
     ("total revenue", "total income", "total expenditure"), ("total", "*last_year.total"), ()),
    *((s.words[0], s.words[1],
       _source(s.key) + (sum((_source(a) for a in APPROPRIATIONS), ()) if s.key == vocab.FISCAL else ()),
       (f"share.income.{s.key}",)) for s in vocab.SOURCES if s.words[0]),
    (("基本支出",), ("basic expenditure",), ("basic", "*.basic", "basic.*"), ("share.basic",)),
    (("项目支出",), ("project expenditure",), ("project", "*.project", "project.*", "performance.amount"),
     ("share.project", "performance.share")),
    (("人员经费",), ("personnel expenses", "personnel costs"), ("basic.personnel", "economic.301*", "economic.303*"), ()),
    (("公用经费",), ("public expenses",), ("basic.public",), ()),
    (("三公经费",), ("three public expenses",), ("*three_public.total",), ()),
    (("因公出国(境)费", "因公出国费"), ("overseas travel", "travel abroad"), ("*three_public.outbound",), ()),
    (("公务接待费",), ("official reception",), ("*three_public.reception",), ()),
    (("公务用车购置及运行费",), ("official vehicles",), ("*three_public.vehicle",), ()),
    (("公务用车购置费",), ("vehicle purchase",), ("*three_public.vehicle_purchase",), ()),
    (("公务用车运行费",), ("vehicle operation",), ("*three_public.vehicle_operation",), ()),
    (("机关运行经费",), ("operating costs",), ("*operating_costs",), ("change.operating_costs.pct",)),
    (("政府采购",), ("procurement",), ("procurement.*",), ()),
]

# A label's words end at punctuation: "其中：财政拨款收入5370万元，占…".
_BOUNDARY = re.compile(r"[，,；;。：:、\n！？!?]")
_IGNORED = re.compile(r"[\"'“”‘’「」『』*_]")
# What may stand between a labelled amount and its share: "，占", "(", ", or".
_SHARE_LINK = re.compile(r"^(?:占比?|占[^，,；;。]{0,12}的|\(|or|accounting for)?$", re.I)
# "人员经费增加50万元", "增加事业编人员经费50万元", "RMB 1 million more than last year": a change, not the figure.
_CHANGE = re.compile(r"增加|减少|增长|下降|上升|增幅|降幅|增减"
                     r"|(?<![a-z])(?:more|less|up|down|increase[sd]?|decrease[sd]?|rise|fall|change)(?![a-z])")
_CHANGE_AFTER = re.compile(r"\s*(?:more|less|higher|lower|up|down)\b", re.I)


def _normal(text: str) -> str:
    """Quotes, emphasis and case left out, full-width brackets as ASCII, spaces as one."""
    text = _IGNORED.sub("", text.replace("（", "(").replace("）", ")")).lower()
    return re.sub(r"\s+", " ", text)


@functools.lru_cache(maxsize=4096)  # every document's vocabulary holds LABELS and its classes' names
def _words(label: str) -> re.Pattern:
    """A label's words in normalised text; English ones as whole words (a plural too)."""
    words = _normal(label)
    head = r"(?<![a-z])" if words[:1].isascii() and words[:1].isalpha() else ""
    tail = r"s?(?![a-z])" if words[-1:].isascii() and words[-1:].isalpha() else ""
    return re.compile(head + re.escape(words) + tail)


@dataclass(frozen=True)
class Named:
    label: str  # the label words as typed
    figures: dict[str, Figure]  # the figures they name
    share: Named | None = None  # for an amount: what a percentage right after it names


class Vocabulary:
    """The label vocabulary of one budget: LABELS plus its projects' and classes' names."""

    def __init__(self, extra: Sequence[tuple[str, str, tuple[str, ...]]] = ()):
        # (the words normalised, as a pattern, amounts, shares)
        self.entries: list[tuple[str, re.Pattern, tuple[str, ...], tuple[str, ...]]] = []
        for zh, en, amounts, shares in LABELS:
            for words in zh + en:
                self.entries.append((_normal(words), _words(words), amounts, shares))
        for name_zh, name_en, amounts in extra:
            # a one-word English name ("Health") is too common a word to name a figure
            for words in (name_zh, name_en) if " " in name_en.strip() else (name_zh,):
                if len(_normal(words)) >= 3:
                    self.entries.append((_normal(words), _words(words), amounts, ()))

    @classmethod
    def of(cls, budget, catalogue, figures: dict[str, Figure]) -> Vocabulary:
        extra: list[tuple[str, str, tuple[str, ...]]] = [
            (p.name.zh, p.name.english, (f"project.{p.id}", f"project.{p.id}.*")) for p in budget.projects]
        for prefix, table in (("function", catalogue.functional), ("economic", catalogue.economic)):
            codes = {k.split(".")[1] for k in figures if k.startswith(prefix + ".")}
            extra += [(table[c].zh, table[c].en, (f"{prefix}.{c}*",)) for c in sorted(codes) if c in table]
        return cls(extra)

    def _found(self, text: str) -> list[tuple[re.Match, tuple[str, ...], tuple[str, ...]]]:
        """Every label in `text` (normalised): (where, amount patterns, share patterns)."""
        found = []
        for words, pattern, amounts, shares in self.entries:
            hit = pattern.search(text) if words in text else None  # the words first: most are not there
            if hit:
                found.append((hit, amounts, shares))
        return found

    def named(self, text: str, claims: list[Claim], i: int, figures: dict[str, Figure],
              previous: Named | None) -> Named | None:
        """The figures claim `i` of `text` must equal, by the words before it; None: no label."""
        claim = claims[i]
        start = claims[i - 1].offset + len(claims[i - 1].written) if i else 0
        before = text[start:claim.offset]
        cut = [m.end() for m in _BOUNDARY.finditer(before)]
        window = _normal(before[cut[-1]:] if cut else before)
        found = self._found(window)
        if claim.kind == PERCENT and not found and previous is not None and i and claims[i - 1].kind == AMOUNT:
            if _SHARE_LINK.match(_normal(before).strip(",， ")):
                return previous.share
        after = _BOUNDARY.split(text[claim.offset + len(claim.written):claim.offset + len(claim.written) + 30])[0]
        if claim.kind not in (AMOUNT, PERCENT) or not found or _CHANGE.search(window) or _CHANGE_AFTER.match(after):
            return None
        # the label as written: from the first label word to the last ("一般公共预算财政拨款基本支出")
        label = window[min(m.start() for m, _, _ in found):max(m.end() for m, _, _ in found)]
        amounts = [p for _, a, _ in found for p in a]
        shares = [p for _, _, s in found for p in s]
        named = _select(figures, amounts if claim.kind == AMOUNT else shares, claim.kind)
        if not named:
            return None
        share = _select(figures, shares, PERCENT) if claim.kind == AMOUNT else {}
        return Named(label, named, Named(label, share) if share else None)


def _select(figures: dict[str, Figure], patterns: list[str], kind: str) -> dict[str, Figure]:
    """The figures of `kind` with a value (a share of nothing has none) whose names match."""
    if not patterns:
        return {}
    index = _index(figures)
    key = (tuple(patterns), kind)
    if key not in index.selected:
        index.selected[key] = _patterns(key[0]).select(index.with_value.get(kind))
    return index.selected[key]


class _Kind:
    """The figures of one kind with a value, in their order, and their names as a set."""

    def __init__(self):
        self.figures: dict[str, Figure] = {}
        self.names: frozenset[str] = frozenset()
        self.order: dict[str, int] = {}


@dataclass
class _Index:
    """The figures of the document being checked, looked up once: those with a value by kind (in
    their order), and each selection by name patterns (a document's claims name the same labels)."""

    figures: dict[str, Figure]
    with_value: dict[str, _Kind]
    selected: dict[tuple[tuple[str, ...], str], dict[str, Figure]]


_INDEX: list[_Index] = []  # the figures last asked about: one document is checked at a time


def _index(figures: dict[str, Figure]) -> _Index:
    if not _INDEX or _INDEX[0].figures is not figures:
        with_value: dict[str, _Kind] = {}
        for k, f in figures.items():
            if f.value is not None:
                kind = with_value.get(f.kind) or with_value.setdefault(f.kind, _Kind())
                kind.order[k] = len(kind.order)
                kind.figures[k] = f
        for kind in with_value.values():
            kind.names = frozenset(kind.order)
        _INDEX[:] = [_Index(figures, with_value, {})]
    return _INDEX[0]


class _Glob:
    """Name patterns (`project.x.*`) as one compiled match, remembering which names match: every
    document of a district has mostly the same names (table cells, classes), and matching them one
    by one costs far more than a set intersection."""

    REMEMBERED = 100_000  # names, at most (then forgotten: a very large district)

    def __init__(self, patterns: tuple[str, ...]):
        self.match = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns)).match
        self.asked: set[str] = set()
        self.matching: set[str] = set()

    def select(self, kind: _Kind | None) -> dict[str, Figure]:
        """The figures of `kind` whose names match, in their order."""
        if kind is None:
            return {}
        new = kind.names - self.asked
        if new:
            if len(self.asked) + len(new) > self.REMEMBERED:
                self.asked, self.matching = set(), set()
                new = kind.names
            self.asked |= new
            self.matching.update(name for name in new if self.match(name))
        hits = self.matching & kind.names
        return {name: kind.figures[name] for name in sorted(hits, key=kind.order.__getitem__)}


@functools.lru_cache(maxsize=4096)
def _patterns(patterns: tuple[str, ...]) -> _Glob:
    return _Glob(patterns)
