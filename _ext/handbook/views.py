"""Views generated at build time from the chapters: matrix, timeline, source notes and map.

Nothing in a view is written by hand, so no view can drift from the chapters:

- ``{region-theme-matrix}``: regions × themes. A cell links the theme chapter's section labelled
  ``(<theme>-<region>)=``; its text is that section's title. Regions and themes come from the
  chapters' front matter and ``handbook_regions`` / ``handbook_themes`` in conf.py.
- ``{event}`` (declared once, in the chapter that describes the event; renders nothing there) and
  ``{timeline}``, which lists every event in date order.
- ``{source-note} key``: the metadata of one references.bib entry and back-links to every section
  that cites it. The abstract is the prose written below the directive on the source's page.
- ``{partnership-map}``: the regions and partner cities of ``data/map.yaml``, as an SVG file for
  the web and as TikZ for the PDF.

At the end of reading, :func:`check_consistency` reports region and theme ids that no chapter
describes, front matter that lists a theme without a link both ways, and sources without a note.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from pybtex.database import parse_file
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .page_stores import keep_per_page

logger = logging.getLogger(__name__)

MAP_DATA = Path(__file__).parent / "data" / "map.yaml"
MAP_FILE = "nordic-partnerships-map.svg"
VIEW_KINDS = {"view", "source-note"}  # pages made of views; they do not count as citing pages
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# -- Dates and events ---------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Day:
    """A date known to the year, the month or the day (``month``/``day`` are 0 when unknown)."""

    year: int
    month: int = 0
    day: int = 0

    def __str__(self) -> str:
        parts = [str(self.day)] if self.day else []
        parts += [MONTHS[self.month - 1]] if self.month else []
        return " ".join(parts + [str(self.year)])


def parse_date(text: str) -> Day:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError for anything else."""
    match = DATE.match(str(text).strip())
    if not match:
        raise ValueError(f"badly formatted date {text!r}; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    try:
        date(year, month if match.group(2) else 1, day if match.group(3) else 1)
    except ValueError as error:
        raise ValueError(f"impossible date {text!r} ({error})") from None
    return Day(year, month, day)


def date_range(start: Day, end: Day | None) -> str:
    """``5–6 December 2016``, ``4 December 2016 – 2 January 2017`` or just the start."""
    if end is None or end == start:
        return str(start)
    if (start.year, start.month) == (end.year, end.month) and start.day and end.day:
        return f"{start.day}–{end}"
    return f"{start} – {end}"


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
        unknown = [r for r in regions if r not in self.config.handbook_regions]
        if unknown:
            problems.append(f"event: unknown region(s) {', '.join(unknown)}; "
                            f"known ids are {', '.join(sorted(self.config.handbook_regions))}")
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


def split_ids(value: str) -> list[str]:
    return [v for v in re.split(r"[\s,]+", value.strip()) if v]


# -- Placeholders, filled in once every page has been read ------------------------------------

class event_node(nodes.General, nodes.Element):
    """An event's declaration; collected and removed when its page has been read."""


class view_node(nodes.General, nodes.Element):
    """Where a view goes; ``view`` is its name, ``key`` the source of a source note."""


def view_directive(view: str, takes_key: bool = False) -> type[SphinxDirective]:
    class ViewDirective(SphinxDirective):
        required_arguments = 1 if takes_key else 0

        def run(self) -> list[nodes.Node]:
            node = view_node(view=view, key=self.arguments[0] if takes_key else "",
                             docname=self.env.docname)
            self.set_source_info(node)
            if takes_key:
                self.env.handbook_notes.setdefault(self.env.docname, set()).add(self.arguments[0])
            return [node]
    return ViewDirective


# -- Collecting, per page -----------------------------------------------------------------------

def enclosing_section(node: nodes.Node) -> tuple[str, str]:
    """The id and title of the innermost section holding *node*."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    if parent is None:
        return "", ""
    title = parent.next_node(nodes.title)
    return parent["ids"][0], title.astext() if title else ""


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: note the page's events, citations and links; drop the event nodes."""
    env, docname = app.env, app.env.docname
    for node in list(doctree.findall(event_node)):
        start, end, regions, cite, text = node["event"]
        section_id, section_title = enclosing_section(node)
        env.handbook_events.setdefault(docname, []).append(
            Event(start, end, regions, cite, text, docname, section_id, section_title))
        node.parent.remove(node)
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("refdomain") == "cite":
            section_id, section_title = enclosing_section(xref)
            cites = env.handbook_cites.setdefault(docname, [])  # in reading order
            for key in split_ids(xref["reftarget"]):
                if (key, section_id, section_title) not in cites:
                    cites.append((key, section_id, section_title))
        elif xref.get("reftype") in {"ref", "doc", "myst"}:
            env.handbook_links.setdefault(docname, set()).add((xref["reftype"], xref["reftarget"]))


# -- The matrix ---------------------------------------------------------------------------------

Cell = tuple[str, str, str]  # docname, section id, one-line summary


def ids(meta: dict, key: str) -> list[str]:
    """A front-matter list of ids; Sphinx keeps ``[a, b]`` in ``env.metadata`` as a string."""
    value = meta.get(key, [])
    value = yaml.safe_load(value) if isinstance(value, str) else value
    return value if isinstance(value, list) else []


def theme_chapters(metadata: dict[str, dict]) -> dict[str, str]:
    """Theme id -> the docname of its chapter."""
    return {ids(meta, "themes")[0]: doc for doc, meta in metadata.items()
            if meta.get("kind") == "theme" and ids(meta, "themes")}


def region_theme_matrix(front_matter: dict[str, dict], labels: dict[str, tuple],
                        regions: list[str], themes: list[str]) -> dict[tuple[str, str], Cell | None]:
    """The cell for each (region, theme): the theme chapter's ``<theme>-<region>`` section and
    the one-line summary from the chapter's ``matrix:`` front matter, if the chapter lists the
    region and the section exists; else None. *labels* maps a label to (docname, id, title)."""
    theme_docs = theme_chapters(front_matter)
    cells = {}
    for region in regions:
        for theme in themes:
            doc = theme_docs.get(theme)
            listed = doc is not None and region in ids(front_matter[doc], "regions")
            label = labels.get(f"{theme}-{region}")
            if listed and label:
                line = (front_matter[doc].get("matrix") or {}).get(region) or label[2]
                cells[region, theme] = (label[0], label[1], line)
            else:
                cells[region, theme] = None
    return cells


# -- Filling in the views -----------------------------------------------------------------------

def paragraph(*children: nodes.Node | str) -> nodes.paragraph:
    para = nodes.paragraph()
    for child in children:
        para += nodes.Text(child) if isinstance(child, str) else child
    return para


def table(node_id: str, title: str, headers: list[str], rows: list[list], widths: list[int]) -> nodes.table:
    """A table with a caption, a header row and the first column as row headers."""
    tab = nodes.table(classes=["handbook-view"], ids=[node_id])
    tab += nodes.title(text=title)
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


class FillViews(SphinxPostTransform):
    """Replace every view placeholder by its content, before references are resolved."""

    default_priority = 5  # before Sphinx's ReferencesResolver (10): the citations get resolved

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(view_node)):
            build = getattr(self, f"build_{node['view'].replace('-', '_')}")
            node.replace_self(build(node["docname"], node))

    def link(self, fromdoc: str, todoc: str, anchor: str, text: str) -> nodes.reference:
        uri = self.app.builder.get_relative_uri(fromdoc, todoc)
        return nodes.reference("", text, internal=True, refuri=f"{uri}#{anchor}" if anchor else uri)

    def title(self, docname: str) -> str:
        return self.env.titles[docname].astext() if docname in self.env.titles else docname

    def wrap_small(self, node: nodes.Node) -> list[nodes.Node]:
        """Tables in a smaller type in the PDF, so that many columns fit the page."""
        if self.app.builder.format != "latex":
            return [node]
        # A longtable with the given column widths may break between rows across pages.
        node["classes"] += ["longtable", "colwidths-given"]
        return [nodes.raw("", r"\begingroup\footnotesize", format="latex"), node,
                nodes.raw("", r"\endgroup", format="latex")]

    def build_region_theme_matrix(self, docname: str, node: view_node) -> list[nodes.Node]:
        regions, themes = self.config.handbook_regions, self.config.handbook_themes
        labels = self.env.domains.standard_domain.labels
        cells = region_theme_matrix(self.env.handbook_front_matter, labels, list(regions), list(themes))
        rows = []
        for region, name in regions.items():
            row: list = [name]
            for theme in themes:
                cell = cells[region, theme]
                if cell is None:
                    row.append("")
                    continue
                keys = sorted({k for k, sid, _ in self.env.handbook_cites.get(cell[0], ())
                               if sid == cell[1]})
                para = paragraph(self.link(docname, cell[0], cell[1], cell[2]), " ")
                for i, key in enumerate(keys):
                    para += [nodes.Text("; ")] if i else []
                    para += cite_xref(docname, key)
                row.append([para])
            rows.append(row)
        return self.wrap_small(table("region-theme-matrix-table", "Regions and the themes their sources address",
                                     ["Region", *themes.values()], rows, [16] + [12] * len(themes)))

    def build_timeline(self, docname: str, node: view_node) -> list[nodes.Node]:
        events = sorted((e for evs in self.env.handbook_events.values() for e in evs),
                        key=Event.sort_key)
        names = self.config.handbook_regions
        rows = []
        for event in events:
            where = self.link(docname, event.docname, event.section_id,
                              f"{self.title(event.docname)}: {event.section_title}")
            sources = paragraph()
            for i, key in enumerate(event.cite):
                sources += [nodes.Text("; ")] if i else []
                sources += cite_xref(docname, key)
            rows.append([date_range(event.start, event.end),
                         ", ".join(names[r] for r in event.regions) or "National level",
                         event.text, [paragraph(where)], [sources]])
        return self.wrap_small(table("timeline-table", "Dated events in the handbook, in date order",
                                     ["Date", "Region(s)", "Event", "Described in", "Source"],
                                     rows, [14, 14, 30, 24, 18]))

    def build_source_note(self, docname: str, node: view_node) -> list[nodes.Node]:
        key = node["key"]
        entry = bib_entries(self.app).get(key)
        if entry is None:
            logger.warning(f"source-note: no entry '{key}' in references.bib", location=node,
                           type="handbook", subtype="views")
            return []
        fields = entry.fields
        publisher = " and ".join(str(p).strip("{}") for p in entry.persons.get("author", []))
        try:
            when = str(parse_date(fields.get("date", "")))
        except ValueError:
            when = fields.get("date", "")
        rows = [("Publisher", publisher), ("Original title", fields.get("title", "")),
                ("English title", fields.get("titleaddon", "")), ("Date", when),
                ("Language", fields.get("language", "")), ("Kind", fields.get("type", ""))]
        field_list = nodes.field_list(classes=["source-note"])
        for name, value in rows:
            field_list += nodes.field("", nodes.field_name(text=name),
                                      nodes.field_body("", paragraph(value.strip("{}"))))
        url = fields.get("url")
        body = paragraph(nodes.reference("", url, refuri=url)) if url else paragraph("not known")
        field_list += nodes.field("", nodes.field_name(text="Web address"), nodes.field_body("", body))
        citing = self.citing_sections(key)
        backlinks = nodes.bullet_list()
        for doc, section_id, section_title in citing:
            chapter = self.title(doc)
            text = chapter if section_title in {"", chapter} else f"{chapter}: {section_title}"
            backlinks += nodes.list_item("", paragraph(self.link(docname, doc, section_id, text)))
        heading = paragraph(nodes.strong(text=f"Cited in {len(citing)} sections of the handbook:"))
        return [field_list, heading, backlinks]

    def citing_sections(self, key: str) -> list[tuple[str, str, str]]:
        """Every section outside the view pages that cites *key*, in reading order."""
        found = []
        for doc in reading_order(self.env):
            if self.env.handbook_front_matter.get(doc, {}).get("kind") in VIEW_KINDS:
                continue
            for k, sid, title in self.env.handbook_cites.get(doc, []):
                if k == key and (doc, sid, title) not in found:
                    found.append((doc, sid, title))
        return found

    def build_partnership_map(self, docname: str, node: view_node) -> list[nodes.Node]:
        data = load_map()
        alt = map_alt_text(data)
        if self.app.builder.format == "latex":
            picture = nodes.raw("", map_tikz(data), format="latex")
        else:
            out = Path(self.app.builder.outdir) / "_images"
            out.mkdir(parents=True, exist_ok=True)
            (out / MAP_FILE).write_text(map_svg(data, alt), encoding="utf-8")
            depth = docname.count("/")
            picture = nodes.image(uri="../" * depth + "_images/" + MAP_FILE, alt=alt,
                                  candidates={"*": MAP_FILE}, classes=["handbook-map"])
        figure = nodes.figure("", picture, ids=["partnership-map-figure"])
        figure += nodes.caption(text="The five regions and their partners: solid lines for "
                                     "agreements and the letter of intent, a dashed line for the "
                                     "2016 forum and visit.")
        return [figure]


