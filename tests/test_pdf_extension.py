"""Unit tests of the PDF edition's modules: hyphenation, SVG halos, ids, artefacts."""

from __future__ import annotations

import io
import re

import pikepdf
import weasyprint
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.utils import new_document

from handbook.pdf_book import flatten_links, prefixed
from handbook.pdf_hyphenation import SOFT_HYPHEN, add_hyphenation_points
from handbook.pdf_svg import halos_under_text
from handbook.pdf_tagging import finish_pdf


def document(*children: nodes.Node) -> nodes.document:
    doc = new_document("test", get_default_settings())
    doc += nodes.paragraph("", "", *children)
    return doc


# -- Hyphenation ----------------------------------------------------------------------------------

def test_a_listed_nordic_name_gets_its_break_points_in_a_span_of_its_own() -> None:
    doc = document(nodes.Text("The plan of Västra Götalandsregionen was adopted."))
    add_hyphenation_points(doc)
    spans = [n for n in doc.findall(nodes.inline) if "nordic" in n["classes"]]
    assert [s.astext() for s in spans] == ["Väst\u00adra", "Gö\u00adta\u00adlands\u00adre\u00adgio\u00adnen"]
    assert doc.astext().replace(SOFT_HYPHEN, "") == "The plan of Västra Götalandsregionen was adopted."


def test_an_unlisted_nordic_word_is_kept_whole_and_english_is_left_alone() -> None:
    doc = document(nodes.Text("a regionalt samarbete in Malmö"))
    add_hyphenation_points(doc)
    spans = [n.astext() for n in doc.findall(nodes.inline)]
    assert spans == ["Malmö"]  # no break point known: the span keeps it whole


def test_a_swedish_edition_leaves_swedish_words_to_its_patterns_but_not_danish_ones() -> None:
    """In Swedish text, Swedish words are hyphenated by WeasyPrint's Swedish patterns; a Danish
    word is still foreign (kept whole, or broken at its listed points)."""
    doc = document(nodes.Text("Malmö, Sjælland och Region Midtjylland"))
    add_hyphenation_points(doc, "sv")
    assert [n.astext() for n in doc.findall(nodes.inline)] == ["Sjælland", "Mid\u00adtjyl\u00adland"]


def test_link_text_gets_soft_hyphens_without_spans() -> None:
    doc = document(nodes.reference("", "Västra Götalandsregionen", refuri="#x"))
    add_hyphenation_points(doc)
    link = next(doc.findall(nodes.reference))
    assert link.children[0].astext() == "Väst\u00adra Gö\u00adta\u00adlands\u00adre\u00adgio\u00adnen"
    assert not list(doc.findall(nodes.inline))


# -- Links hold text only ---------------------------------------------------------------------------

def test_markup_inside_a_link_moves_around_it() -> None:
    doc = document(nodes.reference("", "", nodes.inline("", "Region Skåne", classes=["std-ref"]),
                                   refuri="#skane"))
    flatten_links(doc)
    span = next(doc.findall(nodes.inline))
    assert span["classes"] == ["std-ref"]
    assert isinstance(span[0], nodes.reference) and span[0].children == [nodes.Text("Region Skåne")]


def test_mixed_markup_inside_a_link_becomes_its_text() -> None:
    link = nodes.reference("", "", nodes.Text("see "), nodes.emphasis("", "Lif"), refuri="#lif")
    doc = document(link)
    flatten_links(doc)
    assert link.children == [nodes.Text("see Lif")]


def test_ids_are_prefixed_with_their_page_except_on_the_root_page() -> None:
    assert prefixed("chapters/regions/skane", "sources", "index") == "chapters-regions-skane--sources"
    assert prefixed("index", "home", "index") == "home"


# -- SVG halos ---------------------------------------------------------------------------------------

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>'
       b'.halo{paint-order:stroke;stroke:#fff;stroke-width:4px}</style>'
       b'<path d="M0 0H10"/><text class="halo" x="1" y="5">Malm\xc3\xb6</text><text x="1" y="9">plain</text></svg>')


def test_a_halo_is_drawn_under_its_text() -> None:
    out = halos_under_text(SVG).decode()
    texts = re.findall(r"<text[^>]*>[^<]*</text>", out)
    assert len(texts) == 3
    assert 'style="fill:none"' in texts[0] and "Malmö" in texts[0]  # the halo, first
    assert 'style="stroke:none"' in texts[1] and "Malmö" in texts[1]  # then the letters
    assert "style" not in texts[2]  # a text without a halo is left alone


def test_an_svg_without_halos_is_returned_unchanged() -> None:
    plain = SVG.replace(b"paint-order:stroke;", b"")
    assert halos_under_text(plain) == plain


# -- Artefacts -----------------------------------------------------------------------------------

def test_page_margins_become_artifacts_and_links_get_words() -> None:
    html = ('<html lang="en"><title>T</title><style>@page { @top-right { content: "Running head" } '
            '@bottom-center { content: counter(page) } }</style>'
            '<h1 id="a">A heading</h1><p><a href="#a">back</a></p></html>')
    raw = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    finished = finish_pdf(raw, {"a": "A heading"})
    with pikepdf.open(io.BytesIO(raw)) as before:
        assert b"/Artifact << /Type /Pagination" not in before.pages[0].Contents.read_bytes()
    with pikepdf.open(io.BytesIO(finished)) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
        assert content.count(b"/Artifact << /Type /Pagination >> BDC") >= 2
        page_map = pdf.Root.StructTreeRoot.ParentTree.Nums[1]  # page 0's MCIDs to elements
        assert sum(1 for e in page_map if not isinstance(e, pikepdf.Dictionary)) >= 2
        assert str(pdf.pages[0].Annots[0].Contents) == "A heading"
