"""Internal links, the merge gate: every link inside the site and every reference in the PDF resolve.

The checks run on the session build (the real HTML and PDF `make` produces). The unit tests
below plant each kind of fault in a tiny site or LaTeX run, to show that each check catches it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from check_internal_links import Report, check_site, is_internal, undefined_references
from conftest import EPUB_NAME, PDF_NAME, REPO, Build


@pytest.fixture(scope="module")
def site_report(build: Build) -> Report:
    # conf.py takes the public address from HANDBOOK_BASE_URL; with it, 404.html links absolutely.
    return check_site(build.html, sources=REPO, base_url=os.environ.get("HANDBOOK_BASE_URL", ""))


# -- On the real build --------------------------------------------------------------------------

def test_every_internal_link_and_image_resolves(site_report: Report) -> None:
    problems = "\n".join(str(p) for p in site_report.problems)
    assert not site_report.problems, f"{len(site_report.problems)} broken internal links:\n{problems}"


@pytest.mark.parametrize("kind, pattern", [
    ("theme navigation", r"^(\.\./)*chapters/regions/index\.html$"),
    ("theme stylesheets and scripts", r"_static/.+\.(css|js)"),
    ("citations to the bibliography", r"bibliography\.html#\w+"),
    ("glossary terms", r"glossary\.html#term-"),
    ("cross-references to chapter sections", r"\w\.html#\w"),
    ("links within a page", r"^#\w"),
    ("the Download PDF link", rf"^(\.\./)*{re.escape(PDF_NAME)}$"),
    ("the Download EPUB link", rf"^(\.\./)*{re.escape(EPUB_NAME)}$"),
])
def test_the_link_check_covers(site_report: Report, kind: str, pattern: str) -> None:
    assert any(re.search(pattern, url) for _, url in site_report.checked), \
        f"no {kind} among the {len(site_report.checked)} links checked"


def test_every_page_is_checked(build: Build, site_report: Report) -> None:
    checked = {page for page, _ in site_report.checked}
    pages = {str(page.relative_to(build.html)) for page in build.html_pages()}
    assert pages - checked == set(), "pages the link check did not read"


def test_pdf_shows_no_unresolved_reference_marks(build: Build) -> None:
    # LaTeX prints "??" for an unresolved \ref and "[?]" for an unresolved \cite.
    text = build.pdf_text
    marks = [line.strip() for line in text.splitlines() if "??" in line or "[?]" in line]
    assert not marks, "unresolved references in the PDF:\n" + "\n".join(marks)


def test_latex_log_reports_no_undefined_reference_or_citation(build: Build) -> None:
    log = build.latex_log.read_text(encoding="utf-8", errors="replace")
    assert "Output written on" in log, f"{build.latex_log} is not the log of a finished LaTeX run"
    undefined = undefined_references(log)
    assert not undefined, f"{build.latex_log}:\n" + "\n".join(undefined)


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


# -- The LaTeX checks catch an unresolved reference and citation ---------------------------------

@pytest.mark.parametrize("line", [
    "LaTeX Warning: Reference `chapters/regions/skane:region-skane' on page 3 undefined on input line 42.",
    "LaTeX Warning: Hyper reference `chapters/regions/skane:skane-remit' on page 5 undefined on input line 7.",
    "LaTeX Warning: Citation `skane2012tianjin' on page 1 undefined on input line 3.",
    "LaTeX Warning: There were undefined references.",
])
def test_the_latex_log_check_catches(line: str) -> None:
    assert undefined_references(f"(./x.aux)\n{line}\n) )\nOutput written on x.pdf") == [line]


def test_the_latex_log_check_passes_a_clean_log() -> None:
    assert undefined_references("LaTeX Font Info: ... \nLabel(s) may have changed.\n") == []


@pytest.mark.skipif(not shutil.which("xelatex") or not shutil.which("pdftotext"),
                    reason="xelatex or pdftotext missing (make test installs them)")
def test_an_unresolved_latex_reference_shows_in_the_log_and_the_pdf(tmp_path: Path) -> None:
    """A real LaTeX run with a broken \\ref, \\hyperref and \\cite: both checks must see them."""
    (tmp_path / "t.tex").write_text(
        "\\documentclass{article}\\usepackage{hyperref}\\begin{document}\n"
        "See \\ref{sec:nowhere}, \\hyperref[sec:gone]{the gone section} and \\cite{nobody2025}.\n"
        "\\end{document}\n")
    subprocess.run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
                   cwd=tmp_path, check=True, capture_output=True)
    found = undefined_references((tmp_path / "t.log").read_text(errors="replace"))
    assert any("sec:nowhere" in line for line in found)
    assert any("sec:gone" in line for line in found)
    assert any("nobody2025" in line for line in found)
    text = subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "??" in text and "[?]" in text
