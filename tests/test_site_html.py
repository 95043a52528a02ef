"""The built site's plain HTML facts, read with BeautifulSoup: no browser needed.

Titles, descriptions, OpenGraph and viewport tags, safe new-tab links, no dead files and no
invented public address. What needs a browser (axe, layout, keyboard, search, requests) is in
tests/test_browser.py, which uses the page list below.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache

import pytest
import yaml
from babel.dates import get_month_names
from babel.messages.pofile import read_po

from conftest import EPUB_NAME, LANGUAGES, PDF_NAME, REPO, TRANSLATIONS, Build

#: The handbook's own language (English), whose site is the root of the built site.
SOURCE_LANGUAGE = LANGUAGES[0]


def in_language(language: str, page: str) -> str:
    """The path in the whole site of *page* of *language*'s site: ('sv', 'index.html') -> 'sv/index.html'."""
    return page if language == SOURCE_LANGUAGE else f"{language}/{page}"


def site_pages(language: str = SOURCE_LANGUAGE) -> list[str]:
    """Every page of one language's site, as paths in the whole site ('sv/index.html'): one per
    source document, plus search and index."""
    chapters = sorted(str(p.relative_to(REPO).with_suffix(".html")) for p in (REPO / "chapters").rglob("*.md"))
    return [in_language(language, page) for page in ["index.html", *chapters, "search.html", "genindex.html"]]


def every_site_page() -> list[str]:
    """Every page of every language's site: the English ones, then each translation's."""
    return [page for language in LANGUAGES for page in site_pages(language)]


def split_language(path: str) -> tuple[str, str]:
    """A page's language and its path in that language's site: 'sv/index.html' -> ('sv', 'index.html')."""
    first, _, rest = path.partition("/")
    return (first, rest) if first in TRANSLATIONS else (SOURCE_LANGUAGE, path)


@cache
def catalogue(language: str, domain: str) -> dict[str, str]:
    """The translated, not fuzzy, messages of locales/<language>/LC_MESSAGES/<domain>.po."""
    path = REPO / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and isinstance(m.id, str) and m.string
                and not m.fuzzy}


def translated(language: str, domain: str, text: str) -> str:
    """*text* as *language*'s edition shows it, from its catalogue (*text* itself in English, or
    while the catalogue lacks it: the tests of the translations name what is missing)."""
    return text if language == SOURCE_LANGUAGE else catalogue(language, domain).get(text, text)


def committed(page: str) -> bool:
    """Whether the source of *page* is in git. A page's date comes from its last commit, so a new
    page shows one only once it is committed (until then sphinx-last-updated-by-git has none)."""
    page = split_language(page)[1]
    source = (REPO / page).with_suffix(".md").relative_to(REPO)
    result = subprocess.run(["git", "ls-files", "--error-unmatch", str(source)], cwd=REPO,
                            capture_output=True, text=True)
    return result.returncode == 0 or not (REPO / ".git").exists()


def front_matter(page: str) -> dict:
    """The YAML front matter of the source document of *page* (in any language's site)."""
    source = (REPO / split_language(page)[1]).with_suffix(".md")
    match = re.match(r"---\n(.*?\n)---\n", source.read_text(encoding="utf-8"), re.S)
    return yaml.safe_load(match.group(1)) if match else {}


@pytest.mark.parametrize("path", every_site_page())
def test_page_has_title_description_opengraph_and_date(path: str, build: Build) -> None:
    """In each language: a translation's site name and summaries are its catalogues' (the
    extension's handbook.po, each page's own), its date has the language's month names."""
    language, page = split_language(path)
    soup = build.soup(build.html / path)
    title = soup.title.get_text(strip=True)
    meta = {m.get("name") or m.get("property"): m.get("content") for m in soup.select("meta[content]")}
    site_name = translated(language, "handbook", "Nordic Life Science Regions Handbook")
    assert title.endswith(site_name) and (title == site_name) == (page == "index.html"), title
    if page not in ("search.html", "genindex.html"):
        summary = front_matter(page)["summary"].strip()
        assert translated(language, page.removesuffix(".html"), summary) == meta.get("description"), path
    assert meta.get("description"), f"{path} has no meta description"
    assert meta.get("og:description") == meta["description"]
    assert meta.get("og:title") and meta.get("og:type") and meta.get("og:site_name") == site_name
    if page not in ("search.html", "genindex.html") and committed(page):  # source file in git
        if language == SOURCE_LANGUAGE:
            assert re.search(r"Last updated on \d{1,2} \w+ \d{4}", soup.get_text(" ")), f"{path} has no date"
        else:
            months = "|".join(get_month_names("wide", locale=language).values())
            date = soup.select_one(".last-updated")
            assert date and re.search(rf"\b\d{{1,2}} ({months}) \d{{4}}\b", date.get_text(" ")), \
                f"{path} has no date with the month's name in {language!r}: {date}"


