"""The handbook's own Sphinx extension.

Everything project-specific that is not configuration lives here, one concern per module.

Every build:

- :mod:`handbook.shims`: the register of version-checked shims, checked when Sphinx starts.
- :mod:`handbook.languages`: the editions in other languages, from gettext catalogues in locales/.
- :mod:`handbook.messages`: the messages to translate, completing what ``-b gettext`` extracts.
- :mod:`handbook.speedups`: faster builds, same pages (pybtex's plugins looked up once).
- :mod:`handbook.bibcheck`: BibTeX syntax errors as warnings with file and line.
- :mod:`handbook.bibstyle`: the author–year citation and bibliography styles.
- :mod:`handbook.catalogue`: the regions, themes and sources, read from the chapters and the .bib.
- :mod:`handbook.front_matter`: every page's front matter, checked as it is read.
- :mod:`handbook.glosses`: one gloss per original-language term, in the glossary and every chapter.
- :mod:`handbook.edition`: the edition and date, taken from git rather than the clock.
- :mod:`handbook.repository`: edit and issue buttons, only when a real repository is known.
- :mod:`handbook.views`: region × theme matrix, timeline, source notes and map, from the chapters.

The PDF edition, typeset by WeasyPrint as tagged PDF/UA-1 (``sphinx-build -b pdf``):

- :mod:`handbook.pdf_builder`: the builder: the book as one HTML page in its own theme, then a PDF.
- :mod:`handbook.pdf_book`: title page, parts, numbered chapters, one bibliography, page references.
- :mod:`handbook.pdf_hyphenation`: the break points of Swedish and Danish names in English text.
- :mod:`handbook.pdf_svg`: SVG label halos under the text, as browsers draw them.
- :mod:`handbook.pdf_tagging`: running heads and page numbers as artefacts; links described.

The links to the editions:

- :mod:`handbook.editions`: the "Download PDF" and "Download EPUB" buttons on every page, with sizes.

The EPUB edition:

- :mod:`handbook.epub_edition`: the book without web-only content, a title page, page languages.
- :mod:`handbook.epub_package`: accessibility metadata and landmarks in the EPUB's package.

Readers in browsers:

- :mod:`handbook.page_meta`: meta description and OpenGraph tags from each chapter's summary.
- :mod:`handbook.base_url`: the sitemap and 404 page, when the site's public address is configured.
- :mod:`handbook.icons`: the theme's icons as inline SVG, without Font Awesome's 1.5 MB script.
- :mod:`handbook.lean_site`: pages load only what they use; the site ships no dead files.
- :mod:`handbook.search`: site search with Pagefind, forgiving missing diacritics.
- :mod:`handbook.language_links`: the same page in the other languages, hreflang and the sitemap.
- :mod:`handbook.theme_markup`: fixes to the theme's markup for assistive technology and new tabs.

Shared by the modules above (not extensions themselves): :mod:`handbook.page_stores`, the
per-page data that modules keep in the build environment; :mod:`handbook.dates`, the one parser of
the sources' dates; :mod:`handbook.bibfile`, the one reader of references.bib. The last two serve
the tools as well, without Sphinx; :mod:`handbook.builders`, the builder for transforms that
need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the tools import handbook.dates and handbook.bibfile where Sphinx is not installed
    from sphinx.application import Sphinx

MODULES = (
    "shims",  # first: the version checks of the modules below
    "languages",  # then the edition's language: the configuration others read is translated first
    "messages",  # the messages to translate (sphinx-build -b gettext only)
    "speedups", "bibcheck", "bibstyle", "catalogue", "front_matter", "glosses", "edition", "repository",  # every build
    "views",  # matrix, timeline, source notes and map, generated from the chapters
    "editions",  # the links to the PDF and the EPUB
    "pdf_builder", "pdf_book",  # the PDF
    "epub_edition", "epub_package",  # the EPUB
    "language_links",  # before page_meta, which reads the canonical address it may change
    "page_meta", "base_url", "icons", "lean_site", "theme_markup", "search",  # readers in browsers
)


def setup(app: Sphinx) -> dict:
    for module in MODULES:
        app.setup_extension(f"handbook.{module}")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
