"""Unchanged outputs are hard links of the published build (issue 12, relink.py), and the search
index is reused when no page changed (search.py): counted by inodes, not by timing."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, run_pelican

from generator.outputs import publish, relink, search

EDITED = "2024/anting-city-operations"


def inodes(build: Path) -> dict[str, int]:
    return {p.relative_to(build).as_posix(): p.stat().st_ino for p in build.rglob("*") if p.is_file()}


def stats(cache: Path) -> dict:
    """What the last build rendered and read (cache.py's last-build.json)."""
    return json.loads((cache / "pages" / "last-build.json").read_text(encoding="utf-8"))


def contents(build: Path) -> dict[str, bytes]:
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in build.rglob("*") if p.is_file()}


def staged(content: Path, out: Path, cache: Path, check=None) -> Path:
    """One build as `invoke build` runs it: into a fresh folder of .site/, then published;
    `check(build)` runs before it is published."""
    with publish.staging(out) as build:
        result = run_pelican(content, build, "BUDGET_PDF=false", cache=cache)
        assert result.returncode == 0, result.stdout + result.stderr
        if check is not None:
            check(build)
        publish.publish(out, build)
    return build


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """A cold build, two rebuilds with nothing changed, a rebuild after one department's edit;
    the bytes of each published build as they were when the next one was published."""
    tmp = tmp_path_factory.mktemp("relink")
    content, out, cache = tmp / "content", tmp / "output", tmp / "cache"
    shutil.copytree(CONTENT, content)
    seen: dict[str, dict] = {}

    first = staged(content, out, cache)
    seen["first"] = {"inodes": inodes(first), "bytes": contents(first)}
    again = staged(content, out, cache, check=lambda b: seen.__setitem__("first after", contents(first)))
    seen["again"] = {"inodes": inodes(again), "bytes": contents(again), "stats": stats(cache)}
    third = staged(content, out, cache)  # after a build that reused the search index
    seen["third"] = {"inodes": inodes(third), "bytes": contents(third)}
    seed = content / "budgets" / f"{EDITED}.yaml"
    text = seed.read_text(encoding="utf-8")
    at = text.index("  zh: |\n", text.index("\nfunctions:")) + len("  zh: |\n")
    seed.write_text(text[:at] + "    本段为测试所加。\n\n" + text[at:], encoding="utf-8")
    edited = staged(content, out, cache, check=lambda b: seen.__setitem__("third after", contents(third)))
    seen["edited"] = {"inodes": inodes(edited), "bytes": contents(edited), "stats": stats(cache)}
    cold = staged(content, tmp / "cold-output", tmp / "cold-cache")  # the edited content, built from nothing
    seen["cold"] = {"bytes": contents(cold)}
    return seen


def test_a_rebuild_with_nothing_changed_links_every_file(builds):
    first, again = builds["first"]["inodes"], builds["again"]["inodes"]
    assert first.keys() == again.keys()
    assert [p for p in again if again[p] != first[p]] == []  # no file rewritten, the search index too
    assert builds["again"]["bytes"] == builds["first"]["bytes"]
    assert builds["third"]["inodes"] == first  # and again: the reused index is reused in turn


def test_an_edit_rewrites_that_department_and_the_search_index(builds):
    before, after = builds["third"]["inodes"], builds["edited"]["inodes"]
    changed = {p for p in after if before.get(p) != after[p]}
    assert f"zh/{EDITED}/index.html" in changed  # the edit is in the Chinese text: the English page may stay
    assert f"{search.BUNDLE}/pagefind-entry.json" in changed  # pages changed: indexed again
    other = "2025/putuo-government-office"
    assert not {p for p in changed if other in p}  # the other department is untouched
    assert not {p for p in changed if p.startswith("theme/")}


def test_a_rebuild_with_nothing_changed_loads_no_document_and_reads_no_page(builds):
    done = builds["again"]["stats"]
    assert done["rendered"] == [] and done["loaded"] == []  # every document stayed in the compute cache
    assert done["pages_read"] == 0  # every page linked from the published build by its token (manifest)


def test_an_edit_loads_only_the_documents_whose_pages_it_renders(builds):
    done = builds["edited"]["stats"]
    assert f"zh/{EDITED}/index.html" in done["rendered"]
    # the edited file is computed again; the other department's document is not even loaded, and no index
    # is rendered: they show briefs (compute/brief.py), which prose does not change (test_incremental.py)
    assert "en/2025/index.html" not in done["rendered"] and done["loaded"] == []
    assert done["pages_read"] == 0


def test_an_incremental_build_is_the_same_as_a_build_from_nothing(builds):
    edited, cold = builds["edited"]["bytes"], builds["cold"]["bytes"]
    assert edited.keys() == cold.keys()
    assert [p for p in edited if edited[p] != cold[p]] == []


def test_the_published_build_is_never_modified(builds):
    assert builds["first after"] == builds["first"]["bytes"]  # while the next build was made from it
    assert builds["third after"] == builds["third"]["bytes"]  # even where the new build changed a linked file


