"""Every write fault is one clear line, exit 1, no traceback, the old site intact, no staging left.

Injected: tests/faults/sitecustomize.py makes writes to matching paths fail with EROFS,
ENOSPC or EACCES, in `invoke build` and the Pelican and PDF processes under it, at each
write point (tasks.py's staging folder and symlink, the plugin's data files, Pelican's
writer, Pelican's theme copy, the PDF cache). Real, where this machine allows it: a file
size limit (EFBIG), a file where a folder must go (ENOTDIR), a full and a read-only tmpfs.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT

from generator.outputs import publish
from generator.outputs.faults import fault_issue

INVOKE = Path(sys.executable).parent / "invoke"
HOOK = Path(__file__).parent / "faults"


def invoke_build(out: Path, *args: str, fault: str | None = None, cache: Path | None = None,
                 preexec_fn=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HOOK), str(ROOT)])}
    if fault:
        env["BUDGET_FAULT"] = fault
    command = [str(INVOKE), "-r", str(ROOT), "build", "--content", str(CONTENT), "--output", str(out), *args]
    if cache is not None:
        command += ["--cache", str(cache)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, preexec_fn=preexec_fn)


def site_files(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_size for p in out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A site built once (without PDFs) to break the next builds against."""
    out = tmp_path_factory.mktemp("faults") / "output"
    result = invoke_build(out, "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    return out, site_files(out)


def assert_one_line(result: subprocess.CompletedProcess, code: str, path_part: str) -> str:
    text = result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0, text
    assert "Traceback" not in text
    assert len(lines) == 1, text  # the one message; stdout has at most Pelican's "Done: Processed …"
    assert not [line for line in result.stdout.splitlines() if line.strip() and not line.startswith(("Done:", "and "))]
    assert f": {code} " in lines[0] and path_part in lines[0].split(": ")[0], lines[0]
    return lines[0]


def assert_old_site(published) -> None:
    out, files = published
    assert site_files(out) == files
    # no staging left: the published build and its manifest (the spare, if the build started from it, is gone)
    assert sorted(p.name for p in publish.store(out).iterdir()) == published_build(out)


def published_build(out: Path) -> list[str]:
    """What `.site/` holds when output/ is the only build: it and its manifest."""
    return [Path(os.readlink(out)).name, f"{Path(os.readlink(out)).name}.json"]


WRITE_POINTS = [  # (errno, path pattern, code, where the message points, what)
    ("EROFS", "*/.site/2*", "E501", ".site", "the site"),                  # tasks.py: the staging folder
    ("ENOSPC", "*/.site/*.link", "E503", ".link", "the site"),             # tasks.py: the new symlink
    ("EROFS", "*/data/2024/*/data.json", "E501", "data.json", "the site"),   # plugin: data files
    ("ENOSPC", "*/data/2024/*/table-03.csv", "E503", "table-03.csv", "the site"),
    ("ENOSPC", "*/data/2024/*/budget.xlsx", "E503", "budget.xlsx", "the site"),  # bytes, beside the writer
    ("EACCES", "*/en/2024/*/index.html", "E502", "index.html", "the site"),  # Pelican's writer
    ("ENOSPC", "*/theme/css/site.css", "E503", "site.css", "the site"),      # Pelican's theme copy
    ("EACCES", "*/theme", "E502", "theme", "the site"),
]


@pytest.mark.parametrize("name,pattern,code,where,what", WRITE_POINTS, ids=[w[1] for w in WRITE_POINTS])
def test_an_injected_write_fault_is_one_line_and_keeps_the_old_site(published, name, pattern, code, where, what):
    out, _ = published
    result = invoke_build(out, "--no-pdf", "--lang", "en", fault=f"{name}:{pattern}")
    line = assert_one_line(result, code, where)
    assert f"cannot write {what}" in line or f"to write {what}" in line or f"writing {what}" in line
    assert_old_site(published)


@pytest.mark.pdf
def test_a_fault_in_the_pdf_cache_names_the_cache(published, tmp_path):
    cache = tmp_path / "cache"
    result = invoke_build(published[0], "--lang", "en", fault=f"EROFS:{cache}/pdf", cache=cache)
    line = assert_one_line(result, "E501", "cache/pdf")
    assert "the PDF cache" in line and "--cache DIR" in line
    assert_old_site(published)


def test_the_message_is_in_chinese_by_default(published):
    result = invoke_build(published[0], "--no-pdf", fault="ENOSPC:*/zh/index.html")
    line = assert_one_line(result, "E503", "zh/index.html")
    assert "磁盘已满，无法写入网站" in line
    assert_old_site(published)


def test_without_the_fault_the_same_build_passes(published):
    """The hook itself breaks nothing: a pattern no write matches builds normally."""
    result = invoke_build(published[0], "--no-pdf", fault="EROFS:/nowhere/*")
    assert result.returncode == 0, result.stdout + result.stderr
    assert site_files(published[0]) == published[1]


# ---------------------------------------------------------------- real faults


def test_a_real_file_size_limit(tmp_path):
    """RLIMIT_FSIZE below the department page's size: write() fails with EFBIG. A first build:
    a rebuild links its unchanged pages (relink.py) and writes none that big."""
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    out = tmp_path / "output"
    result = invoke_build(out, "--no-pdf", "--lang", "en", preexec_fn=limit)
    assert_one_line(result, "E504", ".site")
    assert not out.exists() and list(publish.store(out).iterdir()) == []


def test_a_real_file_where_the_output_folder_goes(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    result = invoke_build(blocker / "output", "--no-pdf", "--lang", "en")
    assert_one_line(result, "E505", "not-a-folder")
    assert blocker.read_text() == "a file"


@pytest.fixture
def tmpfs(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_real_full_disk_and_a_real_read_only_disk(tmpfs):
    out = tmpfs / "output"
    result = invoke_build(out, "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    files = site_files(out)
    ballast = tmpfs / "ballast"  # leave less room than a second build needs
    free = os.statvfs(tmpfs).f_bavail * os.statvfs(tmpfs).f_frsize
    ballast.write_bytes(b"\0" * max(0, free - 300_000))

    # a site beside it (a rebuild of `out` would link its unchanged files and need only the theme's 64 KB)
    beside = tmpfs / "beside" / "output"
    full = invoke_build(beside, "--no-pdf", "--lang", "en")
    assert_one_line(full, "E503", ".site")
    assert site_files(out) == files and sorted(p.name for p in publish.store(out).iterdir()) == published_build(out)
    assert not beside.exists() and list(publish.store(beside).iterdir()) == []

    ballast.unlink()
    mount_point = invoke_build(tmpfs, "--no-pdf", "--lang", "en")  # output/ itself a mount: cannot be swapped
    assert "cannot publish the site: this is a mount point" in assert_one_line(mount_point, "E507", "disk")
    assert site_files(out) == files

    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    read_only = invoke_build(out, "--no-pdf")
    assert "无法写入网站：文件系统是只读的" in assert_one_line(read_only, "E501", ".site")
    assert site_files(out) == files
    # a read-only repository: the site can go elsewhere, but the PDF cache is read-only too
    elsewhere = tmpfs.parent / "elsewhere" / "output"
    cache = invoke_build(elsewhere, "--lang", "en", cache=tmpfs / "cache")
    assert "cannot write the PDF cache: the file system is read-only" in assert_one_line(cache, "E501", "cache")
    assert not elsewhere.exists() and list(publish.store(elsewhere).iterdir()) == []


# ---------------------------------------------------------------- the messages


@pytest.mark.parametrize("name,code", [("EROFS", "E501"), ("EACCES", "E502"), ("EPERM", "E502"), ("ENOSPC", "E503"),
                                       ("EDQUOT", "E503"), ("EFBIG", "E504"), ("ENOTDIR", "E505"), ("EIO", "E506"),
                                       ("EBUSY", "E507"), ("EXDEV", "E507")])
def test_each_errno_has_its_message(name, code):
    number = getattr(errno, name)
    found = fault_issue(OSError(number, os.strerror(number), "/srv/site/output/x.html"), "site")
    assert found.code == code and found.location.path == "/srv/site/output/x.html"
    for lang in ("zh", "en"):
        text = found.format(lang)
        assert "\n" not in text and "{" not in text
    assert "--output" in found.message("en") or code == "E505"
    assert "Input/output error" in fault_issue(OSError(errno.EIO, "Input/output error"), "cache", "c").message("en")
