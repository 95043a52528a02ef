"""Sphinx configuration for the Nordic Life Science Regions Handbook.

Grouped by concern. Project-specific behaviour lives in the local extension in _ext/handbook,
so this file stays declarative.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project ------------------------------------------------------------------------------------
project = "Nordic Life Science Regions Handbook"
author = "Nordic Life Science Regions Handbook contributors"
copyright = f"2026, {author}"
language = "en"  # the prose is British English; also selects LaTeX hyphenation

# -- Sources ------------------------------------------------------------------------------------
root_doc = "index"
# Only the book is a source: README, CONTRIBUTING, templates and tests are not pages.
include_patterns = ["index.md", "chapters/**"]

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
    # The theme's download menu offers the browser's print-to-PDF; the real PDF edition has its
    # own "Download PDF" button (see _ext/handbook/pdf_edition.py).
    "use_download_button": False,
    "use_fullscreen_button": False,
}

# -- LaTeX / PDF --------------------------------------------------------------------------------
latex_engine = "xelatex"  # Unicode input and OpenType fonts for å ä ö æ ø ć ž
latex_documents = [
    (root_doc, "nordic-life-science-handbook.tex", project, author, "manual"),
]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
}