def test_without_a_previous_build_or_across_devices_files_are_written(tmp_path, monkeypatch):
    build, old = tmp_path / "new", tmp_path / "old"
    build.mkdir(), old.mkdir()
    (old / "same.html").write_bytes(b"same")
    (old / "other.html").write_bytes(b"before")

    alone = relink.Relinker(build, None)  # no previous build
    alone.write(build / "same.html", b"same")
    assert (build / "same.html").read_bytes() == b"same" and alone.linked == 0

    shutil.rmtree(build), build.mkdir()
    linker = relink.Relinker(build, old)
    linker.write(build / "same.html", b"same")
    linker.write(build / "other.html", b"after")
    assert os.path.samefile(build / "same.html", old / "same.html") and linker.linked == 1
    linker.copy(old / "other.html", build / "cached.pdf")  # a PDF: a link of its file in the PDF cache
    assert os.path.samefile(build / "cached.pdf", old / "other.html")
    linker.write(build / "same.html", b"changed")  # a second write of a linked file: a new inode
    assert (old / "same.html").read_bytes() == b"same" and (build / "same.html").read_bytes() == b"changed"
    assert (old / "other.html").read_bytes() == b"before" and (build / "other.html").read_bytes() == b"after"

    def cross(src, dst, **kw):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "link", cross)  # the previous build (or the PDF cache) on another device
    shutil.rmtree(build), build.mkdir()
    linker = relink.Relinker(build, old)
    linker.write(build / "same.html", b"same")
    linker.copy(old / "other.html", build / "cached.pdf")
    assert (build / "same.html").read_bytes() == b"same" and not os.path.samefile(build / "same.html", old / "same.html")
    assert (build / "cached.pdf").read_bytes() == b"before" and linker.linked == 0


def test_the_previous_build_is_the_published_one(tmp_path):
    out = tmp_path / "output"
    with publish.staging(out) as first:
        publish.publish(out, first)
    with publish.staging(out) as second:
        assert publish.previous_build(second) == first.resolve()
        assert publish.previous_build(first) is None  # building in place: nothing to start from
    assert publish.previous_build(tmp_path) is None  # not a build of .site/


def _copy_department(content: Path, slug: str) -> Path:
    """A second department: the edited one's file under another slug (as the district benchmark makes)."""
    text = (content / "budgets" / f"{EDITED}.yaml").read_text(encoding="utf-8")
    old = EDITED.split("/")[1]
    at = text.index(f"  slug: {old}\n", text.index("\ndepartment:"))
    copy = content / "budgets" / "2024" / f"{slug}.yaml"
    copy.write_text(text[:at] + f"  slug: {slug}\n" + text[at + len(f"  slug: {old}\n"):], encoding="utf-8")
    return copy


def test_a_build_from_the_spare_removes_what_it_no_longer_makes(tmp_path):
    """Double buffering (publish.py): the third build starts from the first one's folder, which holds a
    department since removed; what the build leaves is exactly a build from nothing, files and folders."""
    content, out, cache = tmp_path / "content", tmp_path / "output", tmp_path / "cache"
    shutil.copytree(CONTENT, content)
    copy = _copy_department(content, "spare-copy")
    first = staged(content, out, cache)
    first_inode = first.stat().st_ino
    assert (first / "zh" / "2024" / "spare-copy" / "index.html").is_file()
    staged(content, out, cache)
    assert publish.manifest_path(first).is_file()  # the spare, kept with its manifest
    copy.unlink()
    third = staged(content, out, cache)
    assert third.stat().st_ino == first_inode and not first.exists()  # the spare, renamed and updated
    cold = staged(content, tmp_path / "cold" / "output", tmp_path / "cold-cache")
    assert contents(third) == contents(cold)
    folders = {p.relative_to(third).as_posix() for p in third.rglob("*") if p.is_dir()}
    assert folders == {p.relative_to(cold).as_posix() for p in cold.rglob("*") if p.is_dir()}
    assert not [p for p in folders if "spare-copy" in p]


def test_a_spare_is_trimmed_to_its_manifest_and_one_without_it_is_not_used(tmp_path):
    out = tmp_path / "output"
    with publish.staging(out) as first:
        (first / "kept").mkdir()
        (first / "kept" / "page.html").write_text("kept")
        (first / "stray.html").write_text("not in the manifest")
        (first / "empty" / "deep").mkdir(parents=True)
        (first / "empty" / "deep" / "x.css").write_text("theme")
        publish.manifest_path(first).write_text(json.dumps({"build": str(first.resolve()), "files": {
            "kept/page.html": ["t1", 4], "gone.html": ["t2", 3]}}))  # gone: not in the folder
        publish.publish(out, first)
    with publish.staging(out) as second:
        publish.publish(out, second)
    with publish.staging(out) as third:  # from the spare, `first`
        assert sorted(p.relative_to(third).as_posix() for p in third.rglob("*")) == ["kept", "kept/page.html"]
        assert publish.read_manifest(publish.kept_path(third)) == {"kept/page.html": ["t1", 4]}
        publish.publish(out, third)
    # `second` had no manifest (a build that did not finish its own): it is not a spare, but removed
    with publish.staging(out) as fourth:
        assert list(fourth.iterdir()) == [] and not second.exists()
        publish.publish(out, fourth)


def test_a_plain_name_is_joined_as_pelican_joins_it_and_any_other_name_goes_through_its_check(tmp_path):
    from pelican.utils import sanitised_join

    base = str(tmp_path / "out")
    names = ["index.html", "zh/2024/安亭-城运/index.html", "data/2024/a_b/table-01.csv", "theme/css/site.css",
             "a/./b.html", "a//b.html", ".hidden", "a/../b.html", "./x", "x/", "a\\b"]
    for name in names:
        assert relink.joined(base, name) == sanitised_join(base, name), name
    for name in ("../escape.html", "a/../../escape.html", "/etc/passwd"):
        with pytest.raises(RuntimeError):
            relink.joined(base, name)
    with pytest.raises(RuntimeError):
        sanitised_join(base, "../escape.html")
