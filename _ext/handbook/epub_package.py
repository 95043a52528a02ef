"""The EPUB's package: accessibility metadata, the table of contents as a page, landmarks.

Sphinx's EPUB 3 builder writes ``content.opf``, ``nav.xhtml`` and ``toc.ncx`` from its own
templates (``sphinx/templates/epub3``), which ``templates_path`` cannot override, and has no
setting for what follows. So once the builder has written the EPUB, a ``build-finished`` handler
edits the three files, in the output folder and in the ``.epub`` itself (whose other entries are
copied unchanged, ``mimetype`` first and uncompressed):

- ``content.opf`` gets the schema.org accessibility metadata of ``handbook_epub_accessibility``
  (``conf.py``): ``schema:accessMode``, ``schema:accessModeSufficient``,
  ``schema:accessibilityFeature``, ``schema:accessibilityHazard`` and
  ``schema:accessibilitySummary``, as the EPUB Accessibility 1.1 specification asks, and the
  edition's name as ``schema:bookEdition`` (the edition comes from git, see
  :mod:`handbook.edition`; Sphinx writes its date as ``dcterms:modified``). The navigation
  document joins the reading order after the title page, as the contents follow the title page
  in the PDF, so that the landmarks may point at it.
- ``nav.xhtml``: its table of contents gets an ``id`` and the ARIA role that matches its
  ``epub:type``, and a (hidden) landmarks navigation follows it: the table of contents and the
  pages of ``handbook_epub_landmarks`` (``conf.py``).
- ``toc.ncx`` (for EPUB 2 readers) names the package's identifier, ``epub_identifier``; Sphinx
  writes ``epub_uid`` there, the XML id of the identifier, which EPUBCheck rejects (NCX-001).

Every edit is checked: if Sphinx's output no longer has the markup it relies on, the build warns
(and ``-W`` fails it). ``tests/test_epub.py`` checks the result, and EPUBCheck and DAISY Ace check
the whole EPUB.
"""

from __future__ import annotations

import os
import re
from html import escape
from pathlib import Path
from zipfile import ZipFile

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from . import shims
from .epub_edition import TITLE_PAGE, is_epub
from .languages import _

logger = logging.getLogger(__name__)

#: The schema.org properties the EPUB Accessibility specification asks for, in the order written.
ACCESSIBILITY_PROPERTIES = ("accessMode", "accessModeSufficient", "accessibilityFeature",
                            "accessibilityHazard", "accessibilitySummary")
#: EPUB 2's ``<guide>`` types and titles for the landmarks, written by Sphinx from ``epub_guide``
#: (the titles translated when they are written, in the edition's language).
GUIDE_TYPES = {"titlepage": ("title-page", _("Title page")), "bodymatter": ("text", _("Start of the text")),
               "glossary": ("glossary", _("Glossary")), "bibliography": ("bibliography", _("Bibliography"))}
NAV_DOCUMENT = "nav.xhtml"
NCX_DOCUMENT = "toc.ncx"
PACKAGE_DOCUMENT = "content.opf"
_TOC_NAV = '<nav epub:type="toc">'


class PackageError(Exception):
    """Sphinx's EPUB files lack the markup an edit relies on."""


