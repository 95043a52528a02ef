"""Shared fixtures: the handbook is built once per test run, exactly as `make` builds it.

The build starts in the background as soon as the tests are collected, if any test needs it, and
the tests that need no build run first, meanwhile. With pytest-xdist (``make test`` runs two
workers), every worker has a session of its own: the first to arrive starts the one build, in a
folder all of them share, and the others wait for it and reuse it (a ``filelock.FileLock``
guards the start). Every test that uses it is marked ``slow``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from filelock import FileLock

REPO = Path(__file__).resolve().parent.parent

# The tests read Sphinx's messages; Sphinx colours them when CI=true (as on CI machines), which
# would put escape codes before "file:line: WARNING". Every build the tests start inherits this.
os.environ["NO_COLOR"] = "1"
PDF_NAME = "nordic-life-science-handbook.pdf"
EPUB_NAME = "nordic-life-science-handbook.epub"
#: The editions' languages, as the Makefile builds them: English, the source, then one per folder
#: of locales/, whose site is a folder of the English one (html/sv/) and whose files are "-sv".
TRANSLATIONS = sorted(p.name for p in (REPO / "locales").iterdir() if p.is_dir())
LANGUAGES = ["en", *TRANSLATIONS]


def edition_file(name: str, language: str) -> str:
    """An edition's file name in *language*: 'handbook.pdf', 'handbook-sv.pdf' (handbook.languages)."""
    stem, _, extension = name.rpartition(".")
    return name if language == LANGUAGES[0] else f"{stem}-{language}.{extension}"


@dataclass
class Build:
    """The output of one `make all` run into a temporary build directory: HTML, PDF and EPUB.

    It shows one language's edition, English unless made with :meth:`edition`."""

    builddir: Path
    log: str
    language: str = LANGUAGES[0]

    def edition(self, language: str) -> Build:
        """The same build, as *language*'s edition: its site, PDF and EPUB."""
        return replace(self, language=language)

    @property
    def html(self) -> Path:
        site = self.builddir / "html"
        return site if self.language == LANGUAGES[0] else site / self.language

    @property
    def pdf(self) -> Path:
        return self.builddir / "pdf" / edition_file(PDF_NAME, self.language)

    @property
    def epub(self) -> Path:
        return self.builddir / "epub" / edition_file(EPUB_NAME, self.language)

    def html_pages(self) -> list[Path]:
        """Every page Sphinx wrote for a document (not the search or index pages) in this
        edition's site (not the translations' sites in the English one's folders)."""
        skip = {"search.html", "genindex.html", "py-modindex.html"}
        others = set(TRANSLATIONS) if self.language == LANGUAGES[0] else set()
        return sorted(p for p in self.html.rglob("*.html") if p.name not in skip and "_static" not in p.parts
                      and p.relative_to(self.html).parts[0] not in others)

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


#: The longest a test waits for the session's build (a cold first build on a slow machine).
BUILD_TIMEOUT = 30 * 60
#: The builds this process started (at most one).
BUILDS: list[subprocess.Popen] = []


def shared_dir(factory: pytest.TempPathFactory) -> Path:
    """The folder every pytest-xdist worker of this run shares (the run's own one without xdist)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def start_build(factory: pytest.TempPathFactory) -> Path:
    """Start `make all` into the shared folder unless a worker already has; return that folder.

    The build runs in the background and writes its exit code to ``returncode`` when done, so
    that a worker runs other tests meanwhile, and any worker can wait for it."""
    folder = shared_dir(factory) / "session-build"
    with FileLock(str(folder) + ".lock"):
        if not folder.exists():
            folder.mkdir()
            # -j2: the PDF and the EPUB are independent and build side by side; every test that
            # needs the build waits for it, so it comes first (32 s instead of 40 s, idle machine).
            script = ('make --no-print-directory -j2 "BUILDDIR=$1/build" all >"$1/log" 2>&1; '
                      'echo $? >"$1/returncode.tmp" && mv "$1/returncode.tmp" "$1/returncode"')
            # A process group of its own, so that pytest_sessionfinish can stop make and its children.
            BUILDS.append(subprocess.Popen(["bash", "-c", script, "make-all", str(folder)], cwd=REPO,
                                           env=clean_env(), stdin=subprocess.DEVNULL, start_new_session=True))
    return folder


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop a build this process started that is still running, unless another xdist worker may
    still be waiting for it (then wait for it to finish)."""
    for process in BUILDS:
        if process.poll() is not None:
            continue
        if os.environ.get("PYTEST_XDIST_WORKER") and exitstatus != pytest.ExitCode.INTERRUPTED:
            process.wait()
        else:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that use the build ``slow``; order the files so that those that need no
    build run first, while it builds, and then the browser's (the longest), so that no worker is
    left with a long file at the end. Whole files: `make test` gives each worker a file at a time."""
    needs_build = {item for item in items if "build" in getattr(item, "fixturenames", ())}
    for item in needs_build:
        item.add_marker(pytest.mark.slow)
    builds = {item.path for item in needs_build}
    browses = {item.path for item in items if item.get_closest_marker("browser")}
    # A stable sort: the same order in every xdist worker, as the controller requires. `make
    # test` keeps it (--no-loadscope-reorder) rather than xdist's largest-file-first.
    items.sort(key=lambda item: (item.path in builds, item.path not in browses))


@pytest.fixture(scope="session", autouse=True)
def start_the_build_early(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Start the build before the first test if any selected test needs it, so that it runs
    while the tests that need no build do."""
    if any("build" in getattr(item, "fixturenames", ()) for item in request.session.items):
        start_build(tmp_path_factory)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium, headless, driven by Playwright, for the whole session: here, so that the
    three browser test files share one (Playwright's sync API allows one at a time)."""
    from test_browser import CHROMIUM, CHROMIUM_FLAGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium "
                    "(tools/debian-packages-browser.txt)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The HTML site, the PDF and the EPUB, built once per run with the command a reader runs
    (`make`), into a temporary folder."""
    folder = start_build(tmp_path_factory)  # started at collection; this only finds it
    result, deadline = folder / "returncode", time.monotonic() + BUILD_TIMEOUT
    while not result.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"`make all` did not finish within {BUILD_TIMEOUT} s; log: {folder / 'log'}",
                        pytrace=False)
        time.sleep(0.5)
    returncode = int(result.read_text())
    log = (folder / "log").read_text(encoding="utf-8", errors="replace")
    if returncode != 0:
        pytest.fail(f"`make all` failed (exit {returncode}):\n{log}", pytrace=False)
    return Build(builddir=folder / "build", log=log)
