"""The PDF edition: ``sphinx-build -b pdf`` typesets the book with WeasyPrint as tagged PDF/UA-1.

The PDF is made from the same HTML as the site: the builder is Sphinx's ``singlehtml`` builder,
which writes the whole book as one HTML page with the site's HTML translator, and then hands
that page to WeasyPrint's Python API with ``pdf_variant="pdf/ua-1"``, which tags headings,
lists, tables, figures and links for assistive technology. It differs from ``singlehtml`` in:

- its theme, ``_ext/handbook/pdf_theme``: a page template with the title page, the table of
  contents and the book, and the print stylesheet; no site chrome (navigation, buttons, search);
- its translator, which writes no "#" permalinks beside headings and no anchor before each
  page, marks table header cells
  with their ``scope`` (column or row), so that WeasyPrint ties each cell to its headers, and
  writes a list item's one paragraph without ``<p>``, so that it is tagged as the item's body;
- its format, ``pdf``, so that everything meant for the web leaves it alone: ``{only} html``
  blocks, the Download PDF button, the site's icons, scripts and page metadata.

The book's structure (parts, numbered chapters, unique ids, page references) is shaped by
:mod:`handbook.pdf_book`; running heads and page numbers become artefacts, and links get the
words of their targets as descriptions, in :mod:`handbook.pdf_tagging`. WeasyPrint's own warnings (a CSS property it does not know, a link
to a missing anchor, an image without alt text) become Sphinx warnings, so ``-W`` stops on them.
WeasyPrint reads local files only: nothing in the book may make it fetch from the network. It
draws SVG label halos over the text; :mod:`handbook.pdf_svg` puts them under it, as browsers do.
"""

from __future__ import annotations

import logging as std_logging
from contextlib import contextmanager
from pathlib import Path

import weasyprint
from weasyprint.urls import URLFetcherResponse
from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging
from sphinx.util.display import progress_message
from sphinx.writers.html5 import HTML5Translator

from . import shims
from .catalogue import catalogue
from .edition import source_date
from .languages import _
from .pdf_svg import halos_under_text
from .pdf_tagging import finish_pdf

logger = logging.getLogger(__name__)

THEME = "handbook-pdf"
THEME_DIR = Path(__file__).parent / "pdf_theme"
TEMPLATE = "handbook-pdf.html"


class PdfTranslator(HTML5Translator):
    """The site's HTML translator, less the permalinks, plus ``scope`` on header cells."""

    def add_permalink_ref(self, node: nodes.Element, title: str) -> None:
        pass  # a "#" beside every heading means nothing on paper

    def visit_start_of_file(self, node: nodes.Element) -> None:
        # No empty <span id="document-…"> before each page (links to a page go to its first
        # section, see handbook.pdf_book): between two chapters, on pages of no named type, it
        # would make a blank page of its own.
        self.docnames.append(node["docname"])

    @staticmethod
    def is_item_text(node: nodes.paragraph) -> bool:
        """Whether *node* is a list item's one paragraph, written without ``<p>``.

        WeasyPrint tags ``<li><p>…</p></li>`` as an LI holding a Lbl and a P, while PDF/UA
        allows only Lbl and LBody in an LI; ``<li>…</li>`` gives Lbl and LBody.
        """
        item = node.parent
        return (isinstance(item, nodes.list_item) and item.children[0] is node and not node["ids"]
                and not any(isinstance(c, nodes.paragraph) for c in item.children[1:]))

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if not self.is_item_text(node):
            super().visit_paragraph(node)

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        if not self.is_item_text(node):
            super().depart_paragraph(node)

    def visit_entry(self, node: nodes.entry) -> None:
        super().visit_entry(node)
        tag = self.body[-1]
        if tag.startswith("<th"):
            scope = "col" if isinstance(node.parent.parent, nodes.thead) else "row"
            self.body[-1] = f'<th scope="{scope}"' + tag[len("<th"):]


