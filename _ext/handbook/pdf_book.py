"""Shape the single HTML document of the PDF builder into a book.

The PDF builder (:mod:`handbook.pdf_builder`) inlines every page at its place in the toctree,
as Sphinx's ``singlehtml`` builder does. This post-transform, which runs for that builder only
and after every other one, turns the result into the book's structure:

- the landing page gives way to the title page and contents (rendered by the template); the
  chapters before the first part (the introduction) are kept in an untitled front-matter section;
- pages of ``kind: overview`` (Regions, Themes, Reference) become parts, "Part I" to "Part III"
  in the edition's language, with their chapters inside them, so that parts are ``<h1>``,
  chapters ``<h2>`` and sections ``<h3>`` (the headings nest without skipping a level, as
  PDF/UA wants);
- pages of ``kind: guide`` (the contributor guide) are left out: they serve the web edition;
- chapters are numbered through the book, and their sections within the chapter; the
  bibliography page is the one unnumbered chapter, at the end, where every citation links;
- every id is made unique (each page's ids get the page's name as a prefix) and every internal
  link points at the new id, because ids such as ``sources`` occur on every page; links whose
  target is not in the book become plain text;
- links to a chapter or section get the class ``page-ref``, so the stylesheet can print the
  target's page number; external links whose text is not their address get ``show-url``, so the
  stylesheet can print the address for readers on paper;
- tables of more columns than a portrait page holds get the class ``wide`` (a landscape page);
- images that a page refers to by a path relative to its own folder are pointed at from the
  root, where the single page lives.
"""

from __future__ import annotations

import posixpath

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .builders import builder_for, track
from . import shims
from .languages import _
from .pdf_hyphenation import add_hyphenation_points

BUILDER = "pdf"
OVERVIEW_KIND = "overview"
WEB_ONLY_KIND = "guide"  # the contributor guide: for the web, not for readers of the book
WIDE_TABLE_COLUMNS = 7  # from this many columns on, a table gets a landscape page
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def repair_parents(node: nodes.Element) -> None:
    """Point every node's ``parent`` at the node that holds it.

    Sphinx's ``inline_all_toctrees`` moves each page's children into a ``start_of_file`` node
    without updating their ``parent``, which would send ``replace_self`` and friends to the
    page's old document.
    """
    for child in node.children:
        child.parent = node
        if isinstance(child, nodes.Element):
            repair_parents(child)


def owning_page(node: nodes.Node, root: str) -> str:
    """The docname of the innermost inlined page that holds *node* (*root* outside any)."""
    parent = node.parent
    while parent is not None and not isinstance(parent, addnodes.start_of_file):
        parent = parent.parent
    return parent["docname"] if parent is not None else root


def page_section(start: addnodes.start_of_file) -> nodes.section | None:
    """The top section of an inlined page."""
    return next((c for c in start.children if isinstance(c, nodes.section)), None)


def toctree_pages(section: nodes.Element) -> list[addnodes.start_of_file]:
    """The pages inlined by the toctrees of *section*'s own page (not of pages inside it)."""
    pages = []
    for wrapper in section.findall(nodes.compound):
        if "toctree-wrapper" not in wrapper["classes"]:
            continue
        if wrapper.parent is not None and inside_other_page(wrapper, section):
            continue
        pages += [c for c in wrapper.children if isinstance(c, addnodes.start_of_file)]
    return pages


def inside_other_page(node: nodes.Node, section: nodes.Element) -> bool:
    """Whether an inlined page lies between *node* and its ancestor *section*."""
    parent = node.parent
    while parent is not None and parent is not section:
        if isinstance(parent, addnodes.start_of_file):
            return True
        parent = parent.parent
    return False


def prefixed(docname: str, node_id: str, root: str) -> str:
    """The book-wide id of *node_id* on page *docname*."""
    return node_id if docname == root else f"{docname.replace('/', '-')}--{node_id}"


