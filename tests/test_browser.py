"""The handbook as readers meet it: every page in a real browser, on a desktop and a phone, with axe.

Debian's Chromium (installed by `make test`) is driven by Playwright for Python. The site built
by the session's `make all` is served on 127.0.0.1 by tools/siteserver.py, with gzip compression
as a static host would. Nothing here reaches beyond 127.0.0.1, and every page asserts it.

The server and the browser start once per session. Every page, in every language (the Swedish
site's in sv/ too), is visited once per device (``desktop_reports``, ``phone_reports``), two at a
time in two tabs with the HTTP cache off, so that its request log and transfer size count every
asset, as on a reader's first visit; several tests read what that visit recorded. The other tests
open each page in a fresh context.

Only what needs a browser is in the browser files: this one (every page), test_browser_use.py
(search, keyboard, drawers, map and matrix) and test_published_site.py (a build with a base
URL: sitemap, canonical addresses, 404 page), which use the fixtures and helpers defined here.
They are three files so that pytest-xdist (``--dist=loadfile``) spreads them over the cores.
The plain HTML facts are checked without a browser in test_site_html.py. Screenshots to look at
are a tool, not a test: `make screenshots` (tools/screenshots.py).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import LANGUAGES, REPO, Build
from test_site_html import every_site_page, in_language, split_language

sys.path.insert(0, str(REPO / "tools"))
from siteserver import SiteServer  # noqa: E402 (tools/ is not a package)

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Headless, and nothing that would call Google's services (updates, sync, QUIC, field trials).
#: Playwright's launch() gives each run a fresh, temporary --user-data-dir of its own.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
#: One page of each type, as the issue names them (in the English site; in_language gives another's).
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
    published_html: Path | None

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def published_url(self) -> str:
        return self.server.url.rstrip("/") + PUBLISHED


@pytest.fixture(scope="session")
def site(build: Build) -> Iterator[Site]:
    """Serve the session's build at / (tests/test_published_site.py adds a published build)."""
    server = SiteServer({"/": build.html}).start()
    yield Site(server, build.html, None)
    server.stop()


