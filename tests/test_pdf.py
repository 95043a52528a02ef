"""The PDF edition: an accessible book (tagged PDF/UA-1) with the structure and design of a book.

Every test reads the PDF that the session's `make` built (tests/conftest.py). The structure tree
is read with pikepdf; the text of each piece of marked content with pypdf, which decodes the
fonts, so that a heading's words or a running head can be compared with the site's HTML.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import page as page_validation
import pikepdf
import pytest
from pybtex.database import parse_file
from pypdf import PdfReader

from conftest import REPO, Build, in_the_book, page_kind
from handbook.pdf_hyphenation import BREAKS, NORDIC_LETTERS, SOFT_HYPHEN
from test_build import chapter_titles, squeeze

PARTS = ["Regions", "Themes", "Reference"]
TITLE = "Nordic Life Science Regions Handbook"
NUMBER = re.compile(r"^(?:Part [IVX]+|\d+(?:\.\d+)*)\s+")  # "Part II ", "2 ", "2.1 "
HEADINGS = {f"/H{n}": n for n in range(1, 7)}
BLOCKS = {"/P", "/L", "/Table", "/Figure", "/BlockQuote", *HEADINGS}
MAX_BYTES = 1_500_000


def words(text: str) -> str:
    return " ".join(text.replace(SOFT_HYPHEN, "").split())


def unnumbered(title: str) -> str:
    return NUMBER.sub("", title)


# -- Reading the PDF ------------------------------------------------------------------------------

@dataclass
class Marked:
    """The text of one page's marked content: tagged (by MCID), artefacts, and neither."""

    tagged: dict[int, str] = field(default_factory=dict)
    artifacts: list[str] = field(default_factory=list)
    untagged: list[str] = field(default_factory=list)


def marked_content(reader: PdfReader) -> list[Marked]:
    pages = []
    for page in reader.pages:
        marked, stack = Marked(), []

        def before(operator, operands, cm, tm, stack=stack):
            if operator in (b"BDC", b"BMC"):
                properties = operands[1] if len(operands) > 1 else None
                mcid = properties.get("/MCID") if hasattr(properties, "get") else None
                stack.append((str(operands[0]), mcid))
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(chunk, cm, tm, font, size, stack=stack, marked=marked):
            if not chunk.strip():
                return
            if any(tag == "/Artifact" for tag, _ in stack):
                marked.artifacts.append(chunk)
            elif ids := [mcid for _, mcid in stack if mcid is not None]:
                marked.tagged[int(ids[-1])] = marked.tagged.get(int(ids[-1]), "") + chunk
            else:
                marked.untagged.append(chunk)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        pages.append(marked)
    return pages


@dataclass
class Element:
    """A structure element: its type, the page it starts on, its text, its object."""

    tag: str
    page: int | None
    text: str
    obj: pikepdf.Dictionary


class Tagged:
    """The PDF's structure tree, in reading order, with the text under each element."""

    def __init__(self, path: Path) -> None:
        self.pdf = pikepdf.open(path)
        self.page_index = {p.objgen: i for i, p in enumerate(self.pdf.pages)}
        self.marked = marked_content(PdfReader(path))
        self.elements: list[Element] = []
        if "/StructTreeRoot" in self.pdf.Root:  # else untagged: no elements, and tests say so
            self._walk(self.pdf.Root.StructTreeRoot.K, None)

    def _page(self, node: pikepdf.Dictionary, default: int | None) -> int | None:
        page = node.get("/Pg")
        return self.page_index.get(page.objgen) if page is not None else default

    def _walk(self, node, page: int | None) -> str:
        if isinstance(node, pikepdf.Array):  # separate pieces: lines, spans, a number and a title
            return " ".join(self._walk(kid, page) for kid in node)
        if isinstance(node, int):
            return self.marked[page].tagged.get(node, "") if page is not None else ""
        if not isinstance(node, pikepdf.Dictionary):
            return ""
        if node.get("/Type") == "/MCR":
            return self._walk(int(node.MCID), self._page(node, page))
        if "/S" not in node:
            return ""  # an object reference (a link annotation)
        element = Element(str(node.S), self._page(node, page), "", node)
        self.elements.append(element)
        element.text = self._walk(node.get("/K", pikepdf.Array()), element.page)
        return element.text

    def of(self, *tags: str) -> list[Element]:
        return [e for e in self.elements if e.tag in tags]

    @cached_property
    def headings(self) -> list[tuple[int, str]]:
        return [(HEADINGS[e.tag], words(e.text)) for e in self.elements if e.tag in HEADINGS]


