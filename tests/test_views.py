"""The generated views (handbook.views): matrix, timeline, source notes and map.

Unit tests for dates and the matrix, a tiny fixture handbook built with Sphinx for the matrix
and for bad dates, and checks of the four views in the real HTML and PDF. The views of a
translated edition are asserted in Swedish on roots/catalogue (with its catalogues in
locales/sv and the handbook's handbook.po), and the English views of the same project stay
English.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, Build, page_kind
from handbook.catalogue import read_catalogue

CATALOGUE = read_catalogue(REPO, ["references.bib"])
from test_build import squeeze
from test_content import CITE_ROLE, bib_keys

sys.path.insert(0, str(REPO / "_ext"))
from handbook.dates import Day, date_range, parse_date, written  # noqa: E402
from handbook.views.matrix import region_theme_matrix  # noqa: E402
from test_catalogue import build as build_root, copy as copy_root, page, swedish  # noqa: E402,F401

SPHINX = REPO / ".venv" / "bin" / "sphinx-build"
EVENT = re.compile(r"^```\{event\}\n:date: (\S+)\n(?::end: (\S+)\n)?", re.M)


# -- Dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2012", Day(2012)), ("2012-11", Day(2012, 11)), ("2016-12-05", Day(2016, 12, 5)),
    ("2024-02-29", Day(2024, 2, 29)),
])
def test_dates_keep_their_precision(text: str, expected: Day) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2012-13", "2021-02-30", "2023-02-29", "2012-00",
                                  "12-2012", "2012/11", "2012-1", "November 2012", ""])
def test_bad_dates_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_ordering_follows_precision() -> None:
    dates = [Day(2013), Day(2012, 11, 5), Day(2012, 11), Day(2012), Day(2012, 12)]
    assert sorted(dates) == [Day(2012), Day(2012, 11), Day(2012, 11, 5), Day(2012, 12), Day(2013)]


def test_dates_read_as_the_sources_give_them() -> None:
    assert str(Day(2012, 11)) == "November 2012"
    assert date_range(Day(2016, 12, 5), Day(2016, 12, 6)) == "5–6 December 2016"
    assert date_range(Day(2019, 12), None) == "December 2019"
    assert written(Day(2024, 10, 1), "en") == written(Day(2024, 10, 1)) == "1 October 2024"


@pytest.mark.parametrize(("start", "end", "language", "expected"), [
    (Day(2024, 10, 1), None, "sv", "1 oktober 2024"),  # codespell:ignore
    (Day(2012, 11), None, "sv", "november 2012"),
    (Day(2012), None, "sv", "2012"),
    (Day(2016, 12, 5), Day(2016, 12, 6), "sv", "5–6 december 2016"),
    (Day(2016, 12, 4), Day(2017, 1, 2), "sv", "4 december 2016 – 2 januari 2017"),
    (Day(2016, 12, 5), Day(2016, 12, 6), "da", "5.–6. december 2016"),  # a Danish edition's, by Babel
])
def test_dates_are_written_in_the_editions_language(start: Day, end: Day | None, language: str, expected: str) -> None:
    assert date_range(start, end, language) == expected


# -- The matrix from front matter -------------------------------------------------------------

FIXTURE_FRONT_MATTER = {
    "themes/china": {"kind": "theme", "regions": ["skane"], "themes": ["china"],
                     "matrix": {"skane": "An agreement with Tianjin"}},
    "themes/clusters": {"kind": "theme", "regions": ["skane", "uppsala"], "themes": ["clusters"],
                        "matrix": {"skane": "Promotion abroad", "uppsala": "A shared cluster"}},
    "regions/skane": {"kind": "region", "regions": ["skane"], "themes": ["china", "clusters"]},
}
FIXTURE_LABELS = {"china-skane": ("themes/china", "china-skane", "Skåne"),
                  "clusters-skane": ("themes/clusters", "clusters-skane", "Skåne"),
                  "clusters-uppsala": ("themes/clusters", "clusters-uppsala", "Uppsala")}


def test_matrix_cells_follow_front_matter() -> None:
    cells = region_theme_matrix(FIXTURE_FRONT_MATTER, FIXTURE_LABELS,
                                ["skane", "uppsala"], ["china", "clusters"])
    assert cells == {
        ("skane", "china"): ("themes/china", "china-skane", "An agreement with Tianjin"),
        ("skane", "clusters"): ("themes/clusters", "clusters-skane", "Promotion abroad"),
        ("uppsala", "china"): None,
        ("uppsala", "clusters"): ("themes/clusters", "clusters-uppsala", "A shared cluster"),
    }


# -- A fixture handbook, built with Sphinx ----------------------------------------------------

FIXTURE_FILES = {
    "conf.py": """