def reading_order(env) -> list[str]:
    """Docnames in the order of the book (depth-first through the toctrees)."""
    seen: list[str] = []

    def walk(doc: str) -> None:
        if doc in seen:
            return
        seen.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)
    walk(env.config.root_doc)
    return seen


_BIB: dict[tuple[str, float], dict] = {}


def bib_entries(app: Sphinx) -> dict:
    """The entries of the project's .bib file, parsed once per version of the file."""
    path = Path(app.srcdir) / app.config.bibtex_bibfiles[0]
    key = (str(path), path.stat().st_mtime)
    if key not in _BIB:
        _BIB[key] = dict(parse_file(str(path), bib_format="bibtex").entries)
    return _BIB[key]


# -- The map ------------------------------------------------------------------------------------

WIDTH, HEIGHT = 720, 400
PANELS = {  # x, y, width, height of each panel, and the longitudes and latitudes it shows
    "nordic": {"box": (10, 30, 340, 360), "lon": (7.5, 20.5), "lat": (54.6, 61.0),
               "title": "Sweden and Denmark"},
    "china": {"box": (370, 30, 340, 360), "lon": (112.0, 126.0), "lat": (29.0, 42.5),
              "title": "Northern and eastern China"},
}


def load_map(path: Path = MAP_DATA) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def project(place: dict) -> tuple[float, float]:
    """Pixel position of *place* in its panel (equirectangular, scaled by the panel's latitude)."""
    panel = PANELS[place["panel"]]
    x0, y0, w, h = panel["box"]
    (lon0, lon1), (lat0, lat1) = panel["lon"], panel["lat"]
    squeeze = math.cos(math.radians((lat0 + lat1) / 2))
    scale = min(w / ((lon1 - lon0) * squeeze), h / (lat1 - lat0))
    x = x0 + (w - (lon1 - lon0) * squeeze * scale) / 2 + (place["lon"] - lon0) * squeeze * scale
    y = y0 + (h - (lat1 - lat0) * scale) / 2 + (lat1 - place["lat"]) * scale
    return round(x, 1), round(y, 1)


