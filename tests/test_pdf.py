"""The PDF editions: accessible books (tagged PDF/UA-1) with the structure and design of a book.

Every test reads a PDF that the session's `make` built (tests/conftest.py), and those that check
an edition run for each language's (English, then each translation: ``edition``), comparing it
with the same language's site; the fixed words they expect come from the handbook catalogue
(tests/edition_words.py). The structure tree is read with pikepdf; the text of each piece of
marked content with pypdf, which decodes the fonts, so that a heading's words or a running head
can be compared with the site's HTML.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

import page as page_validation
import pikepdf
import pytest
from pybtex.database import parse_file
from pypdf import PdfReader

from conftest import LANGUAGES, REPO, Build, in_the_book, page_kind
from edition_words import AUTHOR, NUMBER, SUBJECT, TITLE, gettext, page_title, part_label
from handbook.pdf_hyphenation import BREAKS, SOFT_HYPHEN, foreign_letters
from test_build import chapter_titles, squeeze

#: The overview pages, which become the parts, in their order.
PART_PAGES = ["chapters/regions/index.html", "chapters/themes/index.html", "chapters/reference/index.html"]
INTRODUCTION = "chapters/introduction.html"
GLOSSARY = "chapters/reference/glossary.html"
BIBLIOGRAPHY = "chapters/reference/bibliography.html"
SKANE = "chapters/regions/skane.html"
MAP = "chapters/reference/map.html"
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


@pytest.fixture(scope="module", params=LANGUAGES)
def edition(request: pytest.FixtureRequest, build: Build) -> Build:
    """Each language's edition of the session's build in turn: its PDF and its site."""
    return build.edition(request.param)


@pytest.fixture(scope="module")
def reader(edition: Build) -> PdfReader:
    return PdfReader(edition.pdf)


@pytest.fixture(scope="module")
def tagged(edition: Build) -> Tagged:
    return Tagged(edition.pdf)


def book_title(edition: Build) -> str:
    """The book's title in the edition's language: the title page's, the metadata's."""
    return gettext(edition.language)(TITLE)


def parts(edition: Build) -> list[str]:
    """The parts' titles, in order: the overview pages' titles in the edition's site."""
    return [page_title(edition, page) for page in PART_PAGES]


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

def test_page_validation_passes_every_pdf_ua_1_rule(edition: Build) -> None:
    report = page_validation.validate_pdf(edition.pdf, profile="ua1")
    failed = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert report.rules.total >= 100, report.to_dict()
    assert report.rules.failed == 0 and not failed, failed


def test_it_is_tagged_and_in_its_language(edition: Build, tagged: Tagged) -> None:
    root = tagged.pdf.Root
    assert root.MarkInfo.Marked is True
    assert root.StructTreeRoot.K is not None
    assert str(root.Lang) == edition.language


def test_the_title_is_displayed(edition: Build, tagged: Tagged) -> None:
    assert tagged.pdf.Root.ViewerPreferences.DisplayDocTitle is True
    with tagged.pdf.open_metadata() as xmp:
        assert xmp.get("dc:title") == book_title(edition)
        assert xmp.get("pdfuaid:part") == "1"


def test_headings_nest_without_skipping_a_level(tagged: Tagged) -> None:
    levels = [level for level, _ in tagged.headings]
    assert levels[0] == 1, "the first heading is not an H1"
    skips = [(a, b, text) for (a, _), (b, text) in zip(tagged.headings, tagged.headings[1:]) if b > a + 1]
    assert not skips, skips


def test_headings_are_the_chapters_and_sections_of_the_site(edition: Build, tagged: Tagged) -> None:
    """Title page H1, Contents H2; then each page's headings one level down, for a chapter
    (its <h1> an H2), as they are for a part (an overview page: H1) or two levels down for a
    page inside a chapter (a source note: its <h1> an H3)."""
    expected = [(1, book_title(edition)), (2, gettext(edition.language)("Contents"))]
    for page in book_pages(edition)[1:]:
        kind = page_kind(page)
        if not in_the_book(page):
            continue
        shift = {"overview": 0, "source-note": 2}.get(kind, 1)
        expected += [(level + shift, text) for level, text in html_headings(edition, page)]
    actual = [(level, unnumbered(text)) for level, text in tagged.headings]
    assert actual == expected