import sys
sys.path.insert(0, {ext!r})
extensions = ["myst_parser", "sphinxcontrib.bibtex", "handbook.front_matter", "handbook.views"]
bibtex_bibfiles = ["refs.bib"]
""",
    "refs.bib": "@misc{src2020, author = {{Region North}}, title = {Originaltitel}, titleaddon = {Original title},"
                " date = {2020-05}, year = {2020}, type = {Press release}, language = {Swedish}}\n",
    "index.md": "---\nkind: landing\nsummary: Fixture.\n---\n# Fixture\n\n```{toctree}\n"
                "chapters/regions/north\nchapters/regions/south\nchapters/themes/trade\nchapters/themes/health\n"
                "matrix\ntimeline\nnote\nbib\n```\n",
    # Regions and themes are found where the handbook keeps them (handbook.catalogue).
    "chapters/regions/north.md": "---\nkind: region\nregions: [north]\nthemes: [trade]\nshort: North\n"
                "order: 1\ncountry: Sweden\nsummary: North.\n---\n"
                "(region-north)=\n# Region North\n\nSee {ref}`theme-trade` {cite:p}`src2020`.\n\n"
                "## Events\n\n```{event}\n:date: 2020-05\n:regions: north\n:cite: src2020\n"
                "A treaty.\n```\n\n```{event}\n:date: 2020-05-03\n:regions: north\n"
                ":cite: src2020\nA visit.\n```\n",
    "chapters/regions/south.md": "---\nkind: region\nregions: [south]\nthemes: [health]\nshort: South\n"
                "order: 2\ncountry: Denmark\nsummary: South.\n---\n"
                "(region-south)=\n# Region South\n\nSee {ref}`theme-health`.\n",
    "chapters/themes/trade.md": "---\nkind: theme\nregions: [north]\nthemes: [trade]\nshort: Trade\n"
                "order: 1\nmatrix:\n  north: Treaty line\n"
                "summary: Trade.\n---\n(theme-trade)=\n# Trade\n\n(trade-north)=\n## North\n\n"
                "{ref}`region-north` {cite:p}`src2020`.\n",
    "chapters/themes/health.md": "---\nkind: theme\nregions: [south]\nthemes: [health]\nshort: Health\n"
                 "order: 2\nmatrix:\n  south: Care line\n"
                 "summary: Health.\n---\n(theme-health)=\n# Health\n\n(health-south)=\n## South\n\n"
                 "{ref}`region-south`.\n",
    "matrix.md": "---\nkind: view\nsummary: M.\n---\n# Matrix\n\n```{region-theme-matrix}\n```\n",
    "timeline.md": "---\nkind: view\nsummary: T.\n---\n# Timeline\n\n```{timeline}\n```\n",
    "note.md": "---\nkind: source-note\nsummary: N.\n---\n# Note\n\n```{source-note} src2020\n```\n",
    "bib.md": "---\nkind: reference\nsummary: B.\n---\n# Bibliography\n\n```{bibliography}\n:all:\n```\n",
}


def build_fixture(tmp_path: Path, **changes: str) -> tuple[int, str, Path]:
    """Build the fixture handbook (with *changes* to its files); return exit code, log and outdir."""
    src = tmp_path / "src"
    src.mkdir()
    for name, text in {**FIXTURE_FILES, **changes}.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text.format(ext=str(REPO / "_ext")) if name == "conf.py" else text,
                                encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([str(SPHINX), "-b", "html", "-W", "-n", "--keep-going", "-q", "-E",
                             str(src), str(out)], capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr, out


def table_cells(page: Path) -> list[list[str]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [[c.get_text(" ", strip=True) for c in row.select("th, td")] for row in soup.select("table tr")]


def test_fixture_handbook_builds_its_views(tmp_path: Path) -> None:
    code, log, out = build_fixture(tmp_path)
    assert code == 0, log
    matrix = table_cells(out / "matrix.html")
    assert matrix[0] == ["Region", "Trade", "Health"]  # short labels, in front-matter order
    assert matrix[1][0] == "North" and "Treaty line" in matrix[1][1] and matrix[1][2] == ""
    assert matrix[2][0] == "South" and matrix[2][1] == "" and "Care line" in matrix[2][2]
    timeline = table_cells(out / "timeline.html")
    assert [row[0] for row in timeline[1:]] == ["May 2020", "3 May 2020"]  # month before its days
    note = BeautifulSoup((out / "note.html").read_text(encoding="utf-8"), "html.parser")
    assert {a["href"].split("#")[0] for a in note.select("div.body li a.reference.internal")} == {
        "chapters/regions/north.html", "chapters/themes/trade.html"}


@pytest.mark.parametrize("bad_date, message", [
    ("2020-02-30", "impossible date '2020-02-30'"),
    ("May 2020", "badly formatted date 'May 2020'"),
])
def test_fixture_rejects_bad_dates_with_file_and_line(tmp_path: Path, bad_date: str, message: str) -> None:
    north = FIXTURE_FILES["chapters/regions/north.md"].replace(":date: 2020-05-03", f":date: {bad_date}")
    code, log, _ = build_fixture(tmp_path, **{"chapters/regions/north.md": north})
    assert code != 0
    assert re.search(rf"north\.md:\d+: WARNING: event: {re.escape(message)}", log), log


def test_fixture_reports_a_source_without_a_note(tmp_path: Path) -> None:
    index = FIXTURE_FILES["index.md"].replace("note\n", "")
    code, log, _ = build_fixture(tmp_path, **{"index.md": index, "note.md": ""})
    assert code != 0 and "source 'src2020' has no source-notes page" in log, log


def test_fixture_reports_a_theme_link_that_goes_one_way(tmp_path: Path) -> None:
    health = FIXTURE_FILES["chapters/themes/health.md"].replace("{ref}`region-south`.", "No link.")
    code, log, _ = build_fixture(tmp_path, **{"chapters/themes/health.md": health})
    assert code != 0 and "chapters/regions/south lists theme 'health' in its front matter, but the theme chapter does not link it" in log, log


# -- The views of a translated edition (roots/catalogue in Swedish) ------------------------------

def body_text(src: Path, name: str) -> str:
    return " ".join(page(src, name).select_one("div.body").get_text(" ", strip=True).split())


def rows_of(src: Path, name: str) -> list[list[str]]:
    return table_cells(src / "_build/html" / name)


def test_swedish_views_have_swedish_headings_dates_and_texts(tmp_path: Path) -> None:
    src = copy_root(tmp_path)
    assert build_root(src, language="sv") == []
    matrix = page(src, "chapters/reference/matrix.html")
    caption = matrix.select_one("table caption .caption-text").get_text(" ", strip=True)
    assert caption == "Regionerna och de teman som deras källor tar upp"
    assert rows_of(src, "chapters/reference/matrix.html")[0] == ["Region", "Handelsfrågor", "Hälsa"]
    assert [s.get_text() for s in matrix.select("table .visually-hidden")] == [
        "Region Nord, Handelsfrågor: Ett fördrag", "Region Syd, Hälsa: Sjukhus"]  # front matter, translated
    legend = "● ett avsnitt i temakapitlet beskriver regionens arbete med temat"
    assert legend in body_text(src, "chapters/reference/matrix.html")
    timeline = page(src, "chapters/reference/timeline.html")
    caption = timeline.select_one("table caption .caption-text").get_text(" ", strip=True)
    assert caption == "Daterade händelser i handboken, i datumordning"
    rows = rows_of(src, "chapters/reference/timeline.html")
    assert rows[0] == ["Datum", "Region(er)", "Händelse", "Beskrivs i", "Källa"]
    assert [row[:4] for row in rows[1:]] == [
        ["maj 2020", "Region Nord", "Nord undertecknar fördraget.", "Region Nord: Händelser"],
        ["4–6 maj 2020", "Nationell nivå", "Ett nationellt besök.", "Region Nord: Händelser"]]
    note = page(src, "chapters/reference/sources/north2020treaty.html")
    fields = {f.get_text(strip=True).rstrip(":"): f.find_next_sibling("dd").get_text(" ", strip=True)
              for f in note.select("dl.source-note dt")}
    # The title in Swedish, as the note's catalogue translates it ("The treaty"): the release is Danish.
    assert fields == {"Utgivare": "Region North", "Originaltitel": "Traktaten",
                      "Titel i översättning": "Fördraget",  # codespell:ignore
                      "Datum": "maj 2020", "Språk": "danska", "Typ": "Pressmeddelande", "Webbadress": "okänd"}
    assert "Anges som källa i ett avsnitt i handboken:" in body_text(src, "chapters/reference/sources/north2020treaty.html")
    # The title's translation and the note are translated in the source note's catalogue; the
    # kind, language and date through handbook.po and Babel.
    assert ("Region North. Traktaten [Fördraget]. Pressmeddelande, på danska. Maj 2020. "
            "Daterat till månaden då det undertecknades.") in body_text(src, "chapters/reference/bibliography.html")


def test_english_views_of_the_same_project_stay_english(tmp_path: Path) -> None:
    src = copy_root(tmp_path)
    assert build_root(src) == []
    rows = rows_of(src, "chapters/reference/timeline.html")
    assert rows[0] == ["Date", "Region(s)", "Event", "Described in", "Source"]
    assert [row[:4] for row in rows[1:]] == [
        ["May 2020", "Region North", "North signs the treaty.", "Region North: Events"],
        ["4–6 May 2020", "National level", "A national visit.", "Region North: Events"]]
    assert rows_of(src, "chapters/reference/matrix.html")[0] == ["Region", "Trade", "Health"]
    assert "Cited in one section of the handbook:" in body_text(src, "chapters/reference/sources/north2020treaty.html")
    assert ("Region North. Traktaten [The treaty]. Press release, in Danish. May 2020. "
            "Dated to the month of signing.") in body_text(src, "chapters/reference/bibliography.html")
    note = page(src, "chapters/reference/sources/north2020treaty.html")
    assert [f.get_text(strip=True).rstrip(":") for f in note.select("dl.source-note dt")] == [
        "Publisher", "Original title", "English title", "Date", "Language", "Kind", "Web address"]


def test_a_release_in_the_editions_language_needs_no_translated_title() -> None:
    from pybtex.database import Entry
    from handbook.bibstyle import translated_title
    fields = {"title": "Fördraget", "titleaddon": "The treaty", "language": "Swedish"}
    assert translated_title(Entry("misc", fields=fields), "sv") is None
    danish = Entry("misc", fields={**fields, "language": "Danish"})
    assert translated_title(danish, "sv") == "The treaty"  # as it is, until the note's catalogue translates it


def test_the_map_is_drawn_in_the_editions_language(swedish) -> None:
    from handbook.views.map import in_edition, load_map, map_alt_text, map_svg
    data = load_map()
    assert in_edition(data, {}, "en") is data
    regions = {"skane": "Region Skåne", "midtjylland": "Region Midtjylland"}
    swedish_map = in_edition(data, regions, "sv")
    alt = map_alt_text(swedish_map)
    assert alt.startswith("Karta i två delar, Nordeuropa till vänster och Kina till höger") and "Peking" in alt
    svg = BeautifulSoup(map_svg(swedish_map, alt), "html.parser")
    labels = [t.get_text() for t in svg.find_all("text")]
    assert {"SVERIGE", "DANMARK", "NORGE", "KINA", "MONGOLIET", "Peking", "Nordeuropa",
            "avtal eller avsiktsförklaring", "forum och besök", "region eller stad"} <= set(labels)
    assert not {"SWEDEN", "Beijing", "Northern Europe", "forum and visit"} & set(labels)


def test_every_word_of_the_map_data_and_kind_of_source_is_a_message() -> None:
    """map.yaml's and references.bib's words readers see are listed as messages of handbook.po
    (handbook.views.map.MAP_WORDS, handbook.bibstyle.KINDS): add a new one there."""
    from handbook.bibstyle import KINDS
    from handbook.views.map import MAP_WORDS
    words = {panel["title"] for panel in MAP["panels"].values()}
    words |= {place["name"] for key, place in MAP["places"].items() if key not in CATALOGUE.ids("regions")}
    words |= {link["what"] for link in MAP["partnerships"]}
    assert words <= set(MAP_WORDS), words - set(MAP_WORDS)
    from handbook import bibfile
    kinds = {entry.fields["type"] for entry in bibfile.read(REPO / "references.bib").entries.values()}
    assert kinds <= set(KINDS), kinds - set(KINDS)


# -- The real handbook --------------------------------------------------------------------------

def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_matrix_matches_the_chapters_front_matter(build: Build) -> None:
    rows = BeautifulSoup((build.html / "chapters/reference/matrix.html").read_text(encoding="utf-8"),
                         "html.parser").select("table tr")
    themes = [front_matter(p)["themes"][0] for p in sorted((REPO / "chapters/themes").glob("*.md"))
              if p.stem != "index"]
    header = [c.get_text(" ", strip=True) for c in rows[0].select("th")]
    regions = {}
    for path in (REPO / "chapters/themes").glob("*.md"):
        if path.stem != "index":
            for region in front_matter(path)["regions"]:
                regions.setdefault(region, set()).add(path.stem)
    assert len(rows) == 1 + len(CATALOGUE.regions) and len(header) == 1 + len(themes)
    for row in rows[1:]:
        links = {a["href"].split("#")[1] for a in row.select("td a.reference.internal")
                 if "/themes/" in a["href"]}
        region = next(r for r in regions if any(link.endswith(f"-{r}") for link in links))
        assert links == {f"{theme}-{region}" for theme in regions[region]}, row


def test_timeline_lists_every_event_in_date_order(build: Build) -> None:
    declared = sorted((parse_date(start), parse_date(end) if end else None)
                      for md in (REPO / "chapters").rglob("*.md")
                      for start, end in EVENT.findall(md.read_text(encoding="utf-8")))
    rows = table_cells(build.html / "chapters/reference/timeline.html")[1:]
    assert len(declared) >= 9
    assert [row[0] for row in rows] == [date_range(start, end) for start, end in declared]
    for row in rows:
        assert row[3] and row[4].startswith("("), row  # a chapter link and a citation


def test_every_source_has_a_note_with_complete_back_links(build: Build) -> None:
    notes = build.html / "chapters/reference/sources"
    assert {p.stem for p in notes.glob("*.html")} == bib_keys()
    for key in bib_keys():
        citing = {str(md.relative_to(REPO).with_suffix(".html"))
                  for md in (REPO / "chapters").rglob("*.md")
                  if page_kind(str(md.relative_to(REPO).with_suffix(".html"))) not in {"view", "source-note"}
                  and any(key in m.split(",") for m in CITE_ROLE.findall(md.read_text(encoding="utf-8")))}
        page = notes / f"{key}.html"
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
        linked = {str((page.parent / a["href"].split("#")[0]).resolve().relative_to(build.html.resolve()))
                  for a in article.select("li a.reference.internal")}
        assert linked == citing, key
        assert "Abstract" in article.get_text() and article.select('a[href*="bibliography.html#"]')


MAP = yaml.safe_load((REPO / "_ext/handbook/data/map.yaml").read_text(encoding="utf-8"))
COUNTRIES = json.loads((REPO / "_ext/handbook/data/countries.json").read_text(encoding="utf-8"))


def inside(lon: float, lat: float, polygons: list) -> bool:
    """Whether the point lies in one of *polygons* (each an outline and its holes; even–odd)."""
    def in_ring(ring: list) -> bool:
        found = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                found = not found
        return found
    return any(in_ring(rings[0]) and not any(in_ring(hole) for hole in rings[1:]) for rings in polygons)


def test_point_in_polygon_check_tells_inside_from_outside() -> None:
    square = [[[[0, 0], [10, 0], [10, 10], [0, 10]], [[4, 4], [6, 4], [6, 6], [4, 6]]]]
    assert inside(2, 2, square) and not inside(5, 5, square) and not inside(11, 5, square)


@pytest.mark.parametrize("key", list(MAP["places"]))
def test_each_place_lies_inside_its_countrys_outline(key: str) -> None:
    place = MAP["places"][key]
    outlines = COUNTRIES["panels"][place["panel"]]
    assert inside(place["lon"], place["lat"], outlines[place["country"]]), place
    others = [name for name, polygons in outlines.items()
              if name != place["country"] and inside(place["lon"], place["lat"], polygons)]
    assert not others, f"{place['name']} also lies in {others}"


def test_map_outlines_are_natural_earth_as_world_atlas_ships_them() -> None:
    """countries.json is what tools/derive_map_data.py derives from the pinned world-atlas."""
    atlas = REPO / "node_modules/world-atlas/countries-50m.json"
    if not atlas.is_file():
        pytest.skip("node_modules is not installed (`make test` installs it)")
    sys.path.insert(0, str(REPO / "tools"))
    import derive_map_data
    derived = derive_map_data.serialise(derive_map_data.derive())
    assert derived == (REPO / "_ext/handbook/data/countries.json").read_text(encoding="utf-8"), \
        "run .venv/bin/python tools/derive_map_data.py"
    assert "Natural Earth" in COUNTRIES["source"] and "public domain" in COUNTRIES["licence"]
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["world-atlas"] in COUNTRIES["source"]
    for panel, focus in (("nordic", {"Sweden", "Denmark", "Norway", "Finland"}), ("china", {"China", "Mongolia"})):
        assert focus <= set(COUNTRIES["panels"][panel]), panel


def map_svg_of(build: Build) -> tuple[BeautifulSoup, BeautifulSoup]:
    page = build.html / "chapters/reference/map.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    img = soup.select_one("article img.handbook-map")
    svg = (page.parent / img["src"]).resolve()
    return soup, BeautifulSoup(svg.read_text(encoding="utf-8"), "html.parser")


def test_map_svg_has_title_description_outlines_scale_bars_and_legend(build: Build) -> None:
    _, svg = map_svg_of(build)
    root = svg.find("svg")
    assert root["role"] == "img" and root["aria-labelledby"] == "map-title map-desc"
    assert svg.find("title", id="map-title").get_text(strip=True)
    desc = svg.find("desc", id="map-desc").get_text(strip=True)
    assert all(MAP["places"][k]["name"] in desc for k in MAP["places"]), desc
    assert len(svg.select("path.focus")) >= 3 and len(svg.select("path.land")) >= 10
    assert len([t for t in svg.find_all("text") if re.fullmatch(r"\d+ km", t.get_text())]) == 2
    links = svg.select("path.link")
    dashed = [p for p in links if p.get("stroke-dasharray")]
    assert len(links) == len(MAP["partnerships"]) + 2 and len(dashed) == 1 + 1  # and the legend's
    assert not svg.find("script") and not svg.find("image") and "href" not in str(svg)
    assert len(svg.select("circle.dot")) == len(MAP["places"]) + 1


def test_map_page_keeps_alt_text_and_the_list_beside_the_map(build: Build) -> None:
    soup, _ = map_svg_of(build)
    img = soup.select_one("article img.handbook-map")
    assert len(img["alt"]) > 40 and "Tianjin" in img["alt"]
    listed = soup.select("article li")
    assert len(listed) >= len(MAP["partnerships"])


def test_map_scale_bars_measure_what_they_say() -> None:
    """The bar's length is its distance along a parallel at the panel's centre, projected."""
    from handbook.views.map import Projection, scale_bar
    for panel in MAP["panels"].values():
        project, bar = Projection(panel), scale_bar(Projection(panel), panel)
        lat, lon = panel["centre"]["lat"], panel["centre"]["lon"]
        degrees = bar["km"] / (6371.0 * math.cos(math.radians(lat)) * math.pi / 180)
        (x1, y1), (x2, y2) = project(lon, lat), project(lon + degrees, lat)
        assert abs(math.hypot(x2 - x1, y2 - y1) - bar["length"]) < 0.02 * bar["length"], panel["title"]


def test_map_in_the_pdf_is_the_same_drawing(build: Build) -> None:
    text = squeeze(build.pdf_text)
    for label in ("Northern Europe", "China", "Tianjin", "Shanghai", "Region Midtjylland", "500 km",
                  "forum and visit", "Outlines: Natural Earth"):
        assert squeeze(label) in text, label


def test_matrix_cards_link_every_cell_to_its_theme_section(build: Build) -> None:
    soup = BeautifulSoup((build.html / "chapters/reference/matrix.html").read_text(encoding="utf-8"), "html.parser")
    grid = {a["href"] for a in soup.select("table.matrix-grid td a.reference.internal")}
    cards = {a["href"] for a in soup.select(".matrix-card a.reference.internal") if "/themes/" in a["href"]}
    assert grid and grid == cards
    for link in soup.select("table.matrix-grid td a.reference.internal"):
        assert link.get("title") and link.select_one(".visually-hidden").get_text(strip=True), link


def test_matrix_fits_one_pdf_page_without_hyphenated_headers(build: Build) -> None:
    from pypdf import PdfReader
    pages = [squeeze(p.extract_text() or "") for p in PdfReader(build.pdf).pages]
    caption = squeeze("Regions and the themes their sources address")
    page = next(i for i, text in enumerate(pages) if caption in text)
    for row in ("Skåne", "Stockholm", "Uppsala", "Västra Götaland", "Midtjylland"):
        assert squeeze(row) in pages[page], row
    for header in ("National strategies", "Health promotion", "Cooperation", "Health data", "Clusters"):
        assert squeeze(header) in pages[page], header
    assert not re.search(r"(strate|promo|Coop|Clus)[a-z]*-\s", (PdfReader(build.pdf).pages[page].extract_text() or "")), \
        "a hyphenated header"


def test_all_views_are_in_the_pdf(build: Build) -> None:
    text = squeeze(build.pdf_text)
    for expected in ("Region × theme matrix", "Regions and the themes their sources address",
                     "Dated events in the handbook, in date order", "5–6 December 2016",
                     "Source notes", "Cited in", "Map"):
        assert squeeze(expected) in text, expected
