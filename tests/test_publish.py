"""Publishing is atomic: a kill at any moment leaves output/ as the complete old or the complete new site.

A subprocess builds a site (a manifest naming every file with its content) into a staging
folder and publishes it; it SIGKILLs itself at its K-th file-system call, for every K
until it completes. After each kill, output/ must be one complete build. Then the same
with the real `invoke build`, killed after many different delays.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT

from generator.outputs import publish

INVOKE = Path(sys.executable).parent / "invoke"

# Build `FILES` files (content: the build id) and a manifest, then publish; die at call KILL_AT.
BUILD_AND_PUBLISH = textwrap.dedent("""
    import builtins, json, os, shutil, signal, sys
    from pathlib import Path
    from generator.outputs import publish

    out, build_id, kill_at = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    calls = 0

    def counted(fn):
        def wrapper(*args, **kwargs):
            global calls
            calls += 1
            if calls == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)
        return wrapper

    for name in ("mkdir", "symlink", "replace", "rename", "unlink", "rmdir"):
        setattr(os, name, counted(getattr(os, name)))
    builtins.open = counted(builtins.open)
    publish._exchange = counted(publish._exchange)

    with publish.staging(out) as folder:
        files = [f"page-{i}/index.html" for i in range(5)]
        for name in files:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            with open(folder / name, "w") as f:
                f.write(build_id)
        with open(folder / "manifest.json", "w") as f:
            json.dump({"id": build_id, "files": files}, f)
        publish.publish(out, folder)
    print("calls", calls)
""")


def build(out: Path, build_id: str, kill_at: int = 0) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BUILD_AND_PUBLISH, str(out), build_id, str(kill_at)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


def published(out: Path) -> str:
    """The id of the complete build output/ shows; fails if it is missing or incomplete."""
    manifest = json.loads((out / "manifest.json").read_text())
    for name in manifest["files"]:
        assert (out / name).read_text() == manifest["id"], name
    return manifest["id"]


@pytest.mark.parametrize("first", ["symlink", "folder"])
def test_a_kill_at_any_step_leaves_the_old_or_the_new_site(tmp_path, first):
    out = tmp_path / "output"
    if first == "symlink":
        assert build(out, "old").returncode == 0
        assert out.is_symlink()
    else:  # the layout before publish.py: output/ a real folder
        out.mkdir()
        for name in [f"page-{i}/index.html" for i in range(5)]:
            (out / name).parent.mkdir()
            (out / name).write_text("old")
        (out / "manifest.json").write_text(json.dumps({"id": "old", "files": [f"page-{i}/index.html" for i in range(5)]}))
    seen = set()
    for k in range(1, 500):
        result = build(out, f"new-{k}", kill_at=k)
        if result.returncode == 0:  # no K-th call: every step has been killed once
            break
        assert result.returncode == -signal.SIGKILL, (k, result.stdout, result.stderr)
        shown = published(out)
        assert shown in ("old", f"new-{k}"), k
        seen.add("new" if shown.startswith("new") else "old")
        if shown != "old":  # killed after the swap: publish "old" again for the next round
            assert build(out, "old").returncode == 0
    assert k > 15  # the steps really are counted (mkdir, writes, symlink, swap, prune …)
    assert seen == {"old", "new"}  # kills landed both before and after the swap
    assert published(out) == f"new-{k}"
    # whatever the kills left in .site/ (staging folders, links, the old folder) is gone now
    assert [p.name for p in publish.store(out).iterdir()] == [os.readlink(out).split("/")[-1]]


def test_a_failed_build_leaves_no_staging_and_the_old_site(tmp_path):
    out = tmp_path / "output"
    assert build(out, "old").returncode == 0
    with pytest.raises(RuntimeError), publish.staging(out) as folder:
        (folder / "half.html").write_text("<p>half")
        raise RuntimeError("the build failed")
    assert published(out) == "old"
    assert [p.name for p in publish.store(out).iterdir()] == [os.readlink(out).split("/")[-1]]


def test_without_an_exchange_call_the_first_swap_falls_back_to_two_renames(tmp_path, monkeypatch):
    out = tmp_path / "output"
    out.mkdir()
    (out / "old.html").write_text("old")
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    with publish.staging(out) as folder:
        (folder / "new.html").write_text("new")
        publish.publish(out, folder)
    assert out.is_symlink() and (out / "new.html").read_text() == "new"
    assert not (out / "old.html").exists()
    assert [p.name for p in publish.store(out).iterdir()] == [folder.name]


def test_a_regular_file_in_place_of_output_is_refused_and_kept(tmp_path):
    out = tmp_path / "output"
    out.write_text("not a site")
    with pytest.raises(NotADirectoryError), publish.staging(out) as folder:
        publish.publish(out, folder)
    assert out.read_text() == "not a site"
    assert list(publish.store(out).iterdir()) == []


def site_files(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_size for p in out.rglob("*") if p.is_file()}


def test_killing_invoke_build_at_any_moment_leaves_a_complete_site(tmp_path):
    """The real build (Pelican in a subprocess, then the swap), SIGKILLed after many delays."""
    out = tmp_path / "output"
    args = [str(INVOKE), "-r", str(ROOT), "build", "--no-pdf", "--content", str(CONTENT), "--output", str(out)]
    start = time.monotonic()
    first = subprocess.run(args, capture_output=True, text=True, timeout=300)
    duration = time.monotonic() - start
    assert first.returncode == 0, first.stdout + first.stderr
    reference = site_files(out)
    assert len(reference) > 20 and "zh/2024/anting-city-operations/index.html" in reference
    builds = {os.readlink(out)}
    for i in range(10):
        delay = duration * (i + 0.5) / 10
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)  # invoke and the Pelican under it
        proc.wait()
        assert site_files(out) == reference, f"killed after {delay:.2f} s"
        builds.add(os.readlink(out))
    assert subprocess.run(args, capture_output=True, timeout=300).returncode == 0
    assert site_files(out) == reference
    # what the kills left is gone: the current build and the spare it replaced, each with its manifest
    names = sorted(p.name for p in publish.store(out).iterdir())
    current = os.readlink(out).split("/")[-1]
    spare = next(n for n in names if n != current and not n.endswith(".json"))
    assert names == sorted([current, f"{current}.json", spare, f"{spare}.json"])


def test_two_outputs_in_one_folder_keep_each_others_published_build(tmp_path):
    """`--output site/preview` beside `site/output`: they share `.site/`, and neither build removes, or
    starts from, the build the other one shows."""
    out, preview = tmp_path / "output", tmp_path / "preview"
    for target, text in ((out, "site"), (preview, "preview"), (out, "site 2"), (out, "site 3"), (out, "site 4")):
        with publish.staging(target) as folder:
            if (folder / "index.html").exists():  # from a spare: this output's, never the build the other shows
                assert (folder / "index.html").read_text().startswith("site") and target == out
            (folder / "index.html").unlink(missing_ok=True)
            (folder / "index.html").write_text(text)
            publish.manifest_path(folder).write_text(json.dumps({"build": str(folder.resolve()),
                                                                 "files": {"index.html": ["t", len(text)]}}))
            publish.publish(target, folder)
    assert (preview / "index.html").read_text() == "preview" and (out / "index.html").read_text() == "site 4"
