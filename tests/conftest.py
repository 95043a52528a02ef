"""Shared fixtures: the handbook is built once per test session, exactly as `make` builds it."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent

# The tests read Sphinx's messages; Sphinx colours them when CI=true (as on CI machines), which
# would put escape codes before "file:line: WARNING". Every build the tests start inherits this.
os.environ["NO_COLOR"] = "1"
PDF_NAME = "nordic-life-science-handbook.pdf"
EPUB_NAME = "nordic-life-science-handbook.epub"


@dataclass
class Build:
    """The output of one `make all` run into a temporary build directory: HTML, PDF and EPUB."""

    builddir: Path
    log: str

    @property
    def html(self) -> Path:
        return self.builddir / "html"

    @property
    def pdf(self) -> Path:
        return self.builddir / "pdf" / PDF_NAME

    @property
    def epub(self) -> Path:
        return self.builddir / "epub" / EPUB_NAME

    def html_pages(self) -> list[Path]:
        """Every page Sphinx wrote for a document (not the search or index pages)."""
        skip = {"search.html", "genindex.html", "py-modindex.html"}
        return sorted(p for p in self.html.rglob("*.html") if p.name not in skip and "_static" not in p.parts)

    def soup(self, page: Path) -> BeautifulSoup:
        return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")

    @cached_property
    def pdf_text(self) -> str:
        """The PDF's text as poppler's pdftotext extracts it (reading order, UTF-8)."""
        result = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(self.pdf), "-"],
            check=True, capture_output=True, text=True,
        )
        return result.stdout


def page_kind(page: str) -> str | None:
    """The front-matter ``kind`` of the source of a built page ("chapters/x.html" -> its kind)."""
    source = REPO / Path(page).with_suffix(".md")
    match = re.search(r"^kind:\s*(\S+)", source.read_text(encoding="utf-8"), flags=re.M)
    return match.group(1) if match else None


def in_the_book(page: str) -> bool:
    """Whether a built page is a chapter of the PDF too (the guide for contributors is web-only)."""
    return page_kind(page) != "guide"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for child processes: no make flags inherited from `make test`, plus *extra*."""
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    env.update(extra)
    return env


def run_make(*targets: str, builddir: Path) -> subprocess.CompletedProcess:
    """Run the project's Makefile with BUILDDIR pointing at *builddir*."""
    return subprocess.run(
        ["make", "--no-print-directory", f"BUILDDIR={builddir}", *targets],
        cwd=REPO, env=clean_env(), capture_output=True, text=True,
    )


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build the HTML site, the PDF and the EPUB once, with the same command a reader runs (`make`)."""
    builddir = tmp_path_factory.mktemp("build")
    result = run_make("all", builddir=builddir)
    log = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"`make all` failed (exit {result.returncode}):\n{log}", pytrace=False)
    return Build(builddir=builddir, log=log)
