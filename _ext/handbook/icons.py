"""The theme's icons as inline SVG, without Font Awesome's 1.5 MB of JavaScript.

pydata-sphinx-theme (under sphinx-book-theme) marks its icons up as empty elements with Font
Awesome classes, ``<i class="fa-solid fa-bars"></i>``, and loads ``fontawesome.js``, which
carries every Font Awesome icon (about 1.5 MB) and swaps each element for an inline ``<svg>``
once the page has loaded. The handbook uses about a dozen of those icons.

This module does the swap when the page is written instead:

- when the HTML builder starts, the icon paths are read from the theme's own copy of
  ``fontawesome.js`` (:func:`parse_packs`), so they always match the installed theme;
- the template filter ``inline_icons`` (applied to the page body in ``_templates/layout.html``)
  replaces each icon element by an ``<svg>`` drawn in the text colour, keeping its classes and
  attributes, so the theme's styles (sizes, the rotating chevron, the light/dark switch) apply;
- the filter ``without_fontawesome_js`` removes the script from the page head, and the script is
  removed from the built site.

An icon that the theme's icon set does not have is reported as a warning, which fails the
handbook's ``-W`` build, so an icon never silently disappears after a theme upgrade. Icons that
the theme's scripts create later (its announcement and version banners, which the handbook does
not use) and the few it draws in CSS (admonition titles, external links in the navigation) still
use Font Awesome's web fonts, which stay in the site for them; no handbook page loads a font
today, and the browser tests check that.

Font Awesome Free's icons are licensed CC BY 4.0 (https://fontawesome.com/license/free).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Where the theme keeps its Font Awesome script, in its folder and in the built site.
FONTAWESOME_JS = Path("static", "scripts", "fontawesome.js")
SITE_FONTAWESOME_JS = Path("_static", "scripts", "fontawesome.js")

#: Font Awesome's style classes and the icon pack each selects.
STYLE_PACKS = {"fa-solid": "fas", "fas": "fas", "fa-regular": "far", "far": "far",
               "fa-brands": "fab", "fab": "fab"}
#: Classes that size, move or animate an icon rather than name one.
MODIFIER = re.compile(
    r"fa-(?:solid|regular|brands|classic|fw|lg|xs|sm|xl|2xs|2xl|\d+x|li|ul|border|inverse|"
    r"spin.*|pulse|beat.*|bounce|fade|shake|flip.*|rotate.*|pull-.*|stack.*|width-auto)$"
)

_SCRIPT_TAG = re.compile(r"[ \t]*<script\b[^>]*\bsrc=\"[^\"]*fontawesome\.js[^\"]*\"[^>]*>\s*</script>\n?")
#: An empty icon element: ``<i class="fa-solid fa-bars"></i>`` (also ``<span>``).
_ICON_ELEMENT = re.compile(r"<(i|span)\b([^>]*\bclass=\"([^\"]*\bfa[srb]?\b[^\"]*)\"[^>]*)>\s*</\1>")
#: One icon in a pack: ``"bars":[448,512,[aliases],"f0c9","M0 96C0 …"]``.
_ICON = re.compile(r'"?([a-z0-9-]+)"?:\[(\d+),(\d+),\[([^\]]*)\],"[^"]*","([^"]*)"\]')
#: A pack is registered as ``p("fas",b)`` after ``var b={…}`` defines its icons.
_PACK_CALL = re.compile(r'\bp\("(fa[srb])",(\w+)\)')


@dataclass(frozen=True)
class Icon:
    """One Font Awesome icon: its view box and its single SVG path."""

    width: int
    height: int
    path: str


def parse_packs(script: str) -> dict[str, dict[str, Icon]]:
    """Read the solid, regular and brands icon packs out of Font Awesome's ``fontawesome.js``.

    Returns ``{"fas": {"bars": Icon(…), …}, …}``; aliases (``search`` for ``magnifying-glass``)
    are included under their own names.
    """
    packs: dict[str, dict[str, Icon]] = {}
    for call in _PACK_CALL.finditer(script):
        prefix, variable = call.groups()
        start = script.rfind(f"var {variable}={{", 0, call.start())
        if start < 0 or prefix in packs:
            continue
        icons: dict[str, Icon] = {}
        for match in _ICON.finditer(script, start, call.start()):
            name, width, height, aliases, path = match.groups()
            icon = Icon(int(width), int(height), path)
            icons[name] = icon
            for alias in re.findall(r'"([a-z0-9-]+)"', aliases):
                icons.setdefault(alias, icon)
        packs[prefix] = icons
    return packs


def icon_name(classes: str) -> tuple[str, str] | None:
    """``(pack, name)`` of the icon that a class list names, or None if it names none."""
    tokens = classes.split()
    pack = next((STYLE_PACKS[t] for t in tokens if t in STYLE_PACKS), "fas")
    names = [t[3:] for t in tokens if t.startswith("fa-") and not MODIFIER.match(t)]
    return (pack, names[0]) if names else None


def svg_for(tag_attributes: str, classes: str, icon: Icon) -> str:
    """An inline ``<svg>`` for *icon*, keeping the element's attributes and classes."""
    attributes = tag_attributes.replace(f'class="{classes}"', f'class="{classes} svg-inline--fa"', 1)
    return (f'<svg{attributes} aria-hidden="true" focusable="false" '
            f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {icon.width} {icon.height}">'
            f'<path fill="currentColor" d="{escape(icon.path)}"/></svg>')


