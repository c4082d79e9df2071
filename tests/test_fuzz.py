"""Property: whatever a clerk's editor makes of the budget file, loading it never raises, and
every error names the file and a line.

The seed budget is mutated (keys deleted, duplicated, renamed; values of the wrong type,
huge, negative, float, exotic numbers, unicode; YAML tags, anchors and aliases, truncation,
tabs, BOMs, control characters …) and loaded with generator.pipeline.load_content.
Under CI=true the "ci" profile runs 500 examples, derandomised (the same every run);
locally the "dev" profile runs 60 random ones (HYPOTHESIS_PROFILE=ci for the full run).
"""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import make_content, seed_text
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from generator.core.diagnostics import ERROR
from generator.pipeline import load_content

settings.register_profile("ci", max_examples=500, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", max_examples=60, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = "ci" if os.environ.get("CI") == "true" else os.environ.get("HYPOTHESIS_PROFILE", "dev")

SEED = seed_text()
DATA = yaml.load(SEED, Loader=yaml.CSafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 10x faster
FILE = "budgets/2024/fuzzed.yaml"


def paths(obj, here=()):
    """Every key and list index of the seed, as a path."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield here + (k,)
            yield from paths(v, here + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield here + (i,)
            yield from paths(v, here + (i,))


def leaf(path):
    node = DATA
    for step in path:
        node = node[step]
    return node


PATHS = list(paths(DATA))
NUMBER_PATHS = [p for p in PATHS if isinstance(leaf(p), (int, float)) and not isinstance(leaf(p), bool)]
TEXT_PATHS = [p for p in PATHS if isinstance(leaf(p), str)]

EXOTIC = ["1e400", "-0", "0x1F", "0o17", "1_000", ".inf", "-.inf", ".nan", "2024.0", "+2024", "02024", "２０２４",
          "٢٠٢٤", "372,900", "3.14159265358979323846264338327950288", "-372900", "1e-400", "NaN", "∞", "",
          "~", "yes", "no", "on", "null", "2024-02-30", "2024-13-01", "0", "99999999999999999999999999999999",
          "<script>alert(1)</script>", "{{total}}", "{{", "}}", "{{project.nope}}", "\u200b", "\ufeff", "🙂",
          "\u202e", "a\u0000b", "…", "万元", "12.345", "1.", ".5", "0.001"]
VALUES = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(EXOTIC),
    st.text(max_size=30),
    st.lists(st.integers(min_value=-5, max_value=10**9), max_size=3),
    st.dictionaries(st.sampled_from(["zh", "en", "amount", "x", "1"]), st.sampled_from(EXOTIC), max_size=3),
)
# Values that pass the format, to reach the computation, the checks and the narrative.
NUMBERS = st.one_of(st.integers(min_value=-(10**16), max_value=10**16), st.sampled_from([0, 1, 10**15, -1]),
                    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False).map(str),
                    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False).map(str))
PROSE = st.lists(st.one_of(st.text(max_size=12), st.sampled_from([
    "{{total}}", "{{income.财政拨款}}", "{{project.lianqin}}", "{{share.basic}}", "{{literal: 5%}}", "{{nope}}",
    "收入总计5370万元", "其他收入5370万元", "增加10%", "减少", "五千七百一十五万元", "3个项目", "……", "XX", "待填写",
    "**bold**", "[link](http://attacker.invalid/)", "<b>b</b>", "\n\n- item\n", "| a | b |", "100%", "1,234.56万元"])),
    max_size=5).map("".join)
KEYS = st.one_of(st.sampled_from(["zh", "en", "amount", "ammount", "year", "id", "function", "economic", "<<", "1",
                                  "名称", "", " ", "Year", "slug"]), st.text(min_size=1, max_size=10))


# ---- mutations of the data (then written back as YAML)

def _parent(data, path):
    node = data
    for step in path[:-1]:
        node = node[step]
    return node


def delete(data, path):
    parent = _parent(data, path)
    del parent[path[-1]]


def replace(data, path, value):
    _parent(data, path)[path[-1]] = value


def rename(data, path, key):
    parent = _parent(data, path)
    if isinstance(parent, dict):
        parent[key] = parent.pop(path[-1])


def repeat(data, path):
    parent = _parent(data, path)
    if isinstance(parent, list):
        parent.insert(path[-1], parent[path[-1]])


DATA_MUTATION = st.one_of(
    st.tuples(st.just(delete), st.sampled_from(PATHS)),
    st.tuples(st.just(replace), st.sampled_from(PATHS), VALUES),
    st.tuples(st.just(rename), st.sampled_from(PATHS), KEYS),
    st.tuples(st.just(repeat), st.sampled_from(PATHS)),
    st.tuples(st.just(replace), st.sampled_from(NUMBER_PATHS), NUMBERS),
    st.tuples(st.just(replace), st.sampled_from(TEXT_PATHS), PROSE),
)


# ---- mutations of the text

def at(text: str, where: int) -> int:
    return where % (len(text) + 1)


def line_start(text: str, where: int) -> int:
    return text.rfind("\n", 0, at(text, where)) + 1


def truncate(text, where):
    return text[:at(text, where)]


def insert(text, where, snippet):
    i = at(text, where)
    return text[:i] + snippet + text[i:]


def insert_line(text, where, snippet):
    i = line_start(text, where)
    return text[:i] + snippet + "\n" + text[i:]


def tab_indent(text, where):
    i = line_start(text, where)
    return text[:i] + "\t" + text[i:]


def duplicate_line(text, where):
    i = line_start(text, where)
    j = text.find("\n", i)
    j = len(text) if j < 0 else j + 1
    return text[:j] + text[i:j] + text[j:]


def bom(text):
    return "\ufeff" + text


def crlf(text):
    return text.replace("\n", "\r\n")


BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n")
SNIPPETS = ["!!python/object:os.system ", "!!python/object/apply:os.system ['echo']", "!!binary ", "!!int ", "!!float ",
            "!!str ", "!!map ", "!!seq ", "!!set ", "!!timestamp ", "!custom ", "&anchor ", "*anchor", "*nowhere ",
            "<<: *anchor", "{", "}", "[", "]", ": ", "- ", "#", "'", '"', "|", ">", "%YAML 1.1\n", "---\n", "...\n",
            "\x00", "\x07", "\x1b", "\u0085", "\u2028", "\ufeff", "\ud7ff", "\t", "  ", "\\", "? "]
TEXT_MUTATION = st.one_of(
    st.tuples(st.just(truncate), st.integers(min_value=0)),
    st.tuples(st.just(insert), st.integers(min_value=0), st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=8))),
    st.tuples(st.just(insert_line), st.integers(min_value=0),
              st.sampled_from([BOMB + "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]", "basic: *nowhere", "year: !!float 2024",
                               "year: &y 2024", "x: !!python/name:os.system", "basic: &loop [*loop]", "---",
                               "department: {slug: a, slug: b}"])),
    st.tuples(st.just(tab_indent), st.integers(min_value=0)),
    st.tuples(st.just(duplicate_line), st.integers(min_value=0)),
    st.tuples(st.just(bom)),
    st.tuples(st.just(crlf)),
)


class Mutated:
    """A mutated file; its repr is the mutations (the text is printed by note())."""

    def __init__(self, text: str, applied: list):
        self.text, self.applied = text, applied

    def __repr__(self):
        return f"Mutated(applied={self.applied!r})"


@st.composite
def mutated_budget(draw) -> Mutated:
    """The seed budget with a few mutations: its text and the mutations applied."""
    applied = []
    data_mutations = draw(st.lists(DATA_MUTATION, max_size=4))
    if data_mutations:
        data = copy.deepcopy(DATA)
        for f, *args in data_mutations:
            try:
                f(data, *args)
            except (KeyError, IndexError, TypeError):
                continue  # the path went away with an earlier mutation
            applied.append((f.__name__, *args))
        text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
    else:
        text = SEED
    for f, *args in draw(st.lists(TEXT_MUTATION, max_size=3)):
        text = f(text, *args)
        applied.append((f.__name__, *args))
    return Mutated(text, applied)


@settings(settings.get_profile(PROFILE))
@given(mutated_budget())
def test_a_mutated_budget_file_never_raises_and_every_error_has_a_place(case):
    text = case.text
    note(f"the file (first 3,000 characters):\n{text[:3000]}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "content" / FILE
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
        content = load_content(root / "content", root=root)
    event("errors: " + (" ".join(sorted({i.code for i in content.issues if i.severity == ERROR})[:3]) or "none"))
    for i in content.issues:
        i.format("zh"), i.format("en")  # every message template fills in
        if i.severity == ERROR:
            assert i.location.path == f"content/{FILE}", i.format("en")
            assert isinstance(i.location.line, int) and 1 <= i.location.line <= len(text.splitlines()) + 1, i.format("en")
    if not any(i.severity == ERROR for i in content.issues):
        assert len(content.budgets) == 1  # no error: the file was built


# ---- what the fuzz test found (each failed before its fix)

def _errors(tmp_path, text):
    content = load_content(make_content(tmp_path, {"2024/a.yaml": text}), root=tmp_path)
    return [i for i in content.issues if i.severity == ERROR]


@pytest.mark.parametrize("name", ["{{", "中心}}", "中心{{total}}"])
def test_a_placeholder_in_a_name_is_an_error_at_the_name(tmp_path, name):
    """Names are quoted in generated sentences: '{{' in one was a malformed placeholder there,
    reported without a line; '{{total}}' rendered a figure inside the name."""
    text = SEED.replace("    zh: 上海市嘉定区安亭镇城市运行管理中心\n", f"    zh: '{name}'\n", 1)
    line = text.splitlines().index(f"    zh: '{name}'") + 1
    errors = _errors(tmp_path, text)
    assert [(i.code, i.location.line) for i in errors] == [("E127", line)], [i.format("en") for i in errors]
    assert "department.name.zh" in errors[0].message("en")


@pytest.mark.parametrize("name", ["联勤队伍组建100万元", "联勤队伍组建12.5%", "0", "2", "万元"])
def test_a_number_in_a_name_is_not_a_claim_in_generated_sentences(tmp_path, name):
    """A project name is not checked for claims, so the sentences that quote it must not be
    either (they reported E303 without a line)."""
    text = SEED.replace("    zh: 联勤队伍组建\n", f"    zh: {name}\n", 1)
    assert name in text
    assert _errors(tmp_path, text) == []
    # the same amount typed in prose is still a claim
    prose = SEED.replace("  zh: 上海市嘉定区安亭镇城市运行管理中心部门预算是",
                         "  zh: 100万元。上海市嘉定区安亭镇城市运行管理中心部门预算是", 1)
    assert [i.code for i in _errors(tmp_path / "prose", prose)] == ["E303"]


@pytest.mark.parametrize("reason", ["{{", "{{nope}}", "增加100万元"])
def test_a_problem_in_a_reason_is_reported_once_at_its_line(tmp_path, reason):
    """A reason is quoted in a generated sentence of section 四: its problem was reported a
    second time there, without a line."""
    text = SEED.replace("    zh: 增加事业编人员经费、联勤保安服务费预排三个季度\n", f"    zh: '{reason}'\n", 1)
    line = text.splitlines().index(f"    zh: '{reason}'") + 1
    errors = _errors(tmp_path, text)
    assert [i.location.line for i in errors] == [line], [i.format("en") for i in errors]
