"""Internal links, the merge gate: every link inside the site and every link in the PDF resolve.

The checks run on the session build (the real HTML and PDF `make` produces). The unit tests
below plant each kind of fault in a tiny site or a tiny WeasyPrint run, to show that each check
catches it.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pikepdf
import pytest
import weasyprint

from check_internal_links import Report, check_site, is_internal
from conftest import EPUB_NAME, LANGUAGES, PDF_NAME, REPO, Build, edition_file
from handbook.pdf_builder import weasyprint_messages_as_warnings
from test_site_html import split_language


@pytest.fixture(scope="module")
def site_report(build: Build) -> Report:
    """The whole site at once, every language's pages (sv/…), so that links between the
    languages are checked too."""
    # conf.py takes the public address from HANDBOOK_BASE_URL; with it, 404.html links absolutely.
    return check_site(build.html, sources=REPO, base_url=os.environ.get("HANDBOOK_BASE_URL", ""))


def links_of(report: Report, language: str) -> list[tuple[str, str]]:
    """The links checked on *language*'s pages, as (page, address)."""
    return [(page, url) for page, url in report.checked if split_language(page)[0] == language]


def target(page: str, url: str) -> str:
    """The page in the site that *url* on *page* leads to ('sv/index.html' + '../index.html' -> 'index.html')."""
    path = urlsplit(url).path
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page


# -- On the real build --------------------------------------------------------------------------

def test_every_internal_link_and_image_resolves(site_report: Report) -> None:
    problems = "\n".join(str(p) for p in site_report.problems)
    assert not site_report.problems, f"{len(site_report.problems)} broken internal links:\n{problems}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind, pattern", [
    ("theme navigation", r"^(\.\./)*chapters/regions/index\.html$"),
    ("theme stylesheets and scripts", r"_static/.+\.(css|js)"),
    ("citations to the bibliography", r"bibliography\.html#\w+"),
    ("glossary terms", r"glossary\.html#term-"),
    ("cross-references to chapter sections", r"\w\.html#\w"),
    ("links within a page", r"^#\w"),
    ("the Download PDF link", "^(\\.\\./)*{pdf}$"),
    ("the Download EPUB link", "^(\\.\\./)*{epub}$"),
])
def test_the_link_check_covers(site_report: Report, kind: str, pattern: str, language: str) -> None:
    pattern = pattern.format(pdf=re.escape(edition_file(PDF_NAME, language)),
                             epub=re.escape(edition_file(EPUB_NAME, language)))
    checked = links_of(site_report, language)
    assert any(re.search(pattern, url) for _, url in checked), \
        f"no {kind} among the {len(checked)} links checked on the {language!r} pages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_link_check_covers_the_links_to_the_other_languages(site_report: Report, language: str) -> None:
    """Every page links to the same page in the other languages (handbook.language_links): those
    links, between the folders of the site, are checked with the rest."""
    across = {split_language(target(page, url))[0] for page, url in links_of(site_report, language)}
    missing = set(LANGUAGES) - {language} - across
    assert not missing, f"no link from the {language!r} pages to the {sorted(missing)} pages was checked"


def test_every_page_is_checked(build: Build, site_report: Report) -> None:
    checked = {page for page, _ in site_report.checked}
    pages = {str(page.relative_to(build.html)) for language in LANGUAGES
             for page in build.edition(language).html_pages()}
    assert {split_language(page)[0] for page in pages} == set(LANGUAGES), "a language's pages are missing"
    assert pages - checked == set(), "pages the link check did not read"


def test_pdf_shows_no_unresolved_reference_marks(build: Build) -> None:
    # Sphinx marks an unresolved citation "[?]"; a "??" would be a page reference gone wrong.
    text = build.pdf_text
    marks = [line.strip() for line in text.splitlines() if "??" in line or "[?]" in line]
    assert not marks, "unresolved references in the PDF:\n" + "\n".join(marks)


