"""A tiny handbook for the tests of handbook.catalogue (tests/test_catalogue.py): two regions,
two themes and one source, laid out as the handbook lays them out."""

extensions = ["myst_parser", "sphinxcontrib.bibtex", "handbook.catalogue", "handbook.front_matter",
              "handbook.views"]
bibtex_bibfiles = ["refs.bib"]
exclude_patterns = ["_build"]
