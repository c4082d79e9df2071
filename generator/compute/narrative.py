"""The bound narrative: sections 四, 六 and 七's budget paragraph, generated in every language.

Generated paragraphs are Markdown with `{{figure}}` placeholders, exactly like authored
prose, so both go through the same expansion and the same claim checks. Only reasons and
descriptions are authored; every figure and every 增加/减少/持平 comes from the data.
A paragraph authored under `narrative:` replaces the generated one.

The words are data: one phrasebook per language (generator/phrasebook.py, generator/locale/
<lang>.yaml); this module only decides which phrase a sentence takes and what fills its slots.
"""

from __future__ import annotations

from decimal import Decimal

from generator.catalogue import Catalogue
from generator.compute.figures import Figure
from generator.compute.ledger import APPROPRIATIONS, Ledger, project_lines, project_sources
from generator.compute.phrasebook import Phrasebook, phrasebooks
from generator.core import vocab
from generator.core.labels import Label, cn_number
from generator.core.money import ZERO
from generator.core.pending import label_of
from generator.core.sanitise import escape_name
from generator.load.documents import Document as Budget
from generator.load.model import Text

L = Label
OPTIONAL_INCOME = {"上级补助收入"}  # besides the registry's when-used sources, mentioned only when there is some
THREE_PUBLIC = ["outbound", "reception", "vehicle"]
ASSETS = ["vehicles", "general_equipment", "special_equipment"]


def _strip_end(text: str) -> str:
    return text.strip().rstrip("。.；;，,")


def _direction(change: Decimal) -> str:
    return "up" if change > 0 else "down" if change < 0 else "flat"


def _in(text, lang: str) -> str:
    """An authored or catalogue text (zh/en) in `lang`; a language the data lacks reads the English."""
    return getattr(text, lang, None) or getattr(text, "english", None) or text.en


