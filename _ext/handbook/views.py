"""Views generated at build time from the chapters: matrix, timeline, source notes and map.

Nothing in a view is written by hand, so no view can drift from the chapters:

- ``{region-theme-matrix}``: regions × themes. A cell links the theme chapter's section labelled
  ``(<theme>-<region>)=``; its text is that section's title. Regions and themes come from the
  chapters' front matter, in the order of :mod:`handbook.catalogue`.
- ``{event}`` (declared once, in the chapter that describes the event; renders nothing there) and
  ``{timeline}``, which lists every event in date order.
- ``{source-note} key``: the metadata of one references.bib entry and back-links to every section
  that cites it. The abstract is the prose written below the directive on the source's page.
- ``{partnership-map}``: the regions and partner cities of ``data/map.yaml`` on country outlines
  from Natural Earth (``data/countries.json``), as one SVG drawing: a file for the web, converted
  to PDF for the PDF edition.

At the end of reading, :func:`check_consistency` reports front matter that lists a theme without a
link both ways, and sources without a note.
"""

from __future__ import annotations

import json
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

from .catalogue import catalogue
from .page_stores import keep_per_page

logger = logging.getLogger(__name__)

MAP_DATA = Path(__file__).parent / "data" / "map.yaml"
MAP_FILE = "nordic-partnerships-map.svg"
MARK = "\u25cf"  # ● in a matrix cell: the region's work on the theme is described
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
        region_names = known(self.env)[0]
        unknown = [r for r in regions if r not in region_names]
        if unknown:
            problems.append(f"event: unknown region(s) {', '.join(unknown)}; "
                            f"known ids are {', '.join(sorted(region_names))}")
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


def known(env) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """Region names, theme names, and their short labels, by id in catalogue order."""
    found = catalogue(env)
    return ({r.id: r.name for r in found.regions}, {t.id: t.name for t in found.themes},
            {r.id: r.short for r in found.regions}, {t.id: t.short for t in found.themes})


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

    def build_region_theme_matrix(self, docname: str, node: view_node) -> list[nodes.Node]:
        """A compact grid (short theme labels, a linked mark per cell) that fits a desktop screen
        and one PDF page, then each region's themes in full: the cell's text, its link and its
        sources. Phones get the full list only (handbook.css hides the grid there)."""
        regions, themes, region_short, short = known(self.env)
        labels = self.env.domains.standard_domain.labels
        cells = region_theme_matrix(self.env.handbook_front_matter, labels, list(regions), list(themes))
        theme_docs = theme_chapters(self.env.handbook_front_matter)
        header = [paragraph("Region")]
        for theme in themes:
            doc = theme_docs.get(theme)
            label = self.link(docname, doc, "", short[theme]) if doc else nodes.Text(short[theme])
            header.append(paragraph(label))
        rows = []
        for region, name in regions.items():
            row: list = [region_short[region]]
            for theme in themes:
                cell = cells[region, theme]
                if cell is None:
                    row.append("")
                    continue
                mark = self.link(docname, cell[0], cell[1], "")
                mark += nodes.inline("", MARK, classes=["matrix-mark"])
                mark["reftitle"] = cell[2]
                mark += nodes.inline("", f"{name}, {short[theme]}: {cell[2]}", classes=["visually-hidden"])
                row.append([paragraph(mark)])
            rows.append(row)
        grid = table("region-theme-matrix-table", "Regions and the themes their sources address",
                     ["Region", *short.values()], rows, [16] + [12] * len(themes))
        grid["classes"] += ["matrix-grid"]
        for cell, content in zip(grid.traverse(nodes.entry)[:len(header)], header):
            cell.children = [content]
        legend = paragraph(MARK + " a section of the theme chapter describes the region's work on "
                           "the theme; an empty cell: the handbook does not treat the region under that "
                           "theme. In full:")
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
                keys = sorted({k for k, sid, _ in self.env.handbook_cites.get(cell[0], ()) if sid == cell[1]})
                para = paragraph(nodes.strong(text=f"{short[theme]}: "),
                                 self.link(docname, cell[0], cell[1], cell[2]), " ")
                for i, key in enumerate(keys):
                    para += [nodes.Text("; ")] if i else []
                    para += cite_xref(docname, key)
                items += nodes.list_item("", para)
            card += items
            cards += card
        return [grid, legend, cards]

    def build_timeline(self, docname: str, node: view_node) -> list[nodes.Node]:
        events = sorted((e for evs in self.env.handbook_events.values() for e in evs),
                        key=Event.sort_key)
        names = known(self.env)[0]
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
        return [table("timeline-table", "Dated events in the handbook, in date order",
                      ["Date", "Region(s)", "Event", "Described in", "Source"], rows, [14, 14, 30, 24, 18])]

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
        """One drawing for every output (site, PDF, EPUB): the same SVG file."""
        data = load_map()
        alt = map_alt_text(data)
        svg = map_svg(data, alt)
        out = Path(self.app.builder.outdir) / "_images"
        out.mkdir(parents=True, exist_ok=True)
        (out / MAP_FILE).write_text(svg, encoding="utf-8")
        depth = docname.count("/")
        uri = "../" * depth + "_images/" + MAP_FILE
        image = nodes.image(uri=uri, alt=alt, candidates={"*": MAP_FILE}, classes=["handbook-map"])
        picture = nodes.reference("", "", image, refuri=uri)  # the drawing alone, to zoom on a phone
        figure = nodes.figure("", picture, ids=["partnership-map-figure"])
        figure += nodes.caption(text="The five regions and the cities in China linked to them: solid lines for "
                                     "agreements and the letter of intent, a dashed line for the "
                                     "2016 forum and visit. Each panel has its own scale.")
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

