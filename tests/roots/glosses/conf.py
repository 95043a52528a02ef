"""A tiny project for the unit tests of handbook.glosses (tests/test_glosses.py)."""

extensions = ["myst_parser", "handbook.glosses"]
exclude_patterns = ["_build"]
# A Swedish edition too, from the catalogues in locales/sv (tests/test_glosses.py).
handbook_languages = {"en": "English", "sv": "Svenska"}
epub_identifier = "urn:uuid:00000000-0000-4000-8000-000000000000"  # a translation derives its own
