"""The site as published, with a base URL: sitemap, canonical addresses and the 404 page.

A second, HTML-only build with a base URL on the test server (``http://127.0.0.1:PORT/handbook/``)
stands in for a published site. Separate from tests/test_browser.py, whose server, browser and
helpers it uses, so that pytest-xdist runs this build while the other worker visits pages.
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from conftest import Build, run_make
from test_browser import PAGE_TYPES, PUBLISHED, Site, SiteServer, local, open_page, run_axe
from test_language_links import SOURCE_ONLY, TRANSLATIONS
from test_site_html import committed, site_pages

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

pytestmark = pytest.mark.browser


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


def fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_sitemap_lists_every_page_of_every_edition_at_its_published_address(site: Site) -> None:
    """One sitemap at the site's root, the translations' pages too (handbook.language_links); a
    page every edition shows in English is listed once, at its English address."""
    tree = ElementTree.parse(site.published_html / "sitemap.xml")
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in tree.getroot().findall("sm:url/sm:loc", ns)}
    pages = [p for p in site_pages() if p not in ("search.html", "genindex.html")]
    translated = [p for p in pages if p not in SOURCE_ONLY]
    expected = {site.published_url + p for p in pages} | {
        f"{site.published_url}{language}/{p}" for language in TRANSLATIONS for p in translated}
    assert listed == expected, f"missing {expected - listed}, extra {listed - expected}"
    assert all(fetch_status(url) == 200 for url in listed)
    dated = [p for p in pages if committed(p)]
    dated_translations = [p for p in translated if committed(p)] * len(TRANSLATIONS)
    assert len(tree.getroot().findall("sm:url/sm:lastmod", ns)) == len(dated) + len(dated_translations), "dates from git"


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