class Tab:
    """A browser tab in a fresh context of its own, with the HTTP cache off, that records what each
    page it loads does in a :class:`Visit`. With the cache off, every page is loaded as on a
    reader's first visit (its request log and transfer size count every asset), and several
    pages can be visited in one tab: a new context per page would cost a second of CPU each."""

    def __init__(self, browser, device: dict = DESKTOP, color_scheme: str = "light") -> None:
        self.visit, self.finished = Visit(""), []
        self.context = browser.new_context(**device, color_scheme=color_scheme, service_workers="block")
        self.page = page = self.context.new_page()
        self.context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
        # Functions, not bound methods: Playwright keeps an attribute on each handler.
        page.on("request", lambda request: self.visit.requests.append(request.url))
        page.on("requestfailed", lambda request: self.visit.failures.append(f"{request.url} ({request.failure})"))
        page.on("console", lambda msg: self.visit.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: self.visit.console_errors.append(str(error)))
        page.on("requestfinished", lambda request: self.finished.append(request))
        page.on("response", lambda response: self.on_response(response))

    def on_response(self, response) -> None:
        if response.status >= 400 and response.url != self.visit.url:
            self.visit.failures.append(f"{response.url} (HTTP {response.status})")

    def start(self, url: str) -> Visit:
        """Begin loading *url*; return once the server has answered, while the page still loads."""
        self.visit, self.finished = Visit(url), []
        response = self.page.goto(url, wait_until="commit")
        self.visit.status = response.status if response else None
        return self.visit

    def wait(self, wait_until: str = "networkidle") -> None:
        """Wait until the page has loaded (by default: no request for 500 ms); record the transfer."""
        self.page.wait_for_load_state(wait_until)
        for request in self.finished:
            sizes = request.sizes()
            self.visit.transferred[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def close(self) -> None:
        self.context.close()


@contextmanager
def open_page(browser, url: str, device: dict = DESKTOP, color_scheme: str = "light",
              wait_until: str = "networkidle") -> Iterator[tuple]:
    """Open *url* in a fresh tab; yield the page and its :class:`Visit`."""
    tab = Tab(browser, device, color_scheme)
    try:
        tab.start(url)
        tab.wait(wait_until)
        yield tab.page, tab.visit
    finally:
        tab.close()


#: How many tabs visit_pages loads pages in at once. A page spends much of its visit waiting (for
#: the network to stay quiet for 500 ms), which the other tab's page fills.
TABS = 2


def visit_pages(browser, urls: list[str], device: dict, inspect: Callable, axe: Callable[[str], bool]) -> dict:
    """Visit each of *urls*, :data:`TABS` at a time: per URL, its :class:`Visit`, what
    ``inspect(page)`` returned, and axe's violations where ``axe(url)`` (else None). axe runs in
    the tabs at the same time, after ``inspect``."""
    tabs, reports = [Tab(browser, device) for _ in range(TABS)], {}
    try:
        for first in range(0, len(urls), TABS):
            batch = list(zip(tabs, urls[first:first + TABS]))
            visits = [tab.start(url) for tab, url in batch]
            for tab, _ in batch:
                tab.wait()
            inspected = [inspect(tab.page) for tab, _ in batch]
            for tab, url in batch:
                if axe(url):
                    start_axe(tab.page)
            for (tab, url), visit, found in zip(batch, visits, inspected):
                reports[url] = (visit, found, axe_violations(tab.page) if axe(url) else None)
    finally:
        for tab in tabs:
            tab.close()
    return reports


def start_axe(page) -> None:
    """Start axe-core on *page* (all rules but the disabled ones); :func:`axe_violations` waits for it."""
    page.add_script_tag(path=str(AXE))
    rules = {rule: {"enabled": False} for rule in AXE_DISABLED_RULES}
    page.evaluate("rules => { window.handbookAxe = axe.run(document, {rules, resultTypes: ['violations']}); }",
                  rules)


def axe_violations(page) -> list[dict]:
    """The violations found by the axe run :func:`start_axe` started on *page*, summarised."""
    result = page.evaluate("() => window.handbookAxe")
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "where": [", ".join(n["target"]) for n in v["nodes"]][:5]} for v in result["violations"]]


