"""The editions linked to each other: the language switch, the hreflang alternates, the sitemap,
the pages shown only in English, and each edition's own search (handbook.language_links).

Most tests read the session's build (`make`: English at the site's root, each translation in its
folder, ``sv/``). The addresses with a public base URL are tested on a two-page site
(tests/roots/site, with a Swedish catalogue) built in both languages with HANDBOOK_BASE_URL. The
browser tests use tests/test_browser.py's server and browser.
"""

from __future__ import annotations

import json
import os
import posixpath
import runpy
import shutil
import subprocess
import urllib.parse
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, Build
from handbook.language_links import SOURCE_ONLY_DEFAULT
from test_browser import PHONE, Site, open_page, run_axe, site  # noqa: F401 (site: the server, a fixture)
from test_browser_use import result_links, wait_for_search
from test_site_html import site_pages

#: The source language, and the translations `make` builds (every folder of locales/).
SOURCE = "en"
TRANSLATIONS = sorted(p.name for p in (REPO / "locales").iterdir() if (p / "LC_MESSAGES").is_dir())
CONF = runpy.run_path(str(REPO / "conf.py"))
NAMES = CONF["handbook_languages"]
#: The pages every edition shows in English (the contributor guide).
SOURCE_ONLY = [f"{page}.html" for page in CONF.get("handbook_source_only_pages", SOURCE_ONLY_DEFAULT)]
#: The pages Pagefind indexes in each edition (handbook.search: the landing page and chapters/).
INDEXED = [p for p in site_pages() if p == "index.html" or p.startswith("chapters/")]

BASE_URL = "https://example.org/handbook/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def in_edition(language: str, page: str) -> str:
    """*page*'s path in the site in *language*'s edition: 'sv/chapters/x.html'."""
    return page if language == SOURCE else f"{language}/{page}"


def resolve(page: str, href: str) -> str:
    """The path, from the site's root, that the relative *href* on *page* leads to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))


def soup_of(root: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((root / page).read_text(encoding="utf-8"), "html.parser")


def switch_links(soup: BeautifulSoup) -> dict[str, object]:
    """The language switch's links, by the language each leads to."""
    return {a["hreflang"]: a for a in soup.select(".handbook-language-switch a.handbook-language-link")}


def alternates(soup: BeautifulSoup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in soup.select('head link[rel="alternate"][hreflang]')}


def test_the_editions_are_english_and_swedish() -> None:
    assert TRANSLATIONS == ["sv"] and list(NAMES)[0] == SOURCE


# -- The language switch ---------------------------------------------------------------------------

@pytest.mark.parametrize("language", TRANSLATIONS)
def test_the_switch_on_every_page_leads_to_the_same_page_in_the_other_language_and_back(
        language: str, build: Build) -> None:
    for page in site_pages():
        english, translated = in_edition(SOURCE, page), in_edition(language, page)
        there = switch_links(soup_of(build.html, english))[language]
        assert resolve(english, there["href"]) == translated, english
        assert (build.html / translated).is_file(), translated
        back = switch_links(soup_of(build.html, translated))[SOURCE]
        assert resolve(translated, back["href"]) == english, translated


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_the_switch_shows_the_language_in_itself_and_is_named_in_both_languages(language: str, build: Build) -> None:
    page = "chapters/regions/skane.html"
    for here, there in ((SOURCE, language), (language, SOURCE)):
        link = switch_links(soup_of(build.html, in_edition(here, page)))[there]
        hidden = link.select_one(".visually-hidden")
        assert link["lang"] == there and hidden["lang"] == here, link
        # The visible text is the language's own name; the accessible name goes on in the page's language.
        assert link.get_text().startswith(f"{NAMES[there]} – "), link
        assert link.get_text().removeprefix(NAMES[there]).strip() == hidden.get_text().strip()
    english = switch_links(soup_of(build.html, page))[language]
    assert english.get_text() == f"{NAMES[language]} – read this page in Swedish"


