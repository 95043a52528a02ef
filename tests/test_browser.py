"""The handbook as readers meet it: in a real browser, on a phone, with a keyboard and with axe.

Debian's Chromium (installed by `make test`) is driven by Playwright for Python. The site built
by the session's `make all` is served on 127.0.0.1 by tools/siteserver.py, with gzip compression
as a static host would. A second, HTML-only build with a base URL on that same server
(``http://127.0.0.1:PORT/handbook/``) stands in for a published site, for the sitemap, the 404
page and canonical addresses. Nothing here reaches beyond 127.0.0.1, and every page asserts it.

The server and the browser start once per session; each page gets a fresh browser context, so
that its request log and transfer size count every asset, as on a reader's first visit. Every
page is visited once per device (``desktop_reports``, ``phone_reports``) and several tests read
what that visit recorded; the search queries run in one page (``search_results_for``).

Only what needs a browser is here (axe, layout at a width, the keyboard, search, requests);
the plain HTML facts are checked without one in tests/test_site_html.py. Screenshots to look
at are a tool, not a test: `make screenshots` (tools/screenshots.py).

All of it runs in one pytest-xdist worker (the ``browser`` group), so that the session's
server, browser and page reports exist once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import EPUB_NAME, PDF_NAME, REPO, Build, run_make
from test_site_html import committed, site_pages

sys.path.insert(0, str(REPO / "tools"))
from siteserver import SiteServer  # noqa: E402 (tools/ is not a package)

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Headless, and nothing that would call Google's services (updates, sync, QUIC, field trials).
#: Playwright's launch() gives each run a fresh, temporary --user-data-dir of its own.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
#: One page of each type, as the issue names them.
PAGE_TYPES = {"landing": "index.html", "region": "chapters/regions/skane.html",
              "theme": "chapters/themes/china.html"}
#: Budget for one page view: every asset, as transferred (compressed, headers included).
MAX_TRANSFER = 250 * 1024
#: Prefix of the published stand-in site on the test server.
PUBLISHED = "/handbook/"
#: axe-core rules switched off, each with the reason. None is.
AXE_DISABLED_RULES: dict[str, str] = {}


# -- Server, browser and page visits ------------------------------------------------------------

@dataclass
class Visit:
    """What one page view did on the network and in the console."""

    url: str
    status: int | None = None
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    transferred: dict[str, int] = field(default_factory=dict)  # URL -> bytes over the wire

    @property
    def total_transferred(self) -> int:
        return sum(self.transferred.values())


@dataclass
class Site:
    """The test server with both sites mounted, and the folders it serves."""

    server: SiteServer
    html: Path
    published_html: Path

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def published_url(self) -> str:
        return self.server.url.rstrip("/") + PUBLISHED


@pytest.fixture(scope="session")
def site(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Serve the session's build at / and a build with a base URL at /handbook/."""
    server = SiteServer({"/": build.html})  # bound now: the published build needs its port
    published = tmp_path_factory.mktemp("published")
    base_url = server.url.rstrip("/") + PUBLISHED
    # `make html` builds the PDF and the EPUB the site offers first; the session's, copied with
    # their times (and the commit they were built from), are up to date for make.
    for name in ("pdf", "epub"):
        shutil.copytree(build.builddir / name, published / name)
    shutil.copy2(build.builddir / ".edition", published / ".edition")
    result = run_make("html", f"HANDBOOK_BASE_URL={base_url}", builddir=published)
    if result.returncode != 0:
        server.server_close()
        pytest.fail(f"`make html HANDBOOK_BASE_URL={base_url}` failed:\n{result.stdout}{result.stderr}",
                    pytrace=False)
    server.mounts[PUBLISHED] = (published / "html").resolve()
    server.start()
    yield Site(server, build.html, published / "html")
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium, headless, for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium "
                    "(tools/debian-packages-browser.txt)", pytrace=False)
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@contextmanager
def open_page(browser, url: str, device: dict = DESKTOP, color_scheme: str = "light",
              wait_until: str = "networkidle") -> Iterator[tuple]:
    """Open *url* in a fresh context; yield the page and its :class:`Visit`."""
    context = browser.new_context(**device, color_scheme=color_scheme, service_workers="block")
    page = context.new_page()
    visit = Visit(url)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("requestfailed", lambda request: visit.failures.append(f"{request.url} ({request.failure})"))
    page.on("console", lambda msg: visit.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))

    def on_response(response) -> None:
        if response.status >= 400 and response.url != url:
            visit.failures.append(f"{response.url} (HTTP {response.status})")
    page.on("response", on_response)
    try:
        response = page.goto(url, wait_until=wait_until)
        visit.status = response.status if response else None
        for request in finished:
            sizes = request.sizes()
            visit.transferred[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        yield page, visit
    finally:
        context.close()


def run_axe(page) -> list[dict]:
    """axe-core's violations on *page* (all rules but the disabled ones), summarised."""
    page.add_script_tag(path=str(AXE))
    rules = {rule: {"enabled": False} for rule in AXE_DISABLED_RULES}
    result = page.evaluate("rules => axe.run(document, {rules, resultTypes: ['violations']})", rules)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "where": [", ".join(n["target"]) for n in v["nodes"]][:5]} for v in result["violations"]]


