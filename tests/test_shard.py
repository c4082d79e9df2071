"""PDFs over several machines (issue 12): n shards fill caches that merge into one, and the site
assembled from it is byte for byte the site of one full build."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, run_pelican

from generator.core.settings import BudgetSettings, SettingsError
from generator.outputs import shard


def test_the_shards_split_the_pdfs_once_each_and_always_the_same_way():
    named = [(f"zh/2024/d{k}/d{k}-2024-budget-zh.pdf", k) for k in range(300)]
    parts = [shard.select(list(reversed(named)), f"{i}/3") for i in (1, 2, 3)]
    assert sorted(p for part in parts for p in part) == sorted(named)  # every PDF in exactly one shard
    assert all(70 <= len(p) <= 130 for p in parts), [len(p) for p in parts]  # about a third each
    assert parts[0] == shard.select(named, "1/3")  # the order the jobs come in does not matter
    more = shard.select(named + [("zh/2024/new/new-2024-budget-zh.pdf", -1)], "1/3")
    assert set(parts[0]) <= set(more)  # a department added moves no other PDF to another shard


@pytest.mark.parametrize("value", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_a_wrong_shard_is_a_settings_error(value):
    with pytest.raises(SettingsError) as exc:
        BudgetSettings.of({"BUDGET_SHARD": value})
    assert exc.value.issues[0].code == "E602"


def test_progress_is_quiet_without_a_terminal(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet, shown = io.StringIO(), Tty()
    monkeypatch.delenv("CI", raising=False)
    for stream in (quiet, shown):
        progress = shard.Progress(2, stream)
        progress.step()
        progress.step()
    assert quiet.getvalue() == ""
    assert "PDF 1/2 (50%), ETA" in shown.getvalue() and "PDF 2/2 (100%)" in shown.getvalue()
    monkeypatch.setenv("CI", "true")
    ci = Tty()
    shard.Progress(2, ci).step()
    assert ci.getvalue() == ""


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def built(content: Path, out: Path, cache: Path, *settings: str):
    result = run_pelican(content, out, *settings, cache=cache)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.pdf
def test_shards_and_assembly_give_the_full_build_byte_for_byte(tmp_path):
    full = tmp_path / "full"
    built(CONTENT, full, tmp_path / "full-cache")
    merged = tmp_path / "merged-cache" / "pdf"
    merged.mkdir(parents=True)
    rendered = []
    for i in (1, 2):  # two machines, each with its own cache
        cache = tmp_path / f"shard{i}-cache"
        built(CONTENT, tmp_path / f"shard{i}", cache, f'BUDGET_SHARD="{i}/2"')
        pdfs = sorted((cache / "pdf").glob("*.pdf"))
        assert pdfs
        rendered += [p.name for p in pdfs]
        for p in pdfs:
            shutil.copy2(p, merged / p.name)
    assert len(rendered) == len(set(rendered)) == len(list(full.rglob("*.pdf")))  # each PDF rendered once

    partial = tmp_path / "partial-cache" / "pdf"  # one shard's cache only: the assembly refuses
    shutil.copytree(tmp_path / "shard1-cache" / "pdf", partial)
    result = run_pelican(CONTENT, tmp_path / "partial", "BUDGET_ASSEMBLE=true", cache=partial.parent)
    assert result.returncode != 0 and "E410" in result.stderr, result.stderr

    site = tmp_path / "assembled"
    built(CONTENT, site, merged.parent, "BUDGET_ASSEMBLE=true")
    assert sorted(p.name for p in merged.glob("*.pdf")) == sorted(rendered)  # nothing rendered while assembling
    assert files(site) == files(full)
