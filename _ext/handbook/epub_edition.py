"""The EPUB edition: the book, not the website, built by Sphinx's EPUB 3 builder.

``make epub`` runs ``sphinx-build -b epub``; its theme (Sphinx's own ``epub`` theme) has no
sidebars, buttons or search. This module shapes the content like the PDF's:

- **No web-only content.** The builder is an HTML builder, so ``{only} html`` blocks (such as the
  landing page's download buttons) would be kept; the ``html`` tag is removed for the EPUB build,
  so they are not (the ``epub`` tag stays for EPUB-only content). Pages of ``kind: guide`` (the
  contributor guide) are left out of the package, the navigation and the reading order, and the
  links to them are dropped (:class:`WithoutWebOnlyPages`).
- **Links only to pages.** An image that links to its own file, so that a phone can open the
  drawing alone on the site, keeps the image without the link: an EPUB may link only to the
  pages of its reading order (EPUBCheck RSC-011) (:func:`unwrap_image_links`).
- **A title page first**, as in the PDF: title, edition (from git, see :mod:`handbook.edition`),
  licence and how to cite (``_templates/epub-titlepage.html``, written as ``titlepage.xhtml`` and
  put first by ``epub_pre_files`` in ``conf.py``), in the edition's language (its words are
  messages of ``sphinx.po``, its name one of ``handbook.po``), as is the navigation document's
  title (:func:`translate_guide_titles`).
- **Every page states its language** (``lang`` and ``xml:lang`` on ``<html>``), which Sphinx's
  EPUB pages lack.

The package document's accessibility metadata and the navigation document's landmarks are added
after Sphinx has written the EPUB, by :mod:`handbook.epub_package`.
"""

from __future__ import annotations

import posixpath
from html import escape

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .builders import builder_for, track
from .languages import _

#: Front-matter ``kind`` of pages that serve the website only (the PDF leaves them out too).
WEB_ONLY_KIND = "guide"
#: The generated title page, and the template it is written from (in ``_templates/``).
TITLE_PAGE = "titlepage"
TITLE_PAGE_TEMPLATE = "epub-titlepage.html"


def is_epub(app: Sphinx) -> bool:
    return app.builder is not None and app.builder.name == "epub"


def web_only_pages(metadata: dict[str, dict]) -> set[str]:
    """The documents of ``kind: guide``, from ``env.metadata`` (front matter per document)."""
    return {docname for docname, fields in metadata.items() if fields.get("kind") == WEB_ONLY_KIND}


def linked_document(fromdoc: str, refuri: str, suffix: str) -> str | None:
    """The document an internal *refuri* on *fromdoc*'s page points to, or None if not a page."""
    path = refuri.split("#", 1)[0]
    if not path or "://" in path or path.startswith(("mailto:", "/")) or not path.endswith(suffix):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(fromdoc), path))[: -len(suffix)]


def html_tag(language: str) -> str:
    """The EPUB pages' ``<html>`` start tag, with the language for screen readers."""
    lang = escape(language)
    return (f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
            f'lang="{lang}" xml:lang="{lang}">')


class WithoutWebOnlyPages(SphinxPostTransform):
    """Drop toctree entries and links that lead to a web-only page; a link keeps its text."""

    builders = ("epub",)
    default_priority = 900  # after references are resolved (10), before toctrees are (when written)

    def run(self, **kwargs) -> None:
        web_only = web_only_pages(self.env.metadata)
        if not web_only:
            return
        for toctree in self.document.findall(addnodes.toctree):
            toctree["entries"] = [(title, ref) for title, ref in toctree["entries"] if ref not in web_only]
            toctree["includefiles"] = [ref for ref in toctree["includefiles"] if ref not in web_only]
        suffix = builder_for(self.env).out_suffix
        for reference in list(self.document.findall(nodes.reference)):
            target = linked_document(self.env.docname, reference.get("refuri", ""), suffix)
            if target in web_only:
                reference.replace_self(nodes.inline("", "", *reference.children))


def unwrap_image_links(document: nodes.Element) -> int:
    """Replace every internal link that holds only an image by the image; return how many."""
    unwrapped = 0
    for reference in list(document.findall(nodes.reference)):
        images = [child for child in reference.children if isinstance(child, nodes.image)]
        if len(images) == 1 and len(reference.children) == 1 and "://" not in reference.get("refuri", ""):
            reference.replace_self(images[0])
            unwrapped += 1
    return unwrapped


class WithoutImageLinks(SphinxPostTransform):
    """An image linked to its own file keeps the image, without the link (see :func:`unwrap_image_links`)."""

    builders = ("epub",)
    default_priority = 900

    def run(self, **kwargs) -> None:
        unwrap_image_links(self.document)


def remove_html_tag(app: Sphinx) -> None:
    """``{only} html`` is content for the website: the EPUB build does not count as ``html``."""
    if is_epub(app) and app.tags.has("html"):
        app.tags.remove("html")


def leave_out_web_only_pages(app: Sphinx, builder) -> None:
    """Keep web-only pages out of the package, its navigation and reading order.

    Sphinx's EPUB builder leaves out the files in ``epub_exclude_files``; which pages are
    web-only is known from their front matter once every page has been read.
    """
    if not is_epub(app):
        return
    excluded = list(app.config.epub_exclude_files)
    for docname in sorted(web_only_pages(app.env.metadata)):
        outfile = docname + builder.out_suffix
        if outfile not in excluded:
            excluded.append(outfile)
    app.config.epub_exclude_files = excluded


def add_title_page(app: Sphinx):
    """Write the title page (``titlepage.xhtml``) for the EPUB."""
    if not is_epub(app):
        return []
    config = app.config
    context = {
        "title": str(_("Title page")),
        "author": config.epub_author,
        "edition": config.release,
        "date": config.today,
        "bibliography": config.handbook_epub_landmarks.get("bibliography"),  # handbook.epub_package
    }
    return [(TITLE_PAGE, context, TITLE_PAGE_TEMPLATE)]


def translate_guide_titles(app: Sphinx) -> None:
    """The navigation document's title, "Table of Contents", in the edition's language.

    Sphinx's EPUB builder writes it (and the landmarks' first entry, :mod:`handbook.epub_package`)
    from its ``guide_titles``, which are English whatever the language.
    """
    if is_epub(app):
        app.builder.guide_titles = {**app.builder.guide_titles, "toc": str(_("Table of Contents"))}


def set_html_tag(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if is_epub(app):
        context["html_tag"] = html_tag(app.config.epub_language)


def setup(app: Sphinx) -> dict:
    track(app)  # the transforms need the builder (handbook.builders)
    app.connect("builder-inited", remove_html_tag)
    app.connect("builder-inited", translate_guide_titles)
    app.connect("write-started", leave_out_web_only_pages)
    app.connect("html-collect-pages", add_title_page)
    app.connect("html-page-context", set_html_tag)
    app.add_post_transform(WithoutWebOnlyPages)
    app.add_post_transform(WithoutImageLinks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