def local(site: Site, url: str) -> bool:
    return url.startswith(site.url) or url.startswith(("data:", "blob:", "about:"))


#: Everything on a page that offers search: search buttons and search fields outside the dialog.
SEARCH_CONTROLS = ".search-button__button, form.bd-search input[type=search]"


def shown_search_controls(page) -> list[str]:
    """The classes of the search controls the reader can see (not those inside the dialog)."""
    return page.locator(SEARCH_CONTROLS).evaluate_all("""els => els.filter(e => {
        const box = e.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(e).visibility !== 'hidden'
            && !e.closest('dialog');
    }).map(e => e.className)""")


@pytest.fixture(scope="session")
def desktop_reports(site: Site, browser) -> dict:
    """Per page, on a desktop, loaded once: its :class:`Visit`, axe's violations and the search
    controls it shows."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core with npm ci", pytrace=False)
    reports = {}
    for path in site_pages():
        with open_page(browser, site.url + path) as (page, visit):
            reports[path] = (visit, run_axe(page), shown_search_controls(page))
    return reports


# -- Every page: privacy, errors, accessibility, metadata ----------------------------------------

@pytest.mark.parametrize("path", site_pages())
def test_page_loads_nothing_from_outside_127_0_0_1(path: str, site: Site, desktop_reports: dict) -> None:
    visit, _, _ = desktop_reports[path]
    assert visit.requests, f"{path}: no request was recorded"
    outside = [url for url in visit.requests if not local(site, url)]
    assert not outside, f"{path} requested: {outside}"


@pytest.mark.parametrize("path", site_pages())
def test_page_loads_without_errors_fonts_or_icon_script(path: str, desktop_reports: dict) -> None:
    visit, _, _ = desktop_reports[path]
    assert visit.status == 200, f"{path}: HTTP {visit.status}"
    assert not visit.failures, f"{path}: failed requests {visit.failures}"
    assert not visit.console_errors, f"{path}: console errors {visit.console_errors}"
    fonts = [u for u in visit.requests if re.search(r"\.(woff2?|ttf|otf|eot)(\?|$)", u)]
    assert not fonts, f"{path} downloads fonts: {fonts}"
    assert not [u for u in visit.requests if "fontawesome" in u], f"{path} loads Font Awesome"


@pytest.mark.parametrize("path", site_pages())
def test_page_has_no_axe_violations(path: str, desktop_reports: dict) -> None:
    _, violations, _ = desktop_reports[path]
    assert not violations, f"{path}: " + json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_types_have_no_axe_violations_on_a_phone(page_type: str, phone_reports: dict) -> None:
    violations = phone_reports[PAGE_TYPES[page_type]]["axe"]
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_types_have_no_axe_violations_in_dark_mode(page_type: str, site: Site, browser) -> None:
    with open_page(browser, site.url + PAGE_TYPES[page_type], DESKTOP, "dark") as (page, _):
        violations = run_axe(page)
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)


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


def search_results(page, query: str, site: Site) -> list[str]:
    """Paths of the pages the search page lists for *query*, in order (a page's sections too)."""
    page.goto(site.url + "search.html?q=" + urllib.request.quote(query))
    wait_for_search(page)
    return page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.pathname.replace(/^\\//, ''))")


def wait_for_search(page) -> None:
    """Wait until the search page has shown its results (or said that there are none)."""
    page.wait_for_function("""() => {
        const results = document.querySelector('#search-results');
        const status = results && results.querySelector('.search-summary');
        return status && !results.classList.contains('loading') && /found|No pages/.test(status.textContent);
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
    """Every query the search tests ask, run in one page: query -> the result links, in order."""
    queries = ["Tianjin", *(word for word, _ in NORDIC_WORDS), *(q["query"] for q in SEARCH_QUERIES),
               *(name for pair in FOLDED_PAIRS for name in pair)]
    with open_page(browser, site.url + "search.html") as (page, visit):
        results = {query: search_results(page, query, site) for query in dict.fromkeys(queries)}
        outside = [url for url in visit.requests if not local(site, url)]
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


@pytest.mark.parametrize("path", site_pages())
def test_page_shows_one_search_control_on_a_desktop_and_on_a_phone(path: str, desktop_reports: dict,
                                                                   phone_reports: dict) -> None:
    for device, shown in (("desktop", desktop_reports[path][2]), ("phone", phone_reports[path]["search"])):
        assert len(shown) == 1, f"{path} on a {device} shows {len(shown)} search controls: {shown}"


# -- Phones --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def phone_reports(site: Site, browser) -> dict:
    """Per page on a 375 px phone, loaded once: page width, each table's box and scrolling, the
    search controls shown, and (for the page types) axe's violations."""
    reports = {}
    for path in site_pages():
        with open_page(browser, site.url + path, PHONE) as (page, _):
            reports[path] = page.evaluate("""() => ({
                scrollWidth: document.documentElement.scrollWidth, width: innerWidth,
                tables: [...document.querySelectorAll('article table')].map(t => {
                    let box = t.parentElement;
                    while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
                    return {boxed: !!box && box !== document.body && box !== document.documentElement,
                            boxRight: box ? box.getBoundingClientRect().right : null,
                            tableRight: t.getBoundingClientRect().right,
                            tableWidth: t.scrollWidth, boxClient: box ? box.clientWidth : null};
                })})""")
            reports[path]["search"] = shown_search_controls(page)
            reports[path]["axe"] = run_axe(page) if path in PAGE_TYPES.values() else None
    return reports


@pytest.mark.parametrize("path", site_pages())
def test_page_does_not_scroll_sideways_on_a_phone(path: str, phone_reports: dict) -> None:
    report = phone_reports[path]
    assert report["width"] == 375
    assert report["scrollWidth"] <= report["width"], f"{path} is {report['scrollWidth']} px wide"


def test_tables_scroll_inside_their_own_box_on_a_phone(phone_reports: dict) -> None:
    tables = [(path, t) for path, r in phone_reports.items() for t in r["tables"]]
    assert len(tables) >= 10, "expected the chapters' tables"
    fits = lambda t: t["tableRight"] <= 375 or (t["boxed"] and t["boxRight"] <= 375)  # noqa: E731
    overflowing = sorted({path for path, t in tables if not fits(t)})
    assert not overflowing, f"tables wider than the screen and not in a scrolling box: {overflowing}"
    assert any(t["tableWidth"] > t["boxClient"] for _, t in tables), \
        "no table is wider than a phone, so none scrolls: the check would prove nothing"


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


# -- Page weight ---------------------------------------------------------------------------------

@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_transfers_at_most_250_kib_compressed(page_type: str, desktop_reports: dict) -> None:
    visit, _, _ = desktop_reports[PAGE_TYPES[page_type]]
    assert visit.transferred, "no transfer was measured"
    assert [u for u in visit.transferred if u.endswith((".html", ".css"))], "expected HTML and CSS in the log"
    assets = dict(sorted(visit.transferred.items(), key=lambda kv: -kv[1]))
    assert visit.total_transferred <= MAX_TRANSFER, \
        f"{page_type}: {visit.total_transferred / 1024:.1f} KiB transferred: {assets}"


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
    assert len(report["cards"]) == 5 and all(c["right"] <= report["width"] and c["links"] for c in report["cards"]), report
    if device == "desktop":
        assert report["gridShown"] and report["columns"] == 8, report
        assert report["gridRight"] <= report["width"] and not report["boxScrolls"], report
        assert not report["cut"], f"header or cell text cut off: {report['cut']}"
    else:
        assert not report["gridShown"], "the grid shows on a phone; the cards are its phone form"


# -- Site files ----------------------------------------------------------------------------------

def fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_sitemap_lists_every_page_at_its_published_address(site: Site) -> None:
    tree = ElementTree.parse(site.published_html / "sitemap.xml")
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in tree.getroot().findall("sm:url/sm:loc", ns)}
    expected = {site.published_url + p for p in site_pages() if p not in ("search.html", "genindex.html")}
    assert listed == expected, f"missing {expected - listed}, extra {listed - expected}"
    assert all(fetch_status(url) == 200 for url in listed)
    dated = [p for p in site_pages() if p not in ("search.html", "genindex.html") and committed(p)]
    assert len(tree.getroot().findall("sm:url/sm:lastmod", ns)) == len(dated), "dates from git"


def test_published_pages_name_their_canonical_address(site: Site) -> None:
    soup = BeautifulSoup((site.published_html / PAGE_TYPES["region"]).read_text(encoding="utf-8"), "html.parser")
    address = site.published_url + PAGE_TYPES["region"]
    assert soup.select_one('link[rel="canonical"]')["href"] == address
    assert soup.select_one('meta[property="og:url"]')["content"] == address


def test_404_page_helps_the_reader(site: Site, browser) -> None:
    missing = site.published_url + "chapters/regions/no-such-region.html"
    with open_page(browser, missing) as (page, visit):
        assert visit.status == 404
        errors = [e for e in visit.console_errors if "status of 404" not in e]  # the page itself
        assert not visit.failures and not errors, (visit.failures, errors)
        assert not [u for u in visit.requests if not local(site, u)]
        assert page.get_by_role("heading", level=1).inner_text().strip() == "Page not found"
        assert page.locator("form[role=search] input[name=q]").is_visible()
        links = page.locator("#page-not-found a").evaluate_all("links => links.map(a => a.href)")
        assert len(links) >= 4 and all(fetch_status(link) == 200 for link in links), links
        nav = page.locator("nav.bd-docs-nav a").evaluate_all("links => links.map(a => a.href)")
        assert nav and all(fetch_status(link) == 200 for link in nav)
        violations = run_axe(page)
        assert not violations, violations
        page.locator("form[role=search] input[name=q]").fill("Tianjin")
        page.keyboard.press("Enter")
        page.wait_for_selector("#search-results ul.search li a")
