"""Build a copy of the handbook (or a small handbook-like project) the way `make` builds it.

Used by the fault-injection and link-check tests: they copy the sources to a temporary
directory, change them, and run sphinx-build with the Makefile's own SPHINXOPTS and conf.py.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conftest import EPUB_NAME, PDF_NAME, REPO, clean_env

SPHINX_BUILD = REPO / ".venv" / "bin" / "sphinx-build"

#: What is not a build input (environments, caches, output, tests). Everything else in the
#: clone is copied, so a new source folder (like a theme's) is picked up without editing this list.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "_build", "node_modules", "tests", "__pycache__", "*.pyc",
    ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox", ".nox", "htmlcov",
)


@cache
def sphinx_options() -> tuple[str, ...]:
    """SPHINXOPTS exactly as the Makefile sets them (-W -n --keep-going -q, unless overridden)."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-s",
         "--eval=_print-sphinxopts: ; @echo $(SPHINXOPTS)", "_print-sphinxopts"],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, check=True,
    )
    return tuple(shlex.split(result.stdout))


def copy_handbook(destination: Path) -> Path:
    """Copy the handbook's sources to *destination* (created) and return it."""
    shutil.copytree(REPO, destination, ignore=NOT_SOURCES)
    return destination


@dataclass
class SphinxRun:
    """The outcome of one sphinx-build run."""

    returncode: int
    output: str  # stderr then stdout: with -q, warnings are all there is
    outdir: Path
    srcdir: Path

    def lines(self) -> list[str]:
        """Non-empty output lines, with the copy's absolute path removed (as in the repo)."""
        prefixes = {f"{self.srcdir}{os.sep}", f"{self.srcdir.resolve()}{os.sep}"}
        lines = [line for line in self.output.splitlines() if line.strip()]
        for prefix in prefixes:
            lines = [line.replace(prefix, "") for line in lines]
        return lines


def sphinx_build(srcdir: Path, builder: str, workdir: Path, *extra: str,
                 timeout: float | None = 300) -> SphinxRun:
    """Run sphinx-build on *srcdir* with the Makefile's options, output under *workdir*."""
    outdir = workdir / builder
    command = [str(SPHINX_BUILD), "-b", builder, *sphinx_options(), *extra,
               "-d", str(workdir / "doctrees" / builder), str(srcdir), str(outdir)]
    result = subprocess.run(command, cwd=srcdir, env=clean_env(NO_PROXY="127.0.0.1,localhost"),
                            capture_output=True, text=True, timeout=timeout)
    return SphinxRun(result.returncode, result.stderr + result.stdout, outdir, srcdir)


def add_edition_placeholders(html: Path) -> None:
    """Stand in for the PDF and EPUB that `make` copies into the site, so HTML-only builds link-check."""
    (html / PDF_NAME).write_bytes(b"%PDF-1.4\n% placeholder for an HTML-only test build\n")
    (html / EPUB_NAME).write_bytes(b"PK placeholder for an HTML-only test build\n")


def build_in_process(src: Path, *, fresh: bool = True, **confoverrides) -> tuple[list[str], Path]:
    """Build the small project *src* in-process with ``sphinx.testing`` (html), with
    *confoverrides* (``nitpicky=True`` as `make`'s ``-n``, ``language="sv"`` as its Swedish
    builds); its warnings, paths relative to *src*, and its output folder."""
    import re
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO(), freshenv=fresh,
                        confoverrides=confoverrides)
    try:
        app.build()
    finally:
        app.cleanup()
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())  # in-process, Sphinx may colour it
    lines = [line for line in text.splitlines() if line.strip()]
    for prefix in (f"{src}/", f"{src.resolve()}/"):
        lines = [line.replace(prefix, "") for line in lines]
    return lines, Path(app.outdir)