def unresolved_pdf_links(path: Path) -> tuple[int, list[str]]:
    """How many links within the PDF there are, and those whose named destination is missing."""
    with pikepdf.open(path) as pdf:
        names = pdf.Root.get("/Names")
        dests = pikepdf.NameTree(names.Dests) if names is not None and "/Dests" in names else {}
        targets = [str(a.Dest) for page in pdf.pages for a in page.get("/Annots", [])
                   if isinstance(a.get("/Dest"), pikepdf.String)]
        return len(targets), sorted({t for t in targets if t not in dests})


def test_every_link_within_the_pdf_leads_somewhere(build: Build) -> None:
    count, missing = unresolved_pdf_links(build.pdf)
    assert count > 100, f"only {count} links within the PDF: are cross-references still links?"
    assert not missing, f"PDF links to destinations it does not have: {missing}"


# -- The HTML link check catches every planted fault ----------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><link rel="stylesheet" href="{up}_static/site.css"></head>
<body id="top">
<nav><a href="{up}index.html">Home</a> <a href="{up}chapters/">Chapters</a></nav>
<h1 id="title">Title</h1><a name="legacy"></a>
<img src="{up}_static/map.png" srcset="{up}_static/map.png 1x, {up}_static/map.png 2x">
<a href="https://example.org/">external</a> <a href="mailto:a@example.org">mail</a>
<a href="//cdn.example.org/x.js">cdn</a> <a href="">this page</a> <a href="#">top</a>
<a href="#title">same page</a> <a href="#legacy">legacy anchor</a>
<a href="{up}chapters/one.html#sk%C3%A5ne">percent-encoded anchor</a>
<!--FAULT-->
</body></html>
"""


def write_site(root: Path) -> Path:
    """A tiny site whose every link resolves: index, a chapter folder, static files."""
    (root / "_static").mkdir(parents=True)
    (root / "chapters").mkdir()
    (root / "_static" / "site.css").write_text("body {}")
    (root / "_static" / "map.png").write_bytes(b"\x89PNG")
    # Theme template fragments are not pages; their placeholders must not count as links.
    (root / "_static" / "macros.html").write_text('<a href="{{ pathto(x) }}">x</a>')
    (root / "index.html").write_text(PAGE.format(up=""))
    (root / "chapters" / "index.html").write_text(PAGE.format(up="../"))
    (root / "chapters" / "one.html").write_text(
        PAGE.format(up="../").replace('id="title"', 'id="title"><span id="skåne"></span'))
    return root


def plant(root: Path, page: str, html: str) -> int:
    """Put *html* into *page* at the FAULT marker; return its line."""
    path = root / page
    text = path.read_text()
    path.write_text(text.replace("<!--FAULT-->", html))
    return text[:text.index("<!--FAULT-->")].count("\n") + 1


def test_a_site_with_only_good_links_passes(tmp_path: Path) -> None:
    report = check_site(write_site(tmp_path))
    assert report.problems == []
    assert report.pages == 3
    urls = {url for _, url in report.checked}
    assert "https://example.org/" not in urls and "_static/site.css" in urls
    assert "_static/map.png" in urls  # from src and from srcset


@pytest.mark.parametrize("page, html, reason", [
    ("index.html", '<a href="chapters/two.html">x</a>', "chapters/two.html does not exist"),
    ("index.html", '<a href="chapters/one.html#nowhere">x</a>', "no id 'nowhere' in chapters/one.html"),
    ("chapters/one.html", '<a href="#nowhere">x</a>', "no id 'nowhere' in chapters/one.html"),
    ("chapters/one.html", '<img src="../_static/plan.png">', "_static/plan.png does not exist"),
    ("chapters/one.html", '<img srcset="../_static/plan.png 2x">', "_static/plan.png does not exist"),
    ("chapters/one.html", '<script src="../_static/app.js"></script>', "_static/app.js does not exist"),
    ("index.html", '<link rel="stylesheet" href="_static/gone.css">', "_static/gone.css does not exist"),
    ("index.html", '<a href="reference/">x</a>', "reference/index.html does not exist"),
    ("index.html", '<a href="/chapters/one.html">x</a>', "site-absolute path"),
    ("chapters/index.html", '<a href="../../elsewhere.html">x</a>', "points outside the site"),
    ("index.html", '<a href="nordic-life-science-handbook.pdf">PDF</a>',
     "nordic-life-science-handbook.pdf does not exist"),
    ("index.html", '<a href="nordic-life-science-handbook.epub">EPUB</a>',
     "nordic-life-science-handbook.epub does not exist"),
])
def test_the_html_link_check_catches(tmp_path: Path, page: str, html: str, reason: str) -> None:
    root = write_site(tmp_path)
    line = plant(root, page, html)
    problems = check_site(root).problems
    assert len(problems) == 1, problems
    assert (problems[0].page, problems[0].line) == (page, line)
    assert reason in problems[0].reason


@pytest.mark.parametrize("base_url, url, reason", [
    ("https://example.org/handbook/", "/handbook/chapters/one.html#title", None),
    ("https://example.org/handbook", "/handbook/", None),
    ("https://example.org/", "/chapters/one.html", None),
    ("https://example.org/handbook/", "/handbook/chapters/two.html", "chapters/two.html does not exist"),
    ("https://example.org/handbook/", "/other/index.html", "outside the site's base path /handbook/"),
])
def test_site_absolute_paths_resolve_under_the_base_url(tmp_path: Path, base_url: str, url: str,
                                                        reason: str | None) -> None:
    root = write_site(tmp_path)
    plant(root, "index.html", f'<a href="{url}">x</a>')
    problems = check_site(root, base_url=base_url).problems
    if reason is None:
        assert problems == []
    else:
        assert len(problems) == 1 and reason in problems[0].reason, problems


def test_a_problem_names_the_source_file_to_edit(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site")
    plant(root, "chapters/one.html", '<a href="two.html">x</a>')
    (tmp_path / "src" / "chapters").mkdir(parents=True)
    (tmp_path / "src" / "chapters" / "one.md").write_text("# One\n")
    [problem] = check_site(root, sources=tmp_path / "src").problems
    assert str(problem) == (f"chapters/one.html:{problem.line}: broken link 'two.html': "
                            "chapters/two.html does not exist (source: chapters/one.md)")


@pytest.mark.parametrize("url, internal", [
    ("page.html", True), ("../a/b.html#x", True), ("#x", True), ("?q=1", True),
    ("https://example.org", False), ("//cdn.example.org/a.js", False),
    ("mailto:a@example.org", False), ("data:image/png;base64,AAAA", False),
])
def test_internal_and_external_addresses_are_told_apart(url: str, internal: bool) -> None:
    assert is_internal(url) is internal


def test_the_command_line_exits_non_zero_and_lists_each_problem(tmp_path: Path) -> None:
    root = write_site(tmp_path)
    script = REPO / "tools" / "check_internal_links.py"
    ok = subprocess.run(["python3", str(script), str(root)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    line = plant(root, "index.html", '<a href="gone.html">x</a>')
    broken = subprocess.run(["python3", str(script), str(root)], capture_output=True, text=True)
    assert broken.returncode == 1
    assert broken.stdout.startswith(f"index.html:{line}: broken link 'gone.html'")


# -- The PDF checks catch a link to nowhere ------------------------------------------------------

def test_a_pdf_link_to_a_missing_anchor_fails_the_build(caplog: pytest.LogCaptureFixture) -> None:
    """WeasyPrint reports a link to a missing anchor; the builder makes that a Sphinx warning,
    so `make pdf` (-W) fails on it."""
    html = '<html lang="en"><title>t</title><p><a href="#nowhere">a link to nowhere</a></p></html>'
    with caplog.at_level(logging.WARNING), weasyprint_messages_as_warnings(Path("book.html")):
        weasyprint.HTML(string=html).write_pdf()
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("sphinx.")]
    assert any("WeasyPrint" in w and "nowhere" in w for w in warnings), caplog.records


def test_the_pdf_link_check_catches_a_destination_that_is_gone(tmp_path: Path) -> None:
    html = ('<html lang="en"><title>t</title><h1 id="here">Here</h1>'
            '<p><a href="#here">a link</a></p></html>')
    path = tmp_path / "t.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    assert unresolved_pdf_links(path) == (1, [])
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.Root.Names.Dests
        pdf.save(path)
    assert unresolved_pdf_links(path) == (1, ["here"])
