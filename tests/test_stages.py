"""The package is a pipeline of stages: a stage imports only the stages before it."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
# importer (reading published PDFs) stands before outputs so that cli (an outputs-stage module) can call it.
ORDER = ["core", "catalogue", "load", "compute", "reconcile", "present", "importer", "outputs"]
TOP = {"pipeline": "reconcile", "memo": "reconcile", "deferred": "reconcile",  # where the top-level modules stand
       "cli": "outputs", "__init__": "outputs"}


def stage_of(module: str) -> str | None:
    """'generator.compute.ledger' -> 'compute'; top-level modules by TOP."""
    parts = module.split(".")
    if parts[0] != "generator" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in ORDER else TOP.get(parts[1])


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # relative: resolve against the file's package
                base = path.relative_to(GENERATOR.parent).with_suffix("").parts[:-node.level]
                name = ".".join(base + tuple(node.module.split(".")))
            else:
                name = node.module
            found.append((node.lineno, name))
            found += [(node.lineno, f"{name}.{a.name}") for a in node.names if name in ("generator",)]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def test_no_stage_imports_a_later_one():
    wrong = []
    for path in sorted(GENERATOR.rglob("*.py")):
        here = stage_of(".".join(path.relative_to(GENERATOR.parent).with_suffix("").parts))
        for line, module in imports(path):
            there = stage_of(module)
            if here and there and ORDER.index(there) > ORDER.index(here):
                wrong.append(f"{path.relative_to(GENERATOR.parent)}:{line}: {here} imports {module} ({there})")
    assert not wrong, "\n".join(wrong)


def test_the_compute_cache_ignores_exactly_the_code_that_runs_after_compute():
    """memo.code_version() leaves out the stages after reconcile (their changes keep the compute cache
    valid); the test above proves the computing stages import none of them."""
    from generator.memo import NOT_COMPUTING

    later = ORDER[ORDER.index("reconcile") + 1:]
    modules = {f"{name}.py" for name, stage in TOP.items() if stage in later and name != "__init__"}
    assert set(NOT_COMPUTING) == set(later) | modules


def test_the_folder_listing_shows_the_pipeline():
    assert {p.name for p in GENERATOR.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(ORDER)


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(GENERATOR)): n for p in GENERATOR.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 410}
    assert not long, long
