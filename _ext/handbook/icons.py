"""The theme's icons as inline SVG, without Font Awesome's 1.5 MB of JavaScript.

pydata-sphinx-theme (under sphinx-book-theme) marks its icons up as empty elements with Font
Awesome classes, ``<i class="fa-solid fa-bars"></i>``, and loads ``fontawesome.js``, which
carries every Font Awesome icon (about 1.5 MB) and swaps each element for an inline ``<svg>``
once the page has loaded. The handbook shows about fifteen of those icons, so it draws them
itself when the page is written:

- the icons come from ``data/icons.json`` (view box and path of each, with Font Awesome's
  version and licence), which ``tools/derive_icons.py`` derives from the npm package
  ``@fortawesome/fontawesome-free`` at the version the theme bundles;
- the template function ``icon(classes, **attributes)``, added to every page's context on
  ``html-page-context``, writes one icon as an ``<svg>`` drawn in the text colour, keeping the
  Font Awesome classes, so the theme's styles (sizes, the rotating chevron, the light/dark
  switch) apply. The theme's component templates that hold icons are overridden in
  ``_templates/`` (the theme's documented way to customise a component) to call it;
- the back-to-top button is not a component but part of pydata-sphinx-theme's ``layout.html``:
  :func:`no_theme_back_to_top` switches the theme's off (its ``back_to_top_button`` option) and
  ``_templates/layout.html`` draws the same button in the ``docs_navbar`` block;
- the chevrons of the sidebar navigation are written by the theme's Python code, not a
  template. The template filter ``inline_icons``, applied to that navigation only in
  ``_templates/sbt-sidebar-nav.html``, finds its icon elements with an HTML parser and replaces
  them; it relies on the theme's markup and is a registered shim;
- ``_templates/layout.html`` leaves the ``<script>`` that loads ``fontawesome.js`` out of the
  head (handbook.lean_site), and :func:`remove_script` removes the script from the built site.

An icon that is not in ``icons.json`` is reported as a warning, which fails the handbook's ``-W``
build, so an icon never silently disappears; add it to ``tools/derive_icons.py`` and run it.
Icons that the theme's scripts create later (its announcement and version banners, which the
handbook does not use) and the few it draws in CSS (admonition titles, external links in the
navigation) still use Font Awesome's web fonts, which stay in the site for them; no handbook page
loads a font today, and the browser tests check that.

Every icon is hidden from assistive technology, as Font Awesome's script hides it; the button or
link holding it carries the name. The theme's switcher gives its sun, moon and half-circle
icons a ``title`` ("Light", "Dark"); the overridden ``theme-switcher.html`` leaves it out, and
:func:`inline_icons_in` drops any other: HTML allows no ``title`` attribute on ``<svg>`` (the W3C
Nu HTML Checker, tests/test_html_validity.py, reports it as an error), and a ``<title>`` child
instead becomes part of the button's visible text for axe-core, which then no longer matches the
button's name "Color mode" (``label-content-name-mismatch``). The button's own tooltip stays.

Font Awesome Free's icons are licensed CC BY 4.0 (https://fontawesome.com/license/free).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util import logging

from handbook import shims

logger = logging.getLogger(__name__)

#: The icons, derived from Font Awesome by tools/derive_icons.py.
ICONS_FILE = Path(__file__).parent / "data" / "icons.json"
#: Where the theme's Font Awesome script lands in the built site.
SITE_FONTAWESOME_JS = Path("_static", "scripts", "fontawesome.js")

#: Font Awesome's style classes and the style (folder of icons.json) each selects.
STYLES = {"fa-solid": "solid", "fas": "solid", "fa-regular": "regular", "far": "regular",
          "fa-brands": "brands", "fab": "brands"}
#: Classes that size, move or animate an icon rather than name one.
MODIFIER = re.compile(
    r"fa-(?:solid|regular|brands|classic|fw|lg|xs|sm|xl|2xs|2xl|\d+x|li|ul|border|inverse|"
    r"spin.*|pulse|beat.*|bounce|fade|shake|flip.*|rotate.*|pull-.*|stack.*|width-auto)$"
)
#: Elements that Font Awesome's script would swap for an icon.
ICON_ELEMENTS = ("i", "span")


@dataclass(frozen=True)
class Icon:
    """One Font Awesome icon: its view box and its single SVG path."""

    view_box: str
    path: str


@cache
def load_icons(path: Path = ICONS_FILE) -> dict[str, Icon]:
    """The icons of icons.json by ``style/name``, aliases (``solid/pencil-alt``) included."""
    data = json.loads(path.read_text(encoding="utf-8"))
    icons = {key: Icon(icon["viewBox"], icon["path"]) for key, icon in data["icons"].items()}
    icons.update({alias: icons[name] for alias, name in data["aliases"].items()})
    return icons


def icon_name(classes: str) -> str | None:
    """The ``style/name`` of the icon that a class list names, or None if it names none."""
    tokens = classes.split()
    style = next((STYLES[t] for t in tokens if t in STYLES), "solid")
    names = [t[3:] for t in tokens if t.startswith("fa-") and not MODIFIER.match(t)]
    return f"{style}/{names[0]}" if names else None


def is_icon(classes: str) -> bool:
    """Whether *classes* (of an empty ``<i>`` or ``<span>``) ask Font Awesome for an icon."""
    return any(t in STYLES or t == "fa" for t in classes.split()) and icon_name(classes) is not None


def svg(icon: Icon, classes: str, attributes: dict | None = None) -> Markup:
    """An inline ``<svg>`` for *icon* with the Font Awesome *classes*, hidden from assistive technology.

    Other *attributes* (such as ``data-mode``) are kept, but not ``title``, which HTML does not
    allow on ``<svg>``.
    """
    extra = "".join(f' {escape(k)}="{escape(str(v))}"' for k, v in (attributes or {}).items()
                    if k not in {"class", "title", "aria-hidden", "focusable"})
    return Markup(f'<svg class="{escape(classes)} svg-inline--fa"{extra} aria-hidden="true" focusable="false" '
                  f'xmlns="http://www.w3.org/2000/svg" viewBox="{escape(icon.view_box)}">'
                  f'<path fill="currentColor" d="{escape(icon.path)}"/></svg>')


class _IconFinder(HTMLParser):
    """Finds empty icon elements, ``<i class="fa-solid fa-bars"></i>``, and where they are."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.lines = [0]
        for line in html.split("\n"):  # the parser counts lines by "\n" alone
            self.lines.append(self.lines[-1] + len(line) + 1)
        self.open: tuple[int, str, dict] | None = None  # start offset, tag, attributes
        self.found: list[tuple[int, int, dict]] = []  # start, end, attributes

    def position(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.open = ((self.position(), tag, attributes)
                     if tag in ICON_ELEMENTS and is_icon(attributes.get("class", "")) else None)

    def handle_endtag(self, tag: str) -> None:
        if self.open is not None and self.open[1] == tag:
            start, _, attributes = self.open
            end = self.rawdata.index(">", self.position()) + 1
            self.found.append((start, end, attributes))
        self.open = None

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.open = None


def inline_icons_in(html: str, icons: dict[str, Icon]) -> tuple[str, set[str]]:
    """*html* with its empty Font Awesome icon elements replaced by SVG, and the icons not found."""
    finder = _IconFinder(html)
    finder.feed(html)
    finder.close()
    missing: set[str] = set()
    parts, done = [], 0
    for start, end, attributes in finder.found:
        classes = attributes.pop("class")
        name = icon_name(classes)
        if name not in icons:
            missing.add(name)
            continue
        parts += [html[done:start], svg(icons[name], classes, attributes)]
        done = end
    return "".join(parts) + html[done:], missing


def _report(missing: set[str], reported: set[str]) -> None:
    for name in sorted(missing - reported):
        logger.warning("handbook.icons: icon %s is used but not in data/icons.json; add it to "
                       "tools/derive_icons.py and run it", name, type="handbook", subtype="icons")
    reported.update(missing)


def no_theme_back_to_top(app: Sphinx, config) -> None:
    """``config-inited``: the layout draws the back-to-top button, so the theme does not."""
    config.html_theme_options["back_to_top_button"] = False


def register_filter(app: Sphinx) -> None:
    """Make the ``inline_icons`` filter available to the HTML templates."""
    if app.builder.format != "html":
        return
    icons, reported = load_icons(), set()

    def inline_icons(html: str) -> Markup:
        """Template filter: *html* (the sidebar navigation) with its icon elements as inline SVG."""
        result, missing = inline_icons_in(str(html), icons)
        _report(missing, reported)
        return Markup(result)

    app.builder.templates.environment.filters["inline_icons"] = inline_icons
    app.builder.handbook_reported_icons = reported


def add_icon_function(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: the template function ``icon(classes, **attributes)``.

    Attribute names are written with underscores for hyphens: ``data_mode="light"``.
    """
    icons = load_icons()
    reported = getattr(app.builder, "handbook_reported_icons", set())

    def icon(classes: str, **attributes: str) -> Markup:
        name = icon_name(classes)
        if name not in icons:
            _report({name}, reported)
            return Markup("")
        return svg(icons[name], classes, {k.replace("_", "-"): v for k, v in attributes.items()})

    context["icon"] = icon


def remove_script(app: Sphinx, exception: Exception | None) -> None:
    """After an HTML build: remove ``fontawesome.js`` (and its map and licence) from the site."""
    if exception is None and app.builder.format == "html":
        script = Path(app.outdir) / SITE_FONTAWESOME_JS
        for leftover in script.parent.glob(script.name + "*"):
            leftover.unlink()


def setup(app: Sphinx) -> dict:
    shims.register("handbook.icons", "pydata-sphinx-theme", "==0.20.0",
                   "the empty <i class=\"fa-solid fa-chevron-down\"></i> icons in the sidebar navigation "
                   "its toctree code writes, and the back-to-top button of its layout.html, which "
                   "_templates/layout.html re-creates")
    app.connect("config-inited", no_theme_back_to_top)
    app.connect("builder-inited", register_filter)
    app.connect("html-page-context", add_icon_function)
    app.connect("build-finished", remove_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
