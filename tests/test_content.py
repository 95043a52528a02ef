"""The content rules, checked on the built handbook: citations, cross-links, glossary, privacy."""

from __future__ import annotations

import re
from itertools import product
from pathlib import Path

import pytest
from pybtex.database import parse_file

from conftest import LANGUAGES, REPO, Build, page_kind
from handbook.catalogue import read_catalogue

CATALOGUE = read_catalogue(REPO, ["references.bib"])  # what the chapters say the book covers

CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")

# Personal contact data as the releases print it: e-mail addresses and Swedish or Danish phone
# numbers (+46 768 890 665, 044-3093977, 072-209 01 32, 2360 2768).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+\d{2}[ \d-]{7,}\d|\b0\d{1,3}-\d[\d ]{4,}\d\b|\b\d{4} \d{4}\b")


def bib_keys() -> set[str]:
    return set(parse_file(REPO / "references.bib", bib_format="bibtex").entries)


def cited_keys() -> dict[str, set[str]]:
    """Keys cited with {cite…} roles, per Markdown source file."""
    cited = {}
    for md in [REPO / "index.md", *sorted((REPO / "chapters").rglob("*.md"))]:
        keys = {k.strip() for match in CITE_ROLE.findall(md.read_text(encoding="utf-8"))
                for k in match.split(",")}
        cited[str(md.relative_to(REPO))] = keys
    return cited


def article_links(build: Build, page: Path) -> set[Path]:
    """Pages linked from the body of *page* (not from the sidebar, header or footer)."""
    article = build.soup(page).select_one("article.bd-article")
    assert article is not None, f"{page} has no article body"
    targets = set()
    for a in article.select("a.reference.internal[href]"):
        href = a["href"].split("#")[0]
        targets.add((page.parent / href).resolve() if href else page.resolve())
    return targets


def pages_in(build: Build, folder: str) -> list[Path]:
    return [p.resolve() for p in sorted((build.html / "chapters" / folder).glob("*.html"))
            if p.name != "index.html"]


def region_pages(build: Build) -> list[Path]:
    return [p for p in pages_in(build, "regions") if p.stem != "partner-regions"]


def chapter_pages(build: Build) -> list[Path]:
    """Every chapter that presents content: all but overview pages, the bibliography, the guide
    and the generated views (matrix, timeline, map, source notes: handbook.views)."""
    chapters = [p.resolve() for p in (build.html / "chapters").rglob("*.html")
                if p.name != "index.html" and p.stem not in {"bibliography", "contributing"}
                and page_kind(str(p.relative_to(build.html))) not in {"view", "source-note"}]
    return sorted(chapters)


def test_every_bibliography_entry_is_cited() -> None:
    cited = set().union(*cited_keys().values())
    assert bib_keys() - cited == set(), "sources in references.bib that no chapter cites"


def test_every_chapter_cites_a_source(build: Build) -> None:
    uncited = []
    for page in chapter_pages(build):
        article = build.soup(page).select_one("article.bd-article")
        if not article.select('a[href*="bibliography.html#"]'):
            uncited.append(str(page.relative_to(build.html.resolve())))
    assert not uncited, f"chapters without a citation: {uncited}"


def test_every_chapter_ends_with_its_sources(build: Build) -> None:
    for page in chapter_pages(build):
        sections = build.soup(page).select("article.bd-article section section")
        assert sections, f"{page} has no sections"
        last = sections[-1]
        assert last.h2 and last.h2.get_text(strip=True).rstrip("#") == "Sources", page
        assert last.select("ul li"), f"{page}: the Sources section lists nothing"


def test_region_and_theme_links_hold_both_ways(build: Build) -> None:
    regions, themes = region_pages(build), pages_in(build, "themes")
    assert ([p.stem for p in regions] == sorted(r.id for r in CATALOGUE.regions)
            and [p.stem for p in themes] == sorted(t.id for t in CATALOGUE.themes))
    one_way = []
    for region, theme in product(regions, themes):
        forward = theme in article_links(build, region)
        backward = region in article_links(build, theme)
        if forward != backward:
            one_way.append(f"{region.stem} {'→' if forward else '←'} {theme.stem}")
    assert not one_way, f"region–theme links that go one way only: {one_way}"


def test_every_region_links_at_least_two_themes(build: Build) -> None:
    themes = set(pages_in(build, "themes"))
    for region in region_pages(build):
        assert len(article_links(build, region) & themes) >= 2, region.stem


def test_every_theme_links_a_region(build: Build) -> None:
    regions = set(region_pages(build))
    for theme in pages_in(build, "themes"):
        assert article_links(build, theme) & regions, theme.stem


def test_introduction_links_every_chapter(build: Build) -> None:
    intro = (build.html / "chapters" / "introduction.html").resolve()
    missing = set(chapter_pages(build)) - article_links(build, intro) - {intro}
    assert not missing, f"chapters the introduction does not link: {sorted(p.stem for p in missing)}"


def test_every_glossary_term_is_used(build: Build) -> None:
    glossary = (build.html / "chapters" / "reference" / "glossary.html").resolve()
    terms = {dt["id"] for dt in build.soup(glossary).select("dl.glossary dt[id]")}
    assert len(terms) >= 10
    used = set()
    for page in build.html_pages():
        if page.resolve() == glossary:
            continue
        for a in build.soup(page).select('article.bd-article a[href*="glossary.html#term-"]'):
            used.add(a["href"].split("#")[1])
    assert terms - used == set(), "glossary terms that no chapter links"


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_has_no_personal_contact_data(build: Build, language: str) -> None:
    found = {}
    for page in build.edition(language).html_pages():
        text = build.soup(page).get_text(" ")
        hits = EMAIL.findall(text) + PHONE.findall(text)
        if hits:
            found[str(page.relative_to(build.html))] = hits
    assert not found, f"e-mail addresses or phone numbers in the site: {found}"


def test_pdf_has_no_personal_contact_data(build: Build) -> None:
    hits = EMAIL.findall(build.pdf_text) + PHONE.findall(build.pdf_text)
    assert not hits, f"e-mail addresses or phone numbers in the PDF: {hits}"


@pytest.mark.parametrize("sample", ["anna.example@skane.se", "+46 768 890 665", "044-3093977",
                                    "072-209 01 32", "Telefon: 2360 2768"])
def test_contact_data_patterns_catch_the_formats_in_the_releases(sample: str) -> None:
    assert EMAIL.search(sample) or PHONE.search(sample)


@pytest.mark.parametrize("sample", ["2021–2024", "16.30–19.30", "SEK 35 billion", "32,000", "5–6 December 2016"])
def test_contact_data_patterns_spare_dates_and_figures(sample: str) -> None:
    assert not (EMAIL.search(sample) or PHONE.search(sample))