def arc(start: tuple[float, float], end: tuple[float, float], bend: float = 0.12) -> tuple[float, float]:
    """Control point of a gentle arc from *start* to *end*, bowing upwards.

    Straight lines from Denmark to China would run through the Swedish dots and labels and
    suggest partnerships that do not exist; an arc keeps each line clear of them.
    """
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    if dx < 0:  # always bow the same way, whichever end comes first
        dx, dy = -dx, -dy
    return round((x1 + x2) / 2 + dy * bend, 1), round((y1 + y2) / 2 - dx * bend, 1)


def map_alt_text(data: dict) -> str:
    places = data["places"]
    links = "; ".join(f"{places[a]['name']} to {places[b]['name']}, {p['what']}"
                      for p in data["partnerships"] for a, b in [p["between"]])
    return ("Schematic map in two panels, Sweden and Denmark on the left and northern and eastern "
            f"China on the right, with lines for the partnerships: {links}.")


def map_layout(data: dict) -> tuple[list[dict], list[dict]]:
    """Where everything goes, in pixels, for both renderings of the map.

    Returns the partnership links (start, arc control point, end, dashed or not) and the places
    (dot, label side and vertical nudge, name); the panels are :data:`PANELS`.
    """
    places = data["places"]
    links = []
    for link in data["partnerships"]:
        start, end = (project(places[p]) for p in link["between"])
        links.append({"start": start, "control": arc(start, end), "end": end,
                      "dashed": link["style"] == "dashed"})
    dots = [{"at": project(place), "right": place["label"] == "right", "dy": place.get("dy", 0),
             "name": place["name"]} for place in places.values()]
    return links, dots


