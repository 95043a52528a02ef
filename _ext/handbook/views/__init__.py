"""Views generated at build time from the chapters: matrix, timeline, source notes and map.

Nothing in a view is written by hand, so no view can drift from the chapters:

- ``{region-theme-matrix}`` (:mod:`.matrix`): regions × themes. A cell links the theme chapter's
  section labelled ``(<theme>-<region>)=``; its text is that section's title. Regions and themes
  come from the chapters' front matter, through :mod:`.names`.
- ``{event}`` (declared once, in the chapter that describes the event; renders nothing there) and
  ``{timeline}``, which lists every event in date order (:mod:`.events`).
- ``{source-note} key`` (:mod:`.source_notes`): the metadata of one references.bib entry and
  back-links to every section that cites it. The abstract is the prose written below the
  directive on the source's page.
- ``{partnership-map}`` (:mod:`.map`): the regions and partner cities of ``data/map.yaml`` on
  country outlines from Natural Earth (``data/countries.json``), as one SVG drawing: a file for
  the web, converted to PDF for the PDF edition.

A view's directive leaves a placeholder (:mod:`.nodes`), filled in once every page has been read
(:mod:`.fill`). What the views need from each page (its events, the sections that cite each
source, its links, the sources that have a note) is kept per page in the environment with
:func:`handbook.page_stores.keep_per_page`. At the end of reading, :mod:`.consistency` reports
front matter that lists a theme without a link both ways, and sources without a note.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ..page_stores import keep_per_page
from ..builders import track
from .consistency import check_consistency, collect_links
from .events import DropEvents, EventDirective, collect_events
from .fill import FillViews
from .nodes import event_node, view_directive, view_node
from .source_notes import SourceNoteDirective, collect_citations, collect_source_texts


def setup(app: Sphinx) -> dict:
    track(app)  # the transforms need the builder (handbook.builders)
    app.add_node(event_node)
    app.add_node(view_node)
    app.add_directive("event", EventDirective)
    app.setup_extension("handbook.catalogue")  # the regions and themes, their names and order
    app.add_directive("region-theme-matrix", view_directive("region-theme-matrix"))
    app.add_directive("timeline", view_directive("timeline"))
    app.add_directive("partnership-map", view_directive("partnership-map"))
    app.add_directive("source-note", SourceNoteDirective)
    keep_per_page(app, "handbook_events", "handbook_cites", "handbook_links", "handbook_notes",
                  "handbook_source_texts")
    app.connect("doctree-read", collect_events)
    app.connect("doctree-read", collect_citations)
    app.connect("doctree-read", collect_source_texts)
    app.connect("doctree-read", collect_links)
    app.connect("env-check-consistency", check_consistency)
    app.add_post_transform(DropEvents)
    app.add_post_transform(FillViews)
    # 3: events and source notes carry their messages in the pickled doctrees (2: Event and Day moved)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
