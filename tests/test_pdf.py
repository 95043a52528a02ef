"""The PDF edition: structure, metadata, fonts, text and a clean LaTeX log."""

from __future__ import annotations

import re
import subprocess

import pytest
from pybtex.database import parse_file
from pypdf import PdfReader

from conftest import REPO, Build, in_the_book, page_kind
from test_build import chapter_titles, squeeze

PARTS = ["Regions", "Themes", "Reference"]
MAX_OVERFULL_PT = 3.0  # "a few points": invisible in print, but a real overflow is not


@pytest.fixture(scope="module")
def reader(build: Build) -> PdfReader:
    return PdfReader(build.pdf)


def content_chapter_titles(build: Build) -> set[str]:
    """Titles of the pages that become chapters (overview pages become parts, the landing
    page becomes the title page, the contributor guide stays on the web, and each source note is
    a section of the "Source notes" chapter)."""
    return {title for page, title in chapter_titles(build).items()
            if page != "index.html" and not page.endswith("/index.html") and in_the_book(page)
            and page_kind(page) != "source-note"}


def outline_tree(reader: PdfReader, items=None) -> list[tuple[str, list]]:
    """The PDF outline as (title without its number, children) pairs."""
    items = reader.outline if items is None else items
    tree: list[tuple[str, list]] = []
    for item in items:
        if isinstance(item, list):
            title, _ = tree[-1]
            tree[-1] = (title, outline_tree(reader, item))
        else:
            tree.append((re.sub(r"^[0-9IVX.]+\s+", "", item.title).strip(), []))
    return tree


def test_page_count_is_sane(reader: PdfReader) -> None:
    assert 30 <= len(reader.pages) <= 120


def test_metadata_is_complete(reader: PdfReader) -> None:
    meta = reader.metadata
    assert meta.title == "Nordic Life Science Regions Handbook"
    assert "contributors" in meta.author
    assert meta.subject and "life-science" in meta.subject
    assert "Region Skåne" in meta.get("/Keywords", "")
    assert reader.trailer["/Root"].get("/Lang") == "en-GB"


def test_outline_has_the_parts_and_every_chapter(build: Build, reader: PdfReader) -> None:
    tree = outline_tree(reader)
    top = [title for title, _ in tree]
    assert top == ["Introduction", *PARTS], top
    chapters = {"Introduction"} | {title for _, children in tree[1:] for title, _ in children}
    assert chapters - {"Bibliography"} == content_chapter_titles(build) - {"Bibliography"}
    assert "Bibliography" in chapters


def test_outline_goes_down_to_sections(reader: PdfReader) -> None:
    regions = dict(outline_tree(reader))["Regions"]
    skane_sections = [title for title, _ in dict(regions)["Region Skåne"]]
    assert "Remit" in skane_sections and "Sources" in skane_sections


def test_all_fonts_are_embedded(build: Build) -> None:
    rows = subprocess.run(["pdffonts", str(build.pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows, "pdffonts listed no fonts"
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, not_embedded


def test_text_has_every_chapter_title(build: Build) -> None:
    text = squeeze(build.pdf_text)
    missing = [t for t in content_chapter_titles(build) | set(PARTS) if squeeze(t) not in text]
    assert not missing


def test_text_has_every_bibliography_entry(build: Build) -> None:
    text = squeeze(build.pdf_text)
    entries = parse_file(REPO / "references.bib", bib_format="bibtex").entries
    missing = [f"{key}: {field}" for key, entry in entries.items()
               for field in ("title", "titleaddon") if squeeze(entry.fields[field]) not in text]
    assert not missing


def test_title_page_names_edition_licence_and_citation(reader: PdfReader) -> None:
    first = reader.pages[0].extract_text()
    for expected in ("Nordic Life Science Regions Handbook", "Edition", "CC BY 4.0", "How to cite"):
        assert expected in first, expected


def test_nordic_characters_survive_extraction(build: Build) -> None:
    for word in ("Skåne", "Götaland", "Hadžialić", "Kühnau", "Sørensen", "næstformand"):
        assert word in build.pdf_text, word


def test_no_unresolved_references_in_the_text(build: Build) -> None:
    assert "??" not in build.pdf_text


def test_latex_log_has_no_undefined_or_duplicate_labels(build: Build) -> None:
    log = build.latex_log.read_text(encoding="utf-8", errors="replace")
    problems = re.findall(r"^.*(?:undefined|multiply defined).*$", log, flags=re.M | re.I)
    assert not problems, problems


def test_latex_log_has_no_overfull_boxes(build: Build) -> None:
    log = build.latex_log.read_text(encoding="utf-8", errors="replace")
    overfull = [(float(width), line) for width, line in
                re.findall(r"Overfull \\[hv]box \(([\d.]+)pt too \w+\) (.*)", log)]
    assert [o for o in overfull if o[0] > MAX_OVERFULL_PT] == []