def run_axe(page) -> list[dict]:
    """axe-core's violations on *page* (all rules but the disabled ones), summarised."""
    start_axe(page)
    return axe_violations(page)


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
    """Per page of every language, on a desktop, loaded once: its :class:`Visit`, axe's
    violations and the search controls it shows."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core with npm ci", pytrace=False)
    reports = visit_pages(browser, [site.url + path for path in every_site_page()], DESKTOP,
                          inspect=shown_search_controls, axe=lambda url: True)
    return {url.removeprefix(site.url): (visit, violations, search)
            for url, (visit, search, violations) in reports.items()}


# -- Every page: privacy, errors, accessibility, metadata ----------------------------------------

@pytest.mark.parametrize("path", every_site_page())
def test_page_loads_nothing_from_outside_127_0_0_1(path: str, site: Site, desktop_reports: dict) -> None:
    visit, _, _ = desktop_reports[path]
    assert visit.requests, f"{path}: no request was recorded"
    outside = [url for url in visit.requests if not local(site, url)]
    assert not outside, f"{path} requested: {outside}"


@pytest.mark.parametrize("path", every_site_page())
def test_page_loads_without_errors_fonts_or_icon_script(path: str, desktop_reports: dict) -> None:
    visit, _, _ = desktop_reports[path]
    assert visit.status == 200, f"{path}: HTTP {visit.status}"
    assert not visit.failures, f"{path}: failed requests {visit.failures}"
    assert not visit.console_errors, f"{path}: console errors {visit.console_errors}"
    fonts = [u for u in visit.requests if re.search(r"\.(woff2?|ttf|otf|eot)(\?|$)", u)]
    assert not fonts, f"{path} downloads fonts: {fonts}"
    assert not [u for u in visit.requests if "fontawesome" in u], f"{path} loads Font Awesome"


@pytest.mark.parametrize("path", every_site_page())
def test_page_has_no_axe_violations(path: str, desktop_reports: dict) -> None:
    _, violations, _ = desktop_reports[path]
    assert not violations, f"{path}: " + json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_types_have_no_axe_violations_on_a_phone(page_type: str, language: str, phone_reports: dict) -> None:
    violations = phone_reports[in_language(language, PAGE_TYPES[page_type])]["axe"]
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_types_have_no_axe_violations_in_dark_mode(page_type: str, language: str, site: Site,
                                                        browser) -> None:
    with open_page(browser, site.url + in_language(language, PAGE_TYPES[page_type]), DESKTOP, "dark") as (page, _):
        violations = run_axe(page)
    assert not violations, json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("path", every_site_page())
def test_page_shows_one_search_control_on_a_desktop_and_on_a_phone(path: str, desktop_reports: dict,
                                                                   phone_reports: dict) -> None:
    for device, shown in (("desktop", desktop_reports[path][2]), ("phone", phone_reports[path]["search"])):
        assert len(shown) == 1, f"{path} on a {device} shows {len(shown)} search controls: {shown}"


#: A phone page's layout: its width, and each table's box and whether that box scrolls.
PHONE_LAYOUT = """() => ({
    scrollWidth: document.documentElement.scrollWidth, width: innerWidth,
    tables: [...document.querySelectorAll('article table')].map(t => {
        let box = t.parentElement;
        while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
        return {boxed: !!box && box !== document.body && box !== document.documentElement,
                boxRight: box ? box.getBoundingClientRect().right : null,
                tableRight: t.getBoundingClientRect().right,
                tableWidth: t.scrollWidth, boxClient: box ? box.clientWidth : null};
    })})"""


# -- Phones --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def phone_reports(site: Site, browser) -> dict:
    """Per page of every language on a 375 px phone, loaded once: page width, each table's box
    and scrolling, the search controls shown, and (for the page types) axe's violations. Every
    translated page too, not just its page types: a translation's longer words and labels can
    widen a page that fits in English."""
    def inspect(page) -> dict:
        return {**page.evaluate(PHONE_LAYOUT), "search": shown_search_controls(page)}

    types = {site.url + in_language(language, path) for language in LANGUAGES for path in PAGE_TYPES.values()}
    reports = visit_pages(browser, [site.url + path for path in every_site_page()], PHONE,
                          inspect=inspect, axe=types.__contains__)
    return {url.removeprefix(site.url): {**report, "axe": violations}
            for url, (_, report, violations) in reports.items()}


@pytest.mark.parametrize("path", every_site_page())
def test_page_does_not_scroll_sideways_on_a_phone(path: str, phone_reports: dict) -> None:
    report = phone_reports[path]
    assert report["width"] == 375
    assert report["scrollWidth"] <= report["width"], f"{path} is {report['scrollWidth']} px wide"


@pytest.mark.parametrize("language", LANGUAGES)
def test_tables_scroll_inside_their_own_box_on_a_phone(phone_reports: dict, language: str) -> None:
    tables = [(path, t) for path, r in phone_reports.items() for t in r["tables"]
              if split_language(path)[0] == language]
    assert len(tables) >= 10, "expected the chapters' tables"
    fits = lambda t: t["tableRight"] <= 375 or (t["boxed"] and t["boxRight"] <= 375)  # noqa: E731
    overflowing = sorted({path for path, t in tables if not fits(t)})
    assert not overflowing, f"tables wider than the screen and not in a scrolling box: {overflowing}"
    assert any(t["tableWidth"] > t["boxClient"] for _, t in tables), \
        "no table is wider than a phone, so none scrolls: the check would prove nothing"


# -- Page weight ---------------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_transfers_at_most_250_kib_compressed(page_type: str, language: str,
                                                        desktop_reports: dict) -> None:
    visit, _, _ = desktop_reports[in_language(language, PAGE_TYPES[page_type])]
    assert visit.transferred, "no transfer was measured"
    assert [u for u in visit.transferred if u.endswith((".html", ".css"))], "expected HTML and CSS in the log"
    assets = dict(sorted(visit.transferred.items(), key=lambda kv: -kv[1]))
    assert visit.total_transferred <= MAX_TRANSFER, \
        f"{page_type}: {visit.total_transferred / 1024:.1f} KiB transferred: {assets}"