@pytest.fixture(scope="module")
def reader(build: Build) -> PdfReader:
    return PdfReader(build.pdf)


@pytest.fixture(scope="module")
def tagged(build: Build) -> Tagged:
    return Tagged(build.pdf)


def outline_tree(reader: PdfReader, items=None) -> list[tuple[str, int, list]]:
    """The PDF outline as (title without its number, page index, children)."""
    items = reader.outline if items is None else items
    tree: list[tuple[str, int, list]] = []
    for item in items:
        if isinstance(item, list):
            title, page, _ = tree[-1]
            tree[-1] = (title, page, outline_tree(reader, item))
        else:
            tree.append((unnumbered(item.title).strip(), reader.get_destination_page_number(item), []))
    return tree


def content_chapter_titles(build: Build) -> set[str]:
    """Titles of the pages that become chapters (overview pages become parts, the landing
    page becomes the title page, the contributor guide stays on the web, and each source note is
    a section of the "Source notes" chapter)."""
    return {title for page, title in chapter_titles(build).items()
            if page != "index.html" and not page.endswith("/index.html") and in_the_book(page)
            and page_kind(page) != "source-note"}


def book_pages(build: Build) -> list[str]:
    """The site's pages in reading order (following each page's rel="next"), landing page first."""
    pages, page = [], "index.html"
    while page and page not in pages:
        pages.append(page)
        link = build.soup(build.html / page).select_one('link[rel="next"]')
        page = str((Path(page).parent / link["href"]).as_posix()) if link else None
        page = page and re.sub(r"[^/]+/\.\./", "", page)
    return pages


def html_headings(build: Build, page: str) -> list[tuple[int, str]]:
    article = build.soup(build.html / page).select_one("main article")
    return [(int(h.name[1]), words(h.get_text(" ", strip=True).rstrip("#")))
            for h in article.find_all(re.compile(r"^h[1-6]$"))]


# -- Accessibility: PDF/UA-1 and the structure tree ----------------------------------------------

def test_page_validation_passes_every_pdf_ua_1_rule(build: Build) -> None:
    report = page_validation.validate_pdf(build.pdf, profile="ua1")
    failed = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert report.rules.total >= 100, report.to_dict()
    assert report.rules.failed == 0 and not failed, failed


def test_it_is_tagged_and_in_english(tagged: Tagged) -> None:
    root = tagged.pdf.Root
    assert root.MarkInfo.Marked is True
    assert root.StructTreeRoot.K is not None
    assert str(root.Lang) == "en"


def test_the_title_is_displayed(tagged: Tagged) -> None:
    assert tagged.pdf.Root.ViewerPreferences.DisplayDocTitle is True
    with tagged.pdf.open_metadata() as xmp:
        assert xmp.get("dc:title") == TITLE
        assert xmp.get("pdfuaid:part") == "1"


def test_headings_nest_without_skipping_a_level(tagged: Tagged) -> None:
    levels = [level for level, _ in tagged.headings]
    assert levels[0] == 1, "the first heading is not an H1"
    skips = [(a, b, text) for (a, _), (b, text) in zip(tagged.headings, tagged.headings[1:]) if b > a + 1]
    assert not skips, skips


def test_headings_are_the_chapters_and_sections_of_the_site(build: Build, tagged: Tagged) -> None:
    """Title page H1, Contents H2; then each page's headings one level down, for a chapter
    (its <h1> an H2), as they are for a part (an overview page: H1) or two levels down for a
    page inside a chapter (a source note: its <h1> an H3)."""
    expected = [(1, TITLE), (2, "Contents")]
    for page in book_pages(build)[1:]:
        kind = page_kind(page)
        if not in_the_book(page):
            continue
        shift = {"overview": 0, "source-note": 2}.get(kind, 1)
        expected += [(level + shift, text) for level, text in html_headings(build, page)]
    actual = [(level, unnumbered(text)) for level, text in tagged.headings]
    assert actual == expected


