"""A tiny handbook for the tests of handbook.catalogue (tests/test_catalogue.py): two regions,
two themes and one source, laid out as the handbook lays them out."""

extensions = ["myst_parser", "sphinxcontrib.bibtex", "handbook.bibstyle", "handbook.catalogue",
              "handbook.front_matter", "handbook.views", "handbook.page_meta"]
bibtex_bibfiles = ["refs.bib"]
bibtex_reference_style = bibtex_default_style = "handbook"
exclude_patterns = ["_build", "locales"]
# A Swedish edition too: the pages' catalogues in locales/sv (tests/test_catalogue.py copies the
# handbook's own handbook.po beside them).
handbook_languages = {"en": "English", "sv": "Svenska"}
locale_dirs = ["locales/"]
gettext_compact = False
epub_identifier = "urn:uuid:00000000-0000-4000-8000-000000000000"  # a translation derives its own