def number_title(section: nodes.section, label: str, classes: list[str]) -> None:
    """Put *label* ("2", "2.1", "Part I") in front of *section*'s title.

    The number and the bare title are also kept on the section, for the table of contents.
    """
    title = section.next_node(nodes.title)
    section["handbook_number"] = label
    section["handbook_title"] = title.astext()
    title.insert(0, nodes.Text(" "))
    title.insert(0, nodes.inline("", label, classes=classes))


class BookForPrint(SphinxPostTransform):
    """The inlined pages become the book: front matter, parts, numbered chapters, unique ids."""

    builders = (BUILDER,)
    default_priority = 900  # after every other post-transform: views, citations, references

    def run(self, **kwargs) -> None:
        self.root = self.config.root_doc
        self.kind = {doc: meta.get("kind") for doc, meta in self.env.metadata.items()}
        repair_parents(self.document)
        self.drop_web_only_pages()
        self.build_book()
        self.number_chapters()
        self.rebase_images()
        self.make_ids_unique()
        self.mark_links()
        self.mark_wide_tables()
        flatten_links(self.document)
        add_hyphenation_points(self.document, self.config.language)

    def drop_web_only_pages(self) -> None:
        for start in list(self.document.findall(addnodes.start_of_file)):
            if self.kind.get(start["docname"]) == WEB_ONLY_KIND:
                start.parent.remove(start)

    def build_book(self) -> None:
        """Replace the landing page by its toctree's pages: chapters in front, then the parts."""
        landing = self.document.next_node(nodes.section)
        top_pages = toctree_pages(landing)
        self.document.children = [c for c in self.document.children
                                  if not isinstance(c, (nodes.section, nodes.target))]
        front: nodes.section | None = None
        for start in top_pages:
            section = page_section(start)
            if self.kind.get(start["docname"]) == OVERVIEW_KIND:
                section["classes"].append("part")
                self.document += start
                front = None
                for chapter in toctree_pages(section):
                    self.mark_chapter(chapter)
            else:
                if front is None:  # an untitled wrapper: its chapters are <h2> like the others
                    front = nodes.section("", classes=["front-matter"])
                    self.document += front
                front += start
                self.mark_chapter(start)
        repair_parents(self.document)

    def mark_chapter(self, start: addnodes.start_of_file) -> None:
        section = page_section(start)
        if section is not None:
            section["classes"].append("chapter")
            if start["docname"] == self.config.handbook_bibliography_doc:
                section["classes"].append("unnumbered")

    def number_chapters(self) -> None:
        chapter = part = 0
        for section in self.document.findall(nodes.section):
            classes = section["classes"]
            if "part" in classes:
                # Translators: a part of the PDF, numbered in Roman numerals: "Part II".
                number_title(section, str(_("Part {number}")).format(number=ROMAN[part]), ["part-number"])
                part += 1
            elif "chapter" in classes and "unnumbered" not in classes:
                chapter += 1
                number_title(section, str(chapter), ["chapter-number"])
                subsections = [s for s in section.findall(nodes.section)
                               if s is not section and s.parent is not None
                               and self.section_parent(s) is section]
                for index, subsection in enumerate(subsections, start=1):
                    number_title(subsection, f"{chapter}.{index}", ["section-number"])

    @staticmethod
    def section_parent(section: nodes.section) -> nodes.section | None:
        parent = section.parent
        while parent is not None and not isinstance(parent, nodes.section):
            parent = parent.parent
        return parent

    def rebase_images(self) -> None:
        """A page's relative image paths, resolved from the root, where the single page is."""
        for image in self.document.findall(nodes.image):
            uri = image.get("uri", "")
            if uri in builder_for(self.env).images or "://" in uri or uri.startswith(("/", "data:")):
                continue
            folder = posixpath.dirname(owning_page(image, self.root))
            image["uri"] = posixpath.normpath(posixpath.join(folder, uri))

    def make_ids_unique(self) -> None:
        """Prefix every id with its page's name; point every internal link at the new ids."""
        root = self.root
        known: set[str] = set()
        for node in self.document.findall(nodes.Element):
            doc = owning_page(node, root)
            if node.get("ids"):
                node["ids"] = [prefixed(doc, i, root) for i in node["ids"]]
                known.update(node["ids"])
            for key in ("backrefs",):
                if node.get(key):
                    node[key] = [prefixed(doc, i, root) for i in node[key]]
            if node.get("refid"):
                node["refid"] = prefixed(doc, node["refid"], root)
        pages = {}  # docname -> the id of its top section, where links to the page go
        for start in self.document.findall(addnodes.start_of_file):
            section = page_section(start)
            if section is not None and section["ids"]:
                pages[start["docname"]] = section["ids"][0]
        for reference in list(self.document.findall(nodes.reference)):
            uri = reference.get("refuri")
            if uri is None or not uri.startswith("#"):
                continue
            doc, _, anchor = uri[1:].partition("#")
            if doc.startswith("document-"):  # "#document-chapters/x#y" or "#document-chapters/x"
                doc = doc.removeprefix("document-")
                if doc not in pages:
                    target = None
                elif anchor:
                    target = prefixed(doc, anchor, root)
                else:
                    target = pages[doc]
            else:  # "#y": a link within its own page
                target = prefixed(owning_page(reference, root), uri[1:], root)
            if target is None or target not in known:
                self.unlink(reference)
            else:
                reference["refuri"] = f"#{target}"

    @staticmethod
    def unlink(reference: nodes.reference) -> None:
        """Keep a link's text, without the link: its target is not in the book."""
        reference.replace_self(nodes.inline("", "", *reference.children))

    def mark_links(self) -> None:
        sections = {i for s in self.document.findall(nodes.section) for i in s["ids"]}
        for reference in self.document.findall(nodes.reference):
            uri = reference.get("refuri", "")
            if uri.startswith("#"):
                in_title = any(isinstance(a, nodes.title) for a in self.ancestors(reference))
                if uri[1:] in sections and not in_title:
                    reference["classes"].append("page-ref")
            elif uri and reference.astext().strip() != uri:
                reference["classes"].append("show-url")

    def mark_wide_tables(self) -> None:
        for table in self.document.findall(nodes.table):
            group = table.next_node(nodes.tgroup)
            if group is not None and group.get("cols", 0) >= WIDE_TABLE_COLUMNS:
                table["classes"].append("wide")

    @staticmethod
    def ancestors(node: nodes.Node):
        parent = node.parent
        while parent is not None:
            yield parent
            parent = parent.parent