class PdfBuilder(SingleFileHTMLBuilder):
    """The whole book as one HTML page in the PDF theme, then as a PDF."""

    name = "pdf"
    format = "pdf"  # not "html": what is written for the web's browsers stays out
    epilog = "The PDF is in %(outdir)s."
    default_translator_class = PdfTranslator
    search = False

    def get_theme_config(self) -> tuple[str, dict]:
        return THEME, {}

    def finish(self) -> None:
        super().finish()
        self.write_pdf()

    @progress_message("typesetting the PDF with WeasyPrint")
    def write_pdf(self) -> None:
        page = Path(self.outdir) / f"{self.config.root_doc}{self.out_suffix}"
        target = Path(self.outdir) / self.config.handbook_pdf_file
        fetcher = LocalFiles(allowed_protocols={"file"}, fail_on_errors=True)
        with weasyprint_messages_as_warnings(page):
            pdf = weasyprint.HTML(filename=page, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
        target.write_bytes(finish_pdf(pdf, getattr(self, "handbook_link_descriptions", {})))


class LocalFiles(weasyprint.URLFetcher):
    """WeasyPrint's fetcher, for local files, with SVG halos it can draw (:mod:`handbook.pdf_svg`)."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        response = super().fetch(url, headers)
        if url.split("?")[0].endswith(".svg"):
            try:
                body = halos_under_text(response.read())
            finally:
                response.close()
            response = URLFetcherResponse(response.url, body, response.headers, response.status)
        return response


class _Forward(std_logging.Handler):
    def __init__(self, location: str) -> None:
        super().__init__(std_logging.WARNING)
        self.location = location

    def emit(self, record: std_logging.LogRecord) -> None:
        logger.warning("WeasyPrint: %s", record.getMessage(), location=self.location,
                       type="handbook", subtype="pdf")


@contextmanager
def weasyprint_messages_as_warnings(page: Path):
    """WeasyPrint's warnings and errors, as Sphinx warnings about *page*, while it runs."""
    handler = _Forward(str(page))
    weasyprint.LOGGER.addHandler(handler)
    try:
        yield
    finally:
        weasyprint.LOGGER.removeHandler(handler)


def contents(doctree: nodes.document) -> list[dict]:
    """The table of contents: the front-matter chapters, then each part with its chapters."""
    entries = []

    def entry(section: nodes.section) -> dict:
        return {"id": section["ids"][0], "number": section.get("handbook_number", ""),
                "title": section.get("handbook_title", section.next_node(nodes.title).astext()),
                "classes": section["classes"], "children": []}

    for section in doctree.findall(nodes.section):
        classes = section["classes"]
        if "part" in classes:
            entries.append(entry(section))
        elif "chapter" in classes:
            chapter = entry(section)
            if entries and "part" in entries[-1]["classes"]:
                entries[-1]["children"].append(chapter)
            else:
                entries.append(chapter)
    return entries


def link_descriptions(doctree: nodes.document) -> dict[str, str]:
    """What a link to each id leads to, in words: a heading, a glossary term, an entry."""
    descriptions = {}
    for node in doctree.findall(nodes.Element):
        if not node.get("ids"):
            continue
        if isinstance(node, nodes.section):
            text = node.next_node(nodes.title).astext()
        elif isinstance(node, nodes.citation):
            entry = " ".join(c.astext() for c in node.children if not isinstance(c, nodes.label))
            text = str(_("Bibliography: {entry}")).format(entry=" ".join(entry.split()))
            text = text if len(text) <= 120 else text[:119].rstrip() + "…"
        elif isinstance(node, nodes.term):
            text = str(_("Glossary: {term}")).format(term=node.astext())
        else:
            text = " ".join(node.astext().split())
            text = text if len(text) <= 120 else text[:119].rstrip() + "…"
        for node_id in node["ids"]:
            descriptions.setdefault(node_id, text.replace("\u00ad", ""))
    return descriptions


#: The licence of the text, named on the title page.
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def title_page(config) -> dict[str, Markup]:
    """The title page's words in the edition's language, as HTML: the edition, the licence, how
    to cite, the sources.

    The messages are the EPUB title page's (``_templates/epub-titlepage.html``), so that both
    editions say the same; the EPUB's are in ``sphinx.po``, these in ``handbook.po``.
    """
    edition = dated = Markup()
    if config.release:
        edition = Markup.escape(str(_("Edition %(edition)s")) % {"edition": config.release})
        if config.today:
            dated = Markup.escape(str(_("Edition %(edition)s, %(date)s")) % {"edition": config.release,
                                                                          "date": config.today})
    licence = Markup.escape(str(_(
        "The text of this handbook is licensed under the Creative Commons Attribution 4.0 International "
        "licence (CC BY 4.0), %(licence)s. You may share and adapt it with attribution."
    ))) % {"licence": Markup('<a href="{0}">{0}</a>').format(LICENCE_URL)}
    cite = Markup("<strong>{}</strong> {}. <em>{}</em>.").format(str(_("How to cite.")), config.author, config.project)
    if config.release:
        cite += Markup(" {}.").format(dated or edition)
    sources = Markup.escape(str(_(
        "Every statement of fact cites a public release by a Swedish or Danish region, listed in the "
        "%(bibliography)s at the end of the book."
    ))) % {"bibliography": str(_("bibliography"))}
    return {
        "edition": edition,  # "Edition 2026.11.22 (a3234b9)"
        "licence": Markup("<strong>{}</strong> ").format(str(_("Licence."))) + licence,
        "cite": cite,
        "sources": Markup("<strong>{}</strong> ").format(str(_("Sources."))) + sources,
    }


def css_string(text: str) -> str:
    """*text* as a CSS string, quoted, to be written inside a ``<style>`` element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return f'"{escaped}"'


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict,
                 doctree: nodes.document | None) -> str | None:
    """The book's page template, with what the title page, contents and metadata need.

    Every word is in the edition's language: the configuration is translated when a translated
    edition starts (handbook.languages), the fixed words here.
    """
    if app.builder.name != PdfBuilder.name or doctree is None:
        return None
    config = app.config
    date = source_date(Path(app.srcdir))
    app.builder.handbook_link_descriptions = link_descriptions(doctree)
    context["handbook_pdf"] = {
        "title": config.project,
        "subtitle": config.handbook_pdf_subtitle,
        "author": config.author,
        "subject": config.handbook_pdf_subject,
        # The regions' names are keywords too, from the catalogue, so a new region needs no edit here.
        "keywords": ", ".join([*config.handbook_pdf_keywords,
                               *(r.name for r in catalogue(app.env).regions)]),
        "edition": config.release,
        "date": config.today,
        "words": title_page(config),  # the title page's: edition, licence, how to cite, sources
        "contents_title": str(_("Contents")),
        # Translators: "(p. 12)" after a cross-reference in the PDF: the abbreviation of "page".
        "page_abbreviation_css": css_string(str(_("p."))),
        "created": date.strftime("%Y-%m-%dT%H:%M:%SZ") if date else "",
        "contents": contents(doctree),
    }
    return TEMPLATE


def setup(app: Sphinx) -> dict:
    shims.register("handbook.pdf_tagging", "weasyprint", "==70.0",
                   "how it marks the page-margin content (running heads, page numbers) and link "
                   "annotations, which handbook.pdf_tagging rewrites into artefacts and descriptions")
    app.add_config_value("handbook_pdf_file", "nordic-life-science-handbook.pdf", "env", str)
    app.add_config_value("handbook_pdf_subtitle", "", "env", str)
    app.add_config_value("handbook_pdf_subject", "", "env", str)
    app.add_config_value("handbook_pdf_keywords", [], "env", list)
    app.add_html_theme(THEME, str(THEME_DIR))
    app.add_builder(PdfBuilder)
    app.connect("html-page-context", page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
