"""The ``{region-theme-matrix}``: which themes each region's sources address.

A cell links the theme chapter's section labelled ``(<theme>-<region>)=``; its text is the line
for the region in the theme chapter's ``matrix:`` front matter (in a translated edition, as the
chapter's catalogue translates it), else that section's title.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes

from ..languages import _, page_gettext
from .names import ids, region_names, short_region_names, short_theme_names, theme_chapters, theme_names
from .nodes import citations, paragraph, table, view_node

MARK = "\u25cf"  # ● in a matrix cell: the region's work on the theme is described

Cell = tuple[str, str, str]  # docname, section id, one-line summary


def region_theme_matrix(front_matter: dict[str, dict], labels: dict[str, tuple],
                        regions: list[str], themes: list[str],
                        translate: Callable[[str, str], str] = lambda docname, text: text,
                        ) -> dict[tuple[str, str], Cell | None]:
    """The cell for each (region, theme): the theme chapter's ``<theme>-<region>`` section and
    the one-line summary from the chapter's ``matrix:`` front matter, if the chapter lists the
    region and the section exists; else None. *labels* maps a label to (docname, id, title);
    *translate* (docname, text) gives a front-matter line in the edition's language."""
    theme_docs = theme_chapters(front_matter)
    cells = {}
    for region in regions:
        for theme in themes:
            doc = theme_docs.get(theme)
            listed = doc is not None and region in ids(front_matter[doc], "regions")
            label = labels.get(f"{theme}-{region}")
            if listed and label:
                line = (front_matter[doc].get("matrix") or {}).get(region)
                line = translate(doc, line) if line else label[2]
                cells[region, theme] = (label[0], label[1], line)
            else:
                cells[region, theme] = None
    return cells


def build_region_theme_matrix(fill, docname: str, node: view_node) -> list[nodes.Node]:
    """A compact grid (short theme labels, a linked mark per cell) that fits a desktop screen
    and one PDF page, then each region's themes in full: the cell's text, its link and its
    sources. Phones get the full list only (handbook.css hides the grid there).
    *fill* is the FillViews transform."""
    env = fill.env
    regions, themes = region_names(env), theme_names(env)
    short, short_regions = short_theme_names(env), short_region_names(env)
    labels = env.domains.standard_domain.labels
    cells = region_theme_matrix(env.handbook_front_matter, labels, list(regions), list(themes),
                                lambda doc, text: page_gettext(env, doc, text))
    theme_docs = theme_chapters(env.handbook_front_matter)
    header = [paragraph(_("Region"))]
    for theme in themes:
        doc = theme_docs.get(theme)
        label = fill.link(docname, doc, "", short[theme]) if doc else nodes.Text(short[theme])
        header.append(paragraph(label))
    rows = []
    for region, name in regions.items():
        row: list = [short_regions[region]]
        for theme in themes:
            cell = cells[region, theme]
            if cell is None:
                row.append("")
                continue
            mark = fill.link(docname, cell[0], cell[1], "")
            mark += nodes.inline("", MARK, classes=["matrix-mark"])
            mark["reftitle"] = cell[2]
            hidden = _("{region}, {theme}: {summary}").format(region=name, theme=short[theme], summary=cell[2])
            mark += nodes.inline("", hidden, classes=["visually-hidden"])
            row.append([paragraph(mark)])
        rows.append(row)
    grid = table("region-theme-matrix-table", _("Regions and the themes their sources address"),
                 [_("Region"), *short.values()], rows, [16] + [12] * len(themes))
    grid["classes"] += ["matrix-grid"]
    for cell, content in zip(list(grid.findall(nodes.entry))[:len(header)], header):
        cell.children = [content]
    legend = paragraph(_("{mark} a section of the theme chapter describes the region's work on the "
                         "theme; an empty cell: the handbook does not treat the region under that theme. "
                         "In full:").format(mark=MARK))
    legend["classes"] += ["matrix-legend"]
    cards = nodes.container(classes=["matrix-cards"])
    for region, name in regions.items():
        card = nodes.container(classes=["matrix-card"])
        card += paragraph(nodes.strong(text=name))
        items = nodes.bullet_list()
        for theme in themes:
            cell = cells[region, theme]
            if cell is None:
                continue
            keys = sorted({k for k, sid, _ in env.handbook_cites.get(cell[0], ()) if sid == cell[1]})
            para = paragraph(nodes.strong(text=_("{theme}:").format(theme=short[theme]) + " "),
                             fill.link(docname, cell[0], cell[1], cell[2]), " ", *citations(docname, keys))
            items += nodes.list_item("", para)
        card += items
        cards += card
    return [grid, legend, cards]