def accessibility_metadata(accessibility: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    """``(property, value)`` pairs for the package document, in the order of the specification."""
    unknown = set(accessibility) - set(ACCESSIBILITY_PROPERTIES)
    if unknown:
        raise PackageError(f"unknown accessibility properties: {sorted(unknown)}")
    pairs = []
    for name in ACCESSIBILITY_PROPERTIES:
        values = accessibility.get(name, [])
        for value in [values] if isinstance(values, str) else values:
            pairs.append((f"schema:{name}", value))
    return pairs


def with_metadata(opf: str, metadata: list[tuple[str, str]]) -> str:
    """*opf* (a package document) with a ``<meta property=…>`` for each pair, before ``</metadata>``."""
    if opf.count("</metadata>") != 1:
        raise PackageError(f"{PACKAGE_DOCUMENT} has no single </metadata>")
    metas = "\n    ".join(f'<meta property="{escape(name)}">{escape(value, quote=False)}</meta>'
                          for name, value in metadata)
    return opf.replace("</metadata>", f"  {metas}\n  </metadata>", 1)


def with_nav_in_spine(opf: str, after: str) -> str:
    """*opf* with the navigation document in the reading order, after the page *after* (an href)."""
    item = re.search(rf'<item id="([^"]+)" href="{re.escape(after)}"', opf)
    nav = re.search(rf'<item id="([^"]+)" href="{re.escape(NAV_DOCUMENT)}"', opf)
    if item is None or nav is None:
        raise PackageError(f"{PACKAGE_DOCUMENT} has no manifest item for {after} or {NAV_DOCUMENT}")
    itemref = re.search(rf'( *)<itemref idref="{re.escape(item.group(1))}" />\n', opf)
    if itemref is None:
        raise PackageError(f"{PACKAGE_DOCUMENT}: {after} is not in the spine")
    spine_item = f'{itemref.group(1)}<itemref idref="{nav.group(1)}" />\n'
    return opf[:itemref.end()] + spine_item + opf[itemref.end():]


def with_ncx_identifier(ncx: str, identifier: str) -> str:
    """*ncx* whose ``dtb:uid`` is *identifier*, the package's unique identifier."""
    ncx, count = re.subn(r'<meta name="dtb:uid" content="[^"]*"/>',
                         f'<meta name="dtb:uid" content="{escape(identifier)}"/>', ncx)
    if count != 1:
        raise PackageError(f"{NCX_DOCUMENT} has no single dtb:uid")
    return ncx


def with_landmarks(nav: str, landmarks: list[tuple[str, str, str]], heading: str = "Landmarks") -> str:
    """*nav* (the navigation document) with its table of contents marked up and landmarks after it.

    *landmarks* are ``(epub_type, href, text)``; the table of contents is always the first.
    *heading* is the landmarks' (hidden) heading, in the edition's language.
    """
    if nav.count(_TOC_NAV) != 1 or nav.count("</nav>") != 1:
        raise PackageError(f"{NAV_DOCUMENT} has no single {_TOC_NAV}")
    nav = nav.replace(_TOC_NAV, '<nav epub:type="toc" id="toc" role="doc-toc">', 1)
    items = "".join(f'\n        <li><a epub:type="{escape(kind)}" href="{escape(href)}">{escape(text)}</a></li>'
                    for kind, href, text in landmarks)
    block = (f'</nav>\n    <nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" '
             f'hidden="hidden">\n      <h2 id="landmarks-title">{escape(heading)}</h2>\n      <ol>{items}\n      </ol>\n'
             f'    </nav>')
    return nav.replace("</nav>", block, 1)


def rewrite_entries(epub: Path, replacements: dict[str, bytes]) -> None:
    """Replace entries of the zip file *epub*, keeping every entry's order, date and compression."""
    missing = set(replacements)
    partial = epub.with_name(epub.name + ".part")
    with ZipFile(epub) as old, ZipFile(partial, "w") as new:
        for info in old.infolist():
            data = replacements.get(info.filename)
            missing.discard(info.filename)
            new.writestr(info, old.read(info) if data is None else data)
    if missing:
        partial.unlink()
        raise PackageError(f"{epub.name} has no {sorted(missing)}")
    os.replace(partial, epub)


def landmark_list(app: Sphinx) -> list[tuple[str, str, str]]:
    """The landmarks: the table of contents, then ``handbook_epub_landmarks`` in their order."""
    toc_title = app.builder.guide_titles["toc"]
    landmarks = [("toc", f"{NAV_DOCUMENT}#toc", toc_title)]
    for kind, docname in app.config.handbook_epub_landmarks.items():
        if docname == TITLE_PAGE:
            text = str(_("Title page"))
        elif docname in app.env.titles:
            text = app.env.titles[docname].astext()
        else:
            raise PackageError(f"handbook_epub_landmarks: {kind!r} names no page: {docname!r}")
        landmarks.append((kind, docname + app.builder.out_suffix, text))
    return landmarks


def set_guide(app: Sphinx, config: Config) -> None:
    """EPUB 2 readers' ``<guide>`` lists the same places as the landmarks (unless set in conf.py)."""
    if config.epub_guide:
        return
    guide = [("toc", NAV_DOCUMENT, str(_("Table of Contents")))]
    guide += [(GUIDE_TYPES[kind][0], docname + ".xhtml", str(GUIDE_TYPES[kind][1]))
              for kind, docname in config.handbook_epub_landmarks.items() if kind in GUIDE_TYPES]
    config.epub_guide = tuple(guide)


def finish_package(app: Sphinx, exception: Exception | None) -> None:
    """Add the accessibility metadata and the landmarks to the EPUB Sphinx has written."""
    if exception is not None or not is_epub(app):
        return
    outdir = Path(app.outdir)
    epub = outdir / f"{app.config.epub_basename}.epub"
    try:
        metadata = accessibility_metadata(app.config.handbook_epub_accessibility)
        if app.config.release:
            metadata.append(("schema:bookEdition", app.config.release))
        opf = (outdir / PACKAGE_DOCUMENT).read_text(encoding="utf-8")
        opf = with_nav_in_spine(with_metadata(opf, metadata), TITLE_PAGE + app.builder.out_suffix)
        nav = with_landmarks((outdir / NAV_DOCUMENT).read_text(encoding="utf-8"), landmark_list(app),
                             str(_("Landmarks")))
        ncx = with_ncx_identifier((outdir / NCX_DOCUMENT).read_text(encoding="utf-8"),
                                  app.config.epub_identifier)
        files = {PACKAGE_DOCUMENT: opf, NAV_DOCUMENT: nav, NCX_DOCUMENT: ncx}
        for name, text in files.items():
            (outdir / name).write_text(text, encoding="utf-8")
        rewrite_entries(epub, {name: text.encode("utf-8") for name, text in files.items()})
    except (PackageError, OSError) as error:
        logger.warning("handbook.epub_package: %s", error, type="handbook", subtype="epub")


def setup(app: Sphinx) -> dict:
    shims.register("handbook.epub_package", "sphinx", "==9.0.4",
                   "the content.opf, nav.xhtml and toc.ncx its EPUB 3 builder writes from its own templates")
    app.add_config_value("handbook_epub_accessibility", {}, "epub", types=[dict])
    app.add_config_value("handbook_epub_landmarks", {}, "epub", types=[dict])
    app.connect("config-inited", set_guide)
    app.connect("build-finished", finish_package)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