WIDTH, HEIGHT = 720, 480
EARTH_RADIUS_KM = 6371.0
COUNTRIES_DATA = Path(__file__).parent / "data" / "countries.json"
SCALE_BAR_KM = (50, 100, 200, 250, 500, 1000)


def load_map(path: Path = MAP_DATA) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_countries(path: Path = COUNTRIES_DATA) -> dict:
    """Country outlines per panel: name -> polygons -> rings -> [lon, lat] (tools/derive_map_data.py)."""
    return json.loads(path.read_text(encoding="utf-8"))


class Projection:
    """A Lambert conformal conic projection of the sphere, fitted into a panel's box.

    Conformal, so shapes and the directions of the links are true; the scale is true along the
    two standard parallels and varies little between them (under 1 % across each panel's regions).
    """

    def __init__(self, panel: dict) -> None:
        phi1, phi2 = (math.radians(p) for p in panel["parallels"])
        self.lon0 = panel["centre"]["lon"]
        t = lambda phi: math.tan(math.pi / 4 + phi / 2)  # noqa: E731
        self.n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(t(phi2) / t(phi1))
        self.f = math.cos(phi1) * t(phi1) ** self.n / self.n
        self.rho0 = self.rho(math.radians(panel["centre"]["lat"]))
        (lon0, lon1), (lat0, lat1) = panel["window"]["lon"], panel["window"]["lat"]
        edge = [(lon0 + (lon1 - lon0) * i / 20, lat) for i in range(21) for lat in (lat0, lat1)]
        edge += [(lon, lat0 + (lat1 - lat0) * i / 20) for i in range(21) for lon in (lon0, lon1)]
        xs, ys = zip(*(self.unit(lon, lat) for lon, lat in edge))
        self.x_min, self.y_max = min(xs), max(ys)
        bx, by, bw, bh = panel["box"]
        self.scale = min(bw / (max(xs) - min(xs)), bh / (max(ys) - min(ys)))  # pixels per radian
        self.left = bx + (bw - (max(xs) - min(xs)) * self.scale) / 2
        self.top = by + (bh - (max(ys) - min(ys)) * self.scale) / 2

    def rho(self, phi: float) -> float:
        return self.f / math.tan(math.pi / 4 + phi / 2) ** self.n

    def unit(self, lon: float, lat: float) -> tuple[float, float]:
        """Projected coordinates on the unit sphere, y northwards."""
        rho, theta = self.rho(math.radians(lat)), self.n * math.radians(lon - self.lon0)
        return rho * math.sin(theta), self.rho0 - rho * math.cos(theta)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel position of a point, y downwards."""
        x, y = self.unit(lon, lat)
        return (round(self.left + (x - self.x_min) * self.scale, 1),
                round(self.top + (self.y_max - y) * self.scale, 1))

    def inverse(self, px: float, py: float) -> tuple[float, float]:
        """Longitude and latitude of the pixel (*px*, *py*)."""
        x = self.x_min + (px - self.left) / self.scale
        y = self.rho0 - (self.y_max - (py - self.top) / self.scale)
        rho = math.copysign(math.hypot(x, y), self.n)
        theta = math.atan2(x, y) if self.n > 0 else math.atan2(-x, -y)
        lat = 2 * math.atan((self.f / rho) ** (1 / self.n)) - math.pi / 2
        return self.lon0 + math.degrees(theta / self.n), math.degrees(lat)

    def pixels_per_km(self, lat: float) -> float:
        """The map's scale at latitude *lat*: the scale factor k = n·ρ/cos φ times the fit."""
        phi = math.radians(lat)
        return self.scale * self.n * self.rho(phi) / math.cos(phi) / EARTH_RADIUS_KM


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
    names = [place["name"] for place in places.values()]
    return ("Map in two panels, Northern Europe on the left and China on the right, with "
            f"country outlines and a dot for each of {', '.join(names[:-1])} and {names[-1]}. "
            f"Lines mark the partnerships: {links}.")