# -- hreflang --------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", [SOURCE, *TRANSLATIONS])
def test_every_page_declares_its_alternates_in_every_language_relative_without_a_base_url(
        language: str, build: Build) -> None:
    for page in site_pages():
        path = in_edition(language, page)
        declared = alternates(soup_of(build.html, path))
        languages = [SOURCE] if page in SOURCE_ONLY else [SOURCE, *TRANSLATIONS]
        assert set(declared) == {*languages, "x-default"}, path
        for code in languages:
            assert resolve(path, declared[code]) == in_edition(code, page), (path, code)
        assert declared["x-default"] == declared[SOURCE], path


# -- Pages only in English -------------------------------------------------------------------------

@pytest.mark.parametrize("language", TRANSLATIONS)
def test_a_page_only_in_english_is_marked_english_in_a_translated_edition(language: str, build: Build) -> None:
    assert SOURCE_ONLY, "the contributor guide is shown in English by every edition"
    for page in SOURCE_ONLY:
        soup = soup_of(build.html, in_edition(language, page))
        assert soup.html["lang"] == language
        article = soup.select_one("article.bd-article")
        assert article["lang"] == SOURCE
        note = soup.select_one(".handbook-source-only-note")
        assert note is not None and note.find_parent(attrs={"lang": SOURCE}) is None, "a note in the edition's language"
        assert not (set(article.find_all(True)) & {note})
        current = soup.select_one("nav.bd-docs-nav a.current")
        assert current["lang"] == SOURCE, "its title in the navigation"
        assert resolve(in_edition(language, page), switch_links(soup)[SOURCE]["href"]) == page
        english = soup_of(build.html, page)
        assert "lang" not in english.select_one("article.bd-article").attrs
        assert english.select_one(".handbook-source-only-note") is None
        # Its quotation marks are English ones, as on the English page, not the edition's.
        quotes = lambda s: "".join(c for c in s.select_one("article.bd-article").get_text() if c in "“”‘’")  # noqa: E731
        assert quotes(soup) == quotes(english) and "“" in quotes(soup)


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_edition_is_declared_in_its_language(language: str, build: Build) -> None:
    for page in site_pages():
        assert soup_of(build.html, in_edition(language, page)).html["lang"] == language, page


# -- Search ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", [SOURCE, *TRANSLATIONS])
def test_each_edition_has_its_own_index_of_its_own_pages_only(language: str, build: Build) -> None:
    folder = build.html / in_edition(language, "pagefind")
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == [language], entry
    # The English index would hold twice as many pages if it had indexed the Swedish site too.
    assert entry["languages"][language]["page_count"] == len(INDEXED)
    assert (folder / f"wasm.{language}.pagefind").is_file(), "the WebAssembly the pages need"
    assert (folder / "handbook-spellings.json").is_file()


# -- With a public address: a two-page site in both languages --------------------------------------