@pytest.mark.parametrize("path", every_site_page())
def test_page_has_exactly_one_viewport_tag(path: str, build: Build) -> None:
    tags = build.soup(build.html / path).select('meta[name="viewport"]')
    assert len(tags) == 1, f"{path}: {[str(t) for t in tags]}"
    assert tags[0]["content"].replace(" ", "").startswith("width=device-width,initial-scale=1")


@pytest.mark.parametrize("language", LANGUAGES)
def test_titles_are_unique(build: Build, language: str) -> None:
    titles = [build.soup(build.html / p).title.get_text(strip=True) for p in site_pages(language)]
    assert len(set(titles)) == len(titles), sorted(titles)


@pytest.mark.parametrize("language", LANGUAGES)
def test_links_that_open_a_new_tab_carry_noopener_and_content_links_open_normally(build: Build,
                                                                                  language: str) -> None:
    external = 0
    for path in site_pages(language):
        soup = build.soup(build.html / path)
        for link in soup.select("a[target=_blank]"):
            assert "noopener" in (link.get("rel") or []), f"{path}: {link}"
        for link in soup.select("article a.reference.external"):
            external += 1
            assert link.get("target") in (None, "_self") or "noopener" in (link.get("rel") or []), link
    assert external >= 5, "expected the bibliography's external links"


def test_site_ships_no_source_maps_or_unused_files(build: Build) -> None:
    files = [p for p in build.html.rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix == ".map"], "source maps in the site"
    texts = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files
                      if p.suffix in (".html", ".css", ".js"))
    exempt = {".buildinfo", ".build-stamp", "objects.inv", PDF_NAME, EPUB_NAME}
    # pagefind.js loads its index by names it reads from pagefind-entry.json, not written anywhere
    # else: the index itself, its WebAssembly and its worker. handbook.search deletes the rest.
    # Each edition has its own pagefind/ (sv/pagefind/, with the Swedish WebAssembly).
    loaded_by_pagefind = lambda p: p.parent.name in ("fragment", "index") or p.suffix in (  # noqa: E731
        ".pagefind", ".pf_meta") or p.name in ("pagefind-entry.json", "pagefind-worker.js")
    unused = [str(p.relative_to(build.html)) for p in files if p.name not in exempt and p.name not in texts
              and not ("pagefind" in p.relative_to(build.html).parts[:2] and loaded_by_pagefind(p))]
    assert not unused, f"files no page, stylesheet or script refers to: {unused}"


def test_without_a_base_url_there_is_no_sitemap_404_or_invented_address(build: Build) -> None:
    for language in LANGUAGES:
        folder = build.edition(language).html
        assert not (folder / "sitemap.xml").exists() and not (folder / "404.html").exists(), language
    for path in every_site_page():
        html = (build.html / path).read_text(encoding="utf-8")
        assert 'rel="canonical"' not in html and 'property="og:url"' not in html, path


def test_search_questions_are_at_least_twenty_real_ones_with_existing_pages() -> None:
    """The questions tests/test_browser.py asks the search (tests/data/search-queries.yaml)."""
    questions = yaml.safe_load((REPO / "tests" / "data" / "search-queries.yaml").read_text(encoding="utf-8"))["queries"]
    assert len(questions) >= 20
    for question in questions:
        assert (REPO / question["page"]).with_suffix(".md").is_file() or question["page"] == "index.html", question
