"""The ``{partnership-map}``: the regions and their partner cities, drawn as one SVG file.

The places and partnerships come from ``data/map.yaml``; the country outlines from Natural Earth
(``data/countries.json``, derived by ``tools/derive_map_data.py``). Each panel has its own Lambert
conformal conic projection. The site, the PDF and the EPUB all show the same file.

In a translated edition every word on the map is in its language (:func:`in_edition`): the
regions' names as their chapters are titled, the countries' names from Babel, and the other words
of ``data/map.yaml`` (:data:`MAP_WORDS`) and of the drawing through ``handbook.po``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import yaml
from docutils import nodes

from ..catalogue import catalogue, joined, number_words
from ..dates import is_english
from ..languages import _
from .names import region_names
from .nodes import view_node

DATA = Path(__file__).parent.parent / "data"
MAP_DATA = DATA / "map.yaml"
MAP_FILE = "nordic-partnerships-map.svg"
WIDTH, HEIGHT = 720, 480
EARTH_RADIUS_KM = 6371.0
COUNTRIES_DATA = DATA / "countries.json"
SCALE_BAR_KM = (50, 100, 200, 250, 500, 1000)
#: The words of data/map.yaml that readers see, other than the regions' and countries' names: the
#: panels' titles, the partner cities and the partnerships. Listed here so that they are messages
#: of handbook.po; tests/test_views.py checks that every such word of the file is here.
MAP_WORDS = {
    "Northern Europe": _("Northern Europe"),
    "China": _("China"),
    "Beijing": _("Beijing"),
    "Tianjin": _("Tianjin"),
    "Shanghai": _("Shanghai"),
    "cooperation agreement (2012)": _("cooperation agreement (2012)"),
    "cooperation agreement (date not given)": _("cooperation agreement (date not given)"),
    "forum and visit (2016)": _("forum and visit (2016)"),
    "letter of intent (2024)": _("letter of intent (2024)"),
}


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


def in_edition(data: dict, regions: dict[str, str], language: str | None) -> dict:
    """*data* (map.yaml) with every word readers see in the edition's language: a place that is
    one of the handbook's *regions* (id -> name in the edition) named as its chapter, a country
    label by Babel (upper case, as drawn), the rest through :data:`MAP_WORDS`. In English, *data*."""
    if is_english(language):
        return data
    from babel import Locale

    english = {name.casefold(): code for code, name in Locale("en").territories.items()}
    names = Locale.parse(language).territories

    def word(text: str) -> str:
        return str(MAP_WORDS.get(text, text))

    def country(label: str) -> str:
        code = english.get(label.casefold())
        return names[code].upper() if code in names else label
    panels = {key: {**panel, "title": word(panel["title"]),
                    "labels": [{**label, "name": country(label["name"])} for label in panel.get("labels", [])]}
              for key, panel in data["panels"].items()}
    places = {key: {**place, "name": regions.get(key) or word(place["name"])} for key, place in data["places"].items()}
    partnerships = [{**link, "what": word(link["what"])} for link in data["partnerships"]]
    return {**data, "panels": panels, "places": places, "partnerships": partnerships}


def map_alt_text(data: dict) -> str:
    places = data["places"]
    links = "; ".join(_("{start} to {end}, {what}").format(start=places[a]["name"], end=places[b]["name"],
                                                            what=p["what"])
                      for p in data["partnerships"] for a, b in [p["between"]])
    names = [place["name"] for place in places.values()]
    return _("Map in two panels, {left} on the left and {right} on the right, with country outlines and a "
             "dot for each of {places}. Lines mark the partnerships: {partnerships}.").format(
        left=data["panels"]["nordic"]["title"], right=data["panels"]["china"]["title"],
        places=joined(names), partnerships=links)


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
    title = _("Map of the handbook's regions and the cities in China linked to them")
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
    # The messages outside the f-strings, where gettext's extraction finds them.
    solid, dashed, dot = _("agreement or letter of intent"), _("forum and visit"), _("region or city")
    credit = _("Outlines: Natural Earth. Lambert conformal conic projections.")
    out += [f'<path class="link" d="M20 {ly}h36"/>',
            f'<text x="64" y="{ly + 4}">{xml(solid)}</text>',
            f'<path class="link" d="M280 {ly}h36" stroke-dasharray="7 5"/>',
            f'<text x="324" y="{ly + 4}">{xml(dashed)}</text>',
            f'<circle class="dot" cx="468" cy="{ly}" r="4.5"/>',
            f'<text x="480" y="{ly + 4}">{xml(dot)}</text>',
            f'<text class="small" x="{WIDTH - 8}" y="{HEIGHT - 4}" text-anchor="end" fill="#555">'
            f"{xml(credit)}</text>"]
    return "\n".join(out + ["</svg>"]) + "\n"


def xml(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def build_partnership_map(fill, docname: str, node: view_node) -> list[nodes.Node]:
    """One drawing for every output (site, PDF, EPUB): the same SVG file, written into the
    output's ``_images``. *fill* is the FillViews transform."""
    data = in_edition(load_map(), region_names(fill.env), fill.env.config.language)
    alt = map_alt_text(data)
    svg = map_svg(data, alt)
    out = Path(fill.app.builder.outdir) / "_images"
    out.mkdir(parents=True, exist_ok=True)
    (out / MAP_FILE).write_text(svg, encoding="utf-8")
    depth = docname.count("/")
    uri = "../" * depth + "_images/" + MAP_FILE
    image = nodes.image(uri=uri, alt=alt, candidates={"*": MAP_FILE}, classes=["handbook-map"])
    picture = nodes.reference("", "", image, refuri=uri)  # the drawing alone, to zoom on a phone
    figure = nodes.figure("", picture, ids=["partnership-map-figure"])
    # The regions drawn are those of data/map.yaml that are the handbook's regions (a new region
    # is on the map only once it has a place there), so the count follows both.
    drawn = number_words(sum(region.id in data["places"] for region in catalogue(fill.env).regions))
    figure += nodes.caption(text=_("The {count} regions and the cities in China linked to them: solid lines for "
                                   "agreements and the letter of intent, a dashed line for the 2016 forum and "
                                   "visit. Each panel has its own scale.").format(count=drawn))
    return [figure]