def test_every_figure_has_the_alt_text_of_the_site(build: Build, tagged: Tagged) -> None:
    alts = set()
    for page in build.html_pages():
        if in_the_book(str(page.relative_to(build.html))):
            article = build.soup(page).select_one("main article")
            alts |= {img["alt"] for img in article.select("img[alt]")}
            alts |= {t.get_text() for t in article.select("svg > title")}
    figures = tagged.of("/Figure")
    assert figures and alts, "no figure in the PDF or in the site"
    assert {str(f.obj.get("/Alt", "")) for f in figures} == alts


def test_every_table_has_header_cells(tagged: Tagged) -> None:
    """A table split across pages is one Table element per page, so this also checks that the
    header row is repeated on every page a table runs onto."""
    tables = tagged.of("/Table")
    assert len(tables) >= 10
    without = []
    for table in tables:
        start = tagged.elements.index(table)
        inside = [e for e in tagged.elements[start + 1:] if _within(e.obj, table.obj)]
        if not any(e.tag == "/TH" for e in inside):
            without.append((table.page, table.text[:60]))
    assert not without, without


def _within(node: pikepdf.Dictionary, ancestor: pikepdf.Dictionary) -> bool:
    while "/P" in node and isinstance(node.P, pikepdf.Dictionary) and "/S" in node.P:
        node = node.P
        if node.objgen == ancestor.objgen:
            return True
    return False


def test_every_link_has_contents_and_sits_in_a_link_element(tagged: Tagged) -> None:
    root = tagged.pdf.Root.StructTreeRoot
    parents = pikepdf.NumberTree(root.ParentTree)
    problems, count = [], 0
    for index, page in enumerate(tagged.pdf.pages):
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            count += 1
            if not str(annotation.get("/Contents", "")).strip():
                problems.append(f"page {index + 1}: a link without /Contents")
            element = parents.get(int(annotation.get("/StructParent", -1)))
            kids = element.get("/K", []) if element is not None else []
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            in_element = any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
                             and k.Obj.objgen == annotation.objgen for k in kids)
            if element is None or element.S != "/Link" or not in_element:
                problems.append(f"page {index + 1}: link {annotation.get('/Contents')} not in a Link element")
    assert count > 100
    assert not problems, problems[:20]


def test_links_within_the_book_are_described_in_words(tagged: Tagged) -> None:
    """Their /Contents is what they lead to ("2.1 Remit"), not an anchor id."""
    contents = [str(a.Contents) for p in tagged.pdf.pages for a in p.get("/Annots", [])
                if isinstance(a.get("/Dest"), pikepdf.String)]
    ids = [c for c in contents if re.fullmatch(r"[\w-]+--[\w-]+", c)]
    assert contents and not ids, ids[:10]


def test_running_heads_and_page_numbers_are_artifacts(reader: PdfReader, tagged: Tagged) -> None:
    """Every page but the title page shows its number, and every page of a chapter but its
    first shows the chapter's title; both are artefacts, not content. No text is neither."""
    artifacts = [words(" ".join(m.artifacts)) for m in tagged.marked]
    missing = [i + 1 for i in range(1, len(artifacts)) if str(i + 1) not in artifacts[i].split()]
    assert not missing, f"pages whose number is not an artefact: {missing}"
    tree = outline_tree(reader)
    chapters = [(title, page) for title, page, children in tree
                for title, page in ([(title, page)] if title == "Introduction" else
                                    [(t, p) for t, p, _ in children])]
    starts = sorted({page for _, page, _ in tree} | {page for _, page in chapters} | {len(artifacts)})
    without = [(page + 1, title) for title, start in chapters
               for page in range(start + 1, starts[starts.index(start) + 1])
               if title not in unnumbered(artifacts[page])]
    assert not without, f"pages without their chapter's running head: {without}"
    assert [t for t, _ in chapters if any(t in a for a in artifacts)], "no running head at all"
    untagged = [(i + 1, t) for i, m in enumerate(tagged.marked) for t in m.untagged]
    assert not untagged, untagged[:10]


