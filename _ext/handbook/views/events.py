"""Dated events: the ``{event}`` directive, their collection, and the ``{timeline}`` of all of them.

An event is declared once, with ``{event}``, in the chapter that describes it; it renders nothing
there. The timeline lists every event in date order, with the section that describes it and its
sources.

The event's one-line text is a paragraph inside the declaration, so that it is a message of the
chapter's catalogue like the chapter's own text: the gettext builder extracts it, and a translated
edition reads it translated. The declaration is dropped from the page when it is written
(:class:`DropEvents`), by every builder but gettext.
"""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from ..builders import builder_for
from ..dates import Day, date_range, parse_date
from ..languages import _, is_translation
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
        para = nodes.paragraph(text, text)  # a message of the page's catalogue (see the module)
        self.set_source_info(para)
        node += para
        return [node]


def collect_events(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: keep the page's events in ``env.handbook_events``, with their text as
    the edition's language has it."""
    env, docname = app.env, app.env.docname
    for node in doctree.findall(event_node):
        start, end, regions, cite, text = node["event"]
        para = node.next_node(nodes.paragraph)
        if para is not None and is_translation(app.config):  # as translated (in English, as written)
            text = " ".join(para.astext().split())
        section_id, section_title = enclosing_section(node)
        env.handbook_events.setdefault(docname, []).append(
            Event(start, end, regions, cite, text, docname, section_id, section_title))


class DropEvents(SphinxPostTransform):
    """An event renders nothing where it is declared: drop the declarations from the page being
    written, except for the gettext builder, which extracts their text."""

    default_priority = 1  # before anything else looks at the page

    def run(self, **kwargs) -> None:
        if builder_for(self.env).name == "gettext":
            return
        for node in list(self.document.findall(event_node)):
            node.parent.remove(node)


def build_timeline(fill, docname: str, node: view_node) -> list[nodes.Node]:
    """``{timeline}``: a table of every event in date order. *fill* is the FillViews transform."""
    events = sorted((e for evs in fill.env.handbook_events.values() for e in evs), key=Event.sort_key)
    names = region_names(fill.env)
    language = fill.env.config.language
    rows = []
    for event in events:
        text = _("{chapter}: {section}").format(chapter=fill.title(event.docname), section=event.section_title)
        where = fill.link(docname, event.docname, event.section_id, text)
        sources = paragraph(*citations(docname, event.cite))
        rows.append([date_range(event.start, event.end, language),
                     ", ".join(names[r] for r in event.regions) or _("National level"),
                     event.text, [paragraph(where)], [sources]])
    return [table("timeline-table", _("Dated events in the handbook, in date order"),
                  [_("Date"), _("Region(s)"), _("Event"), _("Described in"), _("Source")], rows,
                  [14, 14, 30, 24, 18])]