class Sentences:
    """The narrative in one language: each method returns Markdown."""

    def __init__(self, pb: Phrasebook, budget: Budget, ledger: Ledger, figures: dict[str, Figure], catalogue: Catalogue):
        kind = budget.kind  # 部门预算 or 单位预算: "${doc}收入总额", "本${org}"
        self.p = pb.with_defaults(doc=pb.data.get("documents", {}).get(kind, ""), org=pb.data.get("organisations", {}).get(kind, ""))
        self.lang = pb.lang
        self.b, self.ledger, self.f, self.cat = budget, ledger, figures, catalogue
        self.year = budget.year
        name = escape_name(_in(budget.name, self.lang))  # names are text, not Markdown
        article = pb.text("article")
        # English institution names take the article inside a sentence: "the … Centre".
        self.dept = name if not article or _in(budget.name, self.lang).lower().startswith(article.lower()) \
            else article + name

    # ---- helpers
    def value(self, key: str) -> Decimal:
        return self.f[key].value

    def say(self, phrase: str, **slots) -> str:
        return self.p(phrase, year=self.year, dept=self.dept, **slots)

    def with_reason(self, text: str, reason: Text | None) -> str:
        return text if reason is None else self.p("reason", text=text, reason=_strip_end(_in(reason, self.lang)))

    def compare(self, key: str) -> str:
        """'比2023年预算增加{{change.key}}' / '与2023年预算持平' for `key` against `last_year.key`."""
        d = _direction(self.value(key) - self.value(f"last_year.{key}"))
        return self.p(f"compare.{d}", prev=self.year - 1, key=key)

    def economic_names(self, codes: list[str]) -> str:
        """'办公费、水费' / 'office expenses and water bills'."""
        return self.p.join([escape_name(_in(self.cat.economic[c], self.lang)) for c in codes], names=True)

    def source_name(self, group: str, source: str) -> str:
        """A source's name in this phrasebook's table, or (a source the phrasebook does not know,
        registered later) the registry's name in this language."""
        names = self.p.text(group)
        if source in names:
            return names[source]
        name = vocab.source(source).label(self.lang)
        return name[:1].lower() + name[1:] if self.p.data["list"].get("lower_first") else name

    def function_name(self, code: str) -> str:
        return escape_name(_in(self.cat.functional[code], self.lang))

    # ---- section 四
    def income(self) -> str:
        parts = [self.p("income.first")]
        for entry in vocab.other_sources():  # after 财政拨款, in the registry's order
            source = entry.key
            if (source in OPTIONAL_INCOME or entry.when_used) and not self.value(f"income.{source}"):
                continue
            parts.append(self.p("income.part", name=self.source_name("income.names", source), source=source))
        return self.p("income.text", head=self.say("income.head"), body=self.p.text("income.sep").join(parts),
                      change=self.change_sentence("revenue", self.b.reasons.income))

    def change_sentence(self, word: str, reason: Text | None) -> str:
        d = _direction(self.value("total") - self.value("last_year.total"))
        text = self.p(f"change.{d}", word=self.p.name("change.words", word))
        return self.p("sentence_end", text=self.with_reason(text, reason))

    def expenditure(self) -> str:
        # every kind, zero ones included, as the standard paragraph prints them
        kinds = [self.p("expenditure.kind", key=k.key, name=self.kind_name(k)) for k in vocab.EXPENDITURE_KINDS]
        return self.say("expenditure.head", kinds=self.p.text("expenditure.sep").join(kinds)) \
            + self.change_sentence("expenditure", self.b.reasons.expenditure)

    def kind_name(self, kind) -> str:
        name = kind.label(self.lang)
        return name[:1].lower() + name[1:] if self.p.data["list"].get("lower_first") else name

    def by_function(self, source: str) -> str:
        name = self.source_name("function.names", source)
        lines = [line for line in self.ledger.lines if line.source == source]
        if not lines:
            return self.say("function.none", name=name)
        items = []
        for n, kuan in enumerate(sorted({line.function[:5] for line in lines}), start=1):
            details = [self.p("function.xiang", name=self.function_name(xiang), xiang=xiang, source=source,
                              purpose=self.purpose(xiang, source))
                       for xiang in sorted({line.function for line in lines if line.function.startswith(kuan)})]
            items.append(self.p("function.kuan", n=n, lei=self.function_name(kuan[:3]), kuan=self.function_name(kuan),
                                code=kuan, source=source, details=self.p.text("function.sep").join(details)))
        return self.say("function.head", name=name, source=source) + "\n\n" + "\n".join(items)

    def purpose(self, xiang: str, source: str) -> str:
        """'，主要用于：…' of one 项: the basic part's purpose and the projects it funds."""
        basic = self.value(f"function.{xiang}.{source}.basic")
        project = self.value(f"function.{xiang}.{source}.project")
        authored = self.b.purposes.function.get(xiang)
        if authored is not None:
            basic_use = _strip_end(_in(authored, self.lang))
        else:
            codes = sorted({line.economic for line in self.ledger.lines
                            if line.is_basic and line.function == xiang and line.source == source})
            basic_use = self.economic_names(codes)
        here = {p.id: sum((a for f, s, a in project_lines(p) if f == xiang and s == source), ZERO) for p in self.b.projects}
        projects = sorted((p for p in self.b.projects if here[p.id]), key=lambda p: -here[p.id])
        names = [self.p("purpose.part", name=escape_name(_in(p.name, self.lang))) if len(project_lines(p)) > 1
                 else escape_name(_in(p.name, self.lang)) for p in projects]
        project_use = self.p.text("purpose.projects_sep").join(names)
        slots = dict(basic=basic_use, projects=project_use, xiang=xiang, source=source)
        if basic and project:
            return self.p("purpose.both", **slots)
        if project:
            return self.p("purpose.projects", **slots)
        if authored is not None:
            return self.p("purpose.basic", **slots)
        return ""

    def function_list(self, last_year: bool = False) -> str:
        """'财政拨款支出主要内容如下：' and one numbered item per 项 with 财政拨款 money, in code order:
        '1. “类-款-项”科目{{function.<code>.财政拨款}}[，比上年增加…]，主要用于…。'. `last_year`: each item
        compared with last year's amount of the 项, when last year's figures have one."""
        lines = [line for line in self.ledger.lines if line.source in APPROPRIATIONS]
        codes = sorted({line.function for line in lines})
        if not codes:
            return self.say("function_list.none")
        sep = self.p.text("function_list.name_sep")
        items = []
        for n, code in enumerate(codes, start=1):
            change = ""
            if last_year and f"last_year.function.{code}" in self.f:
                # the same figures change.function.<code> is computed from (all sources of the 项)
                d = _direction(self.value(f"function.{code}") - self.value(f"last_year.function.{code}"))
                change = self.p(f"function_list.compare.{d}", code=code)
            use = self.function_use(code, lines)
            items.append(self.p("function_list.item", n=n, code=code, change=change,
                                names=sep.join(self.function_name(c) for c in (code[:3], code[:5], code)),
                                purpose=self.p("function_list.purpose", use=use) if use else ""))
        return self.p("function_list.head") + "\n\n" + "\n".join(items)

    def function_use(self, code: str, lines: list) -> str:
        """What a 项's 财政拨款 money is for: the authored `purposes.function[code]`, else the economic
        names of its basic lines and the names of its projects (largest first)."""
        authored = self.b.purposes.function.get(code)
        if authored is not None:
            return _strip_end(_in(authored, self.lang))
        basic = self.economic_names(sorted({line.economic for line in lines if line.is_basic and line.function == code}))
        here = {p.id: sum((a for f, s, a in project_lines(p) if f == code and s in APPROPRIATIONS), ZERO)
                for p in self.b.projects}
        projects = sorted((p for p in self.b.projects if here[p.id]), key=lambda p: -here[p.id])
        names = self.p.join([escape_name(_in(p.name, self.lang)) for p in projects])
        use = "both" if basic and names else "basic" if basic else "projects" if names else None
        return self.p(f"function_list.use.{use}", basic=basic, projects=names) if use else ""

    def basic(self) -> str:
        lines = [line for line in self.ledger.lines if line.is_basic and line.source == "一般公共预算"]
        if not lines:
            return self.say("basic.none")
        items = []
        for n, lei in enumerate(sorted({line.economic[:3] for line in lines}), start=1):
            authored = self.b.purposes.economic.get(lei)
            if authored is not None:
                use = _strip_end(_in(authored, self.lang))
            else:
                use = self.economic_names(sorted({line.economic for line in lines if line.economic.startswith(lei)}))
            items.append(self.p("basic.item", n=n, name=escape_name(_in(self.cat.economic[lei], self.lang)), lei=lei, use=use))
        return self.say("basic.head") + "\n\n" + "\n".join(items)

    # ---- section 六
    def three_public(self) -> str:
        head = self.with_reason(self.say("three_public.head", change=self.compare("three_public.total")),
                                self.b.reasons.three_public)
        items = []
        for n, key in enumerate(THREE_PUBLIC, start=1):
            item = self.p("three_public.item", n=n, cn=cn_number(n), key=key, name=self.p.name("three_public.names", key),
                          change=self.compare(f"three_public.{key}"))
            if key == "vehicle" and self.value("three_public.vehicle"):
                item += self.p("three_public.vehicle")
            items.append(item)
        return self.p("three_public.text", head=head, items="\n".join(f"- {i}" for i in items))

    def operating_costs(self) -> str:
        if self.ledger.operating_costs is None:
            return self.say("operating_costs.none")
        text = self.say("operating_costs.head")
        if "last_year.operating_costs" in self.f:
            text = self.p("clause", text=text, more=self.compare("operating_costs"))
        return self.p("sentence_end", text=self.with_reason(text, self.b.reasons.operating_costs))

    def procurement(self) -> str:
        return self.say("procurement.text" if self.b.procurement else "procurement.none")

    def performance(self) -> str:
        count = "one" if self.value("performance.count") == 1 else "many"
        return self.say("performance.text", projects=self.p.name("performance.projects", count))

    def assets(self) -> str:
        a = self.b.assets
        items = []
        for key in ASSETS:
            count = getattr(a, key)
            items.append(self.p(f"assets.{key}.{'none' if not count else 'one' if count == 1 else 'many'}", n=count))
        text = self.say("assets.text", items=self.p.join(items))
        return text if a.note is None else f"{text}\n\n{_in(a.note, self.lang)}"

    # ---- section 七
    def key_project_budget(self, project_id: str) -> str:
        p = self.ledger.project(project_id)
        parts = [self.p("key_project.part", name=self.source_name("key_project.sources", s), id=p.id, source=s)
                 for s in project_sources(p)]
        return self.p("key_project.text", project=escape_name(_in(p.name, self.lang)), id=p.id,
                      sources=self.p.text("key_project.sep").join(parts))


