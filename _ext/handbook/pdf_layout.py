"""Shape the single LaTeX document into a book: parts, chapters, one bibliography, page references.

Sphinx assembles the PDF by inlining every page at its place in the toctree, so the overview
pages (``kind: overview`` in their front matter: Regions, Themes, Reference) would become
chapters with the real chapters as their sections. This post-transform, which runs only for
the LaTeX builder and after Sphinx's own ones, turns each overview page into a ``\\part`` and
lifts its children up to chapters. It also

- keeps only the toctree of the landing page: the PDF has a title page of its own, and the
  landing page's cards and buttons are for the web;
- leaves out pages of ``kind: guide`` (the contributor guide), which serve the web edition;
- drops the HTML bibliography page, whose entries Sphinx has already gathered into the one
  bibliography at the end of the book, and moves its labels there so that references still land;
- appends "(p. N)" to references that point at a whole chapter, for readers on paper.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform

OVERVIEW_KIND = "overview"
WEB_ONLY_KIND = "guide"  # the contributor guide: for the web, not for readers of the book


def latex_label(docname: str, node_id: str) -> str:
    """The label Sphinx's LaTeX writer gives the target *node_id* of *docname*."""
    return rf"\label{{\detokenize{{{docname}:{node_id}}}}}"


def page_sections(document: nodes.document) -> dict[str, nodes.section]:
    """The top section of every inlined page, keyed by docname."""
    found = {}
    for start in document.findall(addnodes.start_of_file):
        section = next((c for c in start.children if isinstance(c, nodes.section)), None)
        if section is not None:
            found[start["docname"]] = section
    return found


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


def owning_page(node: nodes.Node) -> addnodes.start_of_file | None:
    """The innermost inlined page that holds *node*."""
    parent = node.parent
    while parent is not None and not isinstance(parent, addnodes.start_of_file):
        parent = parent.parent
    return parent


def inside_page(node: nodes.Node) -> bool:
    """Whether *node* belongs to an inlined page rather than to the root document."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.start_of_file):
            return True
        parent = parent.parent
    return False


def preceding_targets(section: nodes.section) -> list[nodes.target]:
    """The label targets placed right before *section* (MyST's ``(label)=`` lines)."""
    siblings = section.parent.children
    targets = []
    for node in reversed(siblings[: siblings.index(section)]):
        if not isinstance(node, nodes.target):
            break
        if node.get("refid") in section["ids"]:
            targets.append(node)
    return targets


class BookStructure(SphinxPostTransform):
    """Overview pages become parts; the bibliography page gives way to the end bibliography."""

    builders = ("latex",)
    default_priority = 800  # after Sphinx's BibliographyTransform (750)

    def run(self, **kwargs) -> None:
        metadata = self.env.metadata
        repair_parents(self.document)
        self.strip_landing_page()
        sections = page_sections(self.document)
        for docname, section in list(sections.items()):
            kind = metadata.get(docname, {}).get("kind")
            if kind == OVERVIEW_KIND:
                self.make_part(docname, section)
            elif kind == WEB_ONLY_KIND:
                start = section.parent
                start.parent.remove(start)
                del sections[docname]
        bibliography_doc = self.config.handbook_bibliography_doc
        if bibliography_doc in sections:
            self.merge_bibliography_page(bibliography_doc, sections[bibliography_doc])
        self.add_page_references(sections)

    def strip_landing_page(self) -> None:
        landing = self.document.next_node(nodes.section)
        toctrees = [wrapper for wrapper in landing.findall(nodes.compound)
                    if "toctree-wrapper" in wrapper["classes"] and not inside_page(wrapper)]
        # Keep the title, which becomes the book's, and the inlined chapters.
        landing.children = landing.children[:1]
        for wrapper in toctrees:
            wrapper.parent = None
            landing += wrapper

    def make_part(self, docname: str, section: nodes.section) -> None:
        title = section.next_node(nodes.title).astext()
        labels = "".join(latex_label(docname, node_id) for node_id in section["ids"])
        part = nodes.raw("", rf"\part{{{title}}}{labels}", format="latex")
        # The labels now sit on the part; drop the targets that would write them a second time.
        for target in preceding_targets(section):
            target.parent.remove(target)
        # Only this page's own toctrees: a chapter's sub-pages (the source notes) stay inside it.
        children = [start for wrapper in section.findall(nodes.compound)
                    if "toctree-wrapper" in wrapper["classes"]
                    and owning_page(wrapper) is owning_page(section)
                    for start in wrapper.children if isinstance(start, addnodes.start_of_file)]
        section.replace_self([part, *children])

    def merge_bibliography_page(self, docname: str, section: nodes.section) -> None:
        bibliography = next(self.document.findall(thebibliography), None)
        if bibliography is None:
            return
        labels = "".join(latex_label(docname, node_id) for node_id in section["ids"])
        anchor = nodes.raw("", rf"\phantomsection{labels}", format="latex")
        for target in preceding_targets(section):
            target.parent.remove(target)
        section.parent.remove(section)
        bibliography.parent.insert(bibliography.parent.index(bibliography), anchor)

    def add_page_references(self, sections: dict[str, nodes.section]) -> None:
        chapter_targets = {f"%{docname}#{node_id}": (docname, node_id)
                           for docname, section in sections.items() for node_id in section["ids"]}
        for reference in list(self.document.findall(nodes.reference)):
            target = chapter_targets.get(reference.get("refuri", ""))
            if target is None or isinstance(reference.parent, nodes.title):
                continue
            docname, node_id = target
            page = rf"~(p.\,\pageref*{{\detokenize{{{docname}:{node_id}}}}})"
            reference.parent.insert(reference.parent.index(reference) + 1,
                                    nodes.raw("", page, format="latex"))


def setup(app: Sphinx) -> dict:
    app.add_post_transform(BookStructure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
