"""Small fixes to the theme's markup, for readers with assistive technology and for safe links.

sphinx-book-theme 1.4 (on pydata-sphinx-theme 0.20) writes a few elements that axe-core reports
and that screen-reader users meet on every page. Most are fixed where the markup is written, by
overriding the theme's templates in ``_templates/`` (components and blocks, the theme's documented
ways to customise it), so nothing here needs to know the theme's exact markup for them:

- **Search buttons are named by what they show** (``_templates/search-button-field.html``,
  ``search-field.html``): no ``aria-label`` "Search" over the visible "Search Ctrl+K"; the
  keyboard hint is hidden from assistive technology, which is told the shortcut through
  ``aria-keyshortcuts`` (axe: ``label-content-name-mismatch``).
- **The sidebar's items are a landmark** (``_templates/sections/sidebar-primary.html``): the
  handbook's title and the search button sat outside any landmark; they are in a region
  labelled "Handbook" (axe: ``region``).
- **Links that open a new tab carry ``rel="noopener"``** (``_templates/header-buttons-macros.html``):
  the theme's header buttons, such as Download PDF and Download EPUB, open a new tab.

Three fixes still rework markup an upstream writes, and are registered shims:

- **Disclosure buttons in the navigation have a name.** pydata-sphinx-theme's Python code writes
  the sidebar navigation; each section has an expand/collapse ``<summary>`` holding only an
  icon. The filter ``named_navigation_toggles``, applied to that navigation in
  ``_templates/sbt-sidebar-nav.html``, labels it "Pages in Regions" after the link beside it
  (axe: ``summary-name``), with an HTML parser.
- **Bibliography entries are list items.** docutils marks each citation with the deprecated
  DPUB role ``doc-biblioentry`` inside a ``role="list"``, which then has no list items (axe:
  ``aria-required-children``, ``aria-deprecated-role``). The filter ``theme_markup_fixes``,
  applied to the page body in ``_templates/layout.html``, makes them ``listitem``.
- **One viewport tag per page.** Sphinx's basic layout writes ``<meta name="viewport">``;
  docutils' HTML5 writer adds another to the page's meta tags, and pydata-sphinx-theme a third
  in its ``extrahead`` block. The layout leaves the theme's block out (``_templates/layout.html``)
  and :func:`one_viewport_tag`, on Sphinx's ``html-page-context`` event, drops docutils' tag.

One fix is behaviour, not markup: ``_static/sidebar-toggles.js``, added to every page, makes
the sidebar buttons in the article header work. The theme's scripts listen only to the first
navigation and contents toggles on a page, which sphinx-book-theme hides, so on a phone the
navigation could not be opened at all. It relies on the themes' scripts and is a shim too.

Each fix does nothing when the markup differs, so a theme upgrade can only make a fix
unnecessary, never break a page; the version checks of :mod:`handbook.shims` and the browser
tests then say which problem is back.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from markupsafe import Markup
from sphinx.application import Sphinx

from handbook import shims
from handbook.languages import _

_BIBLIOENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')

#: The viewport tag docutils' HTML5 writer adds to every page's meta tags (docutils 0.22).
DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'


def named_navigation_toggles(html: str) -> Markup:
    """Template filter: each navigation ``<summary>`` without text is named "Pages in <section>".

    The section is the link that pydata-sphinx-theme puts before the ``<details>`` in the same
    list item.
    """
    soup = BeautifulSoup(str(html), "html.parser")
    for summary in soup.select("li > details > summary"):
        link = summary.parent.find_previous_sibling("a")
        if link is None or summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        summary["aria-label"] = _("Pages in {section}").format(section=" ".join(link.get_text().split()))
    return Markup(str(soup))


def bibliography_list_items(html: str) -> str:
    """Make each citation in a ``role="list"`` a ``listitem`` instead of ``doc-biblioentry``."""
    return _BIBLIOENTRY.sub(r'\1 role="listitem"', html)


def theme_markup_fixes(html: str) -> Markup:
    """Template filter: the fixes of the rendered page body (today, the bibliography's)."""
    return Markup(bibliography_list_items(str(html)))


def one_viewport_tag(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: drop docutils' viewport tag; the layout writes its own."""
    if "metatags" in context:
        context["metatags"] = context["metatags"].replace(DOCUTILS_VIEWPORT, "")


def register_filters(app: Sphinx) -> None:
    """Make the filters available to the HTML templates."""
    if app.builder.format == "html":
        filters = app.builder.templates.environment.filters
        filters["theme_markup_fixes"] = theme_markup_fixes
        filters["named_navigation_toggles"] = named_navigation_toggles


def setup(app: Sphinx) -> dict:
    shims.register("handbook.theme_markup", "pydata-sphinx-theme", "==0.20.0",
                   "the sidebar navigation its toctree code writes (a link, then <details><summary> "
                   "holding only an icon), and its script listening to the first .primary-toggle "
                   "and .secondary-toggle on a page only (_static/sidebar-toggles.js)")
    shims.register("handbook.theme_markup", "sphinx-book-theme", "==1.4.0",
                   "its article header's sidebar toggles being the second .primary-toggle and "
                   ".secondary-toggle on a page, after the hidden ones (_static/sidebar-toggles.js)")
    shims.register("handbook.theme_markup", "docutils", "==0.22.4",
                   'the viewport <meta> tag and role="doc-biblioentry" on citations its HTML5 writer writes')
    app.add_js_file("sidebar-toggles.js", loading_method="defer")
    app.connect("builder-inited", register_filters)
    app.connect("html-page-context", one_viewport_tag)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