def test_every_figure_has_the_alt_text_of_the_site(edition: Build, tagged: Tagged) -> None:
    alts = set()
    for page in edition.html_pages():
        if in_the_book(str(page.relative_to(edition.html))):
            article = edition.soup(page).select_one("main article")
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


def test_running_heads_and_page_numbers_are_artifacts(edition: Build, reader: PdfReader, tagged: Tagged) -> None:
    """Every page but the title page shows its number, and every page of a chapter but its
    first shows the chapter's title; both are artefacts, not content. No text is neither."""
    artifacts = [words(" ".join(m.artifacts)) for m in tagged.marked]
    missing = [i + 1 for i in range(1, len(artifacts)) if str(i + 1) not in artifacts[i].split()]
    assert not missing, f"pages whose number is not an artefact: {missing}"
    tree = outline_tree(reader)
    introduction = page_title(edition, INTRODUCTION)
    chapters = [(title, page) for title, page, children in tree
                for title, page in ([(title, page)] if title == introduction else
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


def test_the_file_is_small(edition: Build) -> None:
    assert edition.pdf.stat().st_size < MAX_BYTES


def test_metadata_is_complete(edition: Build, reader: PdfReader) -> None:
    meta, gettext_ = reader.metadata, gettext(edition.language)
    assert meta.title == book_title(edition)
    assert meta.author == gettext_(AUTHOR)
    assert meta.subject == gettext_(SUBJECT)
    assert "Region Skåne" in meta.get("/Keywords", "")


def test_title_page_names_edition_licence_and_citation(edition: Build, reader: PdfReader) -> None:
    first = words(reader.pages[0].extract_text())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    gettext_ = gettext(edition.language)
    for expected in (book_title(edition), gettext_("Edition %(edition)s") % {"edition": ""}, f"({commit})",
                     "CC BY 4.0", gettext_("How to cite."), gettext_("Licence.")):
        assert expected.strip() in first, expected


#: Swedish months, as a Swedish date names them ("1 december 2026").
SWEDISH_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                  "oktober", "november", "december"]
#: The title page's and the contents' fixed words (handbook.edition, handbook.pdf_builder).
TITLE_PAGE_MESSAGES = ["Licence.", "How to cite.", "Sources.",
                       "The text of this handbook is licensed under the Creative Commons Attribution 4.0 "
                       "International licence (CC BY 4.0), %(licence)s. You may share and adapt it with attribution.",
                       "Every statement of fact cites a public release by a Swedish or Danish region, listed in the "
                       "%(bibliography)s at the end of the book."]


@pytest.mark.skipif("sv" not in LANGUAGES, reason="no Swedish edition (locales/sv)")
def test_the_swedish_title_page_contents_and_references_are_in_swedish(build: Build) -> None:
    """The Swedish PDF's fixed words are Swedish: the title page's (each a translated message,
    and none of the English left), its date, "Innehåll", "Del I" and "(s. 12)"."""
    swedish = build.edition("sv")
    reader, translate = PdfReader(swedish.pdf), gettext("sv")
    first, second = (words(reader.pages[i].extract_text()) for i in (0, 1))
    for message in TITLE_PAGE_MESSAGES:
        assert translate(message) != message, f"not translated in handbook.po: {message!r}"
        for piece in re.split(r"%\(\w+\)s", translate(message)):  # hyphenated at line ends, perhaps
            assert squeeze(piece) in squeeze(first), piece
    english = [w for w in ("Edition", "Licence", "How to cite", "Every statement", "December") if w in first]
    assert not english, f"English on the Swedish title page: {english}"
    epoch = int(subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=REPO, capture_output=True,
                               text=True, check=True).stdout)
    date = datetime.fromtimestamp(epoch, tz=timezone.utc)
    assert f"Utgåva {date:%Y.%m.%d}" in first and f"{date.day} {SWEDISH_MONTHS[date.month - 1]} {date.year}" in first
    assert second.startswith("Innehåll") and "Contents" not in second
    assert [item.title.split()[0] for item in reader.outline if not isinstance(item, list)][1:] == ["Del"] * 3
    assert re.search(r"\(s\. \d+\)", swedish.pdf_text) and not re.search(r"\(p\. \d+\)", swedish.pdf_text)
    meta = reader.metadata  # the translated configuration (handbook.languages)
    assert (meta.title, meta.subject) == (translate(TITLE), translate(SUBJECT)) and meta.subject != SUBJECT