class NarrativeWriter:
    """The narrative in every language with a phrasebook, each paragraph a Label."""

    def __init__(self, budget: Budget, ledger: Ledger, figures: dict[str, Figure], catalogue: Catalogue,
                 books: dict[str, Phrasebook] | None = None, options: dict | None = None):
        """`options`: per paragraph, e.g. {"function_list": {"last_year": True}} (a profile's `narrative`)."""
        self.b = budget
        self.options = options or {}
        self.langs = {lang: Sentences(pb, budget, ledger, figures, catalogue)
                      for lang, pb in (books if books is not None else phrasebooks()).items()}

    def option(self, paragraph: str, name: str, default=None):
        return (self.options.get(paragraph) or {}).get(name, default)

    def _all(self, make) -> Label:
        return Label({lang: make(s) for lang, s in self.langs.items()})

    def key_project_budget(self, project_id: str) -> Label:
        return self._all(lambda s: s.key_project_budget(project_id))

    def paragraphs(self) -> dict[str, tuple[Label, bool]]:
        """Every paragraph of sections 四 and 六: (text, authored?). A profile publishes some of them."""
        generated = {
            "income": Sentences.income,
            "expenditure": Sentences.expenditure,
            "general_public": lambda s: s.by_function("一般公共预算"),
            "function_list": lambda s: s.function_list(last_year=bool(self.option("function_list", "last_year"))),
            "basic": Sentences.basic,
            "government_fund": lambda s: s.by_function("政府性基金"),
            "state_capital": lambda s: s.by_function("国有资本经营"),
            "three_public": Sentences.three_public,
            "operating_costs": Sentences.operating_costs,
            "procurement": Sentences.procurement,
            "performance": Sentences.performance,
            "assets": Sentences.assets,
        }
        out = {}
        for key, make in generated.items():
            authored = self.b.narrative.get(key)
            out[key] = (label_of(authored), True) if authored is not None else (self._all(make), False)
        return out
