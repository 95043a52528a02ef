"""Small fixes to the theme's markup, for readers with assistive technology and for safe links.

sphinx-book-theme 1.4 (on pydata-sphinx-theme 0.20) writes a few elements that axe-core reports
and that screen-reader users meet on every page. The template filter ``theme_markup_fixes``,
applied to the page body in ``_templates/layout.html``, repairs them after the theme has
rendered the page:

- **Disclosure buttons in the navigation have a name.** Each section of the sidebar navigation
  has an expand/collapse ``<summary>`` holding only an icon; it is labelled "Pages in Regions"
  after the link beside it (axe: ``summary-name``).
- **Search buttons are named by what they show.** Their visible text is "Search Ctrl+K" but an
  ``aria-label`` named them "Search". The label goes (the name comes from the text, or from the
  ``title`` "Search" where narrow screens hide the text); the keyboard hint is hidden from
  assistive technology, which is told the shortcut through ``aria-keyshortcuts`` instead (axe:
  ``label-content-name-mismatch``).
- **The sidebar is a landmark.** The handbook's title and the search button in the primary
  sidebar sat outside any landmark; the sidebar becomes a region labelled "Handbook" (axe:
  ``region``).
- **Links that open a new tab carry ``rel="noopener"``.** The theme's header buttons, such as
  Download PDF and Download EPUB, use ``target="_blank"`` without it.
- **Bibliography entries are list items.** docutils marks each citation with the deprecated
  DPUB role ``doc-biblioentry`` inside a ``role="list"``, which then has no list items (axe:
  ``aria-required-children``, ``aria-deprecated-role``).

- **One viewport tag per page.** Sphinx's basic layout writes ``<meta name="viewport">``;
  docutils' HTML5 writer adds another to the page's meta tags, and pydata-sphinx-theme a third
  in its ``extrahead`` block. The layout leaves the theme's block out (``_templates/layout.html``)
  and :func:`one_viewport_tag`, on Sphinx's ``html-page-context`` event, drops docutils' tag.

One fix is behaviour, not markup: ``_static/sidebar-toggles.js``, added to every page, makes
the sidebar buttons in the article header work. The theme listens only to the first navigation
and contents toggles on a page, which sphinx-book-theme hides, so on a phone the navigation
could not be opened at all.

Each fix matches the theme's markup exactly and does nothing when the markup differs, so a theme
upgrade can only make a fix unnecessary, never break a page; the browser tests then say which
problem is back.
"""

from __future__ import annotations

import re
from html import escape, unescape

from markupsafe import Markup
from sphinx.application import Sphinx

_NAV_SECTION = re.compile(
    r'(<a class="[^"]*\breference\b[^"]*"[^>]*>([^<]+)</a>\s*<details(?: open="open")?>\s*)<summary>'
)
_SEARCH_BUTTON = re.compile(r'(<button class="[^"]*\bsearch-button__button\b[^"]*"[^>]*?) aria-label="[^"]*"')
_KBD_HINT = re.compile(r'<span class="search-button__kbd-shortcut">')
_PRIMARY_SIDEBAR = re.compile(r'(<div id="pst-primary-sidebar" class="[^"]*")>')
_NEW_TAB_LINK = re.compile(r"<a\b[^>]*\btarget=([\"'])_blank\1[^>]*>", re.IGNORECASE)
_BIBLIOENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')
_REL = re.compile(r"\brel=([\"'])(.*?)\1", re.IGNORECASE | re.DOTALL)

#: The viewport tag docutils' HTML5 writer adds to every page's meta tags (docutils 0.22).
DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'

#: The accessible name of the primary sidebar's region.
SIDEBAR_LABEL = "Handbook"


def _label_summary(match: re.Match) -> str:
    title = " ".join(unescape(match.group(2)).split())
    return f'{match.group(1)}<summary aria-label="{escape(f"Pages in {title}")}">'


def _add_noopener(match: re.Match) -> str:
    tag = match.group(0)
    rel = _REL.search(tag)
    if rel is None:
        return tag[:-1].rstrip() + ' rel="noopener">'
    values = rel.group(2).split()
    if "noopener" in values:
        return tag
    quote = rel.group(1)
    return tag[:rel.start()] + f"rel={quote}{' '.join([*values, 'noopener'])}{quote}" + tag[rel.end():]


def label_navigation_toggles(html: str) -> str:
    """Give each navigation ``<summary>`` the name "Pages in <section>"."""
    return _NAV_SECTION.sub(_label_summary, html)


def name_search_buttons(html: str) -> str:
    """Name search buttons by their text; declare the Ctrl+K shortcut instead of reading it."""
    html = _SEARCH_BUTTON.sub(r'\1 aria-keyshortcuts="Control+K"', html)
    return _KBD_HINT.sub('<span class="search-button__kbd-shortcut" aria-hidden="true">', html)


def sidebar_landmark(html: str) -> str:
    """Make the primary sidebar a labelled region."""
    return _PRIMARY_SIDEBAR.sub(rf'\1 role="region" aria-label="{SIDEBAR_LABEL}">', html, count=1)


def new_tabs_noopener(html: str) -> str:
    """Give every ``<a target="_blank">`` a ``rel`` that includes ``noopener``."""
    return _NEW_TAB_LINK.sub(_add_noopener, html)


def bibliography_list_items(html: str) -> str:
    """Make each citation in a ``role="list"`` a ``listitem`` instead of ``doc-biblioentry``."""
    return _BIBLIOENTRY.sub(r'\1 role="listitem"', html)


def theme_markup_fixes(html: str) -> Markup:
    """Template filter: all the fixes above, applied to a rendered page body."""
    html = str(html)
    for fix in (label_navigation_toggles, name_search_buttons, sidebar_landmark, new_tabs_noopener,
                bibliography_list_items):
        html = fix(html)
    return Markup(html)


def one_viewport_tag(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: drop docutils' viewport tag; the layout writes its own."""
    if "metatags" in context:
        context["metatags"] = context["metatags"].replace(DOCUTILS_VIEWPORT, "")


def register_filter(app: Sphinx) -> None:
    """Make ``theme_markup_fixes`` available to the HTML templates."""
    if app.builder.format == "html":
        app.builder.templates.environment.filters["theme_markup_fixes"] = theme_markup_fixes


def setup(app: Sphinx) -> dict:
    app.add_js_file("sidebar-toggles.js", loading_method="defer")
    app.connect("builder-inited", register_filter)
    app.connect("html-page-context", one_viewport_tag)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