def test_contents_list_every_chapter_with_its_page(edition: Build, reader: PdfReader) -> None:
    text = reader.pages[1].extract_text()
    assert text.lstrip().startswith(gettext(edition.language)("Contents"))
    starts = {title: page for title, page, children in outline_tree(reader)
              for title, page, _ in [(title, page, [])] + children}
    lines = [words(line) for line in text.splitlines()]
    for title in content_chapter_titles(edition) | set(parts(edition)):
        entry = next((line for line in lines if unnumbered(line).startswith(title)), None)
        assert entry is not None, f"{title} is not in the contents"
        assert entry.rstrip(". ").endswith(f" {starts[title] + 1}"), entry


def test_chapters_are_numbered_in_three_parts(edition: Build, reader: PdfReader) -> None:
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == f"1 {page_title(edition, INTRODUCTION)}"
    assert titles[1:] == [f"{part_label(edition.language, n)} {part}"
                          for n, part in zip(["I", "II", "III"], parts(edition))]
    numbers = [int(m.group(1)) for item in reader.outline if isinstance(item, list)
               for child in item if not isinstance(child, list)
               if (m := re.match(r"(\d+) ", child.title))]
    assert numbers == list(range(2, 2 + len(numbers)))


def test_outline_has_the_parts_and_every_chapter(edition: Build, reader: PdfReader) -> None:
    tree = outline_tree(reader)
    introduction = page_title(edition, INTRODUCTION)
    assert [title for title, _, _ in tree] == [introduction, *parts(edition)]
    chapters = {introduction} | {title for _, _, children in tree[1:] for title, _, _ in children}
    assert chapters == content_chapter_titles(edition)
    assert [title for title, _, _ in tree[-1][2]][-1] == page_title(edition, BIBLIOGRAPHY)


def test_outline_goes_down_to_sections(edition: Build, reader: PdfReader) -> None:
    """A chapter's sections are its page's <h2>s: Region Skåne's, from "Remit" to "Sources"."""
    regions = {title: children for title, _, children in outline_tree(reader)}[parts(edition)[0]]
    skane = {title: children for title, _, children in regions}["Region Skåne"]
    sections = [words(h2.get_text(" ", strip=True).rstrip("#¶"))
                for h2 in edition.soup(edition.html / SKANE).select("main article h2")]
    assert len(sections) >= 5 and [title for title, _, _ in skane] == sections


def test_cross_references_show_the_page_of_their_target(edition: Build, reader: PdfReader) -> None:
    """References to the glossary and bibliography (no section shares their names) print the
    page the chapter starts on, "(p. 12)" in the edition's language; so does the introduction's
    reference to the first region."""
    starts = {title: page + 1 for title, page, children in outline_tree(reader)
              for title, page, _ in [(title, page, [])] + children}
    text = words(edition.pdf_text.replace("‐ ", ""))
    page = re.escape(gettext(edition.language)("p."))
    targets = "|".join(re.escape(page_title(edition, p)) for p in (GLOSSARY, BIBLIOGRAPHY))
    found = re.findall(rf"({targets}) \({page} (\d+)\)", text)
    assert found, "no cross-reference with a page number"
    wrong = [(title, number) for title, number in found if int(number) != starts[title]]
    assert not wrong, wrong
    assert f"Region Skåne ({gettext(edition.language)('p.')} {starts['Region Skåne']})" in text