def map_svg(data: dict, alt: str) -> str:
    """The map as a self-contained SVG file (system fonts, no external resources)."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'role="img" aria-labelledby="map-title"><title id="map-title">{xml(alt)}</title>',
           '<style>text{font-family:"DejaVu Sans",Arial,sans-serif;font-size:14px;fill:#1a1a1a;'
           'paint-order:stroke;stroke:#eef4f8;stroke-width:4px;stroke-linejoin:round}'
           '.panel{fill:#eef4f8;stroke:#6b7c8a}.t{font-weight:bold}</style>']
    for panel in PANELS.values():
        x, y, w, h = panel["box"]
        out.append(f'<rect class="panel" x="{x}" y="{y}" width="{w}" height="{h}"/>')
        out.append(f'<text class="t" x="{x + 6}" y="{y - 8}">{xml(panel["title"])}</text>')
    links, dots = map_layout(data)
    for link in links:
        (x1, y1), (cx, cy), (x2, y2) = link["start"], link["control"], link["end"]
        dash = ' stroke-dasharray="7 5"' if link["dashed"] else ""
        out.append(f'<path d="M {x1} {y1} Q {cx} {cy} {x2} {y2}" fill="none" stroke="#b5452b" '
                   f'stroke-width="2"{dash}/>')
    for dot in dots:
        x, y = dot["at"]
        tx, ty = x + (8 if dot["right"] else -8), y + 5 + dot["dy"]
        out.append(f'<circle cx="{x}" cy="{y}" r="5" fill="#1f4e79"/>')
        out.append(f'<text x="{tx}" y="{ty}" text-anchor="{"start" if dot["right"] else "end"}">'
                   f'{xml(dot["name"])}</text>')
    return "\n".join(out + ["</svg>"]) + "\n"


def map_tikz(data: dict) -> str:
    """The same map as a TikZ picture for the PDF (1 px = 0.2 mm, 14.4 cm wide)."""
    out = [r"\begin{center}\begin{tikzpicture}[x=0.2mm,y=-0.2mm,font=\small]"]
    for panel in PANELS.values():
        x, y, w, h = panel["box"]
        out.append(rf"\draw[fill=black!4,draw=black!50] ({x},{y}) rectangle ({x + w},{y + h});")
        out.append(rf"\node[anchor=south west,font=\small\bfseries] at ({x},{y}) {{{tex(panel['title'])}}};")
    links, dots = map_layout(data)
    for link in links:
        (x1, y1), (cx, cy), (x2, y2) = link["start"], link["control"], link["end"]
        dash = ",dashed" if link["dashed"] else ""
        # A quadratic curve as TikZ's cubic: both control points 2/3 of the way to (cx, cy).
        c1 = (round(x1 + 2 * (cx - x1) / 3, 1), round(y1 + 2 * (cy - y1) / 3, 1))
        c2 = (round(x2 + 2 * (cx - x2) / 3, 1), round(y2 + 2 * (cy - y2) / 3, 1))
        out.append(rf"\draw[line width=1pt,red!60!black{dash}] ({x1},{y1}) .. controls {c1} and {c2} .. ({x2},{y2});")
    for dot in dots:
        x, y = dot["at"]
        anchor, dx = ("west", 6) if dot["right"] else ("east", -6)
        out.append(rf"\fill[blue!50!black] ({x},{y}) circle (2pt);")
        out.append(rf"\node[anchor={anchor},fill=black!4,inner sep=1pt] at ({x + dx},{y + dot['dy']}) {{{tex(dot['name'])}}};")
    out.append(r"\end{tikzpicture}\end{center}")
    return "\n".join(out)


def xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def tex(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


# -- Consistency ------------------------------------------------------------------------------

def check_consistency(app: Sphinx, env) -> None:
    """Report ids no chapter describes, theme links that go one way, sources without a note,
    and matrix cells promised by front matter but missing their section."""
    warn = lambda message, location=None: logger.warning(  # noqa: E731
        message, location=location, type="handbook", subtype="views")
    meta = env.handbook_front_matter
    if not any(m.get("kind") == "theme" for m in meta.values()):
        return  # not the handbook (a test project, say): nothing to check against
    for kind, known in (("region", app.config.handbook_regions), ("theme", app.config.handbook_themes)):
        described = {i for m in meta.values() if m.get("kind") == kind for i in ids(m, f"{kind}s")}
        for missing in sorted(set(known) - described):
            warn(f"{kind} '{missing}' is registered in conf.py but no {kind} chapter describes it")
    labels = env.domains.standard_domain.labels
    theme_docs = theme_chapters(meta)

    def links(doc: str) -> set[str]:
        found = set()
        for reftype, target in env.handbook_links.get(doc, set()):
            if reftype == "ref" and target in labels:
                found.add(labels[target][0])
            elif reftype in {"doc", "myst"}:
                found.add(target.removesuffix(".md").lstrip("/"))
        return found
    for doc, m in meta.items():
        if m.get("kind") not in {"region", "partner"}:
            continue
        for theme in ids(m, "themes"):
            theme_doc = theme_docs.get(theme)
            if theme_doc is None:
                continue
            if theme_doc not in links(doc):
                warn(f"the front matter lists theme '{theme}' but the page does not link "
                     f"{theme_doc}", location=(doc, 1))
            if doc not in links(theme_doc):
                warn(f"{doc} lists theme '{theme}' in its front matter, but the theme chapter "
                     "does not link it", location=(theme_doc, 1))
            region = (ids(m, "regions") or [None])[0]
            if m.get("kind") == "region" and f"{theme}-{region}" not in labels:
                warn(f"no section labelled '({theme}-{region})=' in {theme_doc} for the region "
                     "× theme matrix", location=(theme_doc, 1))
    noted = set().union(*env.handbook_notes.values()) if env.handbook_notes else set()
    for key in sorted(set(bib_entries(app)) - noted):
        warn(f"source '{key}' has no source-notes page; add chapters/reference/sources/{key}.md")
    for doc, events in env.handbook_events.items():
        for event in events:
            for key in event.cite:
                if key not in bib_entries(app):
                    warn(f"event cites unknown source '{key}'", location=(doc, 1))


def setup(app: Sphinx) -> dict:
    app.add_node(event_node)
    app.add_node(view_node)
    app.add_directive("event", EventDirective)
    app.add_directive("region-theme-matrix", view_directive("region-theme-matrix"))
    app.add_directive("timeline", view_directive("timeline"))
    app.add_directive("partnership-map", view_directive("partnership-map"))
    app.add_directive("source-note", view_directive("source-note", takes_key=True))
    keep_per_page(app, "handbook_events", "handbook_cites", "handbook_links", "handbook_notes")
    app.connect("doctree-read", collect)
    app.connect("env-check-consistency", check_consistency)
    app.add_post_transform(FillViews)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
