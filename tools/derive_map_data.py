#!/usr/bin/env python3
"""Derive the map's country outlines from Natural Earth, as shipped by npm's world-atlas.

Reads ``node_modules/world-atlas/countries-50m.json`` (Natural Earth 1:50m Admin 0 countries,
version 4.1.0, as TopoJSON; world-atlas is pinned in package.json) and writes
``_ext/handbook/data/countries.json``: the outline of every country that shows in a panel of
the map (panels in ``_ext/handbook/data/map.yaml``), clipped to what the panel shows plus a margin,
simplified to what the panel can show
(Douglas–Peucker, 0.4 pixel) and in degrees rounded to 0.01°.

The build reads only the derived file, so `make` needs no npm; ``tests/test_views.py`` checks,
where node_modules is installed (`make test`), that the file is what this script derives.
Run after changing a panel's window or the world-atlas version:

    .venv/bin/python tools/derive_map_data.py
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "_ext"))
from handbook.views.map import Projection  # noqa: E402
ATLAS = REPO / "node_modules" / "world-atlas" / "countries-50m.json"
MAP_DATA = REPO / "_ext" / "handbook" / "data" / "map.yaml"
OUT = REPO / "_ext" / "handbook" / "data" / "countries.json"
MARGIN = 3  # pixels around each panel's box: the clipped edges lie outside the drawing
TOLERANCE = 0.4  # pixels: detail finer than this is dropped
PROVENANCE = {
    "source": "Natural Earth 1:50m Admin 0 countries, version 4.1.0, via the npm package "
              "world-atlas 2.0.2 (countries-50m.json), derived by tools/derive_map_data.py",
    "licence": "Natural Earth data is in the public domain (naturalearthdata.com/about/terms-of-use); "
               "world-atlas is under the ISC licence",
}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees (TopoJSON quantised, delta-encoded arcs)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict, arcs: list) -> list[list[list[tuple[float, float]]]]:
    if geometry["type"] == "Polygon":
        return [[ring(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
    return []


def clip(points: list[tuple[float, float]], box: tuple[float, float, float, float]) -> list:
    """Sutherland–Hodgman: the ring *points* clipped to the rectangle *box* (x0, x1, y0, y1)."""
    x0, x1, y0, y1 = box
    edges = [(lambda p: p[0] >= x0, lambda a, b: cut_x(a, b, x0)),
             (lambda p: p[0] <= x1, lambda a, b: cut_x(a, b, x1)),
             (lambda p: p[1] >= y0, lambda a, b: cut_y(a, b, y0)),
             (lambda p: p[1] <= y1, lambda a, b: cut_y(a, b, y1))]
    for inside, cut in edges:
        if not points:
            break
        result = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    result.append(cut(previous, current))
                result.append(current)
            elif inside(previous):
                result.append(cut(previous, current))
        points = result
    return points


def cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def douglas_peucker(points: list, tolerance: float) -> list:
    """*points* with every point dropped that lies within *tolerance* of the simplified line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first][:2], points[last][:2]
        length = math.hypot(x2 - x1, y2 - y1)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i][:2]
            d = (abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length if length
                 else math.hypot(x - x1, y - y1))
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def rounded(points: list) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in points:
        point = [round(x, 2), round(y, 2)]
        if not out or point != out[-1]:
            out.append(point)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def derive(atlas: Path = ATLAS, map_data: Path = MAP_DATA) -> dict:
    """Per panel, each country that shows in it: its polygons, clipped to the panel's box (plus
    :data:`MARGIN` pixels) in the panel's projection, simplified, and given back in degrees."""
    topology = json.loads(atlas.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    panels = yaml.safe_load(map_data.read_text(encoding="utf-8"))["panels"]
    out: dict = {**PROVENANCE, "panels": {}}
    for name, panel in panels.items():
        project = Projection(panel)
        x, y, w, h = panel["box"]
        box = (x - MARGIN, x + w + MARGIN, y - MARGIN, y + h + MARGIN)
        lon0 = panel["centre"]["lon"]
        countries = {}
        for geometry in topology["objects"]["countries"]["geometries"]:
            shapes = []
            for polygon in polygons(geometry, arcs):
                rings = []
                for i, points in enumerate(polygon):
                    # Longitudes within 180° of the centre, so no ring jumps across the panel.
                    pixels = [project(lon if lon >= lon0 - 180 else lon + 360, lat) for lon, lat in points]
                    clipped = douglas_peucker(clip(pixels, box), TOLERANCE)
                    ring = rounded([project.inverse(px, py) for px, py in clipped])
                    if len(ring) >= 3:
                        rings.append(ring)
                    elif i == 0:
                        break  # the outline is outside the panel, and so are its holes
                if rings:
                    shapes.append(rings)
            if shapes:
                countries[geometry["properties"]["name"]] = shapes
        out["panels"][name] = dict(sorted(countries.items()))
    return out


def serialise(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> int:
    if not ATLAS.is_file():
        print(f"{ATLAS} is missing: run `npm ci --ignore-scripts` (or `make test`) first", file=sys.stderr)
        return 1
    OUT.write_text(serialise(derive()), encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