def test_citations_link_to_the_one_bibliography_at_the_end(edition: Build, reader: PdfReader,
                                                          tagged: Tagged) -> None:
    bibliography = {title: page for title, page, _ in outline_tree(reader)[-1][2]}[page_title(edition, BIBLIOGRAPHY)]
    names = pikepdf.NameTree(tagged.pdf.Root.Names.Dests)
    described = gettext(edition.language)("Bibliography: {entry}").format(entry="")  # "Bibliography: "
    citations = [a for p in tagged.pdf.pages for a in p.get("/Annots", [])
                 if str(a.get("/Contents", "")).startswith(described)]
    assert len(citations) >= 50
    pages = {tagged.page_index[names[str(a.Dest)][0].objgen] for a in citations}
    assert min(pages) >= bibliography, sorted(pages)
    assert bibliography == len(reader.pages) - 1 or all(p >= bibliography for p in pages)


def test_external_addresses_are_printed(edition: Build) -> None:
    text = squeeze(edition.pdf_text)
    entries = parse_file(REPO / "references.bib", bib_format="bibtex").entries
    urls = [e.fields["url"] for e in entries.values() if "url" in e.fields]
    assert urls
    assert [u for u in urls if squeeze(u) not in text] == []


def test_text_has_every_bibliography_entry(edition: Build) -> None:
    """Each entry as the edition's site gives it, with the release's own title (and in English
    its translation: a translated edition gives one only for a release in another language)."""
    text = squeeze(edition.pdf_text)
    entries = parse_file(REPO / "references.bib", bib_format="bibtex").entries
    fields = ("title", "titleaddon") if edition.language == LANGUAGES[0] else ("title",)
    missing = [f"{key}: {field}" for key, entry in entries.items()
               for field in fields if squeeze(entry.fields[field]) not in text]
    assert not missing
    site = [squeeze(citation.get_text(" ", strip=True).partition("]")[2])
            for citation in edition.soup(edition.html / BIBLIOGRAPHY).select("main article div.citation")]
    assert len(site) == len(entries)
    assert [entry for entry in site if entry not in text] == []


def test_the_glossary_is_in_the_book(edition: Build) -> None:
    text = squeeze(edition.pdf_text)
    glossary = edition.soup(edition.html / GLOSSARY)
    terms = [dt.get_text(" ", strip=True).rstrip("¶#") for dt in glossary.select("dl.glossary dt")]
    assert len(terms) > 10
    assert [t for t in terms if squeeze(t) not in text] == []


def test_the_map_is_vector_graphics(edition: Build, tagged: Tagged) -> None:
    images = [o for o in tagged.pdf.objects
              if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert not images, "the PDF holds raster images"
    alt = edition.soup(edition.html / MAP).select_one("main article img")["alt"]
    figure = next(f for f in tagged.of("/Figure") if str(f.obj.get("/Alt", "")) == alt)
    page = tagged.pdf.pages[figure.page]
    assert "/Form" in str(page.Resources.get("/XObject", {})) or len(page.Contents.read_bytes()) > 5000


def test_all_fonts_are_embedded(edition: Build) -> None:
    rows = subprocess.run(["pdffonts", str(edition.pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows, "pdffonts listed no fonts"
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, not_embedded


def test_no_site_chrome(edition: Build) -> None:
    text = edition.pdf_text
    chrome = ["Download PDF", "Skip to main content", "Search", "Edit this page", "Last updated",
              "Toggle", "Contributing to the", gettext(edition.language)("Download {edition}").format(edition="PDF")]
    assert [c for c in chrome if c in text] == []


def test_nordic_characters_survive_extraction(edition: Build) -> None:
    for word in ("Skåne", "Götaland", "Hadžialić", "Kühnau", "Sørensen", "næstformand"):
        assert word in edition.pdf_text, word


def test_nordic_names_break_only_where_they_may(edition: Build, tagged: Tagged) -> None:
    """A Swedish or Danish word broken at line ends is broken at its listed points only, unless
    it is a word of the edition's own language (a Swedish word in the Swedish edition), which
    its hyphenation patterns break.

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
        nordic = word in BREAKS or any(letter in foreign_letters(edition.language) for letter in word)
        if nordic and not cuts <= allowed:
            wrong.append("-".join(parts))
    assert broken, "no word is hyphenated at all: is hyphenation on?"
    assert not wrong, wrong
