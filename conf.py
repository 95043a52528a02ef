"""Sphinx configuration for the Nordic Life Science Regions Handbook.

Grouped by concern. Project-specific behaviour lives in the local extension in _ext/handbook,
so this file stays declarative.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project ------------------------------------------------------------------------------------
project = "Nordic Life Science Regions Handbook"
author = "Nordic Life Science Regions Handbook contributors"
copyright = f"2026, {author}"
language = "en"  # the prose is British English; also the PDF's language and hyphenation

# -- Languages ----------------------------------------------------------------------------------
# English is the source text. Each other edition is a set of gettext catalogues in
# locales/<language>/LC_MESSAGES/ (`make translations`, see CONTRIBUTING) and is built by `make`
# into its own folder of the site, _build/html/<language>/, with its own PDF and EPUB.
# A new edition (Danish, say) is its catalogues plus one entry here: "da": "Dansk".
handbook_languages = {"en": "English", "sv": "Svenska"}  # code -> the language's name in itself
locale_dirs = ["locales/"]
gettext_compact = False  # one catalogue per page: a chapter's translation and its review are one file
gettext_additional_targets = ["image"]  # image alt text is translated too
gettext_last_translator = gettext_language_team = author  # catalogues name no person (no contact data)
# In English in every edition, uncatalogued: contributors work in English; the guide changes with the tooling.
handbook_source_only_pages = ["chapters/reference/contributing"]

# -- Sources ------------------------------------------------------------------------------------
root_doc = "index"
# Only the book is a source: README, CONTRIBUTING, templates and tests are not pages.
include_patterns = ["index.md", "chapters/**"]
# Not even looked into: walking .venv and node_modules would cost seconds per build.
exclude_patterns = [".venv", "node_modules", "_build", ".git"]

# The regions, themes and sources are not listed here: handbook.catalogue reads them from the
# chapters' front matter and references.bib, so a new chapter is one new file.

extensions = [
    "myst_parser",  # chapters are MyST Markdown
    "sphinxcontrib.bibtex",  # citations from references.bib
    "sphinx_design",  # cards on the landing and overview pages
    "handbook",  # this project's own extension, in _ext/handbook
]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3  # slug ids for h1–h3, so [text](#slug) links resolve and are checked

# -- Citations ----------------------------------------------------------------------------------
bibtex_bibfiles = ["references.bib"]
bibtex_encoding = "utf-8"
# Both styles are defined in _ext/handbook/bibstyle.py: author–year citations in round brackets,
# "(Region Skåne, 2012)", and bibliography entries that show both titles, language and date.
bibtex_reference_style = "handbook"
bibtex_default_style = "handbook"

# -- HTML ---------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["handbook.css"]
html_copy_source = False  # readers get the PDF, not raw Markdown; keeps the site small
html_show_sourcelink = False
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    # The sidebar shows the parts, and opens only the branch that holds the current page.
    # Expanding every part on every page made each page's cost grow with the book size.
    "collapse_navbar": True,
    # The theme's download menu offers the browser's print-to-PDF; the real editions have their
    # own "Download PDF" and "Download EPUB" buttons (see _ext/handbook/editions.py).
    "use_download_button": False,
    "use_fullscreen_button": False,
    # One search box per page: the sidebar's. pydata-sphinx-theme also puts one in a header bar
    # above the page on desktops ("navbar_persistent"), which sphinx-book-theme does not use.
    "navbar_persistent": [],
    # The link to the same page in the other languages (handbook.language_links), then the buttons.
    "article_header_end": ["language-switch.html", "article-header-buttons.html"],
}

# -- HTML for readers: metadata, dates, public address, sitemap, 404 ----------------------------
# Meta description and OpenGraph tags come from each chapter's `summary:` (handbook.page_meta).
# _templates/layout.html drops Font Awesome's 1.5 MB script (icons become inline SVG,
# handbook.icons), keeps the search scripts to the search page and defers the rest
# (handbook.lean_site). Checked in a real browser by tests/test_browser.py.
templates_path = ["_templates"]
html_favicon = "_static/favicon.svg"  # also spares browsers a failing request for /favicon.ico
extensions += ["sphinx_last_updated_by_git"]  # "Last updated on …" from each page's last commit
html_last_updated_fmt = "%-d %B %Y"  # "1 December 2026", as handbook.dates writes dates
# Follow the reader's light or dark preference; the theme's default ("") logs a console error.
html_context = {"default_mode": "auto"}
# Outside a git checkout, or in a shallow clone, pages simply show no date.
suppress_warnings = ["git.too_shallow", "git.subprocess_error", "git.command_not_found"]

# The handbook has no public address yet, and none may be invented. Build with
# HANDBOOK_BASE_URL=https://…/ (the site's root) to add canonical links and og:url to every
# page, a sitemap.xml and a 404.html; both need absolute addresses (handbook.base_url).
html_baseurl = os.environ.get("HANDBOOK_BASE_URL", "")
if html_baseurl.strip():
    extensions += ["sphinx_sitemap", "notfound.extension"]
    sitemap_url_scheme = "{link}"  # not "{lang}{version}{link}": one language, no versions
    sitemap_excludes = ["search.html", "genindex.html", "404.html"]
    sitemap_show_lastmod = True  # from git, as the pages' "last updated"

# -- Link checking ------------------------------------------------------------------------------
# `make linkcheck` checks every external address: links in the chapters and the `url` of each
# references.bib entry (printed in the bibliography). Report: _build/linkcheck/output.json.
# It fails on broken and timed-out links and, because of -W, on redirects not allowed below.
# Internal links are checked on the built site by tools/check_internal_links.py (make test).
linkcheck_timeout = 15  # seconds per request: regional news sites can be slow without being dead
linkcheck_retries = 2  # one more try before a link is reported broken
linkcheck_workers = 4  # the handful of hosts in references.bib, all at once
# A host answering 429 Too Many Requests is retried after its Retry-After (else 60 s, doubling);
# beyond this many seconds the link counts as broken, so a run ends within a few minutes.
linkcheck_rate_limit_timeout = 60.0
linkcheck_report_timeouts_as_broken = False  # a timeout is network weather: "timeout", not "broken"
linkcheck_anchors = True  # an address's #fragment must be an id in the page…
linkcheck_anchors_ignore_for_url = [
    # …except on sites that render their anchors with JavaScript, so the HTML has no such id.
    r"https://github\.com/",  # README and issue headings get their ids client-side
]
# Redirects known to be good count as working. Having this setting also turns every other
# redirect into a warning: with -W a moved page fails `make linkcheck` until its address is fixed.
linkcheck_allowed_redirects = {
    # A DOI is a permanent name: doi.org always redirects to wherever the publisher keeps the work.
    r"https://doi\.org/": r"https://",
}
linkcheck_ignore = [
    # The contributor guide names the address `make livehtml` serves on the contributor's machine.
    r"^http://127\.0\.0\.1:8000/?$",
    # The PDF and EPUB editions are build products that `make` copies into the site, not files in
    # the source tree where linkcheck looks for relative links. The internal link check covers them.
    r"^(\.\./)*nordic-life-science-handbook\.(pdf|epub)$",
]

# -- PDF ----------------------------------------------------------------------------------------
# `sphinx-build -b pdf`: the book as one HTML page, typeset by WeasyPrint as tagged PDF/UA-1
# (handbook.pdf_builder). Its structure comes from handbook.pdf_book, its design from
# _ext/handbook/pdf_theme. These become the title page's subtitle and the PDF's metadata.
handbook_pdf_file = "nordic-life-science-handbook.pdf"
handbook_pdf_subtitle = "How Swedish and Danish regions pursue life science"
handbook_pdf_subject = "Regional life-science strategies in Sweden and Denmark"
# The regions' names are added to these from the chapters (handbook.catalogue).
handbook_pdf_keywords = ["life science", "regional development", "Sweden", "Denmark", "China"]

# -- EPUB ---------------------------------------------------------------------------------------
# `make epub` builds _build/epub/nordic-life-science-handbook.epub with Sphinx's EPUB 3 builder
# and its plain `epub` theme: the book without the website's navigation, buttons and search.
# handbook.epub_edition shapes the content (no web-only pages, a title page, languages);
# handbook.epub_package adds the accessibility metadata and landmarks below to the package.
epub_basename = "nordic-life-science-handbook"
epub_title = project
epub_author = author
epub_publisher = author
epub_contributor = author
epub_copyright = f"{copyright}. The text is licensed under CC BY 4.0: https://creativecommons.org/licenses/by/4.0/"
epub_description = ("How Swedish and Danish regions build their life-science strategies: "
                    "an open handbook organised by region and by theme, with every fact cited.")
# The handbook's own identifier, the same for every edition (an edition is told apart by its
# date, dcterms:modified, and its name, schema:bookEdition). Never change it.
epub_identifier = "urn:uuid:53e7f82d-1e7d-4a13-a49a-0fd65c68a94e"
epub_scheme = "UUID"
epub_uid = "handbook-id"
epub_pre_files = [("titlepage.xhtml", "Title page")]  # written by handbook.epub_edition
epub_use_index = False  # no index: the glossary is the book's index of terms, as in the PDF
epub_show_urls = "no"  # links are clickable in every reader; printed URLs are for paper
# Files of the themes that no EPUB page uses (the site's favicon, the sidebar's toggle images, and
# basic.css, which the epub theme's own stylesheet replaces).
epub_exclude_files = ["_static/basic.css", "_static/favicon.svg", "_static/minus.png", "_static/plus.png"]
epub_tocscope = "includehidden"  # the landing page's toctree is hidden on the site, not in the book
# The places a reader's "go to" menu offers (the navigation document's landmarks, with the table
# of contents first); epub:type -> page.
handbook_epub_landmarks = {
    "titlepage": "titlepage",
    "bodymatter": "chapters/introduction",
    "glossary": "chapters/reference/glossary",
    "bibliography": "chapters/reference/bibliography",
}
# Accessibility metadata (schema.org, as EPUB Accessibility 1.1 asks), written into the package
# document by handbook.epub_package. Only what is true of this book and checked by `make test`.
handbook_epub_accessibility = {
    "accessMode": ["textual", "visual"],
    # The one image, the map, has a text alternative, and the text lists what it shows.
    "accessModeSufficient": ["textual", "textual,visual"],
    "accessibilityFeature": ["alternativeText", "displayTransformability", "readingOrder",
                             "structuralNavigation", "tableOfContents"],
    "accessibilityHazard": ["none"],
    "accessibilitySummary": (
        "A reflowable EPUB 3 of text with one image. A table of contents and landmarks lead to "
        "every chapter, the glossary and the bibliography; headings nest without skipping a "
        "level, and the reading order is the book's. The image, a map of the regions and their "
        "partnerships, has a text alternative, and the partnerships it shows are also listed in "
        "the text. Citations link to the bibliography. No flashing, motion or sound."
    ),
}

# -- Editions -----------------------------------------------------------------------------------
# The downloadable editions, by kind: file names at the root of the site, where `make` copies
# _build/pdf/ and _build/epub/'s files before writing the pages. Every page's header offers each
# one with its size, "Download PDF (1.2 MB)" (handbook.editions); index.md has a button for each.
handbook_editions = {
    "pdf": handbook_pdf_file,  # the file the PDF builder writes
    "epub": f"{epub_basename}.epub",
}
