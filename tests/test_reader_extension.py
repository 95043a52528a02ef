"""Unit tests of the extension modules for readers in browsers, and of tools/siteserver.py.

handbook.page_meta, handbook.base_url, handbook.icons, handbook.lean_site and
handbook.theme_markup work on strings and small files, so they are tested here without a build;
tests/test_browser.py checks what they add up to in a real browser.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pydata_sphinx_theme
import pytest

from conftest import REPO
from handbook import base_url, icons, lean_site, page_meta, theme_markup

sys.path.insert(0, str(REPO / "tools"))
from siteserver import SiteServer  # noqa: E402 (tools/ is not a package)

# -- page_meta ----------------------------------------------------------------------------------

METADATA = {"index": {"summary": "The handbook,\n  in one sentence."},
            "chapters/regions/skane": {"summary": "Region Skåne in the sources.", "kind": "region"},
            "chapters/no-summary": {"kind": "theme"}}


def test_a_page_is_described_by_its_own_summary_with_whitespace_collapsed() -> None:
    assert page_meta.page_summary(METADATA, "chapters/regions/skane", "index") == "Region Skåne in the sources."
    assert page_meta.page_summary(METADATA, "index", "index") == "The handbook, in one sentence."


def test_generated_pages_are_described_by_the_landing_page() -> None:
    for page in ("search", "genindex", "404"):
        assert page_meta.page_summary(METADATA, page, "index", is_source=False) == "The handbook, in one sentence."


def test_a_source_page_without_summary_gets_no_description() -> None:
    assert page_meta.page_summary(METADATA, "chapters/no-summary", "index") is None


def test_meta_tags_escape_values_and_add_og_url_only_when_known() -> None:
    tags = page_meta.meta_tags(title='Skåne "quoted" & more', description="A <b> tag", site_name="H",
                               og_type="article")
    assert '<meta name="description" content="A &lt;b&gt; tag" />' in tags
    assert '<meta property="og:title" content="Skåne &quot;quoted&quot; &amp; more" />' in tags
    assert '<meta property="og:description" content="A &lt;b&gt; tag" />' in tags
    assert "og:url" not in tags
    with_url = page_meta.meta_tags(title="T", description=None, site_name="H", og_type="website",
                                   url="https://x.test/a.html")
    assert 'property="og:url" content="https://x.test/a.html"' in with_url
    assert 'name="description"' not in with_url


# -- base_url ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("given", "expected"), [
    ("", ""), ("  ", ""), ("https://h.test", "https://h.test/"), ("https://h.test/book//", "https://h.test/book/"),
])
def test_base_url_always_ends_with_one_slash(given: str, expected: str) -> None:
    assert base_url.normalise_base_url(given) == expected


@pytest.mark.parametrize(("given", "expected"), [
    ("https://h.test/", "/"), ("https://h.test", "/"), ("http://127.0.0.1:8000/handbook", "/handbook/"),
])
def test_404_links_are_prefixed_with_the_path_of_the_base_url(given: str, expected: str) -> None:
    assert base_url.urls_prefix(given) == expected


def test_404_body_offers_the_ways_on_with_absolute_links() -> None:
    body = base_url.not_found_body("/handbook/", "Handbook & Co", {"book.pdf": "As a PDF", "book.epub": "As an EPUB"},
                                   {"chapters/regions/index.html": "The regions"})
    assert "<h1>Page not found</h1>" in body and "Handbook &amp; Co" in body
    assert 'action="/handbook/search.html"' in body and 'name="q"' in body
    for href in ("/handbook/index.html", "/handbook/chapters/regions/index.html", "/handbook/book.pdf",
                 "/handbook/book.epub"):
        assert f'href="{href}"' in body
    assert '<label for="handbook-404-q">' in body and 'id="handbook-404-q"' in body


# -- icons ---------------------------------------------------------------------------------------

ICONS = {"solid/bars": icons.Icon("0 0 448 512", "M0 96C0 78z"), "solid/sun": icons.Icon("0 0 576 512", "M288-32z"),
         "brands/github": icons.Icon("0 0 512 512", "M0 0h448v512z")}


def test_icons_json_is_what_the_tool_derives_from_the_pinned_font_awesome() -> None:
    """data/icons.json is what tools/derive_icons.py derives from the Font Awesome the theme bundles."""
    package = REPO / "node_modules/@fortawesome/fontawesome-free"
    if not package.is_dir():
        pytest.skip("node_modules is not installed (`make test` installs it)")
    import derive_icons
    derived = derive_icons.serialise(derive_icons.derive())
    assert derived == icons.ICONS_FILE.read_text(encoding="utf-8"), "run .venv/bin/python tools/derive_icons.py"
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    data = json.loads(derived)
    assert data["version"] == pinned["@fortawesome/fontawesome-free"] and "CC BY 4.0" in data["licence"]
    # The theme's stylesheet bundles Font Awesome's (for its web fonts), with its banner.
    css = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css"
    bundled = set(re.findall(r"Font Awesome Free (\d+\.\d+\.\d+)", css.read_text(encoding="utf-8")))
    assert bundled == {data["version"]}, f"the theme bundles Font Awesome {bundled}, icons.json is {data['version']}"


def test_icons_load_with_their_aliases() -> None:
    loaded = icons.load_icons()
    assert {"solid/bars", "solid/chevron-down", "brands/github", "solid/file-pdf"} <= set(loaded)
    assert loaded["solid/pencil-alt"] == loaded["solid/pencil"]
    assert loaded["solid/bars"].view_box == "0 0 448 512" and loaded["solid/bars"].path.startswith("M")


@pytest.mark.parametrize(("classes", "expected"), [
    ("fa-solid fa-bars", "solid/bars"),
    ("theme-switch fa-solid fa-sun fa-lg fa-fw", "solid/sun"),
    ("fas fa-file-pdf", "solid/file-pdf"),
    ("fab fa-github", "brands/github"),
    ("fa-solid fa-lg", None),
])
def test_the_icon_is_the_class_that_is_not_a_style_or_size(classes: str, expected) -> None:
    assert icons.icon_name(classes) == expected


def test_an_icon_is_a_hidden_svg_without_a_title() -> None:
    drawn = icons.svg(ICONS["solid/sun"], "theme-switch fa-solid fa-sun", {"data-mode": "a&b", "title": "Light"})
    assert drawn == ('<svg class="theme-switch fa-solid fa-sun svg-inline--fa" data-mode="a&amp;b" aria-hidden="true" '
                     'focusable="false" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 576 512">'
                     '<path fill="currentColor" d="M288-32z"/></svg>')


def test_icon_elements_become_inline_svg_keeping_their_attributes() -> None:
    html = ('<button>\n<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i></button>'
            '<span class="fa-solid fa-bars"> </span><i class="other"></i><i class="fa-solid fa-bars">Menu</i>')
    result, missing = icons.inline_icons_in(html, ICONS)
    assert not missing
    assert result.startswith('<button>\n<svg class="theme-switch fa-solid fa-sun fa-lg svg-inline--fa" '
                             'data-mode="light" aria-hidden="true"')
    assert 'viewBox="0 0 576 512"><path fill="currentColor" d="M288-32z"/></svg></button><svg class="fa-solid fa-bars' in result
    assert "title" not in result
    assert result.endswith('</svg><i class="other"></i><i class="fa-solid fa-bars">Menu</i>'), "not empty: not an icon"


def test_unknown_icons_are_reported_and_left_alone() -> None:
    html = '<i class="fa-solid fa-unicorn"></i>'
    result, missing = icons.inline_icons_in(html, ICONS)
    assert result == html and missing == {"solid/unicorn"}


# -- lean_site -----------------------------------------------------------------------------------

def test_scripts_are_deferred_except_the_options_inline_scripts_use() -> None:
    scripts = ('<script src="_static/documentation_options.js?v=1"></script>'
               '<script src="_static/doctools.js?v=2"></script>'
               '<script data-x="1" src="_static/design-tabs.js"></script>'
               '<script async src="a.js"></script><script>inline()</script>')
    assert lean_site.deferred_scripts(scripts) == (
        '<script src="_static/documentation_options.js?v=1"></script>'
        '<script defer src="_static/doctools.js?v=2"></script>'
        '<script defer data-x="1" src="_static/design-tabs.js"></script>'
        '<script async src="a.js"></script><script>inline()</script>')


@pytest.mark.parametrize(("text", "expected"), [
    ("a{}\n/*# sourceMappingURL=x.css.map*/", "a{}"),
    ("f();\n//# sourceMappingURL=x.js.map\n", "f();"),
    ("f(); // no map", "f(); // no map"),
])
def test_source_map_comments_are_stripped(text: str, expected: str) -> None:
    assert lean_site.strip_source_map_comment(text) == expected


def test_css_imports_are_inlined_with_their_urls_rebased(tmp_path: Path) -> None:
    (tmp_path / "_static" / "styles").mkdir(parents=True)
    (tmp_path / "_static" / "basic.css").write_text(
        "a{background:url(file.png)}\nb{background:url('data:image/png;base64,xx')}\n", encoding="utf-8")
    theme = tmp_path / "_static" / "styles" / "theme.css"
    theme.write_text('/* theme */\n@import "../basic.css";\nc{color:red}\n', encoding="utf-8")
    inlined: set[Path] = set()
    flat = lean_site.flatten_css_imports(tmp_path, theme, inlined=inlined)
    assert flat == ("/* theme */\na{background:url(../file.png)}\n"
                    "b{background:url('data:image/png;base64,xx')}\n\nc{color:red}\n")
    assert inlined == {(tmp_path / "_static" / "basic.css").resolve()}


# -- theme_markup --------------------------------------------------------------------------------

def test_navigation_toggles_are_named_after_their_section() -> None:
    html = ('<ul><li class="toctree-l1 current"><a class="current reference internal" href="#">Regions &amp; more</a>'
            '<details open="open"><summary><span class="toctree-toggle" role="presentation"><i></i></span></summary>'
            '<ul><li><a href="a.html">A</a><details><summary><p class="caption">Named</p></summary></details></li>'
            '</ul></details></li></ul>')
    fixed = theme_markup.named_navigation_toggles(html)
    assert '<details open="open"><summary aria-label="Pages in Regions &amp; more">' in fixed
    assert '<summary><p class="caption">Named</p></summary>' in fixed, "a summary with text keeps its own name"


def test_citations_are_list_items() -> None:
    html = '<div role="list" class="citation-list"><div class="citation" id="id7" role="doc-biblioentry">'
    assert theme_markup.bibliography_list_items(html).endswith('<div class="citation" id="id7" role="listitem">')


# -- tools/siteserver.py -------------------------------------------------------------------------

@pytest.fixture
def server(tmp_path: Path):
    (tmp_path / "site" / "chapters").mkdir(parents=True)
    (tmp_path / "site" / "index.html").write_text("<h1>Home</h1>" * 50, encoding="utf-8")
    (tmp_path / "site" / "chapters" / "index.html").write_text("<h1>Chapters</h1>", encoding="utf-8")
    (tmp_path / "site" / "404.html").write_text("<h1>Page not found</h1>", encoding="utf-8")
    (tmp_path / "site" / "book.pdf").write_bytes(b"%PDF-1.7 " * 100)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "index.html").write_text("other", encoding="utf-8")
    server = SiteServer({"/": tmp_path / "site", "/other/": tmp_path / "other"}).start()
    yield server
    server.stop()


def get(url: str, gzip_ok: bool = True):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        response = urllib.request.urlopen(request)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, dict(response.headers), response.read()


def test_server_listens_on_loopback_only(server: SiteServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")


def test_server_gzips_text_for_clients_that_accept_it(server: SiteServer) -> None:
    status, headers, body = get(server.url + "index.html")
    assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == b"<h1>Home</h1>" * 50 and int(headers["Content-Length"]) == len(body)
    status, headers, body = get(server.url + "index.html", gzip_ok=False)
    assert "Content-Encoding" not in headers and body == b"<h1>Home</h1>" * 50


def test_server_sends_pdfs_as_they_are(server: SiteServer) -> None:
    _, headers, body = get(server.url + "book.pdf")
    assert headers["Content-Type"] == "application/pdf" and "Content-Encoding" not in headers
    assert body.startswith(b"%PDF")


def test_server_serves_folders_mounts_and_its_404_page(server: SiteServer) -> None:
    assert get(server.url + "chapters/", gzip_ok=False)[2] == b"<h1>Chapters</h1>"
    assert get(server.url + "other/", gzip_ok=False)[2] == b"other"
    status, _, body = get(server.url + "chapters/nope.html", gzip_ok=False)
    assert status == 404 and body == b"<h1>Page not found</h1>"
    assert get(server.url + "../../etc/passwd", gzip_ok=False)[0] == 404
