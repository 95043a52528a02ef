"""A tiny project for the unit tests of handbook.glosses (tests/test_glosses.py)."""

extensions = ["myst_parser", "handbook.glosses"]
exclude_patterns = ["_build"]
