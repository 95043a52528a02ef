"""The handbook's own Sphinx extension.

Everything project-specific that is not configuration lives here, one concern per module.

Every build:

- :mod:`handbook.speedups`: faster builds, same pages (cached plugin look-ups, indexed citations).
- :mod:`handbook.bibcheck`: BibTeX syntax errors as warnings with file and line.
- :mod:`handbook.bibstyle`: the author–year citation and bibliography styles.
- :mod:`handbook.front_matter`: every page's front matter, checked as it is read.
- :mod:`handbook.edition`: the edition and date, taken from git rather than the clock.
- :mod:`handbook.repository`: edit and issue buttons, only when a real repository is known.
- :mod:`handbook.views`: region × theme matrix, timeline, source notes and map, from the chapters.
- :mod:`handbook.incremental`: incremental HTML builds that rewrite every page a change shows on.

The editions:

- :mod:`handbook.editions`: the "Download PDF" and "Download EPUB" buttons on every page, with sizes.
- :mod:`handbook.pdf_layout`: parts, chapters and one bibliography in the PDF.

The EPUB edition:

- :mod:`handbook.epub_edition`: the book without web-only content, a title page, page languages.
- :mod:`handbook.epub_package`: accessibility metadata and landmarks in the EPUB's package.

Readers in browsers:

- :mod:`handbook.page_meta`: meta description and OpenGraph tags from each chapter's summary.
- :mod:`handbook.base_url`: the sitemap and 404 page, when the site's public address is configured.
- :mod:`handbook.icons`: the theme's icons as inline SVG, without Font Awesome's 1.5 MB script.
- :mod:`handbook.lean_site`: pages load only what they use; the site ships no dead files.
- :mod:`handbook.theme_markup`: fixes to the theme's markup for assistive technology and new tabs.
"""

from sphinx.application import Sphinx

MODULES = (
    "speedups", "bibcheck", "bibstyle", "front_matter", "edition", "repository",  # every build
    "incremental",  # incremental HTML builds equal to clean builds
    "views",  # matrix, timeline, source notes and map, generated from the chapters
    "editions",  # the links to the PDF and the EPUB
    "pdf_layout",  # the PDF
    "epub_edition", "epub_package",  # the EPUB
    "page_meta", "base_url", "icons", "lean_site", "theme_markup",  # readers in browsers
)


def setup(app: Sphinx) -> dict:
    for module in MODULES:
        app.setup_extension(f"handbook.{module}")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
