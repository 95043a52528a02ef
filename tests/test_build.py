"""The foundation: `make` builds a warning-free HTML site, PDF and EPUB, and they fit together."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from pypdf import PdfReader

from handbook.editions import readable_size

from conftest import LANGUAGES, REPO, Build, run_make
from edition_words import gettext


def source_documents() -> set[str]:
    """Docnames of every Markdown page the handbook is built from (see include_patterns)."""
    pages = {"index"} | {
        str(p.relative_to(REPO).with_suffix("")) for p in (REPO / "chapters").rglob("*.md")
    }
    return pages


def chapter_titles(build: Build) -> dict[str, str]:
    """The <h1> of every built page, keyed by its path in the site."""
    titles = {}
    for page in build.html_pages():
        h1 = build.soup(page).select_one("main h1")
        assert h1 is not None, f"{page} has no <h1>"
        titles[str(page.relative_to(build.html))] = h1.get_text(" ", strip=True).rstrip("#").strip()
    return titles


def squeeze(text: str) -> str:
    """Drop whitespace and hyphens, so line breaks and hyphenation in the PDF don't matter."""
    return re.sub(r"[\s\-‐–—]+", "", text).lower()


def test_build_log_has_no_warnings(build: Build) -> None:
    """Every language's builds write to the one log (test_each_language_is_built_warning_free)."""
    problems = [line for line in build.log.splitlines() if re.search(r"WARNING|ERROR|CRITICAL", line)]
    assert not problems, "the build printed warnings:\n" + "\n".join(problems)


def sphinx_builds(log: str) -> dict[tuple[str, str], list[str]]:
    """The sphinx-build commands make ran, by (builder, language): those without -D language are
    the source language's."""
    builds: dict[tuple[str, str], list[str]] = {}
    for line in log.splitlines():
        builder = re.search(r"\bsphinx-build\b.*?-b (\w+)", line)
        if builder:
            language = re.search(r"-D language=(\w+)", line)
            key = (builder[1], language[1] if language else LANGUAGES[0])
            builds.setdefault(key, []).append(line)
    return builds


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_is_built_warning_free(build: Build, language: str) -> None:
    """The log that test_build_log_has_no_warnings reads holds this language's site, PDF and
    EPUB, each built with -W (a warning fails it) and -n (every reference must resolve)."""
    builds = sphinx_builds(build.log)
    for builder in ("html", "pdf", "epub"):
        commands = builds.get((builder, language))
        assert commands, f"no `sphinx-build -b {builder}` for {language!r} in the build's log"
        for command in commands:
            assert re.search(r"\s-W\s", command) and re.search(r"\s-n\s", command), \
                f"built without -W -n, so its warnings would pass: {command}"


def sidebar_links(build: Build, docname: str) -> set[str]:
    """The documents that the navigation sidebar of *docname*'s page links to (in the site of
    ``build.edition(language)``)."""
    page = build.html / f"{docname}.html"
    nav = build.soup(page).select_one("nav.bd-docs-nav")
    assert nav is not None, f"{docname} has no navigation sidebar"
    hrefs = {urldefrag(a["href"]).url for a in nav.select("a[href]")} - {"", "#"}
    return {str((page.parent / href).resolve().relative_to(build.html.resolve()).with_suffix(""))
            for href in hrefs}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_document_is_reachable_from_the_navigation(build: Build, language: str) -> None:
    """A reader who only clicks in the sidebar, starting on the landing page, finds every page
    (of the site in the reader's language: the sidebar does not leave it)."""
    build = build.edition(language)
    reachable, queue = {"index"}, ["index"]
    while queue:
        for docname in sidebar_links(build, queue.pop()) - reachable:
            assert docname in source_documents(), f"navigation links to a page with no source: {docname}"
            reachable.add(docname)
            queue.append(docname)
    assert source_documents() - reachable == set(), "documents missing from the navigation"


@pytest.mark.parametrize("language", LANGUAGES)
def test_navigation_opens_only_the_branch_of_the_current_page(build: Build, language: str) -> None:
    """Parts stay closed unless the page is in them: short sidebars, and builds that grow linearly."""
    build = build.edition(language)
    links = sidebar_links(build, "chapters/regions/skane")
    assert {"chapters/regions/stockholm", "chapters/themes/index", "chapters/reference/index"} <= links
    assert "chapters/themes/china" not in links and "chapters/reference/glossary" not in links
    assert "chapters/reference/sources/uppsala2024lifescience" in sidebar_links(
        build, "chapters/reference/sources/skane2012tianjin"), "pages three levels down list their siblings"


def test_pdf_is_a_valid_pdf(build: Build) -> None:
    assert build.pdf.read_bytes()[:5] == b"%PDF-"
    reader = PdfReader(build.pdf)
    assert len(reader.pages) >= 10


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind, label", [("pdf", "PDF"), ("epub", "EPUB")])
def test_every_page_offers_the_edition_built_in_the_same_run_with_its_size(build: Build, kind: str,
                                                                          label: str, language: str) -> None:
    """Each language's pages offer that language's edition (the Swedish pages the -sv files)."""
    build = build.edition(language)
    edition = build.pdf if kind == "pdf" else build.epub
    content = edition.read_bytes()
    download = gettext(language)("Download {edition}").format(edition=label)
    expected = f"{download} ({readable_size(len(content))})"
    for page in build.html_pages():
        links = build.soup(page).select(f"a.btn-download-{kind}-button")
        assert len(links) == 1, f"{page} has {len(links)} Download {label} buttons"
        assert links[0].get_text(" ", strip=True) == expected, f"{page}: {links[0]}"
        target = (page.parent / links[0]["href"]).resolve()
        assert target.is_file(), f"{page}: Download {label} points at missing {target}"
        assert target.read_bytes() == content, f"{page}: Download {label} is not this build's {label}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_landing_pages_buttons_lead_to_the_editions_own_files(build: Build, language: str) -> None:
    """The landing page's Download buttons (index.md) lead to its language's PDF and EPUB."""
    build = build.edition(language)
    links = [a["href"] for a in build.soup(build.html / "index.html").select("main a.sd-btn")
             if a["href"].endswith((".pdf", ".epub"))]
    assert links == [build.pdf.name, build.epub.name]
    assert all((build.html / link).read_bytes() == edition.read_bytes()
               for link, edition in zip(links, (build.pdf, build.epub)))


def test_make_again_with_nothing_changed_does_nothing(build: Build) -> None:
    result = run_make("--dry-run", "all", builddir=build.builddir)
    assert result.returncode == 0, result.stderr
    commands = [line for line in result.stdout.splitlines() if line.strip()]
    assert not [c for c in commands if "sphinx-build" in c or "cp " in c], commands


def test_a_new_commit_rebuilds_the_site_and_the_editions(build: Build, tmp_path: Path) -> None:
    """The edition and the last-updated dates come from git, so a commit alone makes them stale."""
    builddir = tmp_path / "build"
    shutil.copytree(build.builddir, builddir, symlinks=True)  # keeps the files' times
    (builddir / ".edition").write_text("an earlier commit", encoding="utf-8")
    result = run_make("--dry-run", "all", builddir=builddir)
    assert result.returncode == 0, result.stderr
    builds = sphinx_builds(result.stdout)
    for builder in ("html", "pdf", "epub"):
        for language in LANGUAGES:
            assert (builder, language) in builds, f"no -b {builder} build for {language!r}:\n{result.stdout}"
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    assert (builddir / ".edition").read_text(encoding="utf-8") == head.strip()
