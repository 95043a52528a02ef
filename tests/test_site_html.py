"""The built site's plain HTML facts, read with BeautifulSoup: no browser needed.

Titles, descriptions, OpenGraph and viewport tags, safe new-tab links, no dead files and no
invented public address. What needs a browser (axe, layout, keyboard, search, requests) is in
tests/test_browser.py, which uses the page list below.
"""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from conftest import EPUB_NAME, PDF_NAME, REPO, Build


def site_pages() -> list[str]:
    """Every page of the site, as paths: one per source document, plus search and index."""
    chapters = sorted(str(p.relative_to(REPO).with_suffix(".html")) for p in (REPO / "chapters").rglob("*.md"))
    return ["index.html", *chapters, "search.html", "genindex.html"]


def committed(page: str) -> bool:
    """Whether the source of *page* is in git. A page's date comes from its last commit, so a new
    page shows one only once it is committed (until then sphinx-last-updated-by-git has none)."""
    source = (REPO / page).with_suffix(".md").relative_to(REPO)
    result = subprocess.run(["git", "ls-files", "--error-unmatch", str(source)], cwd=REPO,
                            capture_output=True, text=True)
    return result.returncode == 0 or not (REPO / ".git").exists()


def front_matter(page: str) -> dict:
    """The YAML front matter of the source document of *page*."""
    source = (REPO / page).with_suffix(".md")
    match = re.match(r"---\n(.*?\n)---\n", source.read_text(encoding="utf-8"), re.S)
    return yaml.safe_load(match.group(1)) if match else {}


@pytest.mark.parametrize("path", site_pages())
def test_page_has_title_description_opengraph_and_date(path: str, build: Build) -> None:
    soup = build.soup(build.html / path)
    title = soup.title.get_text(strip=True)
    meta = {m.get("name") or m.get("property"): m.get("content") for m in soup.select("meta[content]")}
    site_name = "Nordic Life Science Regions Handbook"
    assert title.endswith(site_name) and (title == site_name) == (path == "index.html"), title
    if path not in ("search.html", "genindex.html"):
        assert front_matter(path)["summary"].strip() == meta.get("description"), path
    assert meta.get("description"), f"{path} has no meta description"
    assert meta.get("og:description") == meta["description"]
    assert meta.get("og:title") and meta.get("og:type") and meta.get("og:site_name") == site_name
    if path not in ("search.html", "genindex.html") and committed(path):  # source file in git
        assert re.search(r"Last updated on \d{1,2} \w+ \d{4}", soup.get_text(" ")), f"{path} has no date"


@pytest.mark.parametrize("path", site_pages())
def test_page_has_exactly_one_viewport_tag(path: str, build: Build) -> None:
    tags = build.soup(build.html / path).select('meta[name="viewport"]')
    assert len(tags) == 1, f"{path}: {[str(t) for t in tags]}"
    assert tags[0]["content"].replace(" ", "").startswith("width=device-width,initial-scale=1")


def test_titles_are_unique(build: Build) -> None:
    titles = [build.soup(build.html / p).title.get_text(strip=True) for p in site_pages()]
    assert len(set(titles)) == len(titles), sorted(titles)


def test_links_that_open_a_new_tab_carry_noopener_and_content_links_open_normally(build: Build) -> None:
    external = 0
    for path in site_pages():
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
    assert not (build.html / "sitemap.xml").exists() and not (build.html / "404.html").exists()
    for path in site_pages():
        html = (build.html / path).read_text(encoding="utf-8")
        assert 'rel="canonical"' not in html and 'property="og:url"' not in html, path


def test_search_questions_are_at_least_twenty_real_ones_with_existing_pages() -> None:
    """The questions tests/test_browser.py asks the search (tests/data/search-queries.yaml)."""
    questions = yaml.safe_load((REPO / "tests" / "data" / "search-queries.yaml").read_text(encoding="utf-8"))["queries"]
    assert len(questions) >= 20
    for question in questions:
        assert (REPO / question["page"]).with_suffix(".md").is_file() or question["page"] == "index.html", question