def simplified(points: list[tuple[float, float]], tolerance: float = 0.7) -> list[tuple[float, float]]:
    """*points* without those closer than *tolerance* pixels to the last one kept."""
    kept = [points[0]]
    for point in points[1:]:
        if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= tolerance:
            kept.append(point)
    return kept


def scale_bar(projection: Projection, panel: dict) -> dict:
    """A round length whose bar is 50–120 pixels long, at the panel's centre latitude."""
    lat = panel["centre"]["lat"]
    per_km = projection.pixels_per_km(lat)
    km = next((k for k in SCALE_BAR_KM if k * per_km >= 50), SCALE_BAR_KM[-1])
    x, y, _, h = panel["box"]
    return {"x": x + 12, "y": y + h - 14, "length": round(km * per_km, 1), "km": km, "lat": lat}


def map_layout(data: dict, countries: dict) -> dict:
    """Where everything goes, in pixels: panels (outlines, labels, scale bar), links and places."""
    panels = {}
    projections = {}
    for name, panel in data["panels"].items():
        project = projections[name] = Projection(panel)
        shapes = []
        for country, polygons in countries["panels"][name].items():
            for polygon in polygons:
                rings = [simplified([project(lon, lat) for lon, lat in ring]) for ring in polygon]
                rings = [r for r in rings if len(r) >= 3]
                if rings:
                    shapes.append({"country": country, "focus": country in panel["focus"], "rings": rings})
        labels = [{"at": project(label["lon"], label["lat"]), "name": label["name"]}
                  for label in panel.get("labels", [])]
        panels[name] = {"box": panel["box"], "title": panel["title"], "shapes": shapes,
                        "labels": labels, "scale": scale_bar(project, panel)}
    places = data["places"]

    def at(key: str) -> tuple[float, float]:
        place = places[key]
        return projections[place["panel"]](place["lon"], place["lat"])
    links = []
    for link in data["partnerships"]:
        start, end = (at(p) for p in link["between"])
        links.append({"start": start, "control": arc(start, end), "end": end,
                      "dashed": link["style"] == "dashed"})
    dots = [{"at": at(key), "side": place["label"], "dy": place.get("dy", 0),
             "name": place["name"]} for key, place in places.items()]
    return {"panels": panels, "links": links, "dots": dots}


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    return " ".join("M" + " ".join(f"{x:g} {y:g}" for x, y in ring) + "Z" for ring in rings)


MAP_STYLE = (
    'text{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13px;fill:#1a1a1a}'
    ".halo{paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}"
    ".sea{fill:#e3eef6}.frame{fill:none;stroke:#5f7282;stroke-width:1}"
    ".land{fill:#f1f0ec;stroke:#a3a39a;stroke-width:.6;stroke-linejoin:round}"
    ".focus{fill:#faf3df;stroke:#6b6657;stroke-width:.8;stroke-linejoin:round}"
    ".country{font-size:11px;letter-spacing:2px;fill:#6b6657}"
    ".t{font-weight:bold;font-size:14px}.small{font-size:11px}"
    ".link{fill:none;stroke:#b5452b;stroke-width:2.2}.dot{fill:#1f4e79;stroke:#fff;stroke-width:1.5}"
)


