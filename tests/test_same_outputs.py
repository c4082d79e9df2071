"""The example site's outputs are byte-identical to a recorded build.

tests/fixtures/outputs.json holds the SHA-256 of every file of the example site (HTML, data,
CSV, stylesheets, PDFs) as built at the commit it names. A refactoring must not change a
byte; a change that an issue asks for is recorded by regenerating the manifest:

    .venv/bin/python tests/test_same_outputs.py      # rebuilds the site, rewrites the manifest

and its diff (which files changed) belongs in the commit that changes them. PDF bytes also
depend on WeasyPrint and the fonts: the manifest records both, and PDFs are compared only
when they are the same here (otherwise the test says so and compares the rest).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.pdf  # the recorded build has PDFs (under --fast the shared site has none)

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "fixtures" / "outputs.json"


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def pdf_environment() -> dict[str, str]:
    """What PDF bytes depend on besides our inputs: WeasyPrint's version and the CJK font files."""
    import weasyprint

    fonts = subprocess.run(["fc-match", "-f", "%{file}\n", "Noto Serif CJK SC"], capture_output=True, text=True).stdout.split()
    fonts += subprocess.run(["fc-match", "-f", "%{file}\n", "Noto Sans CJK SC"], capture_output=True, text=True).stdout.split()
    env = {"weasyprint": weasyprint.__version__}
    for font in fonts:
        env[Path(font).name] = hashlib.sha256(Path(font).read_bytes()).hexdigest()[:16]
    return env


def test_the_example_site_is_byte_identical_to_the_recorded_build(site):
    recorded = json.loads(MANIFEST.read_text(encoding="utf-8"))
    built = digests(site)
    expected = recorded["files"]
    same_pdf_environment = recorded["pdf_environment"] == pdf_environment()
    if not same_pdf_environment:
        built = {k: v for k, v in built.items() if not k.endswith(".pdf")}
        expected = {k: v for k, v in expected.items() if not k.endswith(".pdf")}
    missing = sorted(set(expected) - set(built))
    extra = sorted(set(built) - set(expected))
    changed = sorted(k for k in set(expected) & set(built) if expected[k] != built[k])
    assert not (missing or extra or changed), (
        f"outputs differ from the build recorded at {recorded['commit']}: missing {missing}, new {extra}, changed {changed}; "
        "if an issue asks for this change, regenerate with `python tests/test_same_outputs.py`")
    if not same_pdf_environment:
        pytest.skip(f"PDFs not compared: recorded with {recorded['pdf_environment']}, here {pdf_environment()}")


def main() -> int:
    sys.path.insert(0, str(HERE))
    from conftest import CONTENT, run_pelican

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        result = run_pelican(CONTENT, out, cache=Path(tmp) / "cache")
        if result.returncode:
            print(result.stdout + result.stderr, file=sys.stderr)
            return 1
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=HERE).stdout.strip()
        manifest = {"commit": commit, "pdf_environment": pdf_environment(), "files": digests(out)}
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST} ({len(manifest['files'])} files, built at {commit})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
