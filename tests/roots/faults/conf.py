"""A tiny handbook for the fault tests (tests/test_faults.py): the handbook's layout and the
extension modules that turn its faults into warnings, without its theme, PDF, EPUB or search."""

project = "Fault fixture"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "handbook.bibcheck", "handbook.bibstyle",
              "handbook.glosses"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
bibtex_bibfiles = ["references.bib"]
bibtex_encoding = "utf-8"
bibtex_reference_style = "handbook"
bibtex_default_style = "handbook"
include_patterns = ["index.md", "chapters/**"]
exclude_patterns = ["_build"]
