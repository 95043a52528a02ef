"""handbook.catalogue: the regions, themes and sources come from the files, so a new region is
one new chapter. Built in-process on the small project in roots/catalogue (two regions, two
themes, one source), as Sphinx tests its own extensions; and in Swedish, from its catalogues in
roots/catalogue/locales/sv and the handbook's own handbook.po, so that counts, lists and names
are asserted in the translated edition too."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO
from handbook.catalogue import number_words, read_catalogue
from handbook_copy import build_in_process

ROOT = REPO / "tests" / "roots" / "catalogue"

EAST = """---
kind: region
regions: [east]
themes: [trade]
short: East
order: 15
country: Sweden
summary: Region East.
---

(region-east)=
# Region East

East trades too.
See {ref}`theme-trade`.
"""


def copy(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns("_build", "*.mo"))
    # The extension's words in Swedish: the handbook's own catalogue, as the real edition has it.
    shutil.copy(REPO / "locales/sv/LC_MESSAGES/handbook.po", src / "locales/sv/LC_MESSAGES/handbook.po")
    return src


def add_east(src: Path) -> None:
    """A new region: its chapter, and the one theme chapter it links to (and nothing else)."""
    (src / "chapters/regions/east.md").write_text(EAST, encoding="utf-8")
    trade = src / "chapters/themes/trade.md"
    text = trade.read_text(encoding="utf-8")
    text = text.replace("regions: [north]", "regions: [north, east]").replace(
        "  north: A treaty\n", "  north: A treaty\n  east: Trade too\n")
    trade.write_text(text + "\n(trade-east)=\n## Region East\n\nSee {ref}`region-east`.\n", encoding="utf-8")


def build(src: Path, fresh: bool = True, language: str = "en") -> list[str]:
    """Build *src* in-process into src/_build (keeping the environment unless *fresh*), in
    *language* (``-D language=sv``, as the Makefile builds the Swedish edition); warnings."""
    return build_in_process(src, fresh=fresh, language=language)[0]


def page(src: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((src / "_build/html" / name).read_text(encoding="utf-8"), "html.parser")


def text_of(src: Path, name: str) -> str:
    text = " ".join(page(src, name).select_one("div.body").get_text(" ", strip=True).split())
    return re.sub(r" ([.,;])", r"\1", text)  # get_text's space between a link and its full stop


def toctree(src: Path, name: str) -> list[str]:
    return [a.get_text(strip=True) for a in page(src, name).select("div.toctree-wrapper a")]


def test_the_catalogue_is_read_from_the_chapters_and_the_bib() -> None:
    found = read_catalogue(ROOT, ["refs.bib"])
    assert [(r.id, r.name, r.short, r.country, r.label) for r in found.regions] == [
        ("north", "Region North", "North", "Sweden", "region-north"),
        ("south", "Region South", "South", "Denmark", "region-south")]
    assert [(t.id, t.name, t.docname) for t in found.themes] == [
        ("trade", "Trade and treaties", "chapters/themes/trade"),
        ("health", "Health, care and hospitals", "chapters/themes/health")]
    assert [(s.key, s.docname) for s in found.sources] == [
        ("north2020treaty", "chapters/reference/sources/north2020treaty")]


def test_the_real_handbook_has_a_chapter_for_every_region_and_theme_it_lists() -> None:
    found = read_catalogue(REPO, ["references.bib"])
    for kind, folder in (("regions", "regions"), ("themes", "themes")):
        chapters = {p.stem for p in (REPO / "chapters" / folder).glob("*.md")} - {"index", "partner-regions"}
        assert found.ids(kind) == chapters, kind
    assert [r.order for r in found.regions] == sorted(r.order for r in found.regions)


@pytest.mark.parametrize(("n", "words"), [(0, "zero"), (1, "one"), (5, "five"), (13, "thirteen"),
                                          (20, "twenty"), (42, "forty-two"), (100, "100")])
def test_numbers_are_written_in_words(n: int, words: str) -> None:
    assert number_words(n) == words


@pytest.fixture
def swedish(tmp_path: Path):
    """The extension's messages in Swedish (handbook.po compiled and registered), as in a Swedish
    build; English again afterwards."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from sphinx import locale

    folder = tmp_path / "locales" / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (REPO / "locales/sv/LC_MESSAGES/handbook.po").open("rb") as po, (folder / "handbook.mo").open("wb") as mo:
        write_mo(mo, read_po(po))
    locale.init([str(tmp_path / "locales")], "sv", "handbook")
    yield
    locale.translators.pop(("general", "handbook"), None)


@pytest.mark.parametrize(("n", "words"), [(0, "noll"), (1, "en"), (5, "fem"), (13, "tretton"),
                                          (20, "tjugo"), (42, "fyrtiotvå"), (100, "100")])
def test_numbers_are_written_in_swedish_words_in_the_swedish_edition(swedish, n: int, words: str) -> None:
    assert number_words(n) == words