@pytest.fixture(scope="module")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/roots/site with the handbook's configuration and a Swedish catalogue, built in
    English into html/ and in Swedish into html/sv/, as `make` lays them out, with a base URL."""
    from test_repository import small_site

    folder = tmp_path_factory.mktemp("bilingual")
    src = small_site(folder / "src")
    catalogue = src / "locales" / "sv" / "LC_MESSAGES" / "chapters"
    catalogue.mkdir(parents=True)
    (catalogue / "guide.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "A guide"\nmsgstr "En guide"\n\nmsgid "Text."\nmsgstr "Text på svenska."\n', encoding="utf-8")
    env = {**os.environ, "HANDBOOK_BASE_URL": BASE_URL}
    for language, out in (("en", folder / "html"), ("sv", folder / "sv-html")):
        result = subprocess.run([str(REPO / ".venv" / "bin" / "sphinx-build"), "-b", "html", "-q", "-W", "-n",
                                 "--keep-going", "-D", f"language={language}", "-d", str(folder / f"doctrees-{language}"),
                                 str(src), str(out)], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    shutil.copytree(folder / "sv-html", folder / "html" / "sv")
    return folder / "html"


@pytest.mark.slow  # two sphinx-builds
def test_with_a_base_url_the_alternates_are_absolute_and_the_switch_stays_relative(published_site: Path) -> None:
    page = "chapters/guide.html"
    expected = {"en": BASE_URL + page, "sv": BASE_URL + "sv/" + page, "x-default": BASE_URL + page}
    for language in ("en", "sv"):
        soup = soup_of(published_site, in_edition(language, page))
        assert alternates(soup) == expected, language
        assert soup.select_one('link[rel="canonical"]')["href"] == expected[language]
        other = "sv" if language == "en" else "en"
        assert not switch_links(soup)[other]["href"].startswith("http"), "relative, for previews too"
    assert "En guide" in soup_of(published_site, "sv/" + page).h1.get_text()


@pytest.mark.slow  # two sphinx-builds
def test_with_a_base_url_one_sitemap_lists_every_page_in_every_language_with_its_alternates(
        published_site: Path) -> None:
    assert not (published_site / "sv" / "sitemap.xml").exists(), "search engines read the site's root"
    urls = ElementTree.parse(published_site / "sitemap.xml").getroot().findall(f"{SITEMAP}url")
    pages = ["index.html", "chapters/guide.html"]
    listed = {url.findtext(f"{SITEMAP}loc"): url for url in urls}
    assert set(listed) == {BASE_URL + in_edition(language, page) for page in pages for language in ("en", "sv")}
    for loc, url in listed.items():
        page = loc.removeprefix(BASE_URL).removeprefix("sv/")
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
                 if link.get("rel") == "alternate"}
        assert links == {"en": BASE_URL + page, "sv": BASE_URL + "sv/" + page, "x-default": BASE_URL + page}, loc
        assert url.findtext(f"{SITEMAP}lastmod"), f"{loc}: the date of its source's last commit"


# -- In a browser ----------------------------------------------------------------------------------

@pytest.mark.browser
def test_tab_reaches_the_switch_and_enter_opens_the_swedish_page(site: Site, browser) -> None:
    with open_page(browser, site.url + "chapters/regions/skane.html") as (page, _):
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('a.handbook-language-link')"):
                break
        else:
            pytest.fail("Tab never reached the language switch")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == site.url + "sv/chapters/regions/skane.html"
        assert page.evaluate("document.documentElement.lang") == "sv"


@pytest.mark.browser
@pytest.mark.parametrize("language", [SOURCE, *TRANSLATIONS])
def test_the_header_with_the_switch_fits_a_phone_and_passes_axe_in_dark_mode(language: str, site: Site,
                                                                              browser) -> None:
    phone = {**PHONE, "viewport": {"width": 390, "height": 844}}
    url = site.url + in_edition(language, "chapters/regions/skane.html")
    with open_page(browser, url, device=phone, color_scheme="dark") as (page, _):
        switch = page.locator("a.handbook-language-link")
        assert switch.is_visible()
        box = switch.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        header = page.locator(".bd-header-article").bounding_box()
        assert header["height"] < 80, f"the header wraps: {header}"
        violations = run_axe(page)
        assert not violations, violations


@pytest.mark.browser
@pytest.mark.parametrize(("typed", "page"), [("Skane", "chapters/regions/skane.html"),
                                             ("Vastra Gotaland", "chapters/regions/vastra-gotaland.html")])
@pytest.mark.parametrize("language", TRANSLATIONS)
def test_a_query_without_diacritics_finds_the_page_in_the_editions_own_search(
        language: str, typed: str, page: str, site: Site, browser) -> None:
    url = site.url + in_edition(language, "search.html") + "?q=" + urllib.parse.quote(typed)
    with open_page(browser, url) as (tab, _):
        wait_for_search(tab)
        links = result_links(tab)
        assert in_edition(language, page) in links, links
        assert all(link.startswith(f"{language}/") for link in links), "only the edition's own pages"
        assert tab.evaluate("document.documentElement.lang") == language
