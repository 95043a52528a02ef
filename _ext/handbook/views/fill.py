"""Filling in the views: every placeholder replaced by its content once every page has been read."""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..builders import builder_for
from .events import build_timeline
from .map import build_partnership_map
from .matrix import build_region_theme_matrix
from .nodes import view_node
from .source_notes import build_source_note

#: View name -> what builds it: (the transform, the page's docname, the placeholder) -> nodes.
BUILDERS: dict[str, Callable[..., list[nodes.Node]]] = {
    "region-theme-matrix": build_region_theme_matrix,
    "timeline": build_timeline,
    "source-note": build_source_note,
    "partnership-map": build_partnership_map,
}


class FillViews(SphinxPostTransform):
    """Replace every view placeholder by its content, before references are resolved.

    Not for the gettext builder: a view's words are the extension's messages (handbook.po), and
    the messages a placeholder carries (a source's note) must stay for it to extract them."""

    default_priority = 5  # before Sphinx's ReferencesResolver (10): the citations get resolved

    def run(self, **kwargs) -> None:
        if builder_for(self.env).name == "gettext":
            return
        for node in list(self.document.findall(view_node)):
            node.replace_self(BUILDERS[node["view"]](self, node["docname"], node))

    def link(self, fromdoc: str, todoc: str, anchor: str, text: str) -> nodes.reference:
        """A link from page *fromdoc* to *anchor* in *todoc* (its top if *anchor* is empty)."""
        uri = builder_for(self.env).get_relative_uri(fromdoc, todoc)
        return nodes.reference("", text, internal=True, refuri=f"{uri}#{anchor}" if anchor else uri)

    def title(self, docname: str) -> str:
        """The title of page *docname*."""
        return self.env.titles[docname].astext() if docname in self.env.titles else docname