def test_no_heading_is_left_alone_at_the_foot_of_a_page(tagged: Tagged) -> None:
    """The last block on a page is never a heading, unless it is all the page holds (a part's
    title page)."""
    blocks: dict[int, list[Element]] = {}
    for element in tagged.elements:
        if element.tag in BLOCKS and element.page is not None and element.text.strip():
            blocks.setdefault(element.page, []).append(element)
    assert blocks, "no tagged blocks"
    alone = [(page + 1, found[-1].text.strip()[:60]) for page, found in blocks.items()
             if found[-1].tag in HEADINGS and len(found) > 1]
    assert not alone, alone


# -- The book: structure, cross-references, bibliography, map, design -------------------------

def test_page_count_is_sane(reader: PdfReader) -> None:
    assert 30 <= len(reader.pages) <= 120


def test_pages_are_a4(reader: PdfReader) -> None:
    sizes = {tuple(sorted((round(float(p.mediabox.width)), round(float(p.mediabox.height)))))
             for p in reader.pages}
    assert sizes == {(595, 842)}, sizes


def test_the_file_is_small(build: Build) -> None:
    assert build.pdf.stat().st_size < MAX_BYTES


def test_metadata_is_complete(reader: PdfReader) -> None:
    meta = reader.metadata
    assert meta.title == TITLE
    assert "contributors" in meta.author
    assert meta.subject and "life-science" in meta.subject
    assert "Region Skåne" in meta.get("/Keywords", "")


def test_title_page_names_edition_licence_and_citation(reader: PdfReader) -> None:
    first = words(reader.pages[0].extract_text())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    for expected in (TITLE, f"Edition", f"({commit})", "CC BY 4.0", "How to cite"):
        assert expected in first, expected


def test_contents_list_every_chapter_with_its_page(build: Build, reader: PdfReader) -> None:
    text = reader.pages[1].extract_text()
    assert text.lstrip().startswith("Contents")
    starts = {title: page for title, page, children in outline_tree(reader)
              for title, page, _ in [(title, page, [])] + children}
    lines = [words(line) for line in text.splitlines()]
    for title in content_chapter_titles(build) | set(PARTS):
        entry = next((line for line in lines if unnumbered(line).startswith(title)), None)
        assert entry is not None, f"{title} is not in the contents"
        assert entry.rstrip(". ").endswith(f" {starts[title] + 1}"), entry


def test_chapters_are_numbered_in_three_parts(reader: PdfReader) -> None:
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == "1 Introduction"
    assert [t for t in titles if t.startswith("Part")] == [
        f"Part {n} {part}" for n, part in zip(["I", "II", "III"], PARTS)]
    numbers = [int(m.group(1)) for item in reader.outline if isinstance(item, list)
               for child in item if not isinstance(child, list)
               if (m := re.match(r"(\d+) ", child.title))]
    assert numbers == list(range(2, 2 + len(numbers)))


def test_outline_has_the_parts_and_every_chapter(build: Build, reader: PdfReader) -> None:
    tree = outline_tree(reader)
    assert [title for title, _, _ in tree] == ["Introduction", *PARTS]
    chapters = {"Introduction"} | {title for _, _, children in tree[1:] for title, _, _ in children}
    assert chapters == content_chapter_titles(build)
    assert [title for title, _, _ in tree[-1][2]][-1] == "Bibliography"


def test_outline_goes_down_to_sections(reader: PdfReader) -> None:
    regions = {title: children for title, _, children in outline_tree(reader)}["Regions"]
    skane = {title: children for title, _, children in regions}["Region Skåne"]
    assert "Remit" in [title for title, _, _ in skane] and "Sources" in [title for title, _, _ in skane]


def test_cross_references_show_the_page_of_their_target(reader: PdfReader, build: Build) -> None:
    """References to the glossary and bibliography (no section shares their names) print the
    page the chapter starts on; so does the introduction's reference to the first region."""
    starts = {title: page + 1 for title, page, children in outline_tree(reader)
              for title, page, _ in [(title, page, [])] + children}
    text = words(build.pdf_text.replace("‐ ", ""))
    found = re.findall(r"(Glossary|Bibliography) \(p\. (\d+)\)", text)
    assert found, "no cross-reference with a page number"
    wrong = [(title, page) for title, page in found if int(page) != starts[title]]
    assert not wrong, wrong
    assert f"Region Skåne (p. {starts['Region Skåne']})" in text


