"""tree_digest (core/digests.py): what a cache version is made of, a folder's files but the skipped ones."""

from __future__ import annotations

from generator.core.digests import tree_digest


def test_a_tree_digest_is_its_files_paths_and_bytes_but_the_skipped_ones_and_caches(tmp_path):
    folder = tmp_path / "tree"
    for name, text in {"a.py": "a", "sub/b.py": "b", "budgets/x.yaml": "x", "cli.py": "c"}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    skip = (folder / "budgets", folder / "cli.py")
    first = tree_digest(folder, skip)
    (folder / "budgets" / "y.yaml").write_text("y")  # under a skipped folder
    (folder / "cli.py").write_text("changed")  # a skipped file
    (folder / "sub" / "__pycache__").mkdir()
    (folder / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0")
    (folder / "c.pyc").write_bytes(b"\0")
    assert tree_digest(folder, skip) == first
    (folder / "sub" / "b.py").write_text("B")
    assert tree_digest(folder, skip) != first
    (folder / "sub" / "b.py").write_text("b")
    (folder / "sub" / "b.py").rename(folder / "sub" / "c.py")  # the same bytes under another name
    assert tree_digest(folder, skip) != first
    (folder / "sub" / "c.py").rename(folder / "sub" / "b.py")
    assert tree_digest(folder, skip) == first
    (folder / "linked.py").symlink_to(folder / "a.py")  # a link to a file: its bytes count
    (folder / "broken.py").symlink_to(folder / "missing.py")  # a broken link: not a file
    assert tree_digest(folder, skip) not in (first, tree_digest(folder))
    assert tree_digest(tmp_path / "missing") == tree_digest(tmp_path / "also-missing")
