"""The placeholders the views' directives leave in a page, and the nodes the views are built of.

A view needs every page read before it can be built, so its directive leaves a
:class:`view_node`, which :class:`handbook.views.fill.FillViews` replaces once all pages are read.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective


class event_node(nodes.General, nodes.Element):
    """An event's declaration; collected and removed when its page has been read."""


class view_node(nodes.General, nodes.Element):
    """Where a view goes; ``view`` is its name, ``key`` the source of a source note."""


def view_directive(view: str, takes_key: bool = False) -> type[SphinxDirective]:
    """The directive that places the view *view*; with *takes_key*, for one source's key."""
    class ViewDirective(SphinxDirective):
        required_arguments = 1 if takes_key else 0

        def run(self) -> list[nodes.Node]:
            node = view_node(view=view, key=self.arguments[0] if takes_key else "",
                             docname=self.env.docname)
            self.set_source_info(node)
            return [node]
    return ViewDirective


def enclosing_section(node: nodes.Node) -> tuple[str, str]:
    """The id and title of the innermost section holding *node*."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    if parent is None:
        return "", ""
    title = parent.next_node(nodes.title)
    return parent["ids"][0], title.astext() if title else ""


def paragraph(*children: nodes.Node | str) -> nodes.paragraph:
    """A paragraph of *children*; a string (or a translated message, ``_("…")``) becomes text."""
    para = nodes.paragraph()
    for child in children:
        para += child if isinstance(child, nodes.Node) else nodes.Text(str(child))
    return para


def table(node_id: str, title: str, headers: list[str], rows: list[list], widths: list[int]) -> nodes.table:
    """A table with a caption, a header row and the first column as row headers."""
    tab = nodes.table(classes=["handbook-view"], ids=[node_id])
    tab += nodes.title(text=str(title))
    group = nodes.tgroup(cols=len(headers))
    tab += group
    for i, width in enumerate(widths):
        group += nodes.colspec(colwidth=width, stub=1 if i == 0 else 0)
    head = nodes.thead()
    group += head
    head += nodes.row("", *[nodes.entry("", paragraph(h)) for h in headers])
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += nodes.row("", *[nodes.entry("", *(c if isinstance(c, list) else [paragraph(c)]))
                                for c in cells])
    return tab


def cite_xref(docname: str, key: str) -> addnodes.pending_xref:
    """A ``{cite:p}`` reference, resolved by sphinxcontrib-bibtex like one written in a chapter."""
    return addnodes.pending_xref("", nodes.inline("", key), refdomain="cite", reftype="p",
                                 reftarget=key, refdoc=docname, refexplicit=False, refwarn=True)


def citations(docname: str, keys) -> list[nodes.Node]:
    """``{cite:p}`` references to each of *keys*, separated by semicolons."""
    found: list[nodes.Node] = []
    for i, key in enumerate(keys):
        found += [nodes.Text("; ")] if i else []
        found.append(cite_xref(docname, key))
    return found
