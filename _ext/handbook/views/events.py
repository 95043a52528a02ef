"""Dated events: the ``{event}`` directive, their collection, and the ``{timeline}`` of all of them.

An event is declared once, with ``{event}``, in the chapter that describes it; it renders nothing
there. The timeline lists every event in date order, with the section that describes it and its
sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..dates import Day, date_range, parse_date
from .names import region_names, split_ids
from .nodes import citations, enclosing_section, event_node, paragraph, table, view_node

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """One dated event, as declared with ``{event}`` in a chapter."""

    start: Day
    end: Day | None
    regions: tuple[str, ...]
    cite: tuple[str, ...]
    text: str
    docname: str
    section_id: str
    section_title: str

    def sort_key(self) -> tuple:
        """Date order; at equal dates the less precise date (a whole month, a year) comes first."""
        return (self.start, self.end or self.start, self.text)


class EventDirective(SphinxDirective):
    """``{event}`` with ``:date:``, optional ``:end:``, ``:regions:``, ``:cite:`` and a one-line text."""

    has_content = True
    option_spec = {"date": directives.unchanged_required, "end": directives.unchanged,
                   "regions": directives.unchanged, "cite": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        problems = []
        try:
            start = parse_date(self.options.get("date", ""))
            end = parse_date(self.options["end"]) if self.options.get("end") else None
            if end is not None and end < start:
                problems.append(f"the event ends ({end}) before it starts ({start})")
        except ValueError as error:
            problems.append(f"event: {error}")
            start, end = Day(1), None
        regions = tuple(split_ids(self.options.get("regions", "")))
        known = region_names(self.env)
        unknown = [r for r in regions if r not in known]
        if unknown:
            problems.append(f"event: unknown region(s) {', '.join(unknown)}; "
                            f"known ids are {', '.join(sorted(known))}")
        cite = tuple(split_ids(self.options.get("cite", "")))
        if not cite:
            problems.append("event: every event needs ':cite:' with the key of its source")
        text = " ".join(self.content).strip()
        if not text:
            problems.append("event: write a one-line description as the directive's content")
        for problem in problems:
            logger.warning(problem, location=self.get_location(), type="handbook", subtype="views")
        if problems:
            return []
        node = event_node()
        node["event"] = (start, end, regions, cite, text)
        self.set_source_info(node)
        return [node]


def collect_events(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: keep the page's events in ``env.handbook_events``; drop their nodes."""
    env, docname = app.env, app.env.docname
    for node in list(doctree.findall(event_node)):
        start, end, regions, cite, text = node["event"]
        section_id, section_title = enclosing_section(node)
        env.handbook_events.setdefault(docname, []).append(
            Event(start, end, regions, cite, text, docname, section_id, section_title))
        node.parent.remove(node)


def build_timeline(fill, docname: str, node: view_node) -> list[nodes.Node]:
    """``{timeline}``: a table of every event in date order. *fill* is the FillViews transform."""
    events = sorted((e for evs in fill.env.handbook_events.values() for e in evs), key=Event.sort_key)
    names = region_names(fill.env)
    rows = []
    for event in events:
        where = fill.link(docname, event.docname, event.section_id,
                          f"{fill.title(event.docname)}: {event.section_title}")
        sources = paragraph(*citations(docname, event.cite))
        rows.append([date_range(event.start, event.end),
                     ", ".join(names[r] for r in event.regions) or "National level",
                     event.text, [paragraph(where)], [sources]])
    return [table("timeline-table", "Dated events in the handbook, in date order",
                  ["Date", "Region(s)", "Event", "Described in", "Source"], rows, [14, 14, 30, 24, 18])]
