"""The handbook in use in a real browser: the landing page, search, the keyboard, a phone's
drawers, the map and the matrix.

The server, the browser and the helpers are tests/test_browser.py's (see its docstring); this
file is separate so that pytest-xdist (``--dist=loadfile``) runs it in parallel with the page
reports there.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
import yaml

from conftest import EPUB_NAME, PDF_NAME, REPO
from handbook.catalogue import read_catalogue
from test_browser import DESKTOP, PAGE_TYPES, PHONE, Site, local, open_page, run_axe, site  # noqa: F401 (site: a fixture)

CATALOGUE = read_catalogue(REPO, ["references.bib"])

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

pytestmark = pytest.mark.browser


# -- Landing page, search, keyboard --------------------------------------------------------------

def test_landing_page_offers_ways_in_by_region_and_by_theme_and_the_editions(site: Site, browser) -> None:
    with open_page(browser, site.url + "index.html") as (page, _):
        cards = page.locator(".sd-card")
        titles = [t.strip() for t in cards.locator(".sd-card-title").all_inner_texts()]
        assert "By region" in titles and "By theme" in titles, titles
        hrefs = set(cards.locator("a").evaluate_all("links => links.map(a => a.pathname)"))
        chapters = {f"/chapters/{p.parent.name}/{p.stem}.html"
                    for folder in ("regions", "themes") for p in (REPO / "chapters" / folder).glob("*.md")}
        assert chapters - hrefs == set(), "regions and themes the landing page does not offer"
        for label, name in (("PDF", PDF_NAME), ("EPUB", EPUB_NAME)):
            assert page.get_by_role("link", name=re.compile(f"Download {label} \\(")).is_visible()
            assert page.get_by_role("link", name=re.compile(f"as an? {label}")).is_visible()
            assert page.request.get(site.url + name).ok


def result_links(page) -> list[str]:
    """The links the search page lists, as paths, in order."""
    return page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.pathname.replace(/^\\//, ''))")


def wait_for_search(page) -> None:
    """Wait until the search page has shown its results (or said that there are none)."""
    page.wait_for_function("""() => {
        const results = document.querySelector('#search-results');
        const status = results && results.querySelector('.search-summary');
        // Done: not loading, and a status (in the page's language) has been written.
        return status && !results.classList.contains('loading') && status.textContent.trim() !== '';
    }""", timeout=15000)


#: Reader questions with the page each reader wants first (tests/data/search-queries.yaml).
SEARCH_QUERIES = yaml.safe_load((REPO / "tests" / "data" / "search-queries.yaml").read_text(encoding="utf-8"))["queries"]
#: Each name as readers outside the Nordic countries type it, and as the handbook writes it.
FOLDED_PAIRS = [("Skane", "Skåne"), ("Vastra Gotaland", "Västra Götaland"), ("Kuhnau", "Kühnau"),
                ("Hadzialic", "Hadžialić"), ("Sodra", "Södra"), ("naestformand", "næstformand"),
                ("Sorensen", "Sørensen")]
#: Swedish and Danish words with a ring, an umlaut or a slashed o, and the page each is on.
NORDIC_WORDS = [("regionfullmäktige", "chapters/regions/skane.html"),
                ("næstformand", "chapters/regions/midtjylland.html"),
                ("Skåne", "chapters/regions/skane.html"),
                ("Götalandsregionen", "chapters/regions/vastra-gotaland.html")]


@pytest.fixture(scope="session")
def search_results_for(site: Site, browser) -> dict[str, list[str]]:
    """Every query the search tests ask, on the search page: query -> the result links, in order."""
    queries = ["Tianjin", *(word for word, _ in NORDIC_WORDS), *(q["query"] for q in SEARCH_QUERIES),
               *(name for pair in FOLDED_PAIRS for name in pair)]
    queries = list(dict.fromkeys(queries))
    results = {}
    # Two tabs, each loading the search page for the next query while the other searches.
    with open_page(browser, site.url + "search.html") as (one, visit), \
         open_page(browser, site.url + "search.html") as (two, other_visit):
        for first in range(0, len(queries), 2):
            pairs = list(zip((one, two), queries[first:first + 2]))
            for page, query in pairs:
                page.goto(site.url + "search.html?q=" + urllib.request.quote(query), wait_until="commit")
            for page, query in pairs:
                wait_for_search(page)
                results[query] = result_links(page)
        outside = [url for url in visit.requests + other_visit.requests if not local(site, url)]
    assert not outside, f"searching requested: {outside}"
    return results


def test_search_for_tianjin_lists_skane_and_the_china_theme(search_results_for: dict) -> None:
    results = search_results_for["Tianjin"]
    assert "chapters/regions/skane.html" in results, results
    assert "chapters/themes/china.html" in results, results


@pytest.mark.parametrize(("word", "expected"), NORDIC_WORDS)
def test_search_finds_swedish_words_with_a_ring_or_umlaut(word: str, expected: str, search_results_for: dict) -> None:
    results = search_results_for[word]
    assert expected in results, f"{word}: {results}"


# -- Search: diacritics, ranking, keyboard, accessibility ------------------------------------------

def ranked_pages(links: list[str]) -> list[str]:
    """Result links as pages, each once, at its first place (a page's section links follow it)."""
    return list(dict.fromkeys(link for link in links))


@pytest.mark.parametrize("question", SEARCH_QUERIES, ids=[q["query"] for q in SEARCH_QUERIES])
def test_search_puts_the_wanted_page_in_the_top_three(question: dict, search_results_for: dict) -> None:
    pages = ranked_pages(search_results_for[question["query"]])
    assert question["page"] in pages[:3], f"{question['query']!r}: {question['page']} is not in the top three {pages[:3]}"


@pytest.mark.parametrize(("typed", "written"), FOLDED_PAIRS)
def test_search_finds_the_same_pages_with_or_without_diacritics(typed: str, written: str,
                                                                  search_results_for: dict) -> None:
    without = ranked_pages(search_results_for[typed])
    with_marks = ranked_pages(search_results_for[written])
    assert with_marks, f"{written!r} finds nothing"
    assert set(without) == set(with_marks), f"{typed!r}: {without}\n{written!r}: {with_marks}"


def test_search_page_with_results_has_no_axe_violations(site: Site, browser) -> None:
    with open_page(browser, site.url + "search.html?q=Tianjin") as (page, _):
        wait_for_search(page)
        assert page.locator("#search-results ul.search li").count() > 0
        violations = run_axe(page)
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_search_dialog_has_no_axe_violations(device: str, site: Site, browser) -> None:
    with open_page(browser, site.url + PAGE_TYPES["theme"], DESKTOP if device == "desktop" else PHONE) as (page, _):
        page.keyboard.press("Control+k")
        page.locator("#pst-search-dialog input[name=q]").wait_for(state="visible")
        violations = run_axe(page)
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)