def flatten_links(document: nodes.document) -> None:
    """Links hold text only: any markup goes around them (or, if mixed, is dropped).

    WeasyPrint gives every inline box inside a link a link annotation of its own, tagged as that
    box (a Span), while PDF/UA wants each link annotation in a Link element.
    """
    for reference in list(document.findall(nodes.reference)):
        inner = [c for c in reference.children if isinstance(c, nodes.Element)]
        if not inner:
            continue
        if all(isinstance(c, nodes.image) for c in reference.children):
            # the map links to its own file, for zooming on a phone; on paper, the image alone
            reference.replace_self(reference.children)
            continue
        only = reference.children[0]
        if len(reference.children) == 1 and all(isinstance(c, nodes.Text) for c in only.children):
            # <a><span class="std-ref">X</span></a> becomes <span class="std-ref"><a>X</a></span>
            wrapper = only.__class__("", "", **{k: v for k, v in only.attributes.items()
                                                 if k in ("classes",)})
            reference.children = []
            reference += nodes.Text(only.astext())
            reference.replace_self(wrapper)
            wrapper += reference
        else:
            reference.children = [nodes.Text(reference.astext())]
            for child in reference.children:
                child.parent = reference


def setup(app: Sphinx) -> dict:
    shims.register("handbook.pdf_book", "sphinx", "==9.0.4",
                   "two bugs of its singlehtml builder that the book works round: links to pages and "
                   "duplicate ids")
    track(app)  # the transforms need the builder (handbook.builders)
    app.add_config_value("handbook_bibliography_doc", "chapters/reference/bibliography", "env")
    app.add_post_transform(BookForPrint)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