def map_svg(data: dict, alt: str, countries: dict | None = None) -> str:
    """The map as a self-contained SVG file: title and description, no script, no external
    resource (system fonts). The site, the PDF and the EPUB all show this file."""
    layout = map_layout(data, countries or load_countries())
    title = "Map of the handbook's regions and the cities in China linked to them"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
           f'height="{HEIGHT}" role="img" aria-labelledby="map-title map-desc">',
           f'<title id="map-title">{xml(title)}</title>', f'<desc id="map-desc">{xml(alt)}</desc>',
           f"<style>{MAP_STYLE}</style>", "<defs>"]
    for name, panel in layout["panels"].items():
        x, y, w, h = panel["box"]
        out.append(f'<clipPath id="clip-{name}"><rect x="{x}" y="{y}" width="{w}" height="{h}"/></clipPath>')
    out.append("</defs>")
    out.append(f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>')
    for name, panel in layout["panels"].items():
        x, y, w, h = panel["box"]
        out.append(f'<g clip-path="url(#clip-{name})"><rect class="sea" x="{x}" y="{y}" width="{w}" height="{h}"/>')
        for focus in (False, True):  # neighbours first, so the focus countries' borders show
            for shape in panel["shapes"]:
                if shape["focus"] == focus:
                    out.append(f'<path class="{"focus" if focus else "land"}" d="{path_data(shape["rings"])}"/>')
        for label in panel["labels"]:
            lx, ly = label["at"]
            out.append(f'<text class="country" x="{lx}" y="{ly}" text-anchor="middle">{xml(label["name"])}</text>')
        out.append("</g>")
        out.append(f'<rect class="frame" x="{x}" y="{y}" width="{w}" height="{h}"/>')
        out.append(f'<text class="t" x="{x}" y="{y - 10}">{xml(panel["title"])}</text>')
        bar = panel["scale"]
        bx, by, length = bar["x"], bar["y"], bar["length"]
        out.append(f'<rect x="{bx - 4}" y="{by - 16}" width="{length + 80}" height="24" fill="#fff" opacity=".85"/>')
        out.append(f'<path d="M{bx} {by - 5}V{by}H{bx + length}V{by - 5}" fill="none" stroke="#1a1a1a" stroke-width="1.5"/>')
        out.append(f'<text class="small" x="{bx + length + 6}" y="{by + 1}">{bar["km"]} km</text>')
    for link in layout["links"]:
        (x1, y1), (cx, cy), (x2, y2) = link["start"], link["control"], link["end"]
        dash = ' stroke-dasharray="7 5"' if link["dashed"] else ""
        out.append(f'<path class="link" d="M{x1} {y1}Q{cx} {cy} {x2} {y2}"{dash}/>')
    for dot in layout["dots"]:
        x, y = dot["at"]
        out.append(f'<circle class="dot" cx="{x}" cy="{y}" r="4.5"/>')
    for dot in layout["dots"]:
        x, y = dot["at"]
        dx, anchor, below = {"right": (8, "start", 0), "left": (-8, "end", 0),
                             "below": (0, "middle", 14)}[dot["side"]]
        out.append(f'<text class="halo" x="{x + dx}" y="{y + 4.5 + below + dot["dy"]}" '
                   f'text-anchor="{anchor}">{xml(dot["name"])}</text>')
    ly = HEIGHT - 22
    out += [f'<path class="link" d="M20 {ly}h36"/>',
            f'<text x="64" y="{ly + 4}">agreement or letter of intent</text>',
            f'<path class="link" d="M280 {ly}h36" stroke-dasharray="7 5"/>',
            f'<text x="324" y="{ly + 4}">forum and visit</text>',
            f'<circle class="dot" cx="468" cy="{ly}" r="4.5"/>',
            f'<text x="480" y="{ly + 4}">region or city</text>',
            f'<text class="small" x="{WIDTH - 8}" y="{HEIGHT - 4}" text-anchor="end" fill="#555">'
            "Outlines: Natural Earth. Lambert conformal conic projections.</text>"]
    return "\n".join(out + ["</svg>"]) + "\n"



def xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")



# -- Consistency ------------------------------------------------------------------------------

def check_consistency(app: Sphinx, env) -> None:
    """Report theme links that go one way, sources without a note,
    and matrix cells promised by front matter but missing their section."""
    warn = lambda message, location=None: logger.warning(  # noqa: E731
        message, location=location, type="handbook", subtype="views")
    meta = env.handbook_front_matter
    if not any(m.get("kind") == "theme" for m in meta.values()):
        return  # not the handbook (a test project, say): nothing to check against
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
    app.setup_extension("handbook.catalogue")  # the regions and themes, their names and order
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