def inline_icons_in(html: str, packs: dict[str, dict[str, Icon]]) -> tuple[str, set[str]]:
    """*html* with its Font Awesome icon elements replaced by SVG, and the icons not found."""
    missing: set[str] = set()

    def replace(match: re.Match) -> str:
        _, attributes, classes = match.groups()
        named = icon_name(classes)
        if named is None:
            return match.group(0)
        icon = packs.get(named[0], {}).get(named[1])
        if icon is None:
            missing.add(f"{named[0]} fa-{named[1]}")
            return match.group(0)
        return svg_for(attributes, classes, icon)

    return _ICON_ELEMENT.sub(replace, str(html)), missing


def without_fontawesome_js(html: str) -> Markup:
    """Template filter: *html* without the ``<script>`` tag that loads ``fontawesome.js``."""
    return Markup(_SCRIPT_TAG.sub("", str(html)))


def load_icons(app: Sphinx) -> None:
    """Read the theme's icons and make the ``inline_icons`` and script filters available."""
    if app.builder.format != "html":
        return
    filters = app.builder.templates.environment.filters
    if app.builder.name == "epub":  # Sphinx's epub theme draws no icons: the filters change nothing
        filters["inline_icons"] = filters["without_fontawesome_js"] = Markup
        return
    scripts = [Path(d) / FONTAWESOME_JS for d in app.builder.theme.get_theme_dirs()]
    script = next((s for s in scripts if s.is_file()), None)
    if script is None:
        logger.warning("handbook.icons: the theme has no %s; its icons will be missing",
                       FONTAWESOME_JS, type="handbook", subtype="icons")
        packs: dict[str, dict[str, Icon]] = {}
    else:
        packs = parse_packs(script.read_text(encoding="utf-8"))
    reported: set[str] = set()

    def inline_icons(html: str) -> Markup:
        """Template filter: the page body with its icon elements as inline SVG."""
        result, missing = inline_icons_in(html, packs)
        for icon in sorted(missing - reported):
            logger.warning("handbook.icons: icon %s is used but not in the theme's Font Awesome",
                           icon, type="handbook", subtype="icons")
        reported.update(missing)
        return Markup(result)

    filters["inline_icons"] = inline_icons
    filters["without_fontawesome_js"] = without_fontawesome_js


def remove_script(app: Sphinx, exception: Exception | None) -> None:
    """After an HTML build: remove ``fontawesome.js`` (and its map and licence) from the site."""
    if exception is None and app.builder.format == "html":
        script = Path(app.outdir) / SITE_FONTAWESOME_JS
        for leftover in script.parent.glob(script.name + "*"):
            leftover.unlink()


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", load_icons)
    app.connect("build-finished", remove_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