def test_search_works_by_keyboard_alone(site: Site, browser) -> None:
    """From a chapter: Ctrl+K, type, Enter; on the search page, Tab to a result and Enter."""
    with open_page(browser, site.url + PAGE_TYPES["region"]) as (page, visit):
        page.keyboard.press("Control+k")
        page.locator("#pst-search-dialog input[name=q]").wait_for(state="visible")
        page.keyboard.type("Kuhnau")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q=Kuhnau"))
        wait_for_search(page)
        page.locator("#handbook-search-q").focus()
        assert page.locator("#handbook-search-q").input_value() == "Kuhnau"
        stops = []
        for _ in range(6):
            page.keyboard.press("Tab")
            stops.append(focused(page))
            if stops[-1]["href"] and "midtjylland" in stops[-1]["href"]:
                break
        assert all(s["visible"] and s["focusVisible"] for s in stops), stops
        assert "midtjylland" in (stops[-1]["href"] or ""), f"Tab from the search box went to {stops}"
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"chapters/regions/midtjylland\.html"))
        outside = [url for url in visit.requests if not local(site, url)]
    assert not outside, f"searching requested: {outside}"


def test_search_without_a_match_says_so(site: Site, browser) -> None:
    with open_page(browser, site.url + "search.html?q=xylophonequartet") as (page, _):
        wait_for_search(page)
        assert "No pages found" in page.locator("#search-results .search-summary").inner_text()
        assert page.locator("#search-results ul.search li").count() == 0


def focused(page) -> dict:
    """The focused element: tag, classes, text, and whether its focus is visible.

    Focus is visible when the element, or a child standing for it (the theme rings the icon in
    a navigation toggle), has an outline or a box shadow. Waits out the theme's transitions.
    """
    page.wait_for_timeout(200)
    return page.evaluate("""() => {
        const el = document.activeElement, box = el.getBoundingClientRect();
        const cs = getComputedStyle(el);
        const ringed = e => { const s = getComputedStyle(e);
            return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                || (s.boxShadow !== 'none' && !/^rgba\\(0, 0, 0, 0\\) 0px 0px 0px 0px$/.test(s.boxShadow)); };
        const outline = ringed(el) || [...el.children].some(ringed);
        return {tag: el.tagName, cls: String(el.className), text: (el.innerText || '').trim().slice(0, 40),
                href: el.getAttribute('href'), inMain: !!el.closest('main'),
                visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
                         && cs.visibility !== 'hidden' && parseFloat(cs.opacity) > 0,
                focusVisible: el.matches(':focus-visible') && outline};
    }""")


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_skip_link_comes_first_shows_and_jumps_to_the_content(page_type: str, site: Site, browser) -> None:
    with open_page(browser, site.url + PAGE_TYPES[page_type]) as (page, _):
        page.keyboard.press("Tab")
        first = focused(page)
        assert first["href"] == "#main-content" and first["visible"] and first["focusVisible"], first
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main-content"
        page.keyboard.press("Tab")
        assert focused(page)["inMain"], f"after the skip link, Tab went to {focused(page)}"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_focus_is_always_visible_and_search_is_reachable_by_keyboard(device: str, site: Site, browser) -> None:
    with open_page(browser, site.url + PAGE_TYPES["region"], DESKTOP if device == "desktop" else PHONE) as (page, _):
        stops = []
        for _ in range(40):
            page.keyboard.press("Tab")
            stops.append(focused(page))
            if "search-button" in stops[-1]["cls"]:
                break
        invisible = [s for s in stops if not (s["visible"] and s["focusVisible"])]
        assert not invisible, f"focus not visible on: {invisible}"
        assert "search-button" in stops[-1]["cls"], f"no search button in the first 40 tab stops: {stops}"
        page.keyboard.press("Enter")
        search_box = page.locator("#pst-search-dialog input[name=q]")
        search_box.wait_for(state="visible")
        assert page.evaluate("document.activeElement.name") == "q", "the search dialog has no focus"
        page.keyboard.type("Tianjin")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q=Tianjin"))
        page.wait_for_selector("#search-results ul.search li a")