def test_swedish_lists_counts_names_and_matrix_come_from_the_catalogues(tmp_path: Path) -> None:
    """The Swedish edition's words are Swedish (handbook.po), and the chapters' names and short
    names those of their own catalogues (the translated headings and ``short``)."""
    src = copy(tmp_path)
    assert build(src, language="sv") == []
    landing = text_of(src, "index.html")
    assert "Boken omfattar två regioner och två teman, från en källa." in landing
    assert "Gå direkt till Region Nord och Region Syd." in landing
    assert "Jämför dem efter Handelsfrågor och Hälsa." in landing
    assert "Den omfattar en svensk (Region Nord) och en dansk (Region Syd)." in landing
    assert "Två regioner." in text_of(src, "chapters/regions/index.html")
    assert toctree(src, "chapters/regions/index.html") == ["Region Nord", "Region Syd"]
    assert toctree(src, "chapters/themes/index.html") == ["Handelsfrågor och fördrag", "Hälsa, vård och sjukhus"]
    rows = page(src, "chapters/reference/matrix.html").select("table tr")
    assert [r.select("td, th")[0].get_text(strip=True) for r in rows] == ["Region", "Nord", "Syd"]
    # The summary, translated in the page's catalogue, describes the page to search engines.
    meta = page(src, "chapters/regions/north.html").find("meta", attrs={"name": "description"})
    assert meta["content"] == "Region Nord."


def test_the_english_edition_of_the_same_project_stays_english(tmp_path: Path) -> None:
    """Catalogues beside the sources change nothing in English."""
    src = copy(tmp_path)
    assert build(src) == []
    assert "It covers one Swedish (Region North) and one Danish (Region South)." in text_of(src, "index.html")
    meta = page(src, "chapters/regions/north.html").find("meta", attrs={"name": "description"})
    assert meta["content"] == "Region North."


def test_lists_toctrees_counts_and_matrix_come_from_the_catalogue(tmp_path: Path) -> None:
    src = copy(tmp_path)
    assert build(src) == []
    landing = text_of(src, "index.html")
    assert "The book covers two regions and two themes, from one source." in landing
    assert "Go straight to Region North and Region South." in landing
    assert "Compare them on Trade and Health." in landing
    assert "It covers one Swedish (Region North) and one Danish (Region South)." in landing
    links = [a["href"] for a in page(src, "index.html").select("div.body p a.reference.internal")]
    assert links[:2] == ["chapters/regions/north.html#region-north", "chapters/regions/south.html#region-south"]
    assert "Two regions." in text_of(src, "chapters/regions/index.html")  # capitalised: {count}`Regions`
    assert toctree(src, "chapters/regions/index.html") == ["Region North", "Region South"]
    assert toctree(src, "chapters/themes/index.html") == ["Trade and treaties", "Health, care and hospitals"]
    assert toctree(src, "chapters/reference/source-notes.html") == ["Region North, 2020: the treaty"]
    rows = page(src, "chapters/reference/matrix.html").select("table tr")
    assert [r.select("td, th")[0].get_text(strip=True) for r in rows] == ["Region", "North", "South"]


def test_a_new_region_is_its_chapter_and_the_theme_it_links_to(tmp_path: Path) -> None:
    src = copy(tmp_path)
    add_east(src)
    assert build(src) == []
    landing = text_of(src, "index.html")
    assert "The book covers three regions and two themes" in landing
    assert "Go straight to Region North, Region East and Region South." in landing  # by order:
    assert "It covers two Swedish (Region North and Region East) and one Danish (Region South)." in landing
    assert toctree(src, "chapters/regions/index.html") == ["Region North", "Region East", "Region South"]
    rows = page(src, "chapters/reference/matrix.html").select("table tr")
    assert [r.select("td, th")[0].get_text(strip=True) for r in rows] == ["Region", "North", "East", "South"]


def test_pages_that_show_the_catalogue_are_read_again_when_it_changes(tmp_path: Path) -> None:
    src = copy(tmp_path)
    assert build(src) == []
    add_east(src)  # index.md and the overview are unchanged files: only the catalogue changed
    assert build(src, fresh=False) == []
    assert "The book covers three regions" in text_of(src, "index.html")
    assert toctree(src, "chapters/regions/index.html") == ["Region North", "Region East", "Region South"]
    short = src / "chapters/regions/east.md"
    short.write_text(EAST.replace("# Region East", "# Region Eastland"), encoding="utf-8")
    assert build(src, fresh=False) == []  # a new name only: the pages that show it follow
    assert "Region North, Region Eastland and Region South" in text_of(src, "index.html")


def test_front_matter_is_checked_against_the_catalogue(tmp_path: Path) -> None:
    src = copy(tmp_path)
    health = src / "chapters/themes/health.md"
    health.write_text(health.read_text(encoding="utf-8").replace("regions: [south]", "regions: [south, west]"),
                      encoding="utf-8")
    found = build(src)
    assert any(w.startswith("chapters/themes/health.md:3: WARNING: unknown region 'west' in 'regions'; "
                            "known ids are north, south") for w in found), found