def test_citations_link_to_the_one_bibliography_at_the_end(reader: PdfReader, tagged: Tagged) -> None:
    bibliography = {title: page for title, page, _ in outline_tree(reader)[-1][2]}["Bibliography"]
    names = pikepdf.NameTree(tagged.pdf.Root.Names.Dests)
    citations = [a for p in tagged.pdf.pages for a in p.get("/Annots", [])
                 if str(a.get("/Contents", "")).startswith("Bibliography:")]
    assert len(citations) >= 50
    pages = {tagged.page_index[names[str(a.Dest)][0].objgen] for a in citations}
    assert min(pages) >= bibliography, sorted(pages)
    assert bibliography == len(reader.pages) - 1 or all(p >= bibliography for p in pages)


def test_external_addresses_are_printed(build: Build) -> None:
    text = squeeze(build.pdf_text)
    entries = parse_file(REPO / "references.bib", bib_format="bibtex").entries
    urls = [e.fields["url"] for e in entries.values() if "url" in e.fields]
    assert urls
    assert [u for u in urls if squeeze(u) not in text] == []


def test_text_has_every_bibliography_entry(build: Build) -> None:
    text = squeeze(build.pdf_text)
    entries = parse_file(REPO / "references.bib", bib_format="bibtex").entries
    missing = [f"{key}: {field}" for key, entry in entries.items()
               for field in ("title", "titleaddon") if squeeze(entry.fields[field]) not in text]
    assert not missing


def test_the_glossary_is_in_the_book(build: Build) -> None:
    text = squeeze(build.pdf_text)
    glossary = build.soup(build.html / "chapters" / "reference" / "glossary.html")
    terms = [dt.get_text(" ", strip=True).rstrip("¶#") for dt in glossary.select("dl.glossary dt")]
    assert len(terms) > 10
    assert [t for t in terms if squeeze(t) not in text] == []


def test_the_map_is_vector_graphics(tagged: Tagged) -> None:
    images = [o for o in tagged.pdf.objects
              if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert not images, "the PDF holds raster images"
    figure = next(f for f in tagged.of("/Figure") if "map" in str(f.obj.get("/Alt", "")).lower())
    page = tagged.pdf.pages[figure.page]
    assert "/Form" in str(page.Resources.get("/XObject", {})) or len(page.Contents.read_bytes()) > 5000


def test_all_fonts_are_embedded(build: Build) -> None:
    rows = subprocess.run(["pdffonts", str(build.pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows, "pdffonts listed no fonts"
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, not_embedded


def test_no_site_chrome(build: Build) -> None:
    text = build.pdf_text
    chrome = ["Download PDF", "Skip to main content", "Search", "Edit this page", "Last updated",
              "Toggle", "Contributing to the"]
    assert [c for c in chrome if c in text] == []


def test_nordic_characters_survive_extraction(build: Build) -> None:
    for word in ("Skåne", "Götaland", "Hadžialić", "Kühnau", "Sørensen", "næstformand"):
        assert word in build.pdf_text, word


def test_nordic_names_break_only_where_they_may(tagged: Tagged) -> None:
    """A Swedish or Danish word broken at line ends is broken at its listed points only.

    Each line of text is marked content of its own, drawn in order, so a hyphenated word is a
    piece ending in a hyphen followed by the pieces that go on (a narrow table cell may break
    one word twice)."""
    broken: list[list[str]] = []  # the parts of each hyphenated word
    for marked in tagged.marked:
        parts: list[str] = []
        for piece in marked.tagged.values():
            head = re.search(r"(\w*)‐\s*$", piece)
            tail = re.match(r"\s*(\w+)", piece)
            if parts and tail:
                parts.append(tail.group(1))
                if head and head.group(1) == tail.group(1):
                    continue  # the middle of a word broken twice
                broken.append(parts)
            parts = [head.group(1)] if head and head.group(1) else []
    wrong = []
    for parts in broken:
        word = "".join(parts)
        cuts = {len("".join(parts[:i])) for i in range(1, len(parts))}
        allowed = {i - n for n, i in enumerate(
            i for i, c in enumerate(BREAKS.get(word, "")) if c == SOFT_HYPHEN)}
        nordic = word in BREAKS or any(letter in NORDIC_LETTERS for letter in word)
        if nordic and not cuts <= allowed:
            wrong.append("-".join(parts))
    assert broken, "no word is hyphenated at all: is hyphenation on?"
    assert not wrong, wrong