# -- Phones --------------------------------------------------------------------------------------

def test_navigation_opens_closes_and_leads_on_a_phone(site: Site, browser) -> None:
    with open_page(browser, site.url + PAGE_TYPES["theme"], PHONE) as (page, _):
        drawer = page.locator("#pst-primary-sidebar-modal")
        link = drawer.get_by_role("link", name="Introduction")
        assert not drawer.is_visible()
        page.locator("button.primary-toggle:visible").first.click()
        link.wait_for(state="visible")
        assert page.evaluate("document.querySelector('#pst-primary-sidebar-modal').open")
        violations = run_axe(page)
        assert not violations, f"with the navigation open: {violations}"
        page.keyboard.press("Escape")
        drawer.wait_for(state="hidden")
        page.locator("button.primary-toggle:visible").first.click()
        link.click()
        page.wait_for_url(re.compile(r"chapters/introduction\.html"))


def test_contents_of_the_page_open_and_close_on_a_phone(site: Site, browser) -> None:
    with open_page(browser, site.url + PAGE_TYPES["region"], PHONE) as (page, _):
        drawer = page.locator("#pst-secondary-sidebar-modal")
        page.locator("button.secondary-toggle:visible").first.click()
        drawer.get_by_role("link", name="Remit").wait_for(state="visible")
        page.keyboard.press("Escape")
        drawer.wait_for(state="hidden")


# -- Generated views: the map and the matrix ----------------------------------------------------

MAP_PAGE = "chapters/reference/map.html"
MATRIX_PAGE = "chapters/reference/matrix.html"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_map_shows_whole_from_the_site_alone(device: str, site: Site, browser) -> None:
    with open_page(browser, site.url + MAP_PAGE, DESKTOP if device == "desktop" else PHONE) as (page, visit):
        img = page.locator("article img.handbook-map")
        img.scroll_into_view_if_needed()
        box = page.evaluate("""() => { const i = document.querySelector('article img.handbook-map');
            const r = i.getBoundingClientRect();
            return {loaded: i.complete && i.naturalWidth > 0, left: r.left, right: r.right, width: r.width,
                    scrollWidth: document.documentElement.scrollWidth}; }""")
        requests = list(visit.requests)
    assert box["loaded"], "the map's SVG did not load"
    assert any(url.endswith(".svg") and local(site, url) for url in requests), requests
    assert not [url for url in requests if not local(site, url)], requests
    width = DESKTOP["viewport"]["width"] if device == "desktop" else PHONE["viewport"]["width"]
    assert box["left"] >= 0 and box["right"] <= width and box["scrollWidth"] <= width, box
    assert box["width"] >= (300 if device == "phone" else 600), f"the map is only {box['width']} px wide"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_matrix_fits_the_screen_without_sideways_scrolling(device: str, site: Site, browser) -> None:
    """Desktop: the whole grid is in view, no cell cut off; phone: one card per region instead."""
    with open_page(browser, site.url + MATRIX_PAGE, DESKTOP if device == "desktop" else PHONE) as (page, _):
        report = page.evaluate("""() => {
            const grid = document.querySelector('table.matrix-grid');
            const cells = [...grid.querySelectorAll('th, td')];
            const cut = cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText);
            const shown = e => e.getBoundingClientRect().width > 0;
            let box = grid.parentElement;
            return {width: innerWidth, scrollWidth: document.documentElement.scrollWidth,
                    gridShown: shown(grid), gridRight: grid.getBoundingClientRect().right,
                    boxScrolls: box.scrollWidth > box.clientWidth + 1, cut,
                    columns: grid.querySelectorAll('thead th').length,
                    cards: [...document.querySelectorAll('.matrix-card')].filter(shown).map(c => ({
                        right: c.getBoundingClientRect().right,
                        links: [...c.querySelectorAll('a.reference.internal')].filter(a => a.hash).length}))};
        }""")
    assert report["scrollWidth"] <= report["width"], report
    assert len(report["cards"]) == len(CATALOGUE.regions) and all(c["right"] <= report["width"] and c["links"] for c in report["cards"]), report
    if device == "desktop":
        assert report["gridShown"] and report["columns"] == 1 + len(CATALOGUE.themes), report
        assert report["gridRight"] <= report["width"] and not report["boxScrolls"], report
        assert not report["cut"], f"header or cell text cut off: {report['cut']}"
    else:
        assert not report["gridShown"], "the grid shows on a phone; the cards are its phone form"
