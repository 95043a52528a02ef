"""The handbook as readers meet it: every page in a real browser, on a desktop and a phone, with axe.

Debian's Chromium (installed by `make test`) is driven by Playwright for Python. The site built
by the session's `make all` is served on 127.0.0.1 by tools/siteserver.py, with gzip compression
as a static host would. Nothing here reaches beyond 127.0.0.1, and every page asserts it.

The server and the browser start once per module; each page gets a fresh browser context, so
that its request log and transfer size count every asset, as on a reader's first visit. Every
page is visited once per device (``desktop_reports``, ``phone_reports``) and several tests read
what that visit recorded.

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import REPO, Build
from test_site_html import site_pages

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


# -- Page weight ---------------------------------------------------------------------------------

@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_transfers_at_most_250_kib_compressed(page_type: str, desktop_reports: dict) -> None:
    visit, _, _ = desktop_reports[PAGE_TYPES[page_type]]
    assert visit.transferred, "no transfer was measured"
    assert [u for u in visit.transferred if u.endswith((".html", ".css"))], "expected HTML and CSS in the log"
    assets = dict(sorted(visit.transferred.items(), key=lambda kv: -kv[1]))
    assert visit.total_transferred <= MAX_TRANSFER, \
        f"{page_type}: {visit.total_transferred / 1024:.1f} KiB transferred: {assets}"
