"""Site search with Pagefind, which forgives missing diacritics and ranks by relevance.

Sphinx's own search is switched off (no ``searchindex.js``, ``searchtools.js`` or
``language_data.js``). When an HTML build has finished, Pagefind (PyPI ``pagefind`` with
``pagefind-bin``, pinned in requirements.txt) indexes the built pages into ``pagefind/`` in the
site. Nothing is fetched from anywhere: the index, ``pagefind.js`` and its WebAssembly are files
of the site, and only the search page loads them.

Why Pagefind and not Sphinx's search (measured with tests/data/search-queries.yaml, see
tests/test_search.py and the README): Pagefind folds diacritics on both sides, the index and the
query, so ``Skane`` finds Region Skåne and ``Kuhnau`` finds Anders Kühnau; and it ranks pages by
how often and where the words occur, where Sphinx gives every page that contains a word the same
score. It also sends only the index chunks a query needs, and the results' excerpts from the
index, where Sphinx downloads every result page to show an excerpt.

- What is indexed: the article of every page of the book (``index.html`` and ``chapters/``), not
  the navigation, the search page or the general index; the page's title is its ``<h1>``.
  Citations in the text, "(Region Skåne, 2012)", and each chapter's closing "Sources" list are
  left out: they are on most pages, and would make every page match a region's name or the
  title of a release.
- Ranking: Pagefind's, with its options in ``_static/search.js``, except that a source's note
  (``chapters/reference/sources/``) counts less than the chapters that tell its story.
- The search page (``_templates/search.html``) is a plain form that sends ``?q=`` to itself, so
  the theme's search dialog (Ctrl+K) and the 404 page's form lead there too, and
  ``_static/search.js`` shows the results as a list of links with excerpts and a live status.
- Pagefind folds the letters that Unicode decomposes (å ä ö ü é ž ć) but not æ, ø and a few
  others. For those, ``pagefind/handbook-spellings.json`` maps the spellings readers type
  (``naestformand``, ``Sorensen``) to the words of the site (``næstformand``, ``sørensen``), and
  the search page puts the site's word in the query.
- After indexing, the Pagefind files no page uses are deleted (its ready-made interfaces; the
  WebAssembly for pages without a language), so the site ships no dead weight.
- Each edition searches itself: a translated edition (``sv/``) is a build of its own, so it
  indexes its own pages into its own ``sv/pagefind/``, and Pagefind reads their language from
  ``<html lang="sv">``: Swedish stemming, and ``wasm.sv.pagefind``, which is kept. Its spellings
  file lists its own words, and the folding of å, ä and ö is Pagefind's, as in English. The
  source edition's index never holds a translated page: :data:`INDEXED` matches only the
  edition's own pages, not those the Makefile copies into ``sv/`` afterwards.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The folder in the built site that holds the index and Pagefind's search library.
PAGEFIND_DIR = "pagefind"
#: The built pages that are indexed (Pagefind's glob syntax), relative to the site.
INDEXED = "{index.html,chapters/**/*.html}"
#: The part of a page that is indexed, and what inside it is not.
ROOT_SELECTOR = "article.bd-article"
EXCLUDED = ["span.bibtex-citation", ".headerlink", 'section[id="sources"]', 'section[id$="-sources"]']
#: Sphinx's search scripts, which its basic theme copies into every site even with search off.
SPHINX_SEARCH_FILES = ("_static/searchtools.js", "_static/language_data.js")
#: Pagefind's files that no page uses: the ready-made interfaces (the search page has its own,
#: _static/search.js) and the WebAssembly for pages without a declared language (every page
#: declares the edition's: wasm.en.pagefind, wasm.sv.pagefind… stay).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js",
          "pagefind-component-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-highlight.js", "wasm.unknown.pagefind")


#: Letters that Unicode does not decompose into a base letter and an accent, so Pagefind keeps
#: them as they are, with the spellings readers type instead. Pagefind folds the others itself
#: (å ä ö ü é ž ć: Skane finds Skåne, Kuhnau finds Kühnau).
UNDECOMPOSED = {"æ": ("ae", "a"), "ø": ("o", "oe"), "œ": ("oe",), "ß": ("ss",), "đ": ("d",),
                "ł": ("l",), "ð": ("d",), "þ": ("th",)}
#: The file, in PAGEFIND_DIR, that maps such spellings to the words of the site.
SPELLINGS = "handbook-spellings.json"
_WORD = re.compile(r"\w+")
_TAGS = re.compile(r"<[^>]+>")


def fold(word: str) -> list[str]:
    """The ways of typing *word* without diacritics, in lower case: ``næstformand`` gives
    ``naestformand`` and ``nastformand``; ``Kühnau`` gives ``kuhnau``."""
    bare = "".join(c for c in unicodedata.normalize("NFD", word.lower())
                   if not unicodedata.combining(c))
    spellings = [""]
    for char in bare:
        spellings = [s + alt for s in spellings for alt in UNDECOMPOSED.get(char, (char,))]
    return spellings


def spellings(pages: list[Path]) -> dict[str, str]:
    """For each word of *pages* with a letter in :data:`UNDECOMPOSED`: its folded spellings,
    each mapped to the word as the page writes it (lower case)."""
    found: dict[str, str] = {}
    for page in pages:
        text = _TAGS.sub(" ", page.read_text(encoding="utf-8"))
        for word in set(_WORD.findall(text.lower())):
            if any(char in UNDECOMPOSED for char in word):
                for spelling in fold(word):
                    found.setdefault(spelling, word)
    return dict(sorted(found.items()))


def pagefind_executable() -> Path | None:
    """The Pagefind binary installed by pagefind-bin, or None."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    return get_executable()


def use_pagefind_search_page(app: Sphinx) -> None:
    """``builder-inited``: no Sphinx search index; the search page is the handbook's own."""
    if app.builder.format != "html" or app.builder.name != "html":
        return
    app.builder.search = False  # the class attribute HTML help builders use to drop search
    app.config.html_additional_pages.setdefault("search", "search.html")


def index_site(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: index the built pages with Pagefind, afresh every build."""
    if exception is not None or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    binary = pagefind_executable()
    if binary is None:
        logger.warning("Pagefind is not installed, so the site has no search index: "
                       "run `make` (it installs requirements.txt into .venv)",
                       type="handbook", subtype="search")
        return
    target = outdir / PAGEFIND_DIR
    shutil.rmtree(target, ignore_errors=True)  # the index's file names change with the content
    command = [str(binary), "--site", str(outdir), "--output-subdir", PAGEFIND_DIR,
               "--glob", INDEXED, "--keep-index-url", "--root-selector", ROOT_SELECTOR,
               "--exclude-selectors", ", ".join(EXCLUDED), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not (target / "pagefind.js").is_file():
        logger.warning("Pagefind could not index the site (exit %s):\n%s%s", result.returncode,
                       result.stdout, result.stderr, type="handbook", subtype="search")
        return
    for name in UNUSED:
        (target / name).unlink(missing_ok=True)
    for name in SPHINX_SEARCH_FILES:
        (outdir / name).unlink(missing_ok=True)
    pages = [outdir / "index.html", *sorted((outdir / "chapters").rglob("*.html"))]
    (target / SPELLINGS).write_text(json.dumps(spellings(pages), ensure_ascii=False, indent=0) + "\n",
                                    encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", use_pagefind_search_page)
    # After handbook.lean_site's clean-up (priority 600): the index is written last.
    app.connect("build-finished", index_site, priority=700)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
